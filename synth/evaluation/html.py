"""The evaluation as one self-contained HTML page: inline SVG charts, no scripts, every text escaped."""

from __future__ import annotations

from html import escape

from synth.evaluation.findings import KIND_TITLES, Finding
from synth.evaluation.report import GATES, EvalReport, PersonaEval
from synth.evaluation.verdicts import failure_phrase

CHART_METRICS = [
    ("verified_display_fidelity", "Verified-display fidelity"),
    ("quote_fidelity", "Quote fidelity"),
    ("citation_recall", "Citation recall (ALCE)"),
    ("citation_precision", "Citation precision (ALCE)"),
    ("support", "Claim support"),
    ("segment_coverage", "Segment coverage"),
    ("kind_coverage", "Source-kind coverage"),
    ("theme_coverage", "Theme coverage"),
    ("distinctiveness", "Distinctiveness"),
]
_GATE_FOR = {g.metric: g.field for g in GATES}

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1d232b;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #dde;padding-bottom:.2rem}
h3{font-size:1.05rem}table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border-bottom:1px solid #e4e6ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}.fail{color:#b3261e;font-weight:600}
.ok{color:#1b6e3a;font-weight:600}.banner{padding:.6rem 1rem;border-radius:6px;margin:1rem 0}
.banner.fail{background:#fde8e6}.banner.ok{background:#e5f4ea}.muted{color:#667}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts figure{margin:0}
figcaption{font-weight:600;margin-bottom:.2rem}q{font-style:italic}.scroll{overflow-x:auto}
.verdict{padding:.5rem .8rem;border-left:4px solid;margin:.5rem 0}.verdict.fail{border-color:#b3261e;background:#fdf3f2}
.verdict.ok{border-color:#1b6e3a;background:#f1f8f3}.why li{margin:.2rem 0}.why h4{margin:.6rem 0 .2rem;font-size:.95rem}
"""


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def bar_chart(title: str, rows: list[tuple[str, float | None]], threshold: float | None = None) -> str:
    """A horizontal bar chart of values in [0, 1], one bar per row, with an optional threshold line."""
    label_w, bar_w, row_h = 190, 260, 22
    height = row_h * len(rows) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 50}" height="{height}" '
             f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = 4 + i * row_h
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">{_e(short)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{row_h - 6}" fill="#eef0f3"/>')
        if value is not None:
            width = max(0.0, min(1.0, value)) * bar_w
            failing = threshold is not None and value < threshold - 1e-9
            colour = "#d9534f" if failing else "#4a78c2"
            parts.append(f'<rect x="{label_w}" y="{y}" width="{width:.1f}" height="{row_h - 6}" fill="{colour}">'
                         f'<title>{_e(label)}: {value:.3f}</title></rect>')
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}" font-size="12">{_fmt(value)}</text>')
    if threshold is not None:
        x = label_w + max(0.0, min(1.0, threshold)) * bar_w
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 18}" stroke="#222" '
                     f'stroke-dasharray="3,2"><title>threshold {threshold:g}</title></line>')
    parts.append(f'<text x="{label_w}" y="{height - 4}" font-size="10" fill="#667">0</text>'
                 f'<text x="{label_w + bar_w}" y="{height - 4}" font-size="10" fill="#667" text-anchor="end">1</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(report: EvalReport) -> str:
    """Themes (columns) by personas (rows): verified cited chunks per theme, darker for more."""
    themes, personas = report.themes, report.personas
    if not themes or not personas:
        return '<p class="muted">No themes stored: the theme-by-persona heatmap needs `synth themes`.</p>'
    cell, label_w, head_h = 34, 190, 150
    peak = max((p.theme_chunks.get(t.id, 0) for p in personas for t in themes), default=0) or 1
    # Slanted theme labels run up and to the right of their column: leave room for them.
    width, height = label_w + cell * len(themes) + 130, head_h + cell * len(personas) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="theme by persona heatmap"><title>Cited chunks per theme and persona</title>']
    for j, t in enumerate(themes):
        x = label_w + j * cell + cell / 2
        short = t.label if len(t.label) <= 24 else t.label[:23] + "…"
        parts.append(f'<text transform="translate({x:.0f},{head_h - 6}) rotate(-55)" font-size="11">'
                     f'<title>{_e(t.id)}: {_e(t.label)}</title>{_e(short)}</text>')
    for i, p in enumerate(personas):
        y = head_h + i * cell
        short = p.name if len(p.name) <= 28 else p.name[:27] + "…"
        parts.append(f'<text x="{label_w - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end" font-size="12">{_e(short)}</text>')
        leading = set(p.themes_leading)
        for j, t in enumerate(themes):
            n = p.theme_chunks.get(t.id, 0)
            alpha = 0.06 + 0.94 * n / peak if n else 0.0
            x = label_w + j * cell
            stroke = ' stroke="#222" stroke-width="2"' if t.id in leading else ' stroke="#fff"'
            parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="rgba(74,120,194,{alpha:.2f})"'
                         f'{stroke}><title>{_e(p.name)} × {_e(t.label)}: {n} cited chunk(s)'
                         f'{" (leading theme)" if t.id in leading else ""}</title></rect>')
            if n:
                colour = "#fff" if alpha > 0.55 else "#1d232b"
                parts.append(f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4:.0f}" text-anchor="middle" '
                             f'font-size="11" fill="{colour}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts) + '<p class="muted">Outlined cells are the segment\'s leading themes.</p>'


def _summary_table(report: EvalReport) -> str:
    head = "".join(f"<th>{_e(title)}</th>" for _, title in CHART_METRICS)
    rows = []
    failing = {(f.persona_id, f.metric) for f in report.failures}
    for p in report.personas:
        cells = "".join(
            f'<td class="n{" fail" if (p.persona_id, metric) in failing else ""}">{_fmt(getattr(p, metric))}</td>'
            for metric, _ in CHART_METRICS
        )
        rows.append(f"<tr><td>{_e(p.name)}<br><span class=\"muted\">{_e(p.persona_id)}</span></td>"
                    f'<td class="n">{p.claims}</td><td class="n">{p.citations}</td>{cells}'
                    f'<td class="n">{p.counter_evidence}</td></tr>')
    return (f"<div class=\"scroll\"><table><thead><tr><th>persona</th><th>claims</th><th>citations</th>{head}"
            f"<th>claims with counter-evidence</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _link(href: str | None, text: str) -> str:
    return f'<a href="{_e(href)}">{text}</a>' if href else text


def _finding_item(f: Finding, texts: dict[str, str], persona_names: dict[str, str]) -> str:
    claim = texts.get(f.claim_id or "", "")
    where = f"citation [{f.citation}] of " if f.citation else ""
    head = _link(f.link, f"{where}<q>{_e(claim)}</q>") if claim else _link(f.link, "the persona")
    quote = f' · quoted: <q>{_e(f.quote)}</q>' if f.quote and f.quote != claim else ""
    other = ""
    if f.other_persona_id and f.other_persona_id in persona_names:  # evaluated too: jump to it
        other = f' <a class="muted" href="#persona-{_e(f.other_persona_id)}">(see that persona)</a>'
    return f"<li>{head}: {_e(f.message)}{other}{quote}</li>"


def _why(p: PersonaEval, report: EvalReport) -> str:
    """What failed and why: the gates missed in words, then each finding under its kind, linked to its claim."""
    texts = {c.id: c.text for c in p.claim_evals}
    names = {x.persona_id: x.name for x in report.personas}
    out = []
    failures = [f for f in report.failures if f.persona_id == p.persona_id]
    if failures:
        out.append("<h4>Gates missed</h4><ul>" + "".join(f"<li>{_e(failure_phrase(p, f))} "
                                                         f'<span class="muted">({_e(f.flag)} {f.threshold:g})</span></li>'
                                                         for f in failures) + "</ul>")
    for kind, title in KIND_TITLES.items():
        found = [f for f in p.findings if f.kind == kind]
        if found:
            items = "".join(_finding_item(f, texts, names) for f in found)
            out.append(f"<h4>{_e(title[0].upper() + title[1:])} ({len(found)})</h4><ul>{items}</ul>")
    return f'<div class="why">{"".join(out)}</div>' if out else ""


def _persona_section(p: PersonaEval, report: EvalReport | None = None) -> str:
    report = report or EvalReport(workspace="", judge="", created_at="", personas=[p])
    style = "ok" if p.passed else "fail"
    review = f' · {_link(p.link, "open in the review app")}' if p.link else ""
    out = [f'<h3 id="persona-{_e(p.persona_id)}">{"✓" if p.passed else "✗"} {_e(p.name)}</h3>',
           f'<p class="verdict {style}">{_e(p.verdict or ("Passes." if p.passed else "Fails."))}</p>',
           f'<p class="muted">segment {_e(p.segment_id)} · {p.participants_cited} of {p.segment_participants} '
           f"participants counted · source kinds quoted: {_e(', '.join(p.kinds_cited) or 'none')} "
           f"(the segment has {_e(', '.join(p.kinds_present) or 'none')}) · verdicts: "
           f"{_e(', '.join(f'{k} {v}' for k, v in p.verdicts.items()) or 'none')}{review}</p>",
           _why(p, report)]
    for note in p.notes:
        out.append(f'<p class="fail">{_e(note)}</p>' if "not verified" in note else f'<p class="muted">{_e(note)}</p>')
    if p.tampered:
        rows = "".join(f"<tr><td>{_e(c.claim_id)}</td><td>{_e(c.chunk_id)}</td><td><q>{_e(c.quote)}</q></td>"
                       f'<td class="fail">{_e(c.verdict.value)}</td></tr>' for c in p.tampered)
        out.append("<p class=\"fail\">Shown as verified, but not verified now:</p><table><thead><tr><th>claim</th>"
                   f"<th>chunk</th><th>quote</th><th>re-verified</th></tr></thead><tbody>{rows}</tbody></table>")
    rows = []
    cited: dict[str, list[str]] = {}
    for check in p.checks:
        style = "ok" if check.verdict.value == "verified" else "fail"
        cited.setdefault(check.claim_id, []).append(
            f'<li><q>{_e(check.quote)}</q> <span class="{style}">{_e(check.verdict.value)}</span></li>')
    flagged = {f.claim_id for f in p.findings}
    for c in p.claim_evals:
        counter = "".join(f"<li>contradicted by <q>{_e(x.quote)}</q> <span class=\"muted\">({_e(x.reason)})</span></li>"
                          for x in c.counter_evidence)
        evidence = "".join(cited.get(c.id, [])) + counter
        mark = ' <span class="fail">⚑</span>' if c.id in flagged else ""
        if c.review in ("rejected", "flagged"):
            mark += f' <span class="fail">(review: {_e(c.review)})</span>'
        rows.append(
            f"<tr><td>{_e(c.section)}</td><td>{_link(c.link, _e(c.text))}{mark}"
            f"{f'<ul>{evidence}</ul>' if evidence else ''}</td>"
            f'<td class="n">{c.verified}/{c.citations}</td>'
            f'<td class="{"ok" if c.recall_supported else "fail"}">{"yes" if c.recall_supported else "no"}</td>'
            f'<td class="{"ok" if c.supported else "fail"}">{c.score:.2f}</td></tr>'
        )
    out.append("<details><summary>Every claim, its citations (re-verified) and counter-evidence</summary>"
               "<table><thead><tr><th>section</th><th>claim (⚑: something above is about it)</th><th>verified/cited</th>"
               f"<th>recall</th><th>support</th></tr></thead><tbody>{''.join(rows)}</tbody></table></details>")
    return "".join(out)


def _verdicts(report: EvalReport) -> str:
    rows = "".join(
        f'<tr><td><a href="#persona-{_e(p.persona_id)}">{_e(p.name)}</a></td>'
        f'<td class="{"ok" if p.passed else "fail"}">{"passes" if p.passed else "fails"}</td>'
        f"<td>{_e(p.verdict)}</td></tr>" for p in report.personas)
    return f"<table><thead><tr><th>persona</th><th></th><th>verdict</th></tr></thead><tbody>{rows}</tbody></table>"


def render_html(report: EvalReport) -> str:
    """The report as a standalone HTML document."""
    if report.failures:
        items = "".join(f"<li>{_e(f.message)}</li>" for f in report.failures)
        banner = f'<div class="banner fail"><strong>{len(report.failures)} gate(s) failed</strong><ul>{items}</ul></div>'
    else:
        banner = '<div class="banner ok"><strong>All gates passed.</strong></div>'
    notes = "".join(f"<li>{_e(n)}</li>" for n in report.notes)
    charts = []
    for metric, title in CHART_METRICS:
        field = _GATE_FOR.get(metric)
        threshold = getattr(report.thresholds, field) if field else None
        rows = [(p.name, getattr(p, metric)) for p in report.personas]
        charts.append(f"<figure><figcaption>{_e(title)}</figcaption>{bar_chart(title, rows, threshold)}</figure>")
    return "".join([
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>synth eval: {_e(report.workspace)}</title><style>{CSS}</style></head><body>",
        "<h1>synth evaluation</h1>",
        f'<p class="muted">workspace {_e(report.workspace)} · judge {_e(report.judge)} · {_e(report.created_at)}</p>',
        banner,
        "<h2>Verdicts</h2>", _verdicts(report),
        f"<ul>{notes}</ul>" if notes else "",
        "<h2>Per persona: what failed and why</h2>",
        f'<p class="muted">Claim links open the review app: run <code>synth review</code> on this workspace '
        f"({_e(report.review_url)}).</p>" if report.review_url else "",
        "".join(_persona_section(p, report) for p in report.personas),
        "<h2>Scores per persona</h2>", _summary_table(report),
        f'<div class="charts">{"".join(charts)}</div>',
        "<h2>Themes by persona</h2>", f'<div class="scroll">{heatmap(report)}</div>',
        '<p class="muted">Quote fidelity: citations found word for word in their source. Verified-display fidelity: '
        "of the citations stored as verified, the share that re-verify now (must be 1). Citation recall and precision "
        "follow ALCE: a claim is supported by the union of its citations; a citation is irrelevant when the claim "
        "holds without it and it does not support the claim alone.</p>",
        "</body></html>",
    ])
