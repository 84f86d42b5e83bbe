"""Local-cluster throughput: `synth ingest --engine dask` on a Dask LocalCluster against the single-process path.

    python evals/bench_cluster.py [--posts 3000] [--workers 2] [--embedder sentence-transformers:all-MiniLM-L6-v2]

Generates --posts distinct posts (evals/social_posts.py, no copies, so that every post is embedded), then in
one run ingests them twice into fresh workspaces: in this process (local engine), and with the embedding
as Dask tasks on a LocalCluster of --workers single-threaded worker processes on 127.0.0.1 (started here,
like an existing cluster would be addressed). Prints chunks/s of each and their ratio. On one machine the
cluster can only win by using cores the single process leaves idle; on a shared 2-core box expect about 1x.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--embedder", default="sentence-transformers:all-MiniLM-L6-v2")
    args = ap.parse_args()

    from distributed import Client, LocalCluster

    from evals.social_posts import generate
    from synth.config import load_settings
    from synth.embedders import get_embedder
    from synth.engines import DaskEngine
    from synth.ingest import ingest

    root = Path(tempfile.mkdtemp(prefix="synth-cluster-"))
    folder = root / "posts"
    folder.mkdir()
    seen, rows = set(), []
    for n, post in enumerate(generate(args.posts * 4, share_original=1.0)):
        if post["text"] not in seen and len(rows) < args.posts:
            seen.add(post["text"])
            rows.append((post["id"], f"user{n}", post["text"]))
    with (folder / "posts.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "author", "text"])
        w.writerows(rows)
    get_embedder(args.embedder).embed(["warm up"])
    out = {}
    t0 = time.perf_counter()
    local = ingest([folder], load_settings(root / "ws-local", embedder=args.embedder))
    out["local"] = local.chunks_embedded / (time.perf_counter() - t0)
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        engine = DaskEngine(cluster.scheduler_address)
        with Client(cluster.scheduler_address, set_as_default=False) as client:  # models loaded before the clock
            client.run(lambda spec=args.embedder: __import__("synth.embedders").embedders.get_embedder(spec).dimension)
        t0 = time.perf_counter()
        remote = ingest([folder], load_settings(root / "ws-dask", embedder=args.embedder), engine=engine)
        out["dask"] = remote.chunks_embedded / (time.perf_counter() - t0)
        engine.close()
    print(f"posts {len(rows)} · embedder {args.embedder} · {args.workers} workers · load {os.getloadavg()[0]:.1f}")
    print(f"single process   {out['local']:8.1f} chunks/s ({local.chunks_embedded} embedded)")
    print(f"dask cluster     {out['dask']:8.1f} chunks/s ({remote.chunks_embedded} embedded)")
    print(f"ratio            {out['dask'] / out['local']:8.2f}x")


if __name__ == "__main__":
    main()
