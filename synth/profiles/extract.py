"""Map: one profile per participant, read from their own substantive words by the `extract_profile` task.

The offline backend answers with extractive rules (synth.extractive.profile); a model answers from
prompts/extract_profile.md. Either way every statement is checked before it is kept: its quote is
verbatim in the participant's own chunk (synth.verify), it is substantive (synth.substance) and its
section agrees with its polarity (synth.polarity). A long transcript goes to the task in windows;
participants go concurrently, within the LLM layer's limit. Profiles are stored in the workspace
with a fingerprint of their inputs, so a re-run extracts only what changed.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from statistics import mean

from pydantic import BaseModel, Field, ValidationError

from synth.extractive.profile import RULES_VERSION, extract_profile_offline, rating_of, sentence_parts
from synth.llm import LLM, StructuredOutputError, load_prompt, run_task
from synth.llm.schemas import Evidence, ExtractProfileInput, ProfileDraft
from synth.llm.structured import extract_json
from synth.extractive.cues import agrees_with
from synth.polarity import stances
from synth.profiles.records import WHO, ParticipantProfile, Statement
from synth.profiles.store import load_profiles, save_profiles
from synth.records import Chunk, Citation, Document, Participant, Verdict, stable_id
from synth.store import Store
from synth.substance import study_language, substance
from synth.verify import verify_citation

MAX_WINDOW_CHUNKS = 40  # a long transcript goes to the task in windows of at most this many chunks ...
MAX_WINDOW_WORDS = 3000  # ... and words
# Metadata worth knowing about a person, under the names exports use for it (case-insensitive).
ATTRIBUTES = {
    "rating": "rating", "stars": "rating", "score": "rating", "product": "product", "plan": "plan", "tier": "plan",
    "subscription": "plan", "role": "role", "reviewer_role": "role", "job_title": "role", "position": "role",
    "company_size": "company size", "industry": "industry", "platform": "platform", "country": "country",
    "location": "location", "segment": "segment", "age": "age", "age_group": "age",
}


class ProfileRun(BaseModel):
    """The map step's result: every profiled participant, and what a researcher should know about it."""

    profiles: dict[str, ParticipantProfile]
    extracted: int = 0  # participants (re-)extracted this run; the others were unchanged and reused
    fell_back: list[str] = Field(default_factory=list)  # the model's reply was no profile: rules stood in
    set_aside: dict[str, int] = Field(default_factory=dict)  # sentences set aside, by reason
    language: str | None = None


def participant_attributes(participant: Participant, documents: Sequence[Document]) -> dict[str, str]:
    """What the sources have on record about a participant: rating (their mean), plan, role, ..."""
    values: dict[str, list[str]] = defaultdict(list)
    sources = [participant.metadata, *[d.metadata for d in documents],
               *[d.metadata.get("extra") or {} for d in documents]]
    for meta in sources:
        if not isinstance(meta, dict):
            continue
        for key, value in meta.items():
            name = ATTRIBUTES.get(str(key).strip().lower().replace(" ", "_"))
            if name and value not in (None, "") and not isinstance(value, (dict, list)):
                values[name].append(str(value).strip())
    out: dict[str, str] = {}
    for name, found in values.items():
        if name == "rating":
            try:
                out[name] = f"{mean(float(v) for v in found):.2g}"
            except ValueError:
                continue
        else:
            out[name] = Counter(found).most_common(1)[0][0]
    return out


def _lenient(reply: str) -> ProfileDraft | None:
    """A model's last reply read as a profile despite the citation problems it was re-asked about; None when
    it is no profile at all."""
    try:
        return ProfileDraft.model_validate(json.loads(extract_json(reply)))
    except (ValidationError, ValueError):
        return None


def _windows(chunks: list[Chunk]) -> list[list[Chunk]]:
    out: list[list[Chunk]] = [[]]
    words = 0
    for c in chunks:
        n = len(c.text.split())
        if out[-1] and (len(out[-1]) >= MAX_WINDOW_CHUNKS or words + n > MAX_WINDOW_WORDS):
            out.append([])
            words = 0
        out[-1].append(c)
        words += n
    return [w for w in out if w]


def _statements(draft: ProfileDraft, inputs: ExtractProfileInput, chunks: dict[str, Chunk],
                participant: Participant) -> tuple[list[Statement], int]:
    """The draft's statements that pass every check, and how many did not."""
    rating = rating_of(inputs.attributes)
    by_n = {e.n: e for e in inputs.evidence}
    items = [(WHO, w.text, w.role, w.citations) for w in draft.who]
    items += [(s.section, s.text, "", s.citations) for s in draft.statements]
    checked = []
    for section, text, role, refs in items:
        ref = next((r for r in refs if r.n in by_n), None)
        if ref is None:
            continue
        chunk = chunks[by_n[ref.n].chunk_id]
        cite = verify_citation(Citation(chunk_id=chunk.id, quote=ref.quote), {chunk.id: chunk}, [participant.id])
        if cite.verdict == Verdict.verified and substance(cite.quote, study_language=inputs.study_language) is None:
            checked.append((section, text, role, cite, chunk.kind))
    said = stances([c[3].quote for c in checked], [rating] * len(checked))  # one batch
    out = [Statement(participant_id=participant.id, kind=kind, section=section, text=" ".join(text.split()),
                     stance=stance, role=" ".join(role.split()), citation=cite)
           for (section, text, role, cite, kind), stance in zip(checked, said, strict=True)
           if section == WHO or agrees_with(section, cite.quote, stance)]
    return out, len(items) - len(out)


def extract_profiles(
    store: Store,
    participants: dict[str, Participant],
    chunks: Sequence[Chunk],
    llm: LLM,
    advance: Callable[[int], None] | None = None,
) -> ProfileRun:
    """A profile for every participant with speech, extracted where its inputs changed, stored, returned.

    chunks: participant speech only. advance: called with the number of participants just profiled.
    """
    speech: dict[str, list[Chunk]] = defaultdict(list)
    for c in sorted(chunks, key=lambda c: (c.document_id, c.start)):
        if c.participant_id in participants:
            speech[c.participant_id].append(c)
    language = study_language(c.text for c in chunks)
    prompt = load_prompt("extract_profile")
    extractor = f"rules-{RULES_VERSION}" if llm.model.extractive else prompt.sha256
    stored = load_profiles(store)
    docs: dict[str, Document | None] = {}

    profiles: dict[str, ParticipantProfile] = {}
    pending: list[tuple[ParticipantProfile, list[ExtractProfileInput]]] = []
    set_aside: Counter[str] = Counter()
    for pid in sorted(speech):
        person = participants[pid]
        own = speech[pid]
        for c in own:
            docs.setdefault(c.document_id, store.document(c.document_id))
        own_docs = [docs[d] for d in dict.fromkeys(c.document_id for c in own)]
        attributes = participant_attributes(person, [d for d in own_docs if d is not None])
        reasons = Counter(r for c in own for _, r in sentence_parts(c.text, language))
        substantive = [c for c in own if any(r is None for _, r in sentence_parts(c.text, language))]
        skipped = {r: n for r, n in reasons.items() if r is not None}
        set_aside.update(skipped)
        fingerprint = stable_id("prof", llm.model_id, extractor, language, sorted(attributes.items()),
                                [c.id for c in substantive], length=16)
        old = stored.get(pid)
        if old is not None and old.fingerprint == fingerprint:
            profiles[pid] = old
            continue
        profile = ParticipantProfile(participant_id=pid, label=person.label, kind=person.kind, attributes=attributes,
                                     sentences=reasons.get(None, 0), set_aside=skipped, fingerprint=fingerprint)
        inputs = [ExtractProfileInput(participant=person.label, kind=person.kind.value, attributes=attributes,
                                      evidence=Evidence.from_chunks(window), study_language=language)
                  for window in _windows(substantive)]
        pending.append((profile, inputs))
    if advance and profiles:
        advance(len(profiles))

    by_id = {c.id: c for c in chunks}
    fell_back: list[str] = []

    def one(item: tuple[ParticipantProfile, list[ExtractProfileInput]]) -> ParticipantProfile:
        profile, inputs = item
        statements: list[Statement] = []
        dropped = 0
        prov: dict = {}
        for window in inputs:
            try:
                draft, provenance = run_task("extract_profile", window, llm)
                prov = provenance.model_dump(mode="json")
            except StructuredOutputError as exc:
                draft = _lenient(exc.last_output)  # a profile with a few bad quotes: the checks below drop them
                prov = {"task": "extract_profile", "prompt_sha256": prompt.sha256, "model_id": llm.model_id,
                        "problems": exc.errors[:10]}
                if draft is None:  # no profile at all: the rules stand in, and the notes say so
                    draft = extract_profile_offline(window)
                    prov = {"task": "extract_profile", "model_id": "offline", "fallback_from": llm.model_id}
                    fell_back.append(profile.participant_id)
            kept, lost = _statements(draft, window, by_id, participants[profile.participant_id])
            statements += kept
            dropped += lost
        seen: set[tuple[str, str]] = set()
        unique = []
        for s in statements:
            if (s.section, s.citation.quote) not in seen:
                seen.add((s.section, s.citation.quote))
                unique.append(s)
        if advance:
            advance(1)
        return profile.model_copy(update={"statements": unique, "dropped": dropped, "provenance": prov})

    for done in llm.map(one, pending):
        profiles[done.participant_id] = done
    if pending:
        save_profiles(store, profiles.values())
    return ProfileRun(profiles=profiles, extracted=len(pending), fell_back=sorted(set(fell_back)),
                      set_aside=dict(set_aside.most_common()), language=language)
