"""Living personas as pure functions: segment lineage, claim matching, where each decision goes."""

from __future__ import annotations

import numpy as np

from synth.personas.lineage import MIN_OVERLAP, continue_personas, match_segments
from synth.records import Citation, Claim, Persona, Segment, Verdict
from synth.review.carry import claim_key, match_claim, plan_carry
from synth.review.decisions import ClaimDecision, ReviewStatus


def _seg(sid: str, pids: list[str]) -> Segment:
    return Segment(id=sid, participant_ids=pids)


def _persona(pid: str, seg: str, name: str, claims: list[Claim] | None = None) -> Persona:
    return Persona(id=pid, name=name, summary="s", segment_id=seg, claims=claims or [])


def _claim(text: str, section: str = "frustrations", cites: tuple[str, ...] = ("c1", "c2"),
           supported: bool = True) -> Claim:
    return Claim(section=section, text=text, verdict=Verdict.supported if supported else Verdict.unsupported,
                 citations=[Citation(chunk_id=c, quote=f"quote of {c}", verdict=Verdict.verified) for c in cites])


def test_a_segment_that_only_grew_keeps_its_persona_and_a_new_one_gets_a_new_id():
    old = [(_persona("persona_a", "s1", "Maya"), _seg("s1", ["p1", "p2", "p3"])),
           (_persona("persona_b", "s2", "Theo"), _seg("s2", ["p4", "p5", "p6"]))]
    new = [_seg("s1b", ["p1", "p2", "p3", "p9"]), _seg("s3", ["p10", "p11"]), _seg("s2b", ["p4", "p5"])]
    lineage = match_segments(old, new)
    assert {(m.segment_id, m.persona_id) for m in lineage.matches} == {("s1b", "persona_a"), ("s2b", "persona_b")}
    assert lineage.matches[0].overlap == 1.0  # growth from a new participant does not dilute the overlap
    assert lineage.new_segments == ["s3"] and lineage.retired == []


def test_a_segment_that_dissolved_retires_its_persona():
    old = [(_persona("persona_a", "s1", "Maya"), _seg("s1", ["p1", "p2", "p3", "p4"])),
           (_persona("persona_b", "s2", "Theo"), _seg("s2", ["p5", "p6", "p7", "p8"]))]
    # p1-p8 reshuffled evenly: no new segment is mostly one old one
    new = [_seg("x", ["p1", "p2", "p5", "p6"]), _seg("y", ["p3", "p4", "p7", "p8"])]
    lineage = match_segments(old, new)
    assert all(m.overlap >= MIN_OVERLAP for m in lineage.matches)
    assert not lineage.matches and set(lineage.retired) == {"persona_a", "persona_b"}


def test_centre_similarity_vetoes_a_pair_that_shares_people_but_not_what_they_say():
    old = [(_persona("persona_a", "s1", "Maya"), _seg("s1", ["p1", "p2", "p3"]))]
    new = [_seg("s1b", ["p1", "p2", "p3"])]
    same = {p: np.array([1.0, 0.0]) for p in ("p1", "p2", "p3")}
    assert match_segments(old, new, same).matches[0].centre == 1.0
    # A centre is computed from today's vectors of each side's participants: identical sets, identical centres.
    # Give the old side a participant only it has, saying something else, to move its centre away.
    old = [(_persona("persona_a", "s1", "Maya"), _seg("s1", ["p1", "p8", "p9", "p7"]))]
    apart = {"p1": np.array([1.0, 0.0]), "p7": np.array([0.0, 1.0]), "p8": np.array([0.0, 1.0]),
             "p9": np.array([0.0, 1.0])}
    assert not match_segments(old, [_seg("s1b", ["p1", "p2"])], apart).matches


def test_continued_personas_keep_id_and_reviewed_name_and_new_names_do_not_clash():
    drafted = [_persona("persona_new1", "s1b", "Maya, the planner"), _persona("persona_new2", "s3", "Maya")]
    old = [(_persona("persona_a", "s1", "Maya"), _seg("s1", ["p1"]))]
    lineage = match_segments(old, [_seg("s1b", ["p1"]), _seg("s3", ["p2"])])
    out = continue_personas(drafted, lineage, {"persona_a": {"summary": "Edited by Ana"}})
    assert out[0].id == "persona_a" and out[0].name == "Maya" and out[0].summary == "Edited by Ana"
    assert out[1].id == "persona_new2" and out[1].name == "Maya (2)"


def test_claims_match_by_normalised_text_then_by_citations_and_words():
    old = _claim("9 of 14 participants get frustrated that the shared list never syncs.")
    same = _claim("10 of 15 participants get frustrated that the shared list never syncs!", cites=("c9",))
    assert claim_key(old) == claim_key(same)
    assert match_claim(old, [same]) == (same, "same")
    reworded = _claim("9 of 14 participants get frustrated that the shared list does not sync.")
    assert match_claim(old, [reworded]) == (reworded, "reworded")
    other = _claim("Participants find the price too high.", cites=("c7", "c8"))
    assert match_claim(old, [other]) is None
    assert match_claim(old, [_claim(same.text, section="needs", cites=("c5",))]) is None  # no match across sections


def test_plan_carries_moves_and_lists_every_decision():
    milk = _claim("9 of 14 say the list never syncs.")
    price = _claim("Plus costs too much.", section="needs", cites=("c5",))
    gone = _claim("They cook on Sundays.", section="behaviours", cites=("c6",))
    before = _persona("persona_a", "s1", "Maya", [milk, price, gone])
    old_b = _persona("persona_b", "s2", "Theo", [_claim("Theo text", cites=("c8",))])
    decisions = [
        ClaimDecision(persona_id="persona_a", claim_id=milk.id, status=ReviewStatus.accepted, decided_at="t1"),
        ClaimDecision(persona_id="persona_a", claim_id=price.id, status=ReviewStatus.rejected, decided_at="t2"),
        ClaimDecision(persona_id="persona_a", claim_id=gone.id, status=ReviewStatus.accepted, decided_at="t3"),
        ClaimDecision(persona_id="persona_b", claim_id=old_b.claims[0].id, status=ReviewStatus.accepted,
                      decided_at="t4"),
    ]
    milk2 = _claim("10 of 15 say the list never syncs.", supported=False)
    after = _persona("persona_a", "s1b", "Maya", [milk2, price])
    plan = plan_carry(decisions, {"persona_a": before, "persona_b": old_b}, [after])
    assert plan.total == 4
    moved = {c.old_claim_id: c.decision for c in plan.carried}
    assert moved[milk.id].claim_id == milk2.id and moved[milk.id].carried.startswith("carried from")
    assert moved[milk.id].recheck  # accepted, but the new claim is not supported: needs another look
    assert moved[price.id].claim_id == price.id and not moved[price.id].recheck and not moved[price.id].carried
    reasons = {o.decision.claim_id: o.reason for o in plan.orphans}
    assert "no claim" in reasons[gone.id] and "retired" in reasons[old_b.claims[0].id]


def test_one_new_claim_takes_one_decision():
    a = _claim("Says the list never syncs.")
    b = _claim("Says the list never syncs!!", cites=("c3",))  # the same normalised text, decided separately
    before = _persona("persona_a", "s1", "Maya", [a, b])
    decisions = [ClaimDecision(persona_id="persona_a", claim_id=a.id, status=ReviewStatus.accepted, decided_at="1"),
                 ClaimDecision(persona_id="persona_a", claim_id=b.id, status=ReviewStatus.rejected, decided_at="2")]
    plan = plan_carry(decisions, {"persona_a": before}, [_persona("persona_a", "s1", "Maya", [a])])
    assert len(plan.carried) == 1 and plan.carried[0].decision.status == ReviewStatus.accepted
    assert len(plan.orphans) == 1


def test_a_failed_edit_is_flagged_not_approved():
    edit = _claim("Edited words", supported=False)
    d = ClaimDecision(persona_id="p", claim_id="c", status=ReviewStatus.edited, edited=edit, text=edit.text)
    assert d.flagged and not d.approved and d.state == "flagged"
    ok = d.model_copy(update={"edited": _claim("Edited words")})
    assert ok.approved and ok.state == "edited"


def test_segmentation_continues_from_the_previous_segments_when_the_data_grew_a_little():
    from synth.personas.lineage import starting_centres
    from synth.personas.segments import cluster_profiles

    rng = np.random.default_rng(0)
    a = rng.normal([0, 0, 5], 0.3, size=(10, 3))
    b = rng.normal([5, 0, 0], 0.3, size=(10, 3))
    c = rng.normal([0, 5, 0], 0.3, size=(10, 3))
    matrix = np.vstack([a, b, c, rng.normal([0, 0, 5], 0.3, size=(2, 3))])  # two newcomers like group a
    pids = [f"p{i}" for i in range(len(matrix))]
    previous = [_seg("sa", pids[:10]), _seg("sb", pids[10:20]), _seg("sc", pids[20:30])]
    fit, weights = np.ones(len(pids), dtype=bool), np.ones(len(pids))
    init, line = starting_centres(pids, matrix, fit, weights, previous)
    assert init is not None and init.shape == (3, 3) and "continued" in line
    labels, choice = cluster_profiles(matrix, None, fit, weights, init)
    assert choice["method"].startswith("continued") and len(set(labels[:10])) == 1
    assert labels[30] == labels[31] == labels[0]  # newcomers join the segment they are closest to
    assert [len(set(labels[i:i + 10])) for i in (0, 10, 20)] == [1, 1, 1]
    # A study that more than doubled segments afresh.
    many = np.vstack([matrix, rng.normal(size=(40, 3))])
    more = [*pids, *[f"n{i}" for i in range(40)]]
    init, line = starting_centres(more, many, np.ones(len(more), dtype=bool), np.ones(len(more)), previous)
    assert init is None and "afresh" in line


def test_export_view_is_the_marked_draft_before_review_and_approved_claims_after():
    from synth.review.views import DRAFT_BANNER, export_view, shown_view

    ok, bad, edit = _claim("Says A."), _claim("Says B.", cites=("c3",)), _claim("Says C.", cites=("c4",))
    persona = _persona("p", "s", "Maya", [ok, bad, edit])
    draft = export_view(persona, {})
    assert [c.id for c in draft.claims] == [ok.id, bad.id, edit.id]
    assert draft.provenance["review_state"] == "draft" and draft.provenance["review_banner"] == DRAFT_BANNER
    decided = {ok.id: ClaimDecision(persona_id="p", claim_id=ok.id, status=ReviewStatus.accepted),
               bad.id: ClaimDecision(persona_id="p", claim_id=bad.id, status=ReviewStatus.rejected),
               edit.id: ClaimDecision(persona_id="p", claim_id=edit.id, status=ReviewStatus.edited,
                                      edited=_claim("Unsupported words.", supported=False), text="Unsupported words.")}
    approved = export_view(persona, decided)
    assert [c.id for c in approved.claims] == [ok.id]  # rejected out, the failed edit is flagged, not approved
    every = export_view(persona, decided, "all")
    assert [c.flags[0] for c in every.claims] == ["review: accepted", "review: rejected", "review: flagged"]
    shown = shown_view(persona, decided)
    assert [c.id for c in shown.claims] == [ok.id, edit.id] and shown.claims[1].flags[0] == "review: flagged"


def test_a_claim_that_moved_with_its_participants_takes_its_decision_to_the_other_persona():
    said = _claim("Mei gets frustrated that everything good is behind the paywall (2 of 18).", section="narrative",
                  cites=("c1",))
    before = _persona("persona_mei", "s1", "Mei, the new fan", [said])
    moved = _claim("Mateo gets frustrated that everything good is behind the paywall (1 of 7).", section="narrative",
                   cites=("c1", "c4"))
    unrelated = _claim("Mateo gets frustrated that everything good is behind the paywall.", section="narrative",
                       cites=("c9",))  # the same words, but none of the same passages: not the same claim
    after = [_persona("persona_mei", "s1b", "Mei, the new fan", [_claim("Mei cooks twice a week.", "narrative")]),
             _persona("persona_mateo", "s2", "Mateo, the regular", [unrelated, moved])]
    d = ClaimDecision(persona_id="persona_mei", claim_id=said.id, status=ReviewStatus.accepted, decided_at="t")
    plan = plan_carry([d], {"persona_mei": before}, after)
    (carried,) = plan.carried
    assert carried.how == "moved" and carried.decision.persona_id == "persona_mateo"
    assert carried.decision.claim_id == moved.id and "Mei" in carried.decision.recheck


def test_an_orphaned_rejection_comes_back_when_a_later_run_drafts_its_claim_again(tmp_path):
    from synth.review.carry import Orphan, ensure, orphans, reattach_orphans, write_orphans
    from synth.store import Store

    gone = _claim("9 of 14 say the list never syncs.")
    d = ClaimDecision(persona_id="persona_a", claim_id=gone.id, status=ReviewStatus.rejected, claim=gone,
                      decided_at="t")
    with Store(tmp_path / "synth.db") as store:
        ensure(store)
        with store.transaction() as db:
            write_orphans(db, [Orphan(persona_id="persona_a", decision=d, reason="no claim")], 3)
        back_again = _claim("11 of 16 say the list never syncs.")
        later = [_persona("persona_a", "s", "Maya", [_claim("Other."), back_again])]
        with store.transaction() as db:
            (returned,) = reattach_orphans(db, orphans(store, ensure_schema=False), later, set(), 4)
        assert returned.claim_id == back_again.id and returned.status == ReviewStatus.rejected
        assert orphans(store) == []  # closed, not deleted
        assert store.db.execute("SELECT dismissed_by FROM review_orphans").fetchone()[0] == "re-attached by run 4"
