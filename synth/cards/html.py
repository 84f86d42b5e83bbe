"""The one-page persona card (printable HTML) and the report's gallery of cards.

A card reads like the personas product teams pass around: a face, a name, who they are, goals,
frustrations, behaviours, a few quotes, and the numbers at a glance. Verification stays one click
away: every item links to its claim on the full persona page, where each citation opens in context.
No scripts, no external assets: pictures and charts are inline data URIs.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from synth.cards import charts
from synth.cards.avatar import avatar_data_uri
from synth.cards.data import KIND_WORDS, PersonaCard
from synth.cards.template import FilledSection

CARD_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d1d1f;background:#f4f5f7;margin:0;padding:1.2rem}
a{color:#2346b0}
.card{background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:1rem 1.2rem;max-width:820px;
margin:0 auto}
.card header{display:flex;gap:1rem;align-items:center}
.card header img{width:92px;height:92px;flex:none}
.card h1,.card h2{margin:0;font-size:1.6rem;line-height:1.15}
.desc{margin:.1rem 0 .2rem;font-size:1.05rem;color:#4C6FD1;font-weight:600}
.meta{margin:0;color:#666;font-size:.85rem}
.summary{margin:.6rem 0;color:#333}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:.2rem 1.2rem}
.grid section h3,.quotes h3{font-size:.8rem;text-transform:uppercase;letter-spacing:.04em;color:#555;margin:.5rem 0 .2rem;
border-bottom:1px solid #e4e6ea;padding-bottom:.1rem}
.grid ul{margin:0;padding-left:1rem}.grid li{margin:.15rem 0}
.grid li a{color:inherit;text-decoration:none}.grid li a:hover{text-decoration:underline}
.prev{display:inline-block;font-size:.72rem;color:#2346b0;background:#eef1fb;border-radius:8px;padding:0 .35rem;
margin-left:.2rem;white-space:nowrap}
.fact{color:#444;list-style:square}
.empty{color:#888;font-style:italic;margin:.1rem 0}
.quotes blockquote{margin:.3rem 0;padding:.2rem .7rem;border-left:3px solid #4C6FD1;background:#f7f8fc;font-size:.92rem}
.quotes blockquote a{color:inherit;text-decoration:none}
.charts{display:flex;flex-wrap:wrap;gap:.6rem 1.2rem;margin-top:.6rem;align-items:flex-start}
.charts img{max-width:100%;height:auto}
.card footer{margin-top:.6rem;border-top:1px solid #e4e6ea;padding-top:.4rem;font-size:.8rem;color:#555}
.ok{color:#0a7d32}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem;margin:1rem 0}
.mini{background:#fff;border-radius:10px;box-shadow:0 1px 4px rgba(0,0,0,.12);padding:.8rem 1rem;display:flex;
flex-direction:column}
.mini header{display:flex;gap:.7rem;align-items:center}.mini header img{width:64px;height:64px;flex:none}
.mini h2{font-size:1.2rem;margin:0;border:0;padding:0}.mini .summary{font-style:normal}.mini .desc{font-size:.9rem}
.mini ul{padding-left:1rem;margin:.4rem 0;font-size:.88rem}.mini .links{margin-top:auto;font-size:.85rem}
@page{size:A4;margin:8mm}
@media print{body{background:#fff;padding:0;font-size:10px}.card{box-shadow:none;max-width:none;padding:0}
.card header img{width:64px;height:64px}.card h1{font-size:1.4rem}.summary{margin:.3rem 0}
.grid li,.quotes blockquote{break-inside:avoid;margin:.05rem 0}.charts img{max-height:46mm;object-fit:contain}
.card footer{margin-top:.3rem}
.compact .grid li:nth-of-type(n+3),.compact .quotes blockquote:nth-of-type(n+3){display:none}
.compact .summary{max-height:2.9em;overflow:hidden}.compact .charts img{max-height:38mm;object-fit:contain}}
"""
CLIP = 150


def _clip(text: str, n: int = CLIP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _prev(claim) -> str:
    p = claim.prevalence
    if p is None or not p.of or not claim.support_count:
        return ""
    of = "who said" if p.base == "described" else "in segment"
    return (f' <span class="prev" title="{claim.support_count} of {p.of} participants {of}">'
            f"{claim.support_count}/{p.of}</span>")


def _section(s: FilledSection, page: str, empty: str) -> str:
    items = [f'<li><a href="{escape(page)}#claim-{escape(c.id)}" title="{escape(c.text)}">{escape(_clip(c.text))}</a>'
             f"{_prev(c)}</li>" for c in s.claims[: s.limit]]
    items += [f'<li class="fact">{escape(line)}</li>' for line in s.facts[:2]]
    more = len(s.claims) - s.limit
    if more > 0:
        items.append(f'<li class="fact"><a href="{escape(page)}#section-{escape(s.key)}">{more} more…</a></li>')
    body = f"<ul>{''.join(items)}</ul>" if items else f'<p class="empty">{escape(empty)}</p>'
    return f'<section id="card-{escape(s.key)}"><h3 title="{escape(s.help)}">{escape(s.title)}</h3>{body}</section>'


def _head(card: PersonaCard, tag: str = "h1") -> str:
    kinds = ", ".join(f"{n} {KIND_WORDS.get(k, (k, k))[n != 1]}" for k, n in card.kinds.items())
    meta = f"{card.segment_size} participants" + (f" · {kinds}" if kinds else "")
    desc = f'<p class="desc">{escape(card.descriptor)}</p>' if card.descriptor else ""
    return (f'<header><img src="{avatar_data_uri(card.persona_id, card.first_name)}" alt="illustrated avatar of '
            f'{escape(card.first_name)} (not a photo; implies no demographics)">'
            f'<div><{tag}>{escape(card.first_name)}</{tag}>{desc}<p class="meta">{escape(meta)}</p></div></header>')


def _footer(card: PersonaCard, page: str) -> str:
    return (f'<footer><span class="ok">✓</span> {card.claims_supported} of {card.claims_total} claims supported by '
            f"their quotes · {card.citations_verbatim} of {card.citations_total} quotes found word for word in the "
            f'sources · <a href="{escape(page)}">every claim with its evidence →</a></footer>')


def card_fragment(card: PersonaCard, page: str, empty: str, with_charts: bool = True) -> str:
    """The card as an <article>: `page` is the full persona page it links to for evidence."""
    out = [f'<article class="card" id="persona-{escape(card.persona_id)}">', _head(card)]
    if card.review:
        out.append(f'<p class="flag review-state">⚠ {escape(card.review)}</p>')
    if card.summary:
        out.append(f'<p class="summary">{escape(card.summary)}</p>')
    shown = [s for s in card.sections if s.card and s.key != "quotes"]
    out.append('<div class="grid">' + "".join(_section(s, page, empty) for s in shown) + "</div>")
    quotes = next((s for s in card.sections if s.key == "quotes"), None)
    if quotes is not None and quotes.card:
        body = "".join(f'<blockquote><a href="{escape(page)}#claim-{escape(c.id)}">{escape(_clip(c.text, 220))}</a>'
                       "</blockquote>" for c in quotes.claims[: quotes.limit])
        out.append(f'<section class="quotes"><h3>{escape(quotes.title)}</h3>'
                   f'{body or f"<p class=empty>{escape(empty)}</p>"}</section>')
    if with_charts:
        out.append(chart_strip(card, small=True))
    out += [_footer(card, page), "</article>"]
    return "\n".join(out)


def chart_strip(card: PersonaCard, small: bool = False) -> str:
    """The card's charts as images: theme profile and claim prevalence (plus kinds and ratings when not small)."""
    svgs = [charts.theme_profile(card, width=170 if small else 260, limit=4 if small else 8),
            charts.claim_prevalence(card, width=110 if small else 220)]
    if not small:
        svgs += [charts.kind_mix(card), charts.ratings(card)]
    alts = ["themes of this segment against the whole study", "share of the segment each top claim speaks for",
            "participants per source kind", "participants per star rating"]
    imgs = [f'<img src="{charts.data_uri(svg)}" alt="{alt}"{charts.size_attributes(svg)}>'
            for svg, alt in zip(svgs, alts, strict=False) if svg]
    return f'<div class="charts">{"".join(imgs)}</div>' if imgs else ""


def render_card(card: PersonaCard, page: str, empty: str, compact: bool = False) -> str:
    """A printable one-page card (A4) as a whole HTML document; compact: two items a section when printed."""
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(card.name)} · persona card</title><style>{CARD_CSS}</style></head>\n"
            f"<body{' class=compact' if compact else ''}>\n"
            f"{card_fragment(card, page, empty)}\n</body></html>\n")


def gallery(cards: Sequence[PersonaCard], pages: dict[str, dict[str, str]]) -> str:
    """The report's gallery: a small card per persona (links to its card and page) and the theme x persona heatmap.

    pages: persona id -> {"card": href, "html": href}.
    """
    out = ['<div class="gallery">']
    for card in cards:
        links = pages.get(card.persona_id, {})
        top = [c for s in card.sections if s.key not in ("quotes", "who") for c in s.claims if c.prevalence]
        top.sort(key=lambda c: -(c.support_count / c.prevalence.of) if c.prevalence and c.prevalence.of else 0)
        items = "".join(f"<li>{escape(_clip(c.text, 110))}{_prev(c)}</li>" for c in top[:3])
        summary = f'<p class="summary">{escape(_clip(card.summary, 200))}</p>' if card.summary else ""
        out.append(f'<div class="mini" id="gallery-{escape(card.persona_id)}">{_head(card, "h2")}{summary}'
                   f"<ul>{items}</ul>"
                   f'<div class="links"><a href="{escape(links.get("card", ""))}">card</a> · '
                   f'<a href="{escape(links.get("html", ""))}">full persona with evidence</a></div></div>')
    out.append("</div>")
    svg = charts.heatmap(cards)
    if svg:
        out.append(f'<h2>Themes by persona</h2><img class="heatmap" src="{charts.data_uri(svg)}"{charts.size_attributes(svg)} '
                   'alt="heatmap: share of each persona\'s segment whose words fall in each theme">')
    return "\n".join(out)
