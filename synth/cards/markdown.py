"""A persona as Markdown laid out by the persona template: the same sections, in the same order, as its card
and full page; a section with nothing behind it says so. Citations are numbered with their markers."""

from __future__ import annotations

from synth.cards.template import PersonaTemplate, fill
from synth.export import FIGURE_LABELS, _md, claim_marker, figure_text, review_line, support_text
from synth.personas.sources import SourceList, marker
from synth.records import Claim, Persona, Segment


def _claim_line(claim: Claim, sources: SourceList) -> list[str]:
    refs = " ".join(f"[{sources.number(c)}{marker(c.verdict)[0]}]" for c in claim.citations)
    symbol, words = claim_marker(claim)
    support = support_text(claim).lstrip(", ")
    status = f"{symbol} {words}" + (f", {support}" if support else "")
    text = f"> {_md(claim.text)}" if claim.section == "quotes" else f"- {_md(claim.text)}"
    return [f"{text} {refs} *({status})*".rstrip(), *[f"  - ⚠ {_md(flag)}" for flag in claim.flags]]


def persona_markdown(persona: Persona, sources: SourceList, segment: Segment | None, template: PersonaTemplate,
                     facts: dict[str, list[str]] | None = None) -> str:
    lines = [f"# {_md(persona.name)}", ""]
    if review_line(persona):
        lines += [f"> **⚠ {_md(review_line(persona))}**", ""]
    lines += [f"*{_md(persona.summary)}*" if persona.summary else "", ""]
    narrative = [c.text for c in persona.claims if c.section == "narrative"]
    if narrative:
        lines += [_md(" ".join(narrative)), ""]
    if segment is not None:
        lines += [f"Segment: {_md(segment.label)} ({len(segment.participant_ids)} participants)", ""]
    lines += ["Markers: ✓ verified in its source · ✗ not found / not supported · ! real words, but not "
              "this segment's participants (or the interviewer's) · ? not checked.", ""]
    for section in fill(persona, template, facts):
        lines += [f"## {_md(section.title)}", ""]
        if section.empty:
            lines += [f"*{_md(template.empty)}*", ""]
            continue
        for claim in section.claims:
            lines += _claim_line(claim, sources)
        lines += [f"- ▪ {_md(line)}" for line in section.facts]
        lines.append("")
    lines += ["## How this persona holds up", "", "| figure | value |", "|---|---|"]
    lines += [f"| {label} | {figure_text(persona, key, kind)} |" for key, label, kind in FIGURE_LABELS]
    lines += ["", "## Sources", ""]
    for s in sources:
        symbol, words = marker(s.verdict)
        where = ", ".join(x for x in (s.file, s.speaker, s.location) if x)
        lines.append(f"{s.n}. {symbol} {words}: \"{_md(s.citation.quote)}\" ({_md(where) or 'unknown source'})")
    return "\n".join(lines).rstrip() + "\n"
