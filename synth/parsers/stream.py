"""Exports read as streams: one pass for a file's hash and encoding, then its text read lazily.

The checks are those `synth.parsers.base.decode` makes on a whole file (empty, binary, undecodable;
UTF-8 with or without BOM, UTF-16, else Windows-1252), made here block by block, so that a review
export of any size is never held in memory.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from synth.parsers.base import ParseError, marked_encoding
from synth.parsers.sniff import format_by_extension, looks_binary

TABLE_FORMATS = frozenset({"csv", "tsv", "jsonl", "json"})
_BLOCK = 1 << 20
_HEAD = 8192  # what the NUL and control-character checks look at, as decode and looks_binary do
_BINARY_FIX = "export it as text, docx or pdf"


@dataclass(frozen=True)
class FileScan:
    """What one pass over a file found: its size, content hash and how to decode it."""

    size: int
    sha256: str
    encoding: str
    errors: str = "strict"

    def open(self, path: Path) -> TextIO:
        """The file's text, newlines normalized to "\\n" as `decode` does."""
        return open(path, encoding=self.encoding, errors=self.errors, newline=None)


def table_format(path: Path | str) -> str | None:
    """"csv", "tsv", "jsonl" or "json" when a file's extension names a table format, else None."""
    fmt = format_by_extension(path)
    return fmt if fmt in TABLE_FORMATS else None


def scan_file(path: Path) -> FileScan:
    """Hash a file and find its text encoding in one pass (two for Windows-1252); ParseError when it has no text."""
    with open(path, "rb") as f:
        head = f.read(_HEAD)
    encoding = marked_encoding(head)
    if encoding is None and b"\x00" in head:
        raise ParseError("binary file (contains NUL bytes)", _BINARY_FIX)
    try:
        scan, stats = _scan(path, encoding or "utf-8", "strict")
    except UnicodeDecodeError as exc:
        if encoding:  # a byte-order mark promised an encoding the bytes do not keep (often a truncated file)
            raise ParseError(
                f"undecodable bytes: {exc.encoding} {exc.reason} at byte {exc.start}", "re-save the file as UTF-8"
            ) from None
        scan, stats = _scan(path, "cp1252", "replace")
        if stats.replaced > max(8, stats.chars // 100):
            raise ParseError("undecodable bytes: not UTF-8, UTF-16 or Windows-1252", "re-save the file as UTF-8") from None
    if not stats.text:
        raise ParseError("empty file", "check the export; the file holds no text")
    if stats.nul:
        raise ParseError("binary file (contains NUL characters)", _BINARY_FIX)
    if looks_binary(stats.head.replace("\r", "\n")):  # newlines as decode normalizes them
        raise ParseError("binary file (control characters throughout)", _BINARY_FIX)
    return scan


@dataclass
class _Stats:
    chars: int = 0
    replaced: int = 0  # U+FFFD from bytes Windows-1252 does not define
    nul: bool = False
    text: bool = False  # anything but whitespace
    head: str = ""


def _scan(path: Path, encoding: str, errors: str) -> tuple[FileScan, _Stats]:
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)(errors)
    stats = _Stats()
    size = 0
    with open(path, "rb") as f:
        while True:
            block = f.read(_BLOCK)
            part = decoder.decode(block, final=not block)
            digest.update(block)
            size += len(block)
            stats.chars += len(part)
            stats.replaced += part.count("\ufffd") if errors == "replace" else 0
            stats.nul = stats.nul or "\x00" in part
            stats.text = stats.text or not (part.isspace() or not part)
            if len(stats.head) < _HEAD:
                stats.head += part[: _HEAD - len(stats.head)]
            if not block:
                break
    return FileScan(size, digest.hexdigest(), encoding, errors), stats
