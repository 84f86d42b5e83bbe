"""Segment recovery benchmark: how well `segment_participants` finds a sample corpus's true segments.

    python evals/bench_segments.py [--corpus corpora/larder] [--workspace DIR] [--personas N]
    python evals/bench_segments.py --all [--workspace DIR]     # every sample corpus, one after the other

Ingests the corpus with the real embedder (skipped when the workspace already holds it), builds
themes, segments participants, and compares participant segments with the truth in evals/truth/
(evals/truth.py: interviewees by file name and speaker, review, post and ticket authors through their
rows' ids). Prints ARI and NMI (1.0 = the truth, 0.0 = chance) over everyone and per kind of source,
the count chosen, the time each stage took, and a truth x segment table. With --all, --workspace is a
folder holding one workspace per corpus (DIR/larder, DIR/beacon), so a second run skips ingestion.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.truth import CORPORA, corpus_name, truth_labels  # noqa: E402


def scores(truth: dict[str, str], predicted: dict[str, int], people: list[str]) -> tuple[float, float]:
    """ARI and NMI over `people`."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    y_true, y_pred = [truth[p] for p in people], [predicted[p] for p in people]
    return adjusted_rand_score(y_true, y_pred), normalized_mutual_info_score(y_true, y_pred)


def bench(corpus: Path, workspace: Path, n: int | None = None, use_attributes: bool = False) -> dict:
    """Ingest (when needed), theme and segment one corpus; print its report and return its figures."""
    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.personas import segment_participants
    from synth.store import Store
    from synth.themes import build_themes

    settings = load_settings(workspace)
    started = time.perf_counter()
    report = ingest([corpus], settings)
    t_ingest = time.perf_counter() - started
    run = build_themes(settings)
    t_themes = time.perf_counter() - started - t_ingest
    segments = segment_participants(settings, n=n, use_attributes=use_attributes)
    t_segments = time.perf_counter() - started - t_ingest - t_themes

    with Store(settings.db_path) as store:
        truth, _ = truth_labels(store, corpus)
        kind_of = {p.id: p.kind.value for p in store.participants()}
    predicted = {p: i for i, seg in enumerate(segments) for p in seg.participant_ids}
    people = sorted(set(truth) & set(predicted))
    ari, nmi = scores(truth, predicted, people)

    print(f"corpus: {corpus} · embedder: {settings.embedder} · workspace: {workspace}")
    print(f"ingest: {report.chunks} chunks ({report.chunks_embedded} embedded) in {t_ingest:.1f}s · "
          f"themes: {len(run.themes)} in {t_themes:.1f}s · segments: {len(segments)} in {t_segments:.1f}s")
    choice = segments[0].attributes.get("k_choice", {}) if segments else {}
    print(f"count chosen: {choice.get('k')} ({choice.get('method')}) of {len(set(truth.values()))} true; "
          f"scores by k: {choice.get('scores', choice.get('stability', '-'))}")
    print(f"participants scored: {len(people)} of {len(predicted)} segmented, {len(truth)} in the truth")
    print(f"ARI {ari:.3f} · NMI {nmi:.3f}")
    for kind in sorted({kind_of[p] for p in people}):
        some = [p for p in people if kind_of[p] == kind]
        if len(set(truth[p] for p in some)) > 1:
            k_ari, k_nmi = scores(truth, predicted, some)
            print(f"  {kind} ({len(some)}): ARI {k_ari:.3f} · NMI {k_nmi:.3f}")
    labels = sorted(set(truth.values()))
    print("\n" + "segment".ljust(48) + "".join(s.rjust(6) for s in labels) + "  size")
    for i, seg in enumerate(segments):
        counts = Counter(truth[p] for p in seg.participant_ids if p in truth)
        print(f"{i + 1}. {seg.label[:44]}".ljust(48) + "".join(str(counts.get(s, 0)).rjust(6) for s in labels)
              + f"  {len(seg.participant_ids)}")
    print()
    return {"corpus": corpus_name(corpus), "ari": ari, "nmi": nmi, "k": choice.get("k"),
            "true_k": len(labels), "seconds": t_segments}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, help="workspace to use (default: a fresh temporary one); "
                        "with --all, a folder of one workspace per corpus")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "larder")
    parser.add_argument("--all", action="store_true", help=f"every sample corpus: {', '.join(CORPORA)}")
    parser.add_argument("--personas", type=int, default=None, help="force the number of segments")
    parser.add_argument("--use-attributes", action="store_true",
                        help="segment on customer attributes too (survey answers, joined CRM columns)")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    root = args.workspace or Path(tempfile.mkdtemp(prefix="synth-bench-"))
    if not args.all:
        bench(args.corpus, args.workspace or root / "ws", args.personas, args.use_attributes)
        return 0
    results = [bench(ROOT / "corpora" / name, root / name, args.personas, args.use_attributes) for name in CORPORA]
    print("corpus".ljust(10) + "ARI".rjust(7) + "NMI".rjust(7) + "   k (true)  segmenting")
    for r in results:
        print(f"{r['corpus']:<10}{r['ari']:7.3f}{r['nmi']:7.3f}   {r['k']} ({r['true_k']})"
              f"      {r['seconds']:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
