"""Who is the interviewer: speaker roles for parsed documents."""

from __future__ import annotations

import re

from synth.records import Document, Kind, Role, Turn

UNKNOWN_SPEAKER = "unknown"  # what parsers call speech whose speaker the source does not name

_QUESTION_OPENERS = re.compile(
    r"^(?:(?:so|okay|ok|and|right|great|cool|alright|now)[,.]?\s+)*"
    r"(?:what|how|why|when|where|which|who|can you|could you|would you|do you|did you|have you|"
    r"are you|is there|tell me|walk me)\b",
    re.IGNORECASE,
)
_INTERVIEWER_HINT = re.compile(r"\b(?:interviewer|moderator|researcher|facilitator|host|q|ux|int|mod)\b", re.IGNORECASE)
_PARTICIPANT_HINT = re.compile(
    r"\b(?:participant|interviewee|respondent|customer|user|guest|a|p\d+|r\d+)\b", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|/|\band\b)\s*", re.IGNORECASE)

# Heuristic weights; a label hint outweighs everything else, asking questions comes next.
_W_HINT = 3.0
_W_QUESTIONS = 2.0
_W_BREVITY = 1.0
_W_FIRST = 0.5


def assign_roles(doc: Document, interviewers: list[str]) -> None:
    """Set each turn's role in place and record `doc.metadata["interviewers"]`.

    Transcripts: speakers named in `interviewers` (or in an `Interviewer:` header line) are
    interviewers, matched case-insensitively, also when a label starts with the name ("Priya" ->
    "Priya (Larder UX)"). When no name matches and two or more people speak, `detect_interviewer`
    picks one. Everyone else is a participant; unattributed speech stays unknown.
    Prose documents: every turn unknown. Reviews and posts: their author is a participant.
    """
    if doc.kind in (Kind.review, Kind.social):
        for turn in doc.turns:
            turn.role = Role.participant
        return
    if doc.kind == Kind.document:
        for turn in doc.turns:
            turn.role = Role.unknown
        doc.metadata["interviewers"] = []
        return
    named = list(interviewers) + _split_names(doc.metadata.get("interviewer"))
    speakers = list(dict.fromkeys(t.speaker for t in doc.turns if t.speaker != UNKNOWN_SPEAKER))
    chosen = [s for s in speakers if any(names_match(s, name) for name in named)]
    if not chosen and len(speakers) >= 2:
        detected = detect_interviewer(doc.turns, doc.text)
        chosen = [detected] if detected else []
    for turn in doc.turns:
        if turn.speaker == UNKNOWN_SPEAKER:
            turn.role = Role.unknown
        else:
            turn.role = Role.interviewer if turn.speaker in chosen else Role.participant
    doc.metadata["interviewers"] = chosen


def names_match(label: str, name: str) -> bool:
    """"Priya" matches "Priya", "priya", "Priya (Larder UX)" and "Priya Shah", not "Priyanka"."""
    label, name = " ".join(label.casefold().split()), " ".join(name.casefold().split())
    if not label or not name:
        return False
    if label == name:
        return True
    # A label that starts with the name, or a first-name label for a full name ("Sam" for "Sam Lee").
    longer, shorter = (label, name) if len(label) > len(name) else (name, label)
    return longer.startswith(shorter) and not longer[len(shorter)].isalnum()


def detect_interviewer(turns: list[Turn], text: str) -> str | None:
    """The speaker most likely to be the interviewer, or None with fewer than two speakers.

    Each speaker scores: 3 x a label hint (+1 for Interviewer, Moderator, Researcher, Facilitator,
    Host, Q, UX; -1 for Participant, Respondent, P07, A), 2 x the share of their turns that are
    questions (ending in "?" or opening with what / how / why / when / can you / could you / tell
    me / walk me ...), 1 x brevity (the shortest mean words per turn scores 1, longer means score
    proportionally less), and 0.5 for speaking first. The highest score wins; ties go to whoever
    spoke first.
    """
    said: dict[str, list[str]] = {}
    for turn in turns:
        if turn.speaker != UNKNOWN_SPEAKER:
            said.setdefault(turn.speaker, []).append(text[turn.start:turn.end])
    if len(said) < 2:
        return None
    mean_words = {s: sum(len(t.split()) for t in texts) / len(texts) for s, texts in said.items()}
    shortest = max(min(mean_words.values()), 1.0)
    first = next(iter(said))
    scores: dict[str, float] = {}
    for speaker, texts in said.items():
        questions = sum(1 for t in texts if is_question(t)) / len(texts)
        brevity = shortest / max(mean_words[speaker], 1.0)
        scores[speaker] = (
            _W_HINT * label_hint(speaker)
            + _W_QUESTIONS * questions
            + _W_BREVITY * brevity
            + _W_FIRST * (speaker == first)
        )
    return max(said, key=lambda s: scores[s])  # max keeps the first of equals: the earliest speaker


def is_question(utterance: str) -> bool:
    """Ends in a question mark, or opens like a question ("So, how do you ...")."""
    text = utterance.strip().rstrip("\"'”’)] ")
    return text.endswith("?") or bool(_QUESTION_OPENERS.match(text))


def label_hint(label: str) -> int:
    """+1 for interviewer-like labels ("Moderator", "Q", "Priya (Larder UX)"), -1 for participant-like."""
    if _INTERVIEWER_HINT.search(label):
        return 1
    if _PARTICIPANT_HINT.search(label):
        return -1
    return 0


def _split_names(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [name for name in _NAME_SEPARATORS.split(value) if name.strip()]
