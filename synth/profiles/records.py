"""The records of the profile stage: a participant's profile (map) and a segment's aggregate (reduce)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from synth.records import Citation, Kind, Prevalence, stable_id

WHO = "who"  # the section of self-descriptions ("Describes themselves as a data analyst.")


class Statement(BaseModel):
    """One thing a participant said about themselves, as a short third-person statement citing their words."""

    id: str = ""
    participant_id: str
    kind: Kind  # the source kind of the words it cites
    section: str  # WHO, or one of synth.llm.schemas.FACETS
    text: str
    stance: Literal["negative", "positive", "neutral"] = "neutral"
    role: str = ""  # for WHO: the noun phrase they use for themselves ("data analyst")
    citation: Citation  # verified: the quote is verbatim in the participant's own chunk

    def model_post_init(self, _context: Any) -> None:
        if not self.id:
            self.id = stable_id("stm", self.participant_id, self.section, self.citation.chunk_id, self.citation.quote,
                                length=12)


class ParticipantProfile(BaseModel):
    """Who a participant is and what they said, each statement citing their own verbatim words."""

    participant_id: str
    label: str
    kind: Kind
    attributes: dict[str, str] = Field(default_factory=dict)  # rating, plan, role, ... from the source's metadata
    statements: list[Statement] = Field(default_factory=list)  # WHO statements included
    sentences: int = 0  # substantive sentences read
    set_aside: dict[str, int] = Field(default_factory=dict)  # sentences set aside, by synth.substance reason
    dropped: int = 0  # statements a model wrote that failed a check (quote, substance, polarity)
    fingerprint: str = ""  # inputs and extractor: an unchanged fingerprint is not extracted again
    provenance: dict[str, Any] = Field(default_factory=dict)

    @property
    def who(self) -> list[Statement]:
        return [s for s in self.statements if s.section == WHO]


class AggregateClaim(BaseModel):
    """A claim over a segment's profiles: what several of its participants said alike, counted and cited."""

    section: str
    shape: Literal["shared", "split", "spread"] = "shared"  # one view; opposite views; a spread of answers
    text: str
    stance: str = "neutral"
    prevalence: Prevalence
    citations: list[Citation]  # up to 3, from different participants and source kinds where they exist
    statement_ids: list[str] = Field(default_factory=list)


class SegmentAggregate(BaseModel):
    """The reduce step's result for one segment: claims with prevalence, and who its participants are."""

    segment_id: str
    size: int
    profiled: int  # participants with at least one statement
    claims: list[AggregateClaim] = Field(default_factory=list)
    roles: list[tuple[str, int]] = Field(default_factory=list)  # what they call themselves, most said first
    described: int = 0  # participants who said who they are
    attributes: dict[str, Any] = Field(default_factory=dict)  # metadata spread: {"plan": {"Growth": 7, ...}}
    interviewees: int = 0
