"""Polarity calibration: does `synth.polarity.stance` tell complaints from praise and neither?

    python evals/calibrate_polarity.py [--sentences evals/polarity_sentences.jsonl] [--errors] [--json]

Reads hand-written sentences labelled negative/positive/neutral and desire true/false (several
domains; interview speech, rated reviews, social posts). Every third line (id divisible by 3) is
held out; the thresholds and the rating weight are fitted on the train split only, and the
held-out figures are the honest ones. Two scorers are compared: VADER's compound score alone
(thresholds fitted the same way) and the combined `synth.polarity` score.

The fit maximises train accuracy among settings whose negative-class precision on train is at
least 0.92: a frustration must quote a real complaint, so a false "negative" costs more than a
missed one. The rating weight stays below both thresholds, so that a star rating alone never
makes a sentence a complaint or praise ("It arrived on Tuesday." in a 1-star review stays neutral).
Copy the printed constants into `synth/polarity.py` when they change.

Labelling rules: negative = states a problem, complaint or dissatisfaction (a wish about a problem
included); positive = praise, satisfaction, relief or a positive reason; neutral = facts,
behaviour, context, questions, feature requests that state no problem. Mixed sentences: the clause
after "but"/"however" decides, a main clause outweighs its "although" clause, an exception after
"except" is a problem. Desire = a present or conditional want, need, wish, goal or request; past
attempts ("I was trying to…") and obligations ("need to log in twice every time") are not.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SENTENCES = Path(__file__).resolve().parent / "polarity_sentences.jsonl"
CLASSES = ("negative", "neutral", "positive")
MIN_NEGATIVE_PRECISION = 0.92  # on train; the held-out target is 0.9
_GRID = [round(-0.6 + 0.025 * i, 3) for i in range(49)]  # -0.6 .. 0.6
_RATING_WEIGHTS = tuple(round(0.05 * i, 2) for i in range(11))  # 0 .. 0.5


def load_sentences(path: Path = SENTENCES) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["split"] = "held-out" if row["id"] % 3 == 0 else "train"
    return rows


def classify(score: float, negative_below: float, positive_above: float) -> str:
    return "negative" if score <= negative_below else "positive" if score >= positive_above else "neutral"


def figures(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy, per-class precision/recall and the confusion matrix (rows gold, columns predicted)."""
    matrix = {g: {p: 0 for p in CLASSES} for g in CLASSES}
    for g, p in zip(gold, predicted):
        matrix[g][p] += 1
    per_class = {}
    for c in CLASSES:
        tp = matrix[c][c]
        said = sum(matrix[g][c] for g in CLASSES)
        true = sum(matrix[c].values())
        per_class[c] = {"precision": tp / said if said else None, "recall": tp / true if true else None,
                        "n": true}
    correct = sum(g == p for g, p in zip(gold, predicted))
    return {"n": len(gold), "accuracy": correct / len(gold) if gold else None, "per_class": per_class,
            "confusion": matrix}


def fit(rows: list[dict], score: Callable[[dict, float], float], weights=_RATING_WEIGHTS) -> dict:
    """Thresholds (and rating weight) maximising train accuracy with negative precision held up."""
    train = [r for r in rows if r["split"] == "train"]
    gold = [r["stance"] for r in train]
    best = None
    for weight in weights:
        scores = [score(r, weight) for r in train]
        for lo in _GRID:
            for hi in _GRID:
                if hi <= lo or weight >= -lo:
                    continue  # a rating leans a sentence; on its own it never makes one a complaint
                f = figures(gold, [classify(s, lo, hi) for s in scores])
                precision = f["per_class"]["negative"]["precision"] or 0.0
                # Ties go to the widest neutral band, then to the smallest rating weight.
                key = (precision >= MIN_NEGATIVE_PRECISION, f["accuracy"] if precision >= MIN_NEGATIVE_PRECISION
                       else precision, hi - lo, -weight)
                if best is None or key > best[0]:
                    best = (key, {"negative_below": lo, "positive_above": hi, "rating_weight": weight})
    return best[1]


def evaluate(rows: list[dict], score: Callable[[dict, float], float], params: dict) -> dict:
    out = {"params": params}
    for split in ("train", "held-out"):
        subset = [r for r in rows if r["split"] == split]
        predicted = [classify(score(r, params["rating_weight"]), params["negative_below"], params["positive_above"])
                     for r in subset]
        out[split] = figures([r["stance"] for r in subset], predicted)
        out[split]["errors"] = [{"id": r["id"], "text": r["text"], "gold": r["stance"], "predicted": p,
                                 "score": round(score(r, params["rating_weight"]), 3)}
                                for r, p in zip(subset, predicted) if p != r["stance"]]
    return out


def vader_score(row: dict, _weight: float) -> float:
    from synth.polarity import _analyzer

    return _analyzer().polarity_scores(row["text"])["compound"]


def combined_score(row: dict, weight: float) -> float:
    from synth.polarity import polarity

    return polarity(row["text"], row.get("rating"), rating_weight=weight)


def shipped(rows: list[dict]) -> dict:
    """Figures per split for `stance` with the constants `synth/polarity.py` ships (no refit)."""
    from synth import polarity

    params = {"negative_below": polarity.NEGATIVE_BELOW, "positive_above": polarity.POSITIVE_ABOVE,
              "rating_weight": polarity.RATING_WEIGHT}
    return evaluate(rows, combined_score, params)


def desire_figures(rows: list[dict]) -> dict:
    from synth.polarity import is_desire

    out = {}
    for split in ("train", "held-out"):
        subset = [r for r in rows if r["split"] == split]
        pairs = [(r["desire"], is_desire(r["text"])) for r in subset]
        tp = sum(g and p for g, p in pairs)
        fp = sum(p and not g for g, p in pairs)
        fn = sum(g and not p for g, p in pairs)
        out[split] = {"n": len(pairs), "accuracy": sum(g == p for g, p in pairs) / len(pairs),
                      "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None}
    return out


def run(path: Path = SENTENCES) -> dict:
    rows = load_sentences(path)
    vader = evaluate(rows, vader_score, fit(rows, vader_score, weights=(0.0,)))
    combined = evaluate(rows, combined_score, fit(rows, combined_score))
    standard = evaluate(rows, vader_score, {"negative_below": -0.05, "positive_above": 0.05, "rating_weight": 0.0})
    return {"n": len(rows), "held_out_n": sum(r["split"] == "held-out" for r in rows), "vader_standard": standard,
            "vader": vader, "combined": combined, "shipped": shipped(rows), "desire": desire_figures(rows)}


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _print(name: str, result: dict, show_errors: bool) -> None:
    p = result["params"]
    print(f"\n== {name}: negative <= {p['negative_below']}, positive >= {p['positive_above']}, "
          f"rating weight {p['rating_weight']}")
    for split in ("train", "held-out"):
        f = result[split]
        print(f"  {split:8s} n={f['n']:3d} accuracy {_fmt(f['accuracy'])}   " + "   ".join(
            f"{c}: P {_fmt(f['per_class'][c]['precision'])} R {_fmt(f['per_class'][c]['recall'])}" for c in CLASSES))
    matrix = result["held-out"]["confusion"]
    print("  held-out confusion (rows gold, columns predicted):  " + "  ".join(f"{c[:3]:>4s}" for c in CLASSES))
    for g in CLASSES:
        print(f"  {g:>50s}  " + "  ".join(f"{matrix[g][c]:4d}" for c in CLASSES))
    if show_errors:
        for split in ("train", "held-out"):
            for e in result[split]["errors"]:
                print(f"  [{split}] #{e['id']} gold {e['gold']}, said {e['predicted']} ({e['score']}): {e['text']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=Path, default=SENTENCES)
    parser.add_argument("--errors", action="store_true", help="list the misclassified sentences")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.sentences)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['n']} sentences, {result['held_out_n']} held out (id divisible by 3)")
    _print("VADER compound alone, its documented thresholds", result["vader_standard"], False)
    _print("VADER compound alone, thresholds fitted on train", result["vader"], False)
    _print("synth.polarity (VADER + cues + rating), fitted on train", result["combined"], args.errors)
    _print("synth.polarity.stance as shipped (constants in synth/polarity.py)", result["shipped"], False)
    for split, f in result["desire"].items():
        print(f"\n  is_desire {split:8s} n={f['n']} accuracy {_fmt(f['accuracy'])} precision {_fmt(f['precision'])} "
              f"recall {_fmt(f['recall'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
