"""Stable persona identity across re-runs: a new segment keeps the id and name of the persona it continues.

A re-run (new interviews, a changed file, a different number of segments) re-segments everyone, so a
segment's content-hash id changes as soon as one participant joins it. Personas are living documents,
so each new segment is matched to the previous run's personas:

- **participant overlap**: Jaccard overlap of the two segments' participants, counted only over the
  participants present in both runs, so that growth from new data does not dilute it (a segment that
  gained three new interviewees and lost nobody overlaps 1.0). A pair needs at least MIN_OVERLAP.
- **centre similarity**: cosine between the two segments' centres (the mean of their participants'
  mean chunk embeddings, taken on today's vectors). A pair needs at least MIN_CENTRE, so that two
  segments that share a few people but say different things are not called the same persona.

Segmentation itself continues the previous run when the data grew a little: when at most
MAX_CHANGED_SHARE of this run's participants are new (and at most that share of the previous run's are
gone), k-means starts from the previous segments' centres on today's profiles, with the same number of
segments, instead of choosing k afresh (`starting_centres`). People who were together stay together
unless their words moved them; newcomers join the segment they are closest to. A bigger change, or
`--personas N`, segments afresh, and the matching below still carries every identity it can.

Pairs are made one to one (Hungarian method on overlap plus a small share of centre similarity).
A matched persona keeps its id and its name (a reviewer's rename included); the reviewer's summary is
kept too. An unmatched new segment gets a new persona (id from its participants); an unmatched old
persona is *retired*: kept in the workspace, marked retired with the run that retired it, never deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, Field

from synth.records import Persona, Segment

MIN_OVERLAP = 0.5  # Jaccard of participants present in both runs
MIN_CENTRE = 0.8  # cosine between segment centres
CENTRE_WEIGHT = 0.1  # centre similarity only breaks ties between overlaps
MAX_CHANGED_SHARE = 0.25  # segmentation continues from the previous run when at most this share changed


def starting_centres(participant_ids: Sequence[str], matrix: np.ndarray, fit_rows: np.ndarray,
                     weights: np.ndarray, previous: Sequence[Segment]) -> tuple[np.ndarray | None, str]:
    """The previous segments' centres on this run's profile matrix, when segmentation should continue from
    them (see the module docstring); else None. Also a line for the run summary saying which it was."""
    if len(previous) < 2:
        return None, ""
    row = {pid: i for i, pid in enumerate(participant_ids)}
    before = {pid for seg in previous for pid in seg.participant_ids}
    now = set(participant_ids)
    new, gone = len(now - before), len(before - now)
    if new > MAX_CHANGED_SHARE * len(now) or gone > MAX_CHANGED_SHARE * max(len(before), 1):
        return None, (f"segments chosen afresh: {new} of {len(now)} participants are new and {gone} left since the "
                      "previous run")
    fitted = np.flatnonzero(fit_rows)
    position = {r: i for i, r in enumerate(fitted)}
    centres = []
    for seg in previous:
        members = [row[p] for p in seg.participant_ids if p in row and row[p] in position]
        if members:
            centres.append(np.average(matrix[members], axis=0, weights=weights[members]))
    if len(centres) < 2:
        return None, ""
    return np.array(centres), (f"segments continued from the previous run ({new} new participant(s), {gone} gone); "
                               "`synth personas --personas N` segments afresh")


class PersonaMatch(BaseModel):
    """One new segment continuing one previous persona, and how well they agree."""

    segment_id: str
    persona_id: str
    name: str
    overlap: float
    centre: float | None = None


class Lineage(BaseModel):
    """How this run's segments relate to the previous run's personas."""

    matches: list[PersonaMatch] = Field(default_factory=list)
    new_segments: list[str] = Field(default_factory=list)  # segment ids with a persona new in this run
    retired: list[str] = Field(default_factory=list)  # previous persona ids no segment continues


def participant_centres(chunks: Mapping[str, object], vectors: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each participant's mean chunk embedding, unit length (chunks: id -> Chunk with participant_id)."""
    sums: dict[str, np.ndarray] = {}
    for cid, chunk in chunks.items():
        vec = vectors.get(cid)
        pid = getattr(chunk, "participant_id", None)
        if vec is None or pid is None:
            continue
        sums[pid] = sums[pid] + vec if pid in sums else np.array(vec, dtype=np.float64)
    return {pid: v / (np.linalg.norm(v) or 1.0) for pid, v in sums.items()}


def _centre(pids: Sequence[str], centres: Mapping[str, np.ndarray]) -> np.ndarray | None:
    have = [centres[p] for p in pids if p in centres]
    if not have:
        return None
    mean = np.mean(have, axis=0)
    return mean / (np.linalg.norm(mean) or 1.0)


def match_segments(
    previous: Sequence[tuple[Persona, Segment]],
    segments: Sequence[Segment],
    centres: Mapping[str, np.ndarray] | None = None,
) -> Lineage:
    """Pair this run's segments with the previous run's personas (see the module docstring)."""
    if not previous or not segments:
        return Lineage(new_segments=[s.id for s in segments], retired=[p.id for p, _ in previous])
    centres = centres or {}
    old_all = {pid for _, seg in previous for pid in seg.participant_ids}
    new_all = {pid for seg in segments for pid in seg.participant_ids}
    both = old_all & new_all
    overlap = np.zeros((len(segments), len(previous)))
    cosine = np.full((len(segments), len(previous)), np.nan)
    for i, seg in enumerate(segments):
        new_ids = set(seg.participant_ids) & both
        new_centre = _centre(seg.participant_ids, centres)
        for j, (_, old) in enumerate(previous):
            old_ids = set(old.participant_ids) & both
            union = new_ids | old_ids
            overlap[i, j] = len(new_ids & old_ids) / len(union) if union else 0.0
            old_centre = _centre(old.participant_ids, centres)
            if new_centre is not None and old_centre is not None:
                cosine[i, j] = float(new_centre @ old_centre)
    from scipy.optimize import linear_sum_assignment

    score = overlap + CENTRE_WEIGHT * np.nan_to_num(cosine, nan=0.0)
    rows, cols = linear_sum_assignment(-score)
    matches: list[PersonaMatch] = []
    for i, j in zip(rows, cols, strict=True):
        centre = None if np.isnan(cosine[i, j]) else round(float(cosine[i, j]), 3)
        if overlap[i, j] < MIN_OVERLAP or (centre is not None and centre < MIN_CENTRE):
            continue
        persona = previous[j][0]
        matches.append(PersonaMatch(segment_id=segments[i].id, persona_id=persona.id, name=persona.name,
                                    overlap=round(float(overlap[i, j]), 3), centre=centre))
    kept_segments = {m.segment_id for m in matches}
    kept_personas = {m.persona_id for m in matches}
    return Lineage(matches=matches, new_segments=[s.id for s in segments if s.id not in kept_segments],
                   retired=[p.id for p, _ in previous if p.id not in kept_personas])


def continue_personas(personas: Sequence[Persona], lineage: Lineage,
                      edits: Mapping[str, Mapping[str, str]]) -> list[Persona]:
    """This run's personas with the ids and names of the personas they continue, and the reviewer's summary.

    Names stay unique so `synth show NAME` is unambiguous: a continued persona keeps its name, and a new
    persona whose name is taken (by a continued one or an earlier new one) is numbered ("Maya (2)")."""
    by_segment = {m.segment_id: m for m in lineage.matches}
    out: list[Persona] = []
    for p in personas:
        m = by_segment.get(p.segment_id)
        update: dict = {}
        if m is not None:
            update = {"id": m.persona_id, "name": edits.get(m.persona_id, {}).get("name", m.name),
                      "provenance": {**p.provenance, "continues": m.persona_id, "overlap": m.overlap,
                                     "centre": m.centre, "drafted_name": p.name}}
        pid = update.get("id", p.id)
        if "summary" in edits.get(pid, {}):
            update["summary"] = edits[pid]["summary"]
        out.append(p.model_copy(update=update) if update else p)
    taken = {p.name.lower() for p in out if p.segment_id in by_segment}
    for p in out:
        if p.segment_id in by_segment:
            continue
        name, n = p.name, 1
        while name.lower() in taken:
            n += 1
            name = f"{p.name} ({n})"
        p.name = name
        taken.add(name.lower())
    return out
