"""Where chunks are embedded: in this process (the default), or on an existing Dask cluster.

Why Dask rather than Ray Data: synth needs one thing from a cluster, a map of "embed these texts" over
slices, with results back in order. Dask's `distributed` does that with `Client.map` and ships as two
pure-Python wheels of about 2.5 MB; a local cluster on 127.0.0.1 starts in a couple of seconds, so CI
tests the real thing cheaply. Ray's wheel alone is about 70 MB (Ray Data adds pyarrow and pandas) and
its head node takes longer to start and more memory; its streaming executor pays off for GPU actor
pools, which synth's CPU embedders do not need. Nothing here is a job queue of our own: slices are
Dask tasks, retried and scheduled by Dask.

Reading, folding and writing stay in the ingest process (they are ordered: a file's records are
committed after its vectors); workers only embed. Each worker loads the embedder once (synth's own
per-process cache), so workers need synth and the model installed: the bundled MiniLM package, or the
distilled static model in their cache dir. With `--chroma-url` the vectors go to a Chroma server the
whole team shares.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator

import numpy as np

ENGINES = ("local", "dask")


class EngineError(Exception):
    """An engine that cannot be used; the message says how to fix it."""


class Engine(ABC):
    name: str

    @abstractmethod
    def embed_slices(self, spec: str, slices: list[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        """(slice index, vectors) for each slice of texts, in any order."""

    def close(self) -> None: ...


class LocalEngine(Engine):
    name = "local"

    def embed_slices(self, spec: str, slices: list[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        from synth.embedders import get_embedder

        embedder = get_embedder(spec)
        for n, texts in enumerate(slices):
            yield n, embedder.embed(texts)


def _embed_on_worker(texts: list[str], spec: str) -> np.ndarray:
    from synth.embedders import get_embedder

    return get_embedder(spec).embed(texts)


class DaskEngine(Engine):
    """Embedding as Dask tasks on the cluster whose scheduler is at `address` (tcp://HOST:8786)."""

    name = "dask"

    def __init__(self, address: str, timeout: float = 20):
        try:
            from distributed import Client
        except ImportError:
            raise EngineError("--engine dask needs Dask's distributed package: pip install distributed") from None
        try:
            self.client = Client(address, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(
                f"cannot reach a Dask scheduler at {address} ({type(exc).__name__}); start one with "
                "`dask scheduler` and workers with `dask worker ADDRESS`, or check --address"
            ) from exc
        if not self.client.scheduler_info().get("workers"):
            self.client.wait_for_workers(1, timeout=timeout)

    def embed_slices(self, spec: str, slices: list[list[str]]) -> Iterator[tuple[int, np.ndarray]]:
        futures = self.client.map(_embed_on_worker, slices, spec=spec, pure=False)  # all submitted at once
        try:
            for n, future in enumerate(futures):  # collected in order; the workers run ahead
                yield n, np.asarray(future.result(), dtype=np.float32)
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        self.client.close()


def open_engine(name: str = "local", address: str | None = None) -> Engine:
    """The engine for `--engine NAME --address ADDRESS`."""
    if name == "local":
        return LocalEngine()
    if name == "dask":
        if not address:
            raise EngineError("--engine dask needs --address tcp://HOST:8786, the address of a running Dask scheduler")
        return DaskEngine(address)
    raise EngineError(f"unknown engine {name!r}; use one of: {', '.join(ENGINES)}")
