"""`synth export` honours review decisions: approved claims only by default, or every claim with its status."""

from __future__ import annotations

import json


from synth.personas.store import load_personas
from synth import export
from synth.review.decisions import record_decision
from synth.store import Store
from tests.test_review_workspace import (  # noqa: F401  (fixtures)
    PERSONA_ID, _built_workspace, claim, review_settings,
)



def _export(settings, tmp_path, fmt: str, **kwargs) -> str:
    with Store(settings.db_path) as store:
        (path,) = export.export_personas(store, load_personas(store), fmt, tmp_path / fmt, **kwargs)
    return path.read_text(encoding="utf-8")


def test_export_keeps_approved_claims_by_default_and_everything_on_request(review_settings, tmp_path):
    with Store(review_settings.db_path) as store:
        persona = load_personas(store)[0]
        record_decision(store, PERSONA_ID, claim(persona, "goals").id, status="accepted")
        record_decision(store, PERSONA_ID, claim(persona, "needs").id, status="rejected", note="not her words")
    approved = _export(review_settings, tmp_path, "md")
    assert "Plans the week's dinners on Sunday night." in approved
    assert "Wants unlimited recipes" not in approved and "Tracks the macros" not in approved

    everything = _export(review_settings, tmp_path, "md", review="all")
    assert "Wants unlimited recipes" in everything and "review: rejected" in everything
    assert "review: pending" in everything and "review: accepted" in everything

    data = json.loads(_export(review_settings, tmp_path, "json", review="all"))
    statuses = {c["id"]: c["flags"][0] for c in data["claims"]}
    assert statuses[claim(persona, "needs").id] == "review: rejected"
    assert data["provenance"]["review"][claim(persona, "needs").id]["note"] == "not her words"

    unreviewed = _export(review_settings, tmp_path, "md", review=None)
    assert "Tracks the macros" in unreviewed and "review:" not in unreviewed
