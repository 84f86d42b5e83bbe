"""`synth match`: score leads, customers or tickets against the study's personas."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from synth.cli_common import WorkspaceOpt
from synth.cli_common import fail as _fail, workspace_or_exit

console = Console()


def register(app: typer.Typer) -> None:
    """Add `synth match` to the main app."""
    app.command("match")(match)


def match(
    path: Optional[Path] = typer.Argument(None, help="A CSV or JSONL of rows (a text column and/or attribute columns), "
                                        "or a ticket or survey export (one row per ticket or response)."),
    text: Optional[str] = typer.Option(None, "--text", help="Match one text instead of a file."),
    text_column: Optional[str] = typer.Option(None, help="The column with the text \\[default: detected]."),
    id_column: Optional[str] = typer.Option(None, help="The column with the row id \\[default: detected]."),
    threshold: float = typer.Option(0.5, "--threshold", min=0.0, max=1.0,
                                    help="Calibrated score under which a row is 'no persona fits'."),
    csv_out: Optional[Path] = typer.Option(None, "--csv", help="Also write one line per row to this CSV."),
    as_json: bool = typer.Option(False, "--json", help="Print every result as JSON lines."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Score rows against the personas: best persona, calibrated score, runner-up, and why.

    The score is the probability that the best persona is the row's own, calibrated on the study's
    participants (each scored with themselves left out). Rows under --threshold, or unlike anyone
    studied, are "no persona fits" rather than forced. Why: the persona's claims whose cited words are
    nearest the row (with the quote), and the row's attributes the persona's segment holds more often.

    Example: synth match leads.csv --csv scored.csv      or      synth match --text "our exports time out"
    """
    from rich.progress import Progress

    from synth.match import MatchError, Matcher, read_inputs, write_csv

    settings = workspace_or_exit(workspace)
    try:
        rows = read_inputs(path, text, text_column, id_column)
        matcher = Matcher(settings, threshold)
    except MatchError as exc:
        _fail(str(exc), 2)
    with Progress(console=console, transient=True, disable=as_json or len(rows) < 50) as bar:
        task = bar.add_task("matching", total=len(rows))
        results = matcher.match(rows, progress=lambda n: bar.advance(task, n))
    if csv_out:
        write_csv(results, csv_out)
    if as_json:
        for r in results:
            typer.echo(r.model_dump_json())
        return
    table = Table(title=f"{len(results)} rows matched against {len(matcher.personas)} personas "
                        f"(calibration: leave-one-out accuracy {matcher.model.calibration.loo_accuracy:.0%} "
                        f"on {matcher.model.calibration.participants} participants)")
    for col in ("row", "persona", "score", "runner-up", "why"):
        table.add_column(col, overflow="fold")
    for r in results:
        why = r.reason or "; ".join(f"{c.claim} (\"{c.quote[:80]}\" [{c.chunk_id}])" for c in r.claims[:2])
        why += "".join(f"; {a.name}={a.value}: {a.segment_share:.0%} vs {a.overall_share:.0%} overall" for a in r.attributes)
        table.add_row(r.id or str(r.row), r.persona, f"{r.score:.2f}", r.runner_up or "", why)
    console.print(table)
    if csv_out:
        console.print(f"wrote {csv_out}")
