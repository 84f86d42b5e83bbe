"""Precision and recall of synth.substance on hand-written labelled sentences.

"Positive" is non-substantive (set aside). Every 3rd line (index % 3 == 2) is held out: rules
are tuned on the other lines only, and the held-out figures are the ones to quote.

    python evals/bench_substance.py            # held-out split, English study
    python evals/bench_substance.py --split all --errors
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from synth.substance import substance

DATA = Path(__file__).with_name("substance_sentences.jsonl")


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    if split == "held-out":
        return [r for i, r in enumerate(rows) if i % 3 == 2]
    if split == "tune":
        return [r for i, r in enumerate(rows) if i % 3 != 2]
    return rows


def score(rows: list[dict], study_language: str = "en") -> dict:
    """Counts and rates for non-substantive detection, plus per-reason tallies."""
    tp = fp = fn = tn = 0
    reasons_true: Counter[str] = Counter()
    reasons_pred: Counter[str] = Counter()
    reason_agree = 0
    errors = []
    for row in rows:
        predicted = substance(row["text"], study_language=study_language)
        gold = None if row["label"] == "substantive" else row["label"]
        reasons_true[row["label"]] += 1
        reasons_pred[predicted or "substantive"] += 1
        if gold and predicted:
            tp += 1
            reason_agree += gold == predicted
        elif predicted and not gold:
            fp += 1
            errors.append(("set aside evidence", row["text"], predicted))
        elif gold and not predicted:
            fn += 1
            errors.append(("kept " + gold, row["text"], "substantive"))
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "n": len(rows),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "reason_accuracy": round(reason_agree / tp, 3) if tp else None,
        "labelled": dict(sorted(reasons_true.items())),
        "predicted": dict(sorted(reasons_pred.items())),
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["held-out", "tune", "all"], default="held-out")
    parser.add_argument("--errors", action="store_true", help="list every misjudged sentence")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    result = score(load(args.split))
    result["seconds"] = round(time.perf_counter() - started, 2)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(
        f"{args.split}: {result['n']} sentences  non-substantive precision {result['precision']:.3f}"
        f"  recall {result['recall']:.3f}  (tp {result['tp']} fp {result['fp']} fn {result['fn']})"
        f"  reason agreement {result['reason_accuracy']}  {result['seconds']}s"
    )
    print(f"{'reason':16} {'labelled':>8} {'predicted':>9}")
    for reason in sorted(set(result["labelled"]) | set(result["predicted"])):
        print(f"{reason:16} {result['labelled'].get(reason, 0):>8} {result['predicted'].get(reason, 0):>9}")
    if args.errors:
        for kind, text, predicted in result["errors"]:
            print(f"  [{kind} -> {predicted}] {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
