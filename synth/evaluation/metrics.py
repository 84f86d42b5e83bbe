"""Pure metric functions over records: re-verified citations, coverage, overlap and counter-evidence."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from synth.evaluation.judge import contradicting_sentences
from synth.evaluation.report import CitationCheck, CounterEvidence
from synth.llm.offline import CLAIM_FRAME
from synth.llm.text import content_stems, jaccard
from synth.records import Chunk, Claim, Document, Persona, Role, Theme, Verdict
from synth.verify import reverify

VERBATIM = frozenset(Verdict) - {Verdict.fabricated, Verdict.missing_source, Verdict.unverified}
MAX_CANDIDATES = 25  # chunks read per claim when looking for counter-evidence
MAX_COUNTER = 3  # contradicting sentences reported per claim
LEADING_THEMES = 5  # a segment's leading themes, for theme coverage


def ratio(num: int | float, den: int | float) -> float | None:
    return round(num / den, 4) if den else None


def recheck(
    claim: Claim,
    chunks: dict[str, Chunk],
    segment_participants: Iterable[str] | None,
    documents: Mapping[str, Document | None] | None = None,
) -> list[CitationCheck]:
    """Every citation of the claim re-verified against the store, never trusting its stored verdict.

    `documents` lets an interviewer's words that the draft pointed at their turn be recognized as
    real (verbatim) words again; `reverify` can never make such a citation verified.
    """
    members = set(segment_participants) if segment_participants is not None else None
    out = []
    for citation in claim.citations:
        fresh = reverify(citation, chunks, documents or {}, members)
        out.append(CitationCheck(
            claim_id=claim.id, chunk_id=citation.chunk_id, quote=citation.quote, participant_id=fresh.participant_id,
            stored_verdict=citation.verdict, verdict=fresh.verdict, verbatim=fresh.verdict in VERBATIM,
        ))
    return out


def fidelity(checks: Sequence[CitationCheck]) -> dict[str, float | None]:
    """Quote fidelity (verbatim / all), the verified rate, and the verified-display fidelity."""
    shown = [c for c in checks if c.stored_verdict == Verdict.verified]
    return {
        "quote_fidelity": ratio(sum(c.verbatim for c in checks), len(checks)),
        "verified_rate": ratio(sum(c.verdict == Verdict.verified for c in checks), len(checks)),
        "verified_display_fidelity": ratio(sum(c.verdict == Verdict.verified for c in shown), len(shown)),
    }


def tampered(checks: Sequence[CitationCheck]) -> list[CitationCheck]:
    """Citations stored as verified that do not re-verify: shown to people as evidence they are not."""
    return [c for c in checks if c.stored_verdict == Verdict.verified and c.verdict != Verdict.verified]


def segment_coverage(checks: Sequence[CitationCheck], participants: Sequence[str]) -> tuple[float | None, int]:
    """Share of the segment's participants cited by at least one verified citation, and how many were."""
    members = set(participants)
    cited = {c.participant_id for c in checks if c.verdict == Verdict.verified and c.participant_id in members}
    return ratio(len(cited), len(members)), len(cited)


def theme_chunk_counts(checks: Sequence[CitationCheck], themes: Sequence[Theme]) -> dict[str, int]:
    """Theme id -> distinct verified cited chunks that belong to it (the heatmap's cells)."""
    cited = {c.chunk_id for c in checks if c.verdict == Verdict.verified}
    return {t.id: len(cited & set(t.chunk_ids)) for t in themes}


def theme_coverage(counts: dict[str, int], leading: Sequence[str]) -> tuple[float | None, list[str]]:
    """Share of the leading themes with at least one verified cited chunk, and which ones."""
    covered = [t for t in leading if counts.get(t, 0) > 0]
    return ratio(len(covered), len(leading)), covered


def claim_tokens(persona: Persona) -> set[str]:
    return {s for c in persona.claims for s in content_stems(c.text, CLAIM_FRAME)}


def cited_chunks(checks: Sequence[CitationCheck]) -> set[str]:
    return {c.chunk_id for c in checks if c.verbatim}


def overlaps(
    chunk_sets: dict[str, set[str]], token_sets: dict[str, set[str]]
) -> dict[str, dict[str, dict[str, float]]]:
    """Pairwise overlap between personas: Jaccard of cited chunks, of claim tokens, and their mean."""
    out: dict[str, dict[str, dict[str, float]]] = {k: {} for k in chunk_sets}
    for a, b in combinations(chunk_sets, 2):
        chunk = jaccard(chunk_sets[a], chunk_sets[b])
        token = jaccard(token_sets[a], token_sets[b])
        pair = {"chunks": round(chunk, 4), "claims": round(token, 4), "overlap": round((chunk + token) / 2, 4)}
        out[a][b] = out[b][a] = pair
    return out


def distinctiveness(pairs: dict[str, dict[str, float]]) -> dict[str, float | None]:
    """1 - mean overlap with the other personas, and the two mean overlaps it comes from."""
    if not pairs:
        return {"distinctiveness": None, "chunk_overlap": None, "claim_overlap": None}
    n = len(pairs)
    return {
        "distinctiveness": round(1 - sum(p["overlap"] for p in pairs.values()) / n, 4),
        "chunk_overlap": round(sum(p["chunks"] for p in pairs.values()) / n, 4),
        "claim_overlap": round(sum(p["claims"] for p in pairs.values()) / n, 4),
    }


class EvidencePool:
    """The segment's participant chunks with their content stems, for lexical retrieval."""

    def __init__(self, chunks: Iterable[Chunk]):
        self.chunks = [c for c in chunks if c.role == Role.participant and c.participant_id]
        self.stems = [set(content_stems(c.text)) for c in self.chunks]

    def retrieve(self, claim: str, exclude: set[str], limit: int = MAX_CANDIDATES) -> list[Chunk]:
        """Chunks sharing the most claim keywords (at least two), best first."""
        keys = set(content_stems(claim, CLAIM_FRAME))
        if len(keys) < 2:
            return []
        scored = [(len(keys & s), i) for i, s in enumerate(self.stems) if self.chunks[i].id not in exclude]
        scored = [(n, i) for n, i in scored if n >= 2]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [self.chunks[i] for _, i in scored[:limit]]


def counter_evidence(claim: Claim, pool: EvidencePool, limit: int = MAX_COUNTER) -> list[CounterEvidence]:
    """Up to `limit` sentences by the segment's participants that contradict the claim."""
    found: list[CounterEvidence] = []
    cited = {c.chunk_id for c in claim.citations}
    for chunk in pool.retrieve(claim.text, cited):
        for sentence, reason in contradicting_sentences(claim.text, chunk.text):
            found.append(CounterEvidence(claim_id=claim.id, chunk_id=chunk.id, participant_id=chunk.participant_id,
                                         quote=sentence, reason=reason))
            if len(found) >= limit:
                return found
    return found
