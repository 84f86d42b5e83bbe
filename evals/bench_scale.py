"""Social listening at scale: generated posts with realistic duplication through `synth ingest` and `synth themes`.

    python evals/bench_scale.py --posts 100000 [--embedder model2vec:all-MiniLM-L6-v2] [--no-themes]

Generates an export of --posts posts (evals/social_posts.py: retweets, copy-pastes, campaigns, bots), then
in one process: ingest into a fresh workspace (near-duplicates folded, distinct texts embedded), themes
(offline labels), and, as the baseline measured in the same run, MiniLM's raw encode rate on a sample of
the distinct texts, from which the time MiniLM alone would need to embed every post is extrapolated.
Prints posts, distinct texts, copies folded, seconds per stage, posts/s, and the peak RSS of the process.
Targets (issue 19): 100,000 posts through ingest and themes in under 5 minutes on 2 cores with the fast
embedder; 1,000,000 posts with peak RSS under 4 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_s() -> float:
    """CPU seconds this process used (all threads): on a shared machine, wall time alone says little."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--embedder", default="model2vec:all-MiniLM-L6-v2")
    ap.add_argument("--no-themes", action="store_true", help="ingest only")
    ap.add_argument("--baseline-sample", type=int, default=1000, help="texts MiniLM encodes for the baseline (0: skip)")
    ap.add_argument("--dir", help="work folder (default: a temporary one)")
    ap.add_argument("--progress", action="store_true", help="print synth's plain progress lines (every 10 s)")
    ap.add_argument("--json", dest="json_out", help="also write the figures to this JSON file")
    args = ap.parse_args()

    from evals.social_posts import write_csv
    from synth.config import load_settings
    from synth.embedders import get_embedder
    from synth.ingest import IngestProgress, ingest

    root = Path(args.dir or tempfile.mkdtemp(prefix="synth-scale-"))
    folder = root / "posts"
    started = time.perf_counter()
    write_csv(folder / "posts.csv", args.posts)
    gen_s = time.perf_counter() - started
    settings = load_settings(root / "ws", embedder=args.embedder)
    get_embedder(args.embedder)  # loaded (or distilled) before the clock starts, as in bench_ingest.py
    progress = IngestProgress()
    if args.progress:
        from synth.cli_views import IngestLog

        progress = IngestLog()
    t0, c0 = time.perf_counter(), cpu_s()
    report = ingest([folder], settings, progress=progress)
    ingest_s, ingest_cpu = time.perf_counter() - t0, cpu_s() - c0
    ingest_rss = peak_rss_mb()
    out = {
        "posts": args.posts, "embedder": args.embedder, "generate_s": round(gen_s, 1),
        "chunks": report.chunks, "embedded": report.chunks_embedded, "folded": report.chunks_folded,
        "ingest_s": round(ingest_s, 1), "ingest_cpu_s": round(ingest_cpu, 1),
        "ingest_posts_per_s": round(args.posts / ingest_s),
        "peak_rss_after_ingest_mb": round(ingest_rss),
    }
    if not args.no_themes:
        from synth.themes import build_themes

        t0, c0 = time.perf_counter(), cpu_s()
        run = build_themes(settings)
        out["themes_s"] = round(time.perf_counter() - t0, 1)
        out["themes_cpu_s"] = round(cpu_s() - c0, 1)
        out["themes"] = len(run.themes)
        out["unassigned_share"] = round(run.unassigned_share, 4)
    out["total_s"] = round(out["ingest_s"] + out.get("themes_s", 0), 1)
    out["total_cpu_s"] = round(out["ingest_cpu_s"] + out.get("themes_cpu_s", 0), 1)
    out["load_average_1m"] = round(os.getloadavg()[0], 2)  # other work on the machine during the run
    out["peak_rss_mb"] = round(peak_rss_mb())
    if args.baseline_sample:
        from synth.store import Store

        with Store(settings.db_path) as store:
            texts = [r[0] for r in store.db.execute("SELECT text FROM chunks WHERE id NOT IN "
                                                    "(SELECT chunk_id FROM chunk_folds) LIMIT ?",
                                                    (args.baseline_sample,))]
        minilm = get_embedder("sentence-transformers:all-MiniLM-L6-v2")
        minilm.embed(texts[:32])
        t0 = time.perf_counter()
        minilm.embed(texts)
        rate = len(texts) / (time.perf_counter() - t0)
        out["minilm_raw_chunks_per_s"] = round(rate, 1)
        out["minilm_all_posts_s_extrapolated"] = round(args.posts / rate)
        out["speedup_vs_minilm_every_post"] = round(args.posts / rate / out["total_s"], 1)
    for key, value in out.items():
        print(f"{key:34} {value}")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
