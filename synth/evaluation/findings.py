"""What a check found wrong with a persona: a kind, where (claim, citation), and why in plain words."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel


class FindingKind(str, Enum):
    fabricated = "fabricated"  # the quote is not in the passage it cites
    missing_source = "missing_source"  # the cited passage does not exist
    out_of_segment = "out_of_segment"  # real words, by someone outside the persona's segment
    interviewer = "interviewer"  # the words of an interviewer, an observer or a question asked
    non_speech = "non_speech"  # greeting, filler, audio check, mask, stage direction, task prompt
    cut_quote = "cut_quote"  # the quote starts or ends in the middle of a word
    polarity = "polarity"  # the claim's polarity contradicts its quotes
    unsupported = "unsupported"  # the judge finds the claim's verified quotes do not back it
    prevalence = "prevalence"  # a prevalence figure that does not recount
    contradiction = "contradiction"  # two claims about who the persona is that cannot both hold
    duplicate = "duplicate"  # the same claim in another persona


# What each kind means to a researcher: the report's headings.
KIND_TITLES: dict[FindingKind, str] = {
    FindingKind.fabricated: "quotes not found in their source",
    FindingKind.missing_source: "citations of passages that do not exist",
    FindingKind.out_of_segment: "quotes by people outside this segment",
    FindingKind.interviewer: "quotes that are an interviewer's words or questions",
    FindingKind.non_speech: "quotes that say nothing (small talk, fillers, masks, notes)",
    FindingKind.cut_quote: "quotes cut mid-word",
    FindingKind.polarity: "claims whose polarity contradicts their quotes",
    FindingKind.unsupported: "claims their quotes do not support",
    FindingKind.prevalence: "prevalence figures that do not recount",
    FindingKind.contradiction: "claims that contradict each other",
    FindingKind.duplicate: "claims repeated in another persona",
}


class Finding(BaseModel):
    """One thing wrong with a persona, where it is, and why, in words a researcher reads."""

    kind: FindingKind
    claim_id: str | None = None
    citation: int | None = None  # 1-based position of the citation in its claim
    message: str
    quote: str = ""
    other_claim_id: str | None = None  # the claim it contradicts or duplicates
    other_persona_id: str | None = None  # the persona holding that claim (duplicates)
    link: str | None = None  # the claim in the review app
