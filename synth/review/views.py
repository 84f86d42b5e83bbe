"""What each command shows of a reviewed persona: pure functions over a persona and its decisions.

One meaning of review state everywhere (`ClaimDecision.state`): accepted and re-verified edits are
approved; an edit its quotes do not support is *flagged*, never approved; rejected claims are left out
of `show`, chat and exports unless asked for; a persona nobody has reviewed yet is a *draft* and says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

from synth.records import Claim, Persona
from synth.review.decisions import ClaimDecision, ReviewError, ReviewStatus

DRAFT_BANNER = "Draft, not yet reviewed: no claim has been accepted, edited or rejected in `synth review`."


def _as_map(decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision]) -> dict[str, ClaimDecision]:
    if isinstance(decisions, Mapping):
        return dict(decisions)
    return {d.claim_id: d for d in decisions}


def status_of(claim_id: str, decisions: Mapping[str, ClaimDecision]) -> ReviewStatus:
    d = decisions.get(claim_id)
    return d.status if d else ReviewStatus.pending


def apply_decisions(persona: Persona, decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision]) -> Persona:
    """The persona as reviewed: edited claims carry the reviewer's re-verified text, and
    `provenance["review"]` maps every claim id to its state, note, time, reviewer and drafted text."""
    by_id = _as_map(decisions)
    claims: list[Claim] = []
    review: dict[str, dict[str, Any]] = {}
    for claim in persona.claims:
        d = by_id.get(claim.id)
        review[claim.id] = {
            "status": d.state if d else ReviewStatus.pending.value, "note": d.note if d else "",
            "decided_at": d.decided_at if d else None, "reviewer": d.reviewer if d else "",
        }
        if d and d.edited is not None:
            review[claim.id]["drafted_text"] = claim.text
            claim = d.edited.model_copy(update={"id": claim.id, "section": claim.section})
        claims.append(claim)
    provenance = {**persona.provenance, "review": review}
    return persona.model_copy(update={"claims": claims, "provenance": provenance})


def _counts(review: dict[str, dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for entry in review.values():
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    return counts


def approved_view(
    persona: Persona,
    decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision],
    include: Literal["approved", "all"] = "approved",
) -> Persona:
    """Only approved claims (accepted, or edited and still supported), or every claim with its review
    state as its first flag ("review: rejected", "review: flagged")."""
    if include not in ("approved", "all"):
        raise ReviewError(f"include must be 'approved' or 'all', not {include!r}")
    by_id = _as_map(decisions)
    reviewed = apply_decisions(persona, by_id)
    review = reviewed.provenance["review"]
    if include == "approved":
        claims = [c for c in reviewed.claims if c.id in by_id and by_id[c.id].approved]
    else:
        claims = [
            c.model_copy(update={"flags": [f"review: {review[c.id]['status']}", *c.flags]}) for c in reviewed.claims
        ]
    provenance = {**reviewed.provenance, "review_include": include, "review_counts": _counts(review)}
    return reviewed.model_copy(update={"claims": claims, "provenance": provenance})


def shown_view(persona: Persona, decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision],
               rejected: bool = False) -> Persona:
    """What `show` and chat use: edits applied, rejected claims left out (kept, flagged, with rejected=True),
    flagged edits and pending claims kept with their state as a flag."""
    by_id = _as_map(decisions)
    reviewed = apply_decisions(persona, by_id)
    review = reviewed.provenance["review"]
    claims = []
    for c in reviewed.claims:
        state = review[c.id]["status"]
        if state == "rejected" and not rejected:
            continue
        claims.append(c.model_copy(update={"flags": [f"review: {state}", *c.flags]}) if state in ("rejected", "flagged")
                      else c)
    provenance = {**reviewed.provenance, "review_counts": _counts(review),
                  "review_state": "reviewed" if by_id else "draft"}
    return reviewed.model_copy(update={"claims": claims, "provenance": provenance})


def export_view(persona: Persona, decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision],
                review: str = "approved") -> Persona:
    """What an export holds. review="approved": approved claims once anyone has reviewed the persona,
    and before that the whole draft marked "draft, not yet reviewed" (never a silently empty file);
    "all": every claim with its state; "ignore": the drafted persona as is."""
    if review == "ignore":
        return persona
    by_id = _as_map(decisions)
    if review == "approved" and not by_id:
        view = approved_view(persona, by_id, include="all")
        return view.model_copy(update={"provenance": {**view.provenance, "review_state": "draft",
                                                      "review_banner": DRAFT_BANNER}})
    view = approved_view(persona, by_id, include=review)  # type: ignore[arg-type]
    state = {"review_state": "reviewed"} if by_id else {"review_state": "draft", "review_banner": DRAFT_BANNER}
    return view.model_copy(update={"provenance": {**view.provenance, **state}})
