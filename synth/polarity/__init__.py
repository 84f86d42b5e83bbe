"""Polarity of what participants say: complaint, praise or neither, and whether it states a desire.

A persona frustration must quote a complaint; a goal or motivation must quote a desire or a
positive reason. `stance` is decided by a small learned head (`synth.polarity.head`) over the
sentence's embedding, its VADER score and the rule score (`synth.polarity.rules`); `stances` does
many sentences in one embedding batch, and takes their vectors where the caller has them. Without
the embedder, the rules decide alone. Calibrated by evals/calibrate_polarity.py.
"""

from __future__ import annotations

from synth.polarity.head import EMBEDDER, stances
from synth.polarity.rules import NEGATIVE_BELOW, POSITIVE_ABOVE, RATING_WEIGHT, Stance, is_desire, polarity, rule_stance

__all__ = ["EMBEDDER", "NEGATIVE_BELOW", "POSITIVE_ABOVE", "RATING_WEIGHT", "Stance", "agrees", "is_desire",
           "polarity", "rule_stance", "stance", "stances"]


def stance(text: str, rating: float | None = None, scale: float = 5.0) -> Stance:
    """'negative', 'positive' or 'neutral'; for many sentences at once, `stances` is faster.

    rating: the star rating (1..`scale`) of the review the sentence comes from, or None.
    """
    return stances([text], [rating], scale)[0]


_NEGATIVE_SECTIONS = ("frustration", "challenge", "pain", "problem", "complaint", "barrier", "obstacle", "dislike")
_DESIRE_SECTIONS = ("goal", "motivation", "need", "desire", "want", "aspiration", "job", "like", "delight")


def agrees(claim_section: str, text: str, rating: float | None = None) -> bool:
    """Whether `text` can back a claim in the persona section `claim_section`.

    Frustrations and challenges need a complaint (a wish about a problem is one); goals,
    motivations and needs need a desire or a positive reason; other sections (behaviours,
    context) accept any stance.
    """
    section = claim_section.lower()
    if any(key in section for key in _NEGATIVE_SECTIONS):
        return stance(text, rating) == "negative"
    if any(key in section for key in _DESIRE_SECTIONS):
        return is_desire(text) or stance(text, rating) == "positive"
    return True
