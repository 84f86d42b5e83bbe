"""What changed between two recorded runs (synth.history versions): themes, personas, claims, quotes.

Themes are compared by their stable ids (synth.themes.stable): new, grown, shrunk (by chunks) and
retired. Personas are compared by their stable ids (synth.personas.lineage): new, continued and
retired; for a continued persona, its claims are paired by content as review decisions are
(synth.review.carry.match_claim), so a claim whose count moved ("9 of 14" -> "10 of 15") is a
prevalence shift, not a dropped and a new claim.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from synth.history import Version
from synth.records import Claim, Persona, Verdict
from synth.review.carry import match_claim


class ThemeChange(BaseModel):
    id: str
    label: str
    change: str  # new | grown | shrunk | retired | same
    old_chunks: int = 0
    new_chunks: int = 0
    old_participants: int = 0
    new_participants: int = 0


class ClaimShift(BaseModel):
    section: str
    text: str
    old: str  # "9 of 14"
    new: str
    old_share: float | None = None
    new_share: float | None = None


class NewQuote(BaseModel):
    quote: str
    participant_id: str | None = None
    claim: str


class PersonaChange(BaseModel):
    id: str
    name: str
    change: str  # new | continued | retired
    old_name: str = ""
    participants_added: list[str] = Field(default_factory=list)
    participants_left: list[str] = Field(default_factory=list)
    participants: int = 0
    claims_new: list[str] = Field(default_factory=list)
    claims_dropped: list[str] = Field(default_factory=list)
    shifts: list[ClaimShift] = Field(default_factory=list)
    quotes_new: list[NewQuote] = Field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.change != "continued" or any((self.participants_added, self.participants_left, self.claims_new,
                                                   self.claims_dropped, self.shifts, self.quotes_new))


class RunDiff(BaseModel):
    old: int
    new: int
    old_at: str
    new_at: str
    themes: list[ThemeChange]
    personas: list[PersonaChange]

    def summary(self) -> str:
        count = {k: sum(1 for t in self.themes if t.change == k) for k in ("new", "grown", "shrunk", "retired")}
        people = {k: sum(1 for p in self.personas if p.change == k) for k in ("new", "continued", "retired")}
        shifts = sum(len(p.shifts) for p in self.personas)
        return (f"run {self.old} → {self.new}: themes {count['new']} new, {count['grown']} grown, {count['shrunk']} "
                f"shrunk, {count['retired']} retired; personas {people['continued']} continued, {people['new']} new, "
                f"{people['retired']} retired; {shifts} prevalence shift(s), "
                f"{sum(len(p.claims_new) for p in self.personas)} new and "
                f"{sum(len(p.claims_dropped) for p in self.personas)} dropped claim(s)")


def prevalence(claim: Claim) -> tuple[str, float | None]:
    """("9 of 14", 0.64): whom a claim speaks for, as the persona says it."""
    p = claim.prevalence
    if p is not None and p.of:
        n = claim.support_count or p.count
        return f"{n} of {p.of}", n / p.of
    return (f"{claim.support_count} participant(s)", None) if claim.support_count else ("", None)


def _themes(old: Version, new: Version) -> list[ThemeChange]:
    before = {t.id: t for t in old.themes}
    after = {t.id: t for t in new.themes}
    out = []
    for t in new.themes:
        b = before.get(t.id)
        change = "new" if b is None else "grown" if t.chunks > b.chunks else "shrunk" if t.chunks < b.chunks else "same"
        out.append(ThemeChange(id=t.id, label=t.label, change=change, old_chunks=b.chunks if b else 0,
                               new_chunks=t.chunks, old_participants=b.participants if b else 0,
                               new_participants=t.participants))
    out += [ThemeChange(id=t.id, label=t.label, change="retired", old_chunks=t.chunks, old_participants=t.participants)
            for t in old.themes if t.id not in after]
    return out


def _verified(persona: Persona) -> dict[tuple[str, str], tuple[str | None, str]]:
    return {(c.chunk_id, c.quote): (c.participant_id, claim.text) for claim in persona.claims
            for c in claim.citations if c.verdict == Verdict.verified}


def persona_change(old: Persona | None, new: Persona | None, old_members: list[str],
                   new_members: list[str]) -> PersonaChange:
    if new is None:
        return PersonaChange(id=old.id, name=old.name, change="retired", participants=len(old_members),
                             claims_dropped=[c.text for c in old.claims])
    if old is None:
        return PersonaChange(id=new.id, name=new.name, change="new", participants=len(new_members),
                             participants_added=list(new_members), claims_new=[c.text for c in new.claims])
    free = list(new.claims)
    shifts, dropped = [], []
    for c in old.claims:
        found = match_claim(c, free)
        if found is None:
            dropped.append(c.text)
            continue
        match = found[0]
        free.remove(match)
        (was, was_share), (now, now_share) = prevalence(c), prevalence(match)
        if was != now:
            shifts.append(ClaimShift(section=match.section, text=match.text, old=was, new=now, old_share=was_share,
                                     new_share=now_share))
    before = _verified(old)
    quotes = [NewQuote(quote=q, participant_id=pid, claim=claim) for (cid, q), (pid, claim) in _verified(new).items()
              if (cid, q) not in before]
    return PersonaChange(
        id=new.id, name=new.name, change="continued", old_name=old.name if old.name != new.name else "",
        participants=len(new_members), participants_added=sorted(set(new_members) - set(old_members)),
        participants_left=sorted(set(old_members) - set(new_members)), claims_new=[c.text for c in free],
        claims_dropped=dropped, shifts=shifts, quotes_new=quotes)


def diff_versions(old: Version, new: Version, labels: dict[str, str] | None = None) -> RunDiff:
    """Everything that changed from version `old` to version `new`; labels: participant id -> how to show them
    (see `participant_labels`), else ids."""
    members = {s.id: s.participant_ids for s in [*old.segments, *new.segments]}
    before = {p.id: p for p in old.personas}
    after = {p.id: p for p in new.personas}
    changes = [persona_change(before.get(p.id), p, members.get(before[p.id].segment_id, []) if p.id in before else [],
                              members.get(p.segment_id, [])) for p in new.personas]
    changes += [persona_change(p, None, members.get(p.segment_id, []), []) for p in old.personas if p.id not in after]
    if labels:
        for c in changes:
            c.participants_added = [labels.get(p, p) for p in c.participants_added]
            c.participants_left = [labels.get(p, p) for p in c.participants_left]
            for q in c.quotes_new:
                q.participant_id = labels.get(q.participant_id or "", q.participant_id)
    return RunDiff(old=old.number, new=new.number, old_at=old.created_at, new_at=new.created_at,
                   themes=_themes(old, new), personas=changes)


def participant_labels(store) -> dict[str, str]:
    """Participant id -> "label (kind)", e.g. "Gloria (interview)", "@lemon_juniper310 (social)"."""
    return {p.id: f"{p.label} ({p.kind.value})" for p in store.participants()}
