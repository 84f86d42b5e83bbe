"""Reviews and social posts in tables: .csv, .tsv, .jsonl and .json, one Document per row."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.parsers.base import ParseError, ParseOptions
from synth.parsers.columns import Columns, detect_columns, guess_kind, row_document
from synth.records import Document

_SNIFF_CHARS = 64 * 1024
_EXCEL_SEPARATOR = re.compile(r"^sep=(.)\n")
_DELIMITERS = ",;\t|"
# Keys that usually hold the list of records in a wrapped JSON export ({"reviews": [...]}).
_RECORD_LIST_KEYS = ("reviews", "data", "items", "results", "records", "posts", "tweets", "comments", "entries", "rows")


@dataclass
class Table:
    """Rows as read from a file: (row number, {column: value}), in file order."""

    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    warnings: list[str] = field(default_factory=list)


def parse_tabular(path: Path, text: str, fmt: str, options: ParseOptions) -> tuple[list[Document], list[str]]:
    """Documents for the rows of a csv / tsv / jsonl / json export, and warnings for rows skipped."""
    if fmt in ("csv", "tsv"):
        table = read_delimited(text, "\t" if fmt == "tsv" else None)
    elif fmt == "jsonl":
        table = read_jsonl(text)
    else:
        table, fmt = read_json(text)
    if not table.rows:
        raise ParseError(
            "no data rows", "check that the export holds at least one record (and a header row for csv / tsv)"
        )
    columns = detect_columns(table.columns, [values for _, values in table.rows], options)
    kind = options.kind or guess_kind(table.columns, path.name)
    documents: list[Document] = []
    warnings = list(table.warnings)
    for number, values in table.rows:
        document = row_document(path, fmt, kind, columns, number, values)
        if document is None:
            warnings.append(f"row {number}: empty text in column {columns.text!r}, skipped")
        else:
            documents.append(document)
    if not documents:
        raise ParseError(f"no rows with text in column {columns.text!r}", _text_column_hint(columns))
    return documents, warnings


def _text_column_hint(columns: Columns) -> str:
    return f"name another column with --text-column (columns: {', '.join(columns.all)})"


def read_delimited(text: str, delimiter: str | None) -> Table:
    """A delimited file with a header row; the delimiter is sniffed when not given."""
    excel_hint = _EXCEL_SEPARATOR.match(text)
    if excel_hint:  # Excel writes "sep=;" as the first line of some exports
        delimiter, text = excel_hint.group(1), text[excel_hint.end():]
    delimiter = delimiter or _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _unique_names(cells)
                continue
            if len(cells) > len(header):
                header = header + _unique_names([""] * (len(cells) - len(header)), start=len(header), taken=header)
            values = {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)}
            rows.append((len(rows) + 1, values))
    except csv.Error as exc:
        raise ParseError(
            f"malformed CSV near line {reader.line_num}: {exc}", "check its quoting, or re-export it as UTF-8 CSV"
        ) from exc
    return Table(header or [], rows)


def _sniff_delimiter(text: str) -> str:
    sample = text[:_SNIFF_CHARS]
    first_line = sample.split("\n", 1)[0]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    # The sniffer can be misled by punctuation inside long quoted reviews; the header cannot.
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in _DELIMITERS}
    if widths.get(sniffed, 1) < max(widths.values()):
        return max(_DELIMITERS, key=lambda d: (widths[d], d == ","))
    return sniffed


def _unique_names(cells: list[str], start: int = 0, taken: list[str] | None = None) -> list[str]:
    """Header cells as column names: blanks named column_N, repeats suffixed _2, _3."""
    names: list[str] = []
    seen = {name.casefold() for name in taken or []}
    for offset, cell in enumerate(cells):
        name = " ".join(cell.split()) or f"column_{start + offset + 1}"
        candidate, suffix = name, 2
        while candidate.casefold() in seen:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        seen.add(candidate.casefold())
        names.append(candidate)
    return names


def read_jsonl(text: str) -> Table:
    """One JSON object per line; bad lines are skipped with a warning unless none parse."""
    rows: list[tuple[int, dict[str, Any]]] = []
    warnings: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"line {number}: invalid JSON ({exc.msg}), skipped")
            continue
        if not isinstance(value, dict):
            warnings.append(f"line {number}: a JSON {type(value).__name__}, not an object, skipped")
            continue
        rows.append((number, _flatten(value)))
    if not rows:
        first = warnings[0] if warnings else "no lines"
        raise ParseError(f"no line parses as a JSON object ({first})", "write one {...} object per line (JSON Lines)")
    return Table(_column_order(rows), rows, warnings)


def read_json(text: str) -> tuple[Table, str]:
    """A JSON list of objects, or an object wrapping one such list; also JSON Lines saved as .json."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return read_jsonl(text), "jsonl"
        raise ParseError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", "check that the export finished"
        ) from exc
    records = _record_list(data)
    rows: list[tuple[int, dict[str, Any]]] = []
    warnings: list[str] = []
    for number, value in enumerate(records, start=1):
        if isinstance(value, dict):
            rows.append((number, _flatten(value)))
        else:
            warnings.append(f"record {number}: a JSON {type(value).__name__}, not an object, skipped")
    return Table(_column_order(rows), rows, warnings), "json"


def _record_list(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise ParseError(f"JSON holds a {type(data).__name__}, not records", "export a list of objects")
    lists = {
        key: value
        for key, value in data.items()
        if isinstance(value, list) and any(isinstance(v, dict) for v in value)
    }
    if len(lists) == 1:
        return next(iter(lists.values()))
    for key in _RECORD_LIST_KEYS:
        if key in lists:
            return lists[key]
    if lists:
        raise ParseError(
            f"JSON object holds several lists of records ({', '.join(lists)})",
            "keep one list, or export a top-level list",
        )
    return [data]  # a single record


def _flatten(record: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """{"user": {"name": "x"}} -> {"user.name": "x"}; social exports nest the author like this."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and depth < 3:
            flat.update(_flatten(value, f"{name}.", depth + 1))
        else:
            flat[name] = value
    return flat


def _column_order(rows: list[tuple[int, dict[str, Any]]]) -> list[str]:
    return list(dict.fromkeys(key for _, values in rows for key in values))
