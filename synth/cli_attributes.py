"""`synth survey FILE` (what each survey column was taken as) and `synth attributes` (join and profile)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from synth.cli_common import WorkspaceOpt
from synth.cli_common import fail as _fail, workspace_or_exit

console = Console()


def register(app: typer.Typer) -> None:
    """Add `synth survey` and `synth attributes` to the main app."""
    app.command("survey")(survey)
    app.command("attributes")(attributes)


def parse_roles(pairs: list[str]) -> dict[str, str]:
    """["Q7=open", "Plan=single"] -> {"Q7": "open", "Plan": "single"}; exits 2 on a malformed pair."""
    from synth.parsers.survey import ROLES

    out = {}
    for pair in pairs:
        column, sep, role = pair.rpartition("=")
        if not sep or not column or role not in ROLES:
            _fail(f"--column-role {pair!r}: write COLUMN=ROLE with ROLE one of {', '.join(ROLES)}", 2)
        out[column] = role
    return out


def survey(
    path: Path = typer.Argument(..., help="A survey export: .csv or .xlsx from Google Forms, Typeform, SurveyMonkey, Qualtrics."),
    column_role: list[str] = typer.Option([], "--column-role", help="Name a column's role, COLUMN=ROLE (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print the reading as JSON."),
) -> None:
    """Show what each column of a survey export is taken as, before (or after) `synth ingest`.

    Roles: id and email (who answered: one participant per respondent), timestamp, single and multi
    (choices), rating and nps (numbers), ranking (per-item rank columns), open (open-ended answers: the
    evidence), ignore. Closed answers become participant attributes. Override a detection with
    --column-role COLUMN=ROLE here and in `synth ingest`.

    Example: synth survey exports/pulse.csv --column-role "Q12=open"
    """
    from synth.parsers import ParseError
    from synth.parsers.survey import inspect_survey

    try:
        reading = inspect_survey(path, parse_roles(column_role))
    except ParseError as exc:
        _fail(f"{path}: {exc.reason}" + (f" ({exc.fix})" if exc.fix else ""), 2)
    if as_json:
        typer.echo(reading.model_dump_json(indent=2))
        return
    table = Table(title=f"{path.name}: {reading.tool}, {reading.header_rows} extra header row(s)")
    for col in ("column", "question", "option", "taken as", "how", "answered", "example"):
        table.add_column(col, overflow="fold")
    for c in reading.columns:
        table.add_row(c.name, c.question if c.question != c.name else "", c.option, c.role, c.how, str(c.answered),
                      c.example)
    console.print(table)
    if not reading.of("open"):
        console.print("no open-ended column found: name one with --column-role COLUMN=open", style="yellow")


def attributes(
    path: Optional[Path] = typer.Argument(None, help="A CRM or analytics export (.csv, .jsonl, .xlsx); omit to show the profiles."),
    key: Optional[str] = typer.Option(None, "--key", help="The export's column holding an email, user id or handle."),
    match_on: Optional[str] = typer.Option(None, "--match-on", help="Use one rule only: email, user_id or handle."),
    as_json: bool = typer.Option(False, "--json", help="Print the join report and profiles as JSON."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Join customer attributes (plan, revenue, tenure, churn) to participants and profile them per persona.

    Rules, exact after trimming and case-folding, never fuzzy: the key is a participant's email, else
    their user id, else their handle or name. A key that fits several participants, or none, is reported
    and not joined. Survey closed answers are attributes already. Each persona's segment is then shown
    against the whole study: shares for categories ("churned 31% vs 12% overall"), median and quartiles
    for numbers. `synth personas --use-attributes` also segments on them.

    Example: synth attributes crm.csv --key email
    """
    from synth.attributes import AttributeJoinError, join_attributes, load_attributes, profile_segments
    from synth.attributes.join import read_rows
    from synth.attributes.store import save_joined
    from synth.personas.store import load_personas, load_segments
    from synth.search import open_store

    settings = workspace_or_exit(workspace)
    report = None
    with open_store(settings) as store:
        if path is not None:
            if not key:
                _fail("name the join column with --key COLUMN (an email, user id or handle)", 2)
            try:
                joined, report = join_attributes(read_rows(path), key, store.participants(), str(path.resolve()),
                                                 match_on)
            except AttributeJoinError as exc:
                _fail(str(exc), 2)
            save_joined(store, str(path.resolve()), joined)
        values = load_attributes(store)
        personas = load_personas(store)
        segments = {s.id: s.participant_ids for s in load_segments(store)}
    profiles = profile_segments(values, {p.segment_id: segments.get(p.segment_id, []) for p in personas})
    if as_json:
        typer.echo(json.dumps({"join": report.model_dump() if report else None,
                               "personas": {p.name: [a.model_dump() for a in profiles.get(p.segment_id, [])]
                                            for p in personas}}, indent=2))
        return
    if report:
        console.print(f"{report.matched} of {report.rows} rows joined ({', '.join(f'{n} by {r}' for r, n in report.by_rule.items()) or 'none'}); "
                      f"{len(report.unmatched)} unmatched, {len(report.ambiguous)} ambiguous")
        for what, keys in (("unmatched", report.unmatched), ("ambiguous", report.ambiguous)):
            if keys:
                console.print(f"  {what}: {', '.join(keys[:10])}{' ...' if len(keys) > 10 else ''}")
    if not personas:
        console.print("no personas yet: run `synth personas` to profile the attributes per persona")
        return
    for p in personas:
        lines = [a.line() for a in profiles.get(p.segment_id, [])]
        console.print(f"[bold]{p.name}[/bold]" + ("" if lines else ": no attributes"))
        for line in lines:
            console.print(f"  {line}")
    if report and report.matched == 0:
        raise typer.Exit(1)
