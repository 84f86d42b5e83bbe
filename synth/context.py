"""A quote in the context of its source: the turn that holds it, split at its span, with neighbours.

One implementation for every view that opens a citation in context (the review app, exports,
`synth show`), so they can never disagree about what surrounds a quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from synth.records import Chunk, Citation, Document

NEIGHBOURS = 2  # turns shown before and after the one that holds the quote
PROSE_WINDOW = 300  # characters of context around a quote in a document without turns


@dataclass
class ContextTurn:
    speaker: str
    role: str
    location: str
    text: str = ""  # the whole turn, when it does not hold the quote
    before: str = ""  # the turn that holds the quote, split at the verified span
    quote: str = ""
    after: str = ""
    focus: bool = False
    clipped_before: bool = False
    clipped_after: bool = False


def _turn_view(doc: Document, index: int) -> ContextTurn:
    t = doc.turns[index]
    return ContextTurn(speaker=t.speaker, role=t.role.value, location=doc.location(t), text=doc.text[t.start : t.end])


def source_context(doc: Document, citation: Citation, chunk: Chunk | None, located: bool) -> list[ContextTurn]:
    """The turns around a quote: the one that holds it split at the verified span, with neighbours.

    When the quote was not found, the cited passage is shown whole and nothing is highlighted.
    """
    if located and citation.start is not None and citation.end is not None:
        start, end = citation.start, citation.end
    elif chunk is not None:
        start, end = chunk.start, chunk.end
        located = False
    else:
        return []
    at = next((i for i, t in enumerate(doc.turns) if t.start <= start < t.end), None)
    if at is None:  # prose without turns: a window of characters around the span
        lo, hi = max(0, start - PROSE_WINDOW), min(len(doc.text), end + PROSE_WINDOW)
        focus = ContextTurn(speaker=chunk.speaker if chunk else "", role=(chunk.role.value if chunk else "unknown"),
                            location="", focus=True, clipped_before=lo > 0, clipped_after=hi < len(doc.text))
        if located:
            focus.before, focus.quote, focus.after = doc.text[lo:start], doc.text[start:end], doc.text[end:hi]
        else:
            focus.text = doc.text[lo:hi]
        return [focus]
    first = max(0, at - NEIGHBOURS)
    turns = [_turn_view(doc, i) for i in range(first, min(len(doc.turns), at + NEIGHBOURS + 1))]
    focus = turns[at - first]
    turn = doc.turns[at]
    focus.focus = True
    if located:
        stop = max(turn.end, end)
        focus.before, focus.quote, focus.after = doc.text[turn.start : start], doc.text[start:end], doc.text[end:stop]
        focus.text = ""
    return turns
