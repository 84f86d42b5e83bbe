from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from synth.config import load_settings  # noqa: E402
from synth.embedders import get_embedder, register_embedder  # noqa: E402
from tests.fakes import HashEmbedder  # noqa: E402

register_embedder("fake-hash", HashEmbedder)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpora" / "larder"


@pytest.fixture
def fake_settings(tmp_path, monkeypatch):
    """Settings for a fresh workspace in tmp_path with the deterministic fake embedder."""
    monkeypatch.chdir(tmp_path)
    return load_settings(tmp_path / "ws", embedder="fake-hash:64")


@pytest.fixture
def fake_embedder(fake_settings):
    return get_embedder(fake_settings.embedder)

