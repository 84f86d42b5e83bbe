"""Draft one persona per segment: the `draft_persona` task over the segment's counted statement groups
(synth.profiles.aggregate) and an evidence pack, and the mapping to a Persona with prevalence on every claim.

The evidence holds first the chunks the groups cite, then, for each of the segment's leading themes,
the segment's participant chunks nearest that theme's centre, spread across distinct participants.
A drafted claim that names its groups counts the participants they count ("9 of 14"); one that names
none counts its verified cited participants.
A draft that fails the LLM layer's citation check even after re-asking is not thrown away: it is
read leniently and kept, so verification can flag every bad citation for review.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field, ValidationError, model_validator

from synth.llm import (
    FACETS, LLM, DraftPersonaInput, Evidence, QuoteRef, StructuredOutputError, ThemeRef, load_prompt, run_task,
)
from synth.llm.schemas import GroupRef
from synth.llm.structured import extract_json
from synth.profiles.records import SegmentAggregate
from synth.records import Chunk, Citation, Claim, Persona, Prevalence, Segment, Theme, Verdict, stable_id

MAX_EVIDENCE = 40
LEADING_THEMES = 6
MIN_QUOTES = 3  # signature quotes a persona should carry (the drafter may give fewer)
MIN_WORDS = 4  # shorter chunks ("Yeah, exactly.") say nothing a persona could cite
SECTIONS = ("narrative", *FACETS, "quotes")
_FACET_ALIASES = {"behaviors": "behaviours", "behavior": "behaviours", "behaviour": "behaviours", "goal": "goals",
                  "frustration": "frustrations", "motivation": "motivations", "need": "needs"}


def leading_themes(segment: Segment, themes: dict[str, Theme], limit: int = LEADING_THEMES) -> list[Theme]:
    return [themes[t] for t in segment.theme_ids if t in themes][:limit]


def _by_centrality(candidates: list[Chunk], vectors: dict[str, np.ndarray]) -> list[Chunk]:
    """Candidates nearest their own centroid first (ties and chunks without vectors by id)."""
    with_vec = [c for c in candidates if c.id in vectors]
    if not with_vec:
        return sorted(candidates, key=lambda c: c.id)
    mat = np.array([vectors[c.id] for c in with_vec], dtype=np.float64)
    centre = mat.mean(axis=0)
    sims = mat @ centre / (np.linalg.norm(mat, axis=1) * (np.linalg.norm(centre) or 1.0) + 1e-12)
    ranked = [c for _, c in sorted(zip(-sims, with_vec, strict=True), key=lambda x: (round(float(x[0]), 6), x[1].id))]
    return ranked + sorted((c for c in candidates if c.id not in vectors), key=lambda c: c.id)


def evidence_pack(
    segment: Segment,
    themes: Sequence[Theme],
    chunks: dict[str, Chunk],
    vectors: dict[str, np.ndarray],
    cap: int = MAX_EVIDENCE,
) -> list[Chunk]:
    """The segment's most representative chunks per leading theme, spread across participants, capped."""
    members = set(segment.participant_ids)
    own = {cid: c for cid, c in chunks.items() if c.participant_id in members and len(c.text.split()) >= MIN_WORDS}
    ranked = [_by_centrality([own[cid] for cid in t.chunk_ids if cid in own], vectors) for t in themes]
    quota = max(3, cap // max(1, len(ranked))) if ranked else 0
    picked: list[Chunk] = []
    per_theme = [0] * len(ranked)
    seen_chunks: set[str] = set()
    seen_people: set[str | None] = set()
    for distinct in (True, False):  # first one chunk per participant, then repeats
        progress = True
        while progress and len(picked) < cap:
            progress = False
            for t, candidates in enumerate(ranked):
                if per_theme[t] >= quota or len(picked) >= cap:
                    continue
                pick = next((c for c in candidates if c.id not in seen_chunks
                             and not (distinct and c.participant_id in seen_people)), None)
                if pick is not None:
                    picked.append(pick)
                    per_theme[t] += 1
                    seen_chunks.add(pick.id)
                    seen_people.add(pick.participant_id)
                    progress = True
    if len(picked) < cap:  # few themed chunks: the segment's most central remaining speech
        rest = _by_centrality([c for c in own.values() if c.id not in seen_chunks], vectors)
        for distinct in (True, False):
            for c in rest:
                if len(picked) >= cap:
                    break
                if c.id in seen_chunks or (distinct and c.participant_id in seen_people):
                    continue
                picked.append(c)
                seen_chunks.add(c.id)
                seen_people.add(c.participant_id)
    return picked


def segment_summary(segment: Segment, themes: Sequence[Theme]) -> str:
    """What the drafter is told about the segment: counts and themes, nothing it could mistake for facts."""
    a = segment.attributes
    kinds = a.get("kinds", {})
    words = {"interview": "interviewees", "review": "review authors", "social": "social-media posters",
             "document": "document authors", "ticket": "support customers", "survey": "survey respondents"}
    mix = ", ".join(f"{n} {words.get(k, k)}" for k, n in kinds.items())
    parts = [f"{len(segment.participant_ids)} participants ({mix})." if mix else
             f"{len(segment.participant_ids)} participants."]
    if "mean_rating" in a:
        parts.append(f"Mean star rating {a['mean_rating']} over {a.get('rated', 0)} rated reviews.")
    if themes:
        parts.append("They talk more than others about: " + "; ".join(t.label for t in themes) + ".")
    return " ".join(parts)


def draft_input(
    segment: Segment, themes: Sequence[Theme], evidence: Sequence[Chunk], aggregate: SegmentAggregate | None = None,
    name: str = "", chunks: dict[str, Chunk] | None = None,
) -> DraftPersonaInput:
    """The drafter's input: the segment, its themes, its counted statement groups (the chunks they cite come
    first in the evidence) and a name chosen from the data."""
    cited: list[Chunk] = []
    if aggregate is not None and chunks is not None:
        ids = dict.fromkeys(c.chunk_id for claim in aggregate.claims for c in claim.citations)
        cited = [chunks[i] for i in ids if i in chunks]
    seen = {c.id for c in cited}
    room = max(MAX_EVIDENCE - len(cited), 0)
    numbered = Evidence.from_chunks([*cited, *[c for c in evidence if c.id not in seen][:room]])
    n_of = {e.chunk_id: e.n for e in numbered}
    groups = []
    if aggregate is not None:
        for claim in aggregate.claims:
            refs = [QuoteRef(n=n_of[c.chunk_id], quote=c.quote) for c in claim.citations if c.chunk_id in n_of]
            groups.append(GroupRef(n=len(groups) + 1, section=claim.section, shape=claim.shape, text=claim.text,
                                   count=claim.prevalence.count, of=claim.prevalence.of, base=claim.prevalence.base,
                                   citations=refs))
    return DraftPersonaInput(
        segment_summary=segment_summary(segment, themes),
        themes=[ThemeRef(label=t.label, keywords=t.keywords[:8]) for t in themes],
        evidence=numbered, groups=groups, name=name,
    )


# Drafting ---------------------------------------------------------------------------------------
class LooseRef(BaseModel):
    n: int | None = None
    quote: str = ""


class LooseClaim(BaseModel):
    text: str = ""
    citations: list[LooseRef] = Field(default_factory=list)
    groups: list[int] = Field(default_factory=list)


class LooseDraft(BaseModel):
    """A persona draft read without the citation rules, so bad citations reach verification and get flagged."""

    name: str = Field(min_length=1)
    summary: str = ""
    narrative: list[LooseClaim] = Field(default_factory=list)
    sections: dict[str, list[LooseClaim]] = Field(default_factory=dict)
    quotes: list[LooseRef] = Field(default_factory=list)

    @model_validator(mode="after")
    def _has_content(self) -> "LooseDraft":
        if not (self.narrative or any(self.sections.values()) or self.quotes):
            raise ValueError("a persona draft needs a narrative, sections or quotes")
        return self


class EmptyDraft(Exception):
    """The drafter found nothing to say for a segment: no narrative, no claims and no quotes."""


def draft(inputs: DraftPersonaInput, llm: LLM) -> tuple[LooseDraft, dict]:
    """The draft and its provenance. A draft whose citations never passed the layer's check is kept, with
    the problems recorded in provenance; a valid but empty draft raises EmptyDraft; a reply that is not a
    persona at all raises StructuredOutputError."""
    try:
        out, prov = run_task("draft_persona", inputs, llm)
        if not (out.narrative or any(out.sections.values()) or out.quotes):
            raise EmptyDraft(f"the drafter found nothing to say in {len(inputs.evidence)} evidence passage(s)")
        return LooseDraft.model_validate(out.model_dump()), prov.model_dump(mode="json")
    except StructuredOutputError as exc:
        try:
            loose = LooseDraft.model_validate(json.loads(extract_json(exc.last_output)))
        except (ValidationError, ValueError):
            raise exc from None
        prompt = load_prompt("draft_persona")
        prov = {"task": "draft_persona", "prompt": prompt.name, "prompt_version": prompt.version,
                "prompt_sha256": prompt.sha256, "model_id": llm.model_id, "run_id": llm.run_id,
                "draft_problems": exc.errors[:20]}
        return loose, prov


def _citation(ref: LooseRef, evidence: dict[int, Evidence]) -> Citation:
    ev = evidence.get(ref.n) if ref.n is not None else None
    # An evidence number that does not exist cites a chunk that does not exist: verification says so.
    return Citation(chunk_id=ev.chunk_id if ev else f"evidence-{ref.n}", quote=ref.quote)


def _prevalence(groups: list[int], segment: Segment, aggregate: SegmentAggregate | None) -> Prevalence:
    """Whom a drafted claim speaks for: the participants its statement groups count; else (no group named, a
    signature quote) its cited participants, counted when verification has checked them."""
    size = len(segment.participant_ids)
    found = aggregate.claims if aggregate is not None else []
    picked = [found[g - 1] for g in dict.fromkeys(groups) if 1 <= g <= len(found)]
    if not picked:
        return Prevalence(of=size, base="cited")
    ids = sorted(set().union(*(c.prevalence.participant_ids for c in picked)))
    if len(picked) == 1:
        return picked[0].prevalence.model_copy(update={"participant_ids": ids})
    return Prevalence(of=size, participant_ids=ids)


def to_persona(
    loose: LooseDraft, evidence: Sequence[Evidence], segment: Segment, provenance: dict,
    aggregate: SegmentAggregate | None = None,
) -> Persona:
    """A Persona with unverified claims: narrative sentences, facet claims and signature quotes, each with the
    prevalence of the statement groups it states."""
    by_n = {e.n: e for e in evidence}
    claims: list[Claim] = []

    def add(section: str, text: str, refs: list[LooseRef], groups: list[int] = ()) -> None:
        text = " ".join(text.split())
        if text:
            prevalence = _prevalence(list(groups), segment, aggregate)
            claims.append(Claim(section=section, text=text, citations=[_citation(r, by_n) for r in refs],
                                support_count=prevalence.count, prevalence=prevalence))

    for sentence in loose.narrative:
        add("narrative", sentence.text, sentence.citations, sentence.groups)
    for facet, items in loose.sections.items():
        section = _FACET_ALIASES.get(facet.strip().lower(), facet.strip().lower())
        for item in items:
            add(section, item.text, item.citations, item.groups)
    for ref in loose.quotes:
        add("quotes", ref.quote, [ref])
    order = {s: i for i, s in enumerate(SECTIONS)}
    claims.sort(key=lambda c: order.get(c.section, len(order)))  # stable: keeps the draft's order within a section
    seen: dict[str, int] = {}
    for claim in claims:  # the same text twice in a section still needs two ids for review decisions
        seen[claim.id] = seen.get(claim.id, 0) + 1
        if seen[claim.id] > 1:
            claim.id = stable_id("clm", claim.section, claim.text, seen[claim.id], length=12)
    return Persona(
        id=stable_id("persona", segment.id, length=12),
        name=" ".join(loose.name.split()) or "Unnamed persona",
        summary=" ".join(loose.summary.split()),
        segment_id=segment.id,
        claims=claims,
        provenance={**provenance, "evidence": [e.chunk_id for e in evidence]},
    )



def top_up_quotes(persona: Persona) -> Persona:
    """Signature quotes up to MIN_QUOTES, taken from the persona's own verified citations of participants not
    quoted yet: words already checked against the source, never new text."""
    quotes = [c for c in persona.claims if c.section == "quotes"]
    if len(quotes) >= MIN_QUOTES:
        return persona
    quoted = {c.participant_id for q in quotes for c in q.citations if c.verdict == Verdict.verified}
    size = next((c.prevalence.of for c in persona.claims if c.prevalence and c.prevalence.base != "described"), 0)
    texts = {" ".join(q.text.split()) for q in quotes}
    added: list[Claim] = []
    for claim in persona.claims:
        for cite in claim.citations:
            text = " ".join(cite.quote.split())
            if len(quotes) + len(added) >= MIN_QUOTES:
                break
            if cite.verdict != Verdict.verified or cite.participant_id in quoted or text in texts:
                continue
            if not 6 <= len(text.split()) <= 40:
                continue
            prevalence = Prevalence(of=size, participant_ids=[cite.participant_id], base="cited")
            added.append(Claim(section="quotes", text=text, citations=[cite], support_count=1, prevalence=prevalence,
                               verdict=Verdict.supported, score=1.0))
            quoted.add(cite.participant_id)
            texts.add(text)
    if not added:
        return persona
    provenance = {**persona.provenance, "quotes_added": len(added)}
    return persona.model_copy(update={"claims": [*persona.claims, *added], "provenance": provenance})
