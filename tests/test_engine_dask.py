"""`--engine dask`: ingest embeds on a real local Dask cluster (127.0.0.1) and writes to a real Chroma server."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from typer.testing import CliRunner

from synth.cli import app
from tests.test_chroma_server import chroma_server  # noqa: F401 - a fixture: a real `chroma run` on 127.0.0.1

pytestmark = [pytest.mark.server, pytest.mark.integration]
MINILM = "sentence-transformers:all-MiniLM-L6-v2"


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, protocol="tcp") as local:
        yield local


def _posts(folder):
    folder.mkdir()
    rows = [(f"p{i}", f"user{i}", f"Post {i}: the checkout page froze when I paid with card number {i} of the day")
            for i in range(30)]
    rows += [(f"rt{i}", f"fan{i}", "RT @user0: " + rows[0][2]) for i in range(10)]
    with (folder / "posts.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "author", "text"])
        w.writerows(rows)
    return folder


def test_ingest_embeds_on_the_cluster_and_writes_to_the_chroma_server(tmp_path, monkeypatch, cluster, chroma_server):  # noqa: F811
    from synth.config import load_settings
    from synth.embedders import get_embedder
    from synth.store import Store
    from synth.vectors import VectorStore

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SYNTH_EMBEDDER", MINILM)
    ws = tmp_path / "ws"
    result = CliRunner().invoke(app, ["ingest", str(_posts(tmp_path / "in")), "--workspace", str(ws), "--engine", "dask",
                                      "--address", cluster.scheduler_address, "--chroma-url", chroma_server, "--json"])
    assert result.exit_code == 0, result.output
    settings = load_settings(ws, embedder=MINILM, chroma_url=chroma_server)
    with Store(settings.db_path) as store:
        ids = sorted(store.vector_ids())
        texts = {c.id: c.text for c in store.chunks(ids)}
        assert len(store.chunk_ids()) == 40 and len(ids) == 30  # ten retweets folded onto their original
    remote = VectorStore(MINILM, url=chroma_server)
    assert remote.count() == 30 and not settings.chroma_path.exists()
    got = remote.collection.get(ids=ids[:5], include=["embeddings"])
    local = get_embedder(MINILM).embed([texts[i] for i in got["ids"]])
    assert np.allclose(np.asarray(got["embeddings"]), local, atol=1e-4)  # the worker's vectors are MiniLM's
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        loaded = client.run(lambda: sorted(__import__("synth.embedders").embedders._LOADED))
    assert [MINILM] in list(loaded.values())  # the model was loaded in the worker process


def test_engine_errors_are_one_line_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = _posts(tmp_path / "in")
    runner = CliRunner()
    missing = runner.invoke(app, ["ingest", str(folder), "--engine", "dask"])
    assert missing.exit_code == 2 and "--address tcp://HOST:8786" in missing.output
    wrong = runner.invoke(app, ["ingest", str(folder), "--engine", "spark"])
    assert wrong.exit_code == 2 and "local, dask" in wrong.output
    down = runner.invoke(app, ["ingest", str(folder), "--engine", "dask", "--address", "tcp://127.0.0.1:9"])
    assert down.exit_code == 1 and "cannot reach a Dask scheduler at tcp://127.0.0.1:9" in down.output
