"""Ingest of 10,000 survey responses and 10,000 support tickets: time and peak memory.

    python evals/bench_surveys_tickets.py [--rows 10000] [--embedder SPEC | fake-hash:64]

Writes a Qualtrics CSV of N responses and an Intercom JSON of N conversations (the sample generator's
content, corpora/make_survey_ticket_exports.py, repeated with fresh ids and seeded variations), then
ingests each into a fresh workspace in its own process and prints wall time, rows per second and peak
RSS (ru_maxrss of that process). The baseline in the same run is a review CSV of N rows of the same
words, read by the plain review reader. `fake-hash:64` (tests/fakes.py) takes the embedder out of the
figures, leaving parsing, chunking and storage.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "corpora" / "make_survey_ticket_exports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_inputs(folder: Path, n: int) -> dict[str, Path]:
    import random

    gen = _generator()
    rng = random.Random(7)
    rows, tickets, _ = gen.build()
    big_rows, big_tickets = [], []
    for i in range(n):
        r = dict(rows[i % len(rows)])
        r["response_id"] = f"R_{i:010d}"
        r["email"] = ""
        r["change"] = f"{r['change']} {rng.choice(gen.CHANGE[rng.choice(gen.SEGMENTS)])}" if i % 2 else r["change"]
        big_rows.append(r)
        t = dict(tickets[i % len(tickets)])
        t["id"] = str(10_000_000 + i)
        t["person"] = dict(t["person"], email=f"c{i % (n // 2 or 1)}@bench.example")
        big_tickets.append(t)
    out = {"survey": folder / "survey" / "responses.csv", "tickets": folder / "tickets" / "conversations.json",
           "reviews": folder / "reviews" / "reviews.csv"}
    for p in out.values():
        p.parent.mkdir(parents=True, exist_ok=True)
    out["survey"].write_bytes(gen.csv_bytes(gen.qualtrics_rows(big_rows)))
    out["tickets"].write_bytes(gen.intercom(big_tickets))
    out["reviews"].write_bytes(gen.csv_bytes([["id", "author", "review"]] + [
        [str(i), f"user {i}", f"{r['change']} {r['left']}"] for i, r in enumerate(big_rows)]))
    return out


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from tests.conftest import *  # registers the fake-hash embedder
from synth.config import load_settings
from synth.ingest import ingest
settings = load_settings({ws!r}, embedder={embedder!r})
t = time.perf_counter()
report = ingest([__import__('pathlib').Path({path!r})], settings)
print(json.dumps({{"seconds": time.perf_counter() - t, "documents": report.documents, "chunks": report.chunks,
                  "failed": len(report.failed), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def run(path: Path, workspace: Path, embedder: str) -> dict:
    code = CHILD.format(root=str(ROOT), ws=str(workspace), embedder=embedder, path=str(path))
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=10_000)
    from synth.config import DEFAULT_EMBEDDER

    ap.add_argument("--embedder", default=DEFAULT_EMBEDDER)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_inputs(Path(tmp), args.rows)
        print(f"{'export':10} {'rows':>7} {'docs':>7} {'chunks':>7} {'seconds':>8} {'rows/s':>8} {'peak RSS MB':>12}")
        for name in ("reviews", "survey", "tickets"):
            r = run(inputs[name], Path(tmp) / f"ws_{name}", args.embedder)
            print(f"{name:10} {args.rows:>7} {r['documents']:>7} {r['chunks']:>7} {r['seconds']:>8.1f} "
                  f"{args.rows / r['seconds']:>8.0f} {r['rss_mb']:>12.0f}")


if __name__ == "__main__":
    main()
