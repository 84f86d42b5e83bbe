"""`evaluate`: prove each persona against its sources, from the workspace alone.

Nothing the personas stage stored about itself is trusted: every citation is re-verified against
the stored chunks, every claim is re-judged, and coverage is counted from re-verified citations.
"""

from __future__ import annotations

from collections.abc import Sequence

from synth.config import Settings
from synth.evaluation.assess import DEFAULT_REVIEW_URL, evaluate_loaded
from synth.evaluation.judge import Judge
from synth.evaluation.report import EvalReport, Thresholds
from synth.evaluation.sources import load_sources
from synth.llm import LLM, open_llm
from synth.personas.store import PersonaNotFound, find_persona, load_personas, load_segments
from synth.records import Theme
from synth.store import Store
from synth.workspace import MissingWorkspace, open_store, require_workspace


class EvalError(Exception):
    """Nothing to evaluate (no personas, an unknown persona); the message says what to run.

    exit_code: 1 when a stage has not run yet, 2 for a persona key that matches nothing (usage).
    """

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def load_workspace_themes(store: Store) -> tuple[list[Theme] | None, str | None]:
    """The stored themes, or None and why theme coverage is skipped."""
    try:
        from synth.themes import load_themes
    except ImportError:
        return None, "theme coverage skipped: this install has no themes stage (synth.themes)"
    themes = list(load_themes(store))
    if not themes:
        return None, "theme coverage skipped: no themes stored; run `synth themes` first"
    return themes, None


def evaluate(
    settings: Settings,
    persona_keys: Sequence[str] | None = None,
    llm: LLM | None = None,
    thresholds: Thresholds | None = None,
    *,
    find_counter_evidence: bool = True,
    review_url: str | None = DEFAULT_REVIEW_URL,
) -> EvalReport:
    """Metrics, independent checks and gates for the chosen personas (default: all).

    persona_keys: ids, 1-based positions or names, as `synth show` takes them.
    llm: the judge; default: the workspace's configured LLM, else the offline judge.
    review_url: where `synth review` serves this workspace, for links to each claim (None: no links).
    """
    thresholds = thresholds or Thresholds()
    try:
        require_workspace(settings)  # never a new database where there is no workspace
    except MissingWorkspace as exc:
        raise EvalError(str(exc), exc.exit_code) from None
    with open_store(settings) as store:
        personas = load_personas(store)
        if not personas:
            raise EvalError("no personas yet — run `synth personas` (or `synth run FOLDER`) first")
        try:
            chosen = [find_persona(store, k) for k in persona_keys] if persona_keys else personas
        except PersonaNotFound as exc:
            raise EvalError(str(exc), exc.exit_code) from None
        chosen = list({p.id: p for p in chosen}.values())
        segments = load_segments(store)
        sources = load_sources(store, personas, segments)
        from synth.review.decisions import decisions_for

        review = {p.id: {cid: d.state for cid, d in decisions_for(store, p.id).items()} for p in chosen}
        themes, theme_note = load_workspace_themes(store)

    own = llm is None
    llm = llm or open_llm(settings.workspace, command="eval")
    try:
        report = evaluate_loaded(personas, sources, Judge(llm), chosen=chosen, themes=themes, theme_note=theme_note,
                                 thresholds=thresholds, find_counter_evidence=find_counter_evidence,
                                 review_url=review_url, workspace=str(settings.workspace))
        for p in report.personas:  # each claim marked with its review state (rejected ones are evaluated, marked)
            for c in p.claim_evals:
                c.review = review.get(p.persona_id, {}).get(c.id, "pending")
        return report
    finally:
        if own:
            llm.close()
