"""Review decisions as a library: record, history, apply and the approved view export uses."""

from __future__ import annotations

import pytest

from synth.llm import open_llm
from synth.personas.store import load_personas, load_segments
from synth.records import Verdict
from synth.review import (
    ReviewError, ReviewStatus, apply_decisions, approved_view, decisions_for, edit_claim, history_for,
    record_decision,
)
from synth.store import Store
from tests.test_review_workspace import PERSONA_ID, _built_workspace, claim, review_settings  # noqa: F401


@pytest.fixture
def store(review_settings):
    with Store(review_settings.db_path) as s:
        yield s


@pytest.fixture
def persona(store):
    return load_personas(store)[0]


def test_record_keeps_earlier_fields_and_logs_every_action(store, persona):
    goals = claim(persona, "goals").id
    record_decision(store, PERSONA_ID, goals, status="accepted", note="clear")
    record_decision(store, PERSONA_ID, goals, note="clear, and two people say it")
    d = decisions_for(store, PERSONA_ID)[goals]
    assert d.status == ReviewStatus.accepted and d.note == "clear, and two people say it" and d.approved
    record_decision(store, PERSONA_ID, goals, status=ReviewStatus.rejected)
    assert [h.action for h in history_for(store, PERSONA_ID)[goals]] == ["accept", "note", "reject"]
    assert decisions_for(store, PERSONA_ID)[goals].note == "clear, and two people say it"
    with pytest.raises(ReviewError):
        record_decision(store, PERSONA_ID, goals, status="approved")
    with pytest.raises(ReviewError):  # only edit_claim, which re-verifies, makes a claim "edited"
        record_decision(store, PERSONA_ID, goals, status="edited")
    assert decisions_for(store, "someone_else") == {}


def test_edit_reverifies_and_editing_back_reverts(store, persona, review_settings):
    milk = claim(persona, "frustrations")
    members = load_segments(store)[0].participant_ids
    with open_llm(review_settings.workspace, llm="offline") as judge:
        text = "Ends  up with three cartons of milk from the shared list."
        d = edit_claim(store, persona, milk.id, text, judge, members)
        assert d.status == ReviewStatus.edited and d.text == "Ends up with three cartons of milk from the shared list."
        assert d.edited.verdict == Verdict.supported and d.edited.score > 0.5 and d.edited.id == milk.id
        assert d.edited.support_count == 1
        # Out of segment now: the same quote no longer counts as evidence for this persona.
        d = edit_claim(store, persona, milk.id, "Ends up with three cartons of milk.", judge, ["p_nobody"])
        assert d.edited.verdict == Verdict.unsupported
        assert d.edited.citations[0].verdict == Verdict.out_of_segment
        d = edit_claim(store, persona, milk.id, milk.text, judge, members)
        assert d.status == ReviewStatus.pending and d.edited is None
        with pytest.raises(ReviewError):
            edit_claim(store, persona, milk.id, "  ", judge, members)
        with pytest.raises(ReviewError):
            edit_claim(store, persona, "clm_nope", "text", judge, members)


def test_apply_and_approved_view(store, persona, review_settings):
    goals, milk, fake, needs, ctx = persona.claims
    record_decision(store, PERSONA_ID, goals.id, status="accepted")
    record_decision(store, PERSONA_ID, needs.id, status="rejected", note="not what she said")
    with open_llm(review_settings.workspace, llm="offline") as judge:
        edit_claim(store, persona, milk.id, "Ends up with three cartons of milk from the shared list.", judge,
                   load_segments(store)[0].participant_ids)
    decisions = decisions_for(store, PERSONA_ID)

    reviewed = apply_decisions(persona, decisions)
    assert [c.id for c in reviewed.claims] == [c.id for c in persona.claims]
    assert reviewed.claims[1].text.startswith("Ends up") and reviewed.claims[1].section == "frustrations"
    review = reviewed.provenance["review"]
    stamp = decisions[needs.id].decided_at
    assert review[needs.id] == {"status": "rejected", "note": "not what she said", "decided_at": stamp,
                                "reviewer": decisions[needs.id].reviewer}
    assert decisions[needs.id].reviewer  # who decided is always recorded (here: the OS user)
    assert review[milk.id]["drafted_text"] == milk.text and review[ctx.id]["status"] == "pending"
    assert persona.claims[1].text == milk.text  # the input is not changed

    approved = approved_view(persona, decisions)
    assert [c.id for c in approved.claims] == [goals.id, milk.id]
    assert approved.provenance["review_counts"] == {"accepted": 1, "edited": 1, "rejected": 1, "pending": 2}
    everything = approved_view(persona, list(decisions.values()), include="all")
    assert [c.flags[0] for c in everything.claims] == [
        "review: accepted", "review: edited", "review: pending", "review: rejected", "review: pending"]
    assert approved_view(persona, {}).claims == []  # nothing reviewed, nothing approved
    with pytest.raises(ReviewError):
        approved_view(persona, decisions, include="some")
