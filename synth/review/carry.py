"""Review work carried across re-runs: a decision follows its claim by content, or is listed, never dropped.

A re-run drafts every claim again; a claim's id is a hash of its wording, and its wording moves with
the data ("9 of 14 participants ..." becomes "10 of 15 ..."). Each decision keeps the claim as it was
when decided, and after the re-run it is matched to the new draft of the same persona:

1. the same claim id (same section and wording): the decision stays;
2. the same section and the same *normalised* text (lower case, numbers, punctuation and spacing
   ignored, so a changed count "9 of 14" -> "10 of 15" is the same claim);
3. the same section, at least MIN_CITATIONS Jaccard overlap of the cited quotes (chunk and normalised
   quote) and at least MIN_WORDS Jaccard overlap of the words: the same claim reworded. It is carried
   and listed under "needs another look", because the reviewer decided on other words.

Each new claim takes at most one decision. A carried decision is re-verified: an edit's wording is
re-judged against the new claim's quotes (by `synth.personas.living.settle`), and an
accepted claim the new draft no longer supports is listed under "needs another look". A decision whose
claim (or persona) has no match is kept in `review_orphans`, shown in the run summary and in
`synth review` under "needs another look", until a reviewer dismisses it.

Participants move between segments on a re-run, and what they said moves with them: a decision whose
claim its own persona no longer has goes to the same claim (same section and normalised wording, the
persona's first name aside) in another persona when it cites at least one of the same passages; it is
listed under "needs another look" there. A retired persona's decisions can move the same way. An
approved claim the re-run did not draft again is kept while its quotes verify
(`synth.personas.living.keep_reviewed`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from pydantic import BaseModel, Field

from synth.records import Claim, Persona, Verdict
from synth.review.decisions import ClaimDecision, ReviewStatus, now
from synth.store import Store
from synth.verify import normalize

MIN_CITATIONS = 0.5
KEPT = "kept from the reviewed version: approved by a reviewer, not drafted again by the re-run"
MIN_WORDS = 0.5

SCHEMA = """
CREATE TABLE IF NOT EXISTS review_orphans (
    id INTEGER PRIMARY KEY AUTOINCREMENT, persona_id TEXT NOT NULL, persona_name TEXT, claim_id TEXT NOT NULL,
    decision TEXT NOT NULL, reason TEXT NOT NULL, orphaned_at TEXT NOT NULL, version INTEGER,
    dismissed_at TEXT, dismissed_by TEXT
);
"""

_WORD = re.compile(r"[^\W\d_]+")


def normalised_text(text: str) -> str:
    """A claim's wording with case, numbers, punctuation and spacing taken out."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(folded))


def claim_key(claim: Claim) -> str:
    return f"{claim.section}|{normalised_text(claim.text)}"


def citation_set(claim: Claim) -> set[tuple[str, str]]:
    return {(c.chunk_id, normalised_text(normalize(c.quote))) for c in claim.citations}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def match_claim(old: Claim, candidates: Sequence[Claim]) -> tuple[Claim, str] | None:
    """The new claim that continues `old`, and how: "same" (id or normalised text) or "reworded"."""
    for c in candidates:
        if c.id == old.id:
            return c, "same"
    key = claim_key(old)
    for c in candidates:
        if claim_key(c) == key:
            return c, "same"
    cites, words = citation_set(old), set(normalised_text(old.text).split())
    best: tuple[float, Claim] | None = None
    for c in candidates:
        if c.section != old.section:
            continue
        by_cites, by_words = _jaccard(cites, citation_set(c)), _jaccard(words, set(normalised_text(c.text).split()))
        if by_cites >= MIN_CITATIONS and by_words >= MIN_WORDS and (best is None or by_cites + by_words > best[0]):
            best = (by_cites + by_words, c)
    return (best[1], "reworded") if best else None


class Orphan(BaseModel):
    """A decision whose claim the new draft no longer has: kept and listed, never dropped."""

    id: int | None = None
    persona_id: str
    persona_name: str = ""
    decision: ClaimDecision
    reason: str
    orphaned_at: str = ""
    version: int | None = None


class Carried(BaseModel):
    """A decision moved (or kept) on a claim of the new draft."""

    old_claim_id: str
    old_persona_id: str = ""
    decision: ClaimDecision
    how: str  # "same" | "reworded" | "moved" (to another persona, with its participants)


class CarryPlan(BaseModel):
    carried: list[Carried] = Field(default_factory=list)
    orphans: list[Orphan] = Field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.carried) + len(self.orphans)


def _supported(claim: Claim) -> bool:
    return claim.verdict == Verdict.supported and any(c.verdict == Verdict.verified for c in claim.citations)


def plan_carry(
    decisions: Iterable[ClaimDecision],
    previous: Mapping[str, Persona],
    personas: Sequence[Persona],
    edits: Mapping[tuple[str, str, str], Claim] | None = None,
) -> CarryPlan:
    """Where each decision goes in the new draft (pure: no store, no model).

    previous: the personas the decisions were made on, by id (a decision's own claim snapshot wins).
    edits: re-verified edits by (persona id, old claim id, decided_at), computed before the write; an
    edit missing there keeps its earlier verification and is listed for another look."""
    edits = edits or {}
    new_by_id = {p.id: p for p in personas}
    plan = CarryPlan()
    pending: list[tuple[ClaimDecision, Claim | None]] = []
    for d in decisions:
        old = d.claim or next((c for c in previous.get(d.persona_id, Persona(id="", name="", summary="",
                                                                              segment_id="")).claims
                               if c.id == d.claim_id), None)
        pending.append((d, old))
    # Exact ids first, so a claim that did not change keeps its own decision.
    pending.sort(key=lambda x: x[0].persona_id in new_by_id and x[0].claim_id not in
                 {c.id for c in new_by_id[x[0].persona_id].claims})
    taken: set[tuple[str, str]] = set()
    left: list[tuple[ClaimDecision, Claim, str]] = []
    for d, old in pending:
        persona = new_by_id.get(d.persona_id)
        name = persona.name if persona else previous.get(d.persona_id, Persona(id="", name="", summary="",
                                                                                segment_id="")).name
        if old is None:
            old = Claim(id=d.claim_id, section="", text=d.text or "")
        found = match_claim(old, [c for c in persona.claims if (persona.id, c.id) not in taken]) if persona else None
        if found is None:
            left.append((d, old, name))
            continue
        claim, how = found
        taken.add((persona.id, claim.id))
        plan.carried.append(Carried(old_claim_id=d.claim_id, old_persona_id=d.persona_id,
                                    decision=_moved(d, old, claim, how, edits), how=how))
    # Participants move between segments, and their claims with them: the same claim (the persona's first
    # name aside), citing at least one of the same passages, in another persona takes the decision, to check.
    for d, old, name in left:
        found = _elsewhere(old, name, personas, d.persona_id, taken)
        if found is None:
            why = ("no claim of the new draft says this any more" if d.persona_id in new_by_id
                   else "its persona was retired: no segment of this run continues it")
            plan.orphans.append(Orphan(persona_id=d.persona_id, persona_name=name, decision=d, reason=why))
            continue
        persona, claim = found
        taken.add((persona.id, claim.id))
        moved = _moved(d, old, claim, "moved", edits)
        moved = moved.model_copy(update={
            "persona_id": persona.id, "carried": f"moved with its participants from {name or d.persona_id}",
            "recheck": moved.recheck or f"moved here with its participants from {name or d.persona_id}: check it "
                                         "belongs to this persona"})
        plan.carried.append(Carried(old_claim_id=d.claim_id, old_persona_id=d.persona_id, decision=moved,
                                    how="moved"))
    return plan


def first_name(persona_name: str) -> str:
    """"Maya, the planner" -> "maya": how a narrative sentence names its persona."""
    words = normalised_text(persona_name.split(",")[0]).split()
    return words[0] if words else ""


def _unnamed(claim: Claim, name: str) -> str:
    first = first_name(name)
    return f"{claim.section}|" + " ".join(w for w in normalised_text(claim.text).split() if w != first)


def _elsewhere(old: Claim, old_name: str, personas: Sequence[Persona], skip: str,
               taken: set[tuple[str, str]]) -> tuple[Persona, Claim] | None:
    key, chunks = _unnamed(old, old_name), {c.chunk_id for c in old.citations}
    for p in personas:
        if p.id == skip:
            continue
        for c in p.claims:
            if (p.id, c.id) not in taken and chunks & {x.chunk_id for x in c.citations} and _unnamed(c, p.name) == key:
                return p, c
    return None


def _moved(d: ClaimDecision, old: Claim, claim: Claim, how: str,
           edits: Mapping[tuple[str, str, str], Claim]) -> ClaimDecision:
    recheck = ""
    carried = d.carried
    if claim.id != d.claim_id:
        carried = f"carried from the earlier draft: “{old.text}”"
    if how == "reworded":
        recheck = "the claim was reworded by the re-run; check the decision still holds"
    edited = d.edited
    if d.edited is not None:
        key = (d.persona_id, d.claim_id, d.decided_at)
        if key in edits:
            edited = edits[key]
        elif claim.citations != old.citations:
            recheck = "edited while the personas were rebuilt: save the edit again to re-verify it"
    elif d.status == ReviewStatus.accepted and not _supported(claim):
        recheck = "accepted earlier, but the new draft's claim is not supported by its quotes"
    if KEPT in claim.flags:
        recheck = "the re-run did not draft this claim again; it was kept because you approved it and its quotes " \
                  "still verify: check it still belongs"
    return d.model_copy(update={"claim_id": claim.id, "claim": claim, "edited": edited, "carried": carried,
                                "recheck": recheck})


def ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def write_orphans(db, orphans: Iterable[Orphan], version: int | None) -> None:
    stamp = now()
    db.executemany(
        "INSERT INTO review_orphans (persona_id, persona_name, claim_id, decision, reason, orphaned_at, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(o.persona_id, o.persona_name, o.decision.claim_id, o.decision.model_dump_json(), o.reason, stamp, version)
         for o in orphans],
    )


def orphans(store: Store, persona_id: str | None = None, ensure_schema: bool = True) -> list[Orphan]:
    """Decisions no claim took after a re-run and nobody dismissed yet, newest first (ensure_schema=False
    inside a transaction: the schema script commits)."""
    if ensure_schema:
        ensure(store)
    q = ("SELECT id, persona_id, persona_name, decision, reason, orphaned_at, version FROM review_orphans "
         "WHERE dismissed_at IS NULL" + (" AND persona_id = ?" if persona_id else "") + " ORDER BY id DESC")
    rows = store.db.execute(q, (persona_id,) if persona_id else ())
    return [Orphan(id=r[0], persona_id=r[1], persona_name=r[2] or "",
                   decision=ClaimDecision.model_validate(json.loads(r[3])), reason=r[4], orphaned_at=r[5],
                   version=r[6]) for r in rows]


def reattach_orphans(db, earlier: Sequence[Orphan], personas: Sequence[Persona], taken: set[tuple[str, str]],
                     version: int | None) -> list[ClaimDecision]:
    """Orphans of earlier runs whose claim a later run drafts again: back on that claim (the same claim only,
    in the same persona), their orphan entry closed. Inside the caller's transaction."""
    by_id = {p.id: p for p in personas}
    back = []
    for o in earlier:
        persona, old = by_id.get(o.persona_id), o.decision.claim
        if persona is None or old is None:
            continue
        found = match_claim(old, [c for c in persona.claims if (persona.id, c.id) not in taken])
        if found is None or found[1] != "same":
            continue
        claim = found[0]
        taken.add((persona.id, claim.id))
        d = o.decision.model_copy(update={"claim_id": claim.id, "claim": claim, "recheck": "",
                                          "carried": "re-attached: a later run drafted this claim again"})
        back.append(d)
        db.execute("UPDATE review_orphans SET dismissed_at = ?, dismissed_by = ? WHERE id = ?",
                   (now(), f"re-attached by run {version}", o.id))
    return back


def dismiss_orphan(store: Store, orphan_id: int, reviewer: str) -> bool:
    """A reviewer has looked at an orphaned decision: it leaves the list (the row is kept)."""
    ensure(store)
    with store.transaction() as db:
        cur = db.execute("UPDATE review_orphans SET dismissed_at = ?, dismissed_by = ? WHERE id = ? AND "
                         "dismissed_at IS NULL", (now(), reviewer, orphan_id))
    return cur.rowcount == 1


def rechecks(decisions: Iterable[ClaimDecision]) -> list[ClaimDecision]:
    """Carried decisions that need another look."""
    return [d for d in decisions if d.recheck]


def claim_in_versions(store: Store, persona_id: str, claim_id: str) -> Claim | None:
    """A claim as an earlier version of the persona drafted it (newest version first)."""
    from synth.history import ensure as ensure_history

    ensure_history(store)
    for (record,) in store.db.execute("SELECT record FROM versions ORDER BY number DESC"):
        if persona_id not in record or claim_id not in record:
            continue
        for p in json.loads(record).get("personas", []):
            if p.get("id") == persona_id:
                for c in p.get("claims", []):
                    if c.get("id") == claim_id:
                        return Claim.model_validate(c)
    return None


def keep_stale(store: Store, persona: Persona | None, persona_id: str, decision: ClaimDecision,
               reason: str) -> Orphan:
    """A decision made on a claim a re-run replaced while the page was open: listed, never lost."""
    ensure(store)
    orphan = Orphan(persona_id=persona_id, persona_name=persona.name if persona else "", decision=decision,
                    reason=reason)
    with store.transaction() as db:
        write_orphans(db, [orphan], None)
    return orphan


class LookItem(BaseModel):
    """One entry of "needs another look": an orphaned decision, or a carried one to check again."""

    persona_id: str
    persona_name: str
    decision: ClaimDecision
    reason: str
    orphan_id: int | None = None  # set for orphans (they can be dismissed); carried ones live on their claim

    @property
    def text(self) -> str:
        return self.decision.claim.text if self.decision.claim else (self.decision.text or self.decision.claim_id)


def needs_another_look(store: Store, persona_id: str | None = None) -> list[LookItem]:
    """Orphaned decisions not dismissed yet, then carried decisions whose claim changed under them."""
    from synth.personas.store import load_personas
    from synth.review.decisions import all_decisions

    names = {p.id: p.name for p in load_personas(store)}
    items = [LookItem(persona_id=o.persona_id, persona_name=names.get(o.persona_id, o.persona_name),
                      decision=o.decision, reason=o.reason, orphan_id=o.id) for o in orphans(store, persona_id)]
    items += [LookItem(persona_id=d.persona_id, persona_name=names.get(d.persona_id, ""), decision=d, reason=d.recheck)
              for d in rechecks(all_decisions(store)) if persona_id in (None, d.persona_id)]
    return items
