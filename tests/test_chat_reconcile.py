"""Answers that reconcile and answerability from meaning: stance groups, counts, the gate, `synth ask`.

Unit tests use a deterministic stance function and hand-made chunks; the chat and CLI tests run on the
Larder corpus workspace of tests/test_chat.py (fake embedder) with the offline drafter and a scripted model.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from synth.chat import Chat
from synth.chat.answer import FLAG_COUNT
from synth.chat.answerability import FEATURES, AnswerabilityGate, Relevance, decide, load_gate
from synth.chat.reconcile import (
    answer_as_persona_offline, foreign_counts, group_evidence, is_yes_no, stated_counts,
)
from synth.cli import app
from synth.llm import AnswerInput, Evidence
from synth.records import Chunk, Kind, Role
from tests.test_chat import corpus, evidence_text, judged, scripted  # noqa: F401 - the module-scoped corpus fixture

runner = CliRunner()


def _chunk(i: int, participant: str, text: str) -> Chunk:
    return Chunk(id=f"chk_{i}", document_id="doc", kind=Kind.review, participant_id=participant, role=Role.participant, text=text,
                 start=0, end=len(text), speaker=participant)


def _stance(texts):  # deterministic: a complaint says "hate", praise says "love"
    return ["negative" if "hate" in t else "positive" if "love" in t else "neutral" for t in texts]


CHUNKS = [
    _chunk(1, "p_ann", "Honestly I hate the ads, they pop up after every recipe I open."),
    _chunk(2, "p_ann", "The ads again. I hate how the ads cover the shopping list."),
    _chunk(3, "p_bo", "I hate the video ads that play sound in the store."),
    _chunk(4, "p_cy", "For a free app I love that the ads stay out of the planner."),
    _chunk(5, "p_di", "I use the planner on Sundays with my partner."),
]


def test_yes_no_questions_are_told_from_open_ones():
    for q in ("Would you pay for Plus?", "so is the free version any good or nah", "Does it crash?",
              "Honestly, can you trust the numbers?"):
        assert is_yes_no(q), q
    for q in ("What annoys you about the ads?", "How do you plan dinners?", "Why?"):
        assert not is_yes_no(q), q


def test_evidence_is_grouped_by_stance_each_participant_once():
    sims = {"chk_1": 0.9, "chk_2": 0.95, "chk_3": 0.8, "chk_4": 0.7}  # chk_5 does not speak to it
    g = group_evidence("What annoys you most about the ads?", CHUNKS, sims, stance_of=_stance)
    assert g.spoke == 3 and [v.participant_id for v in g.voices] == ["p_ann", "p_bo", "p_cy"]
    assert next(v for v in g.voices if v.participant_id == "p_ann").chunk_id == "chk_2"  # their nearest words
    assert [(x.stance, x.participants, x.evidence) for x in g.groups] == [("negative", 2, [2, 3]), ("positive", 1, [4])]
    assert g.tally == "Of the 3 of us who spoke to this, most (2) complain about it; 1 speaks well of it."
    for v in g.voices:  # every tally quote is a verbatim sentence of its chunk
        assert v.quote in CHUNKS[v.n - 1].text


def test_yes_no_question_gets_a_stance_with_its_count():
    sims = {"chk_1": 0.9, "chk_3": 0.8, "chk_4": 0.7}
    g = group_evidence("Would you put up with the ads?", CHUNKS, sims, stance_of=_stance)
    assert g.yes_no and g.tally.startswith("Mostly no: of the 3 of us who spoke to this, most (2) lean no; 1 leans yes")


def test_offline_answer_quotes_a_different_participant_of_each_group():
    sims = {"chk_1": 0.9, "chk_2": 0.95, "chk_3": 0.8, "chk_4": 0.7}
    g = group_evidence("What annoys you most about the ads?", CHUNKS, sims, stance_of=_stance)
    inputs = AnswerInput(persona_name="P", persona_summary="s", question="What annoys you most about the ads?",
                         evidence=Evidence.from_chunks(CHUNKS), groups=g.groups, tally=g.tally)
    out = answer_as_persona_offline(inputs)
    cited = [s.citations[0].n for s in out.sentences]
    people = [CHUNKS[n - 1].participant_id for n in cited]
    assert len(people) == len(set(people)) >= 2  # different participants
    assert {CHUNKS[n - 1].participant_id for n in cited} & {"p_cy"}  # the minority view is quoted too


def test_counts_a_sentence_states_must_be_the_groups():
    assert stated_counts("Seven of us, 2 others and twelve more") == [7, 2, 12]
    assert foreign_counts("Most of us (7) hate them; two like them.", {9, 7, 2}, []) == []
    assert foreign_counts("Twelve of us hate them.", {9, 7, 2}, []) == [12]
    assert foreign_counts("I pay 5 dollars.", {3}, ["it costs 5 dollars a month"]) == []


GATE = AnswerabilityGate(embedder="e", features=["top", "top3", "sentence", "unused", "unmatched"],
                         coef=[4.0, 4.0, 4.0, -0.5, -0.5],
                         intercept=-5.0,
                         threshold=0.5, questions_sha256="x", train_rows=1, train={})


def test_the_gate_decides_from_similarity_not_words():
    near = Relevance(top=0.6, top3=0.55, sentence=0.65, unused=0.5)  # close in meaning, other words
    far = Relevance(top=0.2, top3=0.18, sentence=0.25, unused=0.0)  # same words, another topic
    assert near.features(["unmatched", "sentence3"]) == [near.unused, near.sentence]  # not measured: the plain figures
    assert decide(near, "e", extractive=True, gate=GATE).answerable
    assert not decide(far, "e", extractive=True, gate=GATE).answerable
    assert decide(far, "e", extractive=True, general=True, gate=GATE).answerable  # "What frustrates you?"
    other = decide(near, "another-embedder", extractive=True, gate=GATE)  # uncalibrated space: the word gate
    assert other.probability is None and not other.answerable and "no answerability calibration" in other.reason


def test_the_shipped_gate_is_fitted_on_minilm_with_its_features():
    gate = load_gate()
    assert gate is not None and gate.embedder == "sentence-transformers:all-MiniLM-L6-v2"
    assert set(gate.features) <= set(FEATURES) and gate.train_rows >= 90
    weight = dict(zip(gate.features, gate.coef, strict=True))
    assert weight["top"] > 0 and weight["sentence"] > 0  # nearer in meaning: answerable
    assert weight.get("unused", 0) + weight.get("unmatched", 0) < 0  # more of it unknown to the segment: less


def test_the_shipped_gate_was_fitted_on_the_shipped_questions():
    import hashlib
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "evals" / "answerability_questions.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gate = load_gate()
    assert gate.questions_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()  # refit after editing the set
    assert len({(r["corpus"], r["question"].lower()) for r in rows}) == len(rows)  # no question twice
    assert {r["corpus"] for r in rows} == {"larder", "beacon"} and all(isinstance(r["answerable"], bool) for r in rows)
    blind = [r for r in rows if r["split"] == "heldout4"]
    assert blind and gate.train_rows <= len(rows) - len(blind)  # the blind split is never fitted on
    assert 0.3 < gate.similarity_floor() < 0.8  # a chunk's cosine, fitted with the gate


def test_an_older_gate_file_counts_chunks_from_its_cosine_weights_only():
    gate = GATE.model_copy(update={"features": ["top", "contrast"], "coef": [4.0, 2.0], "intercept": -2.0})
    assert gate.floor is None and gate.similarity_floor() == pytest.approx(0.5)  # contrast is no cosine
    assert gate.model_copy(update={"floor": 0.42}).similarity_floor() == 0.42


# through Chat, with the grouped evidence in the prompt -----------------------------------------------
def _groups_in(messages) -> list[dict]:
    user = messages[-1]["content"]
    return [{"participants": int(m.group(1)), "evidence": [int(x) for x in m.group(2).split(", ")]}
            for m in re.finditer(r'<group n="\d+" stance="\w+" participants="(\d+)" evidence="([\d, ]+)">', user)]


def test_the_model_gets_grouped_evidence_and_a_wrong_count_is_flagged(corpus):  # noqa: F811
    settings, personas, _ = corpus
    seen = {}

    def answer(messages):
        groups = _groups_in(messages)
        seen["groups"] = groups
        n = groups[0]["evidence"][0]
        quote = re.search(rf'<evidence n="{n}"[^>]*>\n(.*?)\n</evidence>', messages[-1]["content"], re.DOTALL)
        words = " ".join(quote.group(1).split()[:8]).replace("&amp;", "&")
        return json.dumps({"answerable": True, "suggested_question": None, "sentences": [
            {"text": f"{groups[0]['participants']} of us said it.", "citations": [{"n": n, "quote": words}]},
            {"text": "Forty-seven of us said it, 99 in all.", "citations": [{"n": n, "quote": words}]}]})

    llm = scripted(*[judged(answer)] * 6)
    with Chat(settings, personas[0], llm=llm, save=False) as chat:
        result = chat.ask("How do you share the grocery list with your partner?")
    assert seen["groups"] and sum(g["participants"] for g in seen["groups"]) == sum(s.participants for s in result.stances)
    tally, kept, wrong = result.sentences
    assert tally.tally and tally.verified and str(sum(s.participants for s in result.stances)) in tally.text
    assert not any(f.startswith(FLAG_COUNT) for f in kept.flags)
    assert any(f.startswith(FLAG_COUNT) and "99" in f for f in wrong.flags) and not wrong.verified


def test_offline_answer_leads_with_a_verified_tally(corpus):  # noqa: F811
    from synth.llm import LLM, get_llm

    settings, personas, _ = corpus
    with Chat(settings, personas[1], llm=LLM(get_llm("offline")), save=False) as chat:
        result = chat.ask("What do you think about the price of Larder Plus?")
    assert result.answerable and result.sentences[0].tally and result.sentences[0].verified
    counted = {c.participant_id for c in result.sentences[0].citations}
    assert len(counted) == sum(g.participants for g in result.stances)
    quoted = [c.participant_id for s in result.sentences[1:] for c in s.citations]
    assert len(quoted) == len(set(quoted))  # each sentence quotes someone else


# synth ask ------------------------------------------------------------------------------------------
@pytest.fixture()
def env(corpus):  # noqa: F811
    settings = corpus[0]
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder, "SYNTH_LLM": "offline",
            "COLUMNS": "200"}


def test_ask_the_study_side_by_side(env, corpus):  # noqa: F811
    res = runner.invoke(app, ["ask", "How do you track your macros?", "--json"], env=env)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [p["persona"]["id"] for p in data["personas"]] == [p.id for p in corpus[1]]
    answered = [p for p in data["personas"] if p["answerable"]]
    assert answered and all(p["stances"] and p["participants"] >= sum(g["participants"] for g in p["stances"])
                            for p in answered)
    res = runner.invoke(app, ["ask", "How do you track your macros?", "-p", "3", "-p", "Macro", "--kind", "interview",
                              "--json"], env=env)
    data = json.loads(res.stdout)
    assert res.exit_code == 0 and len(data["personas"]) == 1 and data["kind"] == "interview"
    res = runner.invoke(app, ["ask", "How do you track your macros?"], env=env)
    assert res.exit_code == 0 and "spoke to it" in res.output and "Macro" in res.output


def test_ask_errors_say_what_to_do(env):
    res = runner.invoke(app, ["ask", "What?", "--kind", "podcast"], env=env)
    assert res.exit_code == 2 and "--kind must be one of" in res.output
    res = runner.invoke(app, ["ask", "What?", "--persona", "nobody-like-this"], env=env)
    assert res.exit_code == 2 or res.exit_code == 1


def test_the_transcript_keeps_the_tally_and_its_citations(corpus):  # noqa: F811
    from synth.chat import export_session, load_session
    from synth.llm import LLM, get_llm
    from synth.store import Store

    settings, personas, _ = corpus
    with Chat(settings, personas[0], llm=LLM(get_llm("offline"))) as chat:
        result = chat.ask("How do you share the grocery list with your partner?")
        session_id = chat.session.id
    with Store(settings.db_path) as store:
        saved = load_session(store, session_id)
        md = export_session(saved, "md")
    assert saved.turns[0].stances == result.stances and saved.turns[0].sentences[0].tally
    assert result.sentences[0].text in md
    for c in result.citations:
        assert f'{c.n}. verified: "{c.quote}"' in md
    data = json.loads(export_session(saved, "json"))
    assert data["turns"][0]["stances"] and data["turns"][0]["sentences"][0]["tally"] is True


def test_over_the_openai_protocol_the_prompt_carries_the_groups(corpus, llm_env, openai_stub):  # noqa: F811
    from synth.llm import open_llm
    from synth.store import Store

    settings, personas, _ = corpus
    question = "How do you share the grocery list with your partner?"
    llm = open_llm(llm_env, llm="openai:test-model", llm_base_url=openai_stub.url, llm_timeout=5.0,
                   llm_max_retries=1, llm_backoff=0.01)
    with llm, Chat(settings, personas[0], llm=llm, save=False) as chat:
        first = chat.retriever.ranked(question, chat.k)[0][0][0]  # evidence 1
        with Store(settings.db_path) as store:
            words = " ".join(store.chunks([first])[0].text.split()[:6])
        openai_stub.reply({"answerable": True, "suggested_question": None, "sentences": [
            {"text": "Twenty-three of us... well, 23 of us share it.", "citations": [{"n": 1, "quote": words}]}]})
        result = chat.ask(question)
    user = openai_stub.messages(0)[-1]["content"]
    assert "<tally>" in user and result.sentences[0].text in user.replace("&#x27;", "'")
    for group in result.stances:
        assert f'participants="{group.participants}"' in user
    wrong = result.sentences[1]
    assert not wrong.verified and any(f.startswith(FLAG_COUNT) and "23" in f for f in wrong.flags)
    assert openai_stub.hits == 1  # a sentence with a wrong count is not sent to the judge


def test_a_refusal_the_gate_is_unsure_of_is_judged_by_the_model_not_by_the_drafter(corpus, monkeypatch):  # noqa: F811
    import synth.chat.answer as answer_module
    from synth.chat.answerability import Answerability

    settings, personas, _ = corpus
    unsure = Answerability(answerable=False, uncertain=True, probability=0.3, reason="unsure",
                           relevance=Relevance(top=0.5, top3=0.5, unused=0.2))
    monkeypatch.setattr(answer_module, "decide", lambda *a, **k: unsure)
    question = "How do you share the grocery list with your partner?"
    asked = []

    def answer(messages):
        asked.append(1)
        text = evidence_text(messages, 1)
        words = " ".join(text.split()[:8])
        return json.dumps({"answerable": True, "suggested_question": None, "sentences": [
            {"text": "We said so.", "citations": [{"n": 1, "quote": words}]}]})

    with Chat(settings, personas[0], llm=scripted(*[judged(answer)] * 6), save=False) as chat:
        assert chat.ask(question).answerable and asked  # the model read the evidence and answered

    def declines(messages):
        return json.dumps({"answerable": False, "sentences": [], "suggested_question": "What do you share?"})

    with Chat(settings, personas[0], llm=scripted(*[judged(declines)] * 6), save=False) as chat:
        assert not chat.ask(question).answerable  # the model found nothing that answers it
    with Chat(settings, personas[0], save=False) as chat:  # the offline drafter can't judge: the gate's refusal stands
        result = chat.ask(question)
    assert not result.answerable and result.provenance["answerability"]["uncertain"]


def test_the_suggested_interview_question_reads_as_a_question_for_opinions_too():
    from synth.llm.offline import suggested_question

    assert suggested_question("What do you think of the commercials in the free version?") == (
        "Can you tell me about the commercials in the free version, and the last time it came up?")
    assert "last time you" not in suggested_question("How much would you pay per month for this?")  # hypothetical
    assert suggested_question("How do you share the list?").startswith("Can you walk me through the last time you share")


def test_a_question_with_no_words_is_turned_away_not_answered_with_whatever_is_nearest(corpus):  # noqa: F811
    from synth.chat import ChatError

    settings, personas, _ = corpus
    with Chat(settings, personas[0], save=False) as chat:
        with pytest.raises(ChatError, match="in words"):
            chat.ask("🙃🙃 ???")
        assert chat.ask("¿Qué opinas de la lista?").question  # words in any script are words
    result = runner.invoke(app, ["ask", "🙃 ???", "--workspace", str(settings.workspace)])
    assert result.exit_code == 2 and "in words" in result.output


def test_the_same_words_from_two_participants_are_quoted_once():
    copied = "I wish the planner had a weekly view for the whole family."
    chunks = [_chunk(1, "p_ann", copied), _chunk(2, "p_bo", copied + " Also the ads are loud"),
              _chunk(3, "p_cy", "A weekly view would help me plan for my kids.")]
    sims = {"chk_1": 0.9, "chk_2": 0.88, "chk_3": 0.7}
    g = group_evidence("Would a weekly view of the planner help?", chunks, sims, stance_of=lambda ts: ["neutral"] * len(ts))
    inputs = AnswerInput(persona_name="P", persona_summary="s", question="Would a weekly view of the planner help?",
                         evidence=Evidence.from_chunks(chunks), groups=g.groups, tally=g.tally)
    spoken = [s.text for s in answer_as_persona_offline(inputs).sentences]
    assert sum("weekly view for the whole family" in t for t in spoken) == 1, spoken
    assert any("my kids" in t for t in spoken)  # the next participant with their own words is quoted instead
