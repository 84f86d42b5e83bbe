"""Which column of a review or post export holds the text, the author, the rating and so on."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from synth.parsers.base import ParseError, ParseOptions
from synth.parsers.clock import iso_date
from synth.records import Document, Kind, Role, Turn

# Candidate column names per field, best first; compared ignoring case, spaces, "_" and "-".
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("review_text", "full_text", "review", "text", "body", "content", "comment", "message", "post",
             "selftext", "description", "feedback"),
    "id": ("id", "review_id", "post_id", "tweet_id"),
    "author": ("author", "user", "username", "user_name", "reviewer", "reviewer_name", "author_name", "handle",
               "name", "screen_name", "account", "by",
               # support-desk exports (Zendesk, Freshdesk, Jira, Intercom): the person who wrote the ticket
               "requester", "requester_name", "reporter", "submitter", "submitted_by", "created_by",
               "customer_name", "contact_name", "sender"),
    "rating": ("rating", "stars", "score", "star_rating", "overall"),
    "date": ("date", "created_at", "created", "timestamp", "time", "posted_at", "review_date"),
    "product": ("product", "app", "app_name", "product_name", "sku"),
    "url": ("url", "link", "permalink"),
    "title": ("title", "subject", "headline", "summary"),
    "platform": ("platform", "source", "network", "site", "channel"),
}
# Detection order: the text column by name first, so "summary" cannot take a review's body.
_DETECT_ORDER = ("text", "id", "author", "rating", "date", "product", "url", "title", "platform")
_OPTION_FOR_FIELD = {"text": "text_column", "author": "author_column", "id": "id_column",
                     "rating": "rating_column", "date": "date_column"}
_SOCIAL_COLUMNS = frozenset(
    "like likes likecount retweets retweetcount shares sharecount subreddit handle followers "
    "followerscount upvotes ups favorites favoritecount replies replycount".split()
)
_RATING_NAMES = frozenset(n.replace("_", "") for n in FIELD_NAMES["rating"])  # normalized, as normalize_name does
_SOCIAL_NAME_WORDS = ("post", "tweet", "social", "reddit", "mention")
_MIN_FALLBACK_TEXT_CHARS = 25


@dataclass
class Columns:
    """The column chosen for each field (None when absent) and every column name in file order."""

    text: str
    all: list[str]
    fields: dict[str, str] = field(default_factory=dict)  # field -> column, excluding text


def normalize_name(name: str) -> str:
    """`Review Text`, `review_text`, `review-text` -> `reviewtext`."""
    return re.sub(r"[\s_\-]+", "", name.casefold())


def detect_columns(columns: list[str], rows: list[dict[str, Any]], options: ParseOptions) -> Columns:
    """Pick columns: explicit options first, then known names, then the longest text column."""
    chosen: dict[str, str] = {}
    for field_name, option in _OPTION_FOR_FIELD.items():
        wanted = getattr(options, option)
        if wanted:
            chosen[field_name] = _named_column(wanted, columns, option)
    for field_name in _DETECT_ORDER:
        if field_name not in chosen:
            taken = set(chosen.values())
            found = _column_by_name(FIELD_NAMES[field_name], [c for c in columns if c not in taken])
            if found:
                chosen[field_name] = found
    if "text" not in chosen:
        taken = set(chosen.values())
        longest = _longest_text_column([c for c in columns if c not in taken], rows)
        if longest is None:
            raise ParseError(
                f"no usable text column (columns: {', '.join(columns)})", "name it with --text-column COLUMN"
            )
        chosen["text"] = longest
    text = chosen.pop("text")
    return Columns(text=text, all=columns, fields=chosen)


def _named_column(wanted: str, columns: list[str], option: str) -> str:
    for column in columns:
        if column == wanted:
            return column
    for column in columns:
        if normalize_name(column) == normalize_name(wanted):
            return column
    flag = "--" + option.replace("_", "-")
    raise ParseError(
        f"no column named {wanted!r} (columns: {', '.join(columns)})", f"pick one of the listed columns with {flag}"
    )


def _column_by_name(candidates: tuple[str, ...], columns: list[str]) -> str | None:
    normalized = {normalize_name(c): c for c in reversed(columns)}  # reversed: the first spelling wins
    # Flattened JSON keys ("user.name") also match on their last part.
    last_parts = {normalize_name(c.rsplit(".", 1)[-1]): c for c in reversed(columns) if "." in c}
    for candidate in candidates:
        key = normalize_name(candidate)
        if key in normalized:
            return normalized[key]
    for candidate in candidates:
        key = normalize_name(candidate)
        if key in last_parts:
            return last_parts[key]
    return None


def _longest_text_column(columns: list[str], rows: list[dict[str, Any]]) -> str | None:
    """The column whose string values are longest on average, if that average reads like prose."""
    best, best_mean = None, float(_MIN_FALLBACK_TEXT_CHARS)
    for column in columns:
        values = [v.strip() for row in rows if isinstance(v := row.get(column), str) and v.strip()]
        words = [v for v in values if not v.startswith(("http://", "https://"))]
        if not values or len(words) < len(values) / 2:
            continue  # links are long but are not what anyone said
        mean = sum(len(v) for v in words) / max(len(rows), 1)
        if mean >= best_mean:
            best, best_mean = column, mean
    return best


def guess_kind(columns: list[str], file_name: str) -> Kind:
    """Social when the columns or the file name say so (likes, subreddit, "tweets.csv"), else review.

    A `platform` column alone is weaker: app-store exports carry one ("ios") next to a rating.
    """
    names = {normalize_name(c.rsplit(".", 1)[-1]) for c in columns}
    if names & _SOCIAL_COLUMNS or any(word in file_name.casefold() for word in _SOCIAL_NAME_WORDS):
        return Kind.social
    looks_like_reviews = any(n.startswith("review") or n in _RATING_NAMES for n in names)
    return Kind.social if "platform" in names and not looks_like_reviews else Kind.review


def row_document(
    path: Path, fmt: str, kind: Kind, columns: Columns, number: int, values: dict[str, Any]
) -> Document | None:
    """One row as a Document with a single participant turn; None when its text is empty."""
    text = _as_text(values.get(columns.text))
    if not text:
        return None
    metadata: dict[str, Any] = {"row": number, "format": fmt}
    extra: dict[str, Any] = {}
    for field_name, column in columns.fields.items():
        value = _field_value(field_name, values.get(column))
        if value is not None:
            metadata[field_name] = value
        elif not _is_blank(values.get(column)):
            extra[column] = values[column]  # kept, though it did not parse (e.g. a rating "n/a")
    used = set(columns.fields.values()) | {columns.text}
    extra.update({c: v for c, v in values.items() if c not in used and not _is_blank(v)})
    metadata["extra"] = extra
    author = metadata.get("author")
    turn = Turn(
        speaker=author or f"anonymous (row {number})", role=Role.participant, start=0, end=len(text), line=number
    )
    return Document(
        path=str(path),
        kind=kind,
        format=fmt,
        title=metadata.get("title", ""),
        metadata=metadata,
        text=text,
        turns=[turn],
    )


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _field_value(field_name: str, value: Any) -> Any:
    """A field's value normalized: ratings as floats, dates as ISO strings, the rest as trimmed text."""
    if _is_blank(value):
        return None
    if field_name == "rating":
        return parse_rating(value)
    text = " ".join(_as_text(value).split())
    if field_name == "date":
        return iso_date(text) or text
    return text


def parse_rating(value: Any) -> float | None:
    """4, "4.5", "4/5", "4 stars", "★★★★☆" -> a float; None when there is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text and set(text) <= set("★☆ "):
        return float(text.count("★"))
    found = re.match(r"^\s*(\d+(?:[.,]\d+)?)", text)
    return float(found.group(1).replace(",", ".")) if found else None
