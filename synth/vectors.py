"""Chunk vectors in chromadb: embedded in the workspace by default, or a Chroma server by URL.

We always pass our own embeddings (chromadb's default embedding function would download a
model) and telemetry is off. One collection per embedder, so switching models never mixes
vector spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from synth.records import stable_id


class VectorStoreError(Exception):
    """The vector store cannot be reached or used; the message says what to check."""


@dataclass
class Hit:
    chunk_id: str
    score: float  # cosine similarity, 1.0 = same direction


def collection_name(embedder_spec: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_spec.split("/")[-1]).strip("-._")[:40]
    return f"chunks-{slug}-{stable_id('e', embedder_spec, length=8)[2:]}"


class VectorStore:
    def __init__(self, embedder_spec: str, path: Path | None = None, url: str | None = None):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                self.client = chromadb.HttpClient(
                    host=parsed.hostname or "127.0.0.1",
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=settings,
                )
                self.client.heartbeat()
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(path), settings=settings)
            self.collection = self.client.get_or_create_collection(
                collection_name(embedder_spec),
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedder": embedder_spec},
            )
        except Exception as exc:  # noqa: BLE001 - chromadb raises many types for the same cause
            where = url or str(path)
            hint = "start it with `chroma run --path DIR` or check --chroma-url" if url else "check the workspace folder"
            raise VectorStoreError(f"cannot open the Chroma store at {where} ({exc}); {hint}") from exc
        self.max_batch = max(1, min(self.client.get_max_batch_size(), 4000))

    def upsert(self, ids: list[str], vectors: np.ndarray, metadatas: list[dict]) -> None:
        for i in range(0, len(ids), self.max_batch):
            j = i + self.max_batch
            self.collection.upsert(ids=ids[i:j], embeddings=vectors[i:j], metadatas=metadatas[i:j])

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), self.max_batch):
            self.collection.delete(ids=ids[i : i + self.max_batch])

    def existing(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), self.max_batch):
            found.update(self.collection.get(ids=ids[i : i + self.max_batch], include=[])["ids"])
        return found

    def all_ids(self) -> set[str]:
        found: set[str] = set()
        total = self.count()
        for offset in range(0, total, self.max_batch):
            found.update(self.collection.get(include=[], limit=self.max_batch, offset=offset)["ids"])
        return found

    def count(self) -> int:
        return self.collection.count()

    def query(self, vector: np.ndarray, k: int = 10, where: dict | None = None) -> list[Hit]:
        if self.count() == 0:
            return []
        res = self.collection.query(
            query_embeddings=np.asarray(vector, dtype=np.float32).reshape(1, -1),
            n_results=k,
            where=where or None,
            include=["distances"],
        )
        return [Hit(cid, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0])]
