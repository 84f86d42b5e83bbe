"""The offline `draft_persona`: a persona written from its segment's counted statement groups.

With groups (the personas stage aggregates every participant's profile, synth.profiles), each group
becomes one claim in its section citing the group's quotes, the narrative retells the largest groups
with their counts, and the signature quotes come from different participants, interviews first.
Called with evidence alone, it profiles the evidence's participants with the same rules and groups
their statements by shared words, so the task stands on its own.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import numpy as np

from synth.extractive.profile import extract_profile_offline
from synth.extractive.wording import counted
from synth.llm.schemas import (
    FACETS, CitedSentence, DraftClaim, DraftPersonaInput, Evidence, ExtractProfileInput, GroupRef, PersonaDraft,
    QuoteRef,
)
from synth.llm.text import content_stems, lower_first, split_sentences

MAX_QUOTES = 3
NARRATIVE = ("context", "behaviours", "goals", "frustrations", "needs", "motivations")
LEXICAL_DIMENSIONS = 512


def lexical_vectors(texts: list[str]) -> np.ndarray:
    """Bag-of-stems feature hashing: the stand-in for an embedder when the task runs on evidence alone."""
    out = np.zeros((len(texts), LEXICAL_DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for s in content_stems(text):
            out[row, int(hashlib.blake2b(s.encode(), digest_size=4).hexdigest(), 16) % LEXICAL_DIMENSIONS] += 1.0
    return out


def groups_from_evidence(evidence: list[Evidence]) -> list[GroupRef]:
    """Counted statement groups over the evidence's own participants (profiled by the offline rules)."""
    from synth.profiles.aggregate import TextVectors, aggregate_segment
    from synth.profiles.records import ParticipantProfile, Statement
    from synth.records import Citation, Kind, Segment

    by_person: dict[str, list[Evidence]] = defaultdict(list)
    for e in evidence:
        by_person[e.participant_id or e.speaker or f"n{e.n}"].append(e)
    profiles = {}
    for who, own in by_person.items():
        draft = extract_profile_offline(ExtractProfileInput(participant=who, kind="document", evidence=own))
        items = [("who", w.text, w.role, w.citations[0]) for w in draft.who]
        items += [(s.section, s.text, "", s.citations[0]) for s in draft.statements]
        by_n = {e.n: e for e in own}
        statements = [Statement(participant_id=who, kind=Kind.document, section=section, text=text, role=role,
                                stance=next((s.stance for s in draft.statements if s.citations[0] == ref), "neutral"),
                                citation=Citation(chunk_id=by_n[ref.n].chunk_id, quote=ref.quote, participant_id=who))
                      for section, text, role, ref in items]
        profiles[who] = ParticipantProfile(participant_id=who, label=who, kind=Kind.document, statements=statements)
    segment = Segment(id="evidence", participant_ids=sorted(by_person))
    aggregate = aggregate_segment(segment, profiles, TextVectors(lexical_vectors))
    n_of = {e.chunk_id: e.n for e in evidence}
    return [GroupRef(n=i, section=c.section, shape=c.shape, text=c.text, count=c.prevalence.count,
                     of=c.prevalence.of, base=c.prevalence.base,
                     citations=[QuoteRef(n=n_of[x.chunk_id], quote=x.quote) for x in c.citations])
            for i, c in enumerate(aggregate.claims, 1)]


def _fallback_name(inputs: DraftPersonaInput) -> str:
    """A name when the stage gave none: a first name fixed by the evidence, and the segment's leading theme."""
    from synth.profiles.naming import first_names

    key = "\x1f".join([inputs.segment_summary, *(t.label for t in inputs.themes)])  # the segment, not its evidence
    first = first_names([key], avoid={w for e in inputs.evidence for w in e.speaker.split()})[0]
    return f"{first}, on {lower_first(inputs.themes[0].label)}" if inputs.themes else first


def _summary(inputs: DraftPersonaInput, groups: list[GroupRef]) -> str:
    head = split_sentences(inputs.segment_summary)[0].rstrip(".") if inputs.segment_summary.strip() else ""
    shared = [g for g in groups if g.section != "context" and g.shape == "shared"][:2]
    said = "; ".join(counted(g.count, g.of, g.text) for g in shared)
    if head and said:
        return f"{head}: {said}."
    return (head or said or "Speaks for the participants of this segment") + "."


def draft_persona_offline(inputs: DraftPersonaInput) -> PersonaDraft:
    """A complete persona draft: one claim per counted group, a narrative of the largest, signature quotes."""
    groups = list(inputs.groups) or groups_from_evidence(inputs.evidence)
    sections: dict[str, list[DraftClaim]] = {f: [] for f in FACETS}
    for g in groups:
        if g.citations and g.section in sections:
            sections[g.section].append(DraftClaim(text=g.text, citations=list(g.citations), groups=[g.n]))
    name = inputs.name or _fallback_name(inputs)
    first = name.split(",")[0].strip()

    # The narrative retells the largest shared groups (one per section), in the order a story goes.
    tellable = [g for g in groups if g.shape == "shared" and g.base == "segment" and g.citations
                and g.section in NARRATIVE and not g.text.startswith(("Says:", "Asks:"))]
    largest: dict[str, GroupRef] = {}
    for g in sorted(tellable, key=lambda g: -g.count):
        largest.setdefault(g.section, g)
    told = sorted(sorted(largest.values(), key=lambda g: -g.count)[:4], key=lambda g: NARRATIVE.index(g.section))
    narrative = [CitedSentence(text=f"{first} {lower_first(g.text)}".rstrip(".") + f" ({g.count} of {g.of}).",
                               citations=[g.citations[0]], groups=[g.n]) for g in told]

    participant = {e.n: e.participant_id or e.speaker or str(e.n) for e in inputs.evidence}
    quotes: list[QuoteRef] = []
    seen: set[str] = set()
    for g in sorted(groups, key=lambda g: -g.count):
        for ref in g.citations:
            who = participant.get(ref.n, str(ref.n))
            if who in seen or not 6 <= len(ref.quote.split()) <= 40 or len(quotes) >= MAX_QUOTES:
                continue
            quotes.append(ref)
            seen.add(who)
            break
    return PersonaDraft(name=name, summary=_summary(inputs, groups), narrative=narrative,
                        sections=sections, quotes=quotes)
