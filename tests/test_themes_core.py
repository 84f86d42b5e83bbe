"""The pure parts of the themes stage: clustering core, keywords, exemplars, id matching, edits, grouping."""

from __future__ import annotations

import numpy as np
import pytest

from synth.records import Chunk, Kind, Role
from synth.themes import cluster as core
from synth.themes.cluster import cluster_vectors, normalize
from synth.themes.represent import class_keywords, group_themes, pick_exemplars
from synth.themes.stable import Edit, apply_edits, diff_sizes, fresh_id, match_clusters


def blobs(n_per: int, k: int, dim: int = 32, spread: float = 0.15, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """k well-separated groups of unit vectors (seeded), and their labels."""
    rng = np.random.RandomState(seed)
    centres = normalize(rng.normal(size=(k, dim)))
    x = np.vstack([centres[c] + spread * rng.normal(size=(n_per, dim)) for c in range(k)])
    return normalize(x), np.repeat(np.arange(k), n_per)


def ari(a, b) -> float:
    from sklearn.metrics import adjusted_rand_score

    return adjusted_rand_score(a, b)


def test_cluster_core_finds_k_and_is_deterministic():
    x, y = blobs(60, 5)
    first, second = cluster_vectors(x), cluster_vectors(x)
    assert first.k == 5 and ari(y, first.labels) > 0.95
    assert np.array_equal(first.labels, second.labels) and np.allclose(first.centroids, second.centroids)
    sizes = np.bincount(first.labels[first.labels >= 0])
    assert list(sizes) == sorted(sizes, reverse=True)  # largest theme first


def test_outliers_are_explicit_with_nearest_theme_and_distance():
    x, _ = blobs(50, 4, seed=1)
    rng = np.random.RandomState(5)
    far = normalize(rng.normal(size=(4, x.shape[1])))  # points that belong to no group
    c = cluster_vectors(np.vstack([x, far]))
    assert c.k == 4
    out = np.flatnonzero(c.labels == -1)
    assert set(range(len(x), len(x) + 4)) <= set(out)  # the planted outliers are unassigned
    assert len(out) / len(c.labels) <= 0.1  # and not much else
    assert np.all(c.nearest[out] >= 0) and np.all(c.distance[out] > 0)
    assigned = c.labels >= 0
    assert np.array_equal(c.nearest[assigned], c.labels[assigned])


def test_min_size_and_max_themes_steer_the_partition():
    x, _ = blobs(40, 6, seed=2)
    assert cluster_vectors(x, max_themes=3).k <= 3
    c = cluster_vectors(x, min_size=100)  # no group is that big: small clusters dissolve into the nearest
    assert all(np.bincount(c.labels[c.labels >= 0]) >= 100) or c.k == 0


def test_tiny_inputs():
    assert cluster_vectors(np.zeros((0, 8), dtype=np.float32)).k == 0
    one = cluster_vectors(np.ones((1, 8), dtype=np.float32))
    assert one.k == 0 and list(one.labels) == [-1] and list(one.nearest) == [-1]
    few = cluster_vectors(blobs(3, 2)[0])
    assert few.k in (1, 2) and len(few.labels) == 6


def test_micro_cluster_path_scales_and_agrees(monkeypatch):
    monkeypatch.setattr(core, "EXACT_MAX", 500)  # force the path used above 4,000 chunks, on a small input
    monkeypatch.setattr(core, "MICRO_UNITS", 200)
    x, y = blobs(300, 6, dim=96, seed=3)
    c = cluster_vectors(x)
    assert c.stats["units"] <= 200 and c.k == 6 and ari(y, c.labels) > 0.95
    assert np.array_equal(c.labels, cluster_vectors(x).labels)


def test_keywords_are_distinctive_without_filler():
    texts = (
        ["um so the shared list like never syncs you know with my partner"] * 4
        + ["yeah the subscription price is kinda too expensive for a student"] * 4
        + ["the shared list"]
    )
    labels = np.array([0] * 4 + [1] * 4 + [-1])
    kw = class_keywords(texts, labels, 2)
    assert any("shared" in t for t in kw[0]) and any("syncs" in t for t in kw[0])
    assert any("subscription" in t for t in kw[1]) and not any("subscription" in t for t in kw[0])
    flat = [w for words in kw for term in words for w in term.split()]
    assert not {"um", "like", "yeah", "kinda", "know", "the"} & set(flat)


def _chunk(i: int, text: str, pid: str) -> Chunk:
    return Chunk(document_id=f"d{i}", participant_id=pid, speaker=pid, role=Role.participant, kind=Kind.review,
                 text=text, start=0, end=len(text))


def test_exemplars_skip_near_duplicates_and_prefer_new_people():
    e = np.eye(6)
    x = normalize(np.vstack([
        e[0] + 0.3 * e[1],  # a: most central
        e[0] + 0.3 * e[1] + 0.01 * e[2],  # b: a near-duplicate of the first
        e[0] + 0.5 * e[2],  # a again
        e[0] + 0.55 * e[3], e[0] + 0.6 * e[4], e[0] + 0.65 * e[5],  # c, d, e
    ]))
    words = "one two three four five six seven"
    chunks = [_chunk(i, f"{words} {i}", pid) for i, pid in enumerate(["a", "b", "a", "c", "d", "e"])]
    assert pick_exemplars(x, chunks, e[0]) == [0, 3, 4, 5, 2]
    short = [_chunk(i, "Sounds good." if i == 0 else f"{words} {i}", pid) for i, pid in enumerate("abacde")]
    assert pick_exemplars(x, short, e[0]) == [1, 2, 3, 4, 5]  # a two-word chunk is a quote of last resort


def test_ids_follow_overlap_even_when_clusters_grow():
    prev = {"thm_a": {"1", "2", "3", "4"}, "thm_b": {"5", "6", "7", "8"}}
    cent = {"thm_a": np.array([1.0, 0]), "thm_b": np.array([0, 1.0])}
    universe = {str(i) for i in range(1, 9)}
    new = [{"5", "6", "7", "8", "20", "21", "22", "23", "24"}, {"1", "2", "3"}, {"30", "31", "32"}]
    centroids = np.array([[0, 1.0], [1.0, 0], [0.7, 0.7]])
    got = match_clusters(prev, cent, universe, new, centroids, universe | {"20", "21", "22", "23", "24", "30", "31", "32"})
    assert got == ["thm_b", "thm_a", None]
    # Every chunk id changed (re-chunked): centroids carry the ids.
    got = match_clusters(prev, cent, universe, [{"x"}, {"y"}], np.array([[0.05, 1.0], [1.0, 0.1]]), {"x", "y"})
    assert got == ["thm_b", "thm_a"]
    assert fresh_id(["c1", "c2"], set()) == fresh_id(["c1", "c2"], set())
    assert fresh_id(["c1"], {fresh_id(["c1"], set())}) != fresh_id(["c1"], set())


def test_edits_replay_in_order_and_report_what_no_longer_applies():
    edits = [Edit(seq=1, action="rename", theme_id="a", value="Alpha"), Edit(seq=2, action="merge", theme_id="a", value="b"),
             Edit(seq=3, action="rename", theme_id="b", value="Beta"), Edit(seq=4, action="merge", theme_id="c", value="zz")]
    themes, labels, skipped = apply_edits(["a", "b", "c"], edits)
    assert themes == {"a": ["a", "b"], "c": ["c"]} and labels == {"a": "Alpha"}
    assert len(skipped) == 2 and "zz" in skipped[1]
    changes = diff_sizes({"a": 5, "b": 3, "d": 2}, {"a": 8, "b": 3, "c": 4}, {}, {"d": "Gone"})
    assert [c.id for c in changes.grown] == ["a"] and changes.unchanged == ["b"]
    assert [c.id for c in changes.new] == ["c"] and [(c.id, c.label) for c in changes.removed] == [("d", "Gone")]


@pytest.mark.parametrize("n", [6, 10, 20])
def test_many_themes_are_grouped(n):
    """The theme tree: above GROUP_ABOVE themes, broad themes recover the centres the themes came from."""
    centres, _ = blobs(1, 4, dim=16, seed=4)
    rng = np.random.RandomState(0)
    centroids = normalize(np.vstack([centres[i % 4] + 0.2 * rng.normal(size=16) for i in range(n)]))
    groups = group_themes(centroids)
    if n <= 6:
        assert groups is None
    else:
        assert groups is not None and 2 <= len(set(groups)) <= 6
        assert ari(np.arange(n) % 4, groups) > 0.6
