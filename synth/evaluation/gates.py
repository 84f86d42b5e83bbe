"""Gates: the thresholds a persona must meet, each with its default and the reason for that value.

A good persona passes every default gate; a persona with any defect a researcher would reject it for fails
one. Counted defects (interviewer words, small talk, contradictions ...) allow none by default; shares
(fidelity, support, coverage) have floors. Every gate is overridable, and `Thresholds.off()` only reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel


@dataclass(frozen=True)
class Gate:
    field: str  # the Thresholds field
    metric: str  # the PersonaEval attribute it reads
    flag: str  # the command-line option
    bound: Literal["min", "max"]
    default: float | None
    label: str  # what the metric is, in words (plural for counted defects)
    reason: str  # why the default is what it is
    one: str = ""  # the label for exactly one counted defect


GATES: tuple[Gate, ...] = (
    Gate("min_fidelity", "verified_display_fidelity", "--min-fidelity", "min", 1.0,
         "share of citations shown as verified that re-verify",
         "anything shown to people as verified must be: one quote that is not breaks the promise"),
    Gate("max_unverified", "unverified_citations", "--max-unverified", "max", 0,
         "quotes not in their source, or by people outside the segment",
         "a persona speaks only in its own participants' words; drafts keep such quotes flagged for review, and a "
         "persona still holding one is not finished",
         one='quote not in its source, or by someone outside the segment'),
    Gate("max_interviewer", "interviewer_citations", "--max-interviewer", "max", 0,
         "quotes that are an interviewer's words or questions",
         "the interviewer's words are the researcher's own hypotheses, never evidence of what participants think",
         one="quote that is an interviewer's words or question"),
    Gate("max_non_speech", "non_speech_citations", "--max-non-speech", "max", 0,
         "quotes that are small talk, fillers, masks, notes or task prompts",
         "a greeting or an audio check says nothing about a person; a trait built on one is invented",
         one='quote that is small talk, a filler, a mask, a note or a task prompt'),
    Gate("max_cut_quotes", "cut_quotes", "--max-cut-quotes", "max", 0,
         "quotes cut mid-word",
         "a quote cut inside a word is not what the participant said and can change its meaning",
         one='quote cut mid-word'),
    Gate("max_polarity", "polarity_conflicts", "--max-polarity-conflicts", "max", 0,
         "claims whose polarity contradicts their quotes",
         "a frustration made of praise tells the team the opposite of what participants said",
         one='claim whose polarity contradicts its quotes'),
    Gate("max_contradictions", "contradictions", "--max-contradictions", "max", 0,
         "pairs of claims that cannot both hold",
         "a persona is one coherent person; 'lives alone' beside 'lives with their partner and kids' is a collage "
         "of different people",
         one='pair of claims that cannot both hold'),
    Gate("max_prevalence", "prevalence_errors", "--max-prevalence-errors", "max", 0,
         "prevalence figures that do not recount",
         "'9 of 14' is a measurement; a figure that does not recount from the sources is made up",
         one='prevalence figure that does not recount'),
    Gate("max_duplicates", "duplicate_claims", "--max-duplicates", "max", 0,
         "claims repeated in another persona",
         "a claim every persona shares does not describe any one segment; it belongs to none or to all",
         one='claim repeated in another persona'),
    Gate("min_support", "support", "--min-support", "min", 0.8,
         "share of claims the judge finds supported by their verified quotes",
         "at least 4 claims in 5 must say what their quotes say; the offline judge accepts a close rewording "
         "(direct support scored 1.0 in calibration) and misses some paraphrases, so the floor leaves room for "
         "those and no more"),
    Gate("min_coverage", "segment_coverage", "--min-coverage", "min", 0.5,
         "share of the segment's participants the claims count (cite, until prevalence is stored)",
         "a persona must speak for at least half of the people it stands for, not a handful of them"),
    Gate("min_kind_coverage", "kind_coverage", "--min-kind-coverage", "min", 1.0,
         "share of the source kinds in the segment (interviews, reviews, posts ...) quoted by a clean citation",
         "when a segment holds interviewees, reviewers and posters, each kind of evidence must be heard; "
         "interviews are the richest and must not be drowned by short reviews"),
    Gate("min_quote_fidelity", "quote_fidelity", "--min-quote-fidelity", "min", None,
         "share of citations whose quote is word for word in the cited passage",
         "off by default: --max-unverified already allows none that is not"),
    Gate("min_recall", "citation_recall", "--min-recall", "min", None,
         "ALCE citation recall", "off by default: support is the stricter figure"),
    Gate("min_precision", "citation_precision", "--min-precision", "min", None,
         "ALCE citation precision", "off by default: an extra relevant-enough quote is not a defect"),
    Gate("min_theme_coverage", "theme_coverage", "--min-theme-coverage", "min", None,
         "share of the segment's leading substantive themes quoted",
         "off by default: a segment's leading themes are a clustering artefact, not a requirement"),
    Gate("min_distinctiveness", "distinctiveness", "--min-distinctiveness", "min", None,
         "1 - mean overlap with the other personas",
         "off by default: --max-duplicates catches the claims personas share"),
)
GATE_BY_FIELD = {g.field: g for g in GATES}


class Thresholds(BaseModel):
    """Gate thresholds per persona; None switches a gate off. The defaults are the `GATES` defaults."""

    min_fidelity: float | None = 1.0
    max_unverified: float | None = 0
    max_interviewer: float | None = 0
    max_non_speech: float | None = 0
    max_cut_quotes: float | None = 0
    max_polarity: float | None = 0
    max_contradictions: float | None = 0
    max_prevalence: float | None = 0
    max_duplicates: float | None = 0
    min_support: float | None = 0.8
    min_coverage: float | None = 0.5
    min_kind_coverage: float | None = 1.0
    min_quote_fidelity: float | None = None
    min_recall: float | None = None
    min_precision: float | None = None
    min_theme_coverage: float | None = None
    min_distinctiveness: float | None = None

    @classmethod
    def off(cls, **only: float | None) -> "Thresholds":
        """No gate at all (report only), except those named."""
        return cls(**{**{g.field: None for g in GATES}, **only})


class GateFailure(BaseModel):
    persona_id: str
    persona: str
    metric: str
    value: float
    threshold: float
    flag: str
    bound: Literal["min", "max"] = "min"
    label: str = ""
    one: str = ""

    @property
    def noun(self) -> str:
        """The counted defect, singular or plural as the value needs."""
        return self.one if self.value == 1 and self.one else self.label

    @property
    def message(self) -> str:
        if self.bound == "max":
            return f"{self.persona}: {self.value:g} {self.noun} > {self.flag} {self.threshold:g}"
        return f"{self.persona}: {self.metric} {self.value:.3f} < {self.flag} {self.threshold:g}"


def check_gates(personas: list[Any], thresholds: Thresholds) -> list[GateFailure]:
    """One failure per persona and gate its metric misses (a metric that could not be computed passes)."""
    failures = []
    for p in personas:
        for gate in GATES:
            threshold = getattr(thresholds, gate.field)
            value = getattr(p, gate.metric)
            if threshold is None or value is None:
                continue
            missed = value < threshold - 1e-9 if gate.bound == "min" else value > threshold + 1e-9
            if missed:
                failures.append(GateFailure(persona_id=p.persona_id, persona=p.name, metric=gate.metric, value=value,
                                            threshold=threshold, flag=gate.flag, bound=gate.bound, label=gate.label,
                                            one=gate.one))
    return failures


def gates_help() -> str:
    """The default gates and why, one line each: for `synth eval --help` and the README."""
    lines = []
    for g in GATES:
        if g.default is None:
            continue
        if g.bound == "max":
            rule = f"no {g.label}" if g.default == 0 else f"at most {g.default:g} {g.label}"
        else:
            rule = f"{g.label} at least {g.default:g}"
        lines.append(f"{g.flag} {g.default:g}: {rule}, because {g.reason}.")
    return "\n".join(lines)
