"""Answerability calibration: does chat refuse exactly the questions nobody in the study spoke to?

    python evals/calibrate_answerability.py --workspace larder=/tmp/ws/larder/.synth --workspace beacon=/tmp/ws/beacon/.synth
    python evals/calibrate_answerability.py ... --train      # refit the gate (writes synth/chat/answerability.json)
    options: --questions PATH, --personas (also ask every persona: the study refuses when all of them do),
             --errors (list the held-out mistakes), --json

Reads evals/answerability_questions.jsonl: hand-written questions over both sample corpora (corpus,
question, answerable, style: plain, paraphrase, colloquial, yesno, nearmiss or offdomain, split; the newer rows
carry "evidence": the participant's words that answer it, or what was searched to be sure nobody said it).
"answerable" means some participant of the study spoke to it; the near misses sit in the study's domain or
borrow its words ("Would you pay for a VPN subscription?", "warehouse inventory of physical stock" in a study
about data warehouses) and nobody spoke to them.

Splits, each written by a different hand at a different time: train, heldout, heldout2, heldout3 and train2
(written for fitting). The held-out splits were each read once they had been measured, so they are now
fitted on too. A split named with --blind (default: heldout4) is never fitted on, never used to choose
anything, and only its totals are printed unless --errors is given: it is the honest figure.

Each question is scored against the whole study (a segment of every participant) with the relevance
figures of `synth.chat.answerability` (nearest-chunk cosine, mean of the three nearest, best sentence and
best three sentences, how far those stand out, the idf-weighted share of its specific words nobody used, and
that share after query expansion). Training, on every non-blind split of both corpora together:
scikit-learn LogisticRegression with balanced class weights; the threshold is the one with the best refusal
F1 on the rows fitted. The feature set is chosen by leave-one-split-out cross-validation: each split is
predicted by a gate fitted on the others, so every figure comes from questions written apart from the ones
fitted. Refusal is the positive class: precision = refused questions that nobody spoke to, recall =
questions nobody spoke to that were refused.

Baselines printed beside it, thresholds fitted the same way: the old word gate (unused share > 1/3) and the
nearest-chunk cosine alone.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synth.chat.minilm import serving  # noqa: E402
from synth.chat.answerability import (  # noqa: E402
    GATE_FILE, LEXICAL_UNUSED, AnswerabilityGate, Relevance, relevance_of,
)

QUESTIONS = Path(__file__).resolve().parent / "answerability_questions.jsonl"


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def study_segment(store):
    from synth.records import Segment

    ids = [r[0] for r in store.db.execute(
        "SELECT DISTINCT participant_id FROM chunks WHERE role = 'participant' AND participant_id IS NOT NULL "
        "ORDER BY participant_id")]
    return Segment(id="study", label="every participant", participant_ids=ids)


def score(workspace: Path, questions: list[str], personas: bool) -> tuple[list[Relevance], list[list[Relevance]], str]:
    """Relevance of each question to the whole study, and to each persona's segment when asked."""
    from synth.chat.retrieval import SENTENCE_CHUNKS, SegmentRetriever
    from synth.config import load_settings
    from synth.personas.store import load_personas, load_segments
    from synth.store import Store

    settings = load_settings(workspace)
    with Store(settings.db_path, read_only=True) as store:
        segments = [study_segment(store)]
        if personas:
            by_id = {s.id: s for s in load_segments(store)}
            segments += [by_id[p.segment_id] for p in load_personas(store) if p.segment_id in by_id]
        out: list[list[Relevance]] = []
        embedder = None
        for segment in segments:
            retriever = SegmentRetriever(settings, segment, store=store)
            if embedder is not None:
                retriever._embedder = embedder
            rows = []
            for q in questions:
                vector = retriever.embed(q)
                near = retriever.nearest(vector, SENTENCE_CHUNKS)
                best, best3, contrast = retriever.sentence_figures(vector, near)
                found = relevance_of(np.array([s for _, s in near]), retriever.unused_share(q), best,
                                     retriever.unused_share(q, expand=True), best3)
                found.contrast = round(contrast, 4)
                found.general = not retriever.topic_stems(q)
                rows.append(found)
            embedder = retriever._embedder
            out.append(rows)
    return out[0], out[1:], settings.embedder


def figures(refuse: np.ndarray, unanswerable: np.ndarray) -> dict[str, float]:
    tp = int((refuse & unanswerable).sum())
    fp = int((refuse & ~unanswerable).sum())
    fn = int((~refuse & unanswerable).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    acc = float((refuse == unanswerable).mean()) if len(refuse) else 0.0
    return {"refusal_precision": round(p, 3), "refusal_recall": round(r, 3), "f1": round(f1, 3),
            "accuracy": round(acc, 3), "n": int(len(refuse))}


def best_threshold(p_answerable: np.ndarray, unanswerable: np.ndarray) -> float:
    """The cut on P(answerable) with the best refusal F1 on the given rows (ties: the one nearest 0.5)."""
    cuts = sorted(set(np.round(p_answerable, 4)) | {0.5})
    return max(cuts, key=lambda c: (figures(p_answerable < c, unanswerable)["f1"], -abs(c - 0.5)))


# The feature sets a gate may be fitted on; `--train` keeps the one with the best refusal F1 over
# leave-one-split-out cross-validation of the fitted splits (ties: fewer features), then fits it on all of them.
CANDIDATES = (
    ("top", "top3", "sentence", "unused"),
    ("top", "top3", "sentence", "unused", "unmatched"),
    ("top", "top3", "sentence", "sentence3", "unused"),
    ("top", "top3", "sentence", "sentence3", "unused", "unmatched"),
    ("top", "top3", "sentence", "sentence3", "unmatched"),
    ("top", "top3", "sentence", "sentence3", "contrast", "unused"),
    ("top", "top3", "sentence", "contrast", "unused"),
    ("top", "top3", "sentence", "sentence3", "contrast", "unused", "unmatched"),
)
BLIND = ("heldout4",)  # written after every other split and after the method was settled; never fitted on


def train_gate(rel: list[Relevance], unanswerable: np.ndarray, embedder: str, sha: str,
               features: tuple[str, ...]) -> AnswerabilityGate:
    """Logistic regression on the given rows (C = 10, fixed before any held-out figure was read)."""
    from sklearn.linear_model import LogisticRegression

    X = np.array([r.features(features) for r in rel])
    model = LogisticRegression(class_weight="balanced", C=10.0, max_iter=1000).fit(X, (~unanswerable).astype(int))
    p = model.predict_proba(X)[:, 1]
    cut = best_threshold(p, unanswerable)
    return AnswerabilityGate(embedder=embedder, features=list(features), coef=[round(float(c), 5) for c in model.coef_[0]],
                             intercept=round(float(model.intercept_[0]), 5), threshold=round(float(cut), 4),
                             questions_sha256=sha, train_rows=int(len(X)), train=figures(p < cut, unanswerable))


def split_out(rel: list[Relevance], unanswerable: np.ndarray, general: np.ndarray, groups: np.ndarray,
              features: tuple[str, ...]) -> np.ndarray:
    """Whether each row is refused by a gate fitted on every other group (split or corpus) of rows: a figure
    on questions written apart from those fitted. General questions are answered by rule, and not fitted."""
    refuse = np.zeros(len(rel), dtype=bool)
    for group in sorted(set(groups.tolist())):
        out = groups == group
        fit = ~out & ~general
        gate = train_gate([r for r, f in zip(rel, fit, strict=True) if f], unanswerable[fit], "cv", "", features)
        refuse[out] = np.array([gate.probability(r) < gate.threshold for r, o in zip(rel, out, strict=True) if o])
    return refuse & ~general


CONFIDENT = 0.95  # refusal precision the gate must keep on its own; less sure refusals go to a language model


def consult_cut(gate: AnswerabilityGate, rel: list[Relevance], unanswerable: np.ndarray) -> float | None:
    """The highest P(answerable) below which the gate's refusals of the given rows are right at least CONFIDENT of
    the time: from there up to the threshold, a configured language model judges the question."""
    p = np.array([gate.probability(r) for r in rel])
    best = None
    for cut in sorted(set(np.round(p[p < gate.threshold], 4).tolist())):
        below = p < cut
        if below.any() and (below & unanswerable).sum() / below.sum() >= CONFIDENT:
            best = cut
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workspace", action="append", required=True, help="corpus=DIR (a built workspace), repeatable")
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    ap.add_argument("--train", action="store_true", help="refit the gate on every non-blind split and write it")
    ap.add_argument("--blind", default=",".join(BLIND), help="comma-separated splits never fitted on (default: "
                    "%(default)s); only their totals are printed")
    ap.add_argument("--personas", action="store_true", help="also score every persona's segment")
    ap.add_argument("--errors", action="store_true", help="list the mistakes: cross-validated ones of the fitted "
                    "splits, and the blind splits' own (reading those ends their use as blind splits)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--cache", type=Path, help="keep the scored figures in this JSON file and reuse them (refitting "
                                              "or changing the report needs no re-scoring)")
    args = ap.parse_args()

    rows = load_questions(args.questions)
    sha = hashlib.sha256(args.questions.read_bytes()).hexdigest()
    blind_splits = {s for s in args.blind.split(",") if s}
    spaces = {}
    per_persona: dict[int, list[Relevance]] = {}
    rel: dict[int, Relevance] = {}
    cached = json.loads(args.cache.read_text()) if args.cache and args.cache.exists() else {}
    key = f"{sha}:{args.personas}:{sorted(args.workspace)}"
    if cached.get("key") == key:
        rel = {int(i): Relevance(**r) for i, r in cached["study"].items()}
        per_persona = {int(i): [Relevance(**r) for r in rs] for i, rs in cached["personas"].items()}
        spaces = cached["spaces"]
    for spec in [] if cached.get("key") == key else args.workspace:
        corpus, _, folder = spec.partition("=")
        mine = [i for i, r in enumerate(rows) if r["corpus"] == corpus]
        if not mine or not folder:
            print(f"error: --workspace {spec!r}: expected corpus=DIR with a corpus named in {args.questions}",
                  file=sys.stderr)
            return 2
        with serving():  # chat's own embedder (numpy MiniLM, the same vectors as sentence-transformers)
            study, persona_rows, embedder = score(Path(folder), [rows[i]["question"] for i in mine], args.personas)
        spaces[corpus] = embedder
        for j, i in enumerate(mine):
            rel[i] = study[j]
            per_persona[i] = [p[j] for p in persona_rows]
    if args.cache and cached.get("key") != key:
        args.cache.write_text(json.dumps({"key": key, "spaces": spaces,
                                          "study": {i: r.model_dump() for i, r in rel.items()},
                                          "personas": {i: [r.model_dump() for r in rs] for i, rs in per_persona.items()}}))
    if len(set(spaces.values())) != 1:
        print(f"error: the workspaces use different embedders: {spaces}", file=sys.stderr)
        return 2
    embedder = next(iter(spaces.values()))
    scored = sorted(rel)
    relevance = [rel[i] for i in scored]
    unanswerable = np.array([not rows[i]["answerable"] for i in scored])
    split = np.array([rows[i]["split"] for i in scored])
    corpus_of = np.array([rows[i]["corpus"] for i in scored])
    general = np.array([r.general for r in relevance])
    blind = np.isin(split, sorted(blind_splits))
    fitted = ~blind
    fit_rel = [r for r, f in zip(relevance, fitted, strict=True) if f]
    top = np.array([r.top for r in relevance])  # the cosine-only gate's figure

    if args.train:  # general questions are decided by rule, not by the model
        cv = {}
        for f in CANDIDATES:
            refused = split_out(fit_rel, unanswerable[fitted], general[fitted], split[fitted], f)
            cv[f] = figures(refused, unanswerable[fitted])["f1"]
            print(f"  leave-one-split-out refusal F1 {cv[f]:.3f}: {', '.join(f)}")
        chosen = max(CANDIDATES, key=lambda f: (round(cv[f], 3), -len(f)))
        fit = fitted & ~general
        fit_rows = [r for r, f in zip(relevance, fit, strict=True) if f]
        gate = train_gate(fit_rows, unanswerable[fit], embedder, sha, chosen)
        gate.floor = round(float(best_threshold(top[fit], unanswerable[fit])), 4)  # the cosine-only gate's cut
        gate.consult_from = consult_cut(gate, fit_rows, unanswerable[fit])
        GATE_FILE.write_text(gate.model_dump_json(indent=2) + "\n", encoding="utf-8")
        print(f"wrote {GATE_FILE.relative_to(ROOT)}: coef {gate.coef} intercept {gate.intercept} "
              f"threshold {gate.threshold}")
    gate = AnswerabilityGate.model_validate_json(GATE_FILE.read_text(encoding="utf-8"))
    if gate.embedder != embedder:
        print(f"error: the gate was fitted on {gate.embedder}, these workspaces use {embedder}", file=sys.stderr)
        return 2
    features = tuple(gate.features)
    p = np.array([gate.probability(r) for r in relevance])
    shipped = (p < gate.threshold) & ~general  # a question that names no topic is answered (see decide)
    # Fitted rows are judged by gates that never saw their split (or their corpus); blind rows by the shipped gate.
    by_split = shipped.copy()
    by_split[fitted] = split_out(fit_rel, unanswerable[fitted], general[fitted], split[fitted], features)
    by_corpus = shipped.copy()
    by_corpus[fitted] = split_out(fit_rel, unanswerable[fitted], general[fitted], corpus_of[fitted], features)

    # baselines, their cuts fitted on the fitted splits
    lexical = np.array([r.unused for r in relevance]) > LEXICAL_UNUSED
    cut = best_threshold(top[fitted], unanswerable[fitted])
    cosine = top < cut

    report: dict = {"questions": len(scored), "gate": gate.model_dump(), "blind": sorted(blind_splits), "splits": {}}
    styles = sorted({r["style"] for r in rows})
    # with a language model: the gate's sure refusals (the rest of its refusals are handed to the model)
    sure = (p < gate.consult_from) & ~general if gate.consult_from is not None else None
    groups = [("fitted, leave-one-split-out", fitted, by_split)] + [
        (f"{s} (blind: the shipped gate)", split == s, shipped) for s in sorted(blind_splits) if (split == s).any()]
    for name, mask, refuse in groups:
        block = {"gate": figures(refuse[mask], unanswerable[mask]),
                 "word_gate_baseline": figures(lexical[mask], unanswerable[mask]),
                 f"cosine_only_baseline(<{cut:.3f})": figures(cosine[mask], unanswerable[mask])}
        if sure is not None:
            handed = ~sure & refuse
            block[f"with_a_model: gate_refusals_below_{gate.consult_from:.3f}"] = figures(sure[mask], unanswerable[mask])
            report.setdefault("handed_to_model", {})[name] = {
                "questions": int(handed[mask].sum()), "answerable": int((handed & ~unanswerable)[mask].sum()),
                "of": int(mask.sum())}
        if mask is fitted:
            block["gate_leave_one_corpus_out"] = figures(by_corpus[mask], unanswerable[mask])
            block["gate_fitted_on_all (optimistic)"] = figures(shipped[mask], unanswerable[mask])
            for s in sorted(set(split[fitted].tolist())):
                sm = mask & (split == s)
                block[f"gate_split_{s}"] = figures(refuse[sm], unanswerable[sm])
        for corpus in sorted(spaces):
            cm = mask & (corpus_of == corpus)
            block[f"gate_{corpus}"] = figures(refuse[cm], unanswerable[cm])
        for style in styles:
            sm = mask & np.array([rows[i]["style"] == style for i in scored])
            if sm.any():
                block[f"gate_style_{style}"] = figures(refuse[sm], unanswerable[sm])
        if args.personas:
            study_refuses = np.array([all(gate.probability(r) < gate.threshold and not r.general for r in per_persona[i])
                                      if per_persona[i] else refuse[k] for k, i in enumerate(scored)])
            block["all_personas_refuse"] = figures(study_refuses[mask], unanswerable[mask])
        report["splits"][name] = block
    judged = np.where(blind, shipped, by_split)
    errors = [{"corpus": rows[i]["corpus"], "question": rows[i]["question"], "answerable": rows[i]["answerable"],
               "p_answerable": round(float(p[k]), 3), **rel[i].model_dump(), "split": rows[i]["split"]}
              for k, i in enumerate(scored) if judged[k] != unanswerable[k]]
    if args.errors:
        report["errors"] = errors
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    counts = ", ".join(f"{int((split == s).sum())} {s}{' (blind)' if s in blind_splits else ''}"
                       for s in sorted(set(split.tolist())))
    print(f"{len(scored)} questions ({counts}); embedder {embedder}")
    print(f"gate: P(answerable) = sigmoid({gate.coef} . {tuple(gate.features)} + {gate.intercept}), answerable at >= "
          f"{gate.threshold}; fitted on {gate.train_rows} questions")
    for name, block in report["splits"].items():
        print(f"\n{name}: refusal precision / recall / F1 / accuracy (n)")
        for label, f in block.items():
            print(f"  {label:<40} {f['refusal_precision']:.3f} / {f['refusal_recall']:.3f} / {f['f1']:.3f} / "
                  f"{f['accuracy']:.3f}  (n={f['n']})")
    for name, h in report.get("handed_to_model", {}).items():
        print(f"\n{name}: with a language model configured, {h['questions']} of {h['of']} questions the gate refuses "
              f"are handed to the model to judge ({h['answerable']} of them answerable)")
    if args.errors:
        print("\nmistakes (fitted splits: by the gate that never saw the split; blind splits: by the shipped gate):")
        for e in errors:
            print(f"  [{e['split']}/{e['corpus']}] {'answerable' if e['answerable'] else 'nobody spoke to it'}, "
                  f"P={e['p_answerable']:.2f} general={e['general']} top={e['top']:.2f} top3={e['top3']:.2f} "
                  f"sentence={e['sentence']:.2f} unused={e['unused']:.2f}: "
                  f"{e['question']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
