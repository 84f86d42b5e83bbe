"""What the review pages show for a persona: claims with live-checked citations, each opened in
the context of its source (the turn that holds the quote, its neighbours, or a review's metadata).

Citations are re-checked against the store every time a page is built, so a quote that no longer
matches its source (a re-ingest, a hand-edited record) can never keep a stale `verified` badge.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from synth.records import (
    Chunk, Citation, Claim, Document, Kind, Persona, Role, Segment, Theme, Turn, Verdict,
)
from synth.review.decisions import ClaimDecision, LogEntry, ReviewStatus
from synth.context import ContextTurn, source_context
from synth.store import Store
from synth.verify import reverify as recheck

SECTION_ORDER = ["narrative", "goals", "frustrations", "behaviours", "motivations", "needs", "context", "quotes"]
LOCATED = {Verdict.verified, Verdict.out_of_segment, Verdict.interviewer}  # real words, span known
META_ORDER = ["author", "rating", "date", "platform", "product", "title", "app_version", "id", "url"]
META_HIDDEN = {"format", "layout", "speakers", "interviewers", "row", "extra"}


@dataclass(frozen=True)
class Badge:
    symbol: str
    label: str
    tone: str  # ok, warn, bad or none: a CSS class, never the only signal (symbol and label say it too)


CITATION_BADGES = {
    Verdict.verified: Badge("✓", "verified in source", "ok"),
    Verdict.fabricated: Badge("✗", "not found in source", "bad"),
    Verdict.missing_source: Badge("✗", "source missing", "bad"),
    Verdict.out_of_segment: Badge("!", "outside this segment", "warn"),
    Verdict.interviewer: Badge("!", "interviewer's words", "warn"),
}
UNCHECKED = Badge("?", "not checked", "none")
STATUS_BADGES = {
    ReviewStatus.pending: Badge("•", "pending", "none"),
    ReviewStatus.accepted: Badge("✓", "accepted", "ok"),
    ReviewStatus.rejected: Badge("✗", "rejected", "bad"),
    ReviewStatus.edited: Badge("✎", "edited", "ok"),
}
# An edit its quotes do not support: recorded, shown, never approved.
FLAGGED = Badge("⚑", "edited, flagged: its quotes do not support it", "bad")


@dataclass
class CitationView:
    index: int  # 1-based position within its claim
    citation: Citation  # as re-checked now
    badge: Badge
    located: bool  # the quote's span is known and highlighted
    drafted_verdict: Verdict  # what the persona record says
    speaker: str = ""
    source: str = ""  # document title or file name
    path: str = ""
    kind: str = ""
    location: str = ""
    turns: list[ContextTurn] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.citation.verdict != self.drafted_verdict and self.drafted_verdict != Verdict.unverified


@dataclass
class ClaimView:
    claim: Claim  # with the reviewer's edit applied
    drafted: Claim
    status: ReviewStatus
    status_badge: Badge
    badge: Badge
    flags: list[str]
    citations: list[CitationView]
    decision: ClaimDecision | None
    history: list[LogEntry]

    @property
    def id(self) -> str:
        return self.drafted.id


def claim_badge(claim: Claim, live: list[Citation]) -> Badge:
    """Supported only when the record says so and at least one quote verifies now."""
    verified = any(c.verdict == Verdict.verified for c in live)
    score = f" {claim.score:.2f}" if claim.score is not None else ""
    if claim.verdict == Verdict.supported and verified:
        return Badge("✓", f"supported{score}", "ok")
    if claim.verdict == Verdict.supported:
        return Badge("✗", "no verified quote", "bad")
    if claim.verdict == Verdict.unsupported:
        return Badge("✗", f"unsupported{score}", "bad")
    return UNCHECKED


def claim_flags(claim: Claim, drafted: list[Citation], live: list[Citation]) -> list[str]:
    """The draft's own flags, plus any problem the live check finds that the draft did not flag."""
    flags = list(claim.flags)
    for i, (was, now) in enumerate(zip(drafted, live), 1):
        if now.verdict == Verdict.verified:
            continue
        label = CITATION_BADGES.get(now.verdict, UNCHECKED).label
        if now.verdict != was.verdict and was.verdict != Verdict.unverified:
            flags.append(f"[{i}] checked now: {label} (the draft said {was.verdict.value})")
        elif not claim.flags:
            flags.append(f"[{i}] {label}")
    if not live and not claim.flags:
        flags.append("no citation")
    if claim.verdict == Verdict.unsupported and not claim.flags:
        flags.append("the quotes do not support this claim")
    return flags


def _display(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def source_metadata(doc: Document) -> list[tuple[str, str]]:
    """A review's or post's metadata for people: author, rating, date, platform, product, ..."""
    meta = dict(doc.metadata)
    extra = meta.get("extra") if isinstance(meta.get("extra"), dict) else {}
    rows: list[tuple[str, str]] = []
    for key in META_ORDER:
        if meta.get(key) not in (None, ""):
            value = _display(meta[key]) + (" / 5" if key == "rating" else "")
            rows.append((key.replace("_", " "), value))
    for key, value in sorted(meta.items()):
        if key not in META_ORDER and key not in META_HIDDEN and value not in (None, "", [], {}):
            rows.append((key.replace("_", " "), _display(value)))
    for key, value in sorted(extra.items()):
        if value not in (None, "", [], {}):
            rows.append((str(key).replace("_", " "), _display(value)))
    return rows


def citation_view(
    index: int, drafted: Citation, chunks: Mapping[str, Chunk], documents: Mapping[str, Document | None],
    members: list[str] | None,
) -> CitationView:
    live = recheck(drafted, chunks, documents, members)
    chunk = chunks.get(drafted.chunk_id)
    doc_id = live.document_id or (chunk.document_id if chunk else None)
    doc = documents.get(doc_id) if doc_id else None
    located = live.verdict in LOCATED and doc is not None and live.end is not None and live.end <= len(doc.text)
    view = CitationView(index=index, citation=live, badge=CITATION_BADGES.get(live.verdict, UNCHECKED),
                        located=located, drafted_verdict=drafted.verdict)
    if chunk is not None:
        view.speaker = chunk.speaker
    if doc is not None:
        view.source = doc.title or PurePath(doc.path).name
        view.path = doc.path
        view.kind = doc.kind.value
        view.turns = source_context(doc, live, chunk, located)
        focus = next((t for t in view.turns if t.focus), None)
        if focus is not None:
            view.location = focus.location
            view.speaker = focus.speaker if located and focus.speaker else view.speaker
        if doc.kind in (Kind.review, Kind.social):
            view.metadata = source_metadata(doc)
    return view


class EvidenceIndex:
    """Chunks and documents for a set of citations, read once per page from the store."""

    def __init__(self, store: Store, citations: list[Citation]):
        ids = list(dict.fromkeys(c.chunk_id for c in citations))
        self.chunks = {c.id: c for c in store.chunks(ids)}
        doc_ids = {c.document_id for c in self.chunks.values()} | {c.document_id for c in citations if c.document_id}
        self.documents: dict[str, Document | None] = {d: store.document(d) for d in doc_ids}


def claim_views(
    store: Store,
    persona: Persona,
    reviewed: Persona,
    segment: Segment | None,
    decisions: Mapping[str, ClaimDecision],
    history: Mapping[str, list[LogEntry]],
) -> list[ClaimView]:
    """Every claim of a persona, as reviewed, with live-checked citations in context."""
    members = list(segment.participant_ids) if segment else None
    index = EvidenceIndex(store, [c for claim in reviewed.claims for c in claim.citations])
    views = []
    for drafted, claim in zip(persona.claims, reviewed.claims):
        cites = [citation_view(i, c, index.chunks, index.documents, members) for i, c in enumerate(claim.citations, 1)]
        live = [c.citation for c in cites]
        decision = decisions.get(drafted.id)
        status = decision.status if decision else ReviewStatus.pending
        views.append(ClaimView(
            claim=claim, drafted=drafted, status=status,
            status_badge=FLAGGED if decision and decision.flagged else STATUS_BADGES[status],
            badge=claim_badge(claim, live), flags=claim_flags(claim, claim.citations, live), citations=cites,
            decision=decision, history=history.get(drafted.id, []),
        ))
    return views


def by_section(views: list[ClaimView]) -> list[tuple[str, list[ClaimView]]]:
    sections: dict[str, list[ClaimView]] = {}
    for v in views:
        sections.setdefault(v.claim.section, []).append(v)
    order = {name: i for i, name in enumerate(SECTION_ORDER)}
    return sorted(sections.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


@dataclass
class ExemplarView:
    chunk: Chunk
    source: str
    location: str


def exemplar_views(store: Store, themes: list[Theme]) -> dict[str, list[ExemplarView]]:
    """Each theme's exemplar quotes with speaker and source."""
    ids = list(dict.fromkeys(cid for t in themes for cid in t.exemplar_ids))
    chunks = {c.id: c for c in store.chunks(ids)}
    docs = {d: store.document(d) for d in {c.document_id for c in chunks.values()}}
    out: dict[str, list[ExemplarView]] = {}
    for theme in themes:
        rows = []
        for cid in theme.exemplar_ids:
            chunk = chunks.get(cid)
            if chunk is None or chunk.role == Role.interviewer:
                continue
            doc = docs.get(chunk.document_id)
            turn = Turn(speaker=chunk.speaker, start=chunk.start, end=chunk.end, timestamp=chunk.timestamp,
                        line=chunk.line)
            where = doc.location(turn) if doc else ""
            source = (doc.title or PurePath(doc.path).name) if doc else "source missing"
            rows.append(ExemplarView(chunk=chunk, source=source, location=where))
        out[theme.id] = rows
    return out
