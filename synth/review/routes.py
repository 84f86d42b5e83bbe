"""Pages and actions of the review app. Every id in a URL is looked up in the workspace database;
none names a file. State changes only through POST (CSRF-checked in `security`)."""

from __future__ import annotations

import importlib
from typing import Any

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for

from synth.config import Settings
from synth.personas.store import load_personas, load_segments, update_persona
from synth.records import Persona, Segment, Theme, Verdict
from synth.review.app import ASSETS, open_store
from synth.review.decisions import (
    ReviewError, ReviewStatus, clear_edit, decisions_for, edit_claim, history_for, log_rename, now,
    record_decision,
)
from synth.review.views import apply_decisions
from synth.review.evidence import (
    CITATION_BADGES, STATUS_BADGES, UNCHECKED, by_section, claim_views, exemplar_views,
)
from synth.store import Store

bp = Blueprint("review", __name__)

MAX_NAME = 80
MAX_NOTE = 2000
MAX_TEXT = 2000
THEMES_HINT = "No themes yet: run `synth themes` (or `synth run FOLDER`), then reload this page."
STALE_HINT = "Sources changed since these themes were built: run `synth themes` to bring them up to date."


def _settings() -> Settings:
    return current_app.config["SYNTH_SETTINGS"]


def _store() -> Store:
    return open_store(_settings())


def _persona(store: Store, persona_id: str) -> Persona:
    persona = next((p for p in load_personas(store) if p.id == persona_id), None)
    if persona is None:
        abort(404, description="no persona with that id in this workspace")
    return persona


def _segment(store: Store, persona: Persona) -> Segment | None:
    return next((s for s in load_segments(store) if s.id == persona.segment_id), None)


def _reviewer() -> str:
    return current_app.config["REVIEWER"]


def _claim_id(persona: Persona, claim_id: str) -> str:
    if not any(c.id == claim_id for c in persona.claims):
        abort(404, description="this persona has no claim with that id")
    return claim_id


REBUILT = "This persona was rebuilt while the page was open"


def _target(store: Store, persona_id: str, claim_id: str, **decided: Any) -> tuple[Persona | None, str | None]:
    """The persona and claim a decision goes to. When a re-run replaced the claim after the page was loaded,
    the decision follows it by content to the new draft, or is kept under "needs another look"; never lost."""
    from synth.review.carry import claim_in_versions, keep_stale, match_claim
    from synth.review.decisions import ClaimDecision

    persona = next((p for p in load_personas(store) if p.id == persona_id), None)
    if persona is not None and any(c.id == claim_id for c in persona.claims):
        return persona, claim_id
    old = claim_in_versions(store, persona_id, claim_id)
    if old is None:
        abort(404, description="no claim with that id in this persona or its earlier versions")
    found = match_claim(old, persona.claims) if persona is not None else None
    if found is not None:
        flash(f"{REBUILT}: your decision went to the matching claim of the new version.", "ok")
        return persona, found[0].id
    keep_stale(store, persona, persona_id, ClaimDecision(
        persona_id=persona_id, claim_id=claim_id, claim=old, reviewer=_reviewer(), decided_at=now(), **decided),
        reason="decided on a version a re-run replaced while the page was open")
    flash(f"{REBUILT} and no claim of the new version matches: your decision is kept under Needs another look.",
          "bad")
    return None, None


def load_theme_list(settings: Settings) -> tuple[list[Theme], str | None]:
    """Themes from the themes stage (`synth.themes.load_themes`), and a hint when there are none or they are stale."""
    try:
        module = importlib.import_module("synth.themes")
    except ModuleNotFoundError as exc:
        if exc.name and "synth.themes".startswith(exc.name):
            return [], THEMES_HINT
        raise
    load = getattr(module, "load_themes", None)
    if load is None:
        return [], THEMES_HINT
    try:
        loaded = load(settings)
    except Exception as exc:  # another stage's failure: say what it was, keep the rest of the app working
        return [], f"Themes could not be read: {exc}"
    themes = list(getattr(loaded, "themes", loaded))  # a ThemeRun, or a plain list of themes
    if not themes:
        return [], THEMES_HINT
    if getattr(loaded, "stale", False):
        return themes, STALE_HINT
    return themes, None


def _figures(persona: Persona, segment: Segment | None, decisions: dict, labels: dict[str, str]) -> dict[str, Any]:
    reviewed = apply_decisions(persona, decisions)
    supported = [
        c for c in reviewed.claims
        if c.verdict == Verdict.supported and any(x.verdict == Verdict.verified for x in c.citations)
    ]
    status = {s: 0 for s in ReviewStatus}
    for claim in persona.claims:
        d = decisions.get(claim.id)
        status[d.status if d else ReviewStatus.pending] += 1
    participants = len(segment.participant_ids) if segment else persona.figures.get("participants")
    theme_ids = segment.theme_ids if segment else []
    return {
        "claims": len(persona.claims),
        "supported": len(supported),
        "flagged": len(persona.claims) - len(supported),
        "participants": participants,
        "themes": [labels.get(t, t) for t in theme_ids],
        "status": status,
        "reviewed": len(persona.claims) - status[ReviewStatus.pending],
    }


# pages -------------------------------------------------------------------------------------------
@bp.get("/")
def personas() -> str:
    store = _store()
    items = load_personas(store)
    segments = {s.id: s for s in load_segments(store)}
    themes, _ = load_theme_list(_settings()) if items else ([], None)
    labels = {t.id: t.label for t in themes}
    rows = [(p, _figures(p, segments.get(p.segment_id), decisions_for(store, p.id), labels)) for p in items]
    from synth.personas.store import load_retired
    from synth.review.carry import needs_another_look

    return render_template("personas.html", rows=rows, workspace=str(_settings().workspace),
                           look=needs_another_look(store), retired=load_retired(store))


@bp.get("/personas/<persona_id>")
def persona(persona_id: str) -> str:
    store = _store()
    drafted = _persona(store, persona_id)
    segment = _segment(store, drafted)
    decisions = decisions_for(store, drafted.id)
    reviewed = apply_decisions(drafted, decisions)
    history = history_for(store, drafted.id)
    views = claim_views(store, drafted, reviewed, segment, decisions, history)
    themes, _ = load_theme_list(_settings())
    figures = _figures(drafted, segment, decisions, {t.id: t.label for t in themes})
    from synth.review.carry import needs_another_look

    return render_template("persona.html", persona=drafted, segment=segment, sections=by_section(views),
                           figures=figures, renames=[h for h in history.get("", []) if h.action == "rename"],
                           look=needs_another_look(store, drafted.id))


@bp.get("/personas/<persona_id>/claims/<claim_id>/citations/<int:number>")
def citation(persona_id: str, claim_id: str, number: int) -> str:
    """One citation opened in its source, on a page of its own (the persona page shows it inline)."""
    store = _store()
    drafted = _persona(store, persona_id)
    _claim_id(drafted, claim_id)
    decisions = decisions_for(store, drafted.id)
    one = drafted.model_copy(update={"claims": [c for c in drafted.claims if c.id == claim_id]})
    (view,) = claim_views(store, one, apply_decisions(one, decisions), _segment(store, drafted), decisions, {})
    if not 1 <= number <= len(view.citations):
        abort(404, description="this claim has no citation with that number")
    return render_template("citation.html", persona=drafted, view=view, cite=view.citations[number - 1])


@bp.get("/themes")
def themes() -> str:
    """Every theme with its exemplars; ?kind=problem (request, praise, question, usage) crosses themes by the kind
    of statement: themes ordered by how many of their passages are of that kind, with quotes of that kind."""
    from synth.themes.statements import KINDS
    from synth.themes.store import ThemeStore

    store = _store()
    found, hint = load_theme_list(_settings())
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        abort(400, description=f"kind must be one of {', '.join(KINDS)}")
    if kind and found:
        said = ThemeStore(store.db).statements()
        found = sorted((t.model_copy(update={"exemplar_ids": [c for c in t.chunk_ids if said.get(c) == kind][:3]})
                        for t in found if t.statements.get(kind)), key=lambda t: -t.statements[kind])
    exemplars = exemplar_views(store, found) if found else {}
    segments = load_segments(store)
    names = {p.segment_id: p for p in load_personas(store)}
    used_by: dict[str, list[Persona]] = {}
    for s in segments:
        for tid in s.theme_ids:
            if s.id in names:
                used_by.setdefault(tid, []).append(names[s.id])
    return render_template("themes.html", themes=found, hint=hint, exemplars=exemplars, used_by=used_by,
                           kinds=[k for k in KINDS if k != "other"], kind=kind)


@bp.get("/assets/<name>")
def asset(name: str) -> Response:
    assets = current_app.config["REVIEW_ASSETS"]
    if name not in assets:
        abort(404)
    return Response(assets[name], mimetype=ASSETS[name], headers={"Cache-Control": "max-age=300"})


# actions (POST only) -------------------------------------------------------------------------------
def _back(persona_id: str, claim_id: str | None = None):
    anchor = f"#claim-{claim_id}" if claim_id else ""
    return redirect(url_for("review.persona", persona_id=persona_id) + anchor, code=303)


def _field(name: str, limit: int) -> str | None:
    value = request.form.get(name)
    if value is not None and len(value) > limit:
        abort(400, description=f"{name} is longer than {limit} characters")
    return value


@bp.post("/personas/<persona_id>/claims/<claim_id>/decision")
def decide(persona_id: str, claim_id: str):
    """Accept, reject or reset a claim (status accepted, rejected or pending), with an optional note."""
    store = _store()
    status = request.form.get("status", "")
    if status not in ("accepted", "rejected", "pending"):
        abort(400, description="status must be accepted, rejected or pending")
    note = _field("note", MAX_NOTE)
    drafted, claim_id = _target(store, persona_id, claim_id, status=status, note=note or "")
    if drafted is None:
        return redirect(url_for("review.personas") + "#needs-another-look", code=303)
    record_decision(store, drafted.id, claim_id, status=status, note=note or None, reviewer=_reviewer())
    flash(f"Claim {STATUS_BADGES[ReviewStatus(status)].label}.", "ok")
    return _back(drafted.id, claim_id)


@bp.post("/personas/<persona_id>/claims/<claim_id>/edit")
def edit(persona_id: str, claim_id: str):
    """Replace a claim's text; the new text is re-verified against the same quotes."""
    from synth.llm import LLMError

    store = _store()
    text = _field("text", MAX_TEXT) or ""
    note = _field("note", MAX_NOTE)
    drafted, claim_id = _target(store, persona_id, claim_id, status="pending", text=" ".join(text.split()) or None,
                                note=note or "")
    if drafted is None:
        return redirect(url_for("review.personas") + "#needs-another-look", code=303)
    segment = _segment(store, drafted)
    try:
        with current_app.config["REVIEW_LLM_LOCK"]:
            decision = edit_claim(store, drafted, claim_id, text, _llm(), segment.participant_ids if segment else None,
                                  note=note or None, reviewer=_reviewer())
    except ReviewError as exc:
        abort(400, description=str(exc))
    except LLMError as exc:
        flash(f"The edit was not saved: it could not be re-verified ({exc}).", "bad")
        return _back(drafted.id, claim_id)
    if decision.edited is None:
        flash("Edit reverted: the claim has its drafted text again.", "ok")
    else:
        supported = decision.edited.verdict == Verdict.supported
        flash(f"Edit saved and re-verified: {'supported' if supported else 'NOT supported'} by its quotes "
              f"(score {decision.edited.score:.2f}).", "ok" if supported else "bad")
    return _back(drafted.id, claim_id)


@bp.post("/personas/<persona_id>/claims/<claim_id>/revert")
def revert(persona_id: str, claim_id: str):
    """Drop an edit: the drafted text comes back and the claim is pending again."""
    store = _store()
    drafted = _persona(store, persona_id)
    _claim_id(drafted, claim_id)
    clear_edit(store, drafted.id, claim_id, reviewer=_reviewer())
    flash("Edit reverted: the claim has its drafted text again.", "ok")
    return _back(drafted.id, claim_id)


@bp.post("/personas/<persona_id>/claims/<claim_id>/note")
def note(persona_id: str, claim_id: str):
    store = _store()
    text = _field("note", MAX_NOTE) or ""
    drafted, claim_id = _target(store, persona_id, claim_id, note=text)
    if drafted is None:
        return redirect(url_for("review.personas") + "#needs-another-look", code=303)
    record_decision(store, drafted.id, claim_id, note=text, reviewer=_reviewer())
    flash("Note saved.", "ok")
    return _back(drafted.id, claim_id)


@bp.post("/personas/<persona_id>/rename")
def rename(persona_id: str):
    store = _store()
    drafted = _persona(store, persona_id)
    name = " ".join((_field("name", MAX_NAME) or "").split())
    if not name:
        abort(400, description="a persona needs a name")
    if name != drafted.name:
        update_persona(store, drafted.model_copy(update={"name": name}))
        log_rename(store, drafted.id, drafted.name, name, reviewer=_reviewer())
        flash(f"Renamed to {name}.", "ok")
    return _back(drafted.id)


def _llm():
    """The LLM that judges edits: the one given to create_app, else the configured one, opened once."""
    if current_app.config["REVIEW_LLM"] is None:
        from synth.llm import open_llm

        current_app.config["REVIEW_LLM"] = open_llm(_settings().workspace, command="review")
    return current_app.config["REVIEW_LLM"]


def template_helpers() -> dict[str, Any]:
    return {"CITATION_BADGES": CITATION_BADGES, "UNCHECKED": UNCHECKED, "STATUS_BADGES": STATUS_BADGES}
