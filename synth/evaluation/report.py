"""The evaluation's records: per-citation and per-claim checks, per-persona metrics, thresholds and gates."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from synth.evaluation.findings import Finding
from synth.evaluation.gates import GATES, GateFailure, Thresholds, check_gates  # noqa: F401  (re-exported)
from synth.records import Verdict


class CitationCheck(BaseModel):
    """One citation as stored, and what re-verifying it against the workspace found."""

    claim_id: str
    chunk_id: str
    quote: str
    participant_id: str | None = None
    stored_verdict: Verdict
    verdict: Verdict  # re-verified now, never copied from the store
    verbatim: bool  # the quote is word for word in the cited chunk
    relevant: bool | None = None  # ALCE citation precision; None until judged


class CounterEvidence(BaseModel):
    """A sentence by one of the segment's participants that says the opposite of a claim."""

    claim_id: str
    chunk_id: str
    participant_id: str | None
    quote: str
    reason: str


class ClaimEval(BaseModel):
    id: str
    section: str
    text: str
    citations: int
    verbatim: int  # citations whose quote is in its chunk
    verified: int  # citations that re-verify (verbatim, a participant's words, in the segment)
    recall_supported: bool  # ALCE: the union of its verbatim quotes entails the claim
    supported: bool  # the judge says its verified quotes support it
    score: float  # the judge's score for `supported`
    counter_evidence: list[CounterEvidence] = Field(default_factory=list)
    link: str | None = None  # the claim in the review app
    review: str = "pending"  # its review state: pending, accepted, edited, flagged, rejected (synth.review.views)


class PersonaEval(BaseModel):
    """Every metric for one persona, computed from the workspace, not from the figures it stored."""

    persona_id: str
    name: str
    segment_id: str
    claims: int = 0
    citations: int = 0
    quote_fidelity: float | None = None  # verbatim citations / all citations
    verified_rate: float | None = None  # citations that fully re-verify / all citations
    verified_display_fidelity: float | None = None  # of those stored as verified, the share that re-verify
    verdicts: dict[str, int] = Field(default_factory=dict)  # re-verified verdict -> count
    citation_recall: float | None = None
    citation_precision: float | None = None
    support: float | None = None  # share of claims the judge marks supported
    mean_support_score: float | None = None
    segment_coverage: float | None = None
    participants_cited: int = 0
    segment_participants: int = 0
    theme_coverage: float | None = None
    themes_covered: list[str] = Field(default_factory=list)
    themes_leading: list[str] = Field(default_factory=list)
    theme_chunks: dict[str, int] = Field(default_factory=dict)  # theme id -> verified cited chunks in it
    distinctiveness: float | None = None  # 1 - mean overlap with every other persona
    chunk_overlap: float | None = None  # mean Jaccard of cited chunk sets with the others
    claim_overlap: float | None = None  # mean Jaccard of claim-text tokens with the others
    counter_evidence: int = 0  # claims with at least one contradicting sentence found
    kind_coverage: float | None = None  # source kinds of the segment quoted by a clean citation / kinds present
    kinds_present: list[str] = Field(default_factory=list)
    kinds_cited: list[str] = Field(default_factory=list)
    # Defects re-derived from the sources (synth.evaluation.checks and .coherence), counted for the gates.
    unverified_citations: int = 0  # fabricated, missing source or out of segment
    interviewer_citations: int = 0
    non_speech_citations: int = 0
    cut_quotes: int = 0
    polarity_conflicts: int = 0
    contradictions: int = 0
    prevalence_errors: int = 0
    duplicate_claims: int = 0
    findings: list[Finding] = Field(default_factory=list)
    passed: bool = True  # no gate failed for this persona
    verdict: str = ""  # in plain words: passes or fails, and why
    link: str | None = None  # the persona in the review app
    tampered: list[CitationCheck] = Field(default_factory=list)  # stored as verified, but do not re-verify
    claim_evals: list[ClaimEval] = Field(default_factory=list)
    checks: list[CitationCheck] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class ThemeInfo(BaseModel):
    id: str
    label: str


class EvalReport(BaseModel):
    """What `synth eval` prints, writes as JSON and renders as HTML."""

    workspace: str
    judge: str  # model id of the judge: "offline" or an LLM spec
    created_at: str
    personas: list[PersonaEval]
    themes: list[ThemeInfo] = Field(default_factory=list)  # empty when no themes are stored
    overlap: dict[str, dict[str, float]] = Field(default_factory=dict)  # persona id -> persona id -> overlap
    summary: dict[str, float | None] = Field(default_factory=dict)  # mean of each metric over personas
    thresholds: Thresholds = Field(default_factory=Thresholds)
    failures: list[GateFailure] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    review_url: str | None = None  # where `synth review` serves this workspace; claim links start here

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1


SUMMARY_METRICS = (
    "quote_fidelity", "verified_display_fidelity", "verified_rate", "citation_recall", "citation_precision",
    "support", "segment_coverage", "kind_coverage", "theme_coverage", "distinctiveness",
)


def summarize(personas: list[PersonaEval]) -> dict[str, float | None]:
    """The mean of each metric over the personas that have it."""
    out: dict[str, float | None] = {}
    for name in SUMMARY_METRICS:
        values = [getattr(p, name) for p in personas if getattr(p, name) is not None]
        out[name] = round(sum(values) / len(values), 4) if values else None
    return out


def report_dict(report: EvalReport, *, details: bool = True) -> dict[str, Any]:
    """The report as JSON-ready data; `details=False` leaves out per-citation checks."""
    data = report.model_dump(mode="json")
    data["passed"] = report.passed
    data["exit_code"] = report.exit_code
    data["failures"] = [{**f.model_dump(mode="json"), "message": f.message} for f in report.failures]
    if not details:
        for p in data["personas"]:
            p.pop("checks", None)
    return data
