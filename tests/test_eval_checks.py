"""The evaluation's independent checks, each on hand-made records: interviewer words whatever role ingest gave,
small talk, cut quotes, polarity, prevalence recounts, contradictions, duplicates; gates, verdicts and the report."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.evaluation import GATES, FindingKind, Thresholds, check_gates, evaluate, gates_help, render_html
from synth.evaluation.checks import (
    call_talk_reason, claim_polarity, cut_reason, interviewer_reason, non_speech_reason, polarity_finding, recount,
)
from synth.evaluation.coherence import attributes, contradiction_findings, duplicate_findings
from synth.evaluation.metrics import recheck
from synth.evaluation.report import PersonaEval
from synth.evaluation.sources import Sources
from synth.evaluation.verdicts import persona_verdict
from synth.records import Chunk, Citation, Claim, Document, Kind, Persona, Prevalence, Role, Segment, Turn
from tests.eval_fixtures import make_workspace


def transcript(lines: list[tuple[str, str]], roles: dict[str, Role] | None = None, doc_id: str = "doc_t") -> Document:
    """A transcript from (speaker, text) lines; roles are what ingest decided (by default: all participants)."""
    text, turns = "", []
    for speaker, said in lines:
        start = len(text) + len(speaker) + 2
        text += f"{speaker}: {said}\n"
        turns.append(Turn(speaker=speaker, role=(roles or {}).get(speaker, Role.participant), start=start,
                          end=start + len(said)))
    return Document(id=doc_id, path=f"{doc_id}.txt", kind=Kind.interview, format="txt", text=text, turns=turns)


def chunk_of(doc: Document, i: int, pid: str = "p1", role: Role = Role.participant) -> Chunk:
    t = doc.turns[i]
    return Chunk(id=f"c{i}_{doc.id}", document_id=doc.id, participant_id=pid, speaker=t.speaker, role=role,
                 kind=doc.kind, text=doc.text[t.start:t.end], start=t.start, end=t.end)


def sources_of(doc: Document, chunks: list[Chunk], members: list[str] = ("p1",)) -> Sources:
    return Sources(chunks={c.id: c for c in chunks}, documents={doc.id: doc},
                   segments={"seg": Segment(id="seg", participant_ids=list(members))}, study_language="en")


INTERVIEW = [
    ("Sam", "Hi Dana, thanks for joining. Can you hear me okay?"),
    ("Dana", "Yeah, yeah I can hear you. Sorry, I'm parked in the school pickup line, so if I vanish it's the line."),
    ("Sam", "How do you plan dinners during the week?"),
    ("Dana", "Sunday night I sit down with the app and plan five dinners for the kids."),
    ("Sam", "That makes sense, a lot of parents told us the same."),
    ("Dana", "Sorry, but the shared list never syncs with my husband's phone."),
    ("Sam", "What would you change first?"),
    ("Dana", "Do you know what, the sync. Can it just work?"),
    ("Sam", "Great, thank you so much, that's all from me."),
    ("Dana", "Bye!"),
]


# interviewer words, whatever ingest said ---------------------------------------------------------
def test_an_interviewer_taken_for_a_participant_is_found_by_behaviour():
    doc = transcript(INTERVIEW)  # ingest called everyone a participant
    chunks = [chunk_of(doc, i) for i in range(len(doc.turns))]
    src = sources_of(doc, chunks)
    why = interviewer_reason("That makes sense, a lot of parents told us the same.", chunks[4], src)
    assert why and "Sam asks questions" in why
    assert interviewer_reason("Sunday night I sit down with the app and plan five dinners for the kids.", chunks[3],
                              src) is None
    # Dana asked one question back: a participant still, but the question itself asserts nothing.
    assert "a question Dana asks" in interviewer_reason("Can it just work?", chunks[7], src)


@pytest.mark.parametrize("label", ["Interviewer 2", "Moderator", "Q", "Priya (UX)", "Observer"])
def test_role_words_in_the_label(label):
    doc = transcript([(label, "Right, and the kids?"), ("Dana", "The kids eat pasta every single night, honestly.")])
    chunks = [chunk_of(doc, 0), chunk_of(doc, 1)]
    assert interviewer_reason("Right, and the kids?", chunks[0], sources_of(doc, chunks))


@pytest.mark.parametrize("intro", [
    "I'm a master student and this interview is for my thesis on meal planning.",
    "So I work on the research team here and we're talking to people who cook for families.",
])
def test_a_researcher_introducing_themselves(intro):
    doc = transcript([("Alex", intro), ("Dana", "Happy to help, I cook for four people every day."),
                      ("Alex", "Great. We plan dinners together then.")])
    chunks = [chunk_of(doc, i) for i in range(3)]
    assert "introduces themselves as the researcher" in interviewer_reason(
        "Great. We plan dinners together then.", chunks[2], sources_of(doc, chunks))


def test_a_participant_who_is_a_student_or_a_researcher_by_trade_stays_a_participant():
    doc = transcript([("Sam", "Tell me about yourself?"),
                      ("Dana", "I'm a master student, so money is tight and I cook cheap."),
                      ("Sam", "And your job?"), ("Dana", "I work on the research team of a pharma company.")],
                     roles={"Sam": Role.interviewer})
    chunks = [chunk_of(doc, 1), chunk_of(doc, 3)]
    src = sources_of(doc, chunks)
    assert interviewer_reason("I'm a master student, so money is tight and I cook cheap.", chunks[0], src) is None
    assert interviewer_reason("I work on the research team of a pharma company.", chunks[1], src) is None


def test_a_review_author_with_a_role_word_is_not_an_interviewer():
    doc = Document(id="r", path="r.csv", kind=Kind.review, format="csv", text="Love it, saves me hours a week.",
                   turns=[Turn(speaker="ux_researcher", role=Role.participant, start=0, end=31)])
    chunk = Chunk(id="cr", document_id="r", participant_id="p1", speaker="ux_researcher", role=Role.participant,
                  kind=Kind.review, text=doc.text, start=0, end=31)
    assert interviewer_reason("Love it, saves me hours a week.", chunk, sources_of(doc, [chunk])) is None


# small talk, notes, cut quotes ----------------------------------------------------------------------
@pytest.mark.parametrize("quote", ["Hi, can you hear me okay?", "(laughs)", "[inaudible]", "XXXX XXXX.",
                                   "3.a Please explain how you plan your week.", "Thanks so much, bye!"])
def test_non_speech(quote):
    assert non_speech_reason(quote, "en")


def test_substantive_speech_is_kept():
    assert non_speech_reason("The shared list never syncs with my husband's phone.", "en") is None


def test_talk_about_the_call_at_the_opening_but_not_an_apology_mid_interview():
    doc = transcript(INTERVIEW)
    chunks = [chunk_of(doc, i) for i in range(len(doc.turns))]
    src = sources_of(doc, chunks)
    parked = "Sorry, I'm parked in the school pickup line, so if I vanish it's the line."
    assert non_speech_reason(parked, "en") is None  # the words alone look substantive ...
    assert "about the call itself" in call_talk_reason(parked, chunks[1], src)  # ... where they are said does not
    assert call_talk_reason("Sorry, but the shared list never syncs with my husband's phone.", chunks[5], src) is None


def test_quotes_cut_mid_word():
    doc = transcript([("Dana", "He adds milk, I add milk, we end up with three cartons. I don't mind.")])
    chunk = chunk_of(doc, 0)
    src = sources_of(doc, [chunk])
    assert "ends in the middle of a word" in cut_reason("we end up with three carto", chunk, src)
    assert "starts in the middle of a word" in cut_reason("dds milk, I add milk", chunk, src)
    assert cut_reason("I don", chunk, src)  # don't, cut before its apostrophe
    assert cut_reason("we end up with three cartons", chunk, src) is None
    assert cut_reason("He adds milk", chunk, src) is None


# polarity -----------------------------------------------------------------------------------------
def _claim_on(section: str, text: str, quote: str) -> tuple[Claim, Sources, list]:
    doc = transcript([("Dana", quote)])
    chunk = chunk_of(doc, 0)
    src = sources_of(doc, [chunk])
    claim = Claim(section=section, text=text, citations=[Citation(chunk_id=chunk.id, quote=quote)])
    return claim, src, recheck(claim, src.chunks, ["p1"])


@pytest.mark.parametrize(("section", "text", "quote", "flagged"), [
    ("frustrations", "Gets frustrated that the planner is great.", "The planner is great, I love it.", True),
    ("frustrations", "Gets frustrated that the list never syncs.", "The list never syncs and it drives me mad.", False),
    ("motivations", "Loves that the app keeps crashing.", "The app keeps crashing every single time I open it.", True),
    ("motivations", "Values having everything in one place.", "I love having my recipes all in one place.", False),
    ("behaviours", "Plans on Sundays.", "I hate Sundays but I plan then.", False),  # any stance
    ("needs", "Needs the list to work offline.", "The list doesn't work offline, it's useless.", False),  # a need
    ("context", "Loves the pantry tracker.", "The pantry tracker is useless and broken.", True),  # the frame says
])
def test_polarity_against_the_quotes(section, text, quote, flagged):
    claim, src, checks = _claim_on(section, text, quote)
    assert (polarity_finding(claim, checks, src) is not None) == flagged


def test_a_split_states_both_sides():
    claim = Claim(section="frustrations", text="5 of 14 find the ads tolerable; 9 of 14 say they drove them away.",
                  prevalence=Prevalence(of=14, participant_ids=[f"p{i}" for i in range(14)], sides=[5, 9]))
    assert claim_polarity(claim) is None


# prevalence ---------------------------------------------------------------------------------------
def test_prevalence_recounts():
    doc = transcript([("Dana", "The list never syncs."), ("Theo", "The list never syncs for me either.")])
    chunks = [chunk_of(doc, 0, "p1"), chunk_of(doc, 1, "p2")]
    src = sources_of(doc, chunks, ["p1", "p2", "p3", "p4"])
    members = {"p1", "p2", "p3", "p4"}
    cites = [Citation(chunk_id=c.id, quote=c.text) for c in chunks]

    def check(**kw):
        claim = Claim(section="frustrations", text=kw.pop("text", "The list never syncs."), citations=cites, **kw)
        return recount(claim, recheck(claim, src.chunks, members), src, members)

    assert check(support_count=2) == []
    assert "support count is 3" in check(support_count=3)[0]
    good = Prevalence(of=4, participant_ids=["p1", "p2", "p3"])
    assert check(support_count=3, prevalence=good, text="3 of 4 say the list never syncs.") == []
    assert "out of 5" in check(support_count=3, prevalence=good.model_copy(update={"of": 5}))[0]
    assert "outside the segment" in " ".join(check(support_count=4, prevalence=good.model_copy(
        update={"participant_ids": ["p1", "p2", "p3", "p9"]})))
    assert "not among those it counts" in " ".join(check(support_count=2, prevalence=good.model_copy(
        update={"participant_ids": ["p1", "p3"]})))
    assert "the text says '4 of 4'" in " ".join(check(support_count=3, prevalence=good,
                                                      text="4 of 4 say the list never syncs."))
    assert check(support_count=3, prevalence=good, text="Rates it 4 of 5 stars.") == []  # not a prevalence figure
    assert "do not add up" in " ".join(check(support_count=3, prevalence=good.model_copy(update={"sides": [5, 1]})))


# contradictions and duplicates ---------------------------------------------------------------------
def _persona(*claims: tuple[str, str], pid: str = "per", name: str = "P") -> Persona:
    return Persona(id=pid, name=name, summary="", segment_id="seg",
                   claims=[Claim(section=s, text=t) for s, t in claims])


@pytest.mark.parametrize(("a", "b"), [
    ("Lives alone.", "Lives with their partner and their two kids."),
    ("Has two kids under ten.", "Has no children."),
    ("Is a full-time student at university.", "Is retired after forty years of teaching."),
    ("Says they're a small startup of six people.", "Works at a large enterprise company with 20,000 employees."),
    ("Is a solo founder who works alone.", "Leads a team of twelve engineers."),
    ("Works from home most days of the week.", "Does not work from home most days of the week."),
])
def test_context_claims_that_cannot_both_hold(a, b):
    found = contradiction_findings(_persona(("context", a), ("context", b)))
    assert len(found) == 1 and found[0].kind == FindingKind.contradiction


@pytest.mark.parametrize(("a", "b"), [
    ("Lives with their partner.", "Their partner does the shopping on Wednesdays."),
    ("Has two kids.", "Their kids are picky eaters."),
    ("Is a student.", "Works part-time as a barista."),
    ("Loves the planner.", "Hates the price of the planner."),  # mixed feelings across sections are fine
])
def test_claims_that_can_both_hold(a, b):
    assert contradiction_findings(_persona(("context", a), ("frustrations", b))) == []


def test_attributes_read_first_and_third_person():
    assert {(x.topic, x.value) for x in attributes("I live alone with my cat.")} == {("household", "alone")}
    assert {(x.topic, x.value) for x in attributes("Mum of four here, my partner shops.")} >= {("children", 4)}


def test_duplicates_across_personas():
    a = _persona(("goals", "Wants the shared list to sync with their partner."), ("context", "Cooks for one."), pid="a")
    b = _persona(("goals", "Wants the shared list to sync with the partner."), ("goals", "Saves money on food."),
                 pid="b", name="B")
    found = duplicate_findings([a, b])
    assert [f.claim_id for f in found["a"]] == [a.claims[0].id] and found["b"][0].other_persona_id == "a"
    assert duplicate_findings([a, _persona(("goals", "Plans meals for the week ahead."), pid="c")])["a"] == []


# gates and verdicts --------------------------------------------------------------------------------
def test_every_gate_has_a_flag_a_default_and_a_reason():
    thresholds = Thresholds()
    for gate in GATES:
        assert gate.flag.startswith(("--min-", "--max-")) and gate.reason
        assert getattr(thresholds, gate.field) == gate.default
    assert all(g.flag in gates_help() for g in GATES if g.default is not None)
    assert all(v is None for v in Thresholds.off().model_dump().values())


def test_gates_fail_min_and_max():
    p = PersonaEval(persona_id="x", name="X", segment_id="s", support=0.5, interviewer_citations=2,
                    segment_coverage=0.6, participants_cited=6, segment_participants=10)
    failures = check_gates([p], Thresholds())
    assert {f.metric for f in failures} == {"support", "interviewer_citations"}
    assert "X: 2 quotes that are an interviewer's words or questions > --max-interviewer 0" in [
        f.message for f in failures]
    verdict = persona_verdict(p, failures)
    assert verdict.startswith("Fails:") and "2 quotes that are an interviewer's" in verdict
    assert "only 50% of its claims are backed" in verdict
    assert persona_verdict(p, []).startswith("Passes:")
    assert check_gates([p], Thresholds.off()) == []


# the whole evaluation on a workspace ----------------------------------------------------------------
@pytest.fixture
def workspace(fake_settings, tmp_path, monkeypatch):
    monkeypatch.delenv("SYNTH_LLM", raising=False)
    make_workspace(fake_settings, tmp_path)
    return fake_settings


def test_default_gates_fail_what_a_researcher_would(workspace):
    report = evaluate(workspace)
    a = next(p for p in report.personas if p.persona_id == "per_a")
    b = next(p for p in report.personas if p.persona_id == "per_b")
    assert not a.passed and not b.passed and report.exit_code == 1
    assert {f.metric for f in report.failures if f.persona_id == "per_a"} == {"unverified_citations", "support"}
    assert {f.metric for f in report.failures if f.persona_id == "per_b"} == {"unverified_citations"}
    fabricated = next(f for f in a.findings if f.kind == FindingKind.fabricated)
    assert fabricated.citation == 1 and fabricated.link == f"http://127.0.0.1:8765/personas/per_a#claim-{fabricated.claim_id}"
    assert a.verdict.startswith("Fails: 1 quote not in its source")
    assert (a.kinds_present, a.kinds_cited, a.kind_coverage) == (["interview", "review"], ["interview", "review"], 1.0)


def test_the_report_says_what_failed_and_why_with_links(workspace):
    page = render_html(evaluate(workspace))
    assert "Per persona: what failed and why" in page and "Fails: 1 quote not in its source" in page
    assert 'href="http://127.0.0.1:8765/personas/per_a#claim-' in page and "Quotes not found in their source" in page
    assert "<script" not in page
    quiet = render_html(evaluate(workspace, review_url=None))
    assert "127.0.0.1:8765" not in quiet


def test_cli_no_gates_only_reports_and_named_gates_still_apply(workspace):
    runner = CliRunner()
    ws = str(workspace.workspace)
    assert runner.invoke(app, ["eval", "-w", ws]).exit_code == 1
    assert runner.invoke(app, ["eval", "-w", ws, "--no-gates"]).exit_code == 0
    named = runner.invoke(app, ["eval", "-w", ws, "--no-gates", "--max-unverified", "0"])
    assert named.exit_code == 1 and "--max-unverified 0" in named.stderr
    loose = runner.invoke(app, ["eval", "-w", ws, "--max-unverified", "1", "--min-support", "0.5", "--json"])
    assert loose.exit_code == 0, loose.output
    data = json.loads(loose.stdout)
    assert data["thresholds"]["max_unverified"] == 1 and data["thresholds"]["max_interviewer"] == 0
    assert all(p["verdict"].startswith("Passes") for p in data["personas"])
