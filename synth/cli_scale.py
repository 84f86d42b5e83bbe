"""`synth embedder distill` and `synth repeats`: the fast embedder and near-duplicate folding at scale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from synth.cli_common import WorkspaceOpt, console, fail, workspace_or_exit

embedder_app = typer.Typer(
    help="The embedding model: distil the fast static one (model2vec) from the bundled MiniLM.",
    no_args_is_help=True,
)


@embedder_app.command("distill")
def distill_command(
    teacher: str = typer.Argument("all-MiniLM-L6-v2", help="A local sentence-transformers model, or the bundled MiniLM."),
    pca_dims: int = typer.Option(256, "--dims", min=8, help="Dimensions kept by PCA."),
    force: bool = typer.Option(False, "--force", help="Distil again even when a cached model exists."),
) -> None:
    """Distil a static embedder with model2vec from local weights (no download; a few minutes, once).

    The model is cached in the user's cache dir (SYNTH_CACHE_DIR, else ~/.cache/synth); use it with
    `embedder = "model2vec:all-MiniLM-L6-v2"` in synth.toml (or SYNTH_EMBEDDER). Suggested by ingest
    above 20,000 chunks; MiniLM stays the default for small studies (see evals/README.md for the cost).

    Example: synth embedder distill
    """
    from synth.embedders import EmbedderError
    from synth.static_embedder import distill_model, is_static_model, model_dir

    target = model_dir(teacher, pca_dims)
    if is_static_model(target) and not force:
        console.print(f"already distilled: {escape(str(target))} (--force to redo)", highlight=False)
        return
    try:
        path = distill_model(teacher, pca_dims, force=force)
    except EmbedderError as exc:
        fail(str(exc), 1)
    console.print(f"distilled into {escape(str(path))} · use: embedder = \"model2vec:{escape(teacher)}\"",
                  highlight=False)


def repeats_command(
    workspace: Optional[Path] = WorkspaceOpt,
    top: int = typer.Option(10, "--top", min=1, max=500, help="How many of the most repeated texts to list."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Near-duplicate posts folded at ingest, the most repeated texts, and repetition that looks like bots.

    A copy (retweet, copy-paste, same text after normalising case, links, handles and "RT @x:") keeps its
    own record and author, but is embedded once: themes count every copy and every author.
    Bot-like: the same text posted as their own (not retweeted) by 5+ accounts, or by one account 3+ times.

    Example: synth repeats --top 20
    """
    from synth.dedupe import repetition
    from synth.search import WorkspaceError, open_store

    settings = workspace_or_exit(workspace)
    try:
        with open_store(settings) as store:
            report = repetition(store, top=top)
    except WorkspaceError as exc:
        fail(str(exc), getattr(exc, "exit_code", 1))
    if as_json:
        typer.echo(json.dumps(report.model_dump(), indent=2, ensure_ascii=False))
        return
    console.print(f"{report.chunks:,} posts and reviews · {report.canonical:,} distinct texts embedded · "
                  f"{report.folded:,} copies folded", highlight=False)
    shown = {r.canonical_id for r in report.top}
    more = [r for r in report.bot_like if r.canonical_id not in shown][:top]
    for title, rows in (("Most repeated texts", report.top), ("More bot-like repetition", more)):
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column("copies", justify="right")
        table.add_column("accounts", justify="right")
        table.add_column("most by one", justify="right")
        table.add_column("text", ratio=3, overflow="fold")
        table.add_column("why", overflow="fold")
        for r in rows:
            table.add_row(f"{r.copies:,}", f"{r.accounts:,}", str(r.most_by_one_account), escape(r.text[:160]),
                          escape("; ".join(r.bot_like)))
        console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(embedder_app, name="embedder")
    app.command("repeats")(repeats_command)
