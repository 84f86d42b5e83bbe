"""`synth history` and `synth diff`: the recorded runs of themes and personas, and what changed between two."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from synth.cli_common import WorkspaceOpt, console, fail, fail_on, workspace_or_exit


def history_command(
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the versions as JSON."),
) -> None:
    """List every recorded run of themes and personas (the versions `synth diff` compares).

    Example: synth history
    """
    from synth.history import list_versions
    from synth.search import WorkspaceError, open_store

    settings = workspace_or_exit(workspace)
    try:
        with open_store(settings) as store:
            versions = list_versions(store)
    except WorkspaceError as exc:
        fail_on(exc)
    if as_json:
        typer.echo(json.dumps([v.model_dump() for v in versions], indent=2, ensure_ascii=False))
        return
    if not versions:
        console.print("no run recorded yet — run `synth run FOLDER` (or `synth themes`, `synth personas`)")
        return
    table = Table("run", "stage", "when", "themes", "personas", "review carried", title="Recorded runs")
    for v in versions:
        s = v.summary
        carried = f"{s.get('carried', 0)} of {s.get('decisions', 0)}, {s.get('orphaned', 0)} to look at" \
            if s.get("decisions") else ""
        table.add_row(str(v.number), v.stage, v.created_at, str(v.themes), str(v.personas), carried)
    console.print(table)


def diff_command(
    old: Optional[int] = typer.Argument(None, help="Earlier run number, see `synth history` (default: the run "
                                                   "before NEW)."),
    new: Optional[int] = typer.Argument(None, help="Later run number (default: the latest)."),
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the changes as JSON."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the changes as an HTML page to this file."),
) -> None:
    """What changed between two runs: themes new, grown, shrunk or retired; per persona, prevalence shifts
    of its claims, new and dropped claims, new participants and newly cited quotes.

    Without arguments it compares the last two runs (of the same stage). `synth run` writes the
    same page as diff.html in the report folder.

    Example: synth diff            (the last two runs)
             synth diff 2 5 --html changes.html
    """
    from synth.diff import diff_versions, participant_labels
    from synth.history import VersionNotFound, default_pair, load_version
    from synth.search import WorkspaceError, open_store

    settings = workspace_or_exit(workspace)
    named = old is not None or new is not None
    try:
        with open_store(settings) as store:
            if old is None and new is None:
                old, new = default_pair(store)
            elif new is None:
                new = default_pair(store)[1]
            result = diff_versions(load_version(store, old), load_version(store, new), participant_labels(store))
    except VersionNotFound as exc:  # a run number that does not exist: usage (2); fewer than two runs yet: 1
        fail(str(exc), 2 if named else 1)
    except WorkspaceError as exc:
        fail_on(exc)
    if html is not None:
        from synth.diff_html import render_diff

        html.write_text(render_diff(result), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps({"summary": result.summary(), **result.model_dump(mode="json")}, indent=2,
                              ensure_ascii=False))
        return
    print_diff(result)
    if html is not None:
        console.print(f"wrote {escape(str(html))}", highlight=False)


def print_diff(diff) -> None:
    console.print(f"[bold]{escape(diff.summary())}[/]", highlight=False)
    themes = [t for t in diff.themes if t.change != "same"]
    if themes:
        table = Table("change", "theme", "chunks", "participants", title="Themes")
        for t in themes:
            table.add_row(t.change, escape(t.label), f"{t.old_chunks} → {t.new_chunks}",
                          f"{t.old_participants} → {t.new_participants}")
        console.print(table)
    for p in diff.personas:
        was = f", was {escape(p.old_name)}" if p.old_name else ""
        console.print(f"\n[bold]{escape(p.name)}[/] ({p.change}{was}, {p.participants} participants)", highlight=False)
        if p.change == "continued" and not p.changed:
            console.print("  no change")
            continue
        # The biggest moves first: a claim that went from 2 of 14 to 9 of 20 matters more than 3 of 14 to 3 of 15.
        shifts = sorted(p.shifts, key=lambda x: -abs((x.new_share or 0) - (x.old_share or 0)))
        for s in shifts[:SHOWN]:
            console.print(f"  {s.old} → {s.new}  {escape(s.text)}", highlight=False)
        if len(shifts) > SHOWN:
            console.print(f"  … {len(shifts) - SHOWN} more prevalence shifts (--json or --html for all)")
        _lines("new claim", p.claims_new if p.change != "new" else [])
        _lines("dropped claim", p.claims_dropped)
        _lines("new participant", p.participants_added if p.change != "new" else [])
        _lines("participant left", p.participants_left)
        _lines("newly cited", [f"“{q.quote}” ({q.participant_id or 'unknown'})" for q in p.quotes_new])


SHOWN = 8  # lines per kind of change and persona in the terminal; --json and --html list everything


def _lines(label: str, items: list[str], limit: int = SHOWN) -> None:
    for item in items[:limit]:
        console.print(f"  + {label}: {escape(item)}" if label != "dropped claim" and label != "participant left"
                      else f"  - {label}: {escape(item)}", highlight=False)
    if len(items) > limit:
        console.print(f"  … {len(items) - limit} more {label}s (--json or --html for all)")


def register(app: typer.Typer) -> None:
    app.command("history")(history_command)
    app.command("diff")(diff_command)
