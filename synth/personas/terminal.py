"""A persona in the terminal (rich): a one-screen summary by the persona template, or (--full) the header and
figures, every claim with numbered citations, and the source list."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from synth.export import FIGURE_LABELS, SECTION_TITLES, claim_marker, figure_text, sections, support_text
from synth.personas.sources import SourceList, marker
from synth.records import Persona, Segment
from synth.terminal import markup as escape, printable, whole_column

STYLE = {"✓": "green", "✗": "red", "!": "yellow", "?": "dim"}


def _cites(claim, sources: SourceList) -> Text:
    out = Text()
    for c in claim.citations:
        symbol, _ = marker(c.verdict)
        out.append(f"[{sources.number(c)}{symbol}]", style=STYLE[symbol])
    return out


def print_persona(console: Console, persona: Persona, sources: SourceList, segment: Segment | None) -> None:
    head = [Text(printable(persona.name), style="bold")]
    if persona.summary:
        head.append(Text(printable(persona.summary), style="italic"))
    if segment is not None:
        head.append(Text(f"Segment: {printable(segment.label)} · {len(segment.participant_ids)} participants",
                         style="dim"))
    figures = " · ".join(f"{label} {figure_text(persona, key, kind)}" for key, label, kind in FIGURE_LABELS)
    head.append(Text(figures, style="cyan"))
    console.print(Panel(Group(*head), expand=True))

    for section, claims in sections(persona):
        console.print(Text(SECTION_TITLES.get(section, section.title()), style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=3, justify="right")
        grid.add_column(ratio=1)
        for claim in claims:
            symbol, words = claim_marker(claim)
            body = Text(printable(f"“{claim.text}”" if section == "quotes" else claim.text))
            body.append(" ")
            body.append_text(_cites(claim, sources))
            support = support_text(claim)
            body.append(f"  ({words}{support})", style="dim")
            for flag in claim.flags:
                body.append(f"\n⚠ {printable(flag)}", style="yellow")
            grid.add_row(Text(symbol, style=STYLE[symbol]), body)
        console.print(grid)
        console.print()

    table = Table(title="Sources", title_justify="left", expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("quote", ratio=3, overflow="fold")
    whole_column(table, "file", [s.file for s in sources], cap=28)
    whole_column(table, "speaker", [s.speaker for s in sources], cap=16)
    table.add_column("where", no_wrap=True)
    for s in sources:
        symbol, words = marker(s.verdict)
        quote = s.citation.quote if len(s.citation.quote) <= 160 else s.citation.quote[:157] + "…"
        table.add_row(str(s.n), Text(symbol if s.verdict.value == "verified" else f"{symbol} {words}", style=STYLE[symbol]), escape(quote),
                      escape(s.file), escape(s.speaker), escape(s.location))
    console.print(table)
    console.print(Text("✓ verified in a participant's own words from this segment · ✗ not found · "
                       "! real words, but the interviewer's or another segment's", style="dim"))


def _prevalence(claim) -> str:
    p = claim.prevalence
    return f"{claim.support_count}/{p.of}" if p is not None and p.of and claim.support_count else ""


def print_persona_summary(console: Console, persona: Persona, segment: Segment | None, template,
                          number: int | None = None, per_section: int = 3, facts: dict | None = None) -> None:
    """One screen: who it is, then up to `per_section` claims per template section, one line each, with how many
    they speak for; a claim that does not hold is marked. Citations and sources are one flag away (--full)."""
    from synth.cards.template import fill

    first, _, descriptor = persona.name.partition(",")
    head = Text(printable(first.strip()), style="bold")
    if descriptor.strip():
        head.append(f", {printable(descriptor.strip())}", style="bold cyan")
    lines = [head]
    if persona.summary:
        lines.append(Text(printable(persona.summary), style="italic"))
    f = persona.figures
    figures = (f"{f.get('claims_supported', 0)} of {f.get('claims_total', len(persona.claims))} claims supported · "
               f"{f.get('citations_verbatim', 0)} of {f.get('citations_total', 0)} quotes word for word")
    if segment is not None:
        figures = f"{len(segment.participant_ids)} participants · {figures}"
    lines.append(Text(figures, style="dim"))
    console.print(Panel(Group(*lines), expand=True))

    empty = []
    width = max(30, console.width - 12)
    for section in fill(persona, template, facts):
        if section.empty:
            empty.append(section.title)
            continue
        console.print(Text(section.title, style="bold underline"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1)
        grid.add_column(no_wrap=True, overflow="ellipsis", max_width=width)
        grid.add_column(justify="right", no_wrap=True, style="cyan")
        for claim in section.claims[:per_section]:
            symbol, _ = claim_marker(claim)
            text = f"“{claim.text}”" if claim.section == "quotes" else claim.text
            mark = Text("" if symbol == "✓" else symbol, style=STYLE[symbol])
            grid.add_row(mark, Text(printable(" ".join(text.split()))), _prevalence(claim))
        more = len(section.claims) - per_section
        if more > 0:
            grid.add_row("", Text(f"… {more} more", style="dim"), "")
        for line in section.facts[: max(0, per_section - len(section.claims[:per_section]))]:
            grid.add_row(Text("▪", style="dim"), Text(printable(line), style="dim"), "")
        console.print(grid)
    if empty:
        console.print(Text(f"no evidence in this segment: {', '.join(empty)}", style="dim"))
    key = str(number) if number else persona.id
    console.print(Text(f"n/m: participants a claim speaks for · ✗ a claim whose quotes do not back it · "
                       f"every claim with citations and sources: synth show {key} --full · "
                       f"a card to share: synth export {key} -f card", style="dim"))
