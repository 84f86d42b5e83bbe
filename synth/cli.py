"""The `synth` command: a thin shell over the library functions that do the work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from synth.cli_common import SynthGroup
from synth.records import Kind

app = typer.Typer(
    help="synth: turn interview transcripts, reviews and social posts into evidence-backed personas.\n\n"
    "The whole job in one command: `synth run FOLDER` (ingest, themes, personas, eval, report).\n\n"
    "Step by step: `synth ingest FOLDER`, `synth themes`, `synth personas`, `synth show 1`, "
    "`synth chat 1`, `synth review`, `synth eval`, `synth export --all --format html`.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},  # inherited by every command
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,  # two shell-completion flags in every --help teach nothing about research
    cls=SynthGroup,
)
from synth.cli_common import NoWaitOpt, WorkspaceOpt, console, err, writing  # noqa: E402,F401
from synth.cli_common import fail as _fail, kind_names, settings_or_exit as _settings, source_kind_or_exit  # noqa: E402
from synth.cli_common import workspace_or_exit  # noqa: E402




@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders of transcripts, reviews and posts."),
    kind: str = typer.Option("auto", "--kind", help="auto, interview, review, social, ticket or survey: what the files hold."),
    workspace: Optional[Path] = WorkspaceOpt,
    interviewer: list[str] = typer.Option(
        [], "--interviewer", "-i", help="Name of an interviewer (repeatable); otherwise detected per transcript."
    ),
    text_column: Optional[str] = typer.Option(None, help="CSV/JSON column with the review or post text \\[default: detected]."),
    author_column: Optional[str] = typer.Option(None, help="CSV/JSON column with the author or handle \\[default: detected]."),
    id_column: Optional[str] = typer.Option(None, help="CSV/JSON column with the row id \\[default: detected]."),
    rating_column: Optional[str] = typer.Option(None, help="CSV/JSON column with the star rating \\[default: detected]."),
    date_column: Optional[str] = typer.Option(None, help="CSV/JSON column with the date \\[default: detected]."),
    column_role: list[str] = typer.Option([], "--column-role", help="Survey column role, COLUMN=ROLE (repeatable; "
                                          "roles: id email timestamp single multi rating nps ranking open ignore); "
                                          "see `synth survey FILE`."),
    prune: bool = typer.Option(False, "--prune", help="Drop stored documents whose files are gone."),
    chroma_url: Optional[str] = typer.Option(
        None, "--chroma-url", envvar="SYNTH_CHROMA_URL", help="Use a Chroma server (chroma run) instead of the local store \\[default: the local store]."
    ),
    engine: str = typer.Option("local", "--engine", help="Where to embed: local (this process) or dask (a running Dask cluster, with --address)."),
    address: Optional[str] = typer.Option(None, "--address", envvar="SYNTH_ENGINE_ADDRESS", help="The Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786."),
    max_tokens: Optional[int] = typer.Option(None, help="Chunk size budget in word pieces \\[default: 160]."),
    max_mb: float = typer.Option(200, "--max-mb", help="Skip files larger than this many MB."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    no_wait: bool = NoWaitOpt,
) -> None:
    """Parse, chunk, embed and store research files.

    Transcripts: .txt .md .vtt .srt .docx .pdf (speaker lines, Otter, Zoom, Teams, captions, prose).
    Reviews and posts: .csv .tsv .jsonl .json, one item per row; text and metadata columns are
    detected, or named with --text-column and friends. Support tickets (Zendesk, Intercom, Freshdesk,
    Help Scout: JSON threads or CSV): the customer's words are evidence, agents, notes, quotes and
    signatures context. Surveys (Google Forms, Typeform, SurveyMonkey, Qualtrics: .csv or .xlsx): open
    answers are evidence, closed answers attributes; check the column roles with `synth survey FILE`. Re-running on an unchanged folder embeds
    nothing; changed files are replaced. Files that cannot be read are listed with a fix, and
    everything else is still ingested.

    Near-duplicate posts and reviews (retweets, copy-pastes) are embedded once and counted for every
    author (`synth repeats`). On a cluster: --engine dask --address tcp://HOST:8786 embeds on its
    workers; add --chroma-url to write the vectors to a shared Chroma server.

    Example: synth ingest corpora/larder --interviewer Priya
    """
    from synth.cli_views import ingest_progress, print_ingest_report
    from synth.embedders import EmbedderError
    from synth.engines import ENGINES, EngineError, open_engine
    from synth.ingest import ingest as run_ingest
    from synth.parsers import ParseOptions
    from synth.vectors import VectorStoreError

    if kind not in ("auto", *[k.value for k in Kind]):
        _fail(f"--kind must be auto, {', '.join(k.value for k in Kind)}, not {kind!r}", 2)
    if engine not in ENGINES:
        _fail(f"--engine must be one of {', '.join(ENGINES)}, not {engine!r}", 2)
    if engine == "dask" and not address:
        _fail("--engine dask needs --address tcp://HOST:8786, the address of a running Dask scheduler", 2)
    from synth.cli_attributes import parse_roles

    roles = parse_roles(column_role)
    settings = _settings(workspace, chroma_url=chroma_url, max_tokens=max_tokens)
    options = ParseOptions(
        kind=None if kind == "auto" else Kind(kind),
        interviewers=interviewer,
        text_column=text_column,
        author_column=author_column,
        id_column=id_column,
        rating_column=rating_column,
        date_column=date_column,
        column_roles=roles,
        max_bytes=int(max_mb * 1024 * 1024),
    )
    try:
        runner = open_engine(engine, address)
    except EngineError as exc:
        _fail(str(exc))
    try:
        with writing(settings, "ingest", no_wait), ingest_progress(quiet=as_json) as bars:
            report = run_ingest(paths, settings, options, prune=prune, progress=bars,
                                engine=None if engine == "local" else runner)
    except (EmbedderError, VectorStoreError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; what was committed is kept, re-run the same command to finish", 130)
    finally:
        runner.close()
    if as_json:
        typer.echo(json.dumps(_report_dict(report), indent=2))
    else:
        print_ingest_report(console, report, settings)
    raise typer.Exit(report.exit_code)


def _report_dict(report) -> dict:
    from dataclasses import asdict

    data = asdict(report)
    data["exit_code"] = report.exit_code
    return data


@app.command()
def status(workspace: Optional[Path] = WorkspaceOpt, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show what the workspace holds: documents, participants and chunks by kind."""
    from synth.cli_views import print_status
    from synth.search import workspace_status

    data = workspace_status(workspace_or_exit(workspace))
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        print_status(console, data)


@app.command()
def search(
    query: str = typer.Argument(..., help="What to look for, in plain words."),
    k: int = typer.Option(10, "-k", "--top", min=1, max=200, help="How many results."),
    kind: Optional[str] = typer.Option(None, "--kind", help=f"Only one kind of source: {kind_names()} \\[default: every kind]."),
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print results as JSON."),
) -> None:
    """Find what participants said about something, by meaning rather than exact words.

    Example: synth search "sharing the grocery list with my partner" -k 5
    """
    from synth.cli_views import print_search
    from synth.search import search as run_search
    from synth.vectors import VectorStoreError

    source = source_kind_or_exit(kind)
    settings = workspace_or_exit(workspace)
    try:
        results = run_search(query, settings, k=k, kind=source)
    except VectorStoreError as exc:
        _fail(str(exc))
    if as_json:
        typer.echo(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        print_search(console, query, results)


# Commands of the later stages, in pipeline order (typer lists them as registered).
from synth.cli_speakers import speakers_app  # noqa: E402
from synth.cli_themes import themes_app  # noqa: E402
from synth.cli_personas import register as register_personas  # noqa: E402
from synth.cli_chat import register as register_chat  # noqa: E402
from synth.cli_ask import register as register_ask  # noqa: E402
from synth.cli_review import register as register_review  # noqa: E402
from synth.cli_eval import register as register_eval  # noqa: E402
from synth.cli_llm import llm_app  # noqa: E402
from synth.cli_template import template_app  # noqa: E402
from synth.cli_history import register as register_history  # noqa: E402
from synth.cli_match import register as register_match  # noqa: E402
from synth.cli_attributes import register as register_attributes  # noqa: E402
from synth.cli_scale import register as register_scale  # noqa: E402

app.add_typer(speakers_app, name="speakers")
app.add_typer(themes_app, name="themes")
register_personas(app)
register_chat(app)
register_ask(app)
register_review(app)
register_eval(app)
register_history(app)
register_attributes(app)
register_match(app)
register_scale(app)
app.add_typer(llm_app, name="llm")
app.add_typer(template_app, name="template")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
