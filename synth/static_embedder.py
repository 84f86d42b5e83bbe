"""A static embedder distilled locally with model2vec from a sentence-transformers model (MiniLM by default).

model2vec passes every token of the model's vocabulary through the transformer once, reduces the token
vectors with PCA and weights them by token frequency (SIF); a text's vector is then the mean of its
tokens' vectors: no attention, so it embeds tens of thousands of posts a second on a CPU.

The distilled model lives in the user's cache dir (`SYNTH_CACHE_DIR`, else `$XDG_CACHE_HOME/synth`,
else ~/.cache/synth), under models/, written to a temporary folder and renamed into place so a crash
never leaves half a model. Nothing is downloaded: the teacher is the bundled MiniLM or a local path.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np

from synth.embedders import Embedder, EmbedderError, resolve_model_path

PCA_DIMS = 256  # model2vec's default: MiniLM's 384 dims reduced, most variance kept


def cache_dir() -> Path:
    """synth's per-user cache folder."""
    if os.environ.get("SYNTH_CACHE_DIR"):
        return Path(os.environ["SYNTH_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "synth"


def is_static_model(path: Path) -> bool:
    """A folder holding a model2vec model (as `save_pretrained` writes it)."""
    config = path / "config.json"
    return config.is_file() and '"model2vec"' in config.read_text(encoding="utf-8", errors="replace")


def model_dir(teacher: str, pca_dims: int = PCA_DIMS) -> Path:
    """Where the model distilled from `teacher` is cached."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", teacher.rstrip("/").split("/")[-1]).strip("-.") or "model"
    return cache_dir() / "models" / f"model2vec-{slug}-{pca_dims}"


def distill_model(teacher: str = "all-MiniLM-L6-v2", pca_dims: int = PCA_DIMS, force: bool = False,
                  out: Path | None = None) -> Path:
    """Distil a static model from a local sentence-transformers model; returns its folder (cached)."""
    target = out or model_dir(teacher, pca_dims)
    if is_static_model(target) and not force:
        return target
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the teacher must come from disk
    try:
        from model2vec.distill import distill
    except ImportError as exc:
        raise EmbedderError(f"distilling needs model2vec's distill extra ({exc.name} is missing): "
                            "pip install model2vec skeletoken") from None
    path = resolve_model_path(teacher)
    if not Path(path).exists():
        raise EmbedderError(f"cannot distil from {teacher!r}: give the bundled all-MiniLM-L6-v2 or a local "
                            "sentence-transformers folder")
    try:
        model = distill(model_name=path, pca_dims=pca_dims)
    except Exception as exc:  # noqa: BLE001 - any failure here has the same fix
        raise EmbedderError(f"cannot distil {teacher!r} with model2vec ({type(exc).__name__}: {exc}); "
                            "check that it is a sentence-transformers model folder") from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".distill-", dir=target.parent))
    model.save_pretrained(str(tmp))
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    return target


class StaticEmbedder(Embedder):
    """`model2vec:<teacher or folder>`: a distilled static model; distilled on first use when not cached."""

    def __init__(self, model: str):
        from model2vec import StaticModel

        self.spec = f"model2vec:{model}"
        local = Path(model).expanduser()
        if local.is_dir() and is_static_model(local):
            path = local
        else:
            path = model_dir(model)
            if not is_static_model(path):
                print(f"synth: distilling a static embedder from {model} into {path} (once, a few minutes; "
                      "`synth embedder distill` does it ahead of time)", file=sys.stderr, flush=True)
                path = distill_model(model)
        try:
            self.model = StaticModel.from_pretrained(str(path), force_download=False)
        except Exception as exc:  # noqa: BLE001
            raise EmbedderError(f"cannot load the static model at {path} ({type(exc).__name__}); delete that "
                                "folder and run `synth embedder distill` again") from exc
        self.dimension = int(self.model.dim)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self.model.encode(list(texts), use_multiprocessing=False), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms > 0, norms, 1.0)
