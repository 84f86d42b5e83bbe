"""Self-contained HTML pieces for persona pages (citation links, sources in context) and the run report's index:
inline CSS, no scripts, no external assets. The persona page itself is laid out by synth.cards.page.

All source text goes through html.escape: a review that contains `<script>` is shown, never run.
Every citation links to its entry in the Sources section, where the quote is highlighted (<mark>)
inside its turn with the neighbouring turns of the transcript, or with a review's metadata.
"""

from __future__ import annotations

from html import escape

from synth.personas.sources import Source, marker

CSS = """
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1d1d1f;background:#fff}
h1{margin-bottom:.2rem}h2{margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.summary{font-style:italic;color:#444}.muted{color:#666;font-size:.9rem}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:left}
ul.claims{padding-left:1.2rem}ul.claims li{margin:.4rem 0}
.cite{text-decoration:none;font-size:.8rem;vertical-align:super;padding:0 .1rem}
.ok{color:#0a7d32}.bad{color:#b3261e}.warn{color:#9a6700}.none{color:#666}
.flag{display:block;color:#9a6700;font-size:.85rem}.status{font-size:.85rem}
blockquote{margin:.5rem 0;padding:.3rem .8rem;border-left:4px solid #ccc;background:#fafafa}
.source{border:1px solid #e2e2e2;border-radius:6px;padding:.6rem .8rem;margin:.8rem 0}
.source:target{outline:3px solid #f2c94c}
.turn{margin:.3rem 0;padding:.2rem .5rem;border-left:3px solid #eee}.turn.focus{border-left-color:#f2c94c}
.turn .who{font-weight:600;font-size:.85rem}.turn.interviewer .who{color:#666}
mark{background:#fff3b0;padding:0 .1rem}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;font-size:.9rem}dt{color:#666}
"""
TONE = {"✓": "ok", "✗": "bad", "!": "warn", "?": "none"}


def page(title: str, body: str, extra_css: str = "") -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}{extra_css}</style></head>\n<body>\n{body}\n</body></html>\n")


def _gallery_css() -> str:
    from synth.cards.html import CARD_CSS

    # The card sheet's page-level rules stay with the card; the report keeps its own body.
    return CARD_CSS + "body{background:#f4f5f7;max-width:72rem;margin:1.5rem auto;padding:0 1rem}"


def _cite_link(s: Source, anchor: str) -> str:
    symbol, words = marker(s.verdict)
    return (f'<a class="cite {TONE[symbol]}" href="#{anchor}-{s.n}" title="{escape(words)}">'
            f"[{s.n}{symbol}]</a>")


def _source_html(s: Source, anchor: str) -> str:
    symbol, words = marker(s.verdict)
    where = " · ".join(escape(x) for x in (s.file, s.speaker, s.location) if x) or "unknown source"
    head = (f'<div class="source" id="{anchor}-{s.n}"><div><strong>[{s.n}]</strong> '
            f'<span class="{TONE[symbol]}">{symbol} {escape(words)}</span> · {where}</div>')
    parts = [head]
    if not s.located:
        parts.append(f'<p>Quoted: <q>{escape(s.citation.quote)}</q></p>')
    if s.metadata:
        parts.append('<dl class="meta">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in s.metadata)
                     + "</dl>")
    for t in s.context:
        cls = "turn" + (" focus" if t.focus else "") + (" interviewer" if t.role == "interviewer" else "")
        who = " · ".join(escape(x) for x in (t.speaker, t.location) if x)
        if t.quote:
            text = f"{escape(t.before)}<mark>{escape(t.quote)}</mark>{escape(t.after)}"
        else:
            text = escape(t.text)
        parts.append(f'<div class="{cls}"><div class="who">{who}</div>{text}</div>')
    parts.append("</div>")
    return "".join(parts)


def _share(value) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def render_report(data: dict, gallery: str = "") -> str:
    """The run report's index page: corpus, a gallery of persona cards (an HTML fragment, synth.cards.html),
    personas with figures and links, themes."""
    totals = data["corpus"]["totals"]
    out = ["<h1>synth report</h1>",
           f'<p class="muted">{totals["documents"]} documents from {totals["participants"]} participants '
           f'({totals["evidence_chunks"]} evidence chunks) · LLM: {escape(str(data["llm"]))} · '
           f'embedder: {escape(str(data["embedder"]))} · {escape(str(data["created_at"]))}</p>',
           "<h2>Personas</h2>", gallery,
           "<h2>How each persona holds up</h2>" if gallery else "",
           "<table><tr><th>#</th><th>persona</th><th>participants</th><th>claims supported</th>"
           "<th>citations verbatim</th><th>participants cited</th><th>leading themes cited</th><th>overlap</th>"
           "<th>claims citing each source kind</th></tr>"]
    for i, p in enumerate(data["personas"], 1):
        f = p["figures"]
        out.append(
            f'<tr><td>{i}</td><td><a href="{escape(p["files"]["html"])}">{escape(p["name"])}</a>'
            f'<div class="muted">{escape(p["summary"])}</div><div class="muted">{escape(p["segment"])}</div></td>'
            f'<td>{p["participants"]}</td><td>{_share(f.get("claims_supported_share"))}</td>'
            f'<td>{_share(f.get("citations_verbatim_share"))}</td><td>{_share(f.get("participants_covered"))}</td>'
            f'<td>{_share(f.get("themes_covered"))}</td><td>{f.get("overlap_with_others", 0):.2f}</td>'
            f'<td>{escape(" · ".join(f"{k} {v:.0%}" for k, v in (f.get("claims_by_kind") or {}).items()) or "n/a")}'
            "</td></tr>")
    out.append("</table>")
    out += ["<h2>Themes</h2>", "<table><tr><th>theme</th><th>chunks</th><th>participants</th><th>keywords</th></tr>"]
    for t in data["themes"]:
        out.append(f'<tr><td>{escape(t["label"])}<div class="muted">{escape(t["description"])}</div></td>'
                   f'<td>{t["chunks"]}</td><td>{t["participants"]}</td>'
                   f'<td>{escape(", ".join(t["keywords"][:6]))}</td></tr>')
    out.append("</table>")
    if data.get("diff"):  # what changed since the previous run (synth diff)
        out.append(f'<h2>Changes since the previous run</h2><p>{escape(data["diff"]["summary"])} '
                   f'<a href="{escape(data["diff"]["file"])}">What changed</a>.</p>')
    if data.get("notes"):  # nothing quotable, segments without a persona, thin personas
        out.append("<h2>Notes</h2><ul>" + "".join(f"<li>{escape(n)}</li>" for n in data["notes"]) + "</ul>")
    failed = data["corpus"].get("files_failed") or []
    if failed:
        out.append("<h2>Files not read</h2><ul>" + "".join(
            f"<li>{escape(x['path'])}: {escape(x['reason'])} ({escape(x['fix'])})</li>" for x in failed) + "</ul>")
    if "eval" in data:
        ev = data["eval"]
        verdict = "all gates passed" if ev["passed"] else "gates failed: " + "; ".join(
            escape(f["message"]) for f in ev["failures"])
        out.append(f'<h2>Evaluation</h2><p>{verdict}. Every citation was re-verified against its source: '
                   f'<a href="{escape(ev["file"])}">evaluation report</a>.</p>')
    times = ", ".join(f"{escape(k)} {v}s" for k, v in data.get("seconds", {}).items())
    out.append(f'<p class="muted">Times: {times}. report.json holds everything on this page.</p>')
    return page("synth report", "\n".join(out), extra_css=_gallery_css() if gallery else "")
