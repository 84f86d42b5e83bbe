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


# LLM layer: fakes registered exactly like the real backends ------------------------------------
from synth.llm import register_llm  # noqa: E402
from synth.llm.langchain_backend import register_langchain_provider  # noqa: E402
from tests.llm_fakes import ScriptedModel, fake_langchain_chat  # noqa: E402
from tests.llm_server import OpenAIStub  # noqa: E402

register_llm("scripted", ScriptedModel)
register_langchain_provider("fake", fake_langchain_chat)

_LLM_ENV = ("SYNTH_LLM", "SYNTH_LLM_BASE_URL", "SYNTH_MASK_PII", "OPENAI_API_KEY", "OPENAI_BASE_URL", "SYNTH_PROMPTS")


@pytest.fixture
def llm_env(tmp_path, monkeypatch):
    """A clean LLM environment: no keys or LLM settings from the machine, cwd in tmp_path; returns the workspace."""
    for var in _LLM_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "ws"


@pytest.fixture
def openai_stub():
    """A scripted OpenAI-protocol server on 127.0.0.1; `.url` is its base URL."""
    stub = OpenAIStub().start()
    yield stub
    stub.stop()
