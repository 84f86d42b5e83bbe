"""Hybrid retrieval for chat: segment filter, exact and oversampled vector paths, the keyword index."""

from __future__ import annotations

import pytest

from synth.chat import Chat, SegmentRetriever, retrieve
from synth.chat import keywords as keywords_module
from synth.chat import retrieval as retrieve_module
from synth.ingest import ingest
from synth.llm import LLM, get_llm
from synth.personas.store import load_segments
from synth.records import Persona, Segment
from synth.store import Store
from tests.test_chat import NOBODY, build_corpus_workspace
from tests.test_ingest import _folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    settings = build_corpus_workspace(tmp_path_factory.getbasetemp())
    with Store(settings.db_path) as store:
        return settings, load_segments(store)


def test_keyword_ranking_finds_exact_words(corpus):
    settings, segments = corpus
    with SegmentRetriever(settings, segments[0]) as r:
        ids = r.keyword_ranking("QuickBasket", 5)
        assert ids and all("quickbasket" in c.text.lower() for c in r.store.chunks(ids))
        fused = [cid for cid, _ in r.search("QuickBasket", k=8)]
        assert ids[0] in fused
        assert r.keyword_ranking("the and of", 5) == []  # stopwords only: nothing to match


def test_oversampled_vector_path_agrees_with_exact(corpus, monkeypatch):
    settings, segments = corpus
    questions = ["sharing the grocery list", "carb counts are wrong", "importing recipes from a blog", "too expensive"]
    for segment in segments:
        with SegmentRetriever(settings, segment) as exact:
            expected = {q: exact.vector_ranking(exact.embed(q), 8) for q in questions}
        monkeypatch.setattr(retrieve_module, "EXACT_MAX", 0)
        with SegmentRetriever(settings, segment) as sampled:
            for q in questions:
                got = sampled.vector_ranking(sampled.embed(q), 8)
                assert set(got) <= sampled.chunk_ids and len(got) == 8
                assert len(set(got) & set(expected[q])) >= 6, q
        monkeypatch.undo()


def test_keyword_index_follows_ingest_and_is_not_rebuilt_needlessly(tmp_path, fake_settings):
    data = _folder(tmp_path)
    ingest([data], fake_settings)
    with Store(fake_settings.db_path) as store:
        everyone = Segment(id="seg_all", participant_ids=[p.id for p in store.participants()])
    with SegmentRetriever(fake_settings, everyone) as r:
        indexed = r.keywords.updated
        assert indexed == len(r.chunk_ids) > 0
        assert r.keyword_ranking("zucchini", 5) == []
        assert "pantry tracker" in r.store.chunks(r.keyword_ranking("pantry tracker", 5))[0].text
    with SegmentRetriever(fake_settings, everyone) as r:
        assert r.keywords.updated == 0  # nothing changed: nothing re-indexed

    (data / "more.csv").write_text("review_id,author,review\nr9,Zoe,Zucchini noodles never show up in search.\n")
    ingest([data], fake_settings)
    with Store(fake_settings.db_path) as store:
        everyone = Segment(id="seg_all", participant_ids=[p.id for p in store.participants()])
    with SegmentRetriever(fake_settings, everyone) as r:
        assert r.keywords.updated == 1  # only Zoe's new review was stemmed
        hits = r.store.chunks(r.keyword_ranking("zucchini", 5))
        assert [c.speaker for c in hits] == ["Zoe"]
    (data / "more.csv").unlink()
    ingest([data], fake_settings, prune=True)
    assert retrieve(fake_settings, everyone, "zucchini noodles", k=8)  # Zoe is gone, others remain
    with SegmentRetriever(fake_settings, everyone) as r:
        assert r.keywords.updated == 0  # retrieve() above already dropped her chunk
        assert r.keyword_ranking("zucchini", 5) == []


def test_common_terms_past_the_postings_budget_are_left_out(corpus, monkeypatch):
    settings, segments = corpus
    with SegmentRetriever(settings, segments[0]) as r:
        assert r.keywords.terms(["list", "quickbasket"]) == ["quickbasket", "list"]
        monkeypatch.setattr(keywords_module, "POSTINGS_BUDGET", 25)  # quickbasket: 18 chunks
        assert r.keywords.terms(["list", "quickbasket"]) == ["quickbasket"]


def test_a_segment_without_evidence_retrieves_nothing_and_says_so(corpus):
    settings, _ = corpus
    ghost = Segment(id="seg_ghost", participant_ids=["p_nobody"])
    assert retrieve(settings, ghost, "How do you plan dinners?") == []
    with Store(settings.db_path) as store:
        store.db.execute("INSERT OR REPLACE INTO segments (id, position, record) VALUES (?, 99, ?)",
                         (ghost.id, ghost.model_dump_json()))
    try:
        persona = Persona(id="per_ghost", name="Ghost", summary="nobody", segment_id=ghost.id)
        with Chat(settings, persona, llm=LLM(get_llm("offline")), save=False) as chat:
            result = chat.ask("How do you plan dinners?")
        assert result.answer == NOBODY and result.evidence_ids == [] and result.suggested_question
    finally:
        with Store(settings.db_path) as store:
            store.db.execute("DELETE FROM segments WHERE id = ?", (ghost.id,))
