"""What the evaluation's checks re-derive their verdicts from: the stored documents' text and turns, the
chunks, segments and participants, and participant profiles where the workspace has them.

Nothing here is a decision the pipeline stored about itself: who is an interviewer is read again from
each transcript's speaker labels and behaviour (`DocumentSpeakers`), never from the roles ingest gave.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from synth.records import Chunk, Document, Kind, Participant, Persona, Role, Segment
from synth.speakers import UNKNOWN_SPEAKER, UNLABELLED_SPEAKER, is_question, label_role
from synth.store import Store

# A speaker is interviewer-like by behaviour when at least this share of their turns are questions, this much
# more than the speaker who says most (the main participant), over at least MIN_TURNS turns. A quiet second
# interviewer asks fewer than half of their turns as questions; a participant who asks one back, far fewer.
QUESTION_SHARE = 0.4
QUESTION_MARGIN = 0.25
MIN_TURNS = 2
# Someone introducing themselves as the one doing the research ("I'm a master student and this interview is
# for my thesis", "I work on the research team", "I'm a UX researcher here at ...").
_RESEARCHER = re.compile(
    r"\b(?:i'?m|i am|i work|we'?re|we are|my name is \w+(?: \w+)?,? (?:and )?i'?m)\b[^.?!\n]{0,60}?"
    r"\b(?:(?:the |a |our )?research(?:ers?)? team|(?:ux|user|design|product|market|qualitative) research(?:er)?|"
    r"researchers?|master'?s? student|masters student|phd (?:student|candidate)|doctoral (?:student|candidate)|"
    r"grad(?:uate)? student|student researcher|research (?:assistant|intern|lead))\b",
    re.IGNORECASE,
)
# ... said about this conversation, which a participant describing their own job does not say.
_STUDY = re.compile(
    r"\b(?:this (?:study|interview|session|call|research|conversation|chat|project)|"
    r"(?:my|our) (?:thesis|dissertation|study|research|project)|"
    r"(?:talk|chat|speak)(?:ing)? (?:to|with) you|ask(?:ing)? you|interview(?:ing)? (?:you|people|users|customers)|"
    r"tak(?:e|ing) part|participat\w+|for joining|for your time|for having|for agreeing|record(?:ing)? (?:this|the))\b",
    re.IGNORECASE,
)


@dataclass
class SpeakerStats:
    """One speaker label of one transcript, as its own words show it."""

    label: str
    turns: int = 0
    questions: int = 0
    words: int = 0
    first: int = 0  # index of their first turn in the document
    introduces_researcher: str | None = None  # the self-introduction, verbatim

    @property
    def question_share(self) -> float:
        return self.questions / self.turns if self.turns else 0.0


class DocumentSpeakers:
    """Per-speaker behaviour of one transcript, re-derived from its turns' labels and text (not their roles)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.stats: dict[str, SpeakerStats] = {}
        opening = True  # the first named turn: where an interviewer introduces themselves
        for i, turn in enumerate(doc.turns):
            label = turn.speaker
            if not label or label in (UNKNOWN_SPEAKER, UNLABELLED_SPEAKER):
                continue
            text = doc.text[turn.start:turn.end]
            s = self.stats.setdefault(label, SpeakerStats(label=label, first=i))
            s.turns += 1
            s.questions += is_question(text)
            s.words += len(text.split())
            if s.introduces_researcher is None:
                s.introduces_researcher = researcher_introduction(text, first=opening)
            opening = False

    @property
    def conversation(self) -> bool:
        """Two or more named speakers, or a transcript: only then can someone be the interviewer."""
        return self.doc.kind == Kind.interview or len(self.stats) >= 2

    @cached_property
    def main(self) -> str | None:
        """The speaker who says most: the main participant of an interview."""
        return max(self.stats, key=lambda s: self.stats[s].words) if self.stats else None

    def interviewer_reason(self, label: str) -> str | None:
        """Why this speaker looks like an interviewer (role words, questions, a researcher's introduction), else None."""
        if not self.conversation or label not in self.stats:
            return None
        role = label_role(label)
        if role == Role.interviewer:
            return f"the speaker label {label!r} names an interviewer"
        if role == Role.other:
            return f"the speaker label {label!r} names an observer or a machine, not a participant"
        s = self.stats[label]
        if s.introduces_researcher and not (role == Role.participant):
            return f"{label} introduces themselves as the researcher ({s.introduces_researcher!r})"
        main = self.stats.get(self.main or "")
        if (role != Role.participant and main is not None and label != self.main and s.turns >= MIN_TURNS
                and s.question_share >= QUESTION_SHARE and s.question_share - main.question_share >= QUESTION_MARGIN):
            return (f"{label} asks questions in {s.question_share:.0%} of their {s.turns} turns "
                    f"(the main speaker, {main.label}, in {main.question_share:.0%})")
        return None

    def turn_at(self, position: int):
        return next((t for t in self.doc.turns if t.start <= position < t.end), None)


def researcher_introduction(text: str, *, first: bool) -> str | None:
    """The researcher's self-introduction in one turn: with words about this study, or in the opening turn."""
    m = _RESEARCHER.search(text)
    if m and (first or _STUDY.search(text)):
        return m.group(0)
    return None


@dataclass
class ProfileStatement:
    """One statement of a participant's stored profile, read generically (see `load_profiles`)."""

    participant_id: str
    section: str
    text: str
    chunk_ids: frozenset[str]


@dataclass
class Sources:
    """Everything the checks read, loaded once from the workspace (or built by hand in tests and benchmarks)."""

    chunks: dict[str, Chunk]
    documents: dict[str, Document]
    segments: dict[str, Segment]
    participants: dict[str, Participant] = field(default_factory=dict)
    profiles: dict[str, list[ProfileStatement]] | None = None  # participant id -> statements; None: none stored
    study_language: str | None = None
    notes: list[str] = field(default_factory=list)
    _speakers: dict[str, DocumentSpeakers] = field(default_factory=dict, repr=False)

    def speakers(self, doc_id: str) -> DocumentSpeakers | None:
        doc = self.documents.get(doc_id)
        if doc is None:
            return None
        if doc_id not in self._speakers:
            self._speakers[doc_id] = DocumentSpeakers(doc)
        return self._speakers[doc_id]

    def rating(self, chunk: Chunk) -> float | None:
        doc = self.documents.get(chunk.document_id)
        try:
            return float(doc.metadata["rating"]) if doc else None
        except (KeyError, TypeError, ValueError):
            return None

    def forget(self, doc_id: str) -> None:
        """Drop cached speaker figures of a document that was replaced (benchmarks plant defects in copies)."""
        self._speakers.pop(doc_id, None)


def cited_document_ids(personas: Iterable[Persona], chunks: dict[str, Chunk]) -> set[str]:
    out: set[str] = set()
    for p in personas:
        for claim in p.claims:
            for c in claim.citations:
                if c.document_id:
                    out.add(c.document_id)
                if c.chunk_id in chunks:
                    out.add(chunks[c.chunk_id].document_id)
    return out


def load_sources(store: Store, personas: Sequence[Persona], segments: Sequence[Segment],
                 *, all_documents: bool = False) -> Sources:
    """The sources of these personas: all chunks, the documents they cite (or all), segments and participants."""
    from synth.substance import study_language

    chunks = {c.id: c for c in store.chunks()}
    ids = store.document_ids() if all_documents else sorted(cited_document_ids(personas, chunks))
    documents = {d.id: d for d in (store.document(i) for i in ids) if d is not None}
    evidence = [c.text for c in chunks.values() if c.role == Role.participant]
    profiles, note = load_profiles(store)
    return Sources(
        chunks=chunks, documents=documents, segments={s.id: s for s in segments},
        participants={p.id: p for p in store.participants()}, profiles=profiles,
        study_language=study_language(evidence) if evidence else None, notes=[note] if note else [],
    )


def _has_table(store: Store, name: str) -> bool:
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?",
                            (name,)).fetchone() is not None


def load_profiles(store: Store) -> tuple[dict[str, list[ProfileStatement]] | None, str | None]:
    """Participant profiles when the workspace stores them (a `profiles` table), read through the profiles
    stage's own loader; (None, why) otherwise, and prevalence is then recounted from citations."""
    if not _has_table(store, "profiles"):
        return None, None
    try:
        from synth.profiles.store import load_profiles as stored  # the profiles stage, when installed
    except ImportError:
        return None, "profiles are stored but this install cannot read them: prevalence recounted from citations"
    found = stored(store)
    out: dict[str, list[ProfileStatement]] = {}
    for profile in (found.values() if isinstance(found, dict) else found):
        pid = _field(profile, "participant_id")
        out.setdefault(pid, [])
        for st in _field(profile, "statements") or []:
            cites = list(_field(st, "citations") or []) + ([_field(st, "citation")] if _field(st, "citation") else [])
            out[pid].append(ProfileStatement(
                participant_id=pid, section=str(_field(st, "section") or "context"), text=str(_field(st, "text") or ""),
                chunk_ids=frozenset(str(_field(c, "chunk_id")) for c in cites if _field(c, "chunk_id"))))
    return out, None


def _field(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
