"""Answerability: did anyone in the segment speak to a question, judged mainly from meaning.

Four figures of a question against a segment's evidence, none tied to a domain:
- `top`: cosine similarity of the question to the segment's nearest evidence chunk (MiniLM vectors);
- `top3`: the mean similarity of its three nearest chunks (one lucky chunk is weaker evidence than three);
- `sentence`: the best similarity to a single sentence of the six nearest chunks (a long interview chunk
  that holds one sentence on the question is diluted as a whole);
- `unused`: how much of the question, its specific words weighted by rarity in the study, nobody in the
  segment ever said (attitude words such as "annoy" are left out). It is the one lexical figure; it keeps
  near misses out ("warehouse inventory of physical stock" in a study of data warehouses) and costs some
  paraphrases ("organise" where participants wrote "organize").

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
FEATURES = ("top", "top3", "sentence", "unused")
LEXICAL_UNUSED = 1 / 3  # the fallback gate: the drafter declines when more of the question than this is unknown


class Relevance(BaseModel):
    """How close a segment's evidence comes to a question."""

    top: float  # cosine of the nearest evidence chunk
    top3: float  # mean cosine of the three nearest
    sentence: float = 0.0  # cosine of the nearest single sentence among the nearest chunks
    unused: float  # idf-weighted share of the question's specific words nobody in the segment used
    general: bool = False  # names no particular topic (not a feature of the model: decided by rule)

    def features(self) -> list[float]:
        return [self.top, self.top3, self.sentence, self.unused]


class AnswerabilityGate(BaseModel):
    """The fitted gate: P(answerable) = sigmoid(coef . features + intercept), answerable at `threshold`."""

    embedder: str
    features: list[str]
    coef: list[float]
    intercept: float
    threshold: float
    questions_sha256: str  # of the calibration file it was fitted on
    train_rows: int
    train: dict[str, float]  # figures on the train split at the threshold

    def similarity_floor(self) -> float:
        """The similarity at which one chunk alone (every similarity equal to it) is answerable by this gate."""
        logit = math.log(self.threshold / (1.0 - self.threshold))
        similar = sum(c for name, c in zip(self.features, self.coef, strict=True) if name != "unused")
        return (logit - self.intercept) / max(similar, 1e-9)  # with every word of the question known

    def probability(self, relevance: Relevance) -> float:
        z = float(np.dot(self.coef, relevance.features()) + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


class Answerability(BaseModel):
    """The decision for one question and segment, with why."""

    answerable: bool
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
    if gate is not None and embedder == gate.embedder and gate.features == list(FEATURES):
        p = gate.probability(relevance)
        ok = p >= gate.threshold
        why = (f"the nearest evidence is {relevance.top:.2f} similar in meaning (P(answerable) {p:.2f}, "
               f"needs {gate.threshold:.2f})")
        return Answerability(answerable=ok, probability=round(p, 4), relevance=relevance, reason=why)
    # No calibration for this embedder: a real model judges meaning itself; the drafter matches words.
    ok = not (extractive and relevance.unused > LEXICAL_UNUSED)
    why = (f"no answerability calibration for embedder {embedder}; "
           f"{relevance.unused:.0%} of the question's words are unknown to the segment")
    return Answerability(answerable=ok, relevance=relevance, reason=why)


def relevance_of(similarities: np.ndarray, unused: float, sentence: float | None = None) -> Relevance:
    """The figures from the segment's similarities to the question (any order) and its unused share."""
    sims = np.sort(np.asarray(similarities, dtype=np.float64).reshape(-1))[::-1]
    if sims.size == 0:
        return Relevance(top=0.0, top3=0.0, sentence=0.0, unused=1.0)
    best = float(sims[0]) if sentence is None else max(sentence, float(sims[0]))
    return Relevance(top=round(float(sims[0]), 4), top3=round(float(sims[:3].mean()), 4), sentence=round(best, 4),
                     unused=round(unused, 4))
