"""`synth themes`: cluster what participants said into named themes; `rename` and `merge` edit them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

themes_app = typer.Typer(
    help="Themes: what participants talk about, with keywords and exemplar quotes.",
    invoke_without_command=True,
    rich_markup_mode="rich",
)
console = Console()
err = Console(stderr=True)

from synth.cli_common import WorkspaceOpt, LLMOpt, JsonOpt, NoWaitOpt, writing  # noqa: E402
from synth.cli_common import fail as _fail, workspace_or_exit  # noqa: E402

QUOTE_CHARS = 140
TABLE_QUOTES = 3  # --json has all of them


def _errors() -> tuple[type[Exception], ...]:
    from synth.embedders import EmbedderError
    from synth.llm import LLMError
    from synth.search import WorkspaceError
    from synth.vectors import VectorStoreError

    return WorkspaceError, VectorStoreError, EmbedderError, LLMError


def _open_llm(workspace, llm: Optional[str], no_cache: bool, command: str):
    from synth.llm import LLMConfigError, open_llm

    try:
        return open_llm(workspace, llm=llm, no_cache=no_cache, command=command)
    except LLMConfigError as exc:
        _fail(str(exc), 2)


@themes_app.callback()
def themes(
    ctx: typer.Context,
    min_size: Optional[int] = typer.Option(None, "--min-size", min=1, help="Smallest theme, in chunks \\[default: 0.5% of chunks, at least 3]."),
    max_themes: Optional[int] = typer.Option(None, "--max-themes", min=1, help="Most themes to find \\[default: 30]."),
    n_themes: Optional[int] = typer.Option(None, "--themes", min=1, help="Exactly this many themes (before your merges)."),
    granularity: Optional[str] = typer.Option(None, "--granularity", help="coarse: fewer, broader themes; fine: more, narrower ones \\[default: auto]."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Show only passages of one statement kind: problem, request, praise, question, usage, other (counts and quotes)."),
    workspace: Optional[Path] = WorkspaceOpt,
    llm: Optional[str] = LLMOpt,
    no_cache: bool = typer.Option(False, "--no-cache", help="Recompute everything: re-cluster and call the model again."),
    as_json: bool = JsonOpt,
    full: bool = typer.Option(False, "--full", help="Every theme with its description and three exemplar quotes."),
    no_wait: bool = NoWaitOpt,
) -> None:
    """Cluster what participants said into themes, with keywords, exemplar quotes and sizes.

    Themes are about what is said, not who is addressed: @handles, URLs, masks and names that recur
    across the corpus (brands, products, speakers) are taken out of the text that is clustered and
    labelled (quotes keep the original words), and small talk is set aside before clustering.
    The number of themes is chosen automatically; --themes N asks for exactly N, --granularity
    coarse|fine for broader or narrower ones. Each passage also gets a statement kind (problem,
    request, praise, question, usage, other): the table crosses themes by kind, --kind filters.

    Examples: synth themes --themes 12 · synth themes --granularity fine · synth themes --kind request
    """
    if ctx.invoked_subcommand is not None:
        return
    from synth.themes import build_themes
    from synth.themes.cluster import GRANULARITY
    from synth.themes.statements import KINDS

    if granularity is not None and granularity not in GRANULARITY:
        _fail(f"--granularity must be one of {', '.join(GRANULARITY)}, not {granularity!r}", 2)
    if kind is not None and kind not in KINDS:
        _fail(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}", 2)
    if n_themes is not None and granularity is not None:
        _fail("give either --themes N or --granularity, not both", 2)
    settings = workspace_or_exit(workspace)  # before the LLM layer would create a database there
    try:
        # read_only_ok: a read-only workspace still shows its stored themes when nothing changed.
        with writing(settings, "themes", no_wait, read_only_ok=True), \
                _open_llm(settings.workspace, llm, no_cache, "themes") as client:
            with console.status("clustering themes", spinner="dots") if not as_json else _nothing():
                run = build_themes(settings, min_size=min_size, max_themes=max_themes, llm=client, force=no_cache,
                                   themes=n_themes, granularity=granularity)
    except _errors() as exc:
        _fail(str(exc).split("\n")[0], getattr(exc, "exit_code", 1))
    if kind:
        run = filter_kind(run, settings, kind)
    _show(run, settings, as_json, full)


def filter_kind(run, settings, kind: str):
    """The run with each theme's chunks and exemplars narrowed to one statement kind (themes without any dropped)."""
    from synth.search import open_store
    from synth.themes.store import ThemeStore

    with open_store(settings) as store:
        kinds = ThemeStore(store.db).statements()
        extra = [cid for t in run.themes for cid in t.chunk_ids if kinds.get(cid) == kind and cid not in run.quotes]
        from synth.themes.build import _quotes

        quotes = {**run.quotes, **_quotes(store.chunks(extra[:2000]), kinds)}
    themes = []
    for t in run.themes:
        members = [cid for cid in t.chunk_ids if kinds.get(cid) == kind]
        if members:
            ex = [cid for cid in t.exemplar_ids if cid in members] or members[:3]
            themes.append(t.model_copy(update={"chunk_ids": members, "exemplar_ids": ex}))
    return run.model_copy(update={"themes": themes, "quotes": quotes, "unassigned": [], "cached": run.cached})


@themes_app.command("export")
def export_themes(
    path: Path = typer.Argument(..., help="File to write: .csv (one row per chunk) or .json (the whole run)."),
    workspace: Optional[Path] = WorkspaceOpt,
    kind: Optional[str] = typer.Option(None, "--kind", help="Only chunks of one statement kind."),
) -> None:
    """Write the stored themes: one CSV row per chunk (theme, broad theme, statement kind, text), or JSON.

    Example: synth themes export themes.csv --kind request
    """
    from synth.themes import load_themes
    from synth.themes.export import write_themes

    settings = workspace_or_exit(workspace)
    try:
        run = load_themes(settings)
        if not run.themes:
            _fail("there are no themes yet; run `synth themes` first", 2)
        rows = write_themes(settings, run, path, kind)
    except _errors() as exc:
        _fail(str(exc), getattr(exc, "exit_code", 1))
    except (OSError, ValueError) as exc:
        _fail(f"cannot write {path}: {exc}", 2)
    console.print(f"wrote {rows:,} rows to {_esc(path)}", highlight=False)


@themes_app.command()
def rename(
    theme_id: str = typer.Argument(..., help="Theme id (or a unique prefix), as `synth themes` lists it."),
    label: str = typer.Argument(..., help="The new label."),
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = JsonOpt,
    no_wait: bool = NoWaitOpt,
) -> None:
    """Rename a theme; the name is kept across re-runs.

    Example: synth themes rename thm_1a2b3c4d "Shared list sync"
    """
    from synth.themes import rename_theme

    settings = workspace_or_exit(workspace)
    try:
        with writing(settings, "themes rename", no_wait):
            theme = rename_theme(settings, theme_id, label)
    except _errors() as exc:
        _fail(str(exc), getattr(exc, "exit_code", 1))
    if as_json:
        typer.echo(theme.model_dump_json(indent=2))
    else:
        console.print(f"renamed [bold]{_esc(theme.id)}[/] to [bold]{_esc(theme.label)}[/]", highlight=False)


@themes_app.command()
def merge(
    keep: str = typer.Argument(..., help="The theme to keep (its id and any label you gave it)."),
    others: list[str] = typer.Argument(..., help="Themes to merge into it."),
    workspace: Optional[Path] = WorkspaceOpt,
    llm: Optional[str] = LLMOpt,
    as_json: bool = JsonOpt,
    no_wait: bool = NoWaitOpt,
) -> None:
    """Merge themes into one; the merge is kept across re-runs.

    Example: synth themes merge thm_1a2b3c4d thm_9f8e7d6c
    """
    from synth.themes import merge_themes

    settings = workspace_or_exit(workspace)
    try:
        with writing(settings, "themes merge", no_wait), _open_llm(settings.workspace, llm, False, "themes merge") as client:
            run = merge_themes(settings, keep, others, llm=client)
    except _errors() as exc:
        _fail(str(exc).split("\n")[0], getattr(exc, "exit_code", 1))
    _show(run, settings, as_json)


# output ------------------------------------------------------------------------------------------
class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _show(run, settings, as_json: bool, full: bool = False) -> None:
    if as_json:
        typer.echo(json.dumps(run_json(run), indent=2))
    else:
        print_themes(console, run, settings, full=full)


def run_json(run) -> dict:
    """The run as plain data: themes with their exemplar quotes, unassigned chunks, changes, stats."""
    themes = []
    for t in run.themes:
        data = t.model_dump(mode="json")
        data["size"] = t.size
        data["exemplars"] = [{"chunk_id": cid, **run.quotes.get(cid, {})} for cid in t.exemplar_ids]
        themes.append(data)
    return {
        "themes": themes,
        "unassigned": [u.model_dump(mode="json") for u in run.unassigned],
        "unassigned_share": round(run.unassigned_share, 4),
        "changes": run.changes.model_dump(mode="json"),
        "skipped_edits": run.skipped_edits,
        "cached": run.cached,
        "stats": run.stats,
    }


def print_themes(out: Console, run, settings, full: bool = False) -> None:
    """A table of themes: one line and one short quote each (a screen for a study), or with --full everything."""
    from synth.themes.set_aside import set_aside_line

    if not run.themes:
        out.print("No themes: too few participant chunks to cluster. Ingest more with `synth ingest FOLDER`.")
        return
    chunks = sum(t.size for t in run.themes) + len(run.unassigned)
    title = (f"{len(run.themes)} themes over {chunks:,} participant chunks · "
             f"{len(run.unassigned)} unassigned ({run.unassigned_share:.1%})")
    if not full:
        _summary_table(out, run, title)
    else:
        _full_table(out, run, title)
    out.print(_changes_line(run), highlight=False)
    if line := set_aside_line(run.stats, chunks):
        out.print(_esc(line), highlight=False)
    for note in run.skipped_edits:
        out.print(f"[yellow]edit not applied:[/] {_esc(note)}", highlight=False)
    more = "" if full else "[bold]--full[/] for descriptions and more quotes · "
    out.print(
        f"{more}edit: [bold]synth themes rename ID \"label\"[/], "
        "[bold]synth themes merge KEEP OTHER[/] · [bold]--json[/] lists unassigned chunks",
        highlight=False,
    )


def _summary_table(out: Console, run, title: str) -> None:
    id_width = max((len(t.id) for t in run.themes), default=2)
    keywords = max(0, min(30, out.width - id_width - 70))  # keywords only where the screen has room
    theme_width = max(24, min(64, out.width - id_width - 16 - keywords - (3 if keywords else 0) - 6))
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    table.add_column("id", no_wrap=True, min_width=id_width)  # whole, never split: it is typed back
    table.add_column("theme · one exemplar quote", no_wrap=True, overflow="ellipsis", width=theme_width)
    table.add_column("chunks", justify="right", no_wrap=True, min_width=6)
    table.add_column("people", justify="right", no_wrap=True, min_width=6)
    table.add_column("problem·request·praise·question·usage", no_wrap=True, min_width=12)
    if keywords:
        table.add_column("keywords", no_wrap=True, overflow="ellipsis", width=keywords)
    last_group = None
    for t in sorted(run.themes, key=lambda t: (t.group or "", -t.size)):
        if t.group and t.group != last_group:
            table.add_row("", f"[bold magenta]▸ {_esc(t.group)}[/]", "", "", "", *([""] if keywords else []))
            last_group = t.group
        mark = " [cyan](renamed)[/]" if t.label_source == "user" else ""
        mark += "" if t.substantive else " [yellow](small talk)[/]"
        quote = run.quotes.get(t.exemplar_ids[0], {}).get("text", "") if t.exemplar_ids else ""
        cell = f"[bold]{_esc(t.label)}[/]{mark}" + (f"\n[dim]“{_clip(quote)}”[/]" if quote else "")
        table.add_row(_esc(t.id), cell, str(t.size), str(t.participant_count), statement_cell(t),
                      *([_esc(", ".join(t.keywords[:5]))] if keywords else []))
    out.print(table)


def statement_cell(theme) -> str:
    """Chunks per statement kind, in a fixed order: "12·3·0·1·2"."""
    s = theme.statements
    return "·".join(str(s.get(k, 0)) for k in ("problem", "request", "praise", "question", "usage"))


def _full_table(out: Console, run, title: str) -> None:
    grouped = any(t.group for t in run.themes)
    table = Table(title=title, title_justify="left", show_lines=True)
    table.add_column("id", no_wrap=True)
    if grouped:
        table.add_column("group", overflow="fold", max_width=18)
    table.add_column("theme, with exemplar quotes", ratio=4, overflow="fold")
    table.add_column("size", no_wrap=True)
    table.add_column("keywords", ratio=1, overflow="fold")
    themes = sorted(run.themes, key=lambda t: (t.group or "", -t.size)) if grouped else run.themes
    for t in themes:
        quotes = "\n".join(
            f"[dim]“{_clip(run.quotes.get(cid, {}).get('text', ''))}”[/]" for cid in t.exemplar_ids[:TABLE_QUOTES]
        )
        mark = " [cyan](renamed)[/]" if t.label_source == "user" else ""
        mark += "" if t.substantive else " [yellow](mostly small talk: not used for segments)[/]"
        cell = f"[bold]{_esc(t.label)}[/]{mark}\n{_esc(t.description)}\n{quotes}"
        size = f"{t.size} chunks\n{t.participant_count} people\n" + "\n".join(f"[dim]{_esc(k)} {v}[/]" for k, v in t.kinds.items())
        size += "\n" + "\n".join(f"[dim]{_esc(k)} {v}[/]" for k, v in t.statements.items())
        table.add_row(_esc(t.id), *([_esc(t.group or "")] if grouped else []), cell, size, _esc(", ".join(t.keywords)))
    out.print(table)


def _changes_line(run) -> str:
    c = run.changes
    if run.cached:
        return "unchanged since the last run (nothing to recompute)"
    if not c.any:
        return "no theme changed since the last run"
    parts = []
    for name, items in (("new", c.new), ("grew", c.grown), ("shrank", c.shrunk), ("removed", c.removed)):
        if items:
            parts.append(f"{len(items)} {name} ({', '.join(i.id for i in items[:4])}{', …' if len(items) > 4 else ''})")
    return "since the last run: " + "; ".join(parts)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return _esc(text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…")


def _esc(text: object) -> str:
    from synth.terminal import markup

    return markup(text)
