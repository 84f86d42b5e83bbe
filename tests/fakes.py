"""Deterministic fakes, registered exactly like the real backends."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from synth.embedders import Embedder


class HashEmbedder(Embedder):
    """Bag-of-words feature hashing: texts sharing words get similar vectors; no model, no randomness."""

    def __init__(self, model: str = "64"):
        self.spec = f"fake-hash:{model}"
        self.dimension = int(model or 64)
        self.calls = 0
        self.embedded = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.embedded += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimension] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else np.eye(1, self.dimension, 0, dtype=np.float32)
        return out
