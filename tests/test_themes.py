"""Themes on small generated folders: the fake embedder, a real chromadb and SQLite workspace, offline LLM."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from synth.ingest import ingest
from synth.parsers import ParseOptions
from synth.records import Role
from synth.store import Store
from synth.themes import ThemesError, build_themes, load_themes, merge_themes, rename_theme
from synth.themes.store import fetch_vectors
from synth.vectors import VectorStore

TOPICS = {
    "lists": "shared grocery list sync partner duplicate items milk eggs checked husband household cart aisle",
    "price": "subscription price expensive paywall premium tier monthly annual cost refund student discount billing",
    "nutrition": "calories protein macros carbs fat serving nutrition grams label numbers tracker fitness diet",
    "import": "recipe import blog website link ingredients instructions mangled ads story photos parse bookmark",
}
NEW_TOPIC = ("delivery", "delivery courier driver order late substitution van doorstep window slot missing bag")
INTERVIEWER_LINES = ["What else would you change about it?", "Tell me more about that, please."]


def _review(rng: random.Random, words: str) -> str:
    pool = words.split()
    return " ".join(rng.choice(pool) for _ in range(rng.randint(9, 14))).capitalize() + "."


def write_reviews(path: Path, topics: dict[str, str], per_topic: int, seed: int, start: int = 1) -> dict[str, str]:
    """A review CSV with `per_topic` rows per topic; returns review text -> topic."""
    rng = random.Random(seed)
    rows, truth = ["review_id,author,rating,review"], {}
    n = start
    for topic, words in topics.items():
        for _ in range(per_topic):
            text = _review(rng, words)
            rows.append(f'r{n:04d},user{n},{rng.randint(1, 5)},"{text}"')
            truth[text] = topic
            n += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return truth


def write_interview(path: Path, seed: int) -> None:
    rng = random.Random(seed)
    lines = []
    for turn, words in enumerate(list(TOPICS.values()) * 2):
        lines.append(f"Priya: {INTERVIEWER_LINES[turn % 2]}")
        lines.append(f"Dana: {_review(rng, words)} {_review(rng, words)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_folder(root: Path, per_topic: int = 24) -> tuple[Path, dict[str, str]]:
    """A research folder (one review CSV, one interview); returns it and review text -> topic."""
    data = root / "research"
    truth = write_reviews(data / "reviews.csv", TOPICS, per_topic, seed=1)
    write_interview(data / "interviews" / "dana.txt", seed=2)
    return data, truth


def ingest_folder(folder: Path, settings) -> None:
    report = ingest([folder], settings, ParseOptions(interviewers=["Priya"]))
    assert not report.failed, report.failed


def participant_chunks(settings):
    with Store(settings.db_path) as store:
        return [c for c in store.chunks() if c.role == Role.participant]


@pytest.fixture
def workspace(tmp_path, fake_settings, llm_env):
    folder, truth = make_folder(tmp_path)
    ingest_folder(folder, fake_settings)
    fake_settings.__dict__["truth"] = truth  # review text -> topic, for the tests below
    return fake_settings


def _snapshot(run):
    return (
        [(t.id, t.label, t.description, t.keywords, t.chunk_ids, t.exemplar_ids, t.kinds, t.participant_count)
         for t in run.themes],
        [(u.chunk_id, u.nearest_theme_id, round(u.distance, 5)) for u in run.unassigned],
    )


def main_topic(theme, topic_of: dict[str, str]) -> str | None:
    """The generated topic most of a theme's review chunks come from."""
    topics = [topic_of[c] for c in theme.chunk_ids if c in topic_of]
    return max(sorted(set(topics)), key=topics.count) if topics else None


def chunk_topics(settings, truth: dict[str, str]) -> dict[str, str]:
    """Chunk id -> generated topic, for review chunks."""
    return {c.id: truth[c.text] for c in participant_chunks(settings) if c.text in truth}


# behaviour ---------------------------------------------------------------------------------------
def test_themes_recover_the_generated_topics(workspace):
    run = build_themes(workspace)
    assert 4 <= len(run.themes) <= 6 and run.stats["k_chosen"] >= 4
    topic_of = chunk_topics(workspace, workspace.truth)
    for theme in run.themes:
        topics = [topic_of[c] for c in theme.chunk_ids if c in topic_of]
        if len(topics) >= 10:  # a real theme is one topic, not a mix
            assert max(topics.count(t) for t in set(topics)) / len(topics) >= 0.9
    assert {main_topic(t, topic_of) for t in run.themes} >= set(TOPICS)
    assert run.unassigned_share <= 0.1


def test_same_workspace_gives_the_same_themes(workspace, tmp_path_factory, fake_settings):
    first = build_themes(workspace)
    again = build_themes(workspace, force=True)
    assert _snapshot(first) == _snapshot(again)
    # A second workspace over the same folder: the same ids, labels and members.
    from synth.config import load_settings

    other = load_settings(tmp_path_factory.mktemp("ws2") / "ws", embedder=fake_settings.embedder)
    ingest_folder(workspace.workspace.parent / "research", other)
    assert _snapshot(build_themes(other)) == _snapshot(first)


def test_each_participant_chunk_is_in_one_theme_or_unassigned(workspace):
    run = build_themes(workspace, min_size=20)  # a high floor forces dissolving and some unassigned
    ids = {c.id for c in participant_chunks(workspace)}
    seen: list[str] = [c for t in run.themes for c in t.chunk_ids]
    assert len(seen) == len(set(seen))  # no chunk in two themes
    unassigned = {u.chunk_id for u in run.unassigned}
    assert not unassigned & set(seen)
    assert set(seen) | unassigned == ids
    theme_ids = {t.id for t in run.themes}
    for u in run.unassigned:
        assert u.nearest_theme_id in theme_ids and 0.0 <= u.distance <= 2.0
    assert all(t.size >= 20 for t in run.themes)


def test_no_interviewer_words_in_any_theme(workspace):
    run = build_themes(workspace)
    with Store(workspace.db_path) as store:
        chunks = {c.id: c for c in store.chunks()}
    texts = [chunks[c].text for t in run.themes for c in t.chunk_ids]
    assert all(chunks[c].role == Role.participant for t in run.themes for c in t.chunk_ids)
    assert not any(line in text for line in INTERVIEWER_LINES for text in texts)
    assert any(t.kinds.get("interview") for t in run.themes)  # the participant's turns are there


def test_rerun_on_unchanged_workspace_is_cached(workspace, monkeypatch):
    first = build_themes(workspace)
    import synth.themes.build as build

    monkeypatch.setattr(build, "cluster_vectors", lambda *a, **k: pytest.fail("re-clustered unchanged data"))
    again = build_themes(workspace)
    assert again.cached and not again.changes.any
    assert again.changes.unchanged == [t.id for t in first.themes]
    assert _snapshot(again) == _snapshot(first)
    assert _snapshot(load_themes(workspace)) == _snapshot(first) and not load_themes(workspace).stale


def test_ids_stay_stable_when_data_is_added(workspace):
    first = build_themes(workspace)
    before = {main_topic(t, chunk_topics(workspace, workspace.truth)): t for t in first.themes}
    research = workspace.workspace.parent / "research"
    truth = dict(workspace.truth)
    truth |= write_reviews(research / "more.csv", {**TOPICS, NEW_TOPIC[0]: NEW_TOPIC[1]}, 8, seed=9, start=500)
    truth |= write_reviews(research / "delivery.csv", {NEW_TOPIC[0]: NEW_TOPIC[1]}, 16, seed=10, start=900)
    ingest_folder(research, workspace)
    assert load_themes(workspace).stale
    second = build_themes(workspace)
    assert not second.cached
    after = {main_topic(t, chunk_topics(workspace, truth)): t for t in second.themes}
    for topic in TOPICS:
        assert after[topic].id == before[topic].id, topic  # the same theme keeps its id
        assert after[topic].size > before[topic].size
    assert {before[t].id for t in TOPICS} <= {c.id for c in second.changes.grown}
    assert after["delivery"].id in {c.id for c in second.changes.new}
    assert after["delivery"].id not in {t.id for t in first.themes}


def test_rename_and_merge_survive_reruns(workspace):
    run = build_themes(workspace)
    a, b, c = run.themes[0], run.themes[1], run.themes[2]
    renamed = rename_theme(workspace, a.id[:8], "  Who buys the milk  ")
    assert renamed.id == a.id and renamed.label == "Who buys the milk" and renamed.label_source == "user"
    assert build_themes(workspace).cached  # a rename needs no re-run
    merged = merge_themes(workspace, b.id, [c.id])
    kept = next(t for t in merged.themes if t.id == b.id)
    assert set(kept.chunk_ids) == set(b.chunk_ids) | set(c.chunk_ids)
    assert c.id not in {t.id for t in merged.themes}
    assert [x.id for x in merged.changes.removed] == [c.id] and b.id in {x.id for x in merged.changes.grown}
    for again in (build_themes(workspace, force=True), load_themes(workspace)):
        by_id = {t.id: t for t in again.themes}
        assert by_id[a.id].label == "Who buys the milk" and by_id[a.id].label_source == "user"
        assert set(by_id[b.id].chunk_ids) == set(kept.chunk_ids) and c.id not in by_id
        assert not again.skipped_edits
    assert {a.id, b.id} <= {t.id for t in build_themes(workspace).themes}


def test_edit_errors_are_typed_and_say_what_to_do(workspace):
    with pytest.raises(ThemesError, match="synth themes"):
        rename_theme(workspace, "thm_nothing", "x y")
    run = build_themes(workspace)
    with pytest.raises(ThemesError, match="not a theme"):
        rename_theme(workspace, "thm_nothing", "x y")
    with pytest.raises(ThemesError, match="empty"):
        rename_theme(workspace, run.themes[0].id, "   ")
    with pytest.raises(ThemesError, match="different themes"):
        merge_themes(workspace, run.themes[0].id, [run.themes[0].id])
    with pytest.raises(ThemesError, match="at least 1"):
        build_themes(workspace, min_size=0)


def test_themes_need_an_ingested_workspace(fake_settings, llm_env):
    from synth.search import WorkspaceError

    with pytest.raises(WorkspaceError, match="synth ingest"):
        build_themes(fake_settings)


def test_exemplars_are_central_distinct_members(workspace):
    run = build_themes(workspace)
    vectors = VectorStore(workspace.embedder, path=workspace.chroma_path)
    for theme in run.themes:
        assert 3 <= len(theme.exemplar_ids) <= 5
        assert set(theme.exemplar_ids) <= set(theme.chunk_ids)
        x, missing = fetch_vectors(vectors, theme.exemplar_ids)
        assert not missing
        sims = x @ x.T
        assert np.all(sims[~np.eye(len(x), dtype=bool)] <= 0.9 + 1e-6)
        texts = [run.quotes[c]["text"] for c in theme.exemplar_ids]
        assert len(set(texts)) == len(texts)
        assert theme.keywords and theme.label and theme.description
        assert sum(theme.kinds.values()) == theme.size


def test_labels_come_through_the_llm_layer(workspace):
    from synth.llm import open_llm

    with open_llm(workspace.workspace, llm="scripted") as client:  # a non-extractive model
        client.model.script(*[{"label": "Scripted theme name", "description": "One sentence."}] * 12)
        run = build_themes(workspace, llm=client)
        assert len(client.model.calls) == len(run.themes)
    # the model named every theme alike: the first keeps the name, the others are told apart by their phrases
    assert all(t.label.startswith("Scripted theme name") and t.label_source == "llm" for t in run.themes)
    assert len({t.label for t in run.themes}) == len(run.themes)
    assert all(t.provenance["label"]["task"] == "label_theme" for t in run.themes)
