"""Survey exports: Google Forms, Typeform, SurveyMonkey and Qualtrics, as CSV or XLSX (synth.parsers.sheets).

Each response is a participant and one Document (kind `survey`): every open-ended answer is a turn of
the respondent (evidence), after its question as a line of context (role other). Closed answers
(single and multiple choice, rating scales, NPS, ranking) become the participant's attributes. Column
roles are detected (`survey_columns`) from names and values, and `ParseOptions.column_roles` names them
by hand; `synth survey FILE` prints what was taken as what.

Header layouts:
  - one header row (Google Forms: "Timestamp", "Email Address", questions; Typeform: "#", questions,
    one column per choice of a multi-select, "Start Date (UTC)", "Submit Date (UTC)", "Network ID");
  - SurveyMonkey: two header rows, the question above and "Response" / "Open-Ended Response" / the
    choice below (a multi-select's further choices under blank question cells);
  - Qualtrics: the column ids (Q1, Q3_2, ResponseId), then a row of question texts, then a row of
    `{"ImportId": ...}` JSON.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from synth.parsers.base import ParseError, ParseOptions, Segment, layout_thread
from synth.parsers.clock import iso_date
from synth.parsers.columns import normalize_name
from synth.records import Document, Kind, Role

ROLES = ("id", "email", "timestamp", "single", "multi", "rating", "nps", "ranking", "open", "ignore")
_ID_NAMES = frozenset(normalize_name(n) for n in (
    "respondent id", "response id", "responseid", "#", "token", "response_id", "submission id", "respondent",
    "externalreference", "external reference", "user id", "userid", "customer id"))
_EMAIL_NAMES = frozenset(normalize_name(n) for n in ("email", "email address", "recipientemail", "e-mail", "username"))
_TIME_NAMES = frozenset(normalize_name(n) for n in (
    "timestamp", "start date", "end date", "startdate", "enddate", "recordeddate", "submit date (utc)",
    "start date (utc)", "submitted at", "date submitted", "submitted", "created at", "completed at"))
_META_NAMES = frozenset(normalize_name(n) for n in (
    "ip address", "ipaddress", "collector id", "network id", "progress", "duration (in seconds)", "finished",
    "status", "distributionchannel", "userlanguage", "locationlatitude", "locationlongitude", "recipientlastname",
    "recipientfirstname", "first name", "last name", "custom data 1", "response type", "stage", "tags",
    "user agent", "referer", "platform", "ending", "score"))
_NPS_WORDS = re.compile(r"\b(?:recommend|nps|net promoter)\b", re.IGNORECASE)
_SPLIT = re.compile(r"\s*[;,]\s*")
_MIN_OPEN_WORDS = 4  # an open answer column's answers average this many words
_MAX_CHOICES = 15


class SurveyColumn(BaseModel):
    """One column of a survey export and what it was taken as."""

    name: str  # the column as the file names it
    question: str  # the question text (the name, or Qualtrics' and SurveyMonkey's question row)
    role: str  # one of ROLES
    option: str = ""  # the choice or item a per-choice column (multi-select, ranking) stands for
    how: str = "detected"  # "detected" or "named by you"
    answered: int = 0
    example: str = ""


class SurveyReading(BaseModel):
    """How a survey export is read: its tool, header rows and every column's role."""

    tool: str
    header_rows: int
    columns: list[SurveyColumn] = Field(default_factory=list)

    def of(self, *roles: str) -> list[SurveyColumn]:
        return [c for c in self.columns if c.role in roles]


def _tool(names: list[str], first: dict[str, Any]) -> tuple[str, int]:
    keys = {normalize_name(n) for n in names}
    values = [str(v) for v in first.values() if v not in (None, "")]
    if any(v.startswith('{"ImportId"') for v in values):
        return "qualtrics", 1  # this row is the ImportId row: the question row came before it
    if "responseid" in keys and "startdate" in keys:
        return "qualtrics", 2
    if "respondentid" in keys and "collectorid" in keys:
        return "surveymonkey", 1
    if "submitdate(utc)" in keys or "networkid" in keys:
        return "typeform", 0
    questions = [n for n in names if n.rstrip().endswith("?") or len(n) > 30]
    if names and normalize_name(names[0]) == "timestamp" and len(questions) >= 2:
        return "google-forms", 0
    return "", 0


def survey_columns(names: list[str], rows: list[dict[str, Any]], roles: dict[str, str] | None = None,
                   tool: str | None = None) -> SurveyReading:
    """The reading of a survey export from its column names and first rows (header rows included)."""
    detected, skip = _tool(names, rows[0] if rows else {})
    tool = tool or detected
    questions = {n: n for n in names}
    options = {n: "" for n in names}
    if tool == "qualtrics" and rows:
        text_row = rows[0]
        if skip == 2 or len(rows) > 1 and any(str(v).startswith('{"ImportId"') for v in rows[1].values()):
            skip = 2
        for n in names:
            q = str(text_row.get(n) or n)
            questions[n], options[n] = (q.rsplit(" - ", 1) if " - " in q and re.search(r"_\d+$", n) else (q, ""))
    elif tool == "surveymonkey" and rows:
        asked = ""
        for n in names:
            if not n.startswith("column_"):
                asked = n
            below = str(rows[0].get(n) or "")
            questions[n] = asked
            options[n] = "" if below in ("", "Response", "Open-Ended Response") else below
    data = rows[skip:]
    named = {normalize_name(k): v for k, v in (roles or {}).items()}
    columns = []
    for n in names:
        values = [v for r in data if (v := _clean(r.get(n))) != ""]
        role, how = (named[normalize_name(n)], "named by you") if normalize_name(n) in named else (
            _role(n, questions[n], options[n], values, data), "detected")
        if role not in ROLES:
            raise ParseError(f"unknown column role {role!r} for {n!r}", f"use one of: {', '.join(ROLES)}")
        columns.append(SurveyColumn(name=n, question=questions[n], role=role, option=options[n], how=how,
                                    answered=len(values), example=(values[0][:60] if values else "")))
    _group_choices(columns, data)
    if roles:
        unknown = [k for k in roles if normalize_name(k) not in {normalize_name(n) for n in names}]
        if unknown:
            raise ParseError(f"no column named {unknown[0]!r} (columns: {', '.join(names)})",
                             "pick one of the listed columns with --column-role COLUMN=ROLE")
    return SurveyReading(tool=tool or "generic", header_rows=skip, columns=columns)


def _clean(value: Any) -> str:
    return "" if value is None else " ".join(str(value).split())


def _number(value: str) -> float | None:
    m = re.match(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:-\s.*)?$", value)  # "9", "9 - Extremely likely"
    return float(m.group(1)) if m else None


def _role(name: str, question: str, option: str, values: list[str], rows: list[dict[str, Any]]) -> str:
    key = normalize_name(name)
    if key in _ID_NAMES:
        return "id"
    if key in _EMAIL_NAMES or values and sum("@" in v and " " not in v for v in values) >= 0.9 * len(values):
        return "email"
    if key in _TIME_NAMES:
        return "timestamp"
    if key in _META_NAMES or not values:
        return "ignore"
    numbers = [_number(v) for v in values]
    if all(x is not None for x in numbers):
        lo, hi = min(numbers), max(numbers)
        if all(float(x).is_integer() for x in numbers) and 0 <= lo and hi <= 10:
            if option and hi <= 12:
                return "ranking" if _NPS_WORDS.search(question) is None and "rank" in question.lower() else "rating"
            return "nps" if _NPS_WORDS.search(question) or _NPS_WORDS.search(name) else "rating"
        return "ignore" if iso_date(values[0]) else "rating"
    if sum(bool(iso_date(v)) for v in values) >= 0.9 * len(values):
        return "timestamp"
    words = sum(len(v.split()) for v in values) / len(values)
    distinct = set(values)
    if option and distinct <= {option, "1", "Yes", "yes", "True", "true", "x", "X"}:
        return "multi"
    tokens = [t for v in values for t in _SPLIT.split(v) if t]
    if len(set(tokens)) <= _MAX_CHOICES and len(tokens) > len(values) * 1.2 and words < 12:
        return "multi"
    if len(distinct) <= _MAX_CHOICES and len(distinct) <= max(2, len(values) // 3) and words < 8:
        return "single"
    return "open" if words >= _MIN_OPEN_WORDS else ("single" if len(distinct) <= _MAX_CHOICES else "ignore")


def _group_choices(columns: list[SurveyColumn], rows: list[dict[str, Any]]) -> None:
    """Typeform's multi-select: one column per choice titled with the choice, holding the choice or nothing."""
    run: list[SurveyColumn] = []
    for col in [*columns, None]:
        is_choice = col is not None and col.how == "detected" and not col.option and col.role in ("single", "ignore") \
            and col.answered and all(_clean(r.get(col.name)) in ("", col.name) for r in rows)
        if is_choice:
            run.append(col)
            continue
        if len(run) >= 2:
            question = "Choices: " + " / ".join(c.name for c in run)
            for c in run:
                c.role, c.option, c.question = "multi", c.name, question
        run = []


def _respondent(reading: SurveyReading, row: dict[str, Any], number: int) -> tuple[str, str, dict[str, Any]]:
    """(person key, label, metadata) of one response."""
    meta: dict[str, Any] = {}
    email = next((_clean(row.get(c.name)) for c in reading.of("email") if _clean(row.get(c.name))), "")
    rid = next((_clean(row.get(c.name)) for c in reading.of("id") if _clean(row.get(c.name))), "")
    when = next((_clean(row.get(c.name)) for c in reading.of("timestamp") if _clean(row.get(c.name))), "")
    if email:
        meta["email"] = email
    if rid:
        meta["id"] = rid
        meta["user_id"] = rid
    if when:
        meta["date"] = iso_date(when) or when
    key = email.lower() or (f"response:{rid}" if rid else f"row:{number}")
    label = f"Respondent {rid}" if rid else (email or f"Respondent (row {number})")
    return key, label, meta


def closed_answers(reading: SurveyReading, row: dict[str, Any]) -> dict[str, Any]:
    """The response's closed answers as attributes: {question: value, [values] or number}."""
    out: dict[str, Any] = {}
    ranks: dict[str, list[tuple[float, str]]] = {}
    for col in reading.of("single", "multi", "rating", "nps", "ranking"):
        value = _clean(row.get(col.name))
        if not value:
            continue
        if col.role == "multi":
            picked = [col.option] if col.option else [t for t in _SPLIT.split(value) if t]
            out.setdefault(col.question, []).extend(picked)
        elif col.role == "ranking":
            if (n := _number(value)) is not None:
                ranks.setdefault(col.question, []).append((n, col.option or col.name))
        elif col.role in ("rating", "nps"):
            if (n := _number(value)) is not None:
                out[_item(col)] = n
        else:
            out[_item(col)] = value
    for question, items in ranks.items():
        out[question] = [item for _, item in sorted(items)]
    return out


def _item(col: SurveyColumn) -> str:
    """A grid's row ("Rate each: - Speed") keeps its own attribute; a plain question is its text."""
    return f"{col.question} [{col.option}]" if col.option else col.question


def survey_document(path: Path, fmt: str, reading: SurveyReading, number: int, row: dict[str, Any]) -> Document | None:
    """One response as a Document; None when it has no open answer (its closed answers still count nowhere)."""
    key, label, meta = _respondent(reading, row, number)
    segments: list[Segment] = []
    for col in reading.of("open"):
        answer = str(row.get(col.name) or "").strip()
        if answer:
            segments.append(Segment("", col.question, role=Role.other))
            segments.append(Segment(label, answer, role=Role.participant))
    if not segments:
        return None
    text, turns = layout_thread(segments)
    for turn in turns:
        turn.line = number
    metadata = {"row": number, "format": fmt, "author": label, "person_key": key, "survey_tool": reading.tool,
                **meta, "attributes": closed_answers(reading, row)}
    return Document(path=str(path), kind=Kind.survey, format=fmt, metadata=metadata, text=text, turns=turns)


def survey_reader(path: Path, fmt: str, names: list[str], sample: list[tuple[int, dict[str, Any]]],
                  options: ParseOptions):
    """A reader of a survey export's rows, or None when the file is no survey (unless --kind survey says so)."""
    values = [v for _, v in sample]
    tool, _ = _tool(names, values[0] if values else {})
    if not tool and options.kind != Kind.survey:
        return None
    reading = survey_columns(names, values, options.column_roles)
    if not reading.of("open") and not reading.of("single", "multi", "rating", "nps", "ranking"):
        return None

    def read(rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Document | None]]:
        for i, (number, row) in enumerate(rows):
            if i < reading.header_rows:
                continue
            yield number, survey_document(path, fmt, reading, number, row)

    return read


def inspect_survey(path: Path, roles: dict[str, str] | None = None) -> SurveyReading:
    """How `synth ingest` reads a survey export: its tool, header rows and each column's role (ParseError if none)."""
    import io
    import itertools

    from synth.parsers.base import decode
    from synth.parsers.tabular import DETECT_ROWS, delimited_rows

    if not path.is_file():
        raise ParseError("file not found", "check the path")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        from synth.parsers.sheets import _cell
        from synth.parsers.tabular import _unique_names

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        cells = [[_cell(v) for v in r] for r in itertools.islice(sheet.iter_rows(values_only=True), DETECT_ROWS + 1)]
        names = _unique_names(cells[0]) if cells else []
        rows = [dict(zip(names, r)) for r in cells[1:]]
    else:
        header: list[str] = []
        text = decode(path.read_bytes(), path)
        rows = [v for _, v in itertools.islice(delimited_rows(io.StringIO(text), "\t" if path.suffix == ".tsv" else None,
                                                              header), DETECT_ROWS)]
        names = header
    if not rows:
        raise ParseError("no data rows", "check that the export holds a header row and responses")
    return survey_columns(names, rows, roles)
