"""Review decisions: accept, reject or edit each claim, with a note; stored in the workspace.

`claim_reviews` holds the current decision per claim; `claim_review_log` is append-only history.
An edit is re-verified when it is made (citations re-checked against the store, support re-judged
by the configured LLM) and the re-verified claim is stored with it, so applying decisions later
(in the web app, in `synth export`) is a pure function that needs no model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from synth.records import Claim, Persona, Verdict
from synth.store import Store
from synth.verify import verify_citation

SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_reviews (
    persona_id TEXT NOT NULL, claim_id TEXT NOT NULL, status TEXT NOT NULL, text TEXT, note TEXT,
    decided_at TEXT NOT NULL, edited TEXT, PRIMARY KEY (persona_id, claim_id)
);
CREATE TABLE IF NOT EXISTS claim_review_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, persona_id TEXT NOT NULL, claim_id TEXT NOT NULL,
    action TEXT NOT NULL, status TEXT, text TEXT, note TEXT, decided_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claim_review_log_claim ON claim_review_log(persona_id, claim_id);
"""


class ReviewStatus(str, Enum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    edited = "edited"  # the reviewer rewrote the claim: approved in their words


APPROVED = {ReviewStatus.accepted, ReviewStatus.edited}


class ReviewError(ValueError):
    """A decision that cannot be recorded (unknown status, empty edit)."""


class ClaimDecision(BaseModel):
    """The current decision on one claim of one persona."""

    persona_id: str
    claim_id: str
    status: ReviewStatus = ReviewStatus.pending
    text: str | None = None  # the reviewer's wording, when edited
    note: str = ""
    decided_at: str = ""
    edited: Claim | None = None  # the claim with the reviewer's text, re-verified

    @property
    def approved(self) -> bool:
        return self.status in APPROVED


class LogEntry(BaseModel):
    persona_id: str
    claim_id: str
    action: str
    status: str | None = None
    text: str | None = None
    note: str | None = None
    decided_at: str


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def _row_to_decision(row: tuple) -> ClaimDecision:
    persona_id, claim_id, status, text, note, decided_at, edited = row
    return ClaimDecision(
        persona_id=persona_id, claim_id=claim_id, status=ReviewStatus(status), text=text, note=note or "",
        decided_at=decided_at, edited=Claim.model_validate(json.loads(edited)) if edited else None,
    )


def decisions_for(store: Store, persona_id: str) -> dict[str, ClaimDecision]:
    """Current decisions for a persona's claims, by claim id (claims never decided are absent)."""
    _ensure(store)
    rows = store.db.execute(
        "SELECT persona_id, claim_id, status, text, note, decided_at, edited FROM claim_reviews WHERE persona_id = ?",
        (persona_id,),
    )
    return {r[1]: _row_to_decision(r) for r in rows}


def history_for(store: Store, persona_id: str) -> dict[str, list[LogEntry]]:
    """Every recorded action on a persona, oldest first, by claim id ("" for the persona itself)."""
    _ensure(store)
    out: dict[str, list[LogEntry]] = {}
    rows = store.db.execute(
        "SELECT persona_id, claim_id, action, status, text, note, decided_at FROM claim_review_log "
        "WHERE persona_id = ? ORDER BY id",
        (persona_id,),
    )
    for r in rows:
        entry = LogEntry(persona_id=r[0], claim_id=r[1], action=r[2], status=r[3], text=r[4], note=r[5],
                         decided_at=r[6])
        out.setdefault(entry.claim_id, []).append(entry)
    return out


def record_decision(
    store: Store,
    persona_id: str,
    claim_id: str,
    *,
    status: ReviewStatus | str | None = None,
    note: str | None = None,
    edited: Claim | None = None,
    revert_edit: bool = False,
    action: str | None = None,
) -> ClaimDecision:
    """Record a decision; fields left as None keep their previous value. Returns the new decision.

    `edited` is the re-verified claim with the reviewer's text (see `edit_claim`); it sets the
    status to `edited` unless a status is given. `revert_edit` drops an earlier edit and sets
    the status back to pending unless a status is given.
    """
    try:
        new_status = ReviewStatus(status) if status is not None else None
    except ValueError:
        raise ReviewError(f"status must be one of {', '.join(s.value for s in ReviewStatus)}, not {status!r}") from None
    _ensure(store)
    stamp = now()
    with store.transaction() as db:
        row = db.execute(
            "SELECT persona_id, claim_id, status, text, note, decided_at, edited FROM claim_reviews "
            "WHERE persona_id = ? AND claim_id = ?",
            (persona_id, claim_id),
        ).fetchone()
        old = _row_to_decision(row) if row else ClaimDecision(persona_id=persona_id, claim_id=claim_id)
        decision = old.model_copy(update={"decided_at": stamp})
        if revert_edit:
            decision.edited, decision.text = None, None
            decision.status = ReviewStatus.pending
        if edited is not None:
            decision.edited, decision.text = edited, edited.text
            decision.status = ReviewStatus.edited
        if new_status is not None:
            if new_status == ReviewStatus.edited and decision.edited is None:
                raise ReviewError("a claim becomes `edited` through edit_claim, which re-verifies the new text")
            decision.status = new_status
        if note is not None:
            decision.note = note.strip()
        db.execute(
            "INSERT OR REPLACE INTO claim_reviews (persona_id, claim_id, status, text, note, decided_at, edited) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (persona_id, claim_id, decision.status.value, decision.text, decision.note, stamp,
             decision.edited.model_dump_json() if decision.edited else None),
        )
        db.execute(
            "INSERT INTO claim_review_log (persona_id, claim_id, action, status, text, note, decided_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (persona_id, claim_id, action or _action(new_status, edited, note), decision.status.value,
             edited.text if edited is not None else None, note.strip() if note is not None else None, stamp),
        )
    return decision


def _action(status: ReviewStatus | None, edited: Claim | None, note: str | None) -> str:
    if edited is not None:
        return "edit"
    if status is not None:
        return {"accepted": "accept", "rejected": "reject", "pending": "reset", "edited": "edit"}[status.value]
    return "note" if note is not None else "touch"


def log_rename(store: Store, persona_id: str, old: str, new: str) -> None:
    """History entry for a persona rename (the name itself is written with update_persona)."""
    _ensure(store)
    with store.transaction() as db:
        db.execute(
            "INSERT INTO claim_review_log (persona_id, claim_id, action, text, note, decided_at) "
            "VALUES (?, '', 'rename', ?, ?, ?)",
            (persona_id, new, f"was {old}", now()),
        )


# Edits: re-verify the reviewer's wording against the same evidence ------------------------------
def reverify_claim(
    claim: Claim, text: str, store: Store, llm: Any, segment_participants: Iterable[str] | None
) -> Claim:
    """The claim with new text: citations re-checked against the store, support re-judged by the LLM."""
    from synth.llm import JudgeSupportInput, run_task

    chunks = {c.id: c for c in store.chunks([c.chunk_id for c in claim.citations])}
    members = list(segment_participants) if segment_participants is not None else None
    citations = [verify_citation(c, chunks, members) for c in claim.citations]
    good = [c for c in citations if c.verdict == Verdict.verified]
    judged, _ = run_task("judge_support", JudgeSupportInput(claim=text, quotes=[c.quote for c in good]), llm)
    supported = judged.supported and bool(good)
    flags = ["edited by a reviewer and re-verified"]
    if not good:
        flags.append("no verified quote backs this claim")
    elif not supported:
        flags.append(f"the quotes do not support the edited text: {judged.rationale}")
    bad = len(citations) - len(good)
    if bad:
        flags.append(f"{bad} of {len(citations)} citations did not verify")
    return claim.model_copy(update={
        "text": text, "citations": citations, "verdict": Verdict.supported if supported else Verdict.unsupported,
        "score": judged.score, "support_count": len({c.participant_id for c in good}), "flags": flags,
    })


def edit_claim(
    store: Store, persona: Persona, claim_id: str, text: str, llm: Any,
    segment_participants: Iterable[str] | None = None, note: str | None = None,
) -> ClaimDecision:
    """Replace a claim's text with the reviewer's, re-verify it and record the edit.

    Editing back to the original wording clears the edit (status back to pending).
    """
    claim = next((c for c in persona.claims if c.id == claim_id), None)
    if claim is None:
        raise ReviewError(f"persona {persona.id} has no claim {claim_id}")
    text = " ".join(text.split())
    if not text:
        raise ReviewError("an edited claim needs some text; reject the claim to drop it")
    if text == " ".join(claim.text.split()):
        return clear_edit(store, persona.id, claim_id, note=note)
    edited = reverify_claim(claim, text, store, llm, segment_participants)
    return record_decision(store, persona.id, claim_id, edited=edited, note=note)


def clear_edit(store: Store, persona_id: str, claim_id: str, note: str | None = None) -> ClaimDecision:
    """Drop the reviewer's wording; the claim goes back to pending with its drafted text."""
    return record_decision(store, persona_id, claim_id, revert_edit=True, note=note, action="revert")


# Applying decisions: pure functions the web app and export share ---------------------------------
def _as_map(decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision]) -> dict[str, ClaimDecision]:
    if isinstance(decisions, Mapping):
        return dict(decisions)
    return {d.claim_id: d for d in decisions}


def status_of(claim_id: str, decisions: Mapping[str, ClaimDecision]) -> ReviewStatus:
    d = decisions.get(claim_id)
    return d.status if d else ReviewStatus.pending


def apply_decisions(persona: Persona, decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision]) -> Persona:
    """The persona as reviewed: edited claims carry the reviewer's re-verified text, and
    `provenance["review"]` maps every claim id to its status, note, time and drafted text."""
    by_id = _as_map(decisions)
    claims: list[Claim] = []
    review: dict[str, dict[str, Any]] = {}
    for claim in persona.claims:
        d = by_id.get(claim.id)
        status = d.status if d else ReviewStatus.pending
        review[claim.id] = {
            "status": status.value, "note": d.note if d else "", "decided_at": d.decided_at if d else None,
        }
        if d and d.edited is not None:
            review[claim.id]["drafted_text"] = claim.text
            claim = d.edited.model_copy(update={"id": claim.id, "section": claim.section})
        claims.append(claim)
    provenance = {**persona.provenance, "review": review}
    return persona.model_copy(update={"claims": claims, "provenance": provenance})


def approved_view(
    persona: Persona,
    decisions: Mapping[str, ClaimDecision] | Iterable[ClaimDecision],
    include: Literal["approved", "all"] = "approved",
) -> Persona:
    """What export shows: only approved (accepted or edited) claims, or every claim with its
    review status as its first flag ("review: rejected")."""
    if include not in ("approved", "all"):
        raise ReviewError(f"include must be 'approved' or 'all', not {include!r}")
    reviewed = apply_decisions(persona, decisions)
    review = reviewed.provenance["review"]
    if include == "approved":
        claims = [c for c in reviewed.claims if ReviewStatus(review[c.id]["status"]) in APPROVED]
    else:
        claims = [
            c.model_copy(update={"flags": [f"review: {review[c.id]['status']}", *c.flags]}) for c in reviewed.claims
        ]
    counts: dict[str, int] = {}
    for entry in review.values():
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    provenance = {**reviewed.provenance, "review_include": include, "review_counts": counts}
    return reviewed.model_copy(update={"claims": claims, "provenance": provenance})
