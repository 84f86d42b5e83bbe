"""Excel workbooks (.xlsx): the first sheet's rows read as a table export (surveys, tickets, reviews).

Survey tools (Qualtrics, SurveyMonkey, Google Sheets from Forms) offer .xlsx next to .csv; the rows are
the same, so the same detection reads them (synth.parsers.tabular, .survey, .tickets).
"""

from __future__ import annotations

import io
import itertools
from datetime import date, datetime
from pathlib import Path
from typing import Any

from synth.parsers.base import ParseError, ParseOptions
from synth.records import Document


def parse_xlsx(path: Path, data: bytes, options: ParseOptions) -> tuple[list[Document], list[str]]:
    """Documents for the rows of a workbook's first sheet that has rows, and warnings for rows skipped."""
    from openpyxl import load_workbook

    from synth.parsers.tabular import DETECT_ROWS, RowWarnings, _unique_names, documents_of, table_of_rows

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a damaged or foreign zip
        raise ParseError(f"cannot open the workbook: {type(exc).__name__}: {exc}", "re-save it as .xlsx or .csv") from exc
    try:
        sheet = next((s for s in book.worksheets if s.max_row and s.max_row > 1), None)
        if sheet is None:
            raise ParseError("no sheet with a header and rows", "check the workbook, or export the sheet as .csv")
        cells = (row for row in sheet.iter_rows(values_only=True) if any(_cell(v) for v in row))
        header = _unique_names([_cell(v) for v in next(cells, ())])

        def rows():
            for number, row in enumerate(cells, start=1):
                yield number, {name: _cell(row[i]) if i < len(row) else None for i, name in enumerate(header)}

        stream = rows()
        sample = list(itertools.islice(stream, DETECT_ROWS))
        if not sample:
            raise ParseError("no data rows", "check that the sheet holds at least one record under its header row")
        table = table_of_rows(path, "xlsx", header, sample, stream, RowWarnings(), options)
        return documents_of(table)
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
