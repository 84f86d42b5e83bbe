"""Stable theme ids across re-runs, user edits re-applied after each run, and the change report.

Matching: a new cluster takes the id of the previous cluster it overlaps most, by Jaccard overlap
of member chunks counted only over chunks present in both runs (so growth from new data does not
dilute the overlap), paired one-to-one with the Hungarian method and kept when the overlap is at
least MIN_JACCARD. Clusters still unmatched are paired by centroid cosine (at least MIN_COSINE),
which carries an id across a re-chunking that changed every chunk id. The rest get a fresh id
derived from their most central chunk ids, so the same data always yields the same ids.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field

from synth.records import stable_id

MIN_JACCARD = 0.3
MIN_COSINE = 0.85


class Edit(BaseModel):
    """A user's change to the themes, replayed after every run: rename (value = label) or merge (value = other id)."""

    seq: int
    action: str  # "rename" | "merge"
    theme_id: str
    value: str


class SizeChange(BaseModel):
    id: str
    label: str = ""
    before: int
    after: int


class ThemeChanges(BaseModel):
    """How this run's themes differ from the previous run's, by theme id."""

    new: list[SizeChange] = Field(default_factory=list)
    grown: list[SizeChange] = Field(default_factory=list)
    shrunk: list[SizeChange] = Field(default_factory=list)
    removed: list[SizeChange] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.new or self.grown or self.shrunk or self.removed)


def match_clusters(
    previous: dict[str, set[str]],
    previous_centroids: dict[str, np.ndarray],
    previous_universe: set[str],
    clusters: Sequence[set[str]],
    centroids: np.ndarray,
    universe: set[str],
) -> list[str | None]:
    """For each new cluster, the previous cluster id it continues, or None."""
    from scipy.optimize import linear_sum_assignment

    result: list[str | None] = [None] * len(clusters)
    prev_ids = sorted(previous)
    if not prev_ids or not clusters:
        return result
    common = previous_universe & universe
    overlap = np.zeros((len(clusters), len(prev_ids)))
    current = [members & common for members in clusters]
    for j, pid in enumerate(prev_ids):
        p = previous[pid] & common
        for i, c in enumerate(current):
            union = len(p | c)
            overlap[i, j] = len(p & c) / union if union else 0.0
    rows, cols = linear_sum_assignment(-overlap)
    taken: set[str] = set()
    for i, j in zip(rows, cols):
        if overlap[i, j] >= MIN_JACCARD:
            result[i] = prev_ids[j]
            taken.add(prev_ids[j])
    free_new = [i for i, r in enumerate(result) if r is None]
    free_prev = [p for p in prev_ids if p not in taken and p in previous_centroids]
    if free_new and free_prev and centroids.size:
        prev_matrix = np.vstack([previous_centroids[p] for p in free_prev])
        cosine = centroids[free_new] @ prev_matrix.T
        for a, b in zip(*linear_sum_assignment(-cosine)):
            if cosine[a, b] >= MIN_COSINE:
                result[free_new[a]] = free_prev[b]
    return result


def fresh_id(central_chunk_ids: Sequence[str], taken: set[str]) -> str:
    """A new theme id from its most central chunks; salted in the (unlikely) case it is taken."""
    salt = 0
    while True:
        tid = stable_id("thm", *central_chunk_ids[:3], *([salt] if salt else []), length=8)
        if tid not in taken:
            return tid
        salt += 1


def apply_edits(cluster_ids: Sequence[str], edits: Sequence[Edit]) -> tuple[dict[str, list[str]], dict[str, str], list[str]]:
    """Replay edits in order over this run's clusters.

    Returns (themes: final id -> its cluster ids, user labels by final id, notes on edits that no
    longer apply because a theme they name is gone).
    """
    themes: dict[str, list[str]] = {cid: [cid] for cid in cluster_ids}
    labels: dict[str, str] = {}
    skipped: list[str] = []
    for edit in sorted(edits, key=lambda e: e.seq):
        if edit.action == "rename":
            if edit.theme_id in themes:
                labels[edit.theme_id] = edit.value
            else:
                skipped.append(f"rename {edit.theme_id} to {edit.value!r}: no such theme in this run")
        elif edit.action == "merge":
            keep, other = edit.theme_id, edit.value
            if keep in themes and other in themes and keep != other:
                themes[keep] += themes.pop(other)
                labels.pop(other, None)
            else:
                gone = [t for t in (keep, other) if t not in themes]
                skipped.append(f"merge {other} into {keep}: {', '.join(gone) or 'same theme'} not in this run")
    return themes, labels, skipped


def diff_sizes(previous: dict[str, int], current: dict[str, int], labels: dict[str, str],
               previous_labels: dict[str, str]) -> ThemeChanges:
    """New, grown, shrunk, removed and unchanged themes, by id and size in chunks."""
    changes = ThemeChanges()
    for tid, size in current.items():
        before = previous.get(tid)
        change = SizeChange(id=tid, label=labels.get(tid, ""), before=before or 0, after=size)
        if before is None:
            changes.new.append(change)
        elif size > before:
            changes.grown.append(change)
        elif size < before:
            changes.shrunk.append(change)
        else:
            changes.unchanged.append(tid)
    for tid, size in previous.items():
        if tid not in current:
            changes.removed.append(SizeChange(id=tid, label=previous_labels.get(tid, ""), before=size, after=0))
    return changes
