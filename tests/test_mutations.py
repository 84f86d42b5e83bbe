"""Planted defects (mutation testing of `synth eval`) on two small hand-made personas that pass every default
gate: each kind of defect is planted several times and must be caught, and nothing is flagged on the
personas as they are. `evals/bench_mutations.py` does the same on both sample corpora with the real embedder."""

from __future__ import annotations

from random import Random

import pytest

from evals.mutations import KINDS, Planter, baseline_keys, score
from synth.evaluation import Judge, evaluate_loaded, load_sources
from synth.llm import open_llm
from synth.personas.store import save_personas
from synth.records import Chunk, Citation, Claim, Persona, Segment, Verdict
from synth.store import Store
from synth.verify import verify_citation
from tests.persona_fixtures import ingest_folder

PLANTS = 8  # per kind


def _chunk(chunks: list[Chunk], words: str) -> Chunk:
    found = [c for c in chunks if words in c.text]
    assert len(found) == 1, (words, found)
    return found[0]


def good_personas(settings, root) -> tuple[list[Persona], list[Segment]]:
    """A family planner and a budget cook, every claim backed by its participants' own words."""
    ingest_folder(root, settings, script_review=False)
    with Store(settings.db_path) as store:
        chunks = store.chunks()
    by_id = {c.id: c for c in chunks}
    family = ["Sunday night I sit down", "list never syncs so we buy milk", "If the shared list synced",
              "The shared list with my partner never syncs", "Family of five here",
              "Planning dinners for three kids is easier"]
    budget = ["I cook for one on a student budget", "Plus is too expensive", "Recipes never scale down",
              "Student here: the subscription price", "Too expensive for a student budget, the free tier"]

    def segment(sid: str, words: list[str]) -> Segment:
        return Segment(id=sid, participant_ids=sorted({_chunk(chunks, w).participant_id for w in words}))

    seg_f, seg_b = segment("seg_family", family), segment("seg_budget", budget)

    def claim(section: str, text: str, seg: Segment, *quotes: str) -> Claim:
        cites = [verify_citation(Citation(chunk_id=_chunk(chunks, q).id, quote=q), by_id, seg.participant_ids)
                 for q in quotes]
        assert all(c.verdict == Verdict.verified for c in cites), cites
        return Claim(section=section, text=text, citations=cites, verdict=Verdict.supported,
                     support_count=len({c.participant_id for c in cites}))

    planner = Persona(id="per_family", name="Dana the family planner", summary="", segment_id=seg_f.id, claims=[
        claim("behaviours", "Sits down with the app on Sunday night and plans five dinners for the kids.", seg_f,
              "Sunday night I sit down with the app and plan five dinners for the kids."),
        claim("frustrations", "Gets frustrated that the shared list never syncs, so they buy milk twice.", seg_f,
              "My husband adds milk, I add milk, and the list never syncs so we buy milk twice.",
              "The shared list with my partner never syncs, so we buy everything twice for the kids."),
        claim("needs", "Wants the shared list synced properly with their husband.", seg_f,
              "If the shared list synced properly with my husband."),
        claim("context", "Their family of five eats the weekly dinner plan together.", seg_f,
              "Family of five here: the weekly dinner plan and the shared list save my evenings with the kids."),
        claim("behaviours", "Plans dinners for three kids and shares the list with their husband.", seg_f,
              "Planning dinners for three kids is easier, but the shared list duplicates items with my husband."),
    ])
    cook = Persona(id="per_budget", name="Theo the budget cook", summary="", segment_id=seg_b.id, claims=[
        claim("context", "Cooks for one on a student budget of forty dollars a week.", seg_b,
              "I cook for one on a student budget of forty dollars a week."),
        claim("frustrations", "Finds Plus too expensive for a student budget.", seg_b,
              "Plus is too expensive for a student budget.",
              "Too expensive for a student budget, the free tier recipe limit is a paywall."),
        claim("frustrations", "Gets frustrated that recipes never scale down for one person, so they waste food.",
              seg_b, "Recipes never scale down for one person on a budget, so I waste food and money."),
        claim("needs", "Wants a cheaper student price for the subscription.", seg_b,
              "Student here: the subscription price is too high, give us a cheaper student budget plan."),
    ])
    with Store(settings.db_path) as store:
        save_personas(store, [seg_f, seg_b], [planner, cook])
    return [planner, cook], [seg_f, seg_b]


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    from synth.config import load_settings

    root = tmp_path_factory.mktemp("mutations")
    settings = load_settings(root / "ws", embedder="fake-hash:64")
    personas, segments = good_personas(settings, root)
    with Store(settings.db_path) as store:
        sources = load_sources(store, personas, segments, all_documents=True)
    llm = open_llm(settings.workspace, llm="offline")
    judge = Judge(llm)
    baseline = evaluate_loaded(personas, sources, judge, find_counter_evidence=False)
    yield personas, sources, judge, baseline
    llm.close()


def test_the_good_personas_pass_every_default_gate_with_nothing_flagged(setup):
    _, _, _, baseline = setup
    assert baseline.failures == []
    assert [f for p in baseline.personas for f in p.findings] == []  # 0 false alarms
    assert all(p.verdict.startswith("Passes") for p in baseline.personas)


@pytest.mark.parametrize("kind", KINDS)
def test_every_planted_defect_is_caught(setup, kind):
    personas, sources, judge, baseline = setup
    planter = Planter(personas, sources, baseline, Random(kind))
    known = baseline_keys(baseline)
    results = []
    for _ in range(PLANTS):
        m = planter.plant(kind)
        assert m is not None, f"nothing to plant a {kind} in"
        target = next(p for p in m.personas if p.id == m.target)
        report = evaluate_loaded(m.personas, m.sources, judge, chosen=[target], find_counter_evidence=False)
        s = score(m, report, known)
        results.append((s.caught, m.detail, s.how))
    missed = [r for r in results if not r[0]]
    assert not missed, missed


def test_a_planted_defect_changes_only_copies(setup):
    personas, sources, _, baseline = setup
    before = [p.model_dump() for p in personas], len(sources.chunks), len(sources.documents)
    planter = Planter(personas, sources, baseline, Random(1))
    for kind in KINDS:
        planter.plant(kind)
    assert ([p.model_dump() for p in personas], len(sources.chunks), len(sources.documents)) == before
