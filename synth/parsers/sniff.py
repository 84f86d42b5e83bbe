"""Which parser a file needs: by extension first, then by looking at its first bytes."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from synth.parsers.base import ParseError, decode
from synth.parsers.captions import looks_like_captions
from synth.parsers.transcripts import transcript_layout

FORMATS = ("otter", "speaker-lines", "zoom", "vtt", "srt", "docx", "pdf", "prose", "csv", "tsv", "jsonl", "json", "xlsx")
TRANSCRIPT_TEXT_FORMATS = frozenset({"otter", "speaker-lines", "zoom", "prose"})
SNIFF_BYTES = 256 * 1024

_BY_EXTENSION = {
    ".vtt": "vtt",
    ".srt": "srt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".xlsx": "xlsx",
}
_TEXT_EXTENSIONS = frozenset({".txt", ".md", ".markdown", ".text"})
SUPPORTED_EXTENSIONS = frozenset(_BY_EXTENSION) | _TEXT_EXTENSIONS

_EXPORT_AS_TEXT = "export it as .txt, .docx, .pdf, .vtt, .srt, .csv or .json"
_UNSUPPORTED = {
    ".doc": ("old Word .doc files are not supported", "save it as .docx"),
    ".rtf": ("RTF files are not supported", "save it as .docx or .txt"),
    ".xls": ("Excel files are not supported", "save the sheet as .csv"),
    ".pages": ("Apple Pages files are not supported", "export it as .docx or .pdf"),
}
_MAGIC = {
    b"\xd0\xcf\x11\xe0": "an old Office file (.doc / .xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"ID3": "an MP3 file",
    b"\x1f\x8b": "a gzip archive",
    b"{\\rtf": "an RTF document",
}
_CONTROL_SHARE = 0.01  # more control characters than this and "text" is really binary


def detect_format(path: Path | str, head: bytes) -> str:
    """The format name for a file, from its extension and its first bytes (the more, the surer).

    Returns one of FORMATS; raises ParseError for binary files that no parser reads.
    """
    suffix = Path(path).suffix.lower()
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if suffix in _UNSUPPORTED:
        raise ParseError(*_UNSUPPORTED[suffix])
    if suffix in _TEXT_EXTENSIONS:
        return sniff_text(_decode_head(head))
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head:
            return "docx"
        if b"xl/" in head:
            return "xlsx"
        raise ParseError("a zip archive that is not a Word document", "unzip it and ingest the files inside")
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise ParseError(f"binary file ({what}) with extension {suffix or '(none)'}", _EXPORT_AS_TEXT)
    text = _decode_head(head)
    if looks_binary(text):
        raise ParseError(f"binary file with extension {suffix or '(none)'}", _EXPORT_AS_TEXT)
    return _sniff_structured(text) or sniff_text(text)


def format_by_extension(path: Path | str) -> str | None:
    """The format a file's extension alone names (".csv" -> "csv"), else None."""
    return _BY_EXTENSION.get(Path(path).suffix.lower())


def sniff_text(text: str) -> str:
    """Captions ("vtt", "srt") or a transcript layout ("zoom", "otter", "speaker-lines", "prose")."""
    return looks_like_captions(text) or transcript_layout(text)


def _sniff_structured(text: str) -> str | None:
    """"json" or "jsonl" when text of unknown extension opens like JSON."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if not stripped.startswith("{"):
        return None
    lines = [line for line in stripped.split("\n") if line.strip()]
    try:
        json.loads(lines[0])
    except json.JSONDecodeError:
        return "json"  # an object spread over several lines
    return "jsonl" if len(lines) > 1 else "json"


def _decode_head(head: bytes) -> str:
    """Decode the first bytes of a file, which may end inside a multi-byte character."""
    try:
        return decode(head)
    except ParseError:
        for cut in (1, 2, 3):
            try:
                return decode(head[:-cut])
            except ParseError:
                continue
        raise


def looks_binary(text: str) -> bool:
    """Decoded "text" full of control characters: a binary file that happened to decode."""
    sample = text[:8192]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\f\v")
    return bool(sample) and controls / len(sample) > _CONTROL_SHARE
