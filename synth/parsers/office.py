"""Word (.docx) and PDF transcripts: their text goes through the same line analysis as .txt files."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from synth.parsers.base import ParseError
from synth.parsers.clock import is_clock, parse_clock
from synth.parsers.labels import is_label
from synth.parsers.transcripts import SourceLine, read_lines, transcript_document
from synth.records import Document

_HEADER_CELLS = frozenset({"speaker", "name", "who", "person", "role", "time", "timestamp"})
_REEXPORT_DOCX = "re-export it from Word or Google Docs"
_DECRYPT = "remove the password first, e.g. qpdf --decrypt in.pdf out.pdf"


def parse_docx(path: Path, data: bytes) -> Document:
    """Paragraphs and tables in body order; a 2-column Speaker | Text table gives speakers directly."""
    import docx  # python-docx: imported here so that text-only runs do not pay for lxml

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ParseError("corrupt or truncated .docx (not a valid zip)", _REEXPORT_DOCX)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = _docx_lines(document)
        core_title = (document.core_properties.title or "").strip()
    except ParseError:
        raise
    except KeyError as exc:
        raise ParseError(f"not a Word document (missing part {exc})", _REEXPORT_DOCX) from exc
    except zipfile.BadZipFile as exc:
        raise ParseError("corrupt or truncated .docx (not a valid zip)", _REEXPORT_DOCX) from exc
    except Exception as exc:  # python-docx and lxml raise many types for damaged files
        raise ParseError(f"cannot read .docx: {type(exc).__name__}: {exc}", _REEXPORT_DOCX) from exc
    if not any(line.text.strip() for line in lines):
        raise ParseError("empty document (the .docx has no text)", "check that you exported the right file")
    parts = read_lines(lines, first_line_is_title=True, units_are_blocks=True)
    parts.title = parts.title or core_title
    return transcript_document(path, parts, fmt="docx")


def _docx_lines(document) -> list[SourceLine]:  # noqa: ANN001 - python-docx's Document
    """One SourceLine per paragraph line or table row, numbered by paragraph (table rows count)."""
    from docx.table import Table

    lines: list[SourceLine] = []
    number = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in _table_lines(block):
                number += 1
                row.number = number
                lines.append(row)
            continue
        number += 1
        # Soft line breaks come back as "\n"; they stay in the same paragraph.
        lines.extend(SourceLine(number, text) for text in block.text.split("\n"))
    return lines


def _table_lines(table) -> list[SourceLine]:  # noqa: ANN001 - python-docx's Table
    """Rows of a Speaker | Text (or Time | Speaker | Text) table with speakers set, else plain lines."""
    rows = [cells for cells in (_row_cells(row) for row in table.rows) if any(cells)]
    times: list[float | None] = [None] * len(rows)
    if rows and len(rows[0]) == 3 and all(_is_clock_cell(r[0]) for r in rows[1:] if len(r) == 3):
        times = [parse_clock(r[0].strip("[]() ")) if len(r) == 3 and _is_clock_cell(r[0]) else None for r in rows]
        rows = [r[1:] if len(r) == 3 else r for r in rows]
    if rows and rows[0] and rows[0][0].casefold() in _HEADER_CELLS:
        rows, times = rows[1:], times[1:]
    speakers = [r[0] for r in rows if len(r) == 2 and r[0]]
    if rows and all(len(r) == 2 for r in rows) and speakers and all(is_label(s) for s in speakers):
        return [SourceLine(0, text, speaker=who or None, timestamp=t) for (who, text), t in zip(rows, times)]
    return [SourceLine(0, " | ".join(c for c in r if c)) for r in rows]


def _row_cells(row) -> list[str]:  # noqa: ANN001 - python-docx's _Row
    cells: list[str] = []
    seen: list[object] = []
    for cell in row.cells:
        if any(cell._tc is tc for tc in seen):  # a merged cell repeats once per grid column
            continue
        seen.append(cell._tc)
        cells.append(" ".join(cell.text.split()))
    return cells


def _is_clock_cell(text: str) -> bool:
    return is_clock(text.strip("[]() "))


def parse_pdf(path: Path, data: bytes) -> Document:
    """The PDF's text layer, page by page (the page number is each line's number)."""
    if b"%PDF" not in data[:1024]:
        raise ParseError("not a PDF (no %PDF header): corrupt or mislabelled file", "re-export it as PDF")
    with _quiet_pypdf():
        lines, meta_title = _pdf_lines(data)
    if not any(line.text.strip() for line in lines):
        raise ParseError("PDF has no text layer (scanned?)", "run OCR on it first, e.g. ocrmypdf")
    parts = read_lines(lines, first_line_is_title=True, units_are_blocks=True)
    parts.title = parts.title or meta_title
    return transcript_document(path, parts, fmt="pdf")


def _pdf_lines(data: bytes) -> tuple[list[SourceLine], str]:
    """Text lines numbered by page, and the title from the PDF's metadata."""
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlocks_without_password(reader):
            raise ParseError("PDF is encrypted (password-protected)", _DECRYPT)
        lines: list[SourceLine] = []
        for number, page in enumerate(reader.pages, start=1):
            lines.extend(SourceLine(number, text) for text in (page.extract_text() or "").split("\n"))
        meta_title = (reader.metadata.title or "").strip() if reader.metadata else ""
    except (FileNotDecryptedError, DependencyError) as exc:
        raise ParseError(f"PDF is encrypted and cannot be read: {exc}", _DECRYPT) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        # pypdf raises all of these on damaged files; the parser cannot tell them apart usefully.
        raise ParseError(
            f"corrupt PDF: {type(exc).__name__}: {exc}", "re-export it as PDF, or repair it with qpdf"
        ) from exc
    return lines, str(meta_title)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Hold back pypdf's repair warnings while reading; what matters reaches the caller as ParseError."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _unlocks_without_password(reader) -> bool:  # noqa: ANN001 - pypdf's PdfReader
    # Many "encrypted" PDFs only restrict printing and open with an empty user password.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 - any failure here means "needs a password"
        return False
