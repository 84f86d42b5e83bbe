"""Reviews and social posts in tables: .csv, .tsv, .jsonl and .json, one Document per row.

Rows are read lazily from a text stream, so an export of any size can be ingested in batches
(synth.ingest) with flat memory: only the first DETECT_ROWS rows are held at once, to detect the
columns. `parse_tabular` reads a whole file's rows through the same path.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from synth.parsers.base import ParseError, ParseOptions
from synth.parsers.columns import Columns, detect_columns, guess_kind, row_document
from synth.records import Document, Kind

_SNIFF_CHARS = 64 * 1024
_EXCEL_SEPARATOR = re.compile(r"^sep=(.)\n")
_DELIMITERS = ",;\t|"
# Keys that usually hold the list of records in a wrapped JSON export ({"reviews": [...]}).
_RECORD_LIST_KEYS = ("tickets", "conversations", "responses", "reviews", "data", "items", "results", "records", "posts", "tweets", "comments", "entries", "rows")
DETECT_ROWS = 2000  # the rows that column and kind detection look at; later rows never change them
_READ_CHARS = 1 << 20  # how much of a JSON array is read at a time

Row = tuple[int, dict[str, Any]]  # (row number in the file, {column: value})


class RowWarnings(list):
    """Warnings about skipped rows: the first LIMIT kept, the rest only counted, so a huge export with
    many empty rows cannot fill memory with them."""

    LIMIT = 200

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    def append(self, warning: str) -> None:
        if len(self) < self.LIMIT:
            super().append(warning)
        else:
            self.more += 1

    def summary(self) -> list[str]:
        """The kept warnings, and one line for those only counted."""
        return [*self, *([f"... and {self.more:,} more rows skipped"] if self.more else [])]


@dataclass
class TableStream:
    """An export being read: columns and kind (detected from its first rows), and its rows, read as iterated."""

    path: Path
    fmt: str
    kind: Kind
    columns: Columns
    rows: Iterator[Row]
    warnings: RowWarnings  # rows skipped so far (bad JSON lines, empty text), in file order
    # A support-ticket or survey export reads its rows its own way (synth.parsers.tickets, .survey).
    reader: Callable[[Iterator[Row]], Iterator[tuple[int, Document | None]]] | None = None

    def documents(self, after: int = 0) -> Iterator[tuple[int, Document | None]]:
        """(row number, Document) for each row numbered above `after`; None (and a warning) when its text is empty."""
        if self.reader is not None:
            for number, document in self.reader(self.rows):
                if number > after:
                    if document is None:
                        self.warnings.append(f"row {number}: nothing the customer or respondent wrote, skipped")
                    yield number, document
            return
        for number, values in self.rows:
            if number <= after:
                continue
            document = row_document(self.path, self.fmt, self.kind, self.columns, number, values)
            if document is None:
                self.warnings.append(f"row {number}: empty text in column {self.columns.text!r}, skipped")
            yield number, document


def open_table(path: Path, stream: TextIO, fmt: str, options: ParseOptions) -> TableStream:
    """Start reading a csv / tsv / jsonl / json export from `stream`; raises ParseError when it holds no records."""
    warnings = RowWarnings()
    header: list[str] = []
    if fmt in ("csv", "tsv"):
        rows = delimited_rows(stream, "\t" if fmt == "tsv" else None, header)
    elif fmt == "jsonl":
        rows = jsonl_rows(stream, warnings)
    else:
        rows, fmt = json_rows(stream, warnings)
    sample = list(itertools.islice(rows, DETECT_ROWS))
    if not sample:
        if fmt == "jsonl":
            first = warnings[0] if warnings else "no lines"
            raise ParseError(f"no line parses as a JSON object ({first})", "write one {...} object per line (JSON Lines)")
        raise ParseError(
            "no data rows", "check that the export holds at least one record (and a header row for csv / tsv)"
        )
    names = header if fmt in ("csv", "tsv") else _column_order(sample)
    return table_of_rows(path, fmt, names, sample, rows, warnings, options)


def table_of_rows(path: Path, fmt: str, names: list[str], sample: list[Row], rows: Iterator[Row],
                  warnings: RowWarnings, options: ParseOptions) -> TableStream:
    """A TableStream over rows already split into cells (`sample`: the first ones, read for detection)."""
    rest = itertools.chain(sample, rows)
    special = special_reader(path, fmt, names, sample, options)
    if special is not None:
        kind, columns, reader = special
        return TableStream(path, fmt, kind, columns, rest, warnings, reader)
    columns = detect_columns(names, [values for _, values in sample], options)
    kind = options.kind or guess_kind(names, path.name)
    return TableStream(path, fmt, kind, columns, rest, warnings)


def special_reader(path: Path, fmt: str, names: list[str], sample: list[Row], options: ParseOptions):
    """(kind, columns, reader) for a support-ticket or survey export, else None (a review or post export)."""
    from synth.parsers.survey import survey_reader
    from synth.parsers.tickets import thread_documents, ticket_layout

    values = [v for _, v in sample]
    if options.kind in (None, Kind.ticket):
        layout = ticket_layout(names, values)
        if layout is not None or options.kind == Kind.ticket:
            from synth.parsers.tickets import TicketLayout

            layout = layout or TicketLayout("tickets")
            return (Kind.ticket, Columns(text="", all=names),
                    lambda rows: thread_documents(path, fmt, layout, rows))
    if options.kind in (None, Kind.survey):
        found = survey_reader(path, fmt, names, sample, options)
        if found is not None:
            return Kind.survey, Columns(text="", all=names), found
    return None


def parse_tabular(path: Path, text: str, fmt: str, options: ParseOptions) -> tuple[list[Document], list[str]]:
    """Documents for the rows of a csv / tsv / jsonl / json export, and warnings for rows skipped."""
    return documents_of(open_table(path, io.StringIO(text), fmt, options))


def documents_of(table: TableStream) -> tuple[list[Document], list[str]]:
    """Every Document of a table, and warnings for rows skipped; ParseError when none has text."""
    documents = [document for _, document in table.documents() if document is not None]
    if not documents:
        raise ParseError(no_text_reason(table), text_column_hint(table.columns))
    return documents, table.warnings.summary()


def no_text_reason(table: TableStream) -> str:
    if table.reader is not None:
        return f"no {table.kind.value} in the export holds words of a customer or respondent"
    return f"no rows with text in column {table.columns.text!r}"


def text_column_hint(columns: Columns) -> str:
    if not columns.text:
        return "check the export, or name column roles with --column-role COLUMN=ROLE (see `synth survey FILE`)"
    return f"name another column with --text-column (columns: {', '.join(columns.all)})"


def delimited_rows(stream: TextIO, delimiter: str | None, header: list[str]) -> Iterator[Row]:
    """Rows of a delimited file with a header row, read as iterated; the delimiter is sniffed when not given.

    `header` is filled with the column names when the header row is read, and widened when a row
    has more cells than it.
    """
    head = stream.read(_SNIFF_CHARS + 8)  # + 8: the sniffer still sees 64k after an Excel "sep=;" line
    head += stream.readline()
    excel_hint = _EXCEL_SEPARATOR.match(head)
    if excel_hint:  # Excel writes "sep=;" as the first line of some exports
        delimiter, head = excel_hint.group(1), head[excel_hint.end():]
    delimiter = delimiter or _sniff_delimiter(head)
    reader = csv.reader(itertools.chain(io.StringIO(head), stream), delimiter=delimiter, strict=False)
    number = 0
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if not number and not header:
                header.extend(_unique_names(cells))
                continue
            if len(cells) > len(header):
                header.extend(_unique_names([""] * (len(cells) - len(header)), start=len(header), taken=header))
            number += 1
            yield number, {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)}
    except csv.Error as exc:
        raise ParseError(
            f"malformed CSV near line {reader.line_num}: {exc}", "check its quoting, or re-export it as UTF-8 CSV"
        ) from exc


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


def jsonl_rows(stream: TextIO, warnings: list[str]) -> Iterator[Row]:
    """One JSON object per line, read as iterated; bad lines are skipped with a warning."""
    for number, line in enumerate(stream, start=1):
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
        yield number, _flatten(value)


def json_rows(stream: TextIO, warnings: list[str]) -> tuple[Iterator[Row], str]:
    """A JSON list of objects, or an object wrapping one such list; also JSON Lines saved as .json.

    A top-level list is read item by item; any other shape is read whole. Returns the rows and the
    format they turned out to be ("json" or "jsonl").
    """
    head = stream.read(_READ_CHARS)
    if head.lstrip().startswith("["):
        return _array_rows(head, stream, warnings), "json"
    text = head + stream.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            return jsonl_rows(io.StringIO(text), warnings), "jsonl"
        raise _invalid_json(exc.msg, exc.lineno, exc.colno) from exc
    return _record_rows(enumerate(_record_list(data), start=1), warnings), "json"


def _record_rows(records: Iterator[tuple[int, Any]], warnings: list[str]) -> Iterator[Row]:
    for number, value in records:
        if isinstance(value, dict):
            yield number, _flatten(value)
        else:
            warnings.append(f"record {number}: a JSON {type(value).__name__}, not an object, skipped")


def _array_rows(head: str, stream: TextIO, warnings: list[str]) -> Iterator[Row]:
    return _record_rows(enumerate(_array_items(head, stream), start=1), warnings)


def _array_items(text: str, stream: TextIO) -> Iterator[Any]:
    """The items of a top-level JSON list, decoded one at a time from a stream that starts with it."""
    decoder = json.JSONDecoder()
    buf, pos = text, text.index("[") + 1
    lines_before = 0  # newlines in the text already dropped from buf, for error positions
    eof = False

    def more() -> bool:
        nonlocal buf, pos, lines_before, eof
        if eof:
            return False
        lines_before += buf.count("\n", 0, pos)
        chunk = stream.read(_READ_CHARS)
        buf, pos, eof = buf[pos:] + chunk, 0, not chunk
        return bool(chunk)

    def skip_space() -> str:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\n\r":
                pos += 1
            if pos < len(buf) or not more():
                return buf[pos : pos + 1]

    def fail(msg: str, at: int) -> ParseError:
        line = lines_before + buf.count("\n", 0, at) + 1
        return _invalid_json(msg, line, at - (buf.rfind("\n", 0, at) + 1) + 1)

    expect_item = True  # right after "[" or ","
    while True:
        char = skip_space()
        if char == "]":  # also after a trailing comma, which some exporters write
            pos += 1
            break
        if not expect_item:
            if char != ",":
                raise fail("Expecting ',' delimiter" if char else "Expecting value", pos)
            pos += 1
            expect_item = True
            continue
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as exc:
                if more():
                    continue
                raise fail(exc.msg, exc.pos) from exc
            if end == len(buf) and more():
                continue  # a number or literal may go on in the next read
            break
        pos = end
        expect_item = False
        yield value
    if skip_space():
        raise fail("Extra data", pos)


def _invalid_json(msg: str, line: int, column: int) -> ParseError:
    return ParseError(f"invalid JSON: {msg} at line {line} column {column}", "check that the export finished")


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
