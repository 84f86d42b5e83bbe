"""Unit vectors of short texts (statements, roles, claims), each embedded once per run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

Embed = Callable[[list[str]], np.ndarray]


class VectorCache(Protocol):
    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]: ...
    def put(self, vectors: dict[str, np.ndarray]) -> None: ...


class TextVectors:
    """Unit vectors of texts, embedded once each (statements are looked up again across segments); with a
    `stored` cache (the workspace's), a re-run embeds only texts it has not seen."""

    def __init__(self, embed: Embed, stored: VectorCache | None = None):
        self.embed = embed
        self.stored = stored
        self.cache: dict[str, np.ndarray] = {}

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing and self.stored is not None:
            self.cache.update(self.stored.get(missing))
            missing = [t for t in missing if t not in self.cache]
        if missing:
            new = {}
            for text, vec in zip(missing, np.asarray(self.embed(missing), dtype=np.float32), strict=True):
                norm = float(np.linalg.norm(vec))
                new[text] = vec / norm if norm else vec
            self.cache.update(new)
            if self.stored is not None:
                self.stored.put(new)
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self.cache[t] for t in texts])
