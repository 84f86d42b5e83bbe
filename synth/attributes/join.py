"""`synth attributes FILE --key COLUMN`: a CRM or analytics export joined to the study's participants.

Matching rules, in order, exact after trimming and case-folding (never fuzzy, nothing guessed):
  1. email: the key equals a participant's email (tickets, surveys, or an email-shaped author name);
  2. user id: the key equals a participant's user id (a ticket requester id, a survey response id);
  3. handle: the key, without a leading "@", equals a participant's label (review author, social handle,
     interviewee speaker label).
`--match-on email|user_id|handle` keeps one rule. A key that fits two or more participants is ambiguous and
is reported, not joined; a row whose key fits none is reported as unmatched.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from synth.records import Participant

RULES = ("email", "user_id", "handle")


class AttributeJoinError(Exception):
    """The export cannot be joined (missing file or column); the message says what to do."""


class JoinReport(BaseModel):
    source: str
    key: str
    rows: int
    matched: int
    by_rule: dict[str, int] = Field(default_factory=dict)
    unmatched: list[str] = Field(default_factory=list)  # keys of rows no participant fits
    ambiguous: list[str] = Field(default_factory=list)  # keys that fit several participants
    attributes: list[str] = Field(default_factory=list)


def _norm(value: Any) -> str:
    return str(value or "").strip().casefold()


def _keys(p: Participant) -> dict[str, set[str]]:
    meta = p.metadata
    emails = {_norm(meta.get("email"))} | ({_norm(p.label)} if "@" in p.label else set())
    ids = {_norm(meta.get("user_id")), _norm(meta.get("id"))}
    return {"email": emails - {""}, "user_id": ids - {""}, "handle": {_norm(p.label).lstrip("@")} - {""}}


def read_rows(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise AttributeJoinError(f"{path}: no such file")
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [[("" if v is None else v) for v in r] for r in sheet.iter_rows(values_only=True)]
        return [dict(zip([str(h) for h in rows[0]], r)) for r in rows[1:]] if rows else []
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def join_attributes(rows: list[dict[str, Any]], key: str, participants: list[Participant], source: str,
                    match_on: str | None = None) -> tuple[dict[str, dict[str, Any]], JoinReport]:
    """participant id -> {attribute: value} for the rows whose key fits exactly one participant, and the report."""
    if not rows:
        raise AttributeJoinError(f"{source}: no rows")
    if key not in rows[0]:
        raise AttributeJoinError(f"{source}: no column named {key!r} (columns: {', '.join(rows[0])}); pick one with --key")
    if match_on and match_on not in RULES:
        raise AttributeJoinError(f"unknown --match-on {match_on!r}; use one of: {', '.join(RULES)}")
    index: dict[str, dict[str, set[str]]] = {rule: {} for rule in RULES}
    for p in participants:
        for rule, values in _keys(p).items():
            for v in values:
                index[rule].setdefault(v, set()).add(p.id)
    joined: dict[str, dict[str, Any]] = {}
    report = JoinReport(source=source, key=key, rows=len(rows), matched=0,
                        attributes=[c for c in rows[0] if c != key])
    for row in rows:
        value = _norm(row.get(key))
        found: set[str] = set()
        rule_used = ""
        for rule in ([match_on] if match_on else RULES):
            found = index[rule].get(value.lstrip("@") if rule == "handle" else value, set())
            if found:
                rule_used = rule
                break
        if len(found) > 1:
            report.ambiguous.append(str(row.get(key)))
        elif not found:
            report.unmatched.append(str(row.get(key)))
        else:
            pid = next(iter(found))
            joined.setdefault(pid, {}).update({c: _value(v) for c, v in row.items() if c != key and v not in (None, "")})
            report.matched += 1
            report.by_rule[rule_used] = report.by_rule.get(rule_used, 0) + 1
    return joined, report


def _value(v: Any) -> Any:
    if isinstance(v, (int, float)):
        return v
    text = str(v).strip()
    try:
        return float(text.replace(",", "")) if any(ch.isdigit() for ch in text) and "-" not in text[1:] else text
    except ValueError:
        return text
