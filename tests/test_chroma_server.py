"""`--chroma-url`: ingest into a real Chroma server (`chroma run`) on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest

from synth.ingest import ingest
from synth.search import search
from synth.vectors import VectorStore, VectorStoreError
from tests.test_ingest import _folder

pytestmark = pytest.mark.server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma")
    if exe is None:
        pytest.fail("the `chroma` command (installed with chromadb) is missing")
    port = _free_port()
    proc = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start within 60 s")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_ingest_and_search_through_a_chroma_server(tmp_path, fake_settings, chroma_server):
    settings = fake_settings.model_copy(update={"chroma_url": chroma_server})
    report = ingest([_folder(tmp_path)], settings)
    assert report.files_ingested == 2 and not report.failed
    remote = VectorStore(settings.embedder, url=chroma_server)
    assert remote.count() == report.chunks
    assert not settings.chroma_path.exists()  # nothing went to the embedded store
    hits = search("shared list syncing with my husband", settings, k=1)
    assert hits and hits[0].chunk.speaker == "Dana"
    again = ingest([tmp_path / "research"], settings)
    assert again.chunks_embedded == 0


def test_unreachable_server_is_a_clear_error(fake_settings):
    with pytest.raises(VectorStoreError, match="chroma run"):
        VectorStore(fake_settings.embedder, url=f"http://127.0.0.1:{_free_port()}")
