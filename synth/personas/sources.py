"""A persona's numbered sources: each citation as a reader sees it (file, speaker, where, verdict, context).

Every view (terminal, markdown, HTML, JSON) numbers citations the same way: in claim order, one
number per distinct (chunk, quote, verdict). Markers never show anything but a `verified`
citation as verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from synth.personas.verify import LOCATED
from synth.records import Chunk, Citation, Document, Kind, Persona, Verdict
from synth.context import ContextTurn as Turn
from synth.context import source_context
from synth.store import Store

MARKERS = {  # symbol, words: a symbol alone is never the only signal
    Verdict.verified: ("✓", "verified"),
    Verdict.fabricated: ("✗", "not found in source"),
    Verdict.missing_source: ("✗", "cited chunk does not exist"),
    Verdict.out_of_segment: ("!", "from outside this segment"),
    Verdict.interviewer: ("!", "interviewer's words"),
    Verdict.unverified: ("?", "not checked"),
}
META_KEYS = ("author", "rating", "date", "platform", "product", "title", "id", "url")


def marker(verdict: Verdict) -> tuple[str, str]:
    return MARKERS.get(verdict, ("?", verdict.value))


@dataclass
class Source:
    n: int
    citation: Citation
    file: str = ""
    path: str = ""
    kind: str = ""
    speaker: str = ""
    location: str = ""
    located: bool = False  # the quote's span is known: highlighted in context
    context: list[Turn] = field(default_factory=list)
    metadata: list[tuple[str, str]] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        return self.citation.verdict

    def as_dict(self) -> dict:
        symbol, words = marker(self.verdict)
        return {
            "n": self.n, "verdict": self.verdict.value, "marker": symbol, "status": words,
            "quote": self.citation.quote, "chunk_id": self.citation.chunk_id,
            "document_id": self.citation.document_id, "participant_id": self.citation.participant_id,
            "span": [self.citation.start, self.citation.end] if self.located else None,
            "file": self.file, "path": self.path, "kind": self.kind, "speaker": self.speaker,
            "location": self.location, "metadata": dict(self.metadata),
        }


def _key(c: Citation) -> tuple:
    return (c.chunk_id, c.quote, c.verdict.value, c.start)


class SourceList:
    """The persona's citations numbered 1..N with everything a reader needs to find each one."""

    def __init__(self, persona: Persona, store: Store, context: bool = False):
        self.sources: list[Source] = []
        self._numbers: dict[tuple, int] = {}
        cites = [c for claim in persona.claims for c in claim.citations]
        chunks = {c.id: c for c in store.chunks(list(dict.fromkeys(c.chunk_id for c in cites)))}
        docs: dict[str, Document | None] = {}
        for c in cites:
            if _key(c) in self._numbers:
                continue
            n = len(self.sources) + 1
            self._numbers[_key(c)] = n
            chunk = chunks.get(c.chunk_id)
            doc_id = c.document_id or (chunk.document_id if chunk else None)
            if doc_id and doc_id not in docs:
                docs[doc_id] = store.document(doc_id)
            self.sources.append(_source(n, c, chunk, docs.get(doc_id) if doc_id else None, context))

    def number(self, citation: Citation) -> int:
        return self._numbers[_key(citation)]

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def _source(n: int, c: Citation, chunk: Chunk | None, doc: Document | None, context: bool) -> Source:
    src = Source(n=n, citation=c)
    if doc is None:
        src.file = "source missing from the workspace" if chunk is None else ""
        return src
    src.file = PurePath(doc.path).name
    src.path = doc.path
    src.kind = doc.kind.value
    src.located = c.verdict in LOCATED and c.start is not None and c.end is not None and c.end <= len(doc.text)
    at = c.start if src.located else (chunk.start if chunk else None)
    turn = next((t for t in doc.turns if at is not None and t.start <= at < t.end), None)
    src.speaker = turn.speaker if turn else (chunk.speaker if chunk else "")
    src.location = doc.location(turn) if turn else ""
    if doc.kind in (Kind.review, Kind.social):
        src.metadata = [(k, _show(doc.metadata[k])) for k in META_KEYS if doc.metadata.get(k) not in (None, "")]
    if context:
        src.context = source_context(doc, c, chunk, src.located)
    return src


def _show(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
