"""Quality cost of the fast static embedder: model2vec distilled from MiniLM against MiniLM itself, in one run.

    python evals/bench_embedders.py [--sets larder,beacon,tickets] [--fast model2vec:all-MiniLM-L6-v2]

For each set, the participant chunks of a fresh workspace (ingested with the fast embedder: parsing and
chunking do not depend on the embedder) are embedded by both models in this process, then:
  theme ARI   synth's clustering core (`cluster_vectors`) on each model's vectors, scored against the truth
              labels where the set has them (larder reviews and posts: evals/truth; tickets: 8 categories),
              unassigned as a label of its own; and the ARI between the two models' partitions (all sets);
  search      for every labelled chunk as a query, the share of its 10 nearest chunks that carry the same
              label (label precision@10, each model), and for every chunk the share of MiniLM's 10 nearest
              that the fast model also returns in its 10 (neighbour recall@10 against MiniLM);
  speed       chunks/s of each model on these texts.
beacon has no chunk-level truth: only the agreement figures. Nothing here is tuned on these sets.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals" / "labeled"))
sys.path.insert(0, str(ROOT / "evals"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

MINILM = "sentence-transformers:all-MiniLM-L6-v2"


def chunks_and_labels(name: str, fast: str, workspace: Path):
    from bench_themes import larder_truth, participant_chunks, tickets_truth
    from make_labeled import TICKETS_FILE

    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.parsers import ParseOptions
    from synth.records import Kind

    settings = load_settings(workspace, embedder=fast)
    if name == "tickets":
        paths, options, truth = [TICKETS_FILE], ParseOptions(kind=Kind.review), tickets_truth()
    else:
        paths, options = [ROOT / "corpora" / name], ParseOptions()
        truth = larder_truth() if name == "larder" else {}
    ingest(paths, settings, options)
    chunks, meta_id = participant_chunks(settings)
    ids = [meta_id[c.document_id] for c in chunks]
    return chunks, [None if i is None else truth.get(str(i)) for i in ids]


def knn(x, k: int = 10):
    import numpy as np

    sims = x @ x.T
    np.fill_diagonal(sims, -np.inf)
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def evaluate(name: str, fast: str) -> dict:
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    from synth.embedders import get_embedder
    from synth.themes.cluster import cluster_vectors

    workspace = Path(tempfile.mkdtemp(prefix=f"synth-bench-emb-{name}-")) / "ws"
    chunks, labels = chunks_and_labels(name, fast, workspace)
    texts = [c.text for c in chunks]
    out: dict = {"set": name, "chunks": len(chunks), "labelled": sum(lbl is not None for lbl in labels)}
    parts, neigh = {}, {}
    for tag, spec in (("minilm", MINILM), ("fast", fast)):
        emb = get_embedder(spec)
        emb.embed(texts[:16])
        t0 = time.perf_counter()
        x = np.vstack([emb.embed(texts[i : i + 256]) for i in range(0, len(texts), 256)])
        out[f"{tag}_chunks_per_s"] = round(len(texts) / (time.perf_counter() - t0))
        parts[tag] = cluster_vectors(x).labels
        neigh[tag] = knn(x)
        rows = [i for i, lbl in enumerate(labels) if lbl is not None]
        if rows:
            out[f"{tag}_ari"] = round(adjusted_rand_score([labels[i] for i in rows], [parts[tag][i] for i in rows]), 3)
            out[f"{tag}_themes"] = int(parts[tag].max() + 1)
            same = [np.mean([labels[j] == labels[i] for j in neigh[tag][i]]) for i in rows]
            out[f"{tag}_label_p10"] = round(float(np.mean(same)), 3)
    out["ari_between"] = round(adjusted_rand_score(parts["minilm"], parts["fast"]), 3)
    overlap = [len(set(a) & set(b)) / len(a) for a, b in zip(neigh["minilm"], neigh["fast"])]
    out["neighbour_recall10"] = round(float(np.mean(overlap)), 3)
    shutil.rmtree(workspace.parent, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="larder,beacon,tickets")
    ap.add_argument("--fast", default="model2vec:all-MiniLM-L6-v2")
    args = ap.parse_args()
    keys = ["chunks", "labelled", "minilm_ari", "fast_ari", "ari_between", "minilm_label_p10", "fast_label_p10",
            "neighbour_recall10", "minilm_chunks_per_s", "fast_chunks_per_s"]
    results = [evaluate(name, args.fast) for name in args.sets.split(",")]
    print(f"{'':22}" + "".join(f"{r['set']:>12}" for r in results))
    for key in keys:
        print(f"{key:22}" + "".join(f"{str(r.get(key, '-')):>12}" for r in results))


if __name__ == "__main__":
    main()
