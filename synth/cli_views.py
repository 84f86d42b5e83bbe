"""How CLI results look in a terminal: progress bars and tables (rich)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from synth.ingest import IngestProgress, IngestReport
from synth.terminal import clip_left, markup, printable, whole_column

MAX_ISSUE_ROWS = 25


class _Rate(TextColumn):
    """Items per second over the task's elapsed time."""

    def __init__(self) -> None:
        super().__init__("")

    def render(self, task):  # noqa: D102 - rich API
        from rich.text import Text

        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")


class IngestBars(IngestProgress):
    """Two bars: files read, chunks embedded (with items/s). Silent when disabled."""

    def __init__(self, disabled: bool = False):
        self.progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            _Rate(),
            TimeElapsedColumn(),
            disable=disabled,
            transient=False,
        )
        self.files = self.progress.add_task("files", total=0)
        self.chunks = self.progress.add_task("embedding", total=0)

    def __enter__(self) -> "IngestBars":
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def files_found(self, n: int) -> None:
        self.progress.update(self.files, total=n)

    def file_done(self, path: str) -> None:
        self.progress.update(self.files, advance=1, description="files")

    def rows_stored(self, path: str, rows: int, share: float) -> None:
        self.progress.update(self.files, description=f"files · {markup(Path(path).name)}: {rows:,} rows stored")

    def chunks_found(self, n: int) -> None:
        task = self.progress.tasks[self.chunks]
        self.progress.update(self.chunks, total=(task.total or 0) + n)

    def chunks_embedded(self, n: int) -> None:
        self.progress.advance(self.chunks, n)


class IngestLog(IngestProgress):
    """Plain progress lines for logs and pipes, where bars would print nothing: one at the start, then one
    every `every` seconds, e.g. "ingest: 48,000/~300,000 rows of reviews.csv, 410 chunks/s, ETA 9m"."""

    def __init__(self, out: TextIO | None = None, every: float = 10.0, clock: Callable[[], float] = time.monotonic):
        self.out = out or sys.stdout
        self.every = every
        self.clock = clock
        self.lock = threading.Lock()  # callbacks come from the reader, embedding and writer threads
        self.started = clock()
        self.printed: float | None = None
        self.files = self.files_done = self.chunks = 0
        self.table: dict | None = None  # the export being stored: path, rows, share, and where it stood first

    def __enter__(self) -> "IngestLog":
        return self

    def __exit__(self, *exc: object) -> None: ...

    def files_found(self, n: int) -> None:
        with self.lock:
            self.files = n
            self._print(f"ingest: {n:,} files to read")

    def file_done(self, path: str) -> None:
        with self.lock:
            self.files_done += 1
            if self.table and self.table["path"] == path:
                self.table = None
            self._maybe()

    def chunks_embedded(self, n: int) -> None:
        with self.lock:
            self.chunks += n
            self._maybe()

    def rows_stored(self, path: str, rows: int, share: float) -> None:
        with self.lock:
            if not self.table or self.table["path"] != path:
                self.table = {"path": path, "since": self.clock(), "share0": share}
            self.table.update(rows=rows, share=share)
            self._maybe()

    def line(self) -> str:
        """The progress line for now."""
        now = self.clock()
        rate = f"{self.chunks / max(now - self.started, 1e-9):,.0f} chunks/s"
        if not self.table:
            return f"ingest: {self.files_done:,}/{self.files:,} files, {self.chunks:,} chunks embedded, {rate}"
        t = self.table
        total = f"/~{t['rows'] / t['share']:,.0f}" if 0 < t["share"] < 1 else ""
        text = f"ingest: {t['rows']:,}{total} rows of {Path(t['path']).name}, {rate}"
        gained = t["share"] - t["share0"]
        if gained > 0 and t["share"] < 1:
            text += f", ETA {_duration((now - t['since']) / gained * (1 - t['share']))}"
        return text

    def _maybe(self) -> None:
        if self.printed is None or self.clock() - self.printed >= self.every:
            self._print(self.line())

    def _print(self, text: str) -> None:
        self.printed = self.clock()
        print(printable(text), file=self.out, flush=True)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    return f"{seconds // 3600}h {seconds % 3600 // 60:02d}m"


def ingest_progress(quiet: bool = False) -> IngestProgress:
    """Bars on a terminal, plain periodic lines when stdout is a pipe or a log, nothing when `quiet`."""
    if quiet or sys.stdout.isatty():
        return IngestBars(disabled=quiet)
    return IngestLog()


def print_ingest_report(console: Console, report: IngestReport, settings) -> None:
    summary = (
        f"[bold]{report.files_ingested}[/] files ingested, {report.files_unchanged} unchanged, "
        f"{len(report.failed)} failed"
        + (f", {report.files_pruned} pruned" if report.files_pruned else "")
        + (f", {report.files_resumed} resumed" if report.files_resumed else "")
        + f" · {report.documents} documents, {report.chunks} chunks "
        f"({report.chunks_embedded} embedded, {report.chunks_reused} reused"
        + (f", {report.chunks_folded} folded as copies" if report.chunks_folded else "")
        + f") in {report.seconds:.1f}s"
    )
    console.print(summary, highlight=False)
    if report.chunks_folded:
        console.print("near-duplicate posts are stored once per text with every author: `synth repeats` lists "
                      "the most repeated and the bot-like", highlight=False)
    if report.suggestion:
        console.print(f"[yellow]tip:[/] {markup(report.suggestion)}", highlight=False)
    if report.issues:
        table = Table(title="Files skipped or with problems", title_justify="left", show_lines=False)
        ordered = sorted(report.issues, key=lambda i: ("error", "warning", "skipped").index(i.severity))
        shown = {i.path: clip_left(printable(_short(i.path)), 36) for i in ordered[:MAX_ISSUE_ROWS]}  # as printed
        whole_column(table, "file", list(shown.values()), cap=36)
        table.add_column("status")
        table.add_column("reason", overflow="fold")
        table.add_column("fix", overflow="fold")
        style = {"error": "red", "warning": "yellow", "skipped": "dim"}
        for issue in ordered[:MAX_ISSUE_ROWS]:
            table.add_row(markup(shown[issue.path]), f"[{style[issue.severity]}]{issue.severity}[/]",
                          markup(issue.reason), markup(issue.fix))
        console.print(table)
        if len(ordered) > MAX_ISSUE_ROWS:
            console.print(f"… and {len(ordered) - MAX_ISSUE_ROWS} more (see --json for all)")
    if report.exit_code and not report.failed:
        from synth.parsers import SUPPORTED_EXTENSIONS

        console.print("[bold red]nothing to ingest:[/] no supported files under the paths given "
                      f"(supported: {' '.join(sorted(SUPPORTED_EXTENSIONS))})", highlight=False)
    console.print(f"workspace: {markup(settings.workspace)} · next: [bold]synth status[/], "
                  "[bold]synth search \"…\"[/]", highlight=False)


def print_status(console: Console, data: dict) -> None:
    table = Table(title=f"Workspace {markup(data['workspace'])}", title_justify="left")
    for col in ("kind", "files", "documents", "participants", "chunks", "evidence chunks"):
        table.add_column(col, justify="left" if col == "kind" else "right")
    for kind, row in data["by_kind"].items():
        table.add_row(markup(kind), *(f"{row[f]:,}" for f in ("files", "documents", "participants", "chunks", "evidence_chunks")))
    t = data["totals"]
    table.add_row("[bold]total", *(f"[bold]{t[f]:,}" for f in ("files", "documents", "participants", "chunks", "evidence_chunks")))
    console.print(table)
    console.print(f"embedder: {markup(data['embedder'])} · vectors: {markup(data['vector_store'])}", highlight=False)


def print_search(console: Console, query: str, results: list) -> None:
    if not results:
        console.print(f"No evidence found for {markup(repr(query))}. Is anything ingested? Try `synth status`.",
                      highlight=False)
        return
    table = Table(title=f"Evidence for: {markup(query)}", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("quote", ratio=3, overflow="fold")
    whole_column(table, "speaker", [r.chunk.speaker for r in results], cap=18)
    whole_column(table, "source", [r.file for r in results] + [r.location for r in results], cap=32)
    table.add_column("score", justify="right")
    for n, r in enumerate(results, 1):
        table.add_row(str(n), markup(r.chunk.text), markup(r.chunk.speaker), markup(f"{r.file}\n{r.location}"),
                      f"{r.score:.2f}")
    console.print(table)


def _short(path: str) -> str:
    p = Path(path)
    try:
        return str(p.relative_to(Path.cwd()))
    except ValueError:
        return str(p)
