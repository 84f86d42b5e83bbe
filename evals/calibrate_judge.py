"""Judge calibration: how well does the support judge tell supported claims from hard negatives?

    python evals/calibrate_judge.py [--pairs evals/judge_pairs.jsonl] [--llm openai:<model>] [--json]

Runs `judge_support` on hand-written (claim, quote, supported?) pairs and prints precision, recall,
F1 and accuracy (positive class: supported) overall and per category, for the word-overlap judge the
offline backend used before, the offline judge (embedding similarity plus rules) and, with --llm,
for that model too. Pairs whose id is a multiple of 4 are a held-out split: tune the
offline judge on the dev split only, and read the held-out figures as the honest ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PAIRS = Path(__file__).resolve().parent / "judge_pairs.jsonl"
CATEGORIES = ("direct-support", "paraphrase-support", "same-topic-opposite-stance", "negation", "different-person",
              "unrelated", "partial")


def load_pairs(path: Path = PAIRS) -> list[dict]:
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for p in pairs:
        p["split"] = "held-out" if p["id"] % 4 == 0 else "dev"
    return pairs


def scores(gold: list[bool], predicted: list[bool]) -> dict[str, float | int | None]:
    tp = sum(g and p for g, p in zip(gold, predicted))
    fp = sum(p and not g for g, p in zip(gold, predicted))
    fn = sum(g and not p for g, p in zip(gold, predicted))
    correct = sum(g == p for g, p in zip(gold, predicted))
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if precision == 0 or recall == 0 else None)
    return {"n": len(gold), "precision": precision, "recall": recall, "f1": f1,
            "accuracy": correct / len(gold) if gold else None}


def calibrate(pairs: list[dict], judge: Callable[[str, str], bool]) -> dict:
    """Figures overall, per split and per category for one judge; `judge(claim, quote) -> supported`."""
    predicted = {p["id"]: judge(p["claim"], p["quote"]) for p in pairs}

    def figures(subset: list[dict]) -> dict:
        return scores([p["supported"] for p in subset], [predicted[p["id"]] for p in subset])

    out = {"overall": figures(pairs)}
    for split in ("dev", "held-out"):
        out[split] = figures([p for p in pairs if p["split"] == split])
    out["categories"] = {}
    for cat in sorted({p["category"] for p in pairs}, key=lambda c: CATEGORIES.index(c) if c in CATEGORIES else 99):
        subset = [p for p in pairs if p["category"] == cat]
        out["categories"][cat] = {split: figures([p for p in subset if p["split"] == split] if split != "all" else subset)
                                  for split in ("all", "dev", "held-out")}
    out["errors"] = [{"id": p["id"], "category": p["category"], "claim": p["claim"], "quote": p["quote"],
                      "gold": p["supported"]} for p in pairs if predicted[p["id"]] != p["supported"]]
    return out


def run_judge(llm) -> Callable[[str, str], bool]:
    from synth.llm import JudgeSupportInput, run_task

    def judge(claim: str, quote: str) -> bool:
        verdict, _ = run_task("judge_support", JudgeSupportInput(claim=claim, quotes=[quote]), llm)
        return verdict.supported

    return judge


def lexical_judge(claim: str, quote: str) -> bool:
    """The word-overlap judge alone, as the offline judge was before it read meaning."""
    from synth.extractive.judge import judge_support_lexical
    from synth.llm import JudgeSupportInput

    return judge_support_lexical(JudgeSupportInput(claim=claim, quotes=[quote])).supported


def sweep_threshold(pairs: list[dict]) -> None:
    """Dev-split F1 of the offline judge per similarity threshold: how SIMILARITY_THRESHOLD was chosen."""
    from synth.extractive import judge as offline_judge
    from synth.llm import JudgeSupportInput

    dev = [p for p in pairs if p["split"] == "dev"]
    chosen = offline_judge.SIMILARITY_THRESHOLD
    print("\nsimilarity threshold sweep (dev only):")
    try:
        for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
            offline_judge.SIMILARITY_THRESHOLD = t
            s = scores([p["supported"] for p in dev], [offline_judge.judge_support_offline(
                JudgeSupportInput(claim=p["claim"], quotes=[p["quote"]])).supported for p in dev])
            print(f"  {t:.2f}  prec {_f(s['precision'])}  rec {_f(s['recall'])}  F1 {_f(s['f1'])}")
    finally:
        offline_judge.SIMILARITY_THRESHOLD = chosen


def _f(x: float | None) -> str:
    return "   –" if x is None else f"{x:.2f}"


def print_figures(name: str, fig: dict, show_errors: bool) -> None:
    print(f"\n== {name} ==")
    print(f"{'split':<28}{'n':>4}  prec  rec   F1    acc")
    for split in ("overall", "dev", "held-out"):
        s = fig[split]
        print(f"{split:<28}{s['n']:>4}  {_f(s['precision'])}  {_f(s['recall'])}  {_f(s['f1'])}  {_f(s['accuracy'])}")
    print(f"\n{'category (gold)':<28}{'n':>4}  acc (all / dev / held-out)   predicted supported")
    for cat, by in fig["categories"].items():
        s = by["all"]
        rate = s["recall"] if s["recall"] is not None else (1 - s["accuracy"])
        print(f"{cat:<28}{s['n']:>4}  {_f(s['accuracy'])} / {_f(by['dev']['accuracy'])} / "
              f"{_f(by['held-out']['accuracy'])}      {rate:.2f}")
    if show_errors:
        print("\nerrors:")
        for e in fig["errors"]:
            print(f"  #{e['id']} [{e['category']}] gold={e['gold']}: {e['claim']!r} <- {e['quote']!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=PAIRS)
    ap.add_argument("--llm", help="also calibrate this model, e.g. openai:gpt-4o-mini (uses the workspace cache)")
    ap.add_argument("--workspace", default=None, help="workspace for the LLM cache and config")
    ap.add_argument("--errors", action="store_true", help="list the pairs each judge gets wrong")
    ap.add_argument("--sweep", action="store_true", help="show dev-split F1 per similarity threshold")
    ap.add_argument("--json", dest="as_json", action="store_true")
    args = ap.parse_args()

    from synth.llm import open_llm

    pairs = load_pairs(args.pairs)
    results = {}
    results["offline-lexical (before)"] = calibrate(pairs, lexical_judge)
    with open_llm(args.workspace, llm="offline", command="calibrate") as offline:
        results["offline"] = calibrate(pairs, run_judge(offline))
    if args.sweep:
        sweep_threshold(pairs)
    if args.llm:
        with open_llm(args.workspace, llm=args.llm, command="calibrate") as llm:
            results[args.llm] = calibrate(pairs, run_judge(llm))
    if args.as_json:
        print(json.dumps(results, indent=2))
        return
    counts = {c: sum(p["category"] == c for p in pairs) for c in CATEGORIES}
    print(f"{len(pairs)} pairs ({sum(p['supported'] for p in pairs)} supported), "
          f"held-out: every 4th ({sum(p['split'] == 'held-out' for p in pairs)}); " +
          ", ".join(f"{c} {n}" for c, n in counts.items()))
    for name, fig in results.items():
        print_figures(f"judge: {name}", fig, args.errors)


if __name__ == "__main__":
    main()
