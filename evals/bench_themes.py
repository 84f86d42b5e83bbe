"""Themes benchmark: synth's themes against BERTopic on labeled data, on the same embeddings, in one run.

    pip install -e '.[bench]'          # BERTopic (bench-only), with UMAP and HDBSCAN
    python evals/bench_themes.py [--sets larder,tickets,scale] [--scale-n 100000]

1. larder: the sample corpus ingested into a fresh workspace with the real embedder; every review
   and post chunk is labeled with its truth theme (evals/truth/reviews_social.json, matched through
   the document's metadata id). Interview chunks are clustered too but carry no chunk-level label.
2. tickets: evals/labeled/support_tickets.jsonl (800 generated support tickets, 8 categories, see
   evals/labeled/make_labeled.py), ingested the same way.
For both: `synth.themes.build_themes` (the whole stage: clustering, keywords, exemplars, offline
labels, SQLite) and BERTopic (embedding_model=None, fed the very vectors synth clustered; default
UMAP with random_state fixed and default HDBSCAN) are scored by ARI and NMI against the labels,
with unassigned chunks / outliers as a label of their own, and again on assigned chunks only; plus
each tool's unassigned / outlier share and runtime. Goals: ARI >= BERTopic's, and an unassigned
share <= a quarter of BERTopic's outlier share.
3. scale: --scale-n short posts (generated, 12 topics), embedded cheaply by TF-IDF over word
   1-2-grams then a seeded sparse random projection to 256 dimensions (the real embedder would take
   most of an hour on CPU), then clustered and represented (keywords, exemplars) by synth's core in a
   fresh process limited to 2 cores; prints time and peak RSS. Goal: under 5 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "evals" / "labeled"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SCALE_DIMS = 256
SCALE_LIMIT_S = 300


# labeled sets --------------------------------------------------------------------------------------
SETS = ("tickets", "hotel", "fitness", "larder")


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def larder_truth() -> dict[str, str]:
    """Each larder review's and post's truth theme, by metadata id."""
    truth = json.loads((ROOT / "evals" / "truth" / "reviews_social.json").read_text(encoding="utf-8"))
    return {row["id"]: row["theme"] for kind in ("reviews", "social") for row in truth[kind]}


def tickets_truth() -> dict[str, str]:
    """Each generated ticket's category, by id."""
    from make_labeled import TICKETS_FILE

    return {r["id"]: r["category"] for r in _rows(TICKETS_FILE)}


def labeled_set(name: str, workspace: Path):
    """(settings, ingest seconds, truth by metadata id, split by metadata id, names addressed, description).

    split: "train" / "test" per row (tickets: odd ids are test); larder has none (all rows scored).
    names: the brands and handles the set addresses, which no label may contain.
    """
    from make_domains import FITNESS, FITNESS_FILE, HOTEL, HOTEL_FILE
    from make_labeled import TICKETS_FILE

    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.parsers import ParseOptions
    from synth.records import Kind

    settings = load_settings(workspace)
    split: dict[str, str] = {}
    if name == "larder":
        paths, options, truth = [ROOT / "corpora" / "larder"], ParseOptions(), larder_truth()
        names = ["Larder"]
        what = "Larder sample corpus (13 interviews, 320 reviews, 320 posts; 14 truth themes incl. off-topic)"
    elif name == "tickets":
        paths, options, truth = [TICKETS_FILE], ParseOptions(kind=Kind.review), tickets_truth()
        split = {tid: "test" if int(tid[2:]) % 2 else "train" for tid in truth}
        names = ["Tally"]
        what = "generated support tickets for a banking app (800 tickets, 8 categories)"
    elif name in ("hotel", "fitness"):
        file, spec = (HOTEL_FILE, HOTEL) if name == "hotel" else (FITNESS_FILE, FITNESS)
        rows = _rows(file)
        paths, options = [file], ParseOptions(kind=Kind.review)
        truth = {r["id"]: r["category"] for r in rows if r["category"]}
        split = {r["id"]: r["split"] for r in rows}
        names = spec["brands"] + spec["handles"]
        what = (f"generated {'hotel reviews (5 brands)' if name == 'hotel' else 'fitness-app reviews (4 apps)'}: "
                f"{len(rows)} rows, {len(set(truth.values()))} codes, chatter rows unlabelled")
    else:
        raise SystemExit(f"unknown set {name!r}; use {', '.join(SETS)}, scale")
    started = time.perf_counter()
    report = ingest(paths, settings, options)
    if report.failed:
        raise SystemExit(f"ingest of {name} failed: {report.failed}")
    return settings, time.perf_counter() - started, truth, split, names, what


def participant_chunks(settings) -> tuple[list, dict[str, object]]:
    """Participant chunks in the order the themes stage uses (by id), and each document's metadata id."""
    from synth.records import Role
    from synth.store import Store

    with Store(settings.db_path) as store:
        chunks = sorted((c for c in store.chunks() if c.role == Role.participant), key=lambda c: c.id)
        meta_id: dict[str, object] = {}
        for c in chunks:
            if c.document_id not in meta_id:
                doc = store.document(c.document_id)
                meta_id[c.document_id] = doc.metadata.get("id") if doc else None
    return chunks, meta_id


def participant_rows(settings, truth: dict[str, str], split: dict[str, str]):
    """Participant chunks in the order the themes stage uses (by id), their vectors, labels and splits."""
    from synth.themes.store import fetch_vectors
    from synth.vectors import VectorStore

    chunks, meta_id = participant_chunks(settings)
    vectors = VectorStore(settings.embedder, path=settings.chroma_path, url=settings.chroma_url)
    x, missing = fetch_vectors(vectors, [c.id for c in chunks])
    assert not missing, f"{len(missing)} chunks without vectors"
    ids = [meta_id[c.document_id] for c in chunks]
    return chunks, x, [truth.get(i) for i in ids], [split.get(i, "test") for i in ids]


# scoring -------------------------------------------------------------------------------------------
def scores(gold: list, pred: list) -> dict[str, float]:
    """ARI / NMI with -1 (unassigned, outlier) as its own label, and on assigned rows only."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    kept = [i for i, p in enumerate(pred) if p != -1]
    g2, p2 = [gold[i] for i in kept], [pred[i] for i in kept]
    return {
        "ari": adjusted_rand_score(gold, pred), "nmi": normalized_mutual_info_score(gold, pred),
        "ari_assigned": adjusted_rand_score(g2, p2), "nmi_assigned": normalized_mutual_info_score(g2, p2),
        "outliers_labeled": 1 - len(kept) / len(pred),
    }


_NAMEISH = re.compile(r"[@#]\w|https?://|www\.|\bx{3,}\b", re.I)


def unreadable(labels: list[str], names: list[str]) -> list[str]:
    """Labels that name who is addressed (a brand or handle of the set), hold a handle, hashtag, URL or mask,
    start or end on a filler or stop word, or repeat another label."""
    from synth.themes.represent import DISFLUENCIES

    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    filler = set(DISFLUENCIES) | set(ENGLISH_STOP_WORDS)
    bad, seen = [], set()
    for label in labels:
        words = re.findall(r"[\w'@#]+", label.lower())
        brand = any(re.search(rf"(?<!\w){re.escape(n.lower().lstrip('@'))}(?!\w)", label.lower()) for n in names)
        edge = not words or words[0] in filler or words[-1] in filler
        if brand or edge or _NAMEISH.search(label) or label.lower() in seen:
            bad.append(label)
        seen.add(label.lower())
    return bad


def run_synth(settings, themes: int | None = None, granularity: str | None = None) -> dict:
    from synth.themes import build_themes

    started = time.perf_counter()
    run = build_themes(settings, themes=themes, force=True, granularity=granularity)
    stage_s = time.perf_counter() - started
    started = time.perf_counter()
    again = build_themes(settings, themes=themes, granularity=granularity)
    rerun_s = time.perf_counter() - started
    assert again.cached
    theme_of = {cid: n for n, t in enumerate(run.themes) for cid in t.chunk_ids}
    return {"theme_of": theme_of, "topics": len(run.themes), "outliers": run.unassigned_share,
            "seconds": stage_s, "rerun_seconds": rerun_s, "labels": [t.label for t in run.themes],
            "set_aside": run.stats.get("set_aside_chunks", 0), "run": run}


def run_bertopic(chunks, x) -> dict:
    import numpy as np
    from bertopic import BERTopic
    from umap import UMAP

    UMAP(n_neighbors=5, n_components=2, random_state=42).fit(np.random.RandomState(0).rand(60, 8))  # JIT warm-up
    model = BERTopic(
        embedding_model=None,
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
        verbose=False,
    )
    started = time.perf_counter()
    topics, _ = model.fit_transform([c.text for c in chunks], embeddings=x)
    seconds = time.perf_counter() - started
    pred = [int(t) for t in topics]
    labels = [" ".join(w for w, _ in model.get_topic(t)[:3]) for t in sorted(set(pred) - {-1})]
    return {"pred": pred, "topics": len(set(pred) - {-1}), "outliers": pred.count(-1) / len(pred),
            "seconds": seconds, "labels": labels}


def run_kmeans(x, k: int) -> dict:
    from sklearn.cluster import KMeans

    started = time.perf_counter()
    pred = KMeans(k, n_init=10, random_state=0).fit_predict(x).tolist()
    return {"pred": pred, "topics": k, "outliers": 0.0, "seconds": time.perf_counter() - started, "labels": None}


def compare(name: str, workdir: Path | None, split_name: str = "test", granularities: tuple[str, ...] = ()) -> dict:
    temp = workdir is None
    workspace = (Path(tempfile.mkdtemp(prefix=f"synth-bench-themes-{name}-")) if temp else workdir / name) / "ws"
    settings, ingest_s, truth, split, names, what = labeled_set(name, workspace)
    chunks, x, labels, splits = participant_rows(settings, truth, split)
    rows = [i for i, (label, s) in enumerate(zip(labels, splits)) if label is not None and s == split_name]
    gold = [labels[i] for i in rows]
    k_true = len(set(label for label in labels if label is not None))
    results = {"synth auto": run_synth(settings), f"synth --themes {k_true}": run_synth(settings, k_true)}
    for g in granularities:  # --granularity coarse / fine beside auto: how the automatic count was chosen
        results[f"synth {g}"] = run_synth(settings, granularity=g)
    for res in list(results.values()):
        res["pred"] = [res["theme_of"].get(c.id, -1) for c in chunks]
    results["BERTopic"] = run_bertopic(chunks, x)
    results[f"k-means k={k_true}"] = run_kmeans(x, k_true)
    for res in results.values():
        res.update(scores(gold, [res["pred"][i] for i in rows]))
        res["unreadable"] = None if res["labels"] is None else unreadable(res["labels"], names)
    print(f"\n== {name}: {what}")
    print(f"   {len(chunks):,} participant chunks, scored on {len(rows):,} {split_name} rows ({len(set(gold))} labels); "
          f"embedder {settings.embedder}, ingested in {ingest_s:.1f}s")
    heads = list(results)
    print(f"   {'':30}" + "".join(f"{h:>17}" for h in heads))
    for key, title, fmt in (
        ("topics", "themes / topics", "{:.0f}"), ("ari", "ARI (unassigned = own label)", "{:.3f}"),
        ("nmi", "NMI (unassigned = own label)", "{:.3f}"), ("ari_assigned", "ARI, assigned only", "{:.3f}"),
        ("outliers", "unassigned, all chunks", "{:.1%}"), ("seconds", "runtime (s)", "{:.1f}"),
    ):
        print(f"   {title:30}" + "".join(f"{fmt.format(results[h][key]):>17}" for h in heads))
    read = [("-" if r["unreadable"] is None else f"{len(r['labels']) - len(r['unreadable'])}/{len(r['labels'])}")
            for r in results.values()]
    print(f"   {'readable labels':30}" + "".join(f"{v:>17}" for v in read))
    ours = results["synth auto"]
    print(f"   synth auto: set aside as not substantive {ours['set_aside']} chunks; re-run "
          f"{ours['rerun_seconds'] * 1000:.0f} ms; labels: " + "; ".join(ours["labels"]))
    if ours["unreadable"]:
        print(f"   unreadable synth labels: {ours['unreadable']}")
    if temp:
        shutil.rmtree(workspace.parent, ignore_errors=True)
    km = results[f"k-means k={k_true}"]
    bt = results["BERTopic"]
    goals = {
        "ari >= k-means(true k)": ours["ari"] >= km["ari"], "ari >= BERTopic": ours["ari"] >= bt["ari"],
        "unassigned <= 10%": ours["outliers"] <= 0.10, "labels readable": not ours["unreadable"],
    }
    print("   goals: " + "; ".join(f"{g} {'PASS' if ok else 'FAIL'}" for g, ok in goals.items()))
    return goals


# scale ---------------------------------------------------------------------------------------------
def scale(n: int) -> bool:
    import numpy as np
    from make_labeled import short_posts
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.random_projection import SparseRandomProjection

    started = time.perf_counter()
    texts, labels = short_posts(n)
    counts = HashingVectorizer(n_features=2**20, ngram_range=(1, 2), alternate_sign=False, norm=None).transform(texts)
    tfidf = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    x = SparseRandomProjection(SCALE_DIMS, dense_output=True, random_state=0).fit_transform(tfidf).astype(np.float32)
    embed_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="synth-bench-scale-") as tmp:
        np.save(Path(tmp) / "x.npy", x)
        (Path(tmp) / "texts.json").write_text(json.dumps({"texts": texts, "labels": labels}), encoding="utf-8")
        env = {**os.environ, **{v: "2" for v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}}
        cmd = [sys.executable, __file__, "--scale-child", tmp]
        if hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) > 2:
            cmd = ["taskset", "-c", ",".join(map(str, sorted(os.sched_getaffinity(0))[:2])), *cmd]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"\n== scale: {n:,} generated short posts (12 topics), {res['cores']} cores")
    print(f"   embedding: TF-IDF word 1-2-grams + sparse random projection to {SCALE_DIMS} dims "
          f"(cheap and deterministic, not the real embedder), {embed_s:.1f}s, not counted below")
    print(f"   clustering core: {res['cluster_s']:.1f}s -> {res['themes']} themes over {res['units']} micro-clusters, "
          f"{res['unassigned_share']:.1%} unassigned")
    print(f"   keywords (c-TF-IDF) + exemplars: {res['represent_s']:.1f}s")
    print(f"   total {res['total_s']:.1f}s; peak RSS {res['peak_rss_mb']:.0f} MB "
          f"(before clustering, with the {n:,} x {SCALE_DIMS} vectors and texts loaded: {res['input_rss_mb']:.0f} MB)")
    print(f"   ARI vs generator topics {res['ari']:.3f} (lexical vectors split topics by shared phrasing; "
          "reference only)")
    ok = res["total_s"] < SCALE_LIMIT_S
    print(f"   goal under {SCALE_LIMIT_S // 60} minutes on 2 cores: {'PASS' if ok else 'FAIL'}")
    return ok


def peak_rss_mb() -> float:
    """This process's peak resident set size. Linux: VmHWM, which exec resets (ru_maxrss would carry the
    parent's peak over fork + exec); elsewhere ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def scale_child(folder: str) -> None:
    """Runs in a fresh process (2 cores) so peak RSS measures clustering, not this benchmark's other work."""
    import numpy as np
    from sklearn.metrics import adjusted_rand_score

    from synth.records import Chunk, Kind, Role
    from synth.themes.cluster import cluster_vectors
    from synth.themes.represent import class_keywords, pick_exemplars

    x = np.load(Path(folder) / "x.npy")
    data = json.loads((Path(folder) / "texts.json").read_text(encoding="utf-8"))
    texts, labels = data["texts"], data["labels"]
    input_rss = peak_rss_mb()
    started = time.perf_counter()
    c = cluster_vectors(x)
    cluster_s = time.perf_counter() - started
    keywords = class_keywords(texts, c.labels, c.k)
    for k in range(c.k):
        rows = np.flatnonzero(c.labels == k)
        order = rows[np.argsort(-(x[rows] @ c.centroids[k]))][:200]  # exemplars come from the most central
        chunks = [Chunk(document_id=f"d{i}", participant_id=f"p{i}", speaker="", role=Role.participant,
                        kind=Kind.social, text=texts[i], start=0, end=len(texts[i])) for i in order]
        pick_exemplars(x[order], chunks, c.centroids[k])
    total_s = time.perf_counter() - started
    print(json.dumps({
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cluster_s": cluster_s, "represent_s": total_s - cluster_s, "total_s": total_s, "themes": c.k,
        "units": c.stats.get("units"), "unassigned_share": c.stats.get("unassigned_share"),
        "peak_rss_mb": peak_rss_mb(), "input_rss_mb": input_rss,
        "ari": adjusted_rand_score(labels, c.labels), "keywords_0": keywords[0][:5] if keywords else [],
    }))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default="tickets,hotel,fitness,larder",
                    help="comma-separated: tickets, hotel, fitness, larder, scale")
    ap.add_argument("--split", default="test", choices=("test", "train"),
                    help="rows scored: test (report) or train (tuning only)")
    ap.add_argument("--granularities", default="", help="also run synth with these, e.g. coarse,fine (tuning: --split train)")
    ap.add_argument("--scale-n", type=int, default=100_000)
    ap.add_argument("--workdir", type=Path, help="keep the ingested workspaces here and reuse them on the next run")
    ap.add_argument("--scale-child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.scale_child:
        scale_child(args.scale_child)
        return
    try:
        import bertopic  # noqa: F401
    except ImportError:
        raise SystemExit("BERTopic is a bench-only dependency: pip install -e '.[bench]'") from None
    wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
    results = []
    for name in wanted:
        if name == "scale":
            results.append(scale(args.scale_n))
        else:
            grains = tuple(g.strip() for g in args.granularities.split(",") if g.strip())
            results += list(compare(name, args.workdir, args.split, grains).values())
    print(f"\n{sum(results)}/{len(results)} goals met")


if __name__ == "__main__":
    main()
