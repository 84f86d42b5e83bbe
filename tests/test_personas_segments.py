"""Segmentation: people (not topics), deterministic, a forced count, evidence packs that spread across people."""

from __future__ import annotations

import numpy as np
import pytest

from synth.personas import segment_participants
from synth.personas.build import chunk_vectors
from synth.personas.draft import draft_input, evidence_pack, leading_themes
from synth.personas.segments import cluster_profiles, theme_lift
from synth.records import Role
from synth.store import Store
from tests.persona_fixtures import ingest_folder, keyword_themes


@pytest.fixture
def workspace(tmp_path, fake_settings):
    ingest_folder(tmp_path, fake_settings)
    return fake_settings, keyword_themes(fake_settings)


def _labels(settings) -> dict[str, str]:
    with Store(settings.db_path) as store:
        return {p.id: p.label for p in store.participants()}


def test_segments_group_people_by_what_and_how_they_talk(workspace):
    settings, themes = workspace
    segments = segment_participants(settings, themes=themes)
    labels = _labels(settings)
    assert len(segments) == 2 and segments[0].attributes["k_choice"]["method"] == "stability"
    groups = [{labels[p] for p in s.participant_ids} for s in segments]
    family = next(g for g in groups if "Dana" in g)
    budget = next(g for g in groups if "Theo" in g)
    assert {f"family_{i}" for i in range(6)} <= family and {f"budget_{i}" for i in range(6)} <= budget
    # Every participant lands in exactly one segment, the one-line reviewer included.
    everyone = [p for s in segments for p in s.participant_ids]
    assert sorted(everyone) == sorted(set(everyone)) and len(everyone) == len(labels)
    by_label = {t.id: t.label for t in themes}
    family_seg = next(s for s in segments if "Dana" in {labels[p] for p in s.participant_ids})
    assert by_label[family_seg.theme_ids[0]] in ("Shared list sync", "Kids and family dinners")
    assert family_seg.label.startswith(by_label[family_seg.theme_ids[0]])
    attrs = family_seg.attributes
    assert attrs["kinds"] == {"interview": 1, "review": 7} and attrs["participants"] == 8
    assert attrs["mean_rating"] == pytest.approx((6 * 4 + 3) / 7, abs=0.01)


def test_segmentation_is_deterministic(workspace):
    settings, themes = workspace
    first = segment_participants(settings, themes=themes)
    second = segment_participants(settings, themes=themes)
    assert [s.model_dump() for s in first] == [s.model_dump() for s in second]


@pytest.mark.parametrize("n", [1, 3, 4])
def test_forced_count(workspace, n):
    settings, themes = workspace
    segments = segment_participants(settings, n=n, themes=themes)
    assert len(segments) == n
    assert segments[0].attributes["k_choice"] == {"k": n, "method": "forced"}
    sizes = [len(s.participant_ids) for s in segments]
    assert sizes == sorted(sizes, reverse=True)


def test_automatic_count_respects_the_minimum_share():
    rng = np.random.default_rng(0)
    centres = np.eye(6)[:3] * 4
    big = np.vstack([c + rng.normal(scale=0.3, size=(40, 6)) for c in centres])
    outliers = np.eye(6)[3:5] * 8  # two lone points: a segment of one is under 5% of 122
    labels, choice = cluster_profiles(np.vstack([big, outliers]))
    assert choice["method"] == "stability" and choice["k"] == 3
    assert np.bincount(labels).min() >= choice["min_size"]
    few, why = cluster_profiles(np.ones((3, 2)))
    assert set(few) == {0} and why["k"] == 1


def test_theme_lift_needs_two_participants_and_ranks_distinctive_first():
    counts = np.array([[3, 1, 0], [2, 1, 1], [0, 4, 0], [0, 4, 0]], dtype=float)
    members = np.array([True, True, False, False])
    lifted = dict(theme_lift(counts, members))
    assert list(lifted) == [0, 1]  # theme 2 has one participant in the segment
    assert lifted[0] > 1 > lifted[1]


def test_evidence_pack_covers_leading_themes_across_distinct_people(workspace):
    settings, themes = workspace
    segments = segment_participants(settings, n=2, themes=themes)
    with Store(settings.db_path) as store:
        chunks = {c.id: c for c in store.chunks() if c.role == Role.participant and c.participant_id}
    vectors = chunk_vectors(settings, list(chunks))
    by_id = {t.id: t for t in themes}
    for seg in segments:
        lead = leading_themes(seg, by_id)
        pack = evidence_pack(seg, lead, chunks, vectors, cap=6)
        assert 0 < len(pack) <= 6
        assert all(c.participant_id in seg.participant_ids for c in pack)
        people = [c.participant_id for c in pack]
        assert len(set(people)) == len(people)  # distinct people first while there are enough
        assert all(any(c.id in t.chunk_ids for c in pack) for t in lead)
        inputs = draft_input(seg, lead, pack)
        assert [e.n for e in inputs.evidence] == list(range(1, len(pack) + 1))
        assert [e.chunk_id for e in inputs.evidence] == [c.id for c in pack]
        assert "participants" in inputs.segment_summary and "mean star rating" in inputs.segment_summary.lower()
