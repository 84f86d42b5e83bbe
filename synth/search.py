"""Semantic search over stored evidence, and the workspace's counts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from synth.config import Settings
from synth.embedders import get_embedder
from synth.records import Chunk, Kind
from synth.vectors import open_vectors
from synth.workspace import WorkspaceError, open_store

__all__ = ["SearchResult", "WorkspaceError", "open_store", "search", "workspace_status"]


@dataclass
class SearchResult:
    chunk: Chunk
    score: float
    file: str
    location: str  # timestamp, row or line in the source

    def as_dict(self) -> dict:
        return {
            "quote": self.chunk.text,
            "speaker": self.chunk.speaker,
            "participant_id": self.chunk.participant_id,
            "kind": self.chunk.kind.value,
            "file": self.file,
            "location": self.location,
            "score": round(self.score, 4),
            "chunk_id": self.chunk.id,
            "document_id": self.chunk.document_id,
            "span": [self.chunk.start, self.chunk.end],
        }


def search(query: str, settings: Settings, k: int = 10, kind: Kind | None = None) -> list[SearchResult]:
    """The `k` chunks closest in meaning to `query`, best first."""
    with open_store(settings) as store:
        embedder = get_embedder(settings.embedder)
        vectors = open_vectors(settings)
        where = {"kind": kind.value} if kind else None
        # Ask for a few extra: vectors without records (an interrupted run) are skipped.
        hits = vectors.query(embedder.embed([query])[0], k=k + 5, where=where)
        chunks = {c.id: c for c in store.chunks([h.chunk_id for h in hits])}
        results: list[SearchResult] = []
        docs: dict = {}
        for hit in hits:
            chunk = chunks.get(hit.chunk_id)
            if chunk is None:
                continue
            doc = docs.setdefault(chunk.document_id, store.document(chunk.document_id))
            turn = next((t for t in doc.turns if t.start <= chunk.start < t.end), None) if doc else None
            location = doc.location(turn) if doc and turn else ""
            results.append(SearchResult(chunk, hit.score, Path(doc.path).name if doc else "?", location))
        return results[:k]


def workspace_status(settings: Settings) -> dict:
    """Documents, participants, chunks and files per kind, with totals."""
    with open_store(settings) as store:
        by_kind = store.counts_by_kind()
    fields = ("files", "documents", "participants", "chunks", "evidence_chunks")
    totals = {f: sum(v.get(f, 0) for v in by_kind.values()) for f in fields}
    return {
        "workspace": str(settings.workspace),
        "embedder": settings.embedder,
        "vector_store": settings.chroma_url or str(settings.chroma_path),
        "by_kind": {k: {f: v.get(f, 0) for f in fields} for k, v in sorted(by_kind.items())},
        "totals": totals,
    }
