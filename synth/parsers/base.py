"""What every parser shares: options, the error it raises, decoding, and transcript layout."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from synth.records import Kind, Role, Turn


class ParseError(Exception):
    """A file that cannot be parsed; `reason` says what is wrong and `fix` what to do about it."""

    def __init__(self, reason: str, fix: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.fix = fix


@dataclass
class ParseOptions:
    """How to read files. Column names left as None are detected from the header."""

    kind: Kind | None = None  # None: detect
    interviewers: list[str] = field(default_factory=list)
    text_column: str | None = None
    author_column: str | None = None
    id_column: str | None = None
    rating_column: str | None = None
    date_column: str | None = None
    column_roles: dict[str, str] = field(default_factory=dict)  # survey column -> role (synth.parsers.survey.ROLES)
    max_bytes: int = 200 * 1024 * 1024
    # The user's speaker fixes per file path (`synth speakers set/merge`):
    # {"role": {speaker: Role}, "merge": {speaker: into}}.
    speaker_overrides: dict[str, dict[str, dict]] = field(default_factory=dict)


@dataclass
class Segment:
    """One piece of speech as a parser finds it (a line, a cue, a paragraph) before layout."""

    speaker: str
    text: str
    timestamp: float | None = None
    line: int | None = None
    role: Role | None = None  # Role.other for notes, prompts and masks; None: decided later by speaker
    inline: bool = False  # continues the previous segment's line (text after an inline "(laughs)")


def decode(data: bytes, path: Path | str = "") -> str:
    """Bytes to text: UTF-8 (with or without BOM), UTF-16 (BOM or sniffed), else Windows-1252.

    Newlines are normalized to "\\n" and NUL-heavy input is refused as binary.
    """
    try:
        text = _decode_marked(data)
    except UnicodeDecodeError as exc:
        # A byte-order mark promised an encoding the bytes do not keep (often a truncated file).
        raise ParseError(
            f"undecodable bytes: {exc.encoding} {exc.reason} at byte {exc.start}",
            "re-save the file as UTF-8",
        ) from None
    if text is None:
        if b"\x00" in data[:8192]:
            raise ParseError("binary file (contains NUL bytes)", "export it as text, docx or pdf")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            if text.count("\ufffd") > max(8, len(text) // 100):
                raise ParseError(
                    "undecodable bytes: not UTF-8, UTF-16 or Windows-1252",
                    "re-save the file as UTF-8",
                ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise ParseError("binary file (contains NUL characters)", "export it as text, docx or pdf")
    return text


def _decode_marked(data: bytes) -> str | None:
    """Text when a byte-order mark or NUL pattern fixes the encoding, else None."""
    encoding = marked_encoding(data)
    return data.decode(encoding, errors="strict") if encoding else None


def marked_encoding(head: bytes) -> str | None:
    """The codec a byte-order mark or UTF-16's NUL pattern in a file's first bytes fixes, else None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if _looks_utf16(head):
        return "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
    return None


def _looks_utf16(data: bytes) -> bool:
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    return max(even_nuls, odd_nuls) > 0.4 * half and min(even_nuls, odd_nuls) < 0.05 * half


def layout_transcript(segments: list[Segment]) -> tuple[str, list[Turn]]:
    """Lay segments out as `Speaker: words` lines.

    Consecutive segments of one speaker (split captions, wrapped lines) join into one turn, so a
    turn is what a person said before someone else spoke. Each turn's span covers only the words,
    never the speaker label. Segments with speaker "" are laid out as bare paragraphs; `inline`
    segments (a note and the words after it) stay on their line as turns of their own, and notes
    (role `other`) are nobody's turns.
    """
    merged: list[Segment] = []
    for seg in segments:
        words = " ".join(seg.text.split())
        if not words:
            continue
        prev = merged[-1] if merged else None
        if prev and not seg.inline and seg.speaker and prev.speaker == seg.speaker and prev.role == seg.role:
            prev.text += " " + words
        else:
            merged.append(Segment(seg.speaker, words, seg.timestamp, seg.line, seg.role, seg.inline and bool(merged)))
    lines: list[list[Segment]] = []
    for seg in merged:
        if seg.inline:
            lines[-1].append(seg)
        else:
            lines.append([seg])
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for line_segments in lines:
        speaker = next((seg.speaker for seg in line_segments if seg.speaker), "")
        line = f"{speaker}: " if speaker else ""
        for seg in line_segments:
            if line and not line.endswith(": "):
                line += " "
            start = pos + len(line)
            line += seg.text
            turns.append(
                Turn(
                    speaker=seg.speaker or "unknown",
                    role=seg.role or Role.unknown,
                    start=start,
                    end=start + len(seg.text),
                    timestamp=seg.timestamp,
                    line=seg.line,
                )
            )
        parts.append(line)
        pos += len(line) + 1  # the newline that joins lines
    return "\n".join(parts), turns


def layout_thread(segments: list[Segment]) -> tuple[str, list[Turn]]:
    """Lay out a support thread or a survey response: `Speaker: words` per message, its paragraphs kept.

    Unlike `layout_transcript`, line breaks inside a message stay (blank lines and runs of spaces go), so
    that "Hi team," on a line of its own stays a sentence of its own (a greeting, set aside as such) and
    does not run into what follows. Segments with speaker "" are bare lines (questions, quoted mail).
    """
    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for seg in segments:
        lines = [" ".join(line.split()) for line in seg.text.split("\n")]
        text = "\n".join(line for line in lines if line)
        if not text:
            continue
        prefix = f"{seg.speaker}: " if seg.speaker else ""
        start = pos + len(prefix)
        turns.append(Turn(speaker=seg.speaker or "unknown", role=seg.role or Role.unknown, start=start,
                          end=start + len(text), timestamp=seg.timestamp, line=seg.line))
        parts.append(prefix + text)
        pos += len(prefix) + len(text) + 1
    return "\n".join(parts), turns
