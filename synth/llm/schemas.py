"""Inputs and outputs of the LLM tasks; LLM replies and the offline drafter both validate against these."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

FACETS = ("goals", "frustrations", "behaviours", "motivations", "needs", "context")
Facet = Literal["goals", "frustrations", "behaviours", "motivations", "needs", "context"]
_FACET_ALIASES = {"behaviors": "behaviours", "behavior": "behaviours", "behaviour": "behaviours", "goal": "goals",
                  "frustration": "frustrations", "motivation": "motivations", "need": "needs"}


class Evidence(BaseModel):
    """One numbered piece of source text shown to a model; `n` is what citations point at."""

    n: int = Field(ge=1)
    chunk_id: str
    speaker: str = ""
    participant_id: str = ""
    text: str

    @classmethod
    def from_chunks(cls, chunks: Iterable[Any], start: int = 1) -> list["Evidence"]:
        """Number synth.records.Chunk objects (anything with id, speaker, participant_id, text) from `start`."""
        return [
            cls(n=i, chunk_id=c.id, speaker=c.speaker or "", participant_id=c.participant_id or "", text=c.text)
            for i, c in enumerate(chunks, start)
        ]


class QuoteRef(BaseModel):
    """A citation: verbatim words from evidence `n`."""

    n: int = Field(ge=1, description="the n of the evidence block quoted")
    quote: str = Field(min_length=1, description="words copied exactly from that evidence")


class CitedSentence(BaseModel):
    text: str = Field(min_length=1)
    citations: list[QuoteRef] = Field(min_length=1)
    groups: list[int] = Field(default_factory=list, description="the numbers of the statement groups it states")


class DraftClaim(BaseModel):
    text: str = Field(min_length=1, description="a short third-person statement about the persona")
    citations: list[QuoteRef] = Field(min_length=1)
    groups: list[int] = Field(default_factory=list, description="the numbers of the statement groups it states")


class ThemeRef(BaseModel):
    label: str
    keywords: list[str] = Field(default_factory=list)


class ChatTurn(BaseModel):
    role: Literal["user", "persona", "assistant"]  # "assistant" is accepted as the persona's turn
    text: str


# label_theme ------------------------------------------------------------------------------------
class LabelThemeInput(BaseModel):
    keywords: list[str]
    exemplars: list[Evidence]


class ThemeLabel(BaseModel):
    label: str = Field(description="2 to 6 words naming what participants talk about")
    description: str = Field(description="one sentence")

    @field_validator("label")
    @classmethod
    def _label_words(cls, v: str) -> str:
        v = " ".join(v.split())
        if not 2 <= len(v.split()) <= 6:
            raise ValueError("label must be 2 to 6 words")
        return v

    @field_validator("description")
    @classmethod
    def _one_sentence(cls, v: str) -> str:
        v = " ".join(v.split())
        if not v or len(v) > 400:
            raise ValueError("description must be one sentence of at most 400 characters")
        return v


# draft_persona ----------------------------------------------------------------------------------
class GroupRef(BaseModel):
    """What several participants of a segment said alike (or, for a split, in opposite ways), counted."""

    n: int = Field(ge=1)
    section: str
    shape: str = "shared"  # "shared", "split" (opposite views) or "spread" (different answers)
    text: str
    count: int  # participants who said it
    of: int  # participants it is counted out of
    base: str = "segment"  # what `of` counts: the segment, or "described" (those who said who they are)
    citations: list[QuoteRef] = Field(default_factory=list)  # quotes of different participants, in the evidence


class DraftPersonaInput(BaseModel):
    segment_summary: str
    themes: list[ThemeRef]
    evidence: list[Evidence]
    groups: list[GroupRef] = Field(default_factory=list)  # the segment's profiles, aggregated; empty: evidence only
    name: str = ""  # a name chosen from the data, for the drafter to keep or improve


class PersonaDraft(BaseModel):
    name: str = Field(min_length=2, max_length=80)
    summary: str = Field(min_length=1, description="one sentence")
    narrative: list[CitedSentence]
    sections: dict[Facet, list[DraftClaim]]
    quotes: list[QuoteRef]

    @field_validator("sections", mode="before")
    @classmethod
    def _facet_spelling(cls, v: Any) -> Any:
        # Models often write US spelling or capitals; the facet is still clear.
        if isinstance(v, dict):
            return {_FACET_ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): c for k, c in v.items()}
        return v


# extract_profile --------------------------------------------------------------------------------
Stance = Literal["negative", "positive", "neutral"]


class ExtractProfileInput(BaseModel):
    """One participant's words (all of them, or one window of a long transcript) and what is on record."""

    participant: str
    kind: str  # interview, review, social, document
    attributes: dict[str, str] = Field(default_factory=dict)  # rating, plan, role ... from the source's metadata
    evidence: list[Evidence]
    study_language: str | None = None  # ISO 639-1; sentences in another language are set aside


class SelfDescription(BaseModel):
    text: str = Field(min_length=1, description="who they are, as a short third-person statement")
    role: str = Field("", description="2 to 4 words naming what they are (occupation, life stage), or empty")
    citations: list[QuoteRef] = Field(min_length=1)


class ProfileStatement(BaseModel):
    section: Facet
    text: str = Field(min_length=1, description="a short third-person statement about this participant")
    stance: Stance = "neutral"
    citations: list[QuoteRef] = Field(min_length=1)

    @field_validator("section", mode="before")
    @classmethod
    def _facet_spelling(cls, v: Any) -> Any:
        return _FACET_ALIASES.get(str(v).strip().lower(), str(v).strip().lower())


class ProfileDraft(BaseModel):
    """What one participant said about themselves, each statement citing their own words."""

    who: list[SelfDescription] = Field(default_factory=list)
    statements: list[ProfileStatement] = Field(default_factory=list)


# answer_as_persona ------------------------------------------------------------------------------
class StanceGroup(BaseModel):
    """Participants who take the same stance on a chat question, with the evidence of each (synth.chat.reconcile)."""

    stance: Literal["negative", "positive", "neutral"]
    says: str  # what the group does, in words: "complain about it", "lean yes"
    participants: int = Field(ge=1)  # distinct participants in the group
    evidence: list[int] = Field(default_factory=list)  # the evidence numbers (n) of the group's words


class AnswerInput(BaseModel):
    persona_name: str
    persona_summary: str
    question: str
    history: list[ChatTurn] = Field(default_factory=list)
    evidence: list[Evidence]
    groups: list[StanceGroup] = Field(default_factory=list)  # the evidence by stance, largest group first
    tally: str = ""  # the counts as synth states them, the first sentence of the answer
    yes_no: bool = False  # the question asks yes or no


class ChatAnswer(BaseModel):
    answerable: bool
    sentences: list[CitedSentence] = Field(default_factory=list, description="first-person, each citing evidence")
    suggested_question: str | None = Field(None, description="an interview question, when not answerable")

    @model_validator(mode="after")
    def _consistent(self) -> "ChatAnswer":
        if self.answerable and not self.sentences:
            raise ValueError("an answerable reply needs at least one cited sentence")
        if not self.answerable and self.sentences:
            raise ValueError("an unanswerable reply has no sentences; give suggested_question instead")
        return self


# judge_support ----------------------------------------------------------------------------------
class JudgeSupportInput(BaseModel):
    claim: str
    quotes: list[str]


class SupportVerdict(BaseModel):
    supported: bool
    score: float = Field(ge=0.0, le=1.0)
    rationale: str = Field(min_length=1)


def normalize_quote(text: str) -> str:
    """Whitespace collapsed and curly quotes straightened: the only freedom a verbatim quote gets."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip()


def quote_refs(value: Any) -> list[QuoteRef]:
    """Every QuoteRef inside a model, in order."""
    found: list[QuoteRef] = []
    if isinstance(value, QuoteRef):
        found.append(value)
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += quote_refs(getattr(value, name))
    elif isinstance(value, dict):
        for item in value.values():
            found += quote_refs(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found += quote_refs(item)
    return found


def citation_errors(output: BaseModel, evidence: list[Evidence]) -> list[str]:
    """Problems with the output's citations: unknown evidence numbers, quotes not verbatim."""
    texts = {e.n: normalize_quote(e.text) for e in evidence}
    errors = []
    for ref in quote_refs(output):
        if ref.n not in texts:
            errors.append(f"citation n={ref.n} points at no evidence block (valid: 1..{max(texts, default=0)})")
        elif normalize_quote(ref.quote).strip("\"'") not in texts[ref.n]:
            errors.append(f"quote {ref.quote[:80]!r} is not verbatim in evidence n={ref.n}; copy the exact words")
    return errors
