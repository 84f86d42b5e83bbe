"""Review: read each persona with its sources; accept, reject or edit every claim; export what was approved."""

from synth.review.decisions import (
    ClaimDecision, ReviewError, ReviewStatus, decisions_for, edit_claim, history_for, record_decision,
)
from synth.review.views import apply_decisions, approved_view, export_view, shown_view

__all__ = [
    "ClaimDecision", "ReviewError", "ReviewStatus", "apply_decisions", "approved_view", "decisions_for",
    "edit_claim", "export_view", "history_for", "record_decision", "shown_view",
]
