"""Review actions for living personas: the summary, bulk accept (confirmed), and "needs another look".

Registered on the same blueprint as synth.review.routes (imported by create_app after it)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from synth.records import Claim, Verdict
from synth.review.decisions import decisions_for, log_persona_edit, record_decision
from synth.review.routes import MAX_TEXT, _back, _field, _persona, _reviewer, _store, bp

MAX_SUMMARY = MAX_TEXT


def supported(claim: Claim) -> bool:
    """Verified and supported: the judge backs it and at least one of its quotes is verbatim in its source."""
    return claim.verdict == Verdict.supported and any(c.verdict == Verdict.verified for c in claim.citations)


@bp.post("/personas/<persona_id>/summary")
def summary(persona_id: str):
    """Replace the persona's one-line summary; kept through re-runs, logged with the reviewer."""
    from synth.personas.store import update_persona

    store = _store()
    drafted = _persona(store, persona_id)
    text = " ".join((_field("summary", MAX_SUMMARY) or "").split())
    if not text:
        abort(400, description="a persona needs a summary")
    if text != drafted.summary:
        update_persona(store, drafted.model_copy(update={"summary": text}))
        log_persona_edit(store, drafted.id, "summary", drafted.summary, text, reviewer=_reviewer())
        flash("Summary saved.", "ok")
    return _back(drafted.id)


def _bulk(persona_id: str):
    store = _store()
    drafted = _persona(store, persona_id)
    decided = decisions_for(store, drafted.id)
    return store, drafted, [c for c in drafted.claims if supported(c) and c.id not in decided]


@bp.get("/personas/<persona_id>/accept-supported")
def accept_supported_confirm(persona_id: str) -> str:
    """Ask first: which undecided claims bulk accept would accept."""
    _, drafted, claims = _bulk(persona_id)
    return render_template("accept_supported.html", persona=drafted, claims=claims)


@bp.post("/personas/<persona_id>/accept-supported")
def accept_supported(persona_id: str):
    """Accept every verified-and-supported claim nobody has decided on yet; needs confirm=yes."""
    if request.form.get("confirm") != "yes":
        return redirect(url_for("review.accept_supported_confirm", persona_id=persona_id), code=303)
    store, drafted, claims = _bulk(persona_id)
    who = _reviewer()
    for claim in claims:
        record_decision(store, drafted.id, claim.id, status="accepted", reviewer=who, action="bulk accept")
    flash(f"Accepted {len(claims)} verified and supported claim(s).", "ok")
    return _back(drafted.id)


@bp.post("/look/<int:orphan_id>/dismiss")
def dismiss(orphan_id: int):
    """A reviewer has seen an orphaned decision: it leaves the list (the record stays)."""
    from synth.review.carry import dismiss_orphan

    if not dismiss_orphan(_store(), orphan_id, _reviewer()):
        abort(404, description="no such entry waiting for another look")
    flash("Dismissed from Needs another look.", "ok")
    back = request.form.get("back") or ""
    if not back.startswith("/") or back.startswith("//"):  # only a page of this app
        back = url_for("review.personas")
    return redirect(back, code=303)
