"""Persona figures: how much of a persona holds up, how much of its segment it speaks for, how distinct it is."""

from __future__ import annotations

import re
from collections.abc import Sequence

from synth.personas.verify import LOCATED
from synth.records import Kind, Persona, Segment, Theme, Verdict

_WORD = re.compile(r"[a-z0-9']+")
_STOP = frozenset("""a an the and or but of to in on for with at by from as is are was were be been it its this that
these those they them their he she his her i me my we our you your not no so than then there here who what when
where which how very just also about into over more most some any all each persona""".split())


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 3) if den else None


def verified_chunks(persona: Persona) -> set[str]:
    return {c.chunk_id for claim in persona.claims for c in claim.citations if c.verdict == Verdict.verified}


def claim_words(persona: Persona) -> set[str]:
    return {w for claim in persona.claims if claim.section != "quotes"
            for w in _WORD.findall(claim.text.lower()) if w not in _STOP and len(w) > 2}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def claims_by_kind(persona: Persona, kinds: dict[str, Kind]) -> dict[str, float]:
    """Share of the persona's claims citing each source kind (a verified quote of an interviewee, a review ...)."""
    claims = [c for c in persona.claims if c.citations]
    counts: dict[str, int] = {}
    for claim in claims:
        for kind in {kinds[c.participant_id].value for c in claim.citations
                     if c.verdict == Verdict.verified and c.participant_id in kinds}:
            counts[kind] = counts.get(kind, 0) + 1
    order = [k.value for k in Kind]
    return {k: round(counts[k] / len(claims), 3) for k in sorted(counts, key=order.index)}


def persona_figures(
    persona: Persona, segment: Segment, themes: dict[str, Theme], others: Sequence[Persona] = (), leading: int = 6,
    kinds: dict[str, Kind] | None = None,
) -> dict:
    """Claims supported, citations verbatim and verified, participants cited and counted, themes covered, overlap
    with others, and (given each participant's source kind) the share of claims citing each kind."""
    claims = persona.claims
    citations = [c for claim in claims for c in claim.citations]
    verified = [c for c in citations if c.verdict == Verdict.verified]
    supported = [c for c in claims if c.verdict == Verdict.supported]
    people = {c.participant_id for c in verified if c.participant_id}
    members = set(segment.participant_ids)
    counted = {p for c in claims if c.prevalence and c.support_count for p in c.prevalence.participant_ids}
    cited = {c.chunk_id for c in verified}
    lead = [t for t in segment.theme_ids if t in themes][:leading]
    covered = [t for t in lead if cited & set(themes[t].chunk_ids)]
    overlap, closest = 0.0, None
    words = claim_words(persona)
    for other in others:
        if other.id == persona.id:
            continue
        score = max(_jaccard(cited, verified_chunks(other)), _jaccard(words, claim_words(other)))
        if score > overlap:
            overlap, closest = score, other.name
    return {
        "claims_total": len(claims),
        "claims_supported": len(supported),
        "claims_supported_share": _ratio(len(supported), len(claims)),
        "claims_flagged": sum(1 for c in claims if c.flags or c.verdict != Verdict.supported),
        "citations_total": len(citations),
        "citations_verified": len(verified),
        "citations_verified_share": _ratio(len(verified), len(citations)),
        "citations_verbatim": sum(1 for c in citations if c.verdict in LOCATED),
        "citations_verbatim_share": _ratio(sum(1 for c in citations if c.verdict in LOCATED), len(citations)),
        "participants_cited": len(people),
        "segment_size": len(segment.participant_ids),
        "participants_covered": _ratio(len(people), len(segment.participant_ids)),
        "participants_counted": _ratio(len(counted & members), len(segment.participant_ids)),
        "claims_with_prevalence": _ratio(sum(1 for c in claims if c.prevalence and c.prevalence.of), len(claims)),
        "claims_by_kind": claims_by_kind(persona, kinds or {}),
        "themes_leading": lead,
        "themes_cited": covered,
        "themes_covered": _ratio(len(covered), len(lead)),
        "overlap_with_others": round(overlap, 3),
        "closest_persona": closest,
        "thin": thin_reason(segment, len(verified)),
    }


def thin_reason(segment: Segment, citations_verified: int) -> str | None:
    """Why a persona stands on thin evidence (None when it does not): a reader should weigh it accordingly."""
    if citations_verified == 0:
        return "no verified citation"
    if len(segment.participant_ids) == 1:
        return "one participant"
    if len(segment.participant_ids) - segment.attributes.get("unquotable", 0) == 1:
        return "one quotable participant"
    return None
