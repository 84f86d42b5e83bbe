"""Evaluation: prove each persona against its sources (fidelity, ALCE citation recall and precision,
support, coverage, distinctiveness, counter-evidence), re-derive what the pipeline could have got wrong
(interviewer words, small talk, polarity, contradictions, prevalence, cut quotes, duplicates), gate on
thresholds, and report as a table, JSON or a self-contained HTML page."""

from synth.lazy import lazy_names

_WHERE = {  # name -> the submodule that defines it, imported on first use (PEP 562): importing one
    # light submodule (a CLI option's help, a record) no longer pays for the whole package
    "CitationCheck": "synth.evaluation.report",
    "ClaimEval": "synth.evaluation.report",
    "CounterEvidence": "synth.evaluation.report",
    "DEFAULT_REVIEW_URL": "synth.evaluation.assess",
    "EvalError": "synth.evaluation.evaluator",
    "EvalReport": "synth.evaluation.report",
    "Finding": "synth.evaluation.findings",
    "FindingKind": "synth.evaluation.findings",
    "GATES": "synth.evaluation.gates",
    "Gate": "synth.evaluation.gates",
    "GateFailure": "synth.evaluation.report",
    "Judge": "synth.evaluation.judge",
    "PersonaEval": "synth.evaluation.report",
    "Sources": "synth.evaluation.sources",
    "Thresholds": "synth.evaluation.report",
    "alce_scores": "synth.evaluation.judge",
    "check_gates": "synth.evaluation.report",
    "claim_link": "synth.evaluation.assess",
    "contradicts": "synth.evaluation.judge",
    "evaluate": "synth.evaluation.evaluator",
    "evaluate_loaded": "synth.evaluation.assess",
    "gates_help": "synth.evaluation.gates",
    "load_sources": "synth.evaluation.sources",
    "load_workspace_themes": "synth.evaluation.evaluator",
    "render_html": "synth.evaluation.html",
    "report_dict": "synth.evaluation.report",
}

__all__ = [
    "DEFAULT_REVIEW_URL", "GATES", "CitationCheck", "ClaimEval", "CounterEvidence", "EvalError", "EvalReport",
    "Finding", "FindingKind", "Gate", "GateFailure", "Judge", "PersonaEval", "Sources", "Thresholds", "alce_scores",
    "check_gates", "claim_link", "contradicts", "evaluate", "evaluate_loaded", "gates_help", "load_sources",
    "load_workspace_themes", "render_html", "report_dict",
]


__getattr__, __dir__ = lazy_names(globals(), _WHERE, __all__)
