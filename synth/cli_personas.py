"""`synth personas`, `synth show`, `synth export` and `synth run`: thin commands over synth.personas,
synth.export and synth.run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.console import Console
from synth.terminal import markup as escape  # data in markup: escaped, control characters replaced
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

console = Console()
err = Console(stderr=True)

from synth.cli_common import WorkspaceOpt, LLMOpt  # noqa: E402
from synth.cli_template import TemplateOpt  # noqa: E402
from synth.cli_common import NoWaitOpt, fail_on, workspace_or_exit, writing  # noqa: E402
from synth.cli_common import fail as _fail, settings_or_exit as _settings  # noqa: E402

PersonasOpt = typer.Option(None, "--personas", "-n", min=1, max=20, help="Number of personas \\[default: chosen, 2-8].")


class PersonaBars:
    """One bar per stage (segmenting, drafting, verifying). Silent when disabled.

    Implements `synth.personas.PersonaProgress` (stage, advance) without importing the build pipeline, so that
    listing or running other commands does not pay for it."""

    def __init__(self, disabled: bool = False):
        self.progress = Progress(TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), disable=disabled, transient=False)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> "PersonaBars":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def stage(self, name: str, total: int) -> None:
        self.tasks[name] = self.progress.add_task(name, total=total)

    def advance(self, name: str, n: int = 1) -> None:
        if name in self.tasks:
            self.progress.advance(self.tasks[name], n)


def print_note(target: Console, text: str) -> None:
    """One line a researcher should read: nothing quotable, a segment without a persona, a thin persona."""
    target.print(f"[yellow]note:[/] {escape(text)}", highlight=False, soft_wrap=True)


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def persona_table(personas, segments: dict) -> Table:
    table = Table(title="Personas", title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, padding=0,
                  caption="claims: supported share · verbatim: quotes found word for word · cited: share of the "
                  "segment quoted · themes: leading themes quoted · flags: claims to review", caption_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("persona", min_width=20, max_width=34, overflow="fold")
    for col in ("people", "claims", "verbatim", "cited", "themes", "overlap", "flags"):
        table.add_column(col, justify="right", no_wrap=True)
    for i, p in enumerate(personas, 1):
        f = p.figures
        seg = segments.get(p.segment_id)
        thin = f" [yellow]thin: {escape(f['thin'])}[/]" if f.get("thin") else ""
        table.add_row(
            str(i), f"[bold]{escape(p.name)}[/]{thin}\n[dim]{escape(seg.label) if seg else ''}[/]",
            str(f.get("segment_size", "")), f"{f.get('claims_total', 0)} {_pct(f.get('claims_supported_share'))}",
            _pct(f.get("citations_verbatim_share")), _pct(f.get("participants_covered")),
            _pct(f.get("themes_covered")), f"{f.get('overlap_with_others', 0):.2f}", str(f.get("claims_flagged", "")),
        )
    return table


def personas_command(
    n: Optional[int] = PersonasOpt,
    llm: Optional[str] = LLMOpt,
    no_cache: bool = typer.Option(False, "--no-cache", help="Call the model even when a cached reply exists."),
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the personas as JSON."),
    use_attributes: bool = typer.Option(False, "--use-attributes", help="Let customer attributes (survey answers, "
                                        "`synth attributes` joins) shape the segments too."),
    no_wait: bool = NoWaitOpt,
) -> None:
    """Segment participants, draft one persona per segment, and verify every citation and claim.

    Participants are grouped by what they talk about (their theme mix), how they say it and their
    metadata; the count is chosen automatically (2-8) unless --personas sets it. Each persona is
    drafted from its segment's most representative quotes. Every quote is checked word for word
    against its source, every claim is judged against its verified quotes, and anything that does
    not hold is kept and flagged, never shown as verified.

    A re-run continues the earlier personas: same ids and names for segments that continue, review
    decisions carried to the new draft by content, the rest listed under "needs another look" in
    `synth review`; `synth diff` shows what changed.

    Example: synth personas --personas 4
    """
    from synth.llm import LLMConfigError, LLMError, open_llm
    from synth.personas import PersonasError, build_personas, load_segments
    from synth.search import open_store
    from synth.vectors import VectorStoreError

    settings = workspace_or_exit(workspace)  # before the LLM layer would create a database there
    try:
        with writing(settings, "personas", no_wait), \
                open_llm(settings.workspace, llm=llm, no_cache=no_cache, command="personas") as client:
            with PersonaBars(disabled=as_json) as bars:
                persona_run = build_personas(settings, client, n=n, progress=bars, use_attributes=use_attributes)
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    except (PersonasError, VectorStoreError) as exc:
        _fail(str(exc))
    except LLMError as exc:
        _fail(str(exc).split("\n")[0])
    personas = persona_run.personas
    for line in persona_run.notes:
        print_note(err, line)
    if as_json:
        typer.echo(json.dumps([p.model_dump(mode="json") for p in personas], indent=2))
        return
    with open_store(settings) as store:
        segments = {s.id: s for s in load_segments(store)}
    console.print(persona_table(personas, segments))
    console.print("next: [bold]synth show 1[/], [bold]synth export --all --format html[/], [bold]synth review[/]"
                  + (", [bold]synth diff[/]" if persona_run.settled and persona_run.settled.lineage.matches else ""))


def show_command(
    persona: str = typer.Argument(..., help="Persona number, id, or any words of its name ('free', 'hamid')."),
    full: bool = typer.Option(False, "--full", help="Every claim with numbered citations, the figures and the sources."),
    template: Optional[Path] = TemplateOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the persona, with its numbered sources, as JSON."),
    rejected: bool = typer.Option(False, "--rejected", help="Also show claims a reviewer rejected (marked)."),
) -> None:
    """Show a persona: on one screen by default, every claim and source with --full.

    The default view follows the persona template: up to three claims per section, each with how many
    of the segment it speaks for (9/14). --full lists every claim with numbered citations and where
    each quote comes from: ✓ a quote found word for word in a participant's words from this segment;
    ✗ a quote not found (or a cited passage that does not exist); ! real words that are the
    interviewer's or another segment's. Claims say whether their verified quotes support them.

    Review decisions apply: edits show the reviewer's re-verified words, rejected claims are left
    out (--rejected shows them, marked), an edit its quotes do not support is marked flagged.

    Example: synth show free --full
    """
    from synth.cards.template import TemplateError, load_template
    from synth.personas.terminal import print_persona, print_persona_summary
    from synth.export import export_persona
    from synth.personas import PersonaNotFound, find_persona, load_personas, load_segments
    from synth.personas.sources import SourceList
    from synth.review.decisions import decisions_for
    from synth.review.views import shown_view
    from synth.search import WorkspaceError, open_store

    try:
        layout = load_template(template)
    except TemplateError as exc:
        fail_on(exc)
    settings = workspace_or_exit(workspace)
    try:
        with open_store(settings) as store:
            found = find_persona(store, persona)
            segment = next((s for s in load_segments(store) if s.id == found.segment_id), None)
            found = shown_view(found, decisions_for(store, found.id), rejected=rejected)
            hidden = found.provenance["review_counts"].get("rejected", 0)
            if as_json:
                typer.echo(export_persona(found, store, "json", segment=segment))
                return
            if not full:
                from synth.cards import StudyView

                number = next((i for i, p in enumerate(load_personas(store), 1) if p.id == found.id), None)
                facts = StudyView.load(store).facts(segment) if segment is not None else None
                print_persona_summary(console, found, segment, layout, number, facts=facts)
                return
            print_persona(console, found, SourceList(found, store), segment)
            if found.provenance["review_state"] == "draft":
                console.print("[yellow]draft, not yet reviewed[/] — review it with [bold]synth review[/]")
            elif hidden and not rejected:
                console.print(f"{hidden} rejected claim(s) not shown (--rejected shows them)", highlight=False)
    except (WorkspaceError, PersonaNotFound) as exc:
        fail_on(exc)


def export_command(
    persona: Optional[str] = typer.Argument(None, help="Persona number, id or name; or --all."),
    all_: bool = typer.Option(False, "--all", help="Export every persona."),
    fmt: str = typer.Option(
        "md", "--format", "-f",
        help="md; html (full page, with its one-page card beside it); card (one printable page); pdf (card, then "
        "the full page); csv (one row per claim, all personas in claims.csv); json.",
    ),
    template: Optional[Path] = TemplateOpt,
    out: Path = typer.Option(Path("synth-export"), "--out", "-o", help="Folder to write into."),
    review: str = typer.Option(
        "approved", "--review",
        help="approved: only approved claims (accepted, or edited and still supported) once the persona has "
        "been reviewed, the whole draft marked 'draft, not yet reviewed' before; all: every claim with its "
        "review state; ignore: every claim, review decisions left out.",
    ),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Export personas as Markdown, HTML pages and cards, PDF, CSV or JSON, one file per persona.

    Every citation is numbered; in HTML each one links to its quote highlighted in context (the
    neighbouring turns of the transcript, or the review's metadata). By default a reviewed persona
    exports its approved claims only, and a persona nobody has reviewed exports its whole draft,
    marked "draft, not yet reviewed" at the top; --review all exports every claim with its state.

    Example: synth export --all --format pdf --review all --out reports/
    """
    from synth.cards.pdf import PdfError
    from synth.cards.template import TemplateError, load_template
    from synth.export import FORMATS, export_personas
    from synth.personas import PersonaNotFound, find_persona, load_personas
    from synth.search import WorkspaceError, open_store

    if fmt not in FORMATS:
        _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", 2)
    if review not in ("approved", "all", "ignore"):
        _fail(f"--review must be approved, all or ignore, not {review!r}", 2)
    if not all_ and persona is None:
        _fail("name a persona (number, id or name) or pass --all", 2)
    try:
        layout = load_template(template)
    except TemplateError as exc:
        fail_on(exc)
    settings = workspace_or_exit(workspace)
    try:
        with open_store(settings) as store:
            chosen = load_personas(store) if all_ else [find_persona(store, persona)]
            if not chosen:
                _fail("no personas yet — run `synth personas` (or `synth run FOLDER`) first")
            paths = export_personas(store, chosen, fmt, out, review=None if review == "ignore" else review,
                                    template=layout)
            unreviewed, empty = [], []
            if review == "approved":
                from synth.review.decisions import decisions_for

                for p in chosen:
                    decided = decisions_for(store, p.id)
                    if not decided:
                        unreviewed.append(p.name)
                    elif not any(d.approved and d.claim_id in {c.id for c in p.claims} for d in decided.values()):
                        empty.append(p.name)
    except (WorkspaceError, PersonaNotFound) as exc:
        fail_on(exc)
    except PdfError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(f"cannot write to {out}: {exc.strerror or exc}; choose another folder with --out")
    for path in paths:
        console.print(f"wrote {escape(path)}", highlight=False)
    if unreviewed:
        err.print(f"[yellow]DRAFT[/]: {escape(', '.join(unreviewed))} not reviewed yet, so the whole draft was exported, "
                  "marked 'draft, not yet reviewed' at the top; review with `synth review`", highlight=False)
    if empty:
        err.print(f"[red]EMPTY[/]: {escape(', '.join(empty))}: reviewed, but no claim is approved, so those files hold "
                  "no claims; accept claims in `synth review`, or export every claim with --review all",
                  highlight=False)
        if len(empty) == len(chosen):
            raise typer.Exit(1)


class RunLines:
    """`synth run` progress: a line per step, with ingest and persona bars (or a spinner) inside."""

    def __init__(self):
        from synth.cli_views import ingest_progress

        self.ingest = ingest_progress()
        self.personas = PersonaBars()
        self._live = None  # the one live display running now

    def step(self, name: str, index: int, total: int) -> None:
        console.print(f"[bold]{index}/{total} {name}[/]")
        live = {"ingest": self.ingest, "personas": self.personas}.get(name)
        if live is None and name == "themes":
            live = console.status("clustering themes", spinner="dots")
        if live is not None:
            live.__enter__()
            self._live = live

    def step_done(self, name: str, seconds: float, summary: str) -> None:
        self.close()
        console.print(f"  [green]✓[/] {summary} [dim]({seconds:.1f}s)[/]", highlight=False)

    def note(self, text: str) -> None:
        print_note(console, text)

    def close(self) -> None:
        if self._live is not None:
            self._live.__exit__(None, None, None)
            self._live = None


def run_command(
    paths: list[Path] = typer.Argument(..., help="Folders or files of transcripts, reviews and posts."),
    n: Optional[int] = PersonasOpt,
    llm: Optional[str] = LLMOpt,
    out: Path = typer.Option(Path("synth-report"), "--out", "-o", help="Report folder to write."),
    interviewer: list[str] = typer.Option([], "--interviewer", "-i", help="Name of an interviewer (repeatable)."),
    template: Optional[Path] = TemplateOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the report's JSON instead of tables."),
    no_wait: bool = NoWaitOpt,
) -> None:
    """Do the whole job: ingest, themes, personas, evaluation, and a report folder (Markdown, HTML, JSON).

    Runs offline by default (the extractive drafter and judge); --llm uses a model instead.
    Re-running on the same folder reuses everything that did not change.

    Example: synth run corpora/larder --out synth-report
    """
    from synth.embedders import EmbedderError
    from synth.llm import LLMConfigError, LLMError, open_llm
    from synth.parsers import ParseOptions
    from synth.personas import PersonasError
    from synth.run import RunError, run
    from synth.search import WorkspaceError
    from synth.vectors import VectorStoreError
    from synth.cards.template import TemplateError, load_template

    try:
        layout = load_template(template)
    except TemplateError as exc:
        fail_on(exc)
    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {missing[0]}; check the path", 2)
    settings = _settings(workspace)
    lines = RunLines() if not as_json else None

    def stop(message: str, code: int = 1) -> None:
        if lines is not None:
            lines.close()  # the error goes below the last progress bar, not above it
        _fail(message, code)

    try:
        with writing(settings, "run", no_wait), open_llm(settings.workspace, llm=llm, command="run") as client:
            result = run(paths, settings, client, n=n, out=out, options=ParseOptions(interviewers=interviewer),
                         progress=lines, template=layout)
    except LLMConfigError as exc:
        stop(str(exc), 2)
    except (RunError, PersonasError, WorkspaceError, EmbedderError, VectorStoreError) as exc:
        stop(str(exc))
    except LLMError as exc:
        stop(str(exc).split("\n")[0])
    except KeyboardInterrupt:
        stop("interrupted; what was committed is kept, re-run the same command to continue", 130)
    finally:
        if lines is not None:
            lines.close()
    if as_json:
        for line in result.notes:
            print_note(err, line)
        typer.echo(result.report_json.read_text(encoding="utf-8"))
        return
    from synth.personas import load_segments
    from synth.search import open_store

    with open_store(settings) as store:
        segments = {s.id: s for s in load_segments(store)}
    console.print(persona_table(result.personas, segments))
    console.print(f"report: [bold]{escape(result.index_html)}[/] (also index.md, report.json)", highlight=False)
    console.print("next: [bold]synth show 1[/], [bold]synth review[/]")


def register(app: typer.Typer) -> None:
    """Add `personas`, `show`, `export` and `run` to the main app."""
    app.command("personas")(personas_command)
    app.command("show")(show_command)
    app.command("export")(export_command)
    app.command("run")(run_command)
