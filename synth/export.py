"""Export personas as Markdown, self-contained HTML or JSON, every citation numbered and traceable.

`export_persona` is the one function every caller uses; `include` narrows the claims (the review
app passes the ids of approved claims), and a persona with review decisions already applied can
be passed as is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from pathlib import Path

from synth.personas.sources import SourceList
from synth.personas.store import load_personas, load_segments
from synth.records import Claim, Persona, Segment, Verdict
from synth.review.decisions import decisions_for
from synth.review.views import export_view
from synth.store import Store

FORMATS = ("md", "html", "json", "card", "pdf", "csv")  # card, pdf, csv: synth.cards
TEXT_FORMATS = ("md", "html", "json", "card", "csv")
SECTION_ORDER = ("narrative", "goals", "frustrations", "behaviours", "motivations", "needs", "context", "quotes")
SECTION_TITLES = {"narrative": "Narrative", "goals": "Goals", "frustrations": "Frustrations",
                  "behaviours": "Behaviours", "motivations": "Motivations", "needs": "Needs",
                  "context": "Context", "quotes": "Signature quotes"}
FIGURE_LABELS = [  # figure key, label, kind
    ("claims_supported_share", "claims supported", "share"),
    ("citations_verified_share", "citations verified", "share"),
    ("citations_verbatim_share", "citations verbatim", "share"),
    ("participants_covered", "participants cited", "share"),
    ("participants_counted", "participants counted by its claims", "share"),
    ("claims_by_kind", "claims citing each source kind", "kinds"),
    ("themes_covered", "leading themes cited", "share"),
    ("overlap_with_others", "overlap with other personas", "number"),
]


class ExportError(ValueError):
    """An export that cannot be made (unknown format); the message says what works."""


def sections(persona: Persona) -> list[tuple[str, list[Claim]]]:
    grouped: dict[str, list[Claim]] = {}
    for claim in persona.claims:
        grouped.setdefault(claim.section, []).append(claim)
    order = {s: i for i, s in enumerate(SECTION_ORDER)}
    return sorted(grouped.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def claim_marker(claim: Claim) -> tuple[str, str]:
    """The claim's own marker: supported only with a verified quote behind it."""
    verified = any(c.verdict == Verdict.verified for c in claim.citations)
    score = f" {claim.score:.2f}" if claim.score is not None else ""
    if claim.verdict == Verdict.supported and verified:
        return "✓", f"supported{score}"
    if claim.verdict == Verdict.unverified:
        return "?", "not checked"
    return "✗", f"unsupported{score}" if verified else "no verified quote"


def figure_text(persona: Persona, key: str, kind: str) -> str:
    value = persona.figures.get(key)
    if value is None:
        return "n/a"
    if kind == "kinds":  # {"interview": 0.4, "review": 0.8}: the share of claims citing each kind
        return " · ".join(f"{k} {v:.0%}" for k, v in value.items()) or "n/a"
    return f"{value:.0%}" if kind == "share" else f"{value:.2f}"


def review_line(persona: Persona) -> str:
    """The line an export opens with about review: a draft says so; a reviewed export says what it holds."""
    prov = persona.provenance
    if prov.get("review_state") == "draft":
        return prov.get("review_banner") or "Draft, not yet reviewed."
    counts = prov.get("review_counts")
    if prov.get("review_state") == "reviewed" and counts is not None:
        held = "every claim with its review state" if prov.get("review_include") == "all" else \
            f"{len(persona.claims)} approved claim(s)"
        parts = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
        return f"Reviewed ({parts}); this export holds {held}."
    return ""


def support_text(claim: Claim) -> str:
    """", 9 of 14 participants": whom the claim speaks for (its prevalence, else its cited participants)."""
    p = claim.prevalence
    if p is not None and p.of and claim.support_count:
        return f", {claim.support_count} of {p.of} " + ("who said who they are" if p.base == "described"
                                                         else "participants")
    return f", {claim.support_count} participant(s)" if claim.support_count else ""


def export_persona(
    persona: Persona,
    store: Store,
    fmt: str,
    include: Collection[str] | None = None,
    segment: Segment | None = None,
    template=None,
    study=None,
) -> str:
    """The persona as text in `fmt` (md, html, json, card or csv); include: claim ids to keep (default: all).

    template: the synth.cards template laying out html and card (default: the shipped one); study: a
    synth.cards.StudyView read once when exporting many personas.
    """
    if fmt not in TEXT_FORMATS:
        raise ExportError(f"unknown format {fmt!r} for text; use one of: {', '.join(TEXT_FORMATS)}")
    if include is not None:
        keep = set(include)
        persona = persona.model_copy(update={"claims": [c for c in persona.claims if c.id in keep]})
    if fmt in ("html", "card"):
        from synth.cards.formats import persona_html

        return persona_html(persona, store, fmt, segment, template, study)
    if fmt == "csv":
        from synth.cards.table import claims_csv
        from synth.cards.template import load_template

        return claims_csv([persona], store, template or load_template())
    sources = SourceList(persona, store, context=False)
    if fmt == "json":
        return json.dumps(persona_dict(persona, sources, segment), indent=2, ensure_ascii=False)
    if fmt == "md":  # laid out by the persona template, like the card and the full page
        from synth.cards import StudyView
        from synth.cards.markdown import persona_markdown
        from synth.cards.template import load_template

        facts = (study or StudyView.load(store)).facts(segment) if segment is not None else None
        return persona_markdown(persona, sources, segment, template or load_template(), facts)
    raise AssertionError(fmt)  # every text format is handled above


def persona_dict(persona: Persona, sources: SourceList, segment: Segment | None) -> dict:
    data = persona.model_dump(mode="json")
    for claim, raw in zip(persona.claims, data["claims"], strict=True):
        for cite, raw_cite in zip(claim.citations, raw["citations"], strict=True):
            raw_cite["n"] = sources.number(cite)
    data["segment"] = segment.model_dump(mode="json") if segment else None
    data["sources"] = [s.as_dict() for s in sources]
    return data


def _md(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", " ".join(text.split()))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "persona"


def export_personas(
    store: Store, personas: Sequence[Persona], fmt: str, out: Path, include: Collection[str] | None = None,
    review: str | None = "approved",
    template=None,
) -> list[Path]:
    """Write one file per persona into `out` (csv: one claims.csv for them all); returns their paths.

    review: "approved" keeps only approved claims (accepted, or edited and re-verified) once a reviewer has
    decided anything in `synth review`, and before that the whole draft marked "draft, not yet reviewed";
    "all" keeps every claim with its review state as its first flag; None ignores review decisions.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    segments = {s.id: s for s in load_segments(store)}
    positions = {p.id: i for i, p in enumerate(load_personas(store), 1)}
    out.mkdir(parents=True, exist_ok=True)
    study, views = _study(store, fmt), []
    paths = []
    for persona in personas:
        if review is not None:
            persona = export_view(persona, decisions_for(store, persona.id), review)
        if include is not None:
            persona = persona.model_copy(update={"claims": [c for c in persona.claims if c.id in set(include)]})
        views.append(persona)
        path = out / f"{positions.get(persona.id, 0):02d}-{slug(persona.name)}.{fmt}".replace(".card", ".card.html")
        if fmt == "csv":
            continue
        if fmt == "pdf":
            from synth.cards.formats import persona_pdf

            path.write_bytes(persona_pdf(persona, store, segments.get(persona.segment_id), template, study))
        else:
            path.write_text(export_persona(persona, store, fmt, None, segments.get(persona.segment_id), template,
                                           study), encoding="utf-8")
        if fmt == "html":  # the page links to its one-page card
            card = path.with_suffix(".card.html")
            card.write_text(export_persona(persona, store, "card", None, None, template, study), encoding="utf-8")
            paths.append(card)
        paths.append(path)
    if fmt == "csv":
        from synth.cards.table import claims_csv
        from synth.cards.template import load_template

        path = out / "claims.csv"
        path.write_text(claims_csv(views, store, template or load_template()), encoding="utf-8")
        paths.append(path)
    return paths


def _study(store: Store, fmt: str):
    """The study's per-participant facts, read once for every card-based page of an export."""
    if fmt not in ("html", "card", "pdf", "md"):
        return None
    from synth.cards import StudyView

    return StudyView.load(store)
