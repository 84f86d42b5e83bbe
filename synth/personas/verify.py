"""Verify a persona: every citation against its source, every claim against its verified quotes.

A citation keeps the verdict `synth.verify.verify_citation` gives it for the chunk it cites. When
the quote is not in that chunk, we look for where the words really are, only to say more about
the failure: another segment's participant (`out_of_segment`, re-pointed at the chunk that holds
the words so any view opens them in context), the interviewer (`interviewer`, with the span of the
interviewer's turn), or nowhere (`fabricated`). Nothing found elsewhere ever turns into `verified`.

A claim is `supported` only when the judge (the configured LLM, or the offline lexical judge)
finds its verified quotes support it; a claim without a verified quote is unsupported by
construction. Flagged items are kept, with human-readable flags, never dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from synth.llm import LLM, JudgeSupportInput, run_tasks
from synth.personas.store import chunks_of_documents
from synth.records import Chunk, Citation, Claim, Document, Kind, Persona, Role, Segment, Verdict
from synth.store import Store
from synth.verify import locate_quote, normalize, verify_citation

# Human-readable flags, one per failure; views and tests look for these words.
FLAG_FABRICATED = "quote not found in source"
FLAG_ELSEWHERE = "quote not found in the cited passage (the words are in another passage of this segment)"
FLAG_INTERVIEWER = "quote from interviewer"
FLAG_OUT_OF_SEGMENT = "quote from outside this segment"
FLAG_MISSING = "cited chunk does not exist"
FLAG_NO_CITATION = "no citation"
FLAG_NO_VERIFIED = "no verified citation"
FLAG_UNSUPPORTED = "quotes don't support the claim"
OWN_FLAGS = (FLAG_FABRICATED, FLAG_ELSEWHERE, FLAG_INTERVIEWER, FLAG_OUT_OF_SEGMENT, FLAG_MISSING,
             FLAG_NO_CITATION, FLAG_NO_VERIFIED, FLAG_UNSUPPORTED)
CITATION_FLAGS = {Verdict.fabricated: FLAG_FABRICATED, Verdict.interviewer: FLAG_INTERVIEWER,
                  Verdict.out_of_segment: FLAG_OUT_OF_SEGMENT, Verdict.missing_source: FLAG_MISSING}
# Real words whose span in a document is known (shown highlighted in context, never as verified).
LOCATED = frozenset({Verdict.verified, Verdict.out_of_segment, Verdict.interviewer})


@dataclass(frozen=True)
class Found:
    """Where a quote's words really are: a document span, and the chunk holding it (None: not a participant's)."""

    document: Document
    start: int
    end: int
    chunk: Chunk | None
    role: Role


class QuoteLocator:
    """Finds a quote anywhere in the workspace's documents; built lazily, once per verification run."""

    def __init__(self, store: Store):
        self.store = store
        self._docs: dict[str, tuple[Document, str]] | None = None

    def _index(self) -> dict[str, tuple[Document, str]]:
        if self._docs is None:
            docs = (self.store.document(d) for d in self.store.document_ids())
            self._docs = {d.id: (d, normalize(d.text)) for d in docs if d is not None}
        return self._docs

    def find(self, quote: str, prefer: Iterable[str] = ()) -> Found | None:
        """The first place the quote occurs, looking in `prefer`red documents first."""
        needle = normalize(quote).strip(" \"'")
        if len(needle) < 3:
            return None
        index = self._index()
        order = list(dict.fromkeys([*[d for d in prefer if d in index], *index]))
        for doc_id in order:
            doc, hay = index[doc_id]
            if needle not in hay:
                continue
            span = locate_quote(quote, doc.text)
            if span is None:
                continue
            return self._resolve(doc, *span)
        return None

    def _resolve(self, doc: Document, start: int, end: int) -> Found:
        turn = next((t for t in doc.turns if t.start <= start < t.end), None)
        role = turn.role if turn else Role.unknown
        if turn is not None and (role in (Role.interviewer, Role.other) or (doc.kind == Kind.interview and role == Role.unknown)):
            return Found(doc, start, end, None, Role.interviewer)
        chunk = next((c for c in chunks_of_documents(self.store, [doc.id]) if c.start <= start and end <= c.end), None)
        return Found(doc, start, end, chunk, role)


def check_citation(
    citation: Citation, chunks: dict[str, Chunk], members: set[str], locator: QuoteLocator
) -> tuple[Citation, str | None]:
    """The citation with its verdict, and the flag it raises (None when verified)."""
    checked = verify_citation(citation, chunks, members)
    if checked.verdict != Verdict.fabricated:
        return checked, CITATION_FLAGS.get(checked.verdict)
    cited = chunks[citation.chunk_id]
    found = locator.find(citation.quote, prefer=[cited.document_id])
    if found is None:
        return checked, FLAG_FABRICATED
    if found.role == Role.interviewer:  # the interviewer's words (or a transcript's unlabeled lines)
        return checked.model_copy(update={
            "verdict": Verdict.interviewer, "document_id": found.document.id, "participant_id": None,
            "start": found.start, "end": found.end}), FLAG_INTERVIEWER
    if found.chunk is None:  # a participant's words, but across two passages: no one chunk holds the quote
        return checked, FLAG_FABRICATED
    elsewhere = verify_citation(citation.model_copy(update={"chunk_id": found.chunk.id}), {found.chunk.id: found.chunk},
                                members)
    if elsewhere.verdict == Verdict.verified:
        return checked, FLAG_ELSEWHERE  # real words of this segment, but not where the draft said: still fabricated
    return elsewhere, CITATION_FLAGS.get(elsewhere.verdict, FLAG_FABRICATED)


def verify_persona(
    persona: Persona,
    segment: Segment,
    store: Store,
    llm: LLM,
    progress: Callable[[int], None] | None = None,
    locator: QuoteLocator | None = None,
) -> Persona:
    """A copy of the persona with every citation and claim verified, flagged and counted.

    progress: called with the number of claims just judged.
    """
    members = set(segment.participant_ids)
    locator = locator or QuoteLocator(store)
    ids = list(dict.fromkeys(c.chunk_id for claim in persona.claims for c in claim.citations))
    chunks = {c.id: c for c in store.chunks(ids)}
    claims: list[Claim] = []
    for claim in persona.claims:
        flags = [f for f in claim.flags if not f.startswith(OWN_FLAGS) and not _numbered_own(f)]
        citations = []
        for i, cite in enumerate(claim.citations, 1):
            checked, flag = check_citation(cite, chunks, members, locator)
            citations.append(checked)
            if flag:
                flags.append(f"[{i}] {flag}")
        if not claim.citations:
            flags.append(FLAG_NO_CITATION)
        claims.append(claim.model_copy(update={"citations": citations, "flags": flags}))

    judged = [_count(c, members) for c in _judge(claims, llm, progress)]
    return persona.model_copy(update={"claims": judged})


def _count(claim: Claim, members: set[str]) -> Claim:
    """The claim's prevalence over the segment: the participants its statement groups count (each of their
    statements cites them verbatim, checked when their profile was extracted), or, for a claim drafted from
    citations alone, its verified cited participants. None of them counts without one verified quote here."""
    if claim.prevalence is None:
        return claim
    cited = {c.participant_id for c in claim.citations if c.verdict == Verdict.verified and c.participant_id}
    prevalence = claim.prevalence
    ids = sorted(cited) if prevalence.base == "cited" else sorted(set(prevalence.participant_ids) & members)
    of = len(members) if prevalence.base in ("segment", "cited") else prevalence.of
    prevalence = prevalence.model_copy(update={"participant_ids": ids, "of": of})
    return claim.model_copy(update={"prevalence": prevalence, "support_count": len(ids) if cited else 0})


def _numbered_own(flag: str) -> bool:
    return flag.startswith("[") and "] " in flag and flag.split("] ", 1)[1].startswith(OWN_FLAGS)


def _judge(claims: list[Claim], llm: LLM, progress: Callable[[int], None] | None) -> list[Claim]:
    """Verdict, score, support count and flags from each claim's verified quotes."""
    to_judge: list[int] = []
    out = list(claims)
    for i, claim in enumerate(claims):
        quotes = [c for c in claim.citations if c.verdict == Verdict.verified]
        support = len({c.participant_id for c in quotes if c.participant_id})
        if not quotes:
            flags = claim.flags if claim.citations == [] else [*claim.flags, FLAG_NO_VERIFIED]
            out[i] = claim.model_copy(update={"verdict": Verdict.unsupported, "score": 0.0, "support_count": 0,
                                              "flags": flags})
        elif claim.section == "quotes":
            # A signature quote claims only that a participant said it: the verified quote is the proof.
            out[i] = claim.model_copy(update={"verdict": Verdict.supported, "score": 1.0, "support_count": support})
        else:
            out[i] = claim.model_copy(update={"support_count": support})
            to_judge.append(i)
    if progress and len(claims) > len(to_judge):
        progress(len(claims) - len(to_judge))
    inputs = [JudgeSupportInput(claim=out[i].text, quotes=[c.quote for c in out[i].citations
                                                           if c.verdict == Verdict.verified]) for i in to_judge]
    for start in range(0, len(inputs), 16):  # in batches, so progress moves while a remote judge works
        batch = range(start, min(start + 16, len(inputs)))
        results = run_tasks("judge_support", [inputs[j] for j in batch], llm)
        for j, (verdict, _prov) in zip(batch, results, strict=True):
            i = to_judge[j]
            claim = out[i]
            flags = claim.flags if verdict.supported else [*claim.flags, f"{FLAG_UNSUPPORTED}: {verdict.rationale}"]
            out[i] = claim.model_copy(update={
                "verdict": Verdict.supported if verdict.supported else Verdict.unsupported,
                "score": round(float(verdict.score), 3), "flags": flags})
        if progress:
            progress(len(batch))
    return out


def is_flagged(claim: Claim) -> bool:
    """Needs a reviewer: unsupported, unverified, or any citation that did not verify."""
    return claim.verdict != Verdict.supported or bool(claim.flags) or any(
        c.verdict != Verdict.verified for c in claim.citations)
