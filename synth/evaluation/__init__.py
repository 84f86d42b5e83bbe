"""Evaluation: prove each persona against its sources (fidelity, ALCE citation recall and precision,
support, coverage, distinctiveness, counter-evidence), gate on thresholds, and report as a table,
JSON or a self-contained HTML page."""

from synth.evaluation.evaluator import EvalError, evaluate, load_workspace_themes
from synth.evaluation.html import render_html
from synth.evaluation.judge import Judge, alce_scores, contradicts
from synth.evaluation.report import (
    CitationCheck, ClaimEval, CounterEvidence, EvalReport, GateFailure, PersonaEval, Thresholds, check_gates,
    report_dict,
)

__all__ = [
    "CitationCheck", "ClaimEval", "CounterEvidence", "EvalError", "EvalReport", "GateFailure", "Judge",
    "PersonaEval", "Thresholds", "alce_scores", "check_gates", "contradicts", "evaluate", "load_workspace_themes",
    "render_html", "report_dict",
]
