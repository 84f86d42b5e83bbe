"""The offline drafter: real, validated, verbatim-cited, deterministic output with no model and no network."""

from __future__ import annotations

import re
import socket

import pytest

from synth.llm import (
    FACETS, LLM, AnswerInput, ChatAnswer, DraftPersonaInput, JudgeSupportInput, LabelThemeInput, LLMError,
    PersonaDraft, SupportVerdict, ThemeLabel, ThemeRef, citation_errors, get_llm, run_task,
)
from synth.llm.schemas import quote_refs
from synth.profiles.naming import FIRST_NAMES
from synth.llm.text import split_sentences, stem
from tests.llm_fakes import sample_evidence


@pytest.fixture
def offline(llm_env):
    return LLM(get_llm("offline"))


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the offline drafter opened a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def persona_inputs(evidence=None):
    return DraftPersonaInput(
        segment_summary="Households who plan groceries together on a shared list.",
        themes=[ThemeRef(label="Shared list sync", keywords=["shared list", "sync", "partner", "roommates"]),
                ThemeRef(label="Grocery budget", keywords=["price", "deals", "cheap", "money"])],
        evidence=evidence or sample_evidence(),
    )


def assert_verbatim(output, evidence):
    refs = quote_refs(output)
    assert refs, "no citations at all"
    assert citation_errors(output, evidence) == []
    by_n = {e.n: e.text for e in evidence}
    for ref in refs:
        assert ref.quote in by_n[ref.n]


def test_draft_persona_is_complete_cited_and_verbatim(offline, no_network):
    evidence = sample_evidence()
    draft, prov = run_task("draft_persona", persona_inputs(evidence), offline)
    assert isinstance(draft, PersonaDraft)
    first, _, descriptor = draft.name.partition(", ")
    assert first in FIRST_NAMES and descriptor == "on shared list sync"  # a first name, the leading theme
    assert draft.summary.startswith("Households who plan groceries together on a shared list: ")
    assert set(draft.sections) == set(FACETS)
    filled = [f for f in FACETS if draft.sections[f]]
    assert len(filled) >= 5, filled
    assert len(draft.narrative) >= 3 and all(n.text.startswith(first + " ") for n in draft.narrative)
    assert all(re.search(r"\(\d+ of 5\)\.$", n.text) for n in draft.narrative)  # each tells its prevalence
    assert 2 <= len(draft.quotes) <= 3
    assert len({evidence[q.n - 1].participant_id for q in draft.quotes}) == len(draft.quotes)
    assert_verbatim(draft, evidence)
    for facet in FACETS:  # every claim states a counted group of the evidence's participants
        assert all(c.groups for c in draft.sections[facet])
    assert prov.model_id == "offline" and prov.prompt == "draft_persona" and len(prov.prompt_sha256) == 64
    assert prov.cached is False and prov.usage.calls == 0


def test_draft_persona_keeps_the_stage_s_name_and_groups(offline):
    from synth.llm.schemas import GroupRef, QuoteRef

    evidence = sample_evidence()
    groups = [GroupRef(n=1, section="frustrations", text="Gets frustrated that the shared list never syncs.", count=9,
                       of=14, citations=[QuoteRef(n=1, quote="The shared list never syncs with my partner's phone")])]
    inputs = persona_inputs(evidence).model_copy(update={"groups": groups, "name": "Maya, the shared-list planner"})
    draft, _ = run_task("draft_persona", inputs, offline)
    assert draft.name == "Maya, the shared-list planner"
    assert [c.text for c in draft.sections["frustrations"]] == ["Gets frustrated that the shared list never syncs."]
    assert draft.sections["frustrations"][0].groups == [1]
    assert draft.narrative[0].text == "Maya gets frustrated that the shared list never syncs (9 of 14)."


def test_draft_persona_claims_are_third_person_paraphrases(offline):
    draft, _ = run_task("draft_persona", persona_inputs(), offline)
    claims = [c for f in FACETS for c in draft.sections[f]]
    for claim in claims:
        assert not claim.text.startswith("I "), claim.text
        assert " my " not in f" {claim.text.lower()} ", claim.text
        assert claim.text != claim.citations[0].quote
        assert claim.text.endswith(".")
    texts = {c.text for c in claims}
    assert "Usually shops on Saturdays because the store is quiet." in texts
    assert "Wants the shared list to update instantly for the whole household." in texts


def test_offline_claims_pass_the_offline_support_judge(offline):
    draft, _ = run_task("draft_persona", persona_inputs(), offline)
    for facet in FACETS:
        for claim in draft.sections[facet]:
            verdict, _ = run_task("judge_support", {"claim": claim.text, "quotes": [claim.citations[0].quote]}, offline)
            assert verdict.supported, (claim.text, verdict)


def test_offline_is_deterministic(offline):
    first = run_task("draft_persona", persona_inputs(), offline)[0].model_dump_json()
    again = run_task("draft_persona", persona_inputs(), LLM(get_llm("offline")))[0].model_dump_json()
    assert first == again
    inputs = LabelThemeInput(keywords=["sync", "shared", "list"], exemplars=sample_evidence()[:3])
    assert run_task("label_theme", inputs, offline)[0] == run_task("label_theme", inputs, offline)[0]


def test_label_theme_uses_shared_phrase_and_central_sentence(offline):
    evidence = sample_evidence()
    exemplars = [evidence[0], evidence[2], evidence[7]]
    inputs = LabelThemeInput(keywords=["sync", "shared", "list", "partner"], exemplars=exemplars)
    label, _ = run_task("label_theme", inputs, offline)
    assert isinstance(label, ThemeLabel)
    assert label.label == "Shared list sync"
    assert label.description.startswith("Participants talk about shared list sync, as in")
    assert 2 <= len(label.label.split()) <= 6


def test_label_theme_without_a_shared_phrase_joins_keywords(offline):
    exemplars = sample_evidence()[3:4]
    label, _ = run_task("label_theme", LabelThemeInput(keywords=["prices", "money"], exemplars=exemplars), offline)
    assert label.label == "Prices and money"


def test_answer_cites_best_evidence_in_first_person(offline):
    inputs = AnswerInput(persona_name="The Shared-List Planner", persona_summary="s",
                         question="How do you plan meals for the week?", evidence=sample_evidence())
    answer, _ = run_task("answer_as_persona", inputs, offline)
    assert isinstance(answer, ChatAnswer) and answer.answerable
    assert answer.sentences[0].citations[0].n == 1
    assert answer.sentences[0].text == "Every Sunday I plan our meals for the week with my partner."
    assert_verbatim(answer, inputs.evidence)


def test_answer_says_no_when_no_participant_said_it(offline):
    inputs = AnswerInput(persona_name="P", persona_summary="s", question="What do you think about crypto payments?",
                         evidence=sample_evidence())
    answer, _ = run_task("answer_as_persona", inputs, offline)
    assert not answer.answerable and answer.sentences == []
    assert answer.suggested_question == "Can you tell me about crypto payments, and the last time it came up?"


def test_follow_up_question_uses_the_previous_topic(offline):
    inputs = AnswerInput(persona_name="P", persona_summary="s", question="Why?",
                         history=[{"role": "user", "text": "Tell me about the delivery slot at checkout"},
                                  {"role": "persona", "text": "It disappears."}],
                         evidence=sample_evidence())
    answer, _ = run_task("answer_as_persona", inputs, offline)
    assert answer.answerable and answer.sentences[0].citations[0].n == 5


@pytest.mark.parametrize(
    ("claim", "quotes", "supported"),
    [
        ("Plans meals every Sunday with their partner.", ["Every Sunday I plan our meals with my partner."], True),
        ("Never plans meals on Sunday.", ["Every Sunday I plan our meals for the week with my partner."], False),
        ("Loves the app's updates.", ["I hate that the app forgets my favourite items every time it updates."], False),
        ("Wants organic vegetables delivered by drone.", ["I usually shop on Saturdays; the store is quiet."], False),
        ("Plans meals.", [], False),
    ],
)
def test_judge_support(offline, claim, quotes, supported):
    verdict, _ = run_task("judge_support", JudgeSupportInput(claim=claim, quotes=quotes), offline)
    assert isinstance(verdict, SupportVerdict)
    assert verdict.supported is supported
    assert 0.0 <= verdict.score <= 1.0 and verdict.rationale


def test_judge_penalizes_negation_and_antonyms(offline):
    quote = ["I love how easy the list is."]
    same = run_task("judge_support", {"claim": "Loves how easy the list is.", "quotes": quote}, offline)[0]
    negated = run_task("judge_support", {"claim": "Does not love how easy the list is.", "quotes": quote}, offline)[0]
    opposite = run_task("judge_support", {"claim": "Hates how hard the list is.", "quotes": quote}, offline)[0]
    assert same.score == 1.0 and negated.score < same.score and opposite.score < negated.score
    assert "negation" in negated.rationale and "opposite" in opposite.rationale


def test_offline_refuses_free_text(offline):
    with pytest.raises(LLMError, match="tasks only"):
        offline.generate_text([{"role": "user", "content": "hi"}])


def test_sentence_split_keeps_verbatim_substrings():
    text = "Dr. Lee said hi. I plan on Sundays!  Then we shop.\nNew line here"
    parts = split_sentences(text)
    assert parts == ["Dr. Lee said hi.", "I plan on Sundays!", "Then we shop.", "New line here"]
    assert all(p in text for p in parts)
    assert {stem(w) for w in ["plan", "plans", "planned", "planning"]} == {"plan"}


def test_small_talk_theme_is_named_as_such_not_after_its_filler_words():
    from synth.llm.offline import label_theme_offline
    from synth.llm.schemas import Evidence, LabelThemeInput

    exemplars = [
        Evidence(n=1, chunk_id="c1", speaker="Dana", participant_id="p1", text="Alright man, I gotta go shower."),
        Evidence(n=2, chunk_id="c2", speaker="Theo", participant_id="p2", text="Sorry, can you hear me? You froze."),
        Evidence(n=3, chunk_id="c3", speaker="Ben", participant_id="p3", text="Cool, thanks, bye!"),
    ]
    out = label_theme_offline(LabelThemeInput(keywords=["sorry", "cool", "bye", "fine", "hear", "man"], exemplars=exemplars))
    assert out.label == "Small talk and asides"
    shop = label_theme_offline(LabelThemeInput(keywords=["shared", "list", "sync", "partner"], exemplars=exemplars))
    assert shop.label != "Small talk and asides"
