"""Review decisions: accept, reject or edit each claim, with a note; stored in the workspace.

`claim_reviews` holds the current decision per claim; `claim_review_log` is append-only history.
An edit is re-verified when it is made (citations re-checked against the store, support re-judged
by the configured LLM) and the re-verified claim is stored with it, so applying decisions later
(in the web app, in `synth export`) is a pure function that needs no model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timezone
from enum import Enum
from typing import Any

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
CREATE TABLE IF NOT EXISTS persona_edits (
    persona_id TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL, reviewer TEXT, decided_at TEXT NOT NULL,
    PRIMARY KEY (persona_id, field)
);
"""
# Columns added after the first release: workspaces made before them get them on first write.
ADDED_COLUMNS = {
    "claim_reviews": {"reviewer": "TEXT", "claim": "TEXT", "carried": "TEXT", "recheck": "TEXT"},
    "claim_review_log": {"reviewer": "TEXT"},
}
COLUMNS = "persona_id, claim_id, status, text, note, decided_at, edited, reviewer, claim, carried, recheck"


class ReviewStatus(str, Enum):
    pending = "pending"
    accepted = "accepted"
    rejected = "rejected"
    edited = "edited"  # the reviewer rewrote the claim: approved in their words


APPROVED = {ReviewStatus.accepted, ReviewStatus.edited}  # statuses that can approve; see ClaimDecision.approved


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
    reviewer: str = ""  # who decided (`--reviewer`, `reviewer` in config, else the OS user)
    claim: Claim | None = None  # the claim as it was when decided: how the decision finds it again after a re-run
    carried: str = ""  # set when a re-run carried the decision to a new draft's claim: from what
    recheck: str = ""  # why this carried decision needs another look ("" when it does not)

    @property
    def flagged(self) -> bool:
        """An edit whose new text its quotes do not support: shown flagged, never approved."""
        return self.status == ReviewStatus.edited and (self.edited is None or self.edited.verdict != Verdict.supported)

    @property
    def approved(self) -> bool:
        """Accepted, or edited and re-verified as supported by its quotes."""
        return self.status == ReviewStatus.accepted or (self.status == ReviewStatus.edited and not self.flagged)

    @property
    def state(self) -> str:
        """The one word every command shows: accepted, edited, flagged (an unsupported edit), rejected, pending."""
        return "flagged" if self.flagged else self.status.value


class LogEntry(BaseModel):
    persona_id: str
    claim_id: str
    action: str
    status: str | None = None
    text: str | None = None
    note: str | None = None
    decided_at: str
    reviewer: str | None = None


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def current_reviewer(explicit: str | None = None, configured: str | None = None) -> str:
    """Who is deciding: `--reviewer`, else `reviewer` in config or SYNTH_REVIEWER, else the OS user."""
    import getpass
    import os

    for name in (explicit, configured, os.environ.get("SYNTH_REVIEWER")):
        if name and name.strip():
            return " ".join(name.split())
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown"


def _ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)
    if store.read_only:
        return
    for table, columns in ADDED_COLUMNS.items():
        have = {r[1] for r in store.db.execute(f"PRAGMA table_info({table})")}
        for name, kind in columns.items():
            if name not in have:
                store.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _select(store: Store) -> str:
    """The decision columns, NULL for those an old read-only workspace lacks."""
    have = {r[1] for r in store.db.execute("PRAGMA table_info(claim_reviews)")}
    return ", ".join(c if c in have else f"NULL AS {c}" for c in COLUMNS.split(", "))


def _claim(raw: str | None) -> Claim | None:
    return Claim.model_validate(json.loads(raw)) if raw else None


def _row_to_decision(row: tuple) -> ClaimDecision:
    persona_id, claim_id, status, text, note, decided_at, edited, reviewer, claim, carried, recheck = row
    return ClaimDecision(
        persona_id=persona_id, claim_id=claim_id, status=ReviewStatus(status), text=text, note=note or "",
        decided_at=decided_at, edited=_claim(edited), reviewer=reviewer or "", claim=_claim(claim),
        carried=carried or "", recheck=recheck or "",
    )


def write_decision(db, d: ClaimDecision) -> None:
    """Store one current decision as it is (no log entry): the re-run's carry-forward uses it too."""
    db.execute(
        f"INSERT OR REPLACE INTO claim_reviews ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (d.persona_id, d.claim_id, d.status.value, d.text, d.note, d.decided_at,
         d.edited.model_dump_json() if d.edited else None, d.reviewer or None,
         d.claim.model_dump_json() if d.claim else None, d.carried or None, d.recheck or None),
    )


def _drafted_claim(db, persona_id: str, claim_id: str) -> Claim | None:
    """The claim as the stored persona drafts it now (the snapshot a decision keeps)."""
    row = db.execute("SELECT record FROM personas WHERE id = ?", (persona_id,)).fetchone() if _has(db, "personas") \
        else None
    if not row:
        return None
    for raw in json.loads(row[0]).get("claims", []):
        if raw.get("id") == claim_id:
            return Claim.model_validate(raw)
    return None


def _has(db, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone() is not None


def decisions_for(store: Store, persona_id: str) -> dict[str, ClaimDecision]:
    """Current decisions for a persona's claims, by claim id (claims never decided are absent)."""
    _ensure(store)
    rows = store.db.execute(f"SELECT {_select(store)} FROM claim_reviews WHERE persona_id = ?", (persona_id,))
    return {r[1]: _row_to_decision(r) for r in rows}


def all_decisions(store: Store, ensure: bool = True) -> list[ClaimDecision]:
    """Every current decision in the workspace (ensure=False inside a transaction: the schema script commits)."""
    if ensure:
        _ensure(store)
    return [_row_to_decision(r) for r in store.db.execute(f"SELECT {_select(store)} FROM claim_reviews")]


def history_for(store: Store, persona_id: str) -> dict[str, list[LogEntry]]:
    """Every recorded action on a persona, oldest first, by claim id ("" for the persona itself)."""
    _ensure(store)
    out: dict[str, list[LogEntry]] = {}
    have = {r[1] for r in store.db.execute("PRAGMA table_info(claim_review_log)")}
    rows = store.db.execute(
        "SELECT persona_id, claim_id, action, status, text, note, decided_at, "
        f"{'reviewer' if 'reviewer' in have else 'NULL'} FROM claim_review_log WHERE persona_id = ? ORDER BY id",
        (persona_id,),
    )
    for r in rows:
        entry = LogEntry(persona_id=r[0], claim_id=r[1], action=r[2], status=r[3], text=r[4], note=r[5],
                         decided_at=r[6], reviewer=r[7])
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
    reviewer: str | None = None,
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
    reviewer = current_reviewer(reviewer)
    with store.transaction() as db:
        row = db.execute(
            f"SELECT {COLUMNS} FROM claim_reviews WHERE persona_id = ? AND claim_id = ?", (persona_id, claim_id),
        ).fetchone()
        old = _row_to_decision(row) if row else ClaimDecision(persona_id=persona_id, claim_id=claim_id)
        decision = old.model_copy(update={"decided_at": stamp, "reviewer": reviewer})
        if new_status is not None or edited is not None or revert_edit:
            # A judgement made now is the reviewer's own: no longer "carried" or waiting for another look.
            decision.carried, decision.recheck = "", ""
        decision.claim = _drafted_claim(db, persona_id, claim_id) or old.claim
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
        write_decision(db, decision)
        db.execute(
            "INSERT INTO claim_review_log (persona_id, claim_id, action, status, text, note, decided_at, reviewer) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (persona_id, claim_id, action or _action(new_status, edited, note), decision.status.value,
             edited.text if edited is not None else None, note.strip() if note is not None else None, stamp,
             reviewer),
        )
    return decision


def _action(status: ReviewStatus | None, edited: Claim | None, note: str | None) -> str:
    if edited is not None:
        return "edit"
    if status is not None:
        return {"accepted": "accept", "rejected": "reject", "pending": "reset", "edited": "edit"}[status.value]
    return "note" if note is not None else "touch"


def log_rename(store: Store, persona_id: str, old: str, new: str, reviewer: str | None = None) -> None:
    """History entry for a persona rename (the name itself is written with update_persona)."""
    log_persona_edit(store, persona_id, "name", old, new, reviewer)


PERSONA_FIELDS = ("name", "summary")


def log_persona_edit(store: Store, persona_id: str, field: str, old: str, new: str,
                     reviewer: str | None = None) -> None:
    """Record a reviewer's name or summary for a persona: kept through re-runs, logged in its history."""
    if field not in PERSONA_FIELDS:
        raise ReviewError(f"a persona's editable fields are {', '.join(PERSONA_FIELDS)}, not {field!r}")
    _ensure(store)
    who, stamp = current_reviewer(reviewer), now()
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO persona_edits (persona_id, field, value, reviewer, decided_at) "
                   "VALUES (?, ?, ?, ?, ?)", (persona_id, field, new, who, stamp))
        db.execute(
            "INSERT INTO claim_review_log (persona_id, claim_id, action, text, note, decided_at, reviewer) "
            "VALUES (?, '', ?, ?, ?, ?, ?)",
            (persona_id, "rename" if field == "name" else "summary", new, f"was {old}", stamp, who),
        )


def persona_edits(store: Store) -> dict[str, dict[str, str]]:
    """Reviewers' names and summaries, by persona id then field."""
    _ensure(store)
    out: dict[str, dict[str, str]] = {}
    for pid, field, value in store.db.execute("SELECT persona_id, field, value FROM persona_edits"):
        out.setdefault(pid, {})[field] = value
    return out


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
    segment_participants: Iterable[str] | None = None, note: str | None = None, reviewer: str | None = None,
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
        return clear_edit(store, persona.id, claim_id, note=note, reviewer=reviewer)
    edited = reverify_claim(claim, text, store, llm, segment_participants)
    return record_decision(store, persona.id, claim_id, edited=edited, note=note, reviewer=reviewer)


def clear_edit(store: Store, persona_id: str, claim_id: str, note: str | None = None,
               reviewer: str | None = None) -> ClaimDecision:
    """Drop the reviewer's wording; the claim goes back to pending with its drafted text."""
    return record_decision(store, persona_id, claim_id, revert_edit=True, note=note, action="revert",
                           reviewer=reviewer)
