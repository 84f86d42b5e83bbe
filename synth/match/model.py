"""Score text against segments: each participant is the mean of their evidence embeddings, and a text's
score for a segment is the mean cosine to its K nearest members there (a vote of the closest people,
which works for segments of any shape, where one centre would not).

Scores are calibrated on the study itself: every participant is scored against the segments with
themselves left out, and a logistic fit on (best score, margin over the runner-up) gives the probability
that the best segment is their own. A row whose probability is under `threshold`, or whose best score is
below what all but FLOOR_QUANTILE of the study's own sentences reach (`sentence_floor`: text unlike
anyone studied), is "no persona fits" rather than forced onto the nearest persona.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

K_NEAREST = 3
THRESHOLD = 0.5  # calibrated probability under which a row fits no persona
FLOOR_QUANTILE = 0.05
FLOOR_SHARE = 0.5


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows, dtype=np.float64), where=norms > 0)


@dataclass
class Calibration:
    """Logistic coefficients over (best, margin), the floor score, and how they were measured."""

    coef: tuple[float, float, float] = (0.0, 0.0, 0.0)  # intercept, best, margin
    floor: float = -1.0
    participants: int = 0
    loo_accuracy: float = 0.0  # leave-one-out: share of participants whose best segment is their own

    def probability(self, best: np.ndarray, margin: np.ndarray) -> np.ndarray:
        b0, b1, b2 = self.coef
        return 1.0 / (1.0 + np.exp(-(b0 + b1 * best + b2 * margin)))


@dataclass
class SegmentModel:
    """Participant vectors grouped by segment, and the calibration measured on them."""

    segment_ids: list[str]
    vectors: np.ndarray  # participants x dimension, unit rows
    labels: np.ndarray  # participant -> index into segment_ids
    participant_ids: list[str]
    calibration: Calibration = field(default_factory=Calibration)
    k: int = K_NEAREST

    def scores(self, queries: np.ndarray, exclude: Sequence[int] | None = None) -> np.ndarray:
        """queries x segments: mean cosine to the K nearest members of each segment.

        exclude: per query, a participant row to leave out (leave-one-out calibration), or -1.
        """
        sims = _unit(np.atleast_2d(queries)) @ self.vectors.T
        if exclude is not None:
            for i, row in enumerate(exclude):
                if row >= 0:
                    sims[i, row] = -np.inf
        out = np.full((sims.shape[0], len(self.segment_ids)), -1.0)
        for s in range(len(self.segment_ids)):
            members = sims[:, self.labels == s]
            if members.shape[1] == 0:
                continue
            k = min(self.k, members.shape[1])
            top = -np.sort(-members, axis=1)[:, :k]
            top = np.where(np.isfinite(top), top, np.nan)
            out[:, s] = np.nan_to_num(np.nanmean(top, axis=1), nan=-1.0)
        return out

    def rank(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(scores, order of segments best first, calibrated probability of the best) per query."""
        scores = self.scores(queries)
        order = np.argsort(-scores, axis=1)
        best = scores[np.arange(len(scores)), order[:, 0]]
        second = scores[np.arange(len(scores)), order[:, 1]] if scores.shape[1] > 1 else best - 1.0
        return scores, order, self.calibration.probability(best, best - second)


def build_model(members: Mapping[str, Sequence[str]], person_vectors: Mapping[str, np.ndarray],
                k: int = K_NEAREST) -> SegmentModel:
    """A calibrated model from segment id -> participant ids and participant id -> mean evidence vector."""
    seg_ids = [s for s, people in members.items() if any(p in person_vectors for p in people)]
    pids, labels, rows = [], [], []
    for index, seg in enumerate(seg_ids):
        for p in members[seg]:
            if p in person_vectors:
                pids.append(p)
                labels.append(index)
                rows.append(person_vectors[p])
    if len(seg_ids) < 1 or not rows:
        raise ValueError("no segment has a participant with evidence vectors")
    model = SegmentModel(seg_ids, _unit(np.array(rows, dtype=np.float64)), np.array(labels), pids, k=k)
    model.calibration = calibrate(model)
    return model


def calibrate(model: SegmentModel) -> Calibration:
    """Leave-one-out scores of the study's own participants -> a logistic fit of 'the best is their own'."""
    n = len(model.participant_ids)
    scores = model.scores(model.vectors, exclude=list(range(n)))
    order = np.argsort(-scores, axis=1)
    best = scores[np.arange(n), order[:, 0]]
    second = scores[np.arange(n), order[:, 1]] if scores.shape[1] > 1 else best - 1.0
    correct = order[:, 0] == model.labels
    own = scores[np.arange(n), model.labels]
    # Half what the least typical participants reach: a row is a single short text, a participant the mean of
    # many, so a row's cosines run lower; a row under half of theirs is unlike anyone studied.
    floor = FLOOR_SHARE * float(np.quantile(own, FLOOR_QUANTILE)) if n else -1.0
    cal = Calibration(floor=floor, participants=n, loo_accuracy=float(correct.mean()) if n else 0.0)
    if correct.all() or not correct.any():
        # One class only: the probability is the observed rate, whatever the scores.
        rate = float(np.clip(correct.mean() if n else 0.0, 0.02, 0.98))
        cal.coef = (float(np.log(rate / (1 - rate))), 0.0, 0.0)
        return cal
    from sklearn.linear_model import LogisticRegression

    features = np.column_stack([best, best - second])
    fit = LogisticRegression(C=1.0).fit(features, correct.astype(int))
    cal.coef = (float(fit.intercept_[0]), float(fit.coef_[0][0]), float(fit.coef_[0][1]))
    return cal


def person_vectors(chunks_by_person: Mapping[str, Sequence[str]], chunk_vectors: Mapping[str, np.ndarray]
                   ) -> dict[str, np.ndarray]:
    """Participant id -> the unit mean of their evidence chunks' vectors (those that have one)."""
    out = {}
    for pid, ids in chunks_by_person.items():
        rows = [chunk_vectors[c] for c in ids if c in chunk_vectors]
        if rows:
            out[pid] = _unit(np.mean(np.array(rows, dtype=np.float64), axis=0))
    return out


FLOOR_SAMPLE = 1000
FLOOR_MIN_WORDS = 8


def sentence_floor(model: SegmentModel, texts: Sequence[tuple[str, str, np.ndarray]]) -> float | None:
    """The best-segment score that all but FLOOR_QUANTILE of the study's own evidence chunks reach, each scored
    with its speaker left out: a row (one text, like a chunk) scoring under it is unlike anyone studied.

    texts: (participant id, chunk text, chunk vector); chunks under FLOOR_MIN_WORDS words (thanks, greetings)
    are left out, and at most FLOOR_SAMPLE are drawn with a fixed seed. None when too few remain.
    """
    rows = {p: i for i, p in enumerate(model.participant_ids)}
    usable = [(rows[p], v) for p, text, v in texts if p in rows and len(text.split()) >= FLOOR_MIN_WORDS]
    if len(usable) < 20:
        return None
    rng = np.random.default_rng(0)
    pick = rng.choice(len(usable), min(FLOOR_SAMPLE, len(usable)), replace=False)
    scores = model.scores(np.array([usable[i][1] for i in pick]), exclude=[usable[i][0] for i in pick])
    return float(np.quantile(scores.max(axis=1), FLOOR_QUANTILE))
