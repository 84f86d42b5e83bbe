"""Support tickets, surveys, attributes and `synth match` (issue 18).

Readers are checked on every layout the seeded generator writes (corpora/make_survey_ticket_exports.py
--all-formats) against its truth: which sentences the customer wrote themselves. The end-to-end test
ingests Beacon's survey and ticket samples with the real embedder and chromadb, joins a CRM export,
and matches text against personas whose segments are the truth's.
"""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest
from typer.testing import CliRunner

from synth.parsers import parse_file
from synth.parsers.messages import split_message
from synth.participants import evidence_of
from synth.records import Kind, Role
from tests.conftest import ROOT

BEACON = ROOT / "corpora" / "beacon"
TRUTH = json.loads((ROOT / "evals" / "truth" / "beacon" / "surveys_threads.json").read_text())
SURVEY = BEACON / "surveys" / "beacon_pulse_qualtrics.csv"
THREADS = BEACON / "tickets" / "helpdesk_conversations.json"


@pytest.fixture(scope="module")
def formats(tmp_path_factory):
    root = tmp_path_factory.mktemp("formats")
    spec = importlib.util.spec_from_file_location("gen", ROOT / "corpora" / "make_survey_ticket_exports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--root", str(root), "--all-formats"])
    return root


def test_generator_reproduces_the_committed_files(formats):
    for rel in ("corpora/beacon/surveys/beacon_pulse_qualtrics.csv", "corpora/beacon/tickets/helpdesk_conversations.json",
                "evals/truth/beacon/surveys_threads.json"):
        assert (formats / rel).read_bytes() == (ROOT / rel).read_bytes(), rel


def test_split_message_keeps_quotes_and_signatures_out():
    body = ("Hi,\n\nExports stop at 50k rows.\n\nThanks,\nAna Ruiz\nData Lead\n\n"
            "On Tue, Mar 3, 2026 at 10:02 AM Support <help@x.example> wrote:\n> We fixed it.")
    pieces = split_message(body)
    assert pieces[0] == ("Hi,\n\nExports stop at 50k rows.", True)
    assert all(not own for _, own in pieces[1:]) and "We fixed it." in pieces[-1][0]
    assert split_message("Thanks, that fixed it.") == [("Thanks, that fixed it.", True)]
    html = split_message("<p>It broke.</p><blockquote>old mail</blockquote>")
    assert html[0] == ("It broke.", True) and not html[1][1] and "old mail" in html[1][0]


@pytest.mark.parametrize("name", ["intercom", "zendesk.json", "freshdesk.json", "helpscout.json", "messages.csv"])
def test_ticket_readers_take_only_the_customers_own_words(formats, name):
    path = THREADS if name == "intercom" else formats / "formats" / "tickets" / name
    docs = parse_file(path)
    assert len(docs) == len(TRUTH["tickets"]) and {d.kind for d in docs} == {Kind.ticket}
    chunks, people = evidence_of(docs, 160)
    own = {s for t in TRUTH["tickets"] for s in t["own"]}
    evidence = [c.text for c in chunks if c.role == Role.participant]
    flat = [" ".join(text.split()).removeprefix("Hi there, ") for text in evidence]
    assert evidence and all(text in own for text in flat), [t for t in flat if t not in own][:3]
    said = " ".join(evidence)
    assert "Glad that helped" not in said and "wrote:" not in said and "Sent from my" not in said
    # every ticket of one customer is one participant
    assert len(people) == len(TRUTH["customers"])
    agents = {t.speaker for d in docs for t in d.turns if t.role == Role.interviewer}
    assert agents and not {c.speaker for c in chunks} & agents


def test_zendesk_csv_rows_are_tickets_keyed_by_email():
    docs = parse_file(BEACON / "tickets" / "support_tickets.csv")
    assert {d.kind for d in docs} == {Kind.ticket}
    _, people = evidence_of(docs, 160)
    keys = {d.metadata["person_key"] for d in docs}
    assert len(people) == len(keys) < len(docs)


@pytest.mark.parametrize("name", ["qualtrics", "google_forms.csv", "typeform.csv", "surveymonkey.csv", "qualtrics.xlsx"])
def test_survey_readers_find_respondents_answers_and_attributes(formats, name):
    path = SURVEY if name == "qualtrics" else formats / "formats" / "surveys" / name
    docs = parse_file(path)
    assert len(docs) == len(TRUTH["respondents"]) and {d.kind for d in docs} == {Kind.survey}
    first = docs[0]
    attrs = first.metadata["attributes"]
    assert attrs["What is your role?"] in ("Data / analytics", "Product management", "Founder / exec", "Engineering",
                                           "IT / operations")
    features = attrs.get("Which Beacon features do you use every week?") or next(
        v for k, v in attrs.items() if k.startswith("Choices:"))
    assert isinstance(features, list) and features
    nps = attrs["How likely are you to recommend Beacon to a friend or colleague?"]
    assert isinstance(nps, float) and 0 <= nps <= 10
    questions = [first.text[t.start:t.end] for t in first.turns if t.role == Role.other]
    assert "If you could change one thing about Beacon, what would it be?" in questions
    chunks, people = evidence_of(docs, 160)
    assert len(people) == len(docs) and all(c.role == Role.participant for c in chunks)
    assert not any("change one thing" in c.text for c in chunks)  # the question is context, never evidence


def test_qualtrics_ranking_becomes_an_ordered_list():
    doc = parse_file(SURVEY)[0]
    ranking = doc.metadata["attributes"]["Please rank what matters most to you in an analytics tool"]
    assert sorted(ranking) == sorted(["Data freshness", "Price per seat", "Ease of setup", "Access control"])


def test_survey_command_names_roles_and_refuses_bad_ones():
    from synth.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["survey", str(SURVEY), "--json", "--column-role", "Q2=open"])
    assert out.exit_code == 0, out.output
    roles = {c["name"]: (c["role"], c["how"]) for c in json.loads(out.output)["columns"]}
    assert roles["Q7"] == ("open", "detected") and roles["Q2"] == ("open", "named by you")
    assert roles["Q4"][0] == "nps" and roles["Q6_1"][0] == "ranking" and roles["ResponseId"][0] == "id"
    bad = runner.invoke(app, ["survey", str(SURVEY), "--column-role", "Q2=banana"])
    assert bad.exit_code == 2 and "COLUMN=ROLE" in bad.output
    missing = runner.invoke(app, ["survey", str(SURVEY), "--column-role", "Nope=open"])
    assert missing.exit_code == 2 and "no column named 'Nope'" in missing.output


def test_match_model_calibrates_on_left_out_participants():
    from synth.match.model import build_model

    rng = np.random.default_rng(0)
    centres = np.eye(3, 8)
    vectors = {f"p{s}{i}": centres[s] + 0.45 * rng.standard_normal(8) for s in range(3) for i in range(12)}
    members = {f"seg{s}": [f"p{s}{i}" for i in range(12)] for s in range(3)}
    model = build_model(members, vectors)
    assert 0.6 < model.calibration.loo_accuracy < 1.0  # both outcomes seen: a real fit
    _, order, prob = model.rank(np.array([centres[1], centres[2] + centres[0]]))
    assert model.segment_ids[order[0][0]] == "seg1" and prob[0] > prob[1]


def test_attribute_join_rules_report_unmatched_and_ambiguous():
    from synth.attributes import join_attributes, profile_segments
    from synth.records import Participant

    people = [Participant(id="a", label="Ana", kind=Kind.ticket, metadata={"email": "ana@x.example"}),
              Participant(id="b", label="Ben", kind=Kind.review),
              Participant(id="c", label="Ben", kind=Kind.social),
              Participant(id="d", label="@dee", kind=Kind.social, metadata={"user_id": "42"})]
    rows = [{"key": "ANA@x.example ", "plan": "Pro", "churned": "yes", "mrr": "120"},
            {"key": "ben", "plan": "Free", "churned": "no", "mrr": "0"},
            {"key": "42", "plan": "Free", "churned": "no", "mrr": "10"},
            {"key": "zed@x.example", "plan": "Pro", "churned": "no", "mrr": "99"}]
    joined, report = join_attributes(rows, "key", people, "crm.csv")
    assert set(joined) == {"a", "d"} and report.by_rule == {"email": 1, "user_id": 1}
    assert report.ambiguous == ["ben"] and report.unmatched == ["zed@x.example"]
    profiles = profile_segments(joined, {"s1": ["a"], "s2": ["d"]})
    churn = next(p for p in profiles["s1"] if p.name == "churned")
    assert churn.line() == "churned 100% vs 50% overall"
    mrr = next(p for p in profiles["s2"] if p.name == "mrr")
    assert mrr.kind == "numeric" and "median 10" in mrr.line()


@pytest.mark.integration
def test_end_to_end_ingest_attributes_and_match(tmp_path, monkeypatch):
    """Real embedder and chromadb: ingest both samples, join a CRM file, match held-out text to truth personas."""
    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.match import NO_FIT, Matcher, MatchInput
    from synth.personas.store import save_personas
    from synth.records import Citation, Claim, Persona, Segment, Verdict
    from synth.search import open_store

    monkeypatch.chdir(tmp_path)
    settings = load_settings(tmp_path / "ws")
    report = ingest([SURVEY, THREADS], settings)
    assert not report.failed and report.files_ingested == 2
    seg_of = {r["email"] or r["response_id"]: r["segment"] for r in TRUTH["respondents"]}
    with open_store(settings) as store:
        counts = store.counts_by_kind()
        assert counts["survey"]["participants"] == 60 and counts["ticket"]["participants"] == len(TRUTH["customers"])
        people = {p.id: p for p in store.participants() if p.kind == Kind.survey}
        chunks = [c for c in store.chunks() if c.participant_id in people]
        by_seg: dict[str, list[str]] = {}
        for pid, p in people.items():
            by_seg.setdefault(seg_of[p.metadata.get("email") or p.metadata["user_id"]], []).append(pid)
        segments, personas = [], []
        for seg, pids in sorted(by_seg.items()):
            cites = [c for c in chunks if c.participant_id in pids][:4]
            segments.append(Segment(id=f"seg{seg}", participant_ids=pids))
            personas.append(Persona(id=f"per{seg}", name=f"Persona {seg}", summary="", segment_id=f"seg{seg}", claims=[
                Claim(section="frustrations", text=f"claim of {seg}", citations=[
                    Citation(chunk_id=c.id, quote=c.text[:40], participant_id=c.participant_id,
                             verdict=Verdict.verified) for c in cites]),
                Claim(section="goals", text=f"invented goal of {seg}", citations=[  # never checked: never a reason
                    Citation(chunk_id=c.id, quote="words nobody said", participant_id=c.participant_id,
                             verdict=Verdict.fabricated) for c in cites])]))
        save_personas(store, segments, personas)
    crm = tmp_path / "crm.csv"
    emails = [r["email"] for r in TRUTH["respondents"] if r["email"]]
    crm.write_text("email,plan\n" + "\n".join(f"{e},{'Enterprise' if seg_of[e] == 'S5' else 'Team'}" for e in emails)
                   + "\nnobody@nowhere.example,Team\n")
    from synth.cli import app

    out = CliRunner().invoke(app, ["attributes", str(crm), "--key", "email", "--workspace", str(tmp_path / "ws")])
    assert out.exit_code == 0, out.output
    # A respondent who also filed tickets is two participants (a survey one and a ticket one): ambiguous, not guessed.
    both = [e for e in emails if e in TRUTH["customers"]]
    assert both and f"{len(emails) - len(both)} of {len(emails) + 1} rows joined" in out.output
    assert f"1 unmatched, {len(both)} ambiguous" in out.output and "nobody@nowhere.example" in out.output
    assert "plan = Enterprise 100% vs" in out.output
    matcher = Matcher(settings)
    results = matcher.match([
        MatchInput(row=1, text="SCIM is not removing people we offboarded in Okta and they keep a paid seat",
                   attributes={"plan": "Enterprise"}),
        MatchInput(row=2, text="the Android SDK loses events when the app is in the background"),
        MatchInput(row=3, text="My grandmother's lasagne recipe needs more basil and a slower oven."),
    ])
    assert results[0].persona == "Persona S5" and results[0].claims and results[0].attributes[0].name == "plan"
    assert all(c.quote != "words nobody said" for r in results for c in r.claims)  # only verified words explain
    assert results[1].persona == "Persona S4", results[1]
    assert results[2].persona == NO_FIT and not results[2].fits
    assert 0.0 <= results[0].score <= 1.0
    leads = tmp_path / "leads.csv"
    leads.write_text("id,text\nA,the Android SDK loses events when the app is in the background\n")
    scored = tmp_path / "scored.csv"
    out = CliRunner().invoke(app, ["match", str(leads), "--csv", str(scored), "--json", "-w", str(tmp_path / "ws")])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output.splitlines()[-1])["persona"] == "Persona S4"
    assert "Persona S4" in scored.read_text().splitlines()[1]
    missing = CliRunner().invoke(app, ["match", "-w", str(tmp_path / "ws")])
    assert missing.exit_code == 2 and "nothing to match" in missing.output


def test_attribute_block_shapes_segments_only_when_attributes_vary():
    from synth.attributes.profile import attribute_block

    ids = ["a", "b", "c", "d"]
    attrs = {"a": {"plan": "Pro", "mrr": 100.0, "uses": ["SQL", "API"]}, "b": {"plan": "Pro", "mrr": 90.0},
             "c": {"plan": "Free", "mrr": 0.0, "uses": ["SQL"]}, "d": {}}
    block = attribute_block(ids, attrs)
    assert block.shape[0] == 4 and block.shape[1] >= 4
    assert np.allclose(np.linalg.norm(block[:3], axis=1), 1.0)
    assert np.dot(block[0], block[1]) > np.dot(block[0], block[2])  # two Pro payers sit closer than Pro and Free
    assert attribute_block(ids, {"a": {"plan": "Pro"}, "b": {"plan": "Pro"}}).shape[1] == 0  # nothing varies


def test_build_profiles_adds_the_attribute_block_when_asked():
    from synth.personas.segments import build_profiles
    from synth.records import Chunk, Participant

    people = [Participant(id=f"p{i}", label=f"P{i}", kind=Kind.survey) for i in range(6)]
    chunks = [Chunk(document_id=f"d{i}", participant_id=f"p{i}", speaker=f"P{i}", role=Role.participant,
                    kind=Kind.survey, text=f"I use the export every week and the sync {'fails' if i % 2 else 'works'}.",
                    start=0, end=10) for i in range(6)]
    plain = build_profiles(people, chunks, [], {})
    attrs = {f"p{i}": {"churned": "yes" if i < 3 else "no"} for i in range(6)}
    shaped = build_profiles(people, chunks, [], {}, attributes=attrs)
    assert shaped.matrix.shape[1] == plain.matrix.shape[1] + 2


def test_cards_show_customer_attributes_against_the_study():
    from synth.cards.data import StudyView
    from synth.records import Segment

    customer = {"a": {"churned": "yes"}, "b": {"churned": "yes"}, "c": {"churned": "no"}, "d": {"churned": "no"},
                "e": {"churned": "no"}}
    study = StudyView([], {}, {p: "survey" for p in customer}, {}, {}, {}, {}, customer)
    facts = study.facts(Segment(id="s", participant_ids=["a", "b", "c"]))
    assert facts["attributes"] == ["churned 67% vs 40% overall"]


def test_match_reads_csv_and_jsonl_rows_and_refuses_missing_input(tmp_path):
    from synth.match import MatchError, read_inputs

    rows = tmp_path / "leads.csv"
    rows.write_text("lead_id,notes,plan\nL1,exports time out,Pro\nL2,,Free\n")
    got = read_inputs(rows, None)
    assert [(r.id, r.text, r.attributes) for r in got] == [("L1", "exports time out", {"plan": "Pro"}),
                                                           ("L2", "", {"plan": "Free"})]
    jsonl = tmp_path / "leads.jsonl"
    jsonl.write_text('{"id": 7, "message": "SSO please"}\n')
    assert read_inputs(jsonl, None)[0].text == "SSO please"
    with pytest.raises(MatchError, match="no column named 'body'"):
        read_inputs(rows, None, text_column="body")
    with pytest.raises(MatchError, match="no such file"):
        read_inputs(tmp_path / "nope.csv", None)
    assert read_inputs(None, "one text")[0].text == "one text"


def test_match_reads_a_ticket_export_as_the_customers_words_per_ticket():
    from synth.match import read_inputs

    rows = read_inputs(THREADS, None)
    assert len(rows) == len(TRUTH["tickets"]) and rows[0].id == TRUTH["tickets"][0]["id"]
    assert "Good news" not in " ".join(r.text for r in rows) and "wrote:" not in " ".join(r.text for r in rows)
    survey = read_inputs(SURVEY, None)
    assert len(survey) == 60 and survey[0].attributes["What is your role?"]


def test_review_and_social_exports_are_not_taken_for_tickets_or_surveys(tmp_path):
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("id,status,channel,review\n1,published,ios,The planner is lovely but sync is slow\n")
    posts = tmp_path / "posts.csv"
    posts.write_text("Timestamp,user,text\n2026-01-02,amy,my weekly shop list is finally sorted\n")
    assert parse_file(reviews)[0].kind == Kind.review
    assert parse_file(posts)[0].kind in (Kind.review, Kind.social)


def test_rating_grid_rows_stay_separate_attributes(tmp_path):
    path = tmp_path / "monkey.csv"
    path.write_text(
        "Respondent ID,Collector ID,Rate each part of Beacon,,What would you change?\n"
        ",,Speed,Docs,Open-Ended Response\n"
        "1,9,4,2,the docs for the android sdk are thin and out of date\n"
        "2,9,5,3,exports stop at fifty thousand rows which is not enough\n"
        "3,9,3,1,nothing much really it mostly just works for our team\n")
    doc = parse_file(path)[0]
    assert doc.metadata["attributes"] == {"Rate each part of Beacon [Speed]": 4.0, "Rate each part of Beacon [Docs]": 2.0}
