"""Plain-text transcripts: speaker lines, Otter exports, Zoom tab-separated files, and prose.

The line analysis here is shared: docx paragraphs and pdf pages are turned into `SourceLine`s and
go through `read_lines` exactly like the lines of a .txt file.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.parsers.base import ParseError, Segment, layout_transcript
from synth.parsers.clock import CLOCK, find_iso_date, parse_clock
from synth.parsers.labels import LabelMatch, match_otter_header, match_speaker_line, parse_metadata_line
from synth.parsers.nonspeech import is_nonspeech_line, refine_segments
from synth.records import Document, Kind, Role
from synth.speakers import UNKNOWN_SPEAKER, UNLABELLED_SPEAKER, label_role, normalise_label, normalise_speakers

_ZOOM_LINE = re.compile(rf"^\s*(?P<ts>{CLOCK})\t(?P<speaker>[^\t]+)\t(?P<text>.*)$")
_OTTER_FOOTER = re.compile(r"^\s*transcribed by\s+https?://otter\.ai\S*\s*$", re.IGNORECASE)
_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_HEADER_SCAN_LINES = 12
_CLOCK_ONLY = re.compile(rf"^\s*[\[(]?\s*(?P<ts>{CLOCK})\s*[\])]?\s*$")
_WRAP_MIN_CHARS = 50  # a line shorter than this was not hard-wrapped: what follows is a new utterance
_UNLABELLED_SHARE = 0.2  # share of speech words unlabelled utterances need for a one-sided transcript
_MIN_SWITCHES = 3  # changes between labelled and unlabelled utterances, for a one-sided transcript
_TITLE_MAX_CHARS = 120
# Share of non-empty body lines that must open with a label when no label recurs.
_COVERAGE_FOR_ONE_OFF_LABELS = 0.5
# Share of lines a recurring label must open when the body does not start with one (wrapped text).
_COVERAGE_FOR_RECURRING_LABELS = 0.15


@dataclass
class SourceLine:
    """One line of source text; `number` is its line (or paragraph, or page) in the file."""

    number: int
    text: str
    speaker: str | None = None  # set when the source says who speaks (a docx table row)
    timestamp: float | None = None


@dataclass
class TranscriptParts:
    """What the line analysis found: a layout name, segments, and any title and header metadata."""

    layout: str  # "speaker-lines", "otter", "table" or "prose"
    segments: list[Segment]
    title: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)


def text_lines(text: str) -> list[SourceLine]:
    """Decoded text -> numbered lines (1-based)."""
    return [SourceLine(number, line.rstrip()) for number, line in enumerate(text.split("\n"), start=1)]


def read_lines(lines: list[SourceLine], *, first_line_is_title: bool, units_are_blocks: bool) -> TranscriptParts:
    """Find speakers in lines, or fall back to prose paragraphs.

    first_line_is_title: a leading non-speaker line is the title even in prose (docx, pdf).
    units_are_blocks: a change of `number` starts a new paragraph (docx paragraphs, pdf pages).
    """
    lines = [line for line in lines if not _OTTER_FOOTER.match(line.text)]
    title, metadata, body_start = _split_header(lines)
    body = lines[body_start:]
    layout, matches = _choose_layout(body)
    if layout == "prose":
        if not (first_line_is_title or _HEADING.match(title)):
            title = ""
        return TranscriptParts("prose", _paragraphs(lines, units_are_blocks), _clean_title(title), metadata)
    return TranscriptParts(layout, _dialogue(body, matches, units_are_blocks), _clean_title(title), metadata)


def _split_header(lines: list[SourceLine]) -> tuple[str, dict[str, Any], int]:
    """A leading title line and `Key: value` metadata lines, and where the body starts."""
    title = ""
    metadata: dict[str, Any] = {}
    seen = 0
    for index, line in enumerate(lines):
        if not line.text.strip():
            continue
        seen += 1
        if line.speaker is not None or seen > _HEADER_SCAN_LINES:
            return title, metadata, index
        found = parse_metadata_line(line.text)
        if found:
            metadata.update(found)
            continue
        is_candidate = match_speaker_line(line.text) or match_otter_header(line.text)
        text = line.text.strip()
        reads_as_title = len(text) <= _TITLE_MAX_CHARS and not text.endswith((".", "?", "!", ":", ",", ";"))
        if seen == 1 and not is_candidate and reads_as_title:
            title = text
            continue
        return title, metadata, index
    return title, metadata, len(lines)


def _choose_layout(body: list[SourceLine]) -> tuple[str, dict[int, LabelMatch]]:
    """Which lines open a turn, and the layout name; `matches` maps body index -> label match."""
    nonempty = [i for i, line in enumerate(body) if line.text.strip()]
    if not nonempty:
        return "prose", {}
    preset = {
        i: LabelMatch(body[i].speaker or "", body[i].text, body[i].timestamp) for i in nonempty if body[i].speaker
    }
    free = [i for i in nonempty if i not in preset]
    colon = {i: m for i in free if (m := match_speaker_line(body[i].text))}
    if preset:
        return "table", preset | (_keep_accepted(colon, free) if free else {})
    otter = {i: m for i in nonempty if (m := match_otter_header(body[i].text))}
    if len(otter) >= 2 and len(otter) >= len(colon):
        return "otter", otter  # a name and a clock alone on a line is already strong evidence
    accepted = _keep_accepted(colon, nonempty)
    return ("speaker-lines", accepted) if accepted else ("prose", {})


def _keep_accepted(matches: dict[int, LabelMatch], nonempty: list[int]) -> dict[int, LabelMatch]:
    """Drop labels that are likely false positives ("Note:", "Ingredients:", "Q1:").

    Labels count when one recurs and opens the body or enough lines, when distinct labels that
    say something open most lines (and one recurs, or there are just two), or when two or more
    label lines carry timestamps. Within such a transcript only recurring or timestamped labels
    open turns, unless distinct labels open most lines.
    """
    counts = Counter(m.label.casefold() for m in matches.values())
    recurring = {label for label, n in counts.items() if n >= 2}
    # "Ingredients:" alone on a line is a heading; "Sam (00:01):" alone is a speaker.
    saying = sum(1 for m in matches.values() if m.text or m.timestamp is not None)
    everyone = (
        len(counts) >= 2
        and saying > _COVERAGE_FOR_ONE_OFF_LABELS * len(nonempty)
        and (bool(recurring) or len(counts) == 2)  # "Q1:", "Q2:", "Q3:" is a list, not people
    )
    stamped = sum(1 for m in matches.values() if m.timestamp is not None) >= 2
    if not (everyone or stamped):
        recurring_lines = sum(1 for m in matches.values() if m.label.casefold() in recurring)
        opens_body = nonempty[0] in matches and matches[nonempty[0]].label.casefold() in recurring
        enough_lines = recurring_lines >= _COVERAGE_FOR_RECURRING_LABELS * len(nonempty)
        if not recurring or not (opens_body or enough_lines):
            return {}
    kept = {
        i: m
        for i, m in matches.items()
        if everyone or m.label.casefold() in recurring or m.timestamp is not None
    }
    # A one-off label before anyone who speaks again is a title or header line ("Beacon research:
    # pair interview", "- **Recording:** Zoom"), not a speaker.
    first_recurring = min((i for i, m in kept.items() if m.label.casefold() in recurring), default=None)
    if first_recurring is not None and len(recurring) >= 2:
        kept = {i: m for i, m in kept.items() if i >= first_recurring or m.label.casefold() in recurring}
    return kept


def _dialogue(body: list[SourceLine], matches: dict[int, LabelMatch], units_are_blocks: bool) -> list[Segment]:
    """Labelled lines open turns; other lines continue the current turn (wrapped text).

    Notes, bare timestamps and task prompts on their own line are `other` segments, after which
    the interrupted speaker resumes. When only one side of the conversation is labelled (a
    think-aloud where only `MODERATOR:` lines carry a name), an unlabelled line that starts a new
    utterance belongs to UNLABELLED_SPEAKER, whose role is decided with everyone else's.
    """
    one_sided = _unlabelled_side(body, matches)
    segments: list[Segment] = []
    current: Segment | None = None  # the speech segment that an unlabelled line would continue
    resume: str | None = None  # who spoke before a note interrupted them
    preamble: list[SourceLine] = []
    stamp: float | None = None  # a bare timestamp line dates the next turn
    for index, line, starts in _utterance_starts(body, matches):
        text = line.text.strip()
        match = matches.get(index)
        if match is not None:
            current = Segment(match.label, match.text, match.timestamp if match.timestamp is not None else stamp, line.number)
            segments.append(current)
            resume, stamp = None, None
        elif not text:
            continue
        elif is_nonspeech_line(text):
            if (clock := _CLOCK_ONLY.match(text)) is not None:
                stamp = parse_clock(clock.group("ts"))
            if not segments:
                preamble.append(line)
                continue
            segments.append(Segment("", text, None, line.number, role=Role.other))
            resume = current.speaker if current is not None else resume
            current = None
        elif one_sided and starts and segments:
            current = Segment(UNLABELLED_SPEAKER, text, stamp, line.number)
            segments.append(current)
            stamp = None
        elif current is not None:
            current.text += "\n" + text
        elif resume is not None:
            current = Segment(resume, text, stamp, line.number)
            segments.append(current)
        else:
            preamble.append(line)
    return _paragraphs(preamble, units_are_blocks) + segments


def _utterance_starts(body: list[SourceLine], matches: dict[int, LabelMatch]):
    """(index, line, starts) for each line; `starts`: an unlabelled line that opens a new utterance.

    It does when a blank line, a note or a finished sentence comes before it, or a short line (a
    one-word reply like "MODERATOR: Yes"); not when it wraps the line before, or it is the first
    paragraph after a label alone on its line (Otter's and Rev's `Name  0:03`).
    """
    previous = ""
    blank = True
    header_open = False
    for index, line in enumerate(body):
        text = line.text.strip()
        if not text:
            blank = True
            yield index, line, False
            continue
        match = matches.get(index)
        if match is not None:
            header_open = not match.text
            starts = False
        elif header_open:
            starts = False
            header_open = not blank or not previous  # the header's paragraph runs to the next blank line
        else:
            starts = (
                blank
                or is_nonspeech_line(previous)
                or previous.endswith((".", "?", "!", "…", '"', "”", "’", ")"))
                or len(previous) < _WRAP_MIN_CHARS
            )
        yield index, line, starts
        previous, blank = text, False


def _unlabelled_side(body: list[SourceLine], matches: dict[int, LabelMatch]) -> bool:
    """Whether unlabelled utterances are the other side of a one-side-labelled conversation.

    Yes when every label is on one side (all interviewer-like, all participant-like, or one name
    only), unlabelled utterances hold a real share of the words, and labels and unlabelled
    utterances alternate: a two-sided transcript with multi-paragraph turns never qualifies.
    """
    labels = {normalise_label(m.label) for m in matches.values()}
    roles = {label: label_role(label) for label in labels}
    sides = {role for role in roles.values() if role != Role.other}  # observers and notes take no side
    people = [label for label, role in roles.items() if role != Role.other]
    if not people or not (sides in ({Role.interviewer}, {Role.participant}) or len(people) == 1):
        return False
    labelled_words = unlabelled_words = switches = 0
    last = "label"
    for index, line, starts in _utterance_starts(body, matches):
        text = line.text.strip()
        if index in matches:
            labelled_words += len(matches[index].text.split())
            switches += last == "unlabelled"
            last = "label"
        elif text and not is_nonspeech_line(text):
            if starts or last == "unlabelled":
                unlabelled_words += len(text.split())
                switches += last == "label"
                last = "unlabelled"
            else:
                labelled_words += len(text.split())
    total = labelled_words + unlabelled_words
    return total > 0 and unlabelled_words >= _UNLABELLED_SHARE * total and switches >= _MIN_SWITCHES


def _paragraphs(lines: list[SourceLine], units_are_blocks: bool) -> list[Segment]:
    """Blank-line separated paragraphs (or one per docx paragraph / pdf page) with no speaker."""
    paragraphs: list[Segment] = []
    current: Segment | None = None
    for line in lines:
        if not line.text.strip():
            current = None
            continue
        if current is None or (units_are_blocks and current.line != line.number):
            current = Segment("", line.text.strip(), None, line.number)
            paragraphs.append(current)
        else:
            current.text += "\n" + line.text.strip()
    return paragraphs


def _clean_title(title: str) -> str:
    heading = _HEADING.match(title)
    return (heading.group("title") if heading else title).strip()


def looks_like_zoom(text: str) -> bool:
    """Most non-empty lines are `HH:MM:SS<TAB>Speaker<TAB>words`."""
    lines = [line for line in text.split("\n")[:200] if line.strip()]
    zoom = sum(1 for line in lines if _ZOOM_LINE.match(line))
    return zoom >= 1 and zoom >= 0.5 * len(lines)


def read_zoom(text: str) -> TranscriptParts:
    """Zoom's tab-separated transcript; a line without tabs continues the previous utterance."""
    segments: list[Segment] = []
    for line in text_lines(text):
        found = _ZOOM_LINE.match(line.text)
        if found:
            speaker, stamp = _zoom_speaker(found.group("speaker")), parse_clock(found.group("ts"))
            segments.append(Segment(speaker, found.group("text"), stamp, line.number))
        elif segments and line.text.strip():
            segments[-1].text += "\n" + line.text.strip()
    return TranscriptParts("zoom", segments)


def _zoom_speaker(field: str) -> str:
    # Zoom chat exports write "From Sam Lee to Everyone:" where transcripts write "Sam Lee".
    name = field.strip().rstrip(":").strip()
    name = re.sub(r"^from\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+to\s+everyone$", "", name, flags=re.IGNORECASE)
    return " ".join(name.split()) or UNKNOWN_SPEAKER


def transcript_layout(text: str) -> str:
    """"zoom", "otter", "speaker-lines" or "prose" for the text of a transcript file."""
    if looks_like_zoom(text):
        return "zoom"
    return read_lines(text_lines(text), first_line_is_title=False, units_are_blocks=False).layout


def parse_text_transcript(path: Path, text: str) -> Document:
    """A .txt / .md transcript: Zoom, Otter or speaker lines; prose when nobody speaks."""
    if looks_like_zoom(text):
        parts = read_zoom(text)
    else:
        parts = read_lines(text_lines(text), first_line_is_title=False, units_are_blocks=False)
    return transcript_document(path, parts, fmt=parts.layout)


def transcript_document(path: Path, parts: TranscriptParts, fmt: str) -> Document:
    """Lay out segments as a Document: an interview when anyone speaks, else a prose document.

    In a transcript, mid-paragraph labels and inline notes split the speech, and label variants
    and near-miss typos become one speaker (recorded as `label_variants` and `label_typos`).
    """
    segments, variants, typos = parts.segments, {}, {}
    if parts.layout != "prose":
        labels = {seg.speaker for seg in segments if seg.speaker and seg.speaker != UNLABELLED_SPEAKER}
        segments = refine_segments(segments, labels)
        variants, typos = normalise_speakers(segments)
    text, turns = layout_transcript(segments)
    if not text.strip():
        raise ParseError("no text found", "check that the file holds a transcript or notes")
    metadata: dict[str, Any] = dict(parts.metadata)
    if "date" not in metadata and (date := find_iso_date(parts.title) or find_iso_date(path.name)):
        metadata["date"] = date
    # layout_transcript names speakerless segments "unknown"; they are nobody in particular.
    speakers = list(dict.fromkeys(turn.speaker for turn in turns if turn.speaker != UNKNOWN_SPEAKER))
    metadata["speakers"] = speakers
    if variants:
        metadata["label_variants"] = variants
    if typos:
        metadata["label_typos"] = typos
    metadata["format"] = fmt
    metadata["layout"] = parts.layout
    return Document(
        path=str(path),
        kind=Kind.interview if parts.layout != "prose" else Kind.document,
        format=fmt,
        title=parts.title or str(metadata.get("title") or "") or path.stem,
        metadata=metadata,
        text=text,
        turns=turns,
    )
