"""Check citations against their sources: the promise that nothing unverified looks verified.

A citation is `verified` only when its quote is found, word for word, in the chunk it cites
(after normalizing whitespace and quote marks), that chunk is a participant's speech (never an
interviewer's), and, when a segment is given, the participant belongs to it. The quote's exact
character span in the document is recorded so any view can open it in context.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from synth.records import Chunk, Citation, Document, Role, Verdict

_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                         "′": "'", "″": '"', "`": "'", "´": "'", "–": "-", "—": "-", "…": "..."})
_SPACE = re.compile(r"\s+")


def _normalized_with_map(text: str) -> tuple[str, list[int]]:
    """Normalized text and, for each of its characters, the index it came from in `text`."""
    out: list[str] = []
    index: list[int] = []
    prev_space = True  # drops leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not prev_space:
                out.append(" ")
                index.append(i)
            prev_space = True
            continue
        for piece in ch.translate(_QUOTES):
            out.append(piece)
            index.append(i)
        prev_space = False
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


def normalize(text: str) -> str:
    """Whitespace collapsed, curly quotes and dashes made plain: the form quotes are compared in."""
    return _normalized_with_map(text)[0]


def locate_quote(quote: str, text: str) -> tuple[int, int] | None:
    """The span of `quote` inside `text` (exact, or after normalization), else None."""
    if not quote.strip():
        return None
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    needle = normalize(quote).strip(" \"'")
    hay, index = _normalized_with_map(text)
    at = hay.find(needle) if needle else -1
    if at < 0:
        return None
    return index[at], index[at + len(needle) - 1] + 1


def verify_citation(
    citation: Citation, chunks: dict[str, Chunk], segment_participants: Iterable[str] | None = None
) -> Citation:
    """A copy of the citation with its verdict, document, participant and document span filled in."""
    chunk = chunks.get(citation.chunk_id)
    if chunk is None:
        return citation.model_copy(update={"verdict": Verdict.missing_source, "start": None, "end": None})
    update = {"document_id": chunk.document_id, "participant_id": chunk.participant_id}
    span = locate_quote(citation.quote, chunk.text)
    if span is None:
        return citation.model_copy(update={**update, "verdict": Verdict.fabricated, "start": None, "end": None})
    update.update(start=chunk.start + span[0], end=chunk.start + span[1])
    if chunk.role in (Role.interviewer, Role.other):  # context, never evidence
        verdict = Verdict.interviewer
    elif segment_participants is not None and chunk.participant_id not in set(segment_participants):
        verdict = Verdict.out_of_segment
    elif chunk.participant_id is None:
        verdict = Verdict.out_of_segment  # nobody's words cannot speak for a segment
    else:
        verdict = Verdict.verified
    return citation.model_copy(update={**update, "verdict": verdict})


def verified(citations: Iterable[Citation]) -> list[Citation]:
    return [c for c in citations if c.verdict == Verdict.verified]


def reverify(drafted: Citation, chunks: Mapping[str, Chunk], documents: Mapping[str, Document | None],
             members: Iterable[str] | None) -> Citation:
    """The citation checked against the store now, as `verify_citation` does, for views and eval.

    The verify stage points an interviewer's words at the interviewer's turn (the cited chunk does
    not hold them); such a span is kept when the words are still there and the turn is still the
    interviewer's. Nothing here can make a citation `verified` that verify_citation does not.
    """
    live = verify_citation(drafted, dict(chunks), members)
    if live.verdict != Verdict.fabricated or drafted.verdict != Verdict.interviewer:
        return live
    doc = documents.get(drafted.document_id or "")
    if doc is None or drafted.start is None or drafted.end is None or drafted.end > len(doc.text):
        return live
    turn = next((t for t in doc.turns if t.start <= drafted.start < t.end), None)
    still_there = locate_quote(drafted.quote, doc.text[drafted.start : drafted.end]) is not None
    if still_there and turn is not None and turn.role != Role.participant:
        return drafted
    return live
