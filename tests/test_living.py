"""Living personas, measured end to end on part of the sample corpus: real embedder, real chromadb, real SQLite,
the review app over real HTTP on 127.0.0.1. Decisions are made through the app, files are added, the pipeline
re-runs while a reviewer keeps clicking, and then: >= 90% of decisions re-attach, every other one is listed
under "needs another look", unchanged segments keep their persona ids, nothing posted during the re-run is lost.
`evals/bench_living.py` runs the same flow on the whole corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from evals.living import run_flow, split_corpus
from synth.cli import app
from synth.config import load_settings
from synth.llm import open_llm
from synth.store import Store

CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "larder"
# Two pipeline runs on part of the corpus: about 4 minutes on a loaded 2-core machine.
pytestmark = [pytest.mark.integration, pytest.mark.timeout(1800)]
runner = CliRunner()


@pytest.fixture(scope="module")
def flow(tmp_path_factory):
    root = tmp_path_factory.mktemp("living")
    study, added = split_corpus(CORPUS, root, keep_interviews=5, hold_interviews=1, rows=40, hold_rows=4)
    settings = load_settings(root / ".synth")
    with open_llm(settings.workspace, llm="offline") as llm:
        outcome = run_flow(settings, study, added, llm)
    return settings, outcome


def test_decisions_reattach_and_the_rest_are_listed(flow):
    _, out = flow
    assert out.decisions >= 20  # every claim of every persona was decided over HTTP
    assert out.carried + out.orphaned == out.decisions  # none dropped
    assert out.reattached >= 0.9, out
    assert out.orphans_listed == out.orphaned  # each orphan's claim is on the app's "needs another look"


def test_unchanged_segments_keep_their_persona_ids(flow):
    _, out = flow
    assert out.unchanged_kept_id == out.unchanged_segments
    assert out.continued >= 1  # the added files did not replace every persona


def test_review_open_during_the_rerun_loses_nothing_and_reload_shows_the_new_version(flow):
    _, out = flow
    assert out.concurrent_posted >= 1
    assert out.concurrent_kept == out.concurrent_posted
    assert out.reloaded == out.personas


def test_run_summary_history_and_diff_after_the_rerun(flow):
    settings, _ = flow
    ws = str(settings.workspace)
    history = json.loads(runner.invoke(app, ["history", "--json", "-w", ws]).output)
    stages = [v["stage"] for v in history]
    assert stages.count("personas") == 2 and stages.count("themes") >= 2
    last = [v for v in history if v["stage"] == "personas"][-1]
    assert last["summary"]["decisions"] == last["summary"]["carried"] + last["summary"]["orphaned"]
    diff = json.loads(runner.invoke(app, ["diff", "--json", "-w", ws]).output)
    assert any(p["change"] == "continued" for p in diff["personas"])
    grew = [p for p in diff["personas"] if p["participants_added"]]
    assert grew, "the added interview and rows joined some persona"


def test_every_carried_decision_sits_on_a_claim_of_the_new_draft(flow):
    settings, _ = flow
    from synth.personas.store import load_personas
    from synth.review.decisions import all_decisions

    with Store(settings.db_path) as store:
        claims = {(p.id, c.id) for p in load_personas(store) for c in p.claims}
        decisions = all_decisions(store)
    assert decisions and all((d.persona_id, d.claim_id) in claims for d in decisions)
    assert all(d.reviewer == "bench" for d in decisions)  # the app's --reviewer, recorded on every decision
