"""Caption files: WebVTT (.vtt, and the headerless kind Teams writes to .txt) and SubRip (.srt)."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from synth.parsers.base import ParseError, Segment
from synth.parsers.clock import CLOCK, parse_clock
from synth.parsers.labels import is_label, match_speaker_line
from synth.parsers.transcripts import TranscriptParts, transcript_document
from synth.records import Document
from synth.speakers import UNKNOWN_SPEAKER

TIMING = re.compile(rf"^\s*(?P<start>{CLOCK})\s*-->\s*(?P<end>{CLOCK})(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+(?P<name>[^>]+)>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<\d[\d:.]*>")  # <i>, <c.yellow>, </v>, <font ...>, <00:00:01.000>
_ASS_OVERRIDE = re.compile(r"\{\\[^}]*\}")  # SRT files converted from ASS keep "{\an8}"
_SPEAKER_CHANGE = re.compile(r"^\s*(?:>>+|-)\s*")  # broadcast captions mark a new speaker with ">>" or "-"
_NAME_LINE_SHARE = 0.8  # share of cues that must start with a bare name for Teams' "name line" layout


@dataclass
class Cue:
    """One timed caption: its start in seconds and its text lines with their line numbers."""

    start: float
    lines: list[tuple[int, str]] = field(default_factory=list)


def looks_like_captions(text: str) -> str | None:
    """"vtt" or "srt" when the text is a caption file (a WEBVTT header, or timing lines), else None."""
    if text.lstrip("\ufeff \t\n").startswith("WEBVTT"):
        return "vtt"
    timings = [m for line in text.split("\n")[:400] if (m := TIMING.match(line))]
    if len(timings) < 2:
        return None
    return "srt" if "," in timings[0].group("start") else "vtt"


def read_cues(text: str) -> list[Cue]:
    """Timed cues, tolerating missing cue numbers, extra blank lines and NOTE/STYLE/REGION blocks."""
    cues: list[Cue] = []
    skipping = False
    after_blank = True
    last_opened_block = False  # whether the current cue's last line came right after a blank line
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            skipping, after_blank = False, True
            continue
        timing = TIMING.match(line)
        if timing:
            skipping = False
            if cues and cues[-1].lines:
                _drop_cue_id(cues[-1], number, last_opened_block)
            cues.append(Cue(parse_clock(timing.group("start"))))
        elif skipping:
            pass
        elif after_blank and re.match(r"(?:NOTE|STYLE|REGION)(?:\s|$)", line):
            skipping = True
        elif cues:
            cues[-1].lines.append((number, line))
            last_opened_block = after_blank
        after_blank = False
    return cues


def _drop_cue_id(cue: Cue, timing_line: int, opened_block: bool) -> None:
    """Remove the next cue's id (an SRT number, a VTT id) that was read as this cue's last line."""
    number, line = cue.lines[-1]
    next_to_timing = number == timing_line - 1
    if (line.isdigit() and (opened_block or next_to_timing)) or (opened_block and next_to_timing):
        cue.lines.pop()


def parse_captions(path: Path, text: str, fmt: str) -> Document:
    """A .vtt or .srt file as a transcript; speakers come from voice tags or `Name:` prefixes."""
    cues = read_cues(text)
    if not cues:
        raise ParseError(
            f"no caption cues found in the .{fmt} file", "check that it has `00:00:01.000 --> 00:00:04.000` timing lines"
        )
    segments = _speech(cues)
    if not any(seg.text.strip() for seg in segments):
        raise ParseError(f"the .{fmt} file has timing lines but no caption text", "check the export")
    return transcript_document(path, TranscriptParts(fmt, segments), fmt=fmt)


def _speech(cues: list[Cue]) -> list[Segment]:
    """Cue lines -> segments; a line without a speaker continues the previous speaker."""
    names = _name_lines(cues)
    prefixes = _accepted_prefixes(cues)
    segments: list[Segment] = []
    speaker = UNKNOWN_SPEAKER  # until a cue names someone
    for cue in cues:
        lines = cue.lines
        if names and len(lines) >= 2 and _plain(lines[0][1]).casefold() in names:
            speaker, lines = _plain(lines[0][1]), lines[1:]
        for offset, (number, raw) in enumerate(lines):
            voice = _VOICE.search(raw)
            words = _plain(raw)
            changed = False
            if voice:
                speaker, changed = " ".join(voice.group("name").split()), True
            else:
                prefixed = match_speaker_line(_SPEAKER_CHANGE.sub("", words))
                if prefixed and prefixed.label.casefold() in prefixes:
                    speaker, words, changed = prefixed.label, prefixed.text, True
                elif prefixes and _SPEAKER_CHANGE.match(words) and _SPEAKER_CHANGE.match(words).group().strip():
                    # "- What do you think?": a new speaker nobody named; in a dialogue, the one who spoke
                    # before the current speaker.
                    speaker, changed = _previous_other(segments, speaker), True
                    words = _SPEAKER_CHANGE.sub("", words)
            if changed or offset == 0 or not segments or segments[-1].speaker != speaker:
                segments.append(Segment(speaker, words, cue.start, number))
            else:
                segments[-1].text += " " + words
    return segments


def _previous_other(segments: list[Segment], speaker: str) -> str:
    for seg in reversed(segments):
        if seg.speaker and seg.speaker != speaker:
            return seg.speaker
    return speaker


def _plain(line: str) -> str:
    """Caption text without tags, with entities (&amp; &lt; &nbsp;) unescaped."""
    text = _ASS_OVERRIDE.sub("", _TAG.sub("", line))
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def _accepted_prefixes(cues: list[Cue]) -> set[str]:
    """`NAME:` prefixes, when the file uses them (one recurs, or two differ), or names a voice.

    A lone "Note: ..." in a file without that convention stays speech.
    """
    counts: Counter[str] = Counter()
    voices: set[str] = set()
    for cue in cues:
        for _, raw in cue.lines:
            voice = _VOICE.search(raw)
            if voice:
                voices.add(" ".join(voice.group("name").split()).casefold())
            elif found := match_speaker_line(_SPEAKER_CHANGE.sub("", _plain(raw))):
                counts[found.label.casefold()] += 1
    uses_prefixes = len(counts) >= 2 or any(n >= 2 for n in counts.values())
    return (set(counts) if uses_prefixes else set()) | (voices & set(counts))


def _name_lines(cues: list[Cue]) -> set[str]:
    """Names that Teams writes alone on a cue's first line, when most cues do that."""
    firsts = [
        _plain(cue.lines[0][1])
        for cue in cues
        if len(cue.lines) >= 2 and ":" not in cue.lines[0][1] and "<v" not in cue.lines[0][1]
    ]
    names = [name.casefold() for name in firsts if is_label(name) and not name.endswith((".", "?", "!", ","))]
    recurs = any(n >= 2 for n in Counter(names).values())
    return set(names) if recurs and len(names) >= _NAME_LINE_SHARE * len(cues) else set()
