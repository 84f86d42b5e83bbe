"""`synth speakers`: who speaks in each transcript, with their role and how it was decided; `set` and
`merge` fix what synth got wrong, and the fix is kept across re-ingests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table
from typer.core import TyperGroup

from synth.cli_common import JsonOpt, WorkspaceOpt, console
from synth.cli_common import fail as _fail, settings_or_exit as _settings

ROLES = ("interviewer", "participant", "other")


class _ShowByDefault(TyperGroup):
    """`synth speakers [FILE...]` lists; `synth speakers set ...` and `merge ...` are subcommands."""

    def parse_args(self, ctx, args):  # noqa: ANN001 - click's signature
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["show", *args]
        return super().parse_args(ctx, args)


speakers_app = typer.Typer(
    cls=_ShowByDefault,
    help="Who speaks in each transcript: role (interviewer, participant, other) and how it was decided.\n\n"
    "`synth speakers` lists every transcript; `synth speakers FILE` one. Fix a role with "
    "`synth speakers set FILE SPEAKER --role participant`, join two labels of one person with "
    "`synth speakers merge FILE KEEP OTHER`. Fixes are kept in the workspace and survive re-ingest.",
    rich_markup_mode="rich",
)


@speakers_app.command("show", hidden=True)
def show(
    files: Optional[list[str]] = typer.Argument(None, help="Transcripts to show (a path or file name); all when omitted."),
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = JsonOpt,
) -> None:
    """List each transcript's speakers: role, how it was decided, turns, words, questions, first line.

    Example: synth speakers interviews/p07.txt
    """
    from synth.speaker_overrides import SpeakerFixError, resolve_file, transcript_files
    from synth.speakers import speaker_table, speaker_warnings
    from synth.workspace import WorkspaceError, open_store

    settings = _settings(workspace)
    try:
        with open_store(settings) as store:
            stored = transcript_files(store)
    except WorkspaceError as exc:
        _fail(str(exc), 2)
    try:
        chosen = [resolve_file(f, list(stored)) for f in files] if files else list(stored)
    except SpeakerFixError as exc:
        _fail(str(exc), 2)
    if not chosen:
        _fail("no transcripts in the workspace — run `synth ingest FOLDER` first", 2)
    out = []
    for path in chosen:
        for doc in stored[path]:
            warning = speaker_warnings(doc)
            out.append({
                "file": path, "layout": doc.metadata.get("layout", doc.format), "kind": doc.kind.value,
                "warning": warning[0][0] if warning else None,
                "speakers": [row.model_dump(mode="json") for row in speaker_table(doc)],
            })
    if as_json:
        typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    _print_tables(out)


def _print_tables(files: list[dict]) -> None:
    from synth.terminal import markup

    for item in files:
        table = Table(
            title=f"[bold]{markup(Path(item['file']).name)}[/]  [dim]{markup(item['layout'])}[/]",
            title_justify="left", caption="?: share of their turns that are questions", caption_justify="left",
        )
        table.add_column("speaker", no_wrap=True, overflow="ellipsis", max_width=24)
        table.add_column("role", no_wrap=True)
        table.add_column("turns", justify="right", no_wrap=True)
        table.add_column("words", justify="right", no_wrap=True)
        table.add_column("?", justify="right", no_wrap=True, header_style="bold")
        table.add_column("how decided · first line", ratio=1)
        for row in item["speakers"]:
            how = markup(row["how"])
            if row["variants"]:
                how += f" [dim](also written {markup(', '.join(row['variants']))})[/]"
            colour = {"interviewer": "cyan", "participant": "green", "other": "magenta"}.get(row["role"], "dim")
            table.add_row(markup(row["speaker"]), f"[{colour}]{row['role']}[/]", str(row["turns"]), str(row["words"]),
                          f"{row['questions']:.0%}", f"{how}\n[dim]“{markup(row['first_line'][:90])}”[/]")
        if not item["speakers"]:
            table.add_row("[dim]nobody[/]", "", "", "", "", "read as prose" if item["kind"] == "document" else "")
        console.print(table)
        if item["warning"]:
            console.print(f"  [yellow]check:[/] {markup(item['warning'])}", highlight=False)


@speakers_app.command("set")
def set_role(
    file: str = typer.Argument(..., help="The transcript (a path or file name)."),
    speaker: str = typer.Argument(..., help="The speaker label as `synth speakers FILE` shows it."),
    role: str = typer.Option(..., "--role", "-r", help="interviewer, participant or other."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Set one speaker's role; their words become (or stop being) evidence at once.

    Example: synth speakers set p07.txt "Interviewer 2" --role interviewer
    """
    from synth.records import Role
    from synth.speaker_overrides import set_role as run_set

    if role not in ROLES:
        _fail(f"--role must be interviewer, participant or other, not {role!r}", 2)
    _fix(workspace, lambda store, vectors, settings: run_set(store, vectors, settings, file, speaker, Role(role)))


@speakers_app.command("merge")
def merge(
    file: str = typer.Argument(..., help="The transcript (a path or file name)."),
    keep: str = typer.Argument(..., help="The label to keep."),
    other: str = typer.Argument(..., help="The label that is the same person; it becomes KEEP."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Join two labels of one person in one transcript (a typo, a renamed speaker).

    Example: synth speakers merge p07.txt Participant "Partcipant"
    """
    from synth.speaker_overrides import merge as run_merge

    _fix(workspace, lambda store, vectors, settings: run_merge(store, vectors, settings, file, keep, other))


def _fix(workspace: Optional[Path], action) -> None:
    from synth.embedders import EmbedderError
    from synth.speaker_overrides import SpeakerFixError
    from synth.store import Store
    from synth.terminal import markup
    from synth.vectors import VectorStore, VectorStoreError
    from synth.workspace import WorkspaceError, require_workspace, write_lock

    settings = _settings(workspace)
    try:
        require_workspace(settings)
        with write_lock(settings.workspace, "synth speakers"), Store(settings.db_path) as store:
            vectors = VectorStore(settings.embedder, path=settings.chroma_path, url=settings.chroma_url)
            result = action(store, vectors, settings)
            has_themes = _has_table(store, "themes")
    except SpeakerFixError as exc:
        _fail(str(exc), 2)
    except WorkspaceError as exc:
        _fail(str(exc), 2)
    except (EmbedderError, VectorStoreError) as exc:
        _fail(str(exc))
    console.print(
        f"[green]✓[/] {markup(result.done)} in {markup(Path(result.path).name)}: evidence chunks "
        f"{result.chunks_before} → {result.chunks_after} ({result.embedded} newly embedded)", highlight=False,
    )
    console.print("  kept in the workspace: later ingests of this file apply it too", style="dim")
    if has_themes:
        console.print("  themes and personas were built before this fix: re-run `synth run` "
                      "(or `synth themes` then `synth personas`) to rebuild them on it", highlight=False)


def _has_table(store, name: str) -> bool:
    row = store.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None and store.db.execute(f"SELECT 1 FROM {name} LIMIT 1").fetchone() is not None
