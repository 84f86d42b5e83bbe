"""Pipeline benchmark: the whole pipeline on the sample corpus, scored against its truth, beside a naive baseline.

    python evals/bench_pipeline.py [--workspace DIR] [--embedder SPEC] [--seed 13] [--json out.json] [--html out.html]

One run, one process:
  1. ingest corpora/larder with the real embedder into a temporary workspace (or --workspace, re-used);
  2. themes (synth.themes), then segments and personas (synth.personas), then `synth.evaluation.evaluate`;
  3. BERTopic on the same stored embeddings (when installed), as a reference for the themes stage;
  4. a naive baseline drafter: for each segment, evidence sampled at random from the whole corpus (seeded),
     drafted by the same offline drafter, stored with every citation claimed `verified` (nothing checked),
     then scored by the same evaluation, which re-verifies everything.
It prints, side by side: segment recovery ARI (participants mapped through evals/truth/interviews.json
file + speaker and reviews_social.json items and authors), theme ARI / NMI against the review and post
theme labels, quote fidelity, verified-display fidelity, claim support, citation recall / precision,
coverage, distinctiveness, and the time each stage took. A stage that is not installed is reported as missing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.truth import truth_labels  # noqa: E402
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CORPUS = ROOT / "corpora" / "larder"
BASELINE_EVIDENCE = 40  # evidence chunks the baseline drafts each persona from
NOISE = "-1"  # label of a chunk no theme took, or a participant no segment took


class StageMissing(Exception):
    """A pipeline stage this checkout does not have yet."""


def clustering_scores(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    """ARI and NMI over the truth's keys; anything without a prediction counts as noise."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    keys = sorted(truth)
    gold = [truth[k] for k in keys]
    pred = [predicted.get(k, NOISE) for k in keys]
    return {"ari": round(adjusted_rand_score(gold, pred), 4), "nmi": round(normalized_mutual_info_score(gold, pred), 4),
            "n": len(keys), "clusters": len(set(pred) - {NOISE}), "noise": sum(p == NOISE for p in pred)}


# stages -----------------------------------------------------------------------------------------
def timed(timings: dict[str, Any], name: str, fn: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        result = fn()
    except StageMissing as exc:
        timings[name] = f"missing ({exc})"
        print(f"  {name}: missing: {exc}", flush=True)
        return None
    timings[name] = round(time.perf_counter() - started, 2)
    print(f"  {name}: {timings[name]}s", flush=True)
    return result


def run_ingest(settings) -> Any:
    from synth.ingest import ingest

    report = ingest([CORPUS], settings)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    return report


def run_themes(settings) -> list:
    """The themes stage, stored in the workspace; returns the stored themes."""
    from synth.themes import build_themes

    build_themes(settings)
    return load_themes(settings)


def load_themes(settings) -> list:
    from synth.evaluation import load_workspace_themes
    from synth.store import Store

    with Store(settings.db_path) as store:
        themes, _ = load_workspace_themes(store)
    return themes or []


def run_personas(settings) -> tuple[list, list]:
    """Segments and personas, stored in the workspace; returns (segments, personas)."""
    from synth.llm import open_llm
    from synth.personas import draft_personas

    with open_llm(settings.workspace) as llm:
        draft_personas(settings, llm)
    from synth.personas.store import load_personas, load_segments
    from synth.store import Store

    with Store(settings.db_path) as store:
        return load_segments(store), load_personas(store)


def run_bertopic(settings, chunk_ids: list[str], texts: list[str]) -> dict[str, str]:
    """chunk id -> BERTopic topic, fitted on the workspace's stored embeddings of the same chunks."""
    try:
        from bertopic import BERTopic
        from hdbscan import HDBSCAN
        from umap import UMAP
    except ImportError as exc:
        raise StageMissing(f"bertopic is not installed ({exc})") from None
    import numpy as np

    from synth.vectors import VectorStore

    vectors = VectorStore(settings.embedder, path=settings.chroma_path, url=settings.chroma_url)
    got = vectors.collection.get(ids=chunk_ids, include=["embeddings"])
    by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
    embeddings = np.asarray([by_id[c] for c in chunk_ids], dtype=np.float32)
    model = BERTopic(
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
        hdbscan_model=HDBSCAN(min_cluster_size=10, metric="euclidean", prediction_data=True),
        calculate_probabilities=False, verbose=False,
    )
    topics, _ = model.fit_transform(texts, embeddings=embeddings)
    return {c: (NOISE if t == -1 else str(t)) for c, t in zip(chunk_ids, topics, strict=True)}


# the naive baseline -----------------------------------------------------------------------------
def draft_to_persona(draft, evidence, segment_id: str, pid: str):
    """A Persona from a PersonaDraft with every citation *claimed* verified, as unchecked tools show them."""
    from synth.records import Citation, Claim, Persona, Verdict

    def cites(refs) -> list:
        return [Citation(chunk_id=evidence[r.n - 1].chunk_id, quote=r.quote, verdict=Verdict.verified) for r in refs]

    claims = [Claim(section="narrative", text=s.text, citations=cites(s.citations), verdict=Verdict.supported)
              for s in draft.narrative]
    for facet, items in draft.sections.items():
        claims += [Claim(section=facet, text=c.text, citations=cites(c.citations), verdict=Verdict.supported)
                   for c in items]
    claims += [Claim(section="quotes", text=q.quote, citations=cites([q]), verdict=Verdict.supported)
               for q in draft.quotes]
    return Persona(id=pid, name=draft.name, summary=draft.summary, segment_id=segment_id, claims=claims,
                   provenance={"drafter": "naive baseline: random evidence, no segment, no verification"})


def run_baseline(settings, base_dir: Path, segments: list, seed: int):
    """Draft one persona per segment from random corpus-wide evidence, store it unverified, evaluate it."""
    from synth.config import load_settings
    from synth.evaluation import evaluate
    from synth.llm import DraftPersonaInput, Evidence, open_llm, run_task
    from synth.personas.store import save_personas
    from synth.records import Role
    from synth.store import Store

    with Store(settings.db_path) as store:
        pool = [c for c in store.chunks() if c.role == Role.participant and c.participant_id]
        base_dir.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(base_dir / "synth.db")
        store.db.backup(target)  # the same records; personas replaced below
        target.close()
    baseline = load_settings(base_dir, embedder=settings.embedder)
    personas = []
    with open_llm(base_dir, llm="offline", command="bench baseline") as llm:
        for k, segment in enumerate(segments):
            rng = random.Random(seed * 1000 + k)
            sample = rng.sample(pool, min(BASELINE_EVIDENCE, len(pool)))
            evidence = Evidence.from_chunks(sample)
            draft, _ = run_task("draft_persona", DraftPersonaInput(segment_summary="", themes=[], evidence=evidence), llm)
            personas.append(draft_to_persona(draft, evidence, segment.id, f"base_{k + 1}"))
        with Store(baseline.db_path) as store:
            save_personas(store, segments, personas)
        return evaluate(baseline, llm=llm)


def truth_segments(seg_truth: dict[str, str]) -> list:
    """The true segments as Segment records, for when the personas stage is missing."""
    from synth.records import Segment

    names = sorted(set(seg_truth.values()))
    return [Segment(id=f"truth_{s}", label=s, participant_ids=sorted(p for p, t in seg_truth.items() if t == s))
            for s in names]


# report -----------------------------------------------------------------------------------------
ROWS = [
    ("segment ARI", "segment_ari"), ("theme ARI", "theme_ari"), ("theme NMI", "theme_nmi"),
    ("quote fidelity", "quote_fidelity"), ("verified-display fidelity", "verified_display_fidelity"),
    ("citations verified (re-checked)", "verified_rate"), ("claim support rate", "support"),
    ("citation recall (ALCE)", "citation_recall"), ("citation precision (ALCE)", "citation_precision"),
    ("segment coverage", "segment_coverage"), ("theme coverage", "theme_coverage"),
    ("distinctiveness", "distinctiveness"),
]


def _fmt(v: Any) -> str:
    return f"{v:.3f}" if isinstance(v, (int, float)) else "–"


def print_results(results: dict) -> None:
    cols = ["synth pipeline", "naive baseline"] + (["BERTopic"] if results.get("bertopic") else [])
    print(f"\n{'figure':<34}" + "".join(f"{c:>17}" for c in cols))
    for label, key in ROWS:
        cells = [results["pipeline"].get(key), results["baseline"].get(key)]
        if results.get("bertopic"):
            cells.append(results["bertopic"].get(key))
        print(f"{label:<34}" + "".join(f"{_fmt(v):>17}" for v in cells))
    print("\ntime per stage (s): " + " · ".join(f"{k} {v}" for k, v in results["timings"].items()))
    for note in results["notes"]:
        print(f"note: {note}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, help="re-use this workspace (ingest is incremental) [default: temp]")
    ap.add_argument("--embedder", default="sentence-transformers:all-MiniLM-L6-v2")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--json", dest="json_out", type=Path, help="also write the figures here")
    ap.add_argument("--html", type=Path, help="also write the pipeline's evaluation as HTML here")
    args = ap.parse_args()

    from synth.config import load_settings
    from synth.evaluation import evaluate, render_html
    from synth.store import Store

    tmp = tempfile.TemporaryDirectory(prefix="synth-bench-")
    ws = args.workspace or Path(tmp.name) / "ws"
    settings = load_settings(ws, embedder=args.embedder)
    timings: dict[str, Any] = {}
    notes: list[str] = []
    results: dict[str, Any] = {"pipeline": {}, "baseline": {}, "bertopic": {}, "timings": timings, "notes": notes}
    print(f"workspace {ws}", flush=True)

    timed(timings, "ingest", lambda: run_ingest(settings))
    with Store(settings.db_path) as store:
        seg_truth, theme_truth = truth_labels(store)
        evidence = [c for c in store.chunks() if c.role.value == "participant" and c.participant_id]
    notes.append(f"truth: {len(seg_truth)} participants with a segment, {len(theme_truth)} review/post chunks with a theme")

    themes = timed(timings, "themes", lambda: run_themes(settings))
    if themes:
        assigned = {cid: t.id for t in reversed(themes) for cid in t.chunk_ids}  # first theme wins
        figures = clustering_scores(theme_truth, assigned)
        results["pipeline"].update(theme_ari=figures["ari"], theme_nmi=figures["nmi"])
        notes.append(f"themes: {figures['clusters']} themes, {figures['noise']} labelled chunks unassigned")

    topics = timed(timings, "bertopic", lambda: run_bertopic(settings, [c.id for c in evidence], [c.text for c in evidence]))
    if topics:
        figures = clustering_scores(theme_truth, topics)
        results["bertopic"].update(theme_ari=figures["ari"], theme_nmi=figures["nmi"])
        notes.append(f"BERTopic: {figures['clusters']} topics, {figures['noise']} labelled chunks as outliers")

    built = timed(timings, "personas", lambda: run_personas(settings))
    segments = built[0] if built else []
    if built and built[1]:
        predicted = {p: s.id for s in segments for p in s.participant_ids}
        results["pipeline"]["segment_ari"] = clustering_scores(seg_truth, predicted)["ari"]
        report = timed(timings, "eval", lambda: evaluate(settings))
        results["pipeline"].update({k: v for k, v in report.summary.items() if v is not None})
        if args.html:
            args.html.write_text(render_html(report), encoding="utf-8")
        notes.append(f"pipeline: {len(segments)} segments, {len(built[1])} personas; judge {report.judge}")
    if not segments:
        segments = truth_segments(seg_truth)
        notes.append("the baseline drafts for the true segments (no pipeline segments to draft for)")

    base = timed(timings, "baseline", lambda: run_baseline(settings, Path(tmp.name) / "baseline", segments, args.seed))
    results["baseline"].update({k: v for k, v in base.summary.items() if v is not None})
    notes.append(f"baseline: {len(base.personas)} personas from {BASELINE_EVIDENCE} random corpus-wide chunks each; "
                 f"{sum(len(p.tampered) for p in base.personas)} citations it showed as verified do not re-verify")

    print_results(results)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    tmp.cleanup()


if __name__ == "__main__":
    main()
