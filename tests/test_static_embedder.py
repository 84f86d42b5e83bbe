"""The fast static embedder (model2vec distilled from the bundled MiniLM) and ingest's tip to use it."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from synth.embedders import FAST_EMBEDDER, get_embedder, is_static


@pytest.mark.integration
def test_distilled_minilm_embeds_unit_vectors_that_keep_meaning():
    # Distilled once into the user's cache dir (a few minutes the first time on a machine), never downloaded.
    emb = get_embedder(FAST_EMBEDDER)
    x = emb.embed(["the app crashes every time I open it", "it keeps crashing when I launch the app",
                   "my grandmother's lemon cake recipe"])
    assert x.shape == (3, emb.dimension) and emb.dimension == 256
    assert np.allclose(np.linalg.norm(x, axis=1), 1.0, atol=1e-5)
    assert x[0] @ x[1] > x[0] @ x[2] + 0.2
    assert emb.embed([]).shape == (0, 256)


def test_static_model_folder_is_recognised_and_an_unknown_teacher_fails_clearly(tmp_path, monkeypatch):
    from synth.embedders import EmbedderError
    from synth.static_embedder import distill_model, is_static_model, model_dir

    monkeypatch.setenv("SYNTH_CACHE_DIR", str(tmp_path / "cache"))
    assert model_dir("all-MiniLM-L6-v2").parent == tmp_path / "cache" / "models"
    assert not is_static_model(tmp_path)
    (tmp_path / "config.json").write_text('{"model_type": "model2vec"}')
    assert is_static_model(tmp_path)
    with pytest.raises(EmbedderError, match="cannot distil from 'no-such-model'"):
        distill_model("no-such-model")
    assert is_static(FAST_EMBEDDER) and not is_static("sentence-transformers:all-MiniLM-L6-v2")


def test_ingest_suggests_the_fast_embedder_above_the_documented_size(tmp_path, fake_settings, monkeypatch):
    import synth.ingest as ingest_mod

    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "posts.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "author", "text"])
        w.writerows([(i, f"a{i}", f"distinct post number {i} about topic {i * 7 % 13} and more words {i}")
                     for i in range(60)])
    notes: list[str] = []

    class Notes(ingest_mod.IngestProgress):
        def note(self, text: str) -> None:
            notes.append(text)

    monkeypatch.setattr(ingest_mod, "FAST_EMBEDDER_ABOVE", 50)
    report = ingest_mod.ingest([folder], fake_settings, progress=Notes())
    assert report.suggestion and notes == [report.suggestion] and FAST_EMBEDDER in report.suggestion
    monkeypatch.setattr(ingest_mod, "FAST_EMBEDDER_ABOVE", 500)
    (folder / "posts.csv").touch()
    report = ingest_mod.ingest([folder], fake_settings.model_copy(update={"workspace": tmp_path / "ws2"}))
    assert not report.suggestion
