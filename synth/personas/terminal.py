"""A persona in the terminal (rich): header and figures, claims with numbered citations, the source list."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from synth.export import FIGURE_LABELS, SECTION_TITLES, claim_marker, figure_text, sections, support_text
from synth.personas.sources import SourceList, marker
from synth.records import Persona, Segment
from synth.terminal import markup as escape, printable

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
    table.add_column("file", ratio=1, overflow="fold")
    table.add_column("speaker", ratio=1, overflow="fold")
    table.add_column("where", no_wrap=True)
    for s in sources:
        symbol, words = marker(s.verdict)
        quote = s.citation.quote if len(s.citation.quote) <= 160 else s.citation.quote[:157] + "…"
        table.add_row(str(s.n), Text(f"{symbol} {words}", style=STYLE[symbol]), escape(quote),
                      escape(s.file), escape(s.speaker), escape(s.location))
    console.print(table)
    console.print(Text("✓ verified in a participant's own words from this segment · ✗ not found · "
                       "! real words, but the interviewer's or another segment's", style="dim"))
