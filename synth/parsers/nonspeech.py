"""What in a transcript is not anyone's speech: stage directions, observer notes, task prompts,
bare timestamps and anonymisation masks, and speaker labels that appear mid-paragraph.

These are transcription conventions, not any study's vocabulary: `(laughs)`, `[inaudible]`,
`(The participant reads the task again)`, `3.a Please explain…`, `00:12:03`, `[REDACTED]`, `XXXX`.
They stay in the document as context (role `other`) and never become evidence.
"""

from __future__ import annotations

import re

from synth.parsers.base import Segment
from synth.parsers.clock import CLOCK
from synth.records import Role

# Words transcribers put in parentheses for what is heard or seen but not said.
_DIRECTION_WORDS = (
    r"laugh\w*|chuckl\w*|giggl\w*|smil\w*|sigh\w*|pause\w*|long pause|silence|inaudible|unintelligible|"
    r"indiscernible|crosstalk|cross-talk|cross talk|overlapping|overtalk|coughs?|coughing|clears throat|"
    r"background noise|noise|typing|clicking|music|applause|static|audio \w+|break|sound \w+|"
    r"interruption|interrupted|unclear|\?+|\.{3}|…|phone rings|door \w+|dog barking|baby crying"
)
_PEOPLE_WORDS = r"participant|user|moderator|interviewer|facilitator|respondent|observer|researcher|p\d+|they|he|she"
_DIRECTION = re.compile(
    rf"(?:{_DIRECTION_WORDS})(?:\s+[\w:.,-]+){{0,3}}|(?:the\s+)?(?:{_PEOPLE_WORDS})\s+\w+.*|{CLOCK}", re.IGNORECASE
)
# An anonymisation mask: XXXX, [REDACTED], <NAME>, [COMPANY NAME], ****, ████.
MASK = re.compile(
    r"\b[Xx]{3,}\b|\[(?:[A-Z][A-Z0-9 _-]{1,30})\]|<(?:[A-Z][A-Z0-9_ -]{1,30})>|\*{3,}|█+"
)
# A whole line that is a note: in brackets or parentheses, or a clock alone.
_BRACKETED_LINE = re.compile(r"^\s*(?:\([^()]{1,300}\)|\[[^\[\]]{1,300}\]|\{[^{}]{1,300}\})[.!]?\s*$")
_CLOCK_LINE = re.compile(rf"^\s*[\[(]?\s*{CLOCK}\s*[\])]?\s*$")
# A task-sheet or discussion-guide item read out: "3.a Please explain…", "2. Find the…", "Task 2: …".
_PROMPT_LINE = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})*(?:\.?[a-z][.)]?|[.)])\s+[A-Z\"“]"
    r"|(?:task|scenario|exercise|activity)\s*\d+[a-z]?\s*[:.)–-])",
    re.IGNORECASE,
)
# Lines the recording tool writes, not anyone's speech (Teams, Meet, Zoom, Otter footers and notices).
_TOOL_LINE = re.compile(
    r"^\s*(?:.{1,60}\s(?:started|stopped|paused|resumed)\s(?:the\s)?(?:transcription|recording)\b"
    r"|(?:the\s)?(?:meeting|call|recording|transcription)\s(?:ended|started|stopped|was\sstopped)\b"
    r"|this\s(?:editable\s)?transcript\swas\b|transcribed\sby\b|transcript\sgenerated\b)",
    re.IGNORECASE,
)
_INLINE_NOTE = re.compile(r"\([^()]{1,60}\)|\[[^\[\]]{1,60}\]")


def is_nonspeech_line(text: str) -> bool:
    """A line that is a note, a bare timestamp, a task prompt, only masks, or the recording tool's notice."""
    return bool(
        _BRACKETED_LINE.match(text) or _CLOCK_LINE.match(text) or _PROMPT_LINE.match(text) or only_masks(text)
        or _TOOL_LINE.match(text)
    )


def only_masks(text: str) -> bool:
    """Nothing but anonymisation masks and punctuation ("XXXX.", "[REDACTED] [REDACTED]")."""
    return bool(MASK.search(text)) and not re.search(r"\w", MASK.sub("", text))


def _is_direction(note: str) -> bool:
    inner = note[1:-1].strip()
    if note.startswith("[") and not MASK.fullmatch(note):
        return True  # square brackets are the transcriber's, except a mask inside a sentence
    return bool(_DIRECTION.fullmatch(inner))


def inline_label_pattern(labels: set[str]) -> re.Pattern[str] | None:
    """`… right. Interviewer: And then?` - a known label opening a turn mid-paragraph."""
    if not labels:
        return None
    names = "|".join(sorted((re.escape(label) for label in labels), key=len, reverse=True))
    return re.compile(
        rf"(?:(?<=[.?!…\"”’)\]])\s+|\s+(?:-|>>)\s*)(?:\*\*|__)?(?P<label>{names})(?:\*\*|__)?\s*:(?:\*\*|__)?\s+",
        re.IGNORECASE
    )


def refine_segments(segments: list[Segment], labels: set[str]) -> list[Segment]:
    """Split speech at mid-paragraph speaker labels and inline notes; mark non-speech segments `other`.

    labels: the file's speaker labels (as written); a label found mid-paragraph opens a new turn.
    """
    pattern = inline_label_pattern(labels)
    spelled = {label.casefold(): label for label in labels}
    out: list[Segment] = []
    for seg in segments:
        if seg.role is not None or not seg.speaker:
            if seg.role is None and is_nonspeech_line(seg.text):
                seg.role = Role.other
            out.append(seg)
            continue
        for speaker, words, first in _split_labels(seg, pattern, spelled):
            pieces = _split_notes(speaker, words, seg)
            if pieces:
                pieces[0].inline = seg.inline if first else False
            out.extend(pieces)
    return out


def _split_labels(seg: Segment, pattern, spelled) -> list[tuple[str, str, bool]]:
    if pattern is None:
        return [(seg.speaker, seg.text, True)]
    parts: list[tuple[str, str, bool]] = []
    speaker, pos = seg.speaker, 0
    for found in pattern.finditer(seg.text):
        parts.append((speaker, seg.text[pos:found.start()], not parts))
        speaker, pos = spelled.get(found.group("label").casefold(), found.group("label")), found.end()
    parts.append((speaker, seg.text[pos:], not parts))
    return [p for p in parts if p[1].strip()]


def _split_notes(speaker: str, words: str, seg: Segment) -> list[Segment]:
    """A speech segment cut around its inline notes; a segment that is all note becomes `other`."""
    if is_nonspeech_line(words):
        return [Segment("", words, seg.timestamp, seg.line, role=Role.other)]
    pieces: list[Segment] = []
    pos = 0
    for note in _INLINE_NOTE.finditer(words):
        if not _is_direction(note.group()):
            continue
        _add_speech(pieces, speaker, words[pos:note.start()], seg)
        pieces.append(Segment("", note.group(), seg.timestamp, seg.line, role=Role.other, inline=bool(pieces)))
        pos = note.end()
    _add_speech(pieces, speaker, words[pos:], seg)
    return pieces


def _add_speech(pieces: list[Segment], speaker: str, words: str, seg: Segment) -> None:
    words = words.strip()
    if not words:
        return
    role = Role.other if only_masks(words) or not re.search(r"\w", words) else None
    pieces.append(Segment(speaker if role is None else "", words, seg.timestamp, seg.line, role=role,
                          inline=bool(pieces)))
