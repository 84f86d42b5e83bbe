"""Attributes of a segment against the whole study: shares for categories, median and quartiles for numbers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

MIN_NUMERIC_SHARE = 0.8  # a column is numeric when this share of its values are numbers
_TRUE = frozenset({"true", "yes", "y", "1", "churned", "cancelled", "canceled"})
_CHURN = re.compile(r"churn|cancel|lapsed|lost", re.IGNORECASE)


class AttributeProfile(BaseModel):
    """One attribute of one segment against everyone who has it."""

    name: str
    kind: str  # "numeric" or "categorical"
    segment_n: int
    overall_n: int
    shares: dict[str, tuple[float, float]] = Field(default_factory=dict)  # value -> (segment share, overall share)
    quartiles: tuple[float, float, float] | None = None  # segment q1, median, q3
    overall_quartiles: tuple[float, float, float] | None = None

    def distinctness(self) -> float:
        """How far the segment sits from the study: a churn flag first, then the largest share gap or median
        shift (in the study's interquartile ranges)."""
        if any(_is_flag(self.name, v) for v in self.shares):
            return 10.0
        if self.kind == "numeric" and self.quartiles and self.overall_quartiles:
            q1, med, q3 = self.overall_quartiles
            return abs(self.quartiles[1] - med) / max(q3 - q1, 1e-9)
        return max((abs(a - b) for a, b in self.shares.values()), default=0.0)

    def line(self) -> str:
        """"churned 31% vs 12% overall", "revenue median 1,200 (q1 800-q3 2,000) vs 950 overall"."""
        if self.kind == "numeric" and self.quartiles and self.overall_quartiles:
            q1, med, q3 = self.quartiles
            return f"{self.name} median {med:,.4g} ({q1:,.4g}-{q3:,.4g}) vs {self.overall_quartiles[1]:,.4g} overall"
        flag = next((v for v in self.shares if _is_flag(self.name, v)), None)
        if flag is not None:  # a churn or cancellation flag: its rate, whichever way the segment leans
            seg, overall = self.shares[flag]
            return f"{self.name} {seg:.0%} vs {overall:.0%} overall"
        value, (seg, overall) = max(self.shares.items(), key=lambda kv: (kv[1][0] - kv[1][1], kv[1][0]))
        return f"{self.name} = {value} {seg:.0%} vs {overall:.0%} overall"


def _is_flag(name: str, value: str) -> bool:
    return bool(_CHURN.search(name)) and value.casefold() in _TRUE


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "").replace("$", "").strip())
    except ValueError:
        return None


def _values(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _rankings(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Attributes whose values are all orderings of one set of items (a survey ranking) as their first item,
    named "<question> (ranked first)": the order is what differs, not which items appear."""
    out: dict[str, dict[str, Any]] = {p: dict(a) for p, a in attributes.items()}
    names = {n for a in attributes.values() for n, v in a.items() if isinstance(v, list)}
    for name in names:
        lists = [a[name] for a in attributes.values() if name in a]
        if all(isinstance(v, list) and len(v) > 1 for v in lists) and len({frozenset(v) for v in lists}) == 1:
            for a in out.values():
                if name in a:
                    a[f"{name} (ranked first)"] = a.pop(name)[0]
    return out


def profile_segments(attributes: Mapping[str, Mapping[str, Any]], segments: Mapping[str, Iterable[str]]
                     ) -> dict[str, list[AttributeProfile]]:
    """Segment id -> a profile per attribute its members have (numeric or categorical, as the values say)."""
    attributes = _rankings(attributes)
    names = sorted({n for attrs in attributes.values() for n in attrs})
    out: dict[str, list[AttributeProfile]] = {}
    for seg, members in segments.items():
        members = [m for m in members if m in attributes]
        profiles = []
        for name in names:
            everyone = [attributes[p][name] for p in attributes if name in attributes[p]]
            mine = [attributes[p][name] for p in members if name in attributes[p]]
            if not mine:
                continue
            numbers = [x for v in everyone if (x := _number(v)) is not None]
            if len(numbers) >= MIN_NUMERIC_SHARE * len(everyone) and not any(isinstance(v, list) for v in everyone):
                own = [x for v in mine if (x := _number(v)) is not None]
                if not own:
                    continue
                profiles.append(AttributeProfile(
                    name=name, kind="numeric", segment_n=len(own), overall_n=len(numbers),
                    quartiles=tuple(float(q) for q in np.percentile(own, [25, 50, 75])),
                    overall_quartiles=tuple(float(q) for q in np.percentile(numbers, [25, 50, 75]))))
                continue
            seg_counts = Counter(x for v in mine for x in _values(v))
            all_counts = Counter(x for v in everyone for x in _values(v))
            shares = {v: (seg_counts[v] / len(mine), all_counts[v] / len(everyone)) for v in all_counts}
            profiles.append(AttributeProfile(name=name, kind="categorical", segment_n=len(mine),
                                             overall_n=len(everyone), shares=shares))
        out[seg] = sorted(profiles, key=lambda a: (-a.distinctness(), a.name))
    return out


def value_shares(attributes: Mapping[str, Mapping[str, Any]], members: set[str], name: str, value: Any
                 ) -> tuple[float, float] | None:
    """(share of the segment, share of everyone) holding `value` for attribute `name` (a number: inside the
    segment's quartiles); None when the study has no such attribute."""
    key = name.casefold().strip()
    holders = {p: attrs[n] for p, attrs in attributes.items() for n in attrs if n.casefold().strip() == key}
    if not holders:
        return None
    mine = [v for p, v in holders.items() if p in members]
    if not mine:
        return (0.0, 0.0)
    x = _number(value)
    numbers = [_number(v) for v in holders.values()]
    if x is not None and all(n is not None for n in numbers):
        own = [_number(v) for v in mine]
        q1, q3 = np.percentile(own, [25, 75])
        inside = lambda vals: sum(q1 <= v <= q3 for v in vals) / len(vals)  # noqa: E731
        return (inside(own) if q1 <= x <= q3 else 0.0, inside(numbers) if q1 <= x <= q3 else 0.0)
    wanted = str(value).casefold()
    has = lambda v: wanted in {s.casefold() for s in _values(v)}  # noqa: E731
    return (sum(map(has, mine)) / len(mine), sum(map(has, holders.values())) / len(holders))


def attribute_block(participant_ids: list[str], attributes: Mapping[str, Mapping[str, Any]]) -> np.ndarray:
    """Rows of customer attributes for segmentation: numbers as ranks in 0..1, categories (and each choice of
    a multi-select) one-hot; a participant without a value gets the average, so absence is not a trait.
    L2-normalized rows, zero columns when no attribute varies."""
    names = sorted({n for p in participant_ids for n in attributes.get(p, {})})
    columns: list[np.ndarray] = []
    for name in names:
        values = [attributes.get(p, {}).get(name) for p in participant_ids]
        known = np.array([v is not None for v in values])
        if known.sum() < 2:
            continue
        numbers = [_number(v) if v is not None and not isinstance(v, list) else None for v in values]
        if sum(x is not None for x in numbers) >= MIN_NUMERIC_SHARE * known.sum():
            got = np.array([x if x is not None else np.nan for x in numbers], dtype=float)
            ranks = np.argsort(np.argsort(np.nan_to_num(got, nan=np.nanmedian(got))))
            col = ranks / max(len(ranks) - 1, 1)
            columns.append(col[:, None])
            continue
        levels = sorted({x for v in values if v is not None for x in _values(v)})
        if len(levels) < 2 or len(levels) > 30:
            continue
        rows = np.array([[1.0 if v is not None and level in _values(v) else 0.0 for level in levels] for v in values])
        rows[~known] = rows[known].mean(axis=0)
        columns.append(rows)
    if not columns:
        return np.zeros((len(participant_ids), 0))
    matrix = np.hstack(columns)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
