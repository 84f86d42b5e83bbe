"""Times and dates as files write them: caption clocks, ISO dates, dates in file names."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone

# 1:15, 01:01:15, 0:0:5.120, 00:03,120 (SRT uses a comma before the milliseconds).
CLOCK = r"\d{1,3}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
_CLOCK_RE = re.compile(rf"^{CLOCK}$")

_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})([-_.]?)(\d{2})\2(\d{2})(?!\d)")
_MONTH = r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_WORDY_DATES = (
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\s+(?P<year>(?:19|20)\d{{2}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{{2}})\b", re.IGNORECASE),
)
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d %Y",
    "%B %d %Y",
)
_DATETIME_FORMATS = (
    "%a %b %d %H:%M:%S %z %Y",  # Twitter's created_at
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %H:%M",
)


def is_clock(text: str) -> bool:
    """True for a bare caption or transcript clock such as `1:15` or `00:00:05.120`."""
    return bool(_CLOCK_RE.match(text.strip()))


def parse_clock(text: str) -> float:
    """`1:02:03.5` -> 3723.5 seconds; the last field holds seconds and any fraction."""
    fields = text.strip().replace(",", ".").split(":")
    seconds = 0.0
    for value in fields:
        seconds = seconds * 60 + float(value)
    return seconds


def iso_date(value: str) -> str | None:
    """An ISO date (or date-time when a time is given) for common date spellings, else None."""
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{10}(?:\.\d+)?|\d{13}", text):
        # Unix epoch seconds (or milliseconds), as many social exports write them.
        stamp = float(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(stamp, tz=timezone.utc).isoformat()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        has_time = "T" in text or ":" in text
        return parsed.isoformat() if has_time else parsed.date().isoformat()
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).isoformat()
        except ValueError:
            continue
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def find_iso_date(text: str) -> str | None:
    """The first valid date inside a longer string: 2026-03-14, 20260314, "4 March 2026", "March 4, 2026"."""
    for match in _DATE_IN_NAME.finditer(text):
        year, _, month, day = match.groups()
        if found := _valid_date(year, month, day):
            return found
    for pattern in _WORDY_DATES:
        for match in pattern.finditer(text):
            month = datetime.strptime(match.group("month")[:3].title(), "%b").month
            if found := _valid_date(match.group("year"), month, match.group("day")):
                return found
    return None


def _valid_date(year: str | int, month: str | int, day: str | int) -> str | None:
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
