"""Segment recovery benchmark: how well `segment_participants` finds the sample corpus's four segments.

    python evals/bench_segments.py [--workspace DIR] [--personas N] [--corpus corpora/larder]

Ingests the corpus with the real embedder (skipped when --workspace already holds it), builds
themes, segments participants, and compares participant segments with the truth in evals/truth/:
interviewees by (file name, speaker), review and post authors through their documents' ids. Prints
ARI and NMI (1.0 = the truth, 0.0 = chance), the count chosen, and a truth x segment table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.truth import truth_labels  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, help="workspace to use (default: a fresh temporary one)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpora" / "larder")
    parser.add_argument("--personas", type=int, default=None, help="force the number of segments")
    args = parser.parse_args()

    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.personas import segment_participants
    from synth.store import Store
    from synth.themes import build_themes

    workspace = args.workspace or Path(tempfile.mkdtemp(prefix="synth-bench-")) / "ws"
    settings = load_settings(workspace)
    started = time.perf_counter()
    report = ingest([args.corpus], settings)
    t_ingest = time.perf_counter() - started
    run = build_themes(settings)
    t_themes = time.perf_counter() - started - t_ingest
    segments = segment_participants(settings, n=args.personas)
    t_segments = time.perf_counter() - started - t_ingest - t_themes

    with Store(settings.db_path) as store:
        truth, _ = truth_labels(store)
    predicted = {p: i for i, seg in enumerate(segments) for p in seg.participant_ids}
    people = sorted(set(truth) & set(predicted))
    y_true = [truth[p] for p in people]
    y_pred = [predicted[p] for p in people]
    ari = adjusted_rand_score(y_true, y_pred)
    nmi = normalized_mutual_info_score(y_true, y_pred)

    print(f"corpus: {args.corpus} · embedder: {settings.embedder} · workspace: {workspace}")
    print(f"ingest: {report.chunks} chunks ({report.chunks_embedded} embedded) in {t_ingest:.1f}s · "
          f"themes: {len(run.themes)} in {t_themes:.1f}s · segments: {len(segments)} in {t_segments:.1f}s")
    choice = segments[0].attributes.get("k_choice", {}) if segments else {}
    print(f"count chosen: {choice.get('k')} ({choice.get('method')}); stability by k: {choice.get('stability', '-')}")
    print(f"participants scored: {len(people)} of {len(predicted)} segmented, {len(truth)} in the truth")
    print(f"ARI {ari:.3f} · NMI {nmi:.3f}")
    labels = sorted(set(y_true))
    print("\n" + "segment".ljust(48) + "".join(s.rjust(6) for s in labels) + "  size")
    for i, seg in enumerate(segments):
        counts = Counter(truth[p] for p in seg.participant_ids if p in truth)
        print(f"{i + 1}. {seg.label[:44]}".ljust(48) + "".join(str(counts.get(s, 0)).rjust(6) for s in labels)
              + f"  {len(seg.participant_ids)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
