"""Polarity calibration: does `synth.polarity.stance` tell complaints from praise and neither?

    python evals/calibrate_polarity.py            # evaluate what ships
    python evals/calibrate_polarity.py --train    # refit the stance head (writes synth/polarity/head.json), evaluate
    options: --sentences PATH, --errors (list the misclassified held-out sentences), --json

Reads hand-written sentences labelled negative/positive/neutral and desire true/false (15 domains;
interview speech, rated reviews, social posts). Every third line (id divisible by 3) is held out:
nothing is fitted on it, and its figures are the honest ones. Three classifiers are compared:
VADER's compound score alone (thresholds fitted on train), the rules alone (`synth.polarity.rules`
as shipped) and the stance head (`synth.polarity.head`), which is what `stance` uses.

Training the head (--train), on the train split only: the MiniLM vector of each sentence times an
embedding weight, beside the four numbers of `scalar_features` standardised; scikit-learn's
multinomial LogisticRegression with balanced class weights. The embedding weight and C are chosen by
the out-of-fold log loss of 5-fold stratified cross-validation, repeated twice with fixed seeds. The
thresholds are chosen on the pooled out-of-fold probabilities: the highest accuracy whose negative
precision is at least 0.92, since a frustration must quote a real complaint and a false "negative"
costs more than a missed one. The coefficients, folded with the scaling, go to head.json.

The rules' word lists were written while reading sentences 1-476; on those rows any figure that
involves the rules flatters them. Rows written afterwards (477 on) are reported apart: they are the
fair measure of new phrasing.

Labelling rules: negative = states a problem, complaint or dissatisfaction (a wish about a problem
included); positive = praise, satisfaction, relief or a positive reason; neutral = facts,
behaviour, context, questions, feature requests that state no problem. Mixed sentences: the clause
after "but"/"however" decides, a main clause outweighs its "although" clause, an exception after
"except" is a problem. Desire = a present or conditional want, need, wish, goal or request; past
attempts ("I was trying to…") and obligations ("need to log in twice every time") are not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth.polarity import head as stance_head  # noqa: E402
from synth.polarity import rules  # noqa: E402

SENTENCES = Path(__file__).resolve().parent / "polarity_sentences.jsonl"
CLASSES = stance_head.CLASSES
MIN_NEGATIVE_PRECISION = 0.92  # on train; the held-out target is 0.9
RULES_WRITTEN_THROUGH = 476  # the last sentence id the rules' word lists were written against
EMBEDDING_WEIGHTS = (2.0, 4.0, 8.0)
CS = (0.03, 0.1, 0.3, 1.0, 3.0)
CV_SEEDS = (0, 1)
_NEGATIVE_GRID = [round(0.3 + 0.025 * i, 3) for i in range(27)]  # 0.3 .. 0.95
_POSITIVE_GRID = [round(0.2 + 0.025 * i, 3) for i in range(29)]  # 0.2 .. 0.9
_VADER_GRID = [round(-0.6 + 0.025 * i, 3) for i in range(49)]  # -0.6 .. 0.6


def load_sentences(path: Path = SENTENCES) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["split"] = "held-out" if row["id"] % 3 == 0 else "train"
    return rows


def sha256(path: Path = SENTENCES) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def figures(gold: Sequence[str], predicted: Sequence[str]) -> dict:
    """Accuracy, per-class precision/recall and the confusion matrix (rows gold, columns predicted)."""
    matrix = {g: {p: 0 for p in CLASSES} for g in CLASSES}
    for g, p in zip(gold, predicted):
        matrix[g][p] += 1
    per_class = {}
    for c in CLASSES:
        said = sum(matrix[g][c] for g in CLASSES)
        true = sum(matrix[c].values())
        per_class[c] = {"precision": matrix[c][c] / said if said else None,
                        "recall": matrix[c][c] / true if true else None, "n": true}
    correct = sum(g == p for g, p in zip(gold, predicted))
    return {"n": len(gold), "accuracy": correct / len(gold) if gold else None, "per_class": per_class,
            "confusion": matrix}


def embed_rows(rows: Sequence[dict]) -> np.ndarray:
    """The head's embedder vectors of the rows' texts; an embedder that cannot load is an error here."""
    from synth.embedders import get_embedder

    return get_embedder(stance_head.EMBEDDER).embed([r["text"] for r in rows]).astype(np.float64)


def scalars(rows: Sequence[dict]) -> np.ndarray:
    return stance_head.scalar_matrix([r["text"] for r in rows], [r.get("rating") for r in rows])


# --- training -------------------------------------------------------------------------------------

def _decide(probabilities: np.ndarray, negative_at_least: float, positive_at_least: float) -> np.ndarray:
    out = np.full(len(probabilities), 1)
    out[probabilities[:, 2] >= positive_at_least] = 2
    out[probabilities[:, 0] >= negative_at_least] = 0
    return out


def _accuracy_and_precision(gold: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    said, true = predicted == 0, gold == 0
    precision = (said & true).sum() / said.sum() if said.any() else 0.0
    recall = (said & true).sum() / true.sum() if true.any() else 0.0
    return float((gold == predicted).mean()), float(precision), float(recall)


def pick_thresholds(probabilities: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """The most accurate thresholds whose negative precision reaches MIN_NEGATIVE_PRECISION (ties: stricter)."""
    best = None
    for lo in _NEGATIVE_GRID:
        for hi in _POSITIVE_GRID:
            accuracy, precision, _ = _accuracy_and_precision(gold, _decide(probabilities, lo, hi))
            ok = precision >= MIN_NEGATIVE_PRECISION
            key = (ok, accuracy if ok else precision, lo)
            if best is None or key > best[0]:
                best = (key, (lo, hi))
    return best[1]


def _design(vectors: np.ndarray, scaled: np.ndarray, weight: float) -> np.ndarray:
    return np.hstack([vectors * weight, scaled])


def _model(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000)


def _out_of_fold(x: np.ndarray, gold: np.ndarray, c: float, seed: int) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    probabilities = np.zeros((len(gold), len(CLASSES)))
    for fit_on, score_on in StratifiedKFold(5, shuffle=True, random_state=seed).split(x, gold):
        probabilities[score_on] = _model(c).fit(x[fit_on], gold[fit_on]).predict_proba(x[score_on])
    return probabilities


def train_head(rows: Sequence[dict], vectors: np.ndarray, sentences_sha256: str) -> tuple[stance_head.StanceHead, list]:
    """Fit the head on the train rows; returns it and the cross-validation table (weight, C, log loss)."""
    train = [i for i, r in enumerate(rows) if r["split"] == "train"]
    gold = np.array([CLASSES.index(rows[i]["stance"]) for i in train])
    raw = scalars([rows[i] for i in train])
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    std[std == 0] = 1.0
    scaled, v = (raw - mean) / std, vectors[train]
    table, best = [], None
    for weight in EMBEDDING_WEIGHTS:
        x = _design(v, scaled, weight)
        for c in CS:
            pooled = [_out_of_fold(x, gold, c, seed) for seed in CV_SEEDS]
            log_loss = float(np.mean([-np.log(p[np.arange(len(gold)), gold]).mean() for p in pooled]))
            table.append((weight, c, log_loss))
            if best is None or log_loss < best[0]:
                best = (log_loss, weight, c, pooled)
    log_loss, weight, c, pooled = best
    probabilities, repeated = np.vstack(pooled), np.tile(gold, len(pooled))
    lo, hi = pick_thresholds(probabilities, repeated)
    predicted = _decide(probabilities, lo, hi)
    after = np.tile(np.array([rows[i]["id"] > RULES_WRITTEN_THROUGH for i in train]), len(pooled))
    accuracy, precision, recall = _accuracy_and_precision(repeated, predicted)
    after_accuracy, after_precision, _ = _accuracy_and_precision(repeated[after], predicted[after])
    model = _model(c).fit(_design(v, scaled, weight), gold)
    coef = model.coef_
    head = stance_head.StanceHead(
        embedder=stance_head.EMBEDDER, classes=list(CLASSES), scalar_features=list(stance_head.SCALAR_FEATURES),
        embedding_coef=_rounded(coef[:, :v.shape[1]] * weight), scalar_coef=_rounded(coef[:, v.shape[1]:] / std),
        intercept=_rounded([model.intercept_ - coef[:, v.shape[1]:] @ (mean / std)])[0],
        negative_at_least=lo, positive_at_least=hi, c=c, embedding_weight=weight,
        sentences_sha256=sentences_sha256, train_rows=len(train),
        cross_validation={"log_loss": round(log_loss, 4), "accuracy": round(accuracy, 4),
                          "negative_precision": round(precision, 4), "negative_recall": round(recall, 4),
                          "later_rows_accuracy": round(after_accuracy, 4),
                          "later_rows_negative_precision": round(after_precision, 4)})
    return head, table


def write_head(head: stance_head.StanceHead, path: Path = stance_head.HEAD_FILE) -> None:
    """One line per field, so that a retrain reads as a short diff."""
    lines = [f" {json.dumps(k)}: {json.dumps(v)}" for k, v in head.model_dump().items()]
    path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")
    stance_head.load_head.cache_clear()


def _rounded(matrix) -> list[list[float]]:
    return [[float(f"{x:.6g}") for x in row] for row in matrix]


# --- evaluation -----------------------------------------------------------------------------------

def _fit_vader(rows: Sequence[dict]) -> tuple[float, float]:
    train = [r for r in rows if r["split"] == "train"]
    scores = [rules._analyzer().polarity_scores(r["text"])["compound"] for r in train]
    best = None
    for lo in _VADER_GRID:
        for hi in (h for h in _VADER_GRID if h > lo):
            predicted = ["negative" if s <= lo else "positive" if s >= hi else "neutral" for s in scores]
            f = figures([r["stance"] for r in train], predicted)
            precision = f["per_class"]["negative"]["precision"] or 0.0
            ok = precision >= MIN_NEGATIVE_PRECISION
            key = (ok, f["accuracy"] if ok else precision, hi - lo)
            if best is None or key > best[0]:
                best = (key, (lo, hi))
    return best[1]


def vader_predictor(rows: Sequence[dict]) -> tuple[str, Callable[[Sequence[dict]], list[str]]]:
    lo, hi = _fit_vader(rows)

    def predict(subset: Sequence[dict]) -> list[str]:
        scores = [rules._analyzer().polarity_scores(r["text"])["compound"] for r in subset]
        return ["negative" if s <= lo else "positive" if s >= hi else "neutral" for s in scores]
    return f"VADER compound alone, thresholds fitted on train (negative <= {lo}, positive >= {hi})", predict


def rules_predictor() -> tuple[str, Callable[[Sequence[dict]], list[str]]]:
    return (f"rules alone, as shipped (negative <= {rules.NEGATIVE_BELOW}, positive >= {rules.POSITIVE_ABOVE}, "
            f"rating weight {rules.RATING_WEIGHT})",
            lambda subset: [rules.rule_stance(r["text"], r.get("rating")) for r in subset])


def head_predictor(head: stance_head.StanceHead, rows: Sequence[dict],
                   vectors: np.ndarray) -> tuple[str, Callable[[Sequence[dict]], list[str]]]:
    index = {id(r): i for i, r in enumerate(rows)}

    def predict(subset: Sequence[dict]) -> list[str]:
        v = vectors[[index[id(r)] for r in subset]]
        return head.decide(head.probabilities(v, scalars(subset)))
    return (f"stance head (embedding weight {head.embedding_weight}, C {head.c}; negative when P >= "
            f"{head.negative_at_least}, positive when P >= {head.positive_at_least})", predict)


def evaluate(rows: Sequence[dict], predict: Callable[[Sequence[dict]], list[str]]) -> dict:
    out = {}
    for split in ("train", "held-out"):
        subset = [r for r in rows if r["split"] == split]
        predicted = predict(subset)
        out[split] = figures([r["stance"] for r in subset], predicted)
        later = [(r["stance"], p) for r, p in zip(subset, predicted) if r["id"] > RULES_WRITTEN_THROUGH]
        out[split]["later_rows"] = figures([g for g, _ in later], [p for _, p in later])
        out[split]["errors"] = [{"id": r["id"], "text": r["text"], "gold": r["stance"], "predicted": p}
                                for r, p in zip(subset, predicted) if p != r["stance"]]
    return out


def held_out(head: stance_head.StanceHead | None = None, path: Path = SENTENCES) -> dict:
    """Held-out figures of the shipped head (embeds the held-out rows only)."""
    head = head or stance_head.load_head()
    rows = [r for r in load_sentences(path) if r["split"] == "held-out"]
    _, predict = head_predictor(head, rows, embed_rows(rows))
    return evaluate(rows, predict)["held-out"]


def desire_figures(rows: Sequence[dict]) -> dict:
    out = {}
    for split in ("train", "held-out"):
        pairs = [(r["desire"], rules.is_desire(r["text"])) for r in rows if r["split"] == split]
        tp = sum(g and p for g, p in pairs)
        fp = sum(p and not g for g, p in pairs)
        fn = sum(g and not p for g, p in pairs)
        out[split] = {"n": len(pairs), "accuracy": sum(g == p for g, p in pairs) / len(pairs),
                      "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None}
    return out


def run(path: Path = SENTENCES, train: bool = False) -> dict:
    rows = load_sentences(path)
    vectors = embed_rows(rows)
    result: dict = {"n": len(rows), "held_out_n": sum(r["split"] == "held-out" for r in rows)}
    if train:
        head, table = train_head(rows, vectors, sha256(path))
        write_head(head)
        result["cross_validation_table"] = [{"embedding_weight": w, "c": c, "log_loss": round(ll, 4)}
                                            for w, c, ll in table]
    head = stance_head.load_head()
    if head is None:
        raise SystemExit(f"no stance head at {stance_head.HEAD_FILE}: run {Path(__file__).name} --train")
    result["head_matches_sentences"] = head.sentences_sha256 == sha256(path)
    result["head_cross_validation"] = head.cross_validation
    result["scorers"] = {}
    for name, predict in (vader_predictor(rows), rules_predictor(), head_predictor(head, rows, vectors)):
        result["scorers"][name] = evaluate(rows, predict)
    result["desire"] = desire_figures(rows)
    return result


def _fmt(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.3f}"


def _line(label: str, f: dict) -> str:
    return (f"  {label:18s} n={f['n']:3d} accuracy {_fmt(f['accuracy'])}   " + "   ".join(
        f"{c}: P {_fmt(f['per_class'][c]['precision'])} R {_fmt(f['per_class'][c]['recall'])}" for c in CLASSES))


def _print(name: str, result: dict, show_errors: bool) -> None:
    print(f"\n== {name}")
    for split in ("train", "held-out"):
        print(_line(split, result[split]))
    print(_line(f"held-out {RULES_WRITTEN_THROUGH + 1}+", result["held-out"]["later_rows"]))
    matrix = result["held-out"]["confusion"]
    print("  held-out confusion (rows gold, columns predicted):  " + "  ".join(f"{c[:3]:>4s}" for c in CLASSES))
    for g in CLASSES:
        print(f"  {g:>50s}  " + "  ".join(f"{matrix[g][c]:4d}" for c in CLASSES))
    if show_errors:
        for e in result["held-out"]["errors"]:
            print(f"  #{e['id']} gold {e['gold']}, said {e['predicted']}: {e['text']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=Path, default=SENTENCES)
    parser.add_argument("--train", action="store_true",
                        help=f"refit the stance head and write {stance_head.HEAD_FILE.name}")
    parser.add_argument("--errors", action="store_true", help="list the misclassified held-out sentences")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run(args.sentences, train=args.train)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['n']} sentences, {result['held_out_n']} held out (id divisible by 3); rows "
          f"{RULES_WRITTEN_THROUGH + 1}+ were written after the rules")
    if "cross_validation_table" in result:
        print("\ncross-validation on train (5 folds x 2 seeds), out-of-fold log loss:")
        for row in result["cross_validation_table"]:
            print(f"  embedding weight {row['embedding_weight']:4.1f}  C {row['c']:<5}  {row['log_loss']:.4f}")
    cv = result["head_cross_validation"]
    print(f"\nhead, out-of-fold on train at its thresholds: log loss {cv['log_loss']:.3f}, accuracy "
          f"{cv['accuracy']:.3f}, negative precision {cv['negative_precision']:.3f}, recall "
          f"{cv['negative_recall']:.3f}; rows {RULES_WRITTEN_THROUGH + 1}+: accuracy {cv['later_rows_accuracy']:.3f}, "
          f"negative precision {cv['later_rows_negative_precision']:.3f}")
    if not result["head_matches_sentences"]:
        print(f"  (the head was trained on another version of {args.sentences.name}: run with --train)")
    for name, figures_ in result["scorers"].items():
        _print(name, figures_, args.errors and name.startswith("stance head"))
    for split, f in result["desire"].items():
        print(f"\n  is_desire {split:8s} n={f['n']} accuracy {_fmt(f['accuracy'])} precision {_fmt(f['precision'])} "
              f"recall {_fmt(f['recall'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
