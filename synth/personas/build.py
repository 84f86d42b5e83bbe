"""The personas stage over a workspace: segment participants, draft, verify, figure and save."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel, Field

from synth.config import Settings
from synth.llm import LLM, StructuredOutputError
from synth.personas import notes
from synth.personas.draft import (
    MIN_WORDS, EmptyDraft, draft, draft_input, evidence_pack, leading_themes, to_persona, top_up_quotes,
)
from synth.personas.figures import persona_figures
from synth.personas.segments import build_profiles, cluster_profiles, describe_segments
from synth.personas.lineage import match_segments, participant_centres, starting_centres
from synth.personas.living import Settled, previous_pairs, settle
from synth.review.decisions import persona_edits
from synth.personas.store import participant_ratings, participant_sources
from synth.personas.verify import QuoteLocator, verify_persona
from synth.profiles.aggregate import TextVectors, aggregate_segment, distinct_across
from synth.profiles.extract import ProfileRun, extract_profiles
from synth.profiles.naming import persona_names
from synth.profiles.records import SegmentAggregate
from synth.profiles.store import StoredVectors
from synth.records import Chunk, Participant, Persona, Role, Segment, Theme
from synth.search import WorkspaceError, open_store
from synth.store import Store


class PersonasError(Exception):
    """The personas stage cannot run (no evidence, no themes); the message says what to run."""


class SkippedSegment(BaseModel):
    """A segment that got no persona, and why."""

    segment_id: str
    label: str
    participants: int
    reason: str


class PersonaRun(BaseModel):
    """What the personas stage produced: personas in segment order, segments skipped, and one line per
    thing a researcher should know (participants with nothing quotable, thin personas, no themes)."""

    personas: list[Persona]
    skipped: list[SkippedSegment] = Field(default_factory=list)
    unquotable: list[str] = Field(default_factory=list)  # participant ids with nothing quotable
    notes: list[str] = Field(default_factory=list)
    settled: Settled | None = None  # identities continued, review decisions carried, the version recorded


class PersonaProgress:
    """Progress callbacks; the default does nothing. The CLI draws bars from these."""

    def stage(self, name: str, total: int) -> None: ...
    def advance(self, name: str, n: int = 1) -> None: ...


@dataclass
class StageInputs:
    """What segmentation and drafting read from the workspace, loaded once."""

    participants: dict[str, Participant]
    chunks: dict[str, Chunk]  # participant speech only
    themes: list[Theme]
    vectors: dict[str, np.ndarray]
    ratings: dict[str, float]
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)  # participant id -> the file their words come from
    attributes: dict[str, dict] = field(default_factory=dict)  # customer attributes, when segments use them


def load_themes(settings: Settings) -> list[Theme]:
    """The workspace's themes, as the themes stage stored them; an error when it never ran."""
    from synth.themes import load_themes as stored_run

    run = stored_run(settings)
    if not run.themes and not run.stats:  # a run that found no theme still stores its stats
        raise PersonasError("no themes yet; run `synth themes` first (or `synth run FOLDER`)")
    return list(run.themes)


def chunk_vectors(settings: Settings, ids: Sequence[str], folds: dict[str, str] | None = None) -> dict[str, np.ndarray]:
    """Stored embeddings of the given chunks (those the vector store holds); a folded copy (synth.dedupe)
    gets its canonical chunk's vector."""
    from synth.vectors import VectorStore

    folds = folds or {}
    vs = VectorStore(settings.embedder, path=settings.chroma_path, url=settings.chroma_url)
    found: dict[str, np.ndarray] = {}
    wanted = sorted({folds.get(i, i) for i in ids})
    for i in range(0, len(wanted), vs.max_batch):
        got = vs.collection.get(ids=wanted[i : i + vs.max_batch], include=["embeddings"])
        found.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
    return {i: found[folds.get(i, i)] for i in ids if folds.get(i, i) in found}


def load_evidence(settings: Settings, store: Store, themes: Sequence[Theme] | None = None) -> StageInputs:
    chunks = {c.id: c for c in store.chunks() if c.participant_id and c.role == Role.participant}
    if not chunks:
        raise PersonasError(notes.no_speech(store) or "the workspace holds no participant speech")
    themes = list(themes) if themes is not None else load_themes(settings)
    return StageInputs(
        participants={p.id: p for p in store.participants()},
        chunks=chunks,
        themes=themes,
        vectors=chunk_vectors(settings, list(chunks), store.folds()),
        ratings=participant_ratings(store),
        sources=participant_sources(store),
        notes=[] if themes else [notes.NO_THEMES],
    )


def _segments(ev: StageInputs, n: int | None, unquotable: Sequence[str] = (),
              previous: Sequence[Segment] = ()) -> list[Segment]:
    """Segments found on the participants with something quotable; the others join the nearest one, so
    nobody whose every line is "Right." founds a segment (and a persona drafted from one short line)."""
    silent = set(unquotable)
    profiles = build_profiles(list(ev.participants.values()), list(ev.chunks.values()), ev.themes, ev.vectors,
                              ev.ratings, ev.sources, ev.attributes or None)
    fit = profiles.fit_rows(silent)
    init = None
    if n is None and previous:
        init, line = starting_centres(profiles.participant_ids, profiles.matrix, fit, profiles.weights, previous)
        if line:
            ev.notes.append(line)
    labels, choice = cluster_profiles(profiles.matrix, n, fit, profiles.weights, init)
    segments = describe_segments(profiles, labels, ev.themes, ev.participants, ev.ratings, choice)
    for seg in segments:
        count = sum(1 for p in seg.participant_ids if p in silent)
        if count:
            seg.attributes["unquotable"] = count
    return segments


def _unquotable(store: Store, ev: StageInputs) -> tuple[list[str], notes.Who]:
    silent = notes.unquotable(ev.chunks.values())
    who = notes.Who(store, ev.chunks.values(), ev.participants)
    if silent and len(silent) == len({c.participant_id for c in ev.chunks.values()}):
        raise PersonasError(notes.nothing_quotable(who, silent))
    return silent, who


def segment_participants(
    settings: Settings, n: int | None = None, themes: Sequence[Theme] | None = None, use_attributes: bool = False
) -> list[Segment]:
    """Participants grouped by what they talk about and how; n forces the number of segments (else 2-8).

    Participants with nothing quotable (every line under MIN_WORDS words) join the nearest segment.
    use_attributes: customer attributes (synth.attributes) shape the segments too."""
    with _store(settings) as store:
        ev = load_evidence(settings, store, themes)
        if use_attributes:
            from synth.attributes.store import load_attributes

            ev.attributes = load_attributes(store)
        return _segments(ev, n, _unquotable(store, ev)[0])


def draft_personas(
    settings: Settings,
    llm: LLM,
    n: int | None = None,
    progress: PersonaProgress | None = None,
    themes: Sequence[Theme] | None = None,
) -> list[Persona]:
    """The personas of `build_personas` (segment, draft, verify, figure, save), in segment order."""
    return build_personas(settings, llm, n, progress, themes).personas


def build_personas(
    settings: Settings,
    llm: LLM,
    n: int | None = None,
    progress: PersonaProgress | None = None,
    themes: Sequence[Theme] | None = None,
    use_attributes: bool = False,
) -> PersonaRun:
    """Segment, draft one persona per segment, verify every citation and claim, add figures, save.

    A segment the drafter finds nothing to say about is skipped with its reason; participants with
    nothing quotable join the nearest segment but never found one; thin personas (one quotable
    participant, no verified citation) are kept and named in the notes. PersonasError when not one
    persona could be drafted.
    """
    progress = progress or PersonaProgress()
    with _store(settings) as store:
        progress.stage("segmenting", 1)
        ev = load_evidence(settings, store, themes)
        if use_attributes:
            from synth.attributes.store import load_attributes

            ev.attributes = load_attributes(store)
            if not ev.attributes:
                ev.notes.append("--use-attributes: no participant has attributes (survey answers or "
                                "`synth attributes FILE --key COLUMN`); segments use their words only")
        silent, who = _unquotable(store, ev)
        segments = _segments(ev, n, silent, _previous_segments(store))
        lines = [*ev.notes, *([notes.some_unquotable(who, silent)] if silent else [])]
        progress.advance("segmenting")

        progress.stage("profiling", len({c.participant_id for c in ev.chunks.values()}))
        profiled = extract_profiles(store, ev.participants, list(ev.chunks.values()), llm,
                                    lambda k: progress.advance("profiling", k))
        lines += notes.profiles(profiled)
        by_id = {t.id: t for t in ev.themes}
        aggregates = _aggregate(settings, store, segments, profiled)
        names = dict(zip([s.id for s in segments], persona_names(
            segments, [aggregates[s.id] for s in segments], profiled.profiles, by_id,
            avoid=notes.names_in_study(store, ev.participants.values())), strict=True))
        # A segment that continues a persona keeps its name (a reviewer's rename too), so the draft uses it.
        centres = participant_centres(ev.chunks, ev.vectors)
        lineage = match_segments(previous_pairs(store), segments, centres)
        edited = persona_edits(store)
        names.update({m.segment_id: edited.get(m.persona_id, {}).get("name", m.name) for m in lineage.matches})
        drafted, skipped = _draft(settings, llm, ev, segments, by_id, progress, aggregates, names)
        lines += [notes.no_persona(segments.index(seg) + 1, seg, s.reason) for s, seg in skipped]
        if not drafted:
            raise PersonasError(notes.no_persona_at_all(who, segments, skipped[0][0].reason))
        kept = [seg for seg, _ in drafted]
        personas = [p for _, p in drafted]

        progress.stage("verifying", sum(len(p.claims) for p in personas))
        locator = QuoteLocator(store)
        personas = [top_up_quotes(verify_persona(p, seg, store, llm, lambda k: progress.advance("verifying", k),
                                                 locator))
                    for p, seg in zip(personas, kept, strict=True)]
        kinds = {pid: p.kind for pid, p in ev.participants.items()}
        personas = [p.model_copy(update={"figures": persona_figures(p, seg, by_id, personas, kinds=kinds)})
                    for p, seg in zip(personas, kept, strict=True)]
        lines += [notes.thin(i, p, seg, who, silent) for i, (p, seg) in enumerate(zip(personas, kept), 1)
                  if p.figures.get("thin")]
        reasons = {s.segment_id: s.reason for s, _ in skipped}
        stored = [seg.model_copy(update={"attributes": {**seg.attributes, "skipped": reasons[seg.id]}})
                  if seg.id in reasons else seg for seg in segments]
        settled = settle(store, stored, personas, llm, lineage)
        lines += settled.lines()
        return PersonaRun(personas=settled.personas, skipped=[s for s, _ in skipped], unquotable=silent, notes=lines,
                          settled=settled)


def _aggregate(settings: Settings, store: Store, segments: list[Segment],
               profiled: ProfileRun) -> dict[str, SegmentAggregate]:
    """Each segment's claims counted over its participants' profiles, statements grouped by their embeddings."""
    from synth.embedders import get_embedder

    vectors = TextVectors(get_embedder(settings.embedder).embed, StoredVectors(store, settings.embedder))
    found = distinct_across([aggregate_segment(seg, profiled.profiles, vectors) for seg in segments])
    return {seg.id: agg for seg, agg in zip(segments, found, strict=True)}


def _draft(
    settings: Settings, llm: LLM, ev: StageInputs, segments: list[Segment], themes: dict[str, Theme],
    progress: PersonaProgress, aggregates: dict[str, SegmentAggregate], names: dict[str, str],
) -> tuple[list[tuple[Segment, Persona]], list[tuple[SkippedSegment, Segment]]]:
    """An unverified persona per segment, or the reason it has none (nothing to say, a reply that is no persona)."""
    inputs = []
    for seg in segments:
        lead = [t for t in leading_themes(seg, themes) if t.substantive]
        inputs.append(draft_input(seg, lead, evidence_pack(seg, lead, ev.chunks, ev.vectors), aggregates[seg.id],
                                  names[seg.id], ev.chunks))
    progress.stage("drafting", len(segments))

    def one(item):
        try:
            if not item.evidence:
                return f"none of its participants said anything of {MIN_WORDS} words or more"
            if llm.model.extractive and not item.groups:
                return "none of its participants said anything a profile statement could cite"
            return draft(item, llm)
        except EmptyDraft as exc:
            return str(exc)
        except StructuredOutputError as exc:
            return f"the model's reply was not a persona ({exc.errors[0] if exc.errors else 'invalid output'})"
        finally:
            progress.advance("drafting")

    drafted, skipped = [], []
    for out, item, seg in zip(llm.map(one, inputs), inputs, segments, strict=True):
        if isinstance(out, str):
            skipped.append((SkippedSegment(segment_id=seg.id, label=seg.label, participants=len(seg.participant_ids),
                                           reason=out), seg))
        else:
            loose, prov = out
            drafted.append((seg, to_persona(loose, item.evidence, seg, {**prov, "embedder": settings.embedder},
                                            aggregates[seg.id])))
    return drafted, skipped


def _previous_segments(store: Store) -> list[Segment]:
    """The segments the stored personas speak for (the previous run's), for segmentation to continue from."""
    from synth.personas.store import load_personas, load_segments

    with_persona = {p.segment_id for p in load_personas(store)}
    return [s for s in load_segments(store) if s.id in with_persona]


def _store(settings: Settings) -> Store:
    try:
        return open_store(settings)
    except WorkspaceError as exc:
        raise PersonasError(str(exc)) from None
