"""Answerability: did anyone in the segment speak to a question, judged mainly from meaning.

Five figures of a question against a segment's evidence, none tied to a domain:
- `top`: cosine similarity of the question to the segment's nearest evidence chunk (MiniLM vectors);
- `top3`: the mean similarity of its three nearest chunks (one lucky chunk is weaker evidence than three);
- `sentence`: the best similarity to a single sentence of the segment (a long interview chunk that holds
  one sentence on the question is diluted as a whole), and `sentence3` the mean of the three best; the
  segment's sentences are embedded once and cached (`synth.chat.segment_text`); a segment too large for
  that is searched among the sentences of its six nearest chunks; `contrast`: how many standard deviations
  those three stand above the question's mean similarity to every sentence of the segment (a question on a
  topic the segment discussed finds a few sentences far closer than the rest; an off-topic one that only
  shares the register of talk, "What's your favourite movie?", is about as close to everything);
- `unused`: how much of the question, its specific words weighted by rarity in the study, nobody in the
  segment ever said (attitude words such as "annoy" are left out). It is the one lexical figure; it keeps
  near misses out ("warehouse inventory of physical stock" in a study of data warehouses) and costs some
  paraphrases ("organise" where participants wrote "organize");
- `unmatched`: `unused` after query expansion with the segment's own vocabulary: each word nobody used
  counts less the closer in meaning the segment's nearest word is ("commercials" where participants wrote
  "ads"; see `synth.chat.segment_text`). The model weighs both: the pair tells a paraphrase from a miss.

A logistic model over these figures gives the probability that the segment spoke to the question. Its
weights and threshold are fitted by `evals/calibrate_answerability.py --train` on the train split of
hand-written questions over both sample corpora (answerable and not, paraphrased and colloquial), and
written to answerability.json beside this module; the held-out split reports refusal precision and
recall. A question that names no topic ("What frustrates you?") is answerable by rule. Similarities only
mean something in the space the model was fitted in: with another embedder the old lexical gate decides
(for the offline drafter only, as before), and the reason says so.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ValidationError

GATE_FILE = Path(__file__).with_name("answerability.json")
FEATURES = ("top", "top3", "sentence", "sentence3", "contrast", "unused", "unmatched")  # what a gate may be fitted on
LEXICAL_UNUSED = 1 / 3  # the fallback gate: the drafter declines when more of the question than this is unknown


class Relevance(BaseModel):
    """How close a segment's evidence comes to a question."""

    top: float  # cosine of the nearest evidence chunk
    top3: float  # mean cosine of the three nearest
    sentence: float = 0.0  # cosine of the nearest single sentence of the segment (of its nearest chunks when
    # the segment is too large to embed whole)
    sentence3: float = -1.0  # mean cosine of the three nearest sentences (-1: not measured; read as `sentence`)
    contrast: float = 0.0  # how far the three nearest sentences stand out from all of the segment's sentences
    # (their mean cosine minus the mean over the segment, in standard deviations; 0: not measured)
    unused: float  # idf-weighted share of the question's specific words nobody in the segment used
    unmatched: float = -1.0  # the same after query expansion: a word nobody used, weighed down by how close in
    # meaning the segment's nearest own word is (-1: not measured; read as `unused`)
    general: bool = False  # names no particular topic (not a feature of the model: decided by rule)

    def features(self, names: list[str] | tuple[str, ...] = FEATURES) -> list[float]:
        value = {"top": self.top, "top3": self.top3, "sentence": self.sentence,
                 "sentence3": self.sentence if self.sentence3 < 0 else self.sentence3, "contrast": self.contrast,
                 "unused": self.unused,
                 "unmatched": self.unused if self.unmatched < 0 else self.unmatched}
        return [value[n] for n in names]


class AnswerabilityGate(BaseModel):
    """The fitted gate: P(answerable) = sigmoid(coef . features + intercept), answerable at `threshold`."""

    embedder: str
    features: list[str]
    coef: list[float]
    intercept: float
    threshold: float
    questions_sha256: str  # of the calibration file it was fitted on
    train_rows: int
    train: dict[str, float]  # figures on the fitted rows at the threshold
    consult_from: float | None = None  # with a language model, a question the gate would refuse at or above this
    # P(answerable) goes to the model with its evidence, and the model decides (it refuses what the evidence does
    # not answer); below it, refusals were right 95% of the time on the fitted questions. None: never.
    floor: float | None = None  # the nearest-chunk cosine at which one chunk alone best answers a question,
    # fitted beside the gate (the cosine-only gate's cut): a chunk this close counts as speaking to it

    def similarity_floor(self) -> float:
        """The cosine at which one chunk alone speaks to a question: the fitted `floor`, or for an older gate
        file the similarity at which every cosine figure equal to it makes the gate answer."""
        if self.floor is not None:
            return self.floor
        logit = math.log(self.threshold / (1.0 - self.threshold))
        similar = sum(c for name, c in zip(self.features, self.coef, strict=True)
                      if name in ("top", "top3", "sentence", "sentence3"))
        return (logit - self.intercept) / max(similar, 1e-9)  # with every word of the question known

    def probability(self, relevance: Relevance) -> float:
        z = float(np.dot(self.coef, relevance.features(self.features)) + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


class Answerability(BaseModel):
    """The decision for one question and segment, with why."""

    answerable: bool
    uncertain: bool = False  # refused by the gate, but close enough that a language model should judge it
    probability: float | None = None  # None when the lexical fallback or the general-question rule decided
    relevance: Relevance
    reason: str


@lru_cache(maxsize=1)
def load_gate(path: Path = GATE_FILE) -> AnswerabilityGate | None:
    """The shipped gate, or None when its file is missing or unreadable (the lexical gate then decides)."""
    try:
        return AnswerabilityGate.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError):
        return None


def decide(relevance: Relevance, embedder: str, *, extractive: bool, general: bool = False,
           gate: AnswerabilityGate | None = None) -> Answerability:
    """Answerable or not from the relevance figures; `embedder` is the spec the similarities came from.

    general: the question names no topic ("What frustrates you?", "What do you wish it did better?"): it asks
    about the segment's experience as a whole, which every segment with evidence can speak to."""
    gate = gate or load_gate()
    if general or relevance.general:
        return Answerability(answerable=True, relevance=relevance,
                             reason="the question names no particular topic: it asks about experience in general")
    if gate is not None and embedder == gate.embedder and set(gate.features) <= set(FEATURES):
        p = gate.probability(relevance)
        ok = p >= gate.threshold
        unsure = not ok and gate.consult_from is not None and p >= gate.consult_from
        why = (f"the nearest evidence is {relevance.top:.2f} similar in meaning (P(answerable) {p:.2f}, "
               f"needs {gate.threshold:.2f}" + (f"; from {gate.consult_from:.2f} a language model judges it)"
                                                 if unsure else ")"))
        return Answerability(answerable=ok, uncertain=unsure, probability=round(p, 4), relevance=relevance,
                             reason=why)
    # No calibration for this embedder: a real model judges meaning itself; the drafter matches words.
    ok = not (extractive and relevance.unused > LEXICAL_UNUSED)
    why = (f"no answerability calibration for embedder {embedder}; "
           f"{relevance.unused:.0%} of the question's words are unknown to the segment")
    return Answerability(answerable=ok, relevance=relevance, reason=why)


def relevance_of(similarities: np.ndarray, unused: float, sentence: float | None = None,
                 unmatched: float | None = None, sentence3: float | None = None) -> Relevance:
    """The figures from the segment's similarities to the question (any order) and its unused share."""
    sims = np.sort(np.asarray(similarities, dtype=np.float64).reshape(-1))[::-1]
    if sims.size == 0:
        return Relevance(top=0.0, top3=0.0, sentence=0.0, unused=1.0, unmatched=1.0)
    best = float(sims[0]) if sentence is None else max(sentence, float(sims[0]))
    return Relevance(top=round(float(sims[0]), 4), top3=round(float(sims[:3].mean()), 4), sentence=round(best, 4),
                     unused=round(unused, 4), unmatched=round(unused if unmatched is None else unmatched, 4),
                     sentence3=round(best if sentence3 is None else sentence3, 4))
