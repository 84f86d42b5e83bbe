"""Evaluation: prove each persona against its sources (fidelity, ALCE citation recall and precision,
support, coverage, distinctiveness, counter-evidence), re-derive what the pipeline could have got wrong
(interviewer words, small talk, polarity, contradictions, prevalence, cut quotes, duplicates), gate on
thresholds, and report as a table, JSON or a self-contained HTML page."""

from synth.evaluation.assess import DEFAULT_REVIEW_URL, claim_link, evaluate_loaded
from synth.evaluation.evaluator import EvalError, evaluate, load_workspace_themes
from synth.evaluation.findings import Finding, FindingKind
from synth.evaluation.gates import GATES, Gate, gates_help
from synth.evaluation.html import render_html
from synth.evaluation.judge import Judge, alce_scores, contradicts
from synth.evaluation.report import (
    CitationCheck, ClaimEval, CounterEvidence, EvalReport, GateFailure, PersonaEval, Thresholds, check_gates,
    report_dict,
)
from synth.evaluation.sources import Sources, load_sources

__all__ = [
    "DEFAULT_REVIEW_URL", "GATES", "CitationCheck", "ClaimEval", "CounterEvidence", "EvalError", "EvalReport",
    "Finding", "FindingKind", "Gate", "GateFailure", "Judge", "PersonaEval", "Sources", "Thresholds", "alce_scores",
    "check_gates", "claim_link", "contradicts", "evaluate", "evaluate_loaded", "gates_help", "load_sources",
    "load_workspace_themes", "render_html", "report_dict",
]
