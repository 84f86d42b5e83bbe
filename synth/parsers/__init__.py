"""Parse research files (transcripts, notes, review and post exports) into Documents.

    from synth.parsers import parse_file
    documents = parse_file(Path("interviews/p07.vtt"))

Every failure on bad input is a ParseError whose `reason` says what is wrong and `fix` what to do.
"""

from __future__ import annotations

from pathlib import Path

from synth.parsers.base import ParseError, ParseOptions, decode
from synth.parsers.captions import parse_captions
from synth.parsers.office import parse_docx, parse_pdf
from synth.parsers.sniff import FORMATS, SNIFF_BYTES, SUPPORTED_EXTENSIONS, detect_format, looks_binary
from synth.parsers.tabular import parse_tabular
from synth.parsers.transcripts import parse_text_transcript
from synth.records import Document
from synth.speakers import apply_merges, assign_roles

__all__ = [
    "FORMATS",
    "SUPPORTED_EXTENSIONS",
    "ParseError",
    "ParseOptions",
    "detect_format",
    "parse_file",
    "parse_file_with_warnings",
]

_MEGABYTE = 1024 * 1024
_EMPTY_FIX = "check the export; the file holds no text"


def parse_file(path: Path | str, options: ParseOptions | None = None) -> list[Document]:
    """Parse one file into Documents (one per transcript, or one per review / post row)."""
    documents, _ = parse_file_with_warnings(path, options)
    return documents


def parse_file_with_warnings(
    path: Path | str, options: ParseOptions | None = None
) -> tuple[list[Document], list[str]]:
    """Like parse_file, and also the warnings about rows that were skipped (bad JSON lines, empty text)."""
    options = options or ParseOptions()
    path = Path(path)
    data = _read(path, options.max_bytes)
    if not data or data.isspace():
        raise ParseError("empty file", _EMPTY_FIX)
    fmt = "unknown"
    try:
        fmt = detect_format(path, data[:SNIFF_BYTES])
        documents, warnings = _parse(path, data, fmt, options)
    except ParseError:
        raise
    except Exception as exc:  # a parser bug or a library failing on odd input: still a typed error
        raise ParseError(
            f"cannot parse {path.name} as {fmt}: {type(exc).__name__}: {exc}",
            "check the file opens in its usual app; re-export it, or report the file to synth's maintainers",
        ) from exc
    overrides = options.speaker_overrides.get(str(path), {})
    for document in documents:
        apply_merges(document, overrides.get("merge", {}))
        assign_roles(document, options.interviewers, overrides.get("role", {}))
    return documents, warnings


def _parse(path: Path, data: bytes, fmt: str, options: ParseOptions) -> tuple[list[Document], list[str]]:
    if fmt == "docx":
        return [parse_docx(path, data)], []
    if fmt == "pdf":
        return [parse_pdf(path, data)], []
    if fmt == "xlsx":
        from synth.parsers.sheets import parse_xlsx

        return parse_xlsx(path, data, options)
    text = decode(data, path)
    if not text.strip():
        raise ParseError("empty file", _EMPTY_FIX)
    if looks_binary(text):
        raise ParseError("binary file (control characters throughout)", "export it as text, docx or pdf")
    if fmt in ("vtt", "srt"):
        return [parse_captions(path, text, fmt)], []
    if fmt in ("csv", "tsv", "jsonl", "json"):
        return parse_tabular(path, text, fmt, options)
    return [parse_text_transcript(path, text)], []


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise ParseError("a folder, not a file", "pass a file, or ingest the folder")
        size = path.stat().st_size
        if size > max_bytes:
            raise ParseError(
                f"file is {_megabytes(size)} MB, over the {_megabytes(max_bytes)} MB limit",
                "split it, or raise the limit with --max-mb",
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise ParseError("file not found", "check the path") from None
    except OSError as exc:
        raise ParseError(f"cannot read the file: {exc.strerror or exc}", "check its permissions") from exc


def _megabytes(size: int) -> str:
    return f"{size / _MEGABYTE:.3g}"
