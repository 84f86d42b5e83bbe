"""The records that cross stage boundaries: documents, turns, participants and chunks."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from enum import Enum
from typing import Any

from pydantic import BaseModel, Field, model_validator


class Kind(str, Enum):
    interview = "interview"
    review = "review"
    social = "social"
    document = "document"
    ticket = "ticket"  # a support ticket: the customer's messages are evidence, agents' are context
    survey = "survey"  # one survey response: open answers are evidence, closed answers attributes


class Role(str, Enum):
    interviewer = "interviewer"
    participant = "participant"
    other = "other"  # observers, note-takers, system lines, stage directions, task prompts: never evidence
    unknown = "unknown"


def source_hash(*paths: Path, length: int = 12) -> str:
    """A hash of source files (rules written as code): part of a stored result's fingerprint, so that new
    rules recompute what the old ones made."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()[:length]


def stable_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short content hash: the same parts always give the same id."""
    h = hashlib.sha256()
    for part in parts:
        # surrogatepass: a file name that is not UTF-8 reaches here as lone surrogates; any str hashes.
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return f"{prefix}_{h.hexdigest()[:length]}"


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _storable(value: Any) -> Any:
    """`value` with lone surrogates in its strings (however deep) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def _escape_path(path: str) -> str:
    from synth.terminal import escape_surrogates

    return escape_surrogates(path)


class Turn(BaseModel):
    """One speaker's uninterrupted stretch of a document; `text[start:end]` is what they said."""

    speaker: str
    role: Role = Role.unknown
    start: int
    end: int
    timestamp: float | None = None  # seconds from the start of the recording
    line: int | None = None  # 1-based line (or paragraph / row) in the source file


class Document(BaseModel):
    """One parsed source: a transcript, or one review / post from an export."""

    id: str = ""
    path: str
    kind: Kind
    format: str
    title: str = ""
    metadata: dict[str, Any] = Field(default_factory=dict)
    text: str
    turns: list[Turn] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fill_id(self) -> "Document":
        self._make_storable()
        if not self.id:
            # Identity is the content and who wrote it, not where the file lives. An export's own
            # row id keeps two identical one-liners ("great app") from different people apart;
            # without one, an anonymous row falls back on its position.
            meta = self.metadata
            source_id = meta.get("id") or ("" if meta.get("author") else meta.get("row", ""))
            self.id = stable_id(
                "doc", self.kind.value, source_id, meta.get("author", ""), meta.get("date", ""), self.text
            )
        return self

    def _make_storable(self) -> None:
        """Every string valid Unicode, so that SQLite, chromadb and terminals take it.

        A file name that is not UTF-8 becomes its \\xNN-escaped form (the file's own path stays
        with the file records); lone surrogates in text (a JSON "\\ud800") become U+FFFD, one
        character for one, so every span stays where it was.
        """
        if _SURROGATE.search(self.path):
            self.path = _escape_path(self.path)
        if _SURROGATE.search(self.text):
            self.text = _SURROGATE.sub("\ufffd", self.text)
        self.title = _storable(self.title)
        self.metadata = _storable(self.metadata)
        for turn in self.turns:
            turn.speaker = _storable(turn.speaker)

    def location(self, turn: Turn) -> str:
        """Where a turn sits in its source, for people: a timestamp, a row or a line."""
        if turn.timestamp is not None:
            return format_timestamp(turn.timestamp)
        if "row" in self.metadata:
            return f"row {self.metadata['row']}"
        if turn.line is not None:
            return f"line {turn.line}"
        return ""


class Participant(BaseModel):
    """A person behind text: an interviewee, a review author, a social account."""

    id: str
    label: str
    kind: Kind
    metadata: dict[str, Any] = Field(default_factory=dict)


class Chunk(BaseModel):
    """A span of one participant's speech, sized for embedding; `document.text[start:end] == text`."""

    id: str = ""
    document_id: str
    participant_id: str | None
    speaker: str
    role: Role
    kind: Kind
    text: str
    start: int
    end: int
    timestamp: float | None = None
    line: int | None = None

    @model_validator(mode="after")
    def _fill_id(self) -> "Chunk":
        if not self.id:
            self.id = stable_id("chk", self.document_id, self.start, self.end, self.text)
        return self


def format_timestamp(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


# Themes and personas --------------------------------------------------------------------------


class Theme(BaseModel):
    """What participants talk about: a cluster of participant chunks with a name and exemplars."""

    id: str
    label: str
    description: str = ""
    keywords: list[str] = Field(default_factory=list)
    chunk_ids: list[str] = Field(default_factory=list)
    exemplar_ids: list[str] = Field(default_factory=list)  # central, mutually distinct quotes
    participant_count: int = 0
    kinds: dict[str, int] = Field(default_factory=dict)  # chunks per source kind
    statements: dict[str, int] = Field(default_factory=dict)  # chunks per statement kind (problem, request, ...)
    group: str | None = None  # the broad theme this one belongs to (the upper level of the theme tree)
    label_source: str = "offline"  # "llm", "offline" or "user" (a rename: never overwritten)
    substantive: bool = True  # False: mostly small talk, masks or another language (synth.substance)
    provenance: dict[str, Any] = Field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.chunk_ids)


class Unassigned(BaseModel):
    """A chunk no theme took, with the theme it came closest to."""

    chunk_id: str
    nearest_theme_id: str | None
    distance: float


class Segment(BaseModel):
    """A group of participants who share themes and attributes; one persona speaks for each."""

    id: str
    label: str = ""
    participant_ids: list[str]
    theme_ids: list[str] = Field(default_factory=list)  # defining themes, most distinctive first
    attributes: dict[str, Any] = Field(default_factory=dict)  # e.g. mean rating, kinds, products


class Verdict(str, Enum):
    verified = "verified"  # checked against the source and it holds
    fabricated = "fabricated"  # the quote is not in the cited chunk
    out_of_segment = "out_of_segment"  # real words, but not from this persona's participants
    interviewer = "interviewer"  # real words, but the interviewer's
    missing_source = "missing_source"  # the cited chunk does not exist
    supported = "supported"
    unsupported = "unsupported"  # the quotes do not back the claim
    unverified = "unverified"  # not checked yet: never shown as verified


class Citation(BaseModel):
    """A verbatim quote from one chunk, located in its document."""

    chunk_id: str
    quote: str
    document_id: str | None = None
    participant_id: str | None = None
    start: int | None = None  # char span of the quote in the document, once verified
    end: int | None = None
    verdict: Verdict = Verdict.unverified


class Prevalence(BaseModel):
    """How many participants a claim speaks for: "9 of 14 participants in this segment"."""

    of: int  # the participants counted out of: the segment, or those who said anything on the matter
    participant_ids: list[str] = Field(default_factory=list)  # whose profile statements the claim aggregates
    # What `of` counts: "segment"; "described" (those who said who they are); "cited" (a claim drafted from
    # citations alone: verification counts its verified cited participants).
    base: str = "segment"
    sides: list[int] = Field(default_factory=list)  # a split or a spread: participants per side, in text order

    @property
    def count(self) -> int:
        return len(self.participant_ids)


class Claim(BaseModel):
    """One statement in a persona, with the evidence behind it."""

    id: str = ""
    section: str  # goals, frustrations, behaviours, motivations, needs, context, quotes, narrative
    text: str
    citations: list[Citation] = Field(default_factory=list)
    # Distinct participants of the segment whose words support it: those cited, or, for a claim that
    # aggregates participant profiles, every participant its prevalence counts (their statements cite them).
    support_count: int = 0
    prevalence: Prevalence | None = None
    verdict: Verdict = Verdict.unverified
    score: float | None = None
    flags: list[str] = Field(default_factory=list)  # human-readable reasons for review

    @model_validator(mode="after")
    def _fill_id(self) -> "Claim":
        if not self.id:
            self.id = stable_id("clm", self.section, self.text, length=12)
        return self


class Persona(BaseModel):
    """A drafted, verified persona for one segment."""

    id: str
    name: str
    summary: str
    segment_id: str
    claims: list[Claim] = Field(default_factory=list)  # every section, narrative and quotes included
    figures: dict[str, Any] = Field(default_factory=dict)
    provenance: dict[str, Any] = Field(default_factory=dict)  # model id, prompt hash, run id, settings
