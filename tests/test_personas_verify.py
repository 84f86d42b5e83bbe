"""Adversarial drafts from a scripted model: every kind of bad citation is caught, flagged and kept,
and nothing that fails shows as verified."""

from __future__ import annotations

import json
import re

import pytest

from synth.llm import LLM, open_llm
from synth.personas import draft_personas, load_personas, load_segments, verify_persona
from synth.personas.verify import (
    FLAG_FABRICATED, FLAG_INTERVIEWER, FLAG_MISSING, FLAG_NO_CITATION, FLAG_NO_VERIFIED, FLAG_OUT_OF_SEGMENT,
    FLAG_UNSUPPORTED, QuoteLocator, is_flagged,
)
from synth.records import Citation, Claim, Persona, Role, Verdict
from synth.store import Store
from synth.verify import verify_citation
from tests.llm_fakes import ScriptedModel
from tests.persona_fixtures import (
    INTERVIEWER_LINE, evidence_blocks, ingest_folder, judge_reply, keyword_themes,
)


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip())[0]


class AdversarialDrafter:
    """Replies to draft_persona with one good claim and one claim per kind of bad citation; judges the rest."""

    def __init__(self, chunks_by_participant: dict[str, list[str]]):
        self.chunks_by_participant = chunks_by_participant
        self.drafts = 0

    def __call__(self, messages) -> str:
        prompt = next(m["content"] for m in messages if m["role"] == "user")  # re-asks append more turns
        if "Draft the persona" not in prompt:
            return judge_reply(messages)
        self.drafts += 1
        evidence = evidence_blocks(prompt)
        members = set(re.findall(r'participant="([^"]+)"', prompt))
        outsider = next(p for p in sorted(self.chunks_by_participant) if p not in members)
        good = _first_sentence(evidence[1])
        paraphrase = good.replace("the", "a", 1) if " the " in good else good.replace(" ", "  really ", 1)
        draft = {
            "name": "The Adversarial Planner",
            "summary": "A persona built to test verification.",
            "narrative": [{"text": "They plan around the household.", "citations": [{"n": 1, "quote": good}]}],
            "sections": {
                "goals": [{"text": "Plans around the household.", "citations": [{"n": 1, "quote": good}]}],
                "frustrations": [
                    {"text": "Hates Tuesdays.", "citations": [{"n": 2, "quote": "I never open the app on a Tuesday."}]},
                    {"text": "Echoes another segment.",
                     "citations": [{"n": 1, "quote": self.chunks_by_participant[outsider][0]}]},
                    {"text": "Repeats the interviewer.", "citations": [{"n": 1, "quote": INTERVIEWER_LINE}]},
                ],
                "behaviours": [
                    {"text": "Paraphrased evidence.", "citations": [{"n": 1, "quote": paraphrase}]},
                    {"text": "Says nothing with evidence.", "citations": []},
                    {"text": "Cites a ghost.", "citations": [{"n": 999, "quote": good}]},
                ],
                "needs": [{"text": "NOT BACKED by anything they said.", "citations": [{"n": 1, "quote": good}]}],
            },
            "quotes": [{"n": 1, "quote": good}],
        }
        return json.dumps(draft)


@pytest.fixture
def workspace(tmp_path, fake_settings):
    ingest_folder(tmp_path, fake_settings)
    return fake_settings, keyword_themes(fake_settings)


def _chunks_by_participant(settings) -> dict[str, list[str]]:
    with Store(settings.db_path) as store:
        out: dict[str, list[str]] = {}
        for c in store.chunks():
            if c.participant_id and c.role == Role.participant:
                out.setdefault(c.participant_id, []).append(c.text)
        return out


def test_every_kind_of_bad_citation_is_caught_flagged_and_kept(workspace):
    settings, themes = workspace
    drafter = AdversarialDrafter(_chunks_by_participant(settings))
    model = ScriptedModel().script(*[drafter] * 400)
    with LLM(model) as llm:
        personas = draft_personas(settings, llm, n=2, themes=themes)
    assert drafter.drafts >= 2  # re-asked (the layer's own check fails), then kept for flagging
    assert len(personas) == 2
    with Store(settings.db_path) as store:
        segments = {s.id: s for s in load_segments(store)}
        chunks = {c.id: c for c in store.chunks()}
        stored = load_personas(store)
    assert [p.id for p in stored] == [p.id for p in personas]

    for persona in personas:
        by_text = {c.text: c for c in persona.claims}
        members = segments[persona.segment_id].participant_ids

        def only(text: str) -> Claim:
            return by_text[text]

        good = only("Plans around the household.")
        assert good.verdict == Verdict.supported and good.citations[0].verdict == Verdict.verified
        assert good.support_count == 1 and not good.flags and not is_flagged(good)

        cases = {
            "Hates Tuesdays.": (Verdict.fabricated, FLAG_FABRICATED),
            "Echoes another segment.": (Verdict.out_of_segment, FLAG_OUT_OF_SEGMENT),
            "Repeats the interviewer.": (Verdict.interviewer, FLAG_INTERVIEWER),
            "Paraphrased evidence.": (Verdict.fabricated, FLAG_FABRICATED),
            "Cites a ghost.": (Verdict.missing_source, FLAG_MISSING),
        }
        for text, (verdict, flag) in cases.items():
            claim = only(text)
            assert claim.citations[0].verdict == verdict, text
            assert any(flag in f for f in claim.flags), (text, claim.flags)
            assert any(FLAG_NO_VERIFIED in f for f in claim.flags), text
            assert claim.verdict == Verdict.unsupported and claim.support_count == 0 and is_flagged(claim)

        empty = only("Says nothing with evidence.")
        assert empty.citations == [] and empty.verdict == Verdict.unsupported
        assert FLAG_NO_CITATION in empty.flags

        unbacked = only("NOT BACKED by anything they said.")
        assert unbacked.citations[0].verdict == Verdict.verified  # real words ...
        assert unbacked.verdict == Verdict.unsupported  # ... that do not back the claim
        assert any(f.startswith(FLAG_UNSUPPORTED) for f in unbacked.flags)

        # The out-of-segment quote is re-pointed at the chunk that holds it, so it opens in context.
        elsewhere = only("Echoes another segment.").citations[0]
        assert chunks[elsewhere.chunk_id].participant_id not in members
        interviewer = only("Repeats the interviewer.").citations[0]
        assert interviewer.start is not None and interviewer.participant_id is None

        # Nothing that fails is shown as verified: every verified citation re-verifies from scratch.
        for claim in persona.claims:
            for cite in claim.citations:
                if cite.verdict == Verdict.verified:
                    assert verify_citation(cite, chunks, members).verdict == Verdict.verified
        assert persona.figures["claims_total"] == len(persona.claims) == 10
        assert persona.figures["claims_supported"] == 3  # good claim, narrative, signature quote
        assert persona.provenance["draft_problems"]


def test_verify_persona_on_a_hand_made_persona_is_idempotent(workspace):
    settings, themes = workspace
    with open_llm(settings.workspace) as llm:
        personas = draft_personas(settings, llm, n=2, themes=themes)
    with Store(settings.db_path) as store:
        segment = load_segments(store)[0]
        chunk = next(c for c in store.chunks() if c.participant_id in segment.participant_ids)
        sentence = _first_sentence(chunk.text)
        persona = Persona(id="p1", name="Hand made", summary="", segment_id=segment.id, claims=[
            Claim(section="context", text=sentence, citations=[Citation(chunk_id=chunk.id, quote=sentence)]),
            Claim(section="context", text="Made up.", citations=[Citation(chunk_id=chunk.id, quote="made up words")],
                  verdict=Verdict.supported, flags=["reviewer note"]),
        ])
        with open_llm(settings.workspace) as llm:
            once = verify_persona(persona, segment, store, llm)
            twice = verify_persona(once, segment, store, llm, locator=QuoteLocator(store))
    assert once == twice
    real, fake = once.claims
    assert real.verdict == Verdict.supported and real.citations[0].verdict == Verdict.verified
    assert real.citations[0].start == chunk.start + chunk.text.index(sentence)
    assert fake.verdict == Verdict.unsupported  # a stored "supported" does not survive re-verification
    assert "reviewer note" in fake.flags and any(FLAG_FABRICATED in f for f in fake.flags)
    assert personas  # the offline pipeline ran on the same workspace


def test_offline_personas_cite_only_verified_segment_speech(workspace):
    settings, themes = workspace
    with open_llm(settings.workspace) as llm:
        personas = draft_personas(settings, llm, n=2, themes=themes)
    with Store(settings.db_path) as store:
        segments = {s.id: s for s in load_segments(store)}
        chunks = {c.id: c for c in store.chunks()}
    for persona in personas:
        members = segments[persona.segment_id].participant_ids
        cites = [c for claim in persona.claims for c in claim.citations]
        assert cites and all(verify_citation(c, chunks, members).verdict == Verdict.verified for c in cites)
        assert {c.section for c in persona.claims} >= {"narrative", "quotes"}
        assert 1 <= len([c for c in persona.claims if c.section == "quotes"]) <= 5
        assert persona.figures["citations_verbatim_share"] == 1.0
        assert 0 < persona.figures["participants_covered"] <= 1
