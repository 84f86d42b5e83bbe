"""The personas stage over a workspace: segment participants, draft, verify, figure and save."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from synth.config import Settings
from synth.llm import LLM
from synth.personas.draft import draft, draft_input, evidence_pack, leading_themes, to_persona, top_up_quotes
from synth.personas.figures import persona_figures
from synth.personas.segments import build_profiles, cluster_profiles, describe_segments
from synth.personas.store import participant_ratings, save_personas
from synth.personas.verify import QuoteLocator, verify_persona
from synth.records import Chunk, Participant, Persona, Role, Segment, Theme
from synth.search import WorkspaceError, open_store
from synth.store import Store


class PersonasError(Exception):
    """The personas stage cannot run (no evidence, no themes); the message says what to run."""


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


def load_themes(settings: Settings) -> list[Theme]:
    """The workspace's themes, as the themes stage stored them."""
    from synth.themes import load_themes as stored_run

    return list(stored_run(settings).themes)


def chunk_vectors(settings: Settings, ids: Sequence[str]) -> dict[str, np.ndarray]:
    """Stored embeddings of the given chunks (those the vector store holds)."""
    from synth.vectors import VectorStore

    vs = VectorStore(settings.embedder, path=settings.chroma_path, url=settings.chroma_url)
    out: dict[str, np.ndarray] = {}
    ids = list(ids)
    for i in range(0, len(ids), vs.max_batch):
        got = vs.collection.get(ids=ids[i : i + vs.max_batch], include=["embeddings"])
        out.update(zip(got["ids"], np.asarray(got["embeddings"], dtype=np.float32), strict=True))
    return out


def load_evidence(settings: Settings, store: Store, themes: Sequence[Theme] | None = None) -> StageInputs:
    chunks = {c.id: c for c in store.chunks() if c.participant_id and c.role == Role.participant}
    if not chunks:
        raise PersonasError("the workspace holds no participant speech; run `synth ingest FOLDER` first")
    themes = list(themes) if themes is not None else load_themes(settings)
    if not themes:
        raise PersonasError("no themes yet; run `synth themes` first (or `synth run FOLDER`)")
    return StageInputs(
        participants={p.id: p for p in store.participants()},
        chunks=chunks,
        themes=themes,
        vectors=chunk_vectors(settings, list(chunks)),
        ratings=participant_ratings(store),
    )


def _segments(ev: StageInputs, n: int | None) -> list[Segment]:
    people = [p for p in ev.participants.values()]
    profiles = build_profiles(people, list(ev.chunks.values()), ev.themes, ev.vectors, ev.ratings)
    labels, choice = cluster_profiles(profiles.matrix, n)
    return describe_segments(profiles, labels, ev.themes, ev.participants, ev.ratings, choice)


def segment_participants(
    settings: Settings, n: int | None = None, themes: Sequence[Theme] | None = None
) -> list[Segment]:
    """Participants grouped by what they talk about and how; n forces the number of segments (else 2-8)."""
    with _store(settings) as store:
        return _segments(load_evidence(settings, store, themes), n)


def draft_personas(
    settings: Settings,
    llm: LLM,
    n: int | None = None,
    progress: PersonaProgress | None = None,
    themes: Sequence[Theme] | None = None,
) -> list[Persona]:
    """Segment, draft one persona per segment, verify every citation and claim, add figures, save; in segment order."""
    progress = progress or PersonaProgress()
    with _store(settings) as store:
        progress.stage("segmenting", 1)
        ev = load_evidence(settings, store, themes)
        segments = _segments(ev, n)
        progress.advance("segmenting")

        by_id = {t.id: t for t in ev.themes}
        inputs = []
        for seg in segments:
            lead = leading_themes(seg, by_id)
            inputs.append(draft_input(seg, lead, evidence_pack(seg, lead, ev.chunks, ev.vectors)))
        progress.stage("drafting", len(segments))

        def one(item):
            out = draft(item, llm)
            progress.advance("drafting")
            return out

        drafts = llm.map(one, inputs)
        personas = [to_persona(d, i.evidence, seg, {**prov, "embedder": settings.embedder})
                    for (d, prov), i, seg in zip(drafts, inputs, segments, strict=True)]
        _unique_names(personas)

        progress.stage("verifying", sum(len(p.claims) for p in personas))
        locator = QuoteLocator(store)
        personas = [top_up_quotes(verify_persona(p, seg, store, llm, lambda k: progress.advance("verifying", k),
                                                 locator))
                    for p, seg in zip(personas, segments, strict=True)]
        personas = [p.model_copy(update={"figures": persona_figures(p, seg, by_id, personas)})
                    for p, seg in zip(personas, segments, strict=True)]
        save_personas(store, segments, personas)
        return personas


def _unique_names(personas: list[Persona]) -> None:
    """Two segments can earn the same name; number the later ones so `synth show NAME` stays unambiguous."""
    seen: dict[str, int] = {}
    for p in personas:
        key = p.name.lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            p.name = f"{p.name} ({seen[key]})"


def _store(settings: Settings) -> Store:
    try:
        return open_store(settings)
    except WorkspaceError as exc:
        raise PersonasError(str(exc)) from None
