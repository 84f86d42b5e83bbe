"""Recognizing speaker labels (`Priya (Larder UX): ...`) and header lines (`Date: 2026-03-14`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from synth.parsers.clock import CLOCK, find_iso_date, iso_date, parse_clock

# Words that end in a colon in prose and notes but are never people.
STOP_LABELS = frozenset(
    """
    note notes nb n.b ps p.s pps edit update tip tips warning caution important example examples
    e.g i.e eg ie summary conclusion re fwd fw subject from to cc bcc sent http https ftp mailto www
    source sources link links url todo fixme date time location duration length project study topic
    session title attendees speakers recorded device platform product age occupation tags keywords
    transcript agenda goal goals context background pros cons result results
    """.split()
)
# Numbered document parts: "Figure 2: ...", "Step 3: ...".
_STOP_FIRST_WORDS = frozenset(
    "figure fig fig. table chapter section part appendix step item exhibit task scenario exercise activity question".split()
)
# A label's first word is never one of these: "The thing is: ..." is a sentence, not a speaker.
_FUNCTION_WORDS = frozenset(
    """
    the a an this that these those it it's its my our your his her their one here here's there
    what why how when where who which so but and or if because then also just i i'm we you they he
    she in on at for with from to of by as all some most every each no not
    """.split()
)
# How speech starts, unlike names: "Interviewer: Welcome everyone" is dialogue, not a header.
_SPEECH_OPENERS = frozenset(
    """
    hi hello hey welcome okay ok so right great thanks thank yes yeah yep no um uh well alright good
    morning afternoon evening let's lets and but i we you
    """.split()
)
_LABEL_CHARS = re.compile(r"[^\W_][\w .'’&()/\-]*")

_BOLD = r"(?:\*\*|__)?"
_LABEL = r"(?P<label>[^\W_][^:\[\]\n]{0,60}?)"
_AFTER_COLON = r"\s*:(?:\*\*|__)?(?:\s+(?P<text>.*)|\s*$)"
# A quote mark or bullet, then an optional turn number: "[12] Dan:", "12. Dan:", "(12) Dan:".
_LEAD = r"^\s*(?:>+\s*|[-*•]\s+)?(?:(?:\[\d{1,5}\]|\(\d{1,5}\)|\d{1,5}[.)])\s+)?"
_TS_FIRST = re.compile(rf"{_LEAD}[\[(]?(?P<ts>{CLOCK})[\])]?\s*(?:[-–—|]\s*)?{_BOLD}{_LABEL}{_BOLD}{_AFTER_COLON}")
_TS_AFTER = re.compile(rf"{_LEAD}{_BOLD}{_LABEL}\s*[\[(](?P<ts>{CLOCK})[\])]{_BOLD}{_AFTER_COLON}")
_PLAIN = re.compile(rf"{_LEAD}{_BOLD}{_LABEL}{_BOLD}{_AFTER_COLON}")
# A name and a clock alone on a line (Otter, Teams, Descript, Rev without the colon): "Sam Lee  0:03",
# "Sam Lee (00:01:02)", "Sam Lee | 00:03".
_OTTER_HEADER = re.compile(
    rf"^\s*{_BOLD}(?P<label>[^\W_][^:\n\[\]|]{{0,60}}?){_BOLD}\s*(?:[|–—-]\s*)?"
    rf"(?P<open>[\[(])?(?P<ts>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,]\d{{1,3}})?)(?(open)[\])])\s*$"
)

_META_KEYS = {
    "date": "date",
    "interview date": "date",
    "session date": "date",
    "recording date": "date",
    "recorded": "date",
    "recorded on": "date",
    "interviewer": "interviewer",
    "interviewers": "interviewer",
    "interviewed by": "interviewer",
    "moderator": "interviewer",
    "facilitator": "interviewer",
    "researcher": "interviewer",
    "observer": "observer",
    "observers": "observer",
    "note taker": "observer",
    "note-taker": "observer",
    "notetaker": "observer",
    "participant": "participant",
    "participants": "participant",
    "interviewee": "participant",
    "respondent": "participant",
    "project": "project",
    "study": "study",
    "location": "location",
    "duration": "duration",
    "length": "duration",
    "session": "session",
    "topic": "topic",
    "attendees": "attendees",
    "time": "time",
    "title": "title",
}
_PERSON_KEYS = frozenset({"interviewer", "participant", "observer"})
_META_KEY_RE = re.compile(
    r"(?:^|(?<=[\s|;,•·]))(?P<key>"
    + "|".join(sorted((re.escape(k) for k in _META_KEYS), key=len, reverse=True))
    + r")\s*:\s*",
    re.IGNORECASE,
)


@dataclass
class LabelMatch:
    """A line that opens with a speaker label; `text` is what follows the colon."""

    label: str
    text: str
    timestamp: float | None = None


def clean_label(label: str) -> str:
    """A label with markdown emphasis removed and inner whitespace collapsed."""
    return " ".join(label.replace("**", "").replace("__", "").split())


def is_label(label: str) -> bool:
    """Could this be a speaker label: 1-4 words, at most 40 characters, name-like characters."""
    label = clean_label(label)
    if not label or len(label) > 40 or not _LABEL_CHARS.fullmatch(label):
        return False
    if label.count("(") != label.count(")") or label.isdigit():
        return False
    words = re.sub(r"\([^)]*\)", " ", label).split()
    if not 1 <= len(words) <= 4 or label.casefold() in STOP_LABELS:
        return False
    first = words[0].casefold()
    if first[0].isdigit():
        return False  # "3.a Please explain: ..." is a task item, "2 things:" a list
    if first in _STOP_FIRST_WORDS and len(words) > 1:
        return False
    if len(words) > 1 and first in _FUNCTION_WORDS:
        return False
    lettered = [w for w in words if w[0].isalpha()]
    # "what i mean" is a clause; real multi-word labels are capitalized ("Speaker 1", "Dr. Lee").
    return not (len(words) > 1 and lettered and all(w[0].islower() for w in lettered))


def match_speaker_line(line: str) -> LabelMatch | None:
    """`Name: text`, `[00:01:15] Name: text`, `00:01:15 Name: text`, `Name (1:15): text` -> match."""
    for pattern in (_TS_FIRST, _TS_AFTER, _PLAIN):
        found = pattern.match(line)
        if found and is_label(found.group("label")):
            stamp = found.groupdict().get("ts")
            return LabelMatch(
                label=clean_label(found.group("label")),
                text=(found.group("text") or "").strip(),
                timestamp=parse_clock(stamp) if stamp else None,
            )
    return None


def match_otter_header(line: str) -> LabelMatch | None:
    """Otter's `Name  0:03` header line (a name and a clock alone) -> match with empty text."""
    found = _OTTER_HEADER.match(line)
    if not found or not is_label(found.group("label")):
        return None
    return LabelMatch(clean_label(found.group("label")), "", parse_clock(found.group("ts")))


def parse_metadata_line(line: str) -> dict[str, Any] | None:
    """`Date: 2026-03-14  Interviewer: Sam` -> {"date": "2026-03-14", "interviewer": "Sam"}, else None.

    Only known keys count. A person key (`Interviewer: ...`) counts only when its value reads as a
    name, not a sentence, because `Interviewer: Thanks for coming.` is the first line of dialogue.
    """
    text = re.sub(r"^\s*(?:#+|[-*•])\s*", "", line.replace("**", "").replace("__", "")).strip()
    if len(text) > 2 and text[0] == text[-1] and text[0] in "*_":  # an italic header line
        text = text[1:-1].strip()
    keys = list(_META_KEY_RE.finditer(text))
    if not keys or keys[0].start() != 0:
        return None
    found: dict[str, Any] = {}
    for index, key_match in enumerate(keys):
        end = keys[index + 1].start() if index + 1 < len(keys) else len(text)
        value = text[key_match.end():end].strip(" \t|;,•·")
        if not value:
            return None
        key = _META_KEYS[key_match.group("key").casefold()]
        if key == "date":
            found[key] = iso_date(value) or find_iso_date(value) or value
        else:
            found[key] = value
    if any(key in _PERSON_KEYS and not _reads_as_name(value) for key, value in found.items()):
        return None
    return found


def _reads_as_name(value: str) -> bool:
    words = value.split()
    initial = re.search(r"\b[A-Z]\.$", value.rstrip())  # "Ana R." is a name, "Thanks for coming." is not
    if not words or len(words) > 8 or (value.rstrip().endswith((".", "?", "!", "…")) and not initial):
        return False
    return words[0].strip(",").casefold() not in _SPEECH_OPENERS
