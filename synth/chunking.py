"""Split documents into evidence chunks that respect turn boundaries.

A chunk never spans two speakers. A turn that fits the token budget is one chunk; a longer
turn is split at sentence boundaries (and, for a single overlong sentence, at word
boundaries); short consecutive turns of one speaker are merged. Interviewer turns stay in the
document as context and never become chunks, so they can never be cited as evidence.
Invariant: `document.text[chunk.start:chunk.end] == chunk.text`.
"""

from __future__ import annotations

import math
import re

from synth.records import Chunk, Document, Kind, Role, Turn

_TOKEN = re.compile(r"\w+|[^\w\s]")
# A sentence ends at . ! ? or … (optionally followed by closing quotes/brackets) before whitespace.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")

MERGE_BELOW = 24
# Interviewers, observers, stage directions and task prompts stay in the document as context only.
_CONTEXT_ROLES = frozenset({Role.interviewer, Role.other})  # turns shorter than this (estimated tokens) merge with the same speaker's next


def estimate_tokens(text: str) -> int:
    """A cheap, model-independent estimate of word pieces (words and punctuation, plus a margin)."""
    return math.ceil(len(_TOKEN.findall(text)) * 1.2)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end], trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        spans.append((pos, m.end()))
        pos = m.end()
    spans.append((pos, end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_words(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Split one overlong sentence at word boundaries into pieces under the budget."""
    pieces: list[tuple[int, int]] = []
    piece_start = start
    for m in re.finditer(r"\S+", text[start:end]):
        word_end = start + m.end()
        if estimate_tokens(text[piece_start:word_end]) > max_tokens and start + m.start() > piece_start:
            pieces.append(_trim(text, piece_start, start + m.start()))
            piece_start = start + m.start()
    pieces.append(_trim(text, piece_start, end))
    return [p for p in pieces if p[1] > p[0]]


def split_span(text: str, start: int, end: int, max_tokens: int) -> list[tuple[int, int]]:
    """Pack whole sentences of text[start:end] into spans of at most max_tokens (estimated)."""
    start, end = _trim(text, start, end)
    if estimate_tokens(text[start:end]) <= max_tokens:
        return [(start, end)] if end > start else []
    units: list[tuple[int, int]] = []
    for a, b in sentence_spans(text, start, end):
        units += _split_words(text, a, b, max_tokens) if estimate_tokens(text[a:b]) > max_tokens else [(a, b)]
    spans: list[tuple[int, int]] = []
    cur_start, cur_end = units[0]
    for a, b in units[1:]:
        if estimate_tokens(text[cur_start:b]) <= max_tokens:
            cur_end = b
        else:
            spans.append((cur_start, cur_end))
            cur_start, cur_end = a, b
    spans.append((cur_start, cur_end))
    return spans


def _merge_short(doc: Document, turns: list[Turn], max_tokens: int) -> list[Turn]:
    merged: list[Turn] = []
    for turn in turns:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.speaker == turn.speaker
            and prev.role == turn.role
            and estimate_tokens(doc.text[prev.start : prev.end]) < MERGE_BELOW
            and estimate_tokens(doc.text[prev.start : turn.end]) <= max_tokens
        ):
            merged[-1] = prev.model_copy(update={"end": turn.end})
        else:
            merged.append(turn)
    return merged


def chunk_document(
    doc: Document, participant_ids: dict[str, str | None], max_tokens: int = 160
) -> list[Chunk]:
    """Evidence chunks of one document; `participant_ids` maps speaker label to participant id."""
    evidence = [t for t in doc.turns if t.role not in _CONTEXT_ROLES and t.end > t.start]
    if doc.kind == Kind.interview:  # a transcript's unlabelled preamble (title, attendees) is nobody's words
        evidence = [t for t in evidence if t.role == Role.participant]
    # Only merge turns that were adjacent in the document (no other speaker in between).
    runs: list[list[Turn]] = []
    index = {id(t): n for n, t in enumerate(doc.turns)}
    for turn in evidence:
        if runs and index[id(turn)] == index[id(runs[-1][-1])] + 1:
            runs[-1].append(turn)
        else:
            runs.append([turn])
    chunks: list[Chunk] = []
    for run in runs:
        for turn in _merge_short(doc, run, max_tokens):
            for start, end in split_span(doc.text, turn.start, turn.end, max_tokens):
                chunks.append(
                    Chunk(
                        document_id=doc.id,
                        participant_id=participant_ids.get(turn.speaker),
                        speaker=turn.speaker,
                        role=turn.role,
                        kind=doc.kind,
                        text=doc.text[start:end],
                        start=start,
                        end=end,
                        timestamp=turn.timestamp,
                        line=turn.line,
                    )
                )
    return chunks
