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
            from synth.workspace import describe_storage_error, shown

            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
            if url:
                raise VectorStoreError(f"cannot reach the Chroma server at {url} ({first}); start it with "
                                       "`chroma run --path DIR` or check --chroma-url") from exc
            known = describe_storage_error(exc, path.parent)
            if known and not known.startswith("vector store at"):
                raise VectorStoreError(known) from exc
            raise VectorStoreError(
                f"cannot open the vector store at {shown(path)} ({first}) — if it is damaged, delete that "
                "folder and re-run `synth ingest` on the same files to rebuild it"
            ) from exc
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


def open_vectors(settings) -> VectorStore:
    """The workspace's vectors for reading: the configured server, or the local store, which must exist.

    A local store this process cannot write is opened from a scratch copy: chromadb cannot open a
    folder read-only, and a read-only workspace must still answer searches.
    """
    if settings.chroma_url:
        return VectorStore(settings.embedder, url=settings.chroma_url)
    path = settings.chroma_path
    from synth.workspace import shown, writable

    if not (path / "chroma.sqlite3").is_file():
        raise VectorStoreError(
            f"no vectors at {shown(path)} — re-run `synth ingest` on the same files to rebuild them"
        )
    if not writable(path) or not writable(path / "chroma.sqlite3"):
        path = _scratch_copy(path)
    return VectorStore(settings.embedder, path=path)


def _scratch_copy(path: Path) -> Path:
    """A writable copy of a read-only vector store, removed when the process exits."""
    import atexit
    import os
    import shutil
    import tempfile

    target = Path(tempfile.mkdtemp(prefix="synth-chroma-")) / "chroma"
    atexit.register(shutil.rmtree, target.parent, ignore_errors=True)
    shutil.copytree(path, target, copy_function=shutil.copyfile)
    for folder, _dirs, _files in os.walk(target):
        os.chmod(folder, 0o700)  # copytree copied the folders' read-only modes too
    return target
