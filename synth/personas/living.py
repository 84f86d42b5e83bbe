"""Saving a personas run as the next version of living personas.

`settle` is the last step of the personas stage: it gives each new persona the identity of the one it
continues (synth.personas.lineage), carries every review decision to the new draft by content
(synth.review.carry), retires personas no segment continues, and records the run as a version
(synth.history). Edits are re-verified against the new quotes *before* the write, since that may ask
the model; everything else happens in one write transaction that re-reads the decisions, so a
decision recorded in `synth review` while the personas were rebuilding is carried too, never lost.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from synth.history import Version, ensure as ensure_history, next_number, record_version, stored_themes
from synth.personas.lineage import Lineage, continue_personas, match_segments
from synth.personas.store import load_personas, load_segments, retire_personas, write_personas
from synth.records import Claim, Persona, Segment, Verdict
from synth.review import carry
from synth.review.decisions import (
    ClaimDecision, _ensure as ensure_decisions, all_decisions, now, persona_edits, reverify_claim, write_decision,
)
from synth.store import Store


class Settled(BaseModel):
    """What saving the run did to identities and review work."""

    personas: list[Persona]
    lineage: Lineage
    version: int | None = None
    decisions: int = 0  # decisions there were before the run
    carried: int = 0  # decisions attached to a claim of the new draft
    recheck: int = 0  # of those, listed under "needs another look"
    kept: int = 0  # of those, on approved claims the re-run did not draft again, kept (keep_reviewed)
    returned: int = 0  # decisions orphaned by an earlier run, back on their claim because this run drafted it again
    orphaned: list[carry.Orphan] = Field(default_factory=list)

    def lines(self) -> list[str]:
        """The run summary's lines about identity and review work."""
        out = []
        kept, new, retired = len(self.lineage.matches), len(self.lineage.new_segments), len(self.lineage.retired)
        if kept or retired:
            out.append(f"personas: {kept} continued (same id and name), {new} new, {retired} retired (kept, see "
                       "`synth diff`)")
        if self.decisions:
            line = f"review: {self.carried} of {self.decisions} decision(s) carried to the new draft"
            if self.recheck or self.orphaned:
                line += (f"; {self.recheck + len(self.orphaned)} need another look in `synth review` "
                         f"({len(self.orphaned)} match no claim any more)")
            out.append(line)
            out += [f"  needs another look: {o.persona_name}: {o.decision.state} “{_text(o.decision)}” — {o.reason}"
                    for o in self.orphaned[:10]]
        if self.returned:
            out.append(f"review: {self.returned} decision(s) orphaned by an earlier run are back on their claim")
        return out


KEPT_FLAG = carry.KEPT


def keep_reviewed(store: Store, personas: list[Persona], orphans: list[carry.Orphan],
                  segments: dict[str, Segment]) -> list[Persona]:
    """The personas with the approved claims a re-run did not draft again put back, when every quote of the
    claim still verifies, word for word, in the words of a participant of the persona's segment.

    A reviewer's approval is work: a claim stays as long as its evidence holds, instead of disappearing
    because the drafter ranked other statements first with the new data. Narrative claims (the
    drafter's prose over the current claims) are not kept. The claim is flagged, its carried decision
    listed under "needs another look", and its prevalence recounted on the segment as it is now."""
    from synth.verify import verify_citation

    wanted: dict[str, list[Claim]] = {}
    for o in orphans:
        d, claim = o.decision, o.decision.claim
        if d.approved and claim is not None and claim.section != "narrative" and claim.citations:
            wanted.setdefault(o.persona_id, []).append(claim)
    if not wanted:
        return personas
    ids = [c.chunk_id for claims in wanted.values() for claim in claims for c in claim.citations]
    chunks = {c.id: c for c in store.chunks(ids)}
    out = []
    for p in personas:
        members = segments[p.segment_id].participant_ids if p.segment_id in segments else []
        have = {c.id for c in p.claims}
        kept = []
        for claim in wanted.get(p.id, []):
            cites = [verify_citation(c, chunks, members) for c in claim.citations]
            if claim.id in have or any(c.verdict != Verdict.verified for c in cites):
                continue
            kept.append(_recounted(claim, cites, members))
        out.append(p.model_copy(update={"claims": [*p.claims, *kept]}) if kept else p)
    return out


def _recounted(claim: Claim, cites: list, members: list[str]) -> Claim:
    prevalence = claim.prevalence
    support = len({c.participant_id for c in cites})
    if prevalence is not None:
        ids = [pid for pid in prevalence.participant_ids if pid in set(members)]
        of = len(members) if prevalence.base == "segment" else prevalence.of
        prevalence = prevalence.model_copy(update={"participant_ids": ids, "of": of})
        support = len(ids) or support
    return claim.model_copy(update={"citations": cites, "prevalence": prevalence, "support_count": support,
                                    "flags": [KEPT_FLAG, *[f for f in claim.flags if f != KEPT_FLAG]]})


def previous_pairs(store: Store) -> list[tuple[Persona, Segment]]:
    """The stored personas with the segments they speak for: what a re-run continues."""
    segments = {s.id: s for s in load_segments(store)}
    return [(p, segments[p.segment_id]) for p in load_personas(store) if p.segment_id in segments]


def _text(d: ClaimDecision) -> str:
    text = d.claim.text if d.claim else (d.text or d.claim_id)
    return text if len(text) <= 90 else text[:87] + "…"


def settle(
    store: Store,
    segments: list[Segment],
    personas: list[Persona],
    llm: Any,
    lineage: Lineage | None = None,
) -> Settled:
    """Give the new personas their lineage (default: matched here, see synth.personas.lineage), carry review
    decisions, save, retire and record the version."""
    ensure_decisions(store)
    carry.ensure(store)
    previous = load_personas(store)
    old_segments = {s.id: s for s in load_segments(store)}
    lineage = lineage or match_segments(previous_pairs(store), segments)
    drafted = {p.segment_id for p in personas}  # a continued segment can still be skipped (nothing to say)
    lineage = Lineage(matches=[m for m in lineage.matches if m.segment_id in drafted],
                      new_segments=[s for s in lineage.new_segments if s in drafted],
                      retired=[*lineage.retired, *(m.persona_id for m in lineage.matches if m.segment_id not in drafted)])
    personas = continue_personas(personas, lineage, persona_edits(store))
    by_prev = {p.id: p for p in previous}
    members = {s.id: s.participant_ids for s in segments}

    # Approved claims the re-run did not draft again stay while their quotes still verify in the segment.
    early = carry.plan_carry(all_decisions(store), by_prev, personas)
    personas = keep_reviewed(store, personas, early.orphans, {s.id: s for s in segments})
    # Edits are re-judged on the new claim's quotes now, outside the write (the judge may be a remote model).
    early = carry.plan_carry(all_decisions(store), by_prev, personas)
    new_claims = {(p.id, c.id): (c, p) for p in personas for c in p.claims}
    edits: dict[tuple[str, str, str], Claim] = {}
    for moved in early.carried:
        d = moved.decision
        if d.edited is None or d.text is None:
            continue
        claim, persona = new_claims[(d.persona_id, d.claim_id)]
        key = (moved.old_persona_id, moved.old_claim_id, d.decided_at)
        edits[key] = reverify_claim(claim, d.text, store, llm, members.get(persona.segment_id))

    themes = stored_themes(store.db)  # before the write: reading themes may create their tables
    ensure_history(store)
    retired = [(by_prev[pid], old_segments.get(by_prev[pid].segment_id)) for pid in lineage.retired]
    with store.transaction() as db:
        decisions = all_decisions(store, ensure=False)  # re-read inside the write: nothing recorded meanwhile is missed
        plan = carry.plan_carry(decisions, by_prev, personas, edits)
        number = next_number(db)
        db.execute("DELETE FROM claim_reviews")
        for moved in plan.carried:
            write_decision(db, moved.decision)
        # Decisions orphaned by an earlier run come back when their claim does (a rejection stands).
        taken = {(m.decision.persona_id, m.decision.claim_id) for m in plan.carried}
        returned = carry.reattach_orphans(db, carry.orphans(store, ensure_schema=False), personas, taken, number)
        for d in returned:
            write_decision(db, d)
        carry.write_orphans(db, plan.orphans, number)
        write_personas(db, segments, personas)
        retire_personas(db, retired, now(), number)
        settled = Settled(personas=personas, lineage=lineage, decisions=plan.total, carried=len(plan.carried),
                          recheck=len(carry.rechecks(m.decision for m in plan.carried)), orphaned=plan.orphans,
                          kept=sum(1 for m in plan.carried if m.decision.claim and carry.KEPT in m.decision.claim.flags),
                          returned=len(returned))
        summary = {"continued": len(lineage.matches), "new": len(lineage.new_segments),
                   "retired": lineage.retired, "decisions": plan.total, "carried": settled.carried,
                   "recheck": settled.recheck, "kept": settled.kept, "returned": settled.returned,
                   "orphaned": len(plan.orphans)}
        settled.version = record_version(db, Version(stage="personas", themes=themes, personas=personas,
                                                     segments=segments, summary=summary))
    return settled

