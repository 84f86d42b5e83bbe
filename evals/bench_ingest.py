"""Ingest benchmark: end-to-end `synth ingest` throughput against raw sentence-transformers encode.

    python evals/bench_ingest.py [--chunks 20000] [--embedder sentence-transformers:all-MiniLM-L6-v2]

Generates a research folder programmatically (transcripts and a review export) big enough to
give at least --chunks chunks, then in one process and on the same texts:
  1. raw: `SentenceTransformer.encode` over every chunk text (the ceiling: no parsing, no storage);
  2. ingest: `synth.ingest.ingest` into a fresh workspace (parse, chunk, embed, chromadb, SQLite);
  3. re-ingest: the same folder again, unchanged.
It prints chunks/s for 1 and 2 and their ratio (target >= 0.85), and 3 as a share of 2 (target < 5%).
The model is loaded before either timing starts, so neither pays for it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "list plan dinner kids weekend budget app sync partner recipe import protein macros store cart "
    "price subscription free tier leftovers fridge pantry expiry chicken rice pasta salad soup oven "
    "sunday monday evening lunch breakfast snack shopping delivery order substitute brand coupon "
    "label allergy gluten dairy vegan spicy sauce grandma blog photo tag folder search offline crash "
    "update slow ads notification reminder calendar week month family roommate housemate gym track"
).split()
FILLERS = ["um,", "uh,", "like,", "you know,", "I mean,", "honestly,", "so", "yeah,", "basically,"]


def _sentence(rng: random.Random) -> str:
    n = rng.randint(5, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.5:
        words.insert(rng.randrange(len(words)), rng.choice(FILLERS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])


def _utterance(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.choice([1, 1, 2, 3, 4, 6])))


def generate(folder: Path, target_chunks: int, seed: int = 13) -> None:
    """Transcripts (60%) and a reviews CSV (40%) that chunk into about `target_chunks` chunks."""
    rng = random.Random(seed)
    (folder / "interviews").mkdir(parents=True)
    turns_per_file = 120
    n_files = max(1, int(target_chunks * 0.6 / turns_per_file) + 1)
    for f in range(n_files):
        lines = []
        for t in range(turns_per_file):
            ts = f"[{t // 60:02d}:{t % 60:02d}:00]"
            lines.append(f"{ts} Interviewer: {_sentence(rng).rstrip('.!')}?")
            lines.append(f"{ts} P{f:03d}: {_utterance(rng)}")
        (folder / "interviews" / f"session_{f:03d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(folder / "reviews.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["review_id", "author", "rating", "date", "review"])
        for r in range(int(target_chunks * 0.42)):
            w.writerow([f"r{r}", f"user{rng.randrange(5000)}", rng.randint(1, 5), "2026-01-02", _utterance(rng)])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chunks", type=int, default=20000)
    ap.add_argument("--embedder", default="sentence-transformers:all-MiniLM-L6-v2")
    ap.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    args = ap.parse_args()

    from synth.chunking import chunk_document
    from synth.config import load_settings
    from synth.discover import discover
    from synth.embedders import get_embedder
    from synth.ingest import ingest
    from synth.parsers import parse_file
    from synth.participants import participants_for

    tmp = Path(tempfile.mkdtemp(prefix="synth-bench-"))
    data = tmp / "data"
    generate(data, args.chunks)
    settings = load_settings(tmp / "ws", embedder=args.embedder)

    files, _ = discover([data])
    texts: list[str] = []
    for path in files:
        for doc in parse_file(path):
            texts += [c.text for c in chunk_document(doc, participants_for(doc)[1], settings.max_tokens)]
    print(f"data: {len(files)} files, {len(texts):,} chunks, {sum(map(len, texts)) / len(texts):.0f} chars/chunk")

    embedder = get_embedder(args.embedder)  # loaded once, outside both timings
    embedder.embed(texts[:256])  # warm-up
    model = getattr(embedder, "model", None)

    t0 = time.perf_counter()
    if model is not None:
        model.encode(texts, batch_size=settings.batch_size, normalize_embeddings=True, convert_to_numpy=True)
    else:
        embedder.embed(texts)
    raw_s = time.perf_counter() - t0

    first = ingest([data], settings)
    again = ingest([data], settings)
    # The same re-run as a user types it: a fresh process, imports and all.
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "synth.cli", "ingest", str(data), "--workspace", str(settings.workspace), "--json"],
        check=True, capture_output=True, env={**os.environ, "SYNTH_EMBEDDER": args.embedder},
    )
    cli_again_s = time.perf_counter() - t0

    raw_rate = len(texts) / raw_s
    ingest_rate = first.chunks / first.seconds
    figures = {
        "chunks": len(texts),
        "raw_encode_s": round(raw_s, 2),
        "raw_encode_chunks_per_s": round(raw_rate, 1),
        "ingest_s": round(first.seconds, 2),
        "ingest_chunks_per_s": round(ingest_rate, 1),
        "ingest_over_raw": round(ingest_rate / raw_rate, 3),
        "reingest_s": round(again.seconds, 3),
        "reingest_share_of_first": round(again.seconds / first.seconds, 4),
        "reingest_chunks_embedded": again.chunks_embedded,
        "reingest_cli_process_s": round(cli_again_s, 2),
        "reingest_cli_share_of_first": round(cli_again_s / first.seconds, 4),
    }
    print(f"raw encode     : {raw_s:8.1f} s  {raw_rate:8.1f} chunks/s")
    print(f"synth ingest   : {first.seconds:8.1f} s  {ingest_rate:8.1f} chunks/s  ({first.chunks:,} chunks stored)")
    print(f"ratio ingest/raw: {ingest_rate / raw_rate:.3f}   (target >= 0.85)")
    print(f"re-ingest      : {again.seconds:8.2f} s  = {100 * again.seconds / first.seconds:.2f}% of first "
          f"(target < 5%), {again.chunks_embedded} chunks embedded")
    print(f"re-ingest (CLI, new process): {cli_again_s:.2f} s = {100 * cli_again_s / first.seconds:.2f}% of first")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
