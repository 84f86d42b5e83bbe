"""The review app's living-persona actions (Flask test client on a real SQLite workspace): summary edits kept
through re-runs, confirmed bulk accept, reviewer recorded, failed edits flagged, stale posts never lost."""

from __future__ import annotations

import html
import re

import pytest

from synth.llm import open_llm
from synth.personas.store import load_personas, write_personas, load_segments
from synth.review.app import create_app
from synth.review.carry import needs_another_look
from synth.review.decisions import decisions_for, persona_edits
from synth.store import Store
from tests.test_review_workspace import (  # noqa: F401  (fixtures)
    PERSONA_ID, _built_workspace, claim, review_settings,
)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def client(review_settings):
    with open_llm(review_settings.workspace, llm="offline") as judge:
        yield create_app(review_settings, llm=judge, reviewer="Ana Reviewer").test_client()


def _post(client, url: str, **form):
    token = CSRF.search(client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, **form})


def _persona(settings):
    with Store(settings.db_path) as store:
        return load_personas(store)[0]


def test_summary_is_editable_and_logged_with_the_reviewer(client, review_settings):
    assert _post(client, f"/personas/{PERSONA_ID}/summary", summary="  Plans dinners for a busy family. ").status_code \
        == 303
    assert _persona(review_settings).summary == "Plans dinners for a busy family."
    with Store(review_settings.db_path) as store:
        assert persona_edits(store)[PERSONA_ID]["summary"] == "Plans dinners for a busy family."
    page = html.unescape(client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True))
    assert "Plans dinners for a busy family." in page
    assert _post(client, f"/personas/{PERSONA_ID}/summary", summary="  ").status_code == 400


def test_bulk_accept_asks_first_then_accepts_only_verified_and_supported_undecided_claims(client, review_settings):
    persona = _persona(review_settings)
    goals, milk = claim(persona, "goals"), claim(persona, "frustrations")
    _post(client, f"/personas/{PERSONA_ID}/claims/{milk.id}/decision", status="rejected")
    confirm = html.unescape(client.get(f"/personas/{PERSONA_ID}/accept-supported").get_data(as_text=True))
    assert re.search(r"Accept \d verified and supported", confirm) and goals.text in confirm and milk.text not in confirm
    not_confirmed = _post(client, f"/personas/{PERSONA_ID}/accept-supported")
    assert not_confirmed.status_code == 303 and "accept-supported" in not_confirmed.headers["Location"]
    with Store(review_settings.db_path) as store:
        assert set(decisions_for(store, PERSONA_ID)) == {milk.id}  # nothing accepted without confirming
    _post(client, f"/personas/{PERSONA_ID}/accept-supported", confirm="yes")
    with Store(review_settings.db_path) as store:
        decided = decisions_for(store, PERSONA_ID)
    assert decided[milk.id].status.value == "rejected"  # an earlier decision is left alone
    accepted = {cid for cid, d in decided.items() if d.status.value == "accepted"}
    assert goals.id in accepted and claim(persona, "needs").id not in accepted  # unsupported: not accepted
    assert claim(persona, "frustrations", 1).id not in accepted  # its quote is fabricated: not verified
    assert all(d.reviewer == "Ana Reviewer" for d in decided.values())


def test_an_edit_that_fails_reverification_is_flagged_not_approved(client, review_settings):
    persona = _persona(review_settings)
    goals = claim(persona, "goals")
    _post(client, f"/personas/{PERSONA_ID}/claims/{goals.id}/edit", text="Runs a marathon every Saturday in Peru.")
    with Store(review_settings.db_path) as store:
        d = decisions_for(store, PERSONA_ID)[goals.id]
    assert d.status.value == "edited" and d.flagged and not d.approved
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert "flagged" in page and "by Ana Reviewer" in page


def test_a_decision_posted_on_a_claim_a_rerun_replaced_follows_it_or_is_kept(client, review_settings):
    from synth.history import Version, ensure, record_version

    persona = _persona(review_settings)
    goals, ctx = claim(persona, "goals"), claim(persona, "context")
    with Store(review_settings.db_path) as store:
        ensure(store)
        segments = load_segments(store)
        with store.transaction() as db:
            record_version(db, Version(stage="personas", personas=[persona], segments=segments))
        # A re-run rewords the goals claim's count and drops the context claim, while the page is open.
        reworded = goals.model_copy(update={"id": "", "text": "Plans the week's 5 dinners on Sunday night."})
        reworded = type(goals).model_validate(reworded.model_dump())
        rebuilt = persona.model_copy(update={"claims": [reworded if c.id == goals.id else c for c in persona.claims
                                                        if c.id != ctx.id]})
        with store.transaction() as db:
            write_personas(db, segments, [rebuilt])
    _post(client, f"/personas/{PERSONA_ID}/claims/{goals.id}/decision", status="accepted")
    moved = _post(client, f"/personas/{PERSONA_ID}/claims/{ctx.id}/decision", status="rejected")
    assert moved.status_code == 303 and "needs-another-look" in moved.headers["Location"]
    with Store(review_settings.db_path) as store:
        decided = decisions_for(store, PERSONA_ID)
        look = needs_another_look(store)
    assert decided[reworded.id].status.value == "accepted"  # followed the claim to the new draft
    assert [(i.decision.claim_id, i.decision.status.value) for i in look] == [(ctx.id, "rejected")]
    listing = html.unescape(client.get("/").get_data(as_text=True))
    assert "Needs another look" in listing and ctx.text in listing
    token = CSRF.search(listing).group(1)
    assert client.post(f"/look/{look[0].orphan_id}/dismiss", data={"csrf_token": token, "back": "//evil.example"}
                       ).headers["Location"] == "/"
    with Store(review_settings.db_path) as store:
        assert needs_another_look(store) == []


def test_eval_marks_each_claim_with_its_review_state(review_settings):
    from synth.evaluation import evaluate
    from synth.review.decisions import record_decision

    persona = _persona(review_settings)
    goals, needs = claim(persona, "goals"), claim(persona, "needs")
    with Store(review_settings.db_path) as store:
        record_decision(store, PERSONA_ID, goals.id, status="accepted")
        record_decision(store, PERSONA_ID, needs.id, status="rejected")
    with open_llm(review_settings.workspace, llm="offline") as judge:
        report = evaluate(review_settings, llm=judge, find_counter_evidence=False)
    states = {c.id: c.review for c in report.personas[0].claim_evals}
    assert states[goals.id] == "accepted" and states[needs.id] == "rejected"
    assert set(states.values()) == {"accepted", "rejected", "pending"}
