"""Claims of one persona that cannot both hold of one person: one topic with opposite polarity ("crashes
constantly" and "never crashes"), or two different answers about who they are ("lives alone" and "shares a
house with three roommates"). A split or spread claim states a disagreement openly and is never one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from synth.polarity import stances
from synth.profiles.vectors import TextVectors
from synth.records import Prevalence

# Calibrated on the default embedder (all-MiniLM-L6-v2): "The ads drove me away" / "The ads are tolerable"
# 0.59, "crashes constantly" / "never crashes" 0.79; "I live alone" / "I share a house with roommates" 0.48,
# "I have two kids" / "I live alone" 0.41, while unrelated statements about oneself sit near 0.25.
TOPIC_SIMILARITY = 0.55  # two claims at least this close, of opposite polarity, disagree on one topic
CONTEXT_SIMILARITY = 0.4  # two context claims at least this close answer one question about who they are
SAME_CLAIM = 0.92  # at least this close, two context claims say the same thing (a repeat, not a conflict)
CHECKED = ("goals", "frustrations", "behaviours", "motivations", "needs", "context")
_FRAME = re.compile(
    r"^(?:gets frustrated (?:that|when|by how|because)|says:?|asks:?|describes themselves as|wants it to|"
    r"would like it if)\s+|\s*\(\d+ of \d+[^)]*\)\.?$",
    re.IGNORECASE,
)


class ClaimLike(Protocol):
    section: str
    text: str
    prevalence: Prevalence | None


@dataclass(frozen=True)
class Contradiction:
    first: int  # positions in the list checked
    second: int
    reason: str


def statement(text: str) -> str:
    """What a claim says, without the wording's frame or a count: "Gets frustrated that X (3 of 9)." -> "X"."""
    out = text.strip()
    for _ in range(2):
        out = _FRAME.sub("", out).strip()
    return out.strip("\"' ")


def contradictions(claims: Sequence[ClaimLike], vectors: TextVectors) -> list[Contradiction]:
    """Every pair of claims that contradict each other, in order."""
    checked = [i for i, c in enumerate(claims) if c.section in CHECKED
               and not (c.prevalence is not None and c.prevalence.sides)]
    if len(checked) < 2:
        return []
    texts = [statement(claims[i].text) for i in checked]
    vecs = vectors(texts)
    sims = vecs @ vecs.T
    polarities = stances([claims[i].text for i in checked])
    found: list[Contradiction] = []
    for a in range(len(checked)):
        for b in range(a + 1, len(checked)):
            i, j = checked[a], checked[b]
            if sims[a, b] >= TOPIC_SIMILARITY and {polarities[a], polarities[b]} == {"negative", "positive"}:
                found.append(Contradiction(i, j, "one topic, opposite polarity"))
            elif claims[i].section == claims[j].section == "context" and CONTEXT_SIMILARITY <= sims[a, b] < SAME_CLAIM:
                found.append(Contradiction(i, j, "different answers about who they are"))
    return found
