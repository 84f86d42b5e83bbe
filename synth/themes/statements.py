"""Statement kinds: what a passage does, across topics (problem, request, praise, question, usage, other).

A researcher crosses topics with codes that cut across them: "feature request", "navigation is
confusing", "how they use it". Every participant chunk gets one kind, from domain-free cues only:
  request   a want or ask: modal and request constructions ("please add", "it would be nice",
            "I wish", "could you", "should have", "I'd like", "why not"), or a desire by
            synth.polarity.is_desire
  question  an interrogative sentence (a question mark, or an opening wh-word / inverted auxiliary)
            that is not a request
  problem   a complaint or problem: the polarity rule score at or below PROBLEM_AT
  praise    praise or satisfaction: the polarity rule score at or above PRAISE_AT
  usage     how they use it: first-person habitual or frequency talk ("I use it to", "every morning
            I", "we usually", "my routine")
  other     none of these
Sentence by sentence; the chunk takes the first kind in PRIORITY that any of its sentences has.
Thresholds and priority are calibrated on evals/statement_sentences.jsonl (train split) by
evals/calibrate_statements.py, which reports the held-out split.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

KINDS = ("problem", "request", "praise", "question", "usage", "other")
PRIORITY = ("request", "problem", "question", "praise", "usage")
PROBLEM_AT = -0.3  # calibrated (evals/calibrate_statements.py, train split)
PRAISE_AT = 0.3

_REQUEST = re.compile(
    r"(?i)\b(?:please (?:add|let|make|bring|allow|give|consider|support|include|fix|change|stop|offer)"
    r"|(?:would|it'd|it would) (?:be )?(?:nice|great|good|helpful|lovely|useful|love)"
    r"|(?:would|'d) (?:love|like|prefer) (?:to|a|an|it|if|the|more|some|them|you)"
    r"|i wish|wish (?:it|there|you|they)|if only"
    r"|(?:could|can|would|will) you (?:please )?(?:add|make|bring|let|allow|give|include|support|change|consider|offer)"
    r"|(?:you|they|it|there) (?:should|need to|ought to) (?:add|make|have|be|let|allow|offer|bring|include|support)"
    r"|(?:needs?|want|wanted) (?:a|an|more|some|the) (?:way|option|setting|feature|button|mode|choice|ability) to"
    r"|any chance (?:of|you)|why not|how about (?:adding|a|an|some)|is (?:this|it|that) on the roadmap"
    r"|(?:feature|wish) request|suggestion:|would be (?:even )?better (?:if|with))"
)
_QUESTION_START = re.compile(
    r"(?i)^\W*(?:how|what|why|when|where|which|who|whom|whose|is|are|am|was|were|do|does|did|can|could|"
    r"will|would|should|shall|may|might|has|have|had|isn't|aren't|doesn't|don't|didn't|won't|can't|anyone)\b"
)
_USAGE = re.compile(
    r"(?i)\b(?:i|we) (?:usually|normally|mostly|often|always|typically|generally|regularly|sometimes|tend to|"
    r"use (?:it|this|the|them|that)|mainly use|mostly use|only use|rely on|log|track|check (?:it|the|my))\b"
    r"|\b(?:every|each) (?:morning|evening|night|day|week|weekend|month|time i|time we)\b"
    r"|\b(?:once|twice|three times) (?:a|per) (?:day|week|month)\b|\bmy (?:routine|workflow|habit)\b"
    r"|\b(?:i|we) use (?:\w+ )?(?:to|for)\b|\bon (?:weekdays|weekends|sundays|mondays)\b"
)
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")


def _polarity(sentence: str) -> float:
    from synth.polarity import polarity

    return polarity(sentence)


def sentence_kind(sentence: str, problem_at: float = PROBLEM_AT, praise_at: float = PRAISE_AT) -> str:
    """The kind of one sentence (see the module docstring)."""
    from synth.polarity import is_desire

    s = sentence.strip()
    if not s:
        return "other"
    if _REQUEST.search(s) or is_desire(s):
        return "request"
    if s.endswith("?") or ("?" in s and _QUESTION_START.search(s)):
        return "question"
    score = _polarity(s)
    if score <= problem_at:
        return "problem"
    if score >= praise_at:
        return "praise"
    if _USAGE.search(s):
        return "usage"
    return "other"


def statement_kind(text: str, problem_at: float = PROBLEM_AT, praise_at: float = PRAISE_AT,
                   priority: Sequence[str] = PRIORITY) -> str:
    """The kind of a passage: the first kind in `priority` that one of its sentences has, else "other"."""
    found = {sentence_kind(m.group(0), problem_at, praise_at) for m in _SENTENCES.finditer(text)}
    return next((k for k in priority if k in found), "other")


def statement_kinds(texts: Sequence[str]) -> list[str]:
    return [statement_kind(t) for t in texts]


def count_kinds(kinds: Sequence[str]) -> dict[str, int]:
    """Counts in KINDS order, zero kinds left out."""
    counts = Counter(kinds)
    return {k: counts[k] for k in KINDS if counts[k]}
