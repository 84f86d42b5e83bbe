"""Calibrate and score synth's statement kinds (synth.themes.statements) on hand-written sentences.

    python evals/calibrate_statements.py            # grid on the train split, figures on the held-out split

evals/statement_sentences.jsonl: 150 sentences from nine domains none of the labelled theme sets use
(grocery delivery, banking, hotels, SaaS, a patient portal, transit, schooling, games, car rental),
25 per kind, each with its kind and a split (train / test, half each, seeded). The polarity thresholds
PROBLEM_AT and PRAISE_AT are chosen on the train split only (best macro F1); the held-out split is
scored once with the shipped values, beside a majority baseline and a polarity-only baseline
(problem / praise / other by the same thresholds, no request / question / usage cues).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synth.themes.statements import KINDS, PRAISE_AT, PROBLEM_AT, _polarity, statement_kind  # noqa: E402


def load(split: str) -> list[dict]:
    rows = [json.loads(line) for line in (ROOT / "evals" / "statement_sentences.jsonl").read_text().splitlines() if line]
    return [r for r in rows if r["split"] == split]


def macro_f1(gold: list[str], pred: list[str]) -> tuple[float, dict[str, float]]:
    per = {}
    for k in KINDS:
        tp = sum(g == p == k for g, p in zip(gold, pred))
        fp = sum(p == k != g for g, p in zip(gold, pred))
        fn = sum(g == k != p for g, p in zip(gold, pred))
        per[k] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return sum(per.values()) / len(per), per


def polarity_only(text: str, problem_at: float, praise_at: float) -> str:
    s = _polarity(text)
    return "problem" if s <= problem_at else "praise" if s >= praise_at else "other"


def main() -> None:
    train, test = load("train"), load("test")
    best = None
    for problem_at in (-0.3, -0.2, -0.1, -0.05, 0.0):
        for praise_at in (0.1, 0.2, 0.3, 0.4, 0.5):
            f1, _ = macro_f1([r["kind"] for r in train], [statement_kind(r["text"], problem_at, praise_at) for r in train])
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, problem_at, praise_at)
    print(f"train ({len(train)} sentences): best macro F1 {best[0]:.3f} at PROBLEM_AT={best[1]}, PRAISE_AT={best[2]}"
          f" (shipped: {PROBLEM_AT}, {PRAISE_AT})")
    gold = [r["kind"] for r in test]
    ours = [statement_kind(r["text"]) for r in test]
    f1, per = macro_f1(gold, ours)
    acc = sum(g == p for g, p in zip(gold, ours)) / len(gold)
    base = [polarity_only(r["text"], PROBLEM_AT, PRAISE_AT) for r in test]
    bf1, _ = macro_f1(gold, base)
    bacc = sum(g == p for g, p in zip(gold, base)) / len(gold)
    print(f"held-out test ({len(test)} sentences): accuracy {acc:.1%}, macro F1 {f1:.3f}")
    print("   per kind F1: " + ", ".join(f"{k} {v:.2f}" for k, v in per.items()))
    print(f"   polarity-only baseline: accuracy {bacc:.1%}, macro F1 {bf1:.3f}; majority class: {1 / len(KINDS):.1%}")
    if "--errors" in sys.argv:
        for r, p in zip(test, ours):
            if p != r["kind"]:
                print(f"   {r['kind']:>8} -> {p:<8} {r['text']}")


if __name__ == "__main__":
    main()
