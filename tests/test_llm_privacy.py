"""Masking of personal data before text reaches a non-local model; the run log says who received data."""

from __future__ import annotations

import json

import pytest

from synth.llm import Masker, get_llm, load_llm_settings, mask_text, open_llm, run_task
from synth.llm.client import LLM
from tests.llm_fakes import sample_evidence

PII = ("Dana Lee here: mail dana.lee@example.com or call +1 (415) 555-0134, "
       "see https://larder.example/list?id=7 and follow @dana_cooks. Paid $1,200 on 2024-03-12.")
ORIGINAL = "mail dana.lee@example.com or call +1 (415) 555-0134"


def test_masking_rules():
    masked = mask_text(PII, ["Dana Lee"])
    assert masked == ("[NAME_1] here: mail [EMAIL_1] or call [PHONE_1], see [URL_1] and follow [HANDLE_1]. "
                      "Paid $1,200 on 2024-03-12.")
    m = Masker(["Dana Lee"])
    assert m.unmask(m.mask(PII)) == PII
    assert mask_text("call 555 0134 12 or 555-0199, order 12-345") == "call [PHONE_1] or [PHONE_2], order 12-345"


def evidence_with_pii():
    ev = sample_evidence()[:2]
    ev[0] = ev[0].model_copy(update={"text": PII})
    return ev


def reply_quoting_placeholders(messages):
    # A model only ever sees placeholders; it quotes them back, and the layer restores the originals.
    user = messages[-1]["content"]
    quote = "mail [EMAIL_1] or call [PHONE_1]" if "[EMAIL_1]" in user else ORIGINAL
    cited = {"text": "Email me.", "citations": [{"n": 1, "quote": quote}]}
    return json.dumps({"answerable": True, "sentences": [cited]})


def ask(llm):
    inputs = {"persona_name": "P", "persona_summary": "s", "question": "How can I reach you?",
              "evidence": evidence_with_pii()}
    return run_task("answer_as_persona", inputs, llm)


def test_remote_model_receives_masked_text_and_quotes_come_back_verbatim(llm_env, openai_stub):
    llm_env.mkdir()
    (llm_env / "config.toml").write_text(
        f'[llm]\nmodel = "openai:test-model"\nmask_pii = true\nmask_names = ["Dana Lee"]\n'
        f'[llm.models."openai:test-model"]\nbase_url = "{openai_stub.url}"\nlocal = false\n', encoding="utf-8")
    openai_stub.reply('{"answerable": true, "sentences": [{"text": "Write to me.", "citations": '
                      '[{"n": 1, "quote": "mail [EMAIL_1] or call [PHONE_1]"}]}]}')
    with open_llm(llm_env, command="chat") as llm:
        answer, prov = ask(llm)
        run = llm.runs.run(llm.run_id)
    sent = "\n".join(m["content"] for m in openai_stub.messages(0))
    for secret in ("dana.lee@example.com", "555-0134", "https://larder.example", "@dana_cooks", "Dana Lee"):
        assert secret not in sent
    assert "[EMAIL_1]" in sent and "[NAME_1]" in sent and "[URL_1]" in sent and "[HANDLE_1]" in sent
    assert answer.sentences[0].citations[0].quote == "mail dana.lee@example.com or call +1 (415) 555-0134"
    assert prov.masked is True
    assert (run["backend"], run["model_id"], run["is_local"], run["masked"], run["received_data"]) == (
        "openai", "openai:test-model", 0, 1, 1)


def test_local_model_is_not_masked(llm_env, openai_stub):
    openai_stub.reply(reply_quoting_placeholders([{"content": "not masked"}]))
    with open_llm(llm_env, llm="openai:test-model", llm_base_url=openai_stub.url, mask_pii=True) as llm:
        assert llm.model.is_local and not llm.masked
        _, prov = ask(llm)
        run = llm.runs.run(llm.run_id)
    assert "dana.lee@example.com" in openai_stub.messages(0)[-1]["content"]
    assert prov.masked is False and (run["is_local"], run["masked"], run["received_data"]) == (1, 0, 1)


@pytest.mark.parametrize("mask", [True, False])
def test_scripted_remote_model(llm_env, mask):
    settings = load_llm_settings(llm_env, mask_pii=mask, mask_names=["Dana Lee"])
    model = get_llm("scripted:remote", settings).script(reply_quoting_placeholders)
    answer, prov = ask(LLM(model, settings))
    sent = model.calls[0]["messages"][-1]["content"]
    assert ("dana.lee@example.com" in sent) is (not mask)
    assert answer.sentences[0].citations[0].quote == "mail dana.lee@example.com or call +1 (415) 555-0134"
    assert prov.masked is mask
