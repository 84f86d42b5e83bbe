"""Recognise questions that try to break the persona or its grounding rules, and keep their real topic.

Simple patterns, by design: a match never gives the model more freedom, it only makes the persona
say out loud that it speaks from participants' words alone. Whatever real question is left after
the manipulation is removed is still answered from evidence, under the same rules as any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from synth.llm.text import content_stems

_Q = r"(?:(?:all|any|the|your|my|these|those|previous|prior|above|earlier|initial|original|given|system|of)\s+){0,4}"
PATTERNS: dict[str, re.Pattern[str]] = {
    name: re.compile(rx, re.IGNORECASE)
    for name, rx in {
        "ignore_instructions": rf"\b(?:ignore|disregard|forget|override|bypass|drop)\s+{_Q}"
        r"(?:instructions?|rules|prompts?|guidelines|guardrails|programming|constraints|directives?|context)\b",
        "system_prompt": r"\b(?:system|initial|hidden|original|developer|secret)\s+(?:prompt|message|instructions?)\b"
        r"|\byour\s+(?:prompts?|instructions|programming|guardrails|system\s+message)\b",
        "pretend": r"\b(?:pretend|imagine)\s+(?:to\s+be|(?:that\s+)?you(?:'re|\u2019re|\s+are|\s+were))\b[^.?!]*",
        "role_change": r"\byou\s+are\s+(?:now|no\s+longer)\b[^.?!]*|\bfrom\s+now\s+on\b[^.?!]*"
        r"|\b(?:act|behave)\s+as\s+(?:if|though|an?|the)\b[^.?!]*|\brole-?play\b[^.?!]*",
        "developer_mode": r"\b(?:developer|dev|god|debug|admin|jailbreak)\s+mode\b|\bjailbreak\w*",
        "reveal": r"\b(?:reveal|show|print|repeat|leak|dump)\b[^.?!]{0,30}?"
        r"\b(?:prompt|instructions|configuration|hidden|secret)\b",
        "out_of_character": r"\bare\s+you\s+(?:an?\s+)?(?:ai|bot|robot|chatbot|language\s+model|llm|gpt|chatgpt|"
        r"real\s+person|human)\b|\b(?:break|out\s+of)\s+character\b",
    }.items()
}
# Asking for a particular output is part of the manipulation, not a topic: "... and reply only with X".
_DIRECTIVE = re.compile(r"^(?:say|reply|respond|print|output|write|repeat|type|return|answer\s+only)\b", re.IGNORECASE)
_CONNECTOR = re.compile(r"^(?:[\s,;:.!?\-]|\b(?:and|then|but|so|also|now|please|instead|just|okay|ok)\b)+",
                        re.IGNORECASE)
_CLAUSE = re.compile(r"((?<=[.?!;])\s+|\s*,\s*|\s+\b(?:and|then)\b\s+)", re.IGNORECASE)
# Words that talk about the persona or the manipulation itself, never a research topic.
_META = frozenset(
    "instruction instructions rule rules prompt prompts system message persona character role ai bot model "
    "assistant chatbot developer mode jailbreak reveal pretend ignore hack hacked tell answer question "
    "anything everything something".split()
)


@dataclass
class Guard:
    """What a question tries: `manipulative` with the pattern names, and the real question left, if any."""

    manipulative: bool
    reasons: list[str] = field(default_factory=list)
    topic: str | None = None  # the question to answer from evidence; None when nothing real is left


def inspect_question(question: str) -> Guard:
    """Find manipulation attempts in a chat question and what real question (if any) remains."""
    reasons = [name for name, rx in PATTERNS.items() if rx.search(question)]
    if not reasons:
        return Guard(False, [], question.strip() or None)
    rest = question
    for name in reasons:
        rest = PATTERNS[name].sub(" ", rest)
    parts = _CLAUSE.split(rest)  # clause, separator, clause, ...
    topic = ""
    for i in range(0, len(parts), 2):
        clause = parts[i].strip()
        bare = _CONNECTOR.sub("", clause).strip()
        if not bare or _DIRECTIVE.match(bare):
            continue
        topic += (parts[i - 1] if topic else "") + clause
    topic = _CONNECTOR.sub("", " ".join(topic.split())).strip(" ,;:-")
    meaningful = [s for s in content_stems(topic) if s not in _META and len(s) > 2]
    return Guard(True, reasons, topic if meaningful else None)
