"""Large-file benchmark: one big review export ingested in batches, with its peak memory and speed.

    python evals/bench_large_file.py [--rows 300000] [--embedder fake|SPEC] [--batch-rows 2000]
                                     [--interrupt-after N]

Generates a review CSV of --rows rows (300,000 rows is about 46 MB, the size reported in issue 20),
then ingests it into a fresh workspace and prints rows/s, chunks/s and the process's peak resident
memory (resource.getrusage), with the peak before ingest (imports, chromadb) for comparison. The
memory target is < 1 GB whatever the file's size: rows are parsed, embedded and committed in
batches of --batch-rows, so the file never sits in memory whole.

--embedder fake uses the deterministic hash embedder of the tests (no model, isolates synth's own
cost); any embedder spec (e.g. sentence-transformers:all-MiniLM-L6-v2) measures a real run.
--interrupt-after N stops the run (as Ctrl-C does) after N embedding calls, then re-runs it and
reports how many chunks the re-run embedded: only the rows not yet committed.
A last, unchanged re-run shows that nothing is re-read or re-embedded.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "list plan dinner kids weekend budget app sync partner recipe import protein macros store cart price "
    "subscription free tier leftovers fridge pantry expiry chicken rice pasta salad soup oven sunday evening "
    "lunch snack shopping delivery order substitute brand coupon label allergy gluten dairy vegan sauce blog "
    "photo folder search offline crash update slow ads notification reminder calendar week family gym track"
).split()


def generate(path: Path, rows: int, seed: int = 20) -> None:
    """A review export like an app-store download: id, author, rating, date, title and a one- to three-sentence review."""
    rng = random.Random(seed)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["review_id", "author", "rating", "date", "title", "review"])
        for r in range(rows):
            sentences = []
            for _ in range(rng.choice([1, 1, 2, 3])):
                words = [rng.choice(WORDS) for _ in range(rng.randint(5, 14))]
                sentences.append(" ".join(words).capitalize() + rng.choice([".", ".", "!"]))
            w.writerow([f"r{r}", f"user{rng.randrange(rows // 3 + 1)}", rng.randint(1, 5),
                        f"2026-{1 + r % 12:02d}-{1 + r % 28:02d}", rng.choice(WORDS).title(), " ".join(sentences)])


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


class _Interrupt:
    """Wraps an embedder: raises KeyboardInterrupt on call `after` + 1, as Ctrl-C would."""

    def __init__(self, embedder, after: int):
        self.inner, self.after, self.calls = embedder, after, 0

    def __call__(self, texts):
        self.calls += 1
        if self.calls > self.after:
            raise KeyboardInterrupt
        return self.inner(texts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--embedder", default="fake", help="fake (hash embedder, no model), fake-hash:DIM, or an embedder spec")
    ap.add_argument("--batch-rows", type=int, default=None, help="rows per committed batch [synth's default]")
    ap.add_argument("--interrupt-after", type=int, default=0, help="interrupt after N embedding calls, then resume")
    ap.add_argument("--progress", action="store_true", help="print synth's plain progress lines (every 10 s)")
    args = ap.parse_args()

    from synth.config import load_settings
    from synth.embedders import get_embedder, register_embedder
    from synth.ingest import BATCH_ROWS, IngestProgress, ingest

    spec = args.embedder
    if spec.startswith("fake"):  # "fake": 384 dimensions like MiniLM; "fake-hash:16" shrinks chromadb's index
        from tests.fakes import HashEmbedder

        register_embedder("fake-hash", HashEmbedder)
        spec = "fake-hash:384" if spec == "fake" else spec
    batch_rows = args.batch_rows or BATCH_ROWS
    tmp = Path(tempfile.mkdtemp(prefix="synth-large-"))
    data = tmp / "reviews.csv"
    t0 = time.perf_counter()
    generate(data, args.rows)
    size_mb = data.stat().st_size / 1e6
    print(f"data: {args.rows:,} rows, {size_mb:.1f} MB ({time.perf_counter() - t0:.1f}s to write) in {tmp}")

    settings = load_settings(tmp / "ws", embedder=spec)
    embedder = get_embedder(spec)  # loaded before the timing and the memory baseline
    embedder.embed(["warm up"])
    from synth.vectors import VectorStore

    VectorStore(spec, path=settings.chroma_path)  # chromadb imported and opened, as ingest will
    before_mb = peak_rss_mb()
    progress = IngestProgress()
    if args.progress:
        from synth.cli_views import IngestLog

        progress = IngestLog(out=sys.stderr)

    if args.interrupt_after:
        real = embedder.embed
        embedder.embed = _Interrupt(real, args.interrupt_after)
        t0 = time.perf_counter()
        try:
            ingest([data], settings, progress=progress, batch_rows=batch_rows)
        except KeyboardInterrupt:
            print(f"interrupted after {args.interrupt_after} embedding calls ({time.perf_counter() - t0:.1f}s)")
        embedder.embed = real

    first = ingest([data], settings, progress=progress, batch_rows=batch_rows)
    peak_mb = peak_rss_mb()
    again = ingest([data], settings, batch_rows=batch_rows)
    if first.failed:
        sys.exit(f"ingest failed: {first.failed[0].reason}")

    rows_per_s = first.documents / first.seconds  # rows stored by this run (a resumed run stores the rest)
    print(f"ingest        : {first.seconds:8.1f} s  {rows_per_s:9,.0f} rows/s  {first.chunks / first.seconds:9,.0f} "
          f"chunks/s  ({first.documents:,} documents, {first.chunks:,} chunks, {first.batches} batches of "
          f"{batch_rows:,} rows; {first.chunks_embedded:,} embedded, {first.files_resumed} file resumed)")
    print(f"peak RSS      : {peak_mb:8.0f} MB  (before ingest: {before_mb:.0f} MB; target < 1024 MB)")
    print(f"re-ingest     : {again.seconds:8.2f} s  ({again.files_unchanged} unchanged, "
          f"{again.chunks_embedded} chunks embedded)")


if __name__ == "__main__":
    main()
