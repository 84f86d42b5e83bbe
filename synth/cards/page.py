"""The full persona page: the card's face and charts, then every claim in the template's sections with its
citations, the figures, and the sources in context.

Each claim shows how many it speaks for; its citations are small numbered links ([3✓]) that open the
quote highlighted in its transcript or review. A claim whose evidence does not hold says so on its line;
a supported claim keeps its verdict and score in a tooltip, one hover or click away.
"""

from __future__ import annotations

from html import escape

from synth.cards.data import PersonaCard
from synth.cards.html import CARD_CSS, _head, chart_strip
from synth.export import FIGURE_LABELS, claim_marker, figure_text, support_text
from synth.export_html import CSS, TONE, _cite_link, _source_html
from synth.personas.sources import SourceList
from synth.records import Claim, Persona, Segment

PAGE_CSS = """
body{background:#fff;max-width:60rem;margin:2rem auto;padding:0 1rem;font-size:16px}
.card{box-shadow:none;padding:0;max-width:none}
.prevfull{font-size:.75rem;color:#2346b0;background:#eef1fb;border-radius:8px;padding:0 .35rem;white-space:nowrap}
.narrative{font-size:1.02rem;color:#333}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.8rem 1.2rem;align-items:start}
li:target,blockquote:target{background:#fff8d6;outline:2px solid #f2c94c}
section.help{color:#666;font-size:.85rem;margin:-.2rem 0 .3rem}
"""


def _claim_html(claim: Claim, sources: SourceList, anchor: str) -> str:
    by_number = {s.n: s for s in sources}
    links = "".join(_cite_link(by_number[sources.number(c)], anchor) for c in claim.citations)
    symbol, words = claim_marker(claim)
    support = support_text(claim).lstrip(", ")
    prev = f' <span class="prevfull">{escape(support)}</span>' if support else ""
    if symbol == "✓":  # holds: the verdict stays in the tooltip
        status = f'<span class="status {TONE[symbol]}" title="claim {escape(words)}">✓</span>'
    else:  # does not hold, or not checked: said on the line, for review
        status = f'<span class="status {TONE[symbol]}">({symbol} {escape(words)})</span>'
    flags = "".join(f'<span class="flag">⚠ {escape(f)}</span>' for f in claim.flags)
    text = escape(claim.text)
    if claim.section == "quotes":
        return f'<blockquote id="claim-{escape(claim.id)}">{text} {links} {status}{flags}</blockquote>'
    return f'<li id="claim-{escape(claim.id)}">{text}{prev} {links} {status}{flags}</li>'


def persona_page(persona: Persona, sources: SourceList, segment: Segment | None, card: PersonaCard,
                 empty: str, card_href: str = "", anchor: str = "src") -> str:
    """The whole page as an HTML document."""
    out = ['<div class="card">', _head(card)]
    if card.review:
        out.append(f'<p class="flag review-state">⚠ {escape(card.review)}</p>')
    if persona.summary:
        out.append(f'<p class="summary">{escape(persona.summary)}</p>')
    if card.narrative:
        out.append(f'<p class="narrative">{escape(" ".join(card.narrative))}</p>')
    if segment is not None:
        out.append(f'<p class="muted">Segment: {escape(segment.label)} · {len(segment.participant_ids)} participants'
                   + (f' · <a href="{escape(card_href)}">one-page card</a>' if card_href else "") + "</p>")
    out.append(chart_strip(card))
    out.append("</div>")
    out.append('<p class="muted">Numbers in brackets are citations: click one to read the quote in context '
               "(✓ found word for word in this segment's participants' words · ✗ not found · ! real words, but the "
               "interviewer's or another segment's). A claim whose quotes do not back it says so on its line.</p>")
    for section in card.sections:
        out.append(f'<h2 id="section-{escape(section.key)}">{escape(section.title)}</h2>')
        if section.help:
            out.append(f'<section class="help">{escape(section.help)}</section>')
        if section.empty:
            out.append(f'<p class="empty">{escape(empty)}</p>')
            continue
        facts = "".join(f'<li class="fact">{escape(line)}</li>' for line in section.facts)
        items = [_claim_html(c, sources, anchor) for c in section.claims]
        if section.key == "quotes" or all(c.section == "quotes" for c in section.claims) and section.claims:
            out.append("\n".join(items) + (f'<ul class="claims">{facts}</ul>' if facts else ""))
        else:
            out.append(f'<ul class="claims">{"".join(items)}{facts}</ul>')
    rows = "".join(f"<tr><th>{escape(label)}</th><td>{escape(figure_text(persona, key, kind))}</td></tr>"
                   for key, label, kind in FIGURE_LABELS)
    out.append(f"<h2>How this persona holds up</h2><table>{rows}</table>")
    out.append("<h2>Sources</h2>")
    out += [_source_html(s, anchor) for s in sources]
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(persona.name)}</title><style>{CSS}{CARD_CSS}{PAGE_CSS}</style></head>\n<body>\n"
            + "\n".join(out) + "\n</body></html>\n")
