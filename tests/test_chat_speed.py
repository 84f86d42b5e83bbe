"""Chat's numpy MiniLM gives the vectors sentence-transformers gives, and serves only inside `serving()`."""

from __future__ import annotations

import numpy as np

from synth.chat.minilm import NumpyMiniLM, load_safetensors, serving
from synth.embedders import SentenceTransformerEmbedder, get_embedder

SPEC = "sentence-transformers:all-MiniLM-L6-v2"
TEXTS = ["What annoys you most about the ads?", "ok", "The ads are weirdly fancy, too.",
         "Sunday afternoon, usually after Lucy's nap, I sit down with a coffee and I do the week. " * 12]  # truncated


def test_numpy_minilm_matches_sentence_transformers():
    ours = NumpyMiniLM().embed(TEXTS)
    theirs = SentenceTransformerEmbedder("all-MiniLM-L6-v2").embed(TEXTS)
    assert ours.shape == theirs.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(1).min() > 0.9999
    assert (ours[0] @ ours[2]) > (ours[0] @ ours[1])  # meaning, not noise


def test_serving_swaps_the_backend_only_inside_the_block():
    with serving():
        inside = get_embedder(SPEC)
        assert isinstance(inside, NumpyMiniLM)
        assert get_embedder("fake-hash:8").__class__.__name__ != "NumpyMiniLM"
    assert not isinstance(get_embedder(SPEC), NumpyMiniLM)


def test_safetensors_are_mapped_not_copied(tmp_path):
    import json

    header = json.dumps({"a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header + np.arange(4, dtype=np.float32).tobytes())
    got = load_safetensors(path)["a"]
    assert got.tolist() == [[0.0, 1.0], [2.0, 3.0]] and not got.flags.writeable
