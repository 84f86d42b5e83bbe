"""Evaluate personas against sources already loaded: metrics, independent checks, gates and verdicts.

`synth.evaluation.evaluate` loads a workspace and calls `evaluate_loaded`; benchmarks that plant defects
call it directly on personas and sources changed in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from random import Random

from synth.evaluation import metrics as m
from synth.evaluation.checks import claim_findings, counted_participants
from synth.evaluation.coherence import contradiction_findings, duplicate_findings
from synth.evaluation.findings import Finding, FindingKind
from synth.evaluation.gates import Thresholds, check_gates
from synth.evaluation.judge import Judge, alce_scores
from synth.evaluation.report import ClaimEval, EvalReport, PersonaEval, ThemeInfo, summarize
from synth.evaluation.sources import Sources
from synth.evaluation.verdicts import persona_verdict
from synth.records import Persona, Role, Segment, Theme, Verdict
from synth.substance import substance

DEFAULT_REVIEW_URL = "http://127.0.0.1:8765"  # where `synth review` serves by default
MIN_WORDS = 4  # a participant with no longer passage has nothing quotable: their kind is not expected
THEME_SAMPLE = 40  # member passages read to tell whether a theme is small talk
NON_SUBSTANTIVE_THEME = 0.5  # share of small talk at or above which a theme is not a theme of the study
COUNTED = {
    "unverified_citations": (FindingKind.fabricated, FindingKind.missing_source, FindingKind.out_of_segment),
    "interviewer_citations": (FindingKind.interviewer,),
    "non_speech_citations": (FindingKind.non_speech,),
    "cut_quotes": (FindingKind.cut_quote,),
    "polarity_conflicts": (FindingKind.polarity,),
    "contradictions": (FindingKind.contradiction,),
    "prevalence_errors": (FindingKind.prevalence,),
    "duplicate_claims": (FindingKind.duplicate,),
}


def claim_link(review_url: str | None, persona_id: str, claim_id: str | None = None) -> str | None:
    """The review app's page for a persona, at one claim (`synth.review.routes`: /personas/<id>#claim-<id>)."""
    if not review_url:
        return None
    page = f"{review_url.rstrip('/')}/personas/{persona_id}"
    return f"{page}#claim-{claim_id}" if claim_id else page


def evaluate_loaded(
    personas: Sequence[Persona],
    sources: Sources,
    judge: Judge,
    *,
    chosen: Sequence[Persona] | None = None,
    themes: list[Theme] | None = None,
    theme_note: str | None = None,
    thresholds: Thresholds | None = None,
    find_counter_evidence: bool = True,
    review_url: str | None = DEFAULT_REVIEW_URL,
    workspace: str = "",
) -> EvalReport:
    """The report for `chosen` (default: all) of `personas`, every figure re-derived from `sources`."""
    thresholds = thresholds or Thresholds()
    chosen = list({p.id: p for p in (chosen if chosen is not None else personas)}.values())
    notes = [theme_note] if theme_note else []
    notes += sources.notes
    leading_ok, skipped = substantive_themes(themes, sources) if themes else (set(), [])
    if skipped:
        notes.append("leading themes left out of theme coverage as small talk: " + ", ".join(skipped))
    evals = [_evaluate_persona(p, sources, themes, leading_ok, judge, find_counter_evidence) for p in chosen]

    duplicates = duplicate_findings(personas, only=[p.id for p in chosen])
    pairs = _distinctiveness(personas, sources)
    for e in evals:
        e.findings += duplicates.get(e.persona_id, [])
        for name, value in m.distinctiveness(pairs[e.persona_id]).items():
            setattr(e, name, value)
        _count(e)

    failures = check_gates(evals, thresholds)
    gated = any(v is not None for v in thresholds.model_dump().values())
    for e in evals:
        e.link = claim_link(review_url, e.persona_id)
        for f in e.findings:
            f.link = claim_link(review_url, e.persona_id, f.claim_id) if f.claim_id else e.link
        for c in e.claim_evals:
            c.link = claim_link(review_url, e.persona_id, c.id)
        mine = [f for f in failures if f.persona_id == e.persona_id]
        e.passed = not mine
        e.verdict = persona_verdict(e, mine, gated=gated)

    if len(personas) < 2:
        notes.append("distinctiveness needs at least two personas")
    bad = sum(len(e.tampered) for e in evals)
    if bad:
        notes.insert(0, f"{bad} citation(s) stored as verified do NOT re-verify against their sources")
    return EvalReport(
        workspace=workspace, judge=judge.model_id,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        personas=evals, themes=[ThemeInfo(id=t.id, label=t.label) for t in themes or []],
        overlap={a: {b: v["overlap"] for b, v in row.items()} for a, row in pairs.items()},
        summary=summarize(evals), thresholds=thresholds, failures=failures, notes=notes, review_url=review_url,
    )


def _distinctiveness(personas: Sequence[Persona], sources: Sources) -> dict[str, dict[str, dict[str, float]]]:
    """Pairwise overlap of every persona in the workspace with every other, evaluated or not."""
    chunk_sets, token_sets = {}, {}
    for p in personas:
        seg = sources.segments.get(p.segment_id)
        checks = [c for claim in p.claims for c in m.recheck(claim, sources.chunks, seg.participant_ids if seg else None,
                                                            sources.documents)]
        chunk_sets[p.id], token_sets[p.id] = m.cited_chunks(checks), m.claim_tokens(p)
    return m.overlaps(chunk_sets, token_sets)


def substantive_themes(themes: Sequence[Theme], sources: Sources) -> tuple[set[str], list[str]]:
    """Ids of the themes about the study, and labels of those made mostly of small talk (never required)."""
    ok, skipped = set(), []
    for t in themes:
        ours = getattr(t, "substantive", True)  # the themes stage's mark; a theme it kept is read again
        if ours:
            members = [sources.chunks[c] for c in t.chunk_ids if c in sources.chunks]
            sample = Random(t.id).sample(members, min(THEME_SAMPLE, len(members))) if members else []
            small = sum(substance(c.text, study_language=sources.study_language) is not None for c in sample)
            ours = not sample or small / len(sample) < NON_SUBSTANTIVE_THEME
        if ours:
            ok.add(t.id)
        else:
            skipped.append(t.label)
    return ok, skipped


def _quotable_kinds(segment: Segment, sources: Sources) -> list[str]:
    members = set(segment.participant_ids)
    kinds = {c.kind.value for c in sources.chunks.values()
             if c.participant_id in members and c.role == Role.participant and len(c.text.split()) >= MIN_WORDS}
    return sorted(kinds)


def _evaluate_persona(
    persona: Persona,
    sources: Sources,
    themes: list[Theme] | None,
    leading_ok: set[str],
    judge: Judge,
    find_counter: bool,
) -> PersonaEval:
    out = PersonaEval(persona_id=persona.id, name=persona.name, segment_id=persona.segment_id)
    segment = sources.segments.get(persona.segment_id)
    members = set(segment.participant_ids) if segment else None
    if segment is None:
        out.notes.append(f"segment {persona.segment_id!r} is not stored: checked without segment membership")
    pool = m.EvidencePool(c for c in sources.chunks.values() if members and c.participant_id in members)

    relevant = 0
    counted: set[str] = set()
    for claim in persona.claims:
        checks = m.recheck(claim, sources.chunks, members, sources.documents)
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
        out.findings += claim_findings(persona, claim, checks, sources, members)
        if not verdict.supported and claim.section != "quotes":
            out.findings.append(Finding(kind=FindingKind.unsupported, claim_id=claim.id,
                                        message=f"its verified quotes do not support it ({verdict.rationale})"))
        counted |= counted_participants(claim, checks, members)
    out.findings += contradiction_findings(persona)

    checks, claims = out.checks, out.claim_evals
    out.claims, out.citations = len(claims), len(checks)
    for name, value in m.fidelity(checks).items():
        setattr(out, name, value)
    out.verdicts = {v.value: n for v in Verdict if (n := sum(c.verdict == v for c in checks))}
    out.tampered = m.tampered(checks)
    out.citation_recall = m.ratio(sum(c.recall_supported for c in claims), len(claims))
    out.citation_precision = m.ratio(relevant, len(checks))
    out.support = m.ratio(sum(c.supported for c in claims), len(claims))
    out.mean_support_score = m.ratio(sum(c.score for c in claims), len(claims))
    out.counter_evidence = sum(1 for c in claims if c.counter_evidence)
    if segment is not None:
        out.segment_participants = len(members)
        out.participants_cited = len(counted & members)
        out.segment_coverage = m.ratio(out.participants_cited, len(members))
        _kind_coverage(out, segment, sources)
    if themes is not None:
        out.theme_chunks = m.theme_chunk_counts(checks, themes)
        known = {t.id for t in themes}
        leading = [t for t in (segment.theme_ids if segment else []) if t in known and t in leading_ok]
        out.themes_leading = leading[: m.LEADING_THEMES]
        if out.themes_leading:
            out.theme_coverage, out.themes_covered = m.theme_coverage(out.theme_chunks, out.themes_leading)
        else:
            out.notes.append("the segment names no stored substantive themes: theme coverage skipped")
    if out.tampered:
        out.notes.insert(0, f"{len(out.tampered)} citation(s) marked verified are not verified in their source")
    return out


def _kind_coverage(out: PersonaEval, segment: Segment, sources: Sources) -> None:
    """Source kinds of the segment quoted by a clean citation: verified, and no check found anything wrong with it."""
    flagged = {(f.claim_id, f.citation) for f in out.findings if f.citation is not None}
    position: dict[str, int] = {}
    kinds: set[str] = set()
    for check in out.checks:
        position[check.claim_id] = position.get(check.claim_id, 0) + 1
        chunk = sources.chunks.get(check.chunk_id)
        if check.verdict == Verdict.verified and chunk and (check.claim_id, position[check.claim_id]) not in flagged:
            kinds.add(chunk.kind.value)
    out.kinds_present = _quotable_kinds(segment, sources)
    out.kinds_cited = sorted(kinds & set(out.kinds_present))
    out.kind_coverage = m.ratio(len(out.kinds_cited), len(out.kinds_present))


def _count(e: PersonaEval) -> None:
    for name, kinds in COUNTED.items():
        setattr(e, name, sum(f.kind in kinds for f in e.findings))
