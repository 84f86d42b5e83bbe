"""`evaluate`: prove each persona against its sources, from the workspace alone.

Nothing the personas stage stored about itself is trusted: every citation is re-verified against
the stored chunks, every claim is re-judged, and coverage is counted from re-verified citations.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from synth.config import Settings
from synth.evaluation import metrics as m
from synth.evaluation.judge import Judge, alce_scores
from synth.evaluation.report import (
    ClaimEval, EvalReport, PersonaEval, ThemeInfo, Thresholds, check_gates, summarize,
)
from synth.llm import LLM, open_llm
from synth.personas.store import PersonaNotFound, find_persona, load_personas, load_segments
from synth.records import Chunk, Document, Persona, Segment, Theme, Verdict
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
) -> EvalReport:
    """Metrics for the chosen personas (default: all) and the gates they fail.

    persona_keys: ids, 1-based positions or names, as `synth show` takes them.
    llm: the judge; default: the workspace's configured LLM, else the offline judge.
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
        segments = {s.id: s for s in load_segments(store)}
        chunks = {c.id: c for c in store.chunks()}
        # Documents of citations the draft placed in an interviewer's turn, to re-check that span.
        doc_ids = {c.document_id for p in personas for claim in p.claims for c in claim.citations
                   if c.verdict == Verdict.interviewer and c.document_id}
        documents = {d: store.document(d) for d in doc_ids}
        themes, theme_note = load_workspace_themes(store)

    own = llm is None
    llm = llm or open_llm(settings.workspace, command="eval")
    try:
        judge = Judge(llm)
        evals = [_evaluate_persona(p, segments.get(p.segment_id), chunks, documents, themes, judge, find_counter_evidence)
                 for p in chosen]
    finally:
        if own:
            llm.close()

    # Distinctiveness compares with every persona in the workspace, evaluated or not.
    chunk_sets, token_sets = {}, {}
    for p in personas:
        seg = segments.get(p.segment_id)
        checks = [c for claim in p.claims
                  for c in m.recheck(claim, chunks, seg.participant_ids if seg else None, documents)]
        chunk_sets[p.id], token_sets[p.id] = m.cited_chunks(checks), m.claim_tokens(p)
    pairs = m.overlaps(chunk_sets, token_sets)
    for e in evals:
        _assign(e, m.distinctiveness(pairs[e.persona_id]))

    notes = [theme_note] if theme_note else []
    if len(personas) < 2:
        notes.append("distinctiveness needs at least two personas")
    bad = sum(len(e.tampered) for e in evals)
    if bad:
        notes.insert(0, f"{bad} citation(s) stored as verified do NOT re-verify against their sources")
    return EvalReport(
        workspace=str(settings.workspace),
        judge=judge.model_id,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        personas=evals,
        themes=[ThemeInfo(id=t.id, label=t.label) for t in themes or []],
        overlap={a: {b: v["overlap"] for b, v in row.items()} for a, row in pairs.items()},
        summary=summarize(evals),
        thresholds=thresholds,
        failures=check_gates(evals, thresholds),
        notes=notes,
    )


def _evaluate_persona(
    persona: Persona,
    segment: Segment | None,
    chunks: dict[str, Chunk],
    documents: dict[str, Document | None],
    themes: list[Theme] | None,
    judge: Judge,
    find_counter: bool,
) -> PersonaEval:
    out = PersonaEval(persona_id=persona.id, name=persona.name, segment_id=persona.segment_id)
    members = segment.participant_ids if segment else None
    if segment is None:
        out.notes.append(f"segment {persona.segment_id!r} is not stored: checked without segment membership")
    pool = m.EvidencePool(c for c in chunks.values() if members and c.participant_id in set(members))

    relevant = 0
    for claim in persona.claims:
        checks = m.recheck(claim, chunks, members, documents)
        verbatim = [c for c in checks if c.verbatim]
        alce = alce_scores(judge, claim.text, [c.quote for c in verbatim])
        for check, ok in zip(verbatim, alce.relevant, strict=True):
            check.relevant = ok
        for check in checks:
            if check.relevant is None:
                check.relevant = False  # a quote that is not in its source supports nothing
        relevant += sum(alce.relevant)
        verdict = judge.support(claim.text, [c.quote for c in checks if c.verdict == Verdict.verified])
        counter = m.counter_evidence(claim, pool) if find_counter else []
        out.claim_evals.append(ClaimEval(
            id=claim.id, section=claim.section, text=claim.text, citations=len(checks), verbatim=len(verbatim),
            verified=sum(c.verdict == Verdict.verified for c in checks), recall_supported=alce.recall_supported,
            supported=verdict.supported, score=verdict.score, counter_evidence=counter,
        ))
        out.checks.extend(checks)

    checks, claims = out.checks, out.claim_evals
    out.claims, out.citations = len(claims), len(checks)
    _assign(out, m.fidelity(checks))
    out.verdicts = {v.value: n for v in Verdict if (n := sum(c.verdict == v for c in checks))}
    out.tampered = m.tampered(checks)
    out.citation_recall = m.ratio(sum(c.recall_supported for c in claims), len(claims))
    out.citation_precision = m.ratio(relevant, len(checks))
    out.support = m.ratio(sum(c.supported for c in claims), len(claims))
    out.mean_support_score = m.ratio(sum(c.score for c in claims), len(claims))
    out.counter_evidence = sum(1 for c in claims if c.counter_evidence)
    if segment is not None:
        out.segment_participants = len(set(segment.participant_ids))
        out.segment_coverage, out.participants_cited = m.segment_coverage(checks, segment.participant_ids)
    if themes is not None:
        out.theme_chunks = m.theme_chunk_counts(checks, themes)
        known = {t.id for t in themes}
        out.themes_leading = [t for t in (segment.theme_ids if segment else []) if t in known][: m.LEADING_THEMES]
        if out.themes_leading:
            out.theme_coverage, out.themes_covered = m.theme_coverage(out.theme_chunks, out.themes_leading)
        else:
            out.notes.append("the segment names no stored themes: theme coverage skipped")
    if out.tampered:
        out.notes.insert(0, f"{len(out.tampered)} citation(s) marked verified are not verified in their source")
    return out


def _assign(target: PersonaEval, values: dict[str, float | None]) -> None:
    for name, value in values.items():
        setattr(target, name, value)
