"""`synth diff` as a self-contained HTML page (the run report links to it as diff.html)."""

from __future__ import annotations

from html import escape

from synth.diff import PersonaChange, RunDiff
from synth.export_html import page


def _list(title: str, items: list[str], limit: int = 50) -> str:
    if not items:
        return ""
    more = f"<li class='muted'>… and {len(items) - limit} more</li>" if len(items) > limit else ""
    return (f"<h4>{escape(title)} ({len(items)})</h4><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items[:limit])
            + more + "</ul>")


def _persona(p: PersonaChange) -> str:
    head = f"<h3>{escape(p.name)} <span class='muted'>{escape(p.change)} · {p.participants} participants · {escape(p.id)}"
    head += (f" · was {escape(p.old_name)}" if p.old_name else "") + "</span></h3>"
    if p.change == "continued" and not p.changed:
        return head + "<p class='muted'>No change.</p>"
    out = [head]
    if p.shifts:
        rows = "".join(f"<tr><td>{escape(s.section)}</td><td>{escape(s.text)}</td><td>{escape(s.old)}</td>"
                       f"<td>{escape(s.new)}</td></tr>" for s in p.shifts)
        out.append(f"<h4>Prevalence shifts ({len(p.shifts)})</h4><table><tr><th>section</th><th>claim</th>"
                   f"<th>before</th><th>now</th></tr>{rows}</table>")
    if p.change != "new":
        out.append(_list("New claims", p.claims_new))
    out.append(_list("Dropped claims", p.claims_dropped))
    if p.change != "new":
        out.append(_list("New participants", p.participants_added))
    out.append(_list("Participants who left", p.participants_left))
    out.append(_list("Newly cited quotes", [f"“{q.quote}” ({q.participant_id or 'unknown'}) for: {q.claim}"
                                            for q in p.quotes_new]))
    return "\n".join(out)


def render_diff(diff: RunDiff) -> str:
    themes = [t for t in diff.themes if t.change != "same"]
    rows = "".join(f"<tr><td>{escape(t.change)}</td><td>{escape(t.label)}</td><td>{t.old_chunks} → {t.new_chunks}</td>"
                   f"<td>{t.old_participants} → {t.new_participants}</td></tr>" for t in themes)
    body = [f"<h1>What changed: run {diff.old} → run {diff.new}</h1>",
            f"<p class='muted'>{escape(diff.old_at)} → {escape(diff.new_at)}</p>",
            f"<p>{escape(diff.summary())}.</p>", "<h2>Themes</h2>",
            f"<table><tr><th>change</th><th>theme</th><th>chunks</th><th>participants</th></tr>{rows}</table>"
            if themes else "<p class='muted'>No theme changed.</p>",
            "<h2>Personas</h2>", *[_persona(p) for p in diff.personas]]
    return page(f"synth diff {diff.old} → {diff.new}", "\n".join(body))
