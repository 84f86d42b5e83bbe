"""The layer with a scripted model: re-asks, typed errors, retries, concurrency, usage, settings, registry."""

from __future__ import annotations

import threading
import time

import pytest

from synth.llm import (
    LLM, LLMConfigError, LLMSettings, LLMUnavailable, StructuredOutputError, ThemeLabel, TransientLLMError,
    get_llm, load_llm_settings, run_task,
)
from synth.llm.structured import extract_json, strict_schema
from tests.llm_fakes import ScriptedModel, sample_evidence

MSG = [{"role": "user", "content": "name it"}]
VALID = {"label": "Shared list sync", "description": "Participants talk about syncing lists."}


@pytest.fixture
def settings(llm_env):
    return load_llm_settings(llm_env, llm_backoff=0.0, llm_max_retries=2, llm_max_reasks=2)


def test_scripted_model_is_registered_like_a_real_backend(settings):
    model = get_llm("scripted:a", settings)
    assert isinstance(model, ScriptedModel) and model.model_id == "scripted:a" and model.backend == "scripted"


def test_invalid_output_is_reasked_with_the_validation_error(settings):
    model = get_llm("scripted:a", settings).script("not json at all", {"label": "x", "description": "d"}, VALID)
    gen = LLM(model, settings).generate(MSG, ThemeLabel)
    assert gen.output == ThemeLabel(**VALID) and gen.attempts == 3
    second = model.calls[1]["messages"]
    assert second[-2] == {"role": "assistant", "content": "not json at all"}
    assert "Invalid JSON" in second[-1]["content"]
    assert "label must be 2 to 6 words" in model.calls[2]["messages"][-1]["content"]
    assert gen.usage.calls == 3 and gen.usage.prompt_tokens > 0
    # no json_schema support: JSON mode plus the schema in the instructions
    assert model.calls[0]["response_format"] == {"type": "json_object"}
    assert '"label"' in model.calls[0]["messages"][0]["content"]


def test_structured_output_error_names_model_and_last_output(settings):
    model = get_llm("scripted:bad", settings).script("nope 1", "nope 2", "nope 3")
    with pytest.raises(StructuredOutputError) as info:
        LLM(model, settings).generate(MSG, ThemeLabel)
    err = info.value
    assert err.model_id == "scripted:bad" and err.last_output == "nope 3" and err.errors
    assert "scripted:bad" in str(err) and "nope 3" in str(err) and len(model.calls) == 3


def test_reply_in_a_code_fence_is_accepted(settings):
    fenced = 'Sure!\n```json\n{"label": "Shared list sync", "description": "d."}\n```'
    model = get_llm("scripted:a", settings).script(fenced)
    assert LLM(model, settings).generate(MSG, ThemeLabel).output.label == "Shared list sync"
    assert extract_json('x {"a": {"b": 1}} y') == '{"a": {"b": 1}}'


def test_citations_must_be_verbatim_or_the_model_is_reasked(settings):
    ev = sample_evidence()[:2]
    bad = {"answerable": True, "sentences": [{"text": "I plan.", "citations": [{"n": 1, "quote": "I plan every day"}]}]}
    cited = {"text": "I plan on Sundays.", "citations": [{"n": 1, "quote": "Every Sunday I plan our meals"}]}
    good = {"answerable": True, "sentences": [cited]}
    model = get_llm("scripted:a", settings).script(bad, good)
    inputs = {"persona_name": "P", "persona_summary": "s", "question": "When do you plan?", "evidence": ev}
    answer, prov = run_task("answer_as_persona", inputs, LLM(model, settings))
    assert answer.sentences[0].citations[0].quote == "Every Sunday I plan our meals"
    assert "not verbatim in evidence n=1" in model.calls[1]["messages"][-1]["content"]
    assert prov.model_id == "scripted:a" and prov.prompt == "answer_as_persona" and prov.usage.calls == 2


def test_transient_errors_are_retried_then_raise_unavailable(settings):
    model = get_llm("scripted:a", settings).script(TransientLLMError("429"), "hello")
    gen = LLM(model, settings).generate_text(MSG)
    assert gen.text == "hello" and gen.attempts == 2
    model.script(*[TransientLLMError("server down")] * 3)
    with pytest.raises(LLMUnavailable, match="server down .gave up after 3 attempts"):
        LLM(model, settings).generate_text(MSG)


def test_backoff_doubles_and_honours_retry_after(llm_env):
    settings = load_llm_settings(llm_env, llm_backoff=0.05, llm_max_retries=3)
    failures = [TransientLLMError("a"), TransientLLMError("b"), TransientLLMError("c", retry_after=0.2)]
    model = get_llm("scripted:a", settings).script(*failures, "ok")
    started = time.monotonic()
    assert LLM(model, settings).generate_text(MSG).text == "ok"
    assert time.monotonic() - started >= 0.05 + 0.1 + 0.2


def test_generate_many_keeps_order_and_bounds_concurrency(llm_env):
    settings = load_llm_settings(llm_env, llm_concurrency=2)
    active, peak, lock = [0], [0], threading.Lock()

    def slow(messages):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return "echo " + messages[-1]["content"]

    model = get_llm("scripted:a", settings).script(*[slow] * 6)
    llm = LLM(model, settings)
    gens = llm.generate_many([[{"role": "user", "content": str(i)}] for i in range(6)])
    assert [g.text for g in gens] == [f"echo {i}" for i in range(6)]
    assert peak[0] == 2
    assert llm.usage.calls == 6 and llm.usage.completion_tokens == 12


def test_temperature_is_zero_by_default(settings):
    model = get_llm("scripted:a", settings).script("x")
    LLM(model, settings).generate_text(MSG)
    assert model.calls[0]["temperature"] == 0.0


def test_unknown_backend_and_bad_specs_say_how_to_fix(settings):
    with pytest.raises(LLMConfigError, match="unknown LLM backend 'gpt4'.*use offline, openai:<model>"):
        get_llm("gpt4", settings)
    with pytest.raises(LLMConfigError, match="openai needs a model name"):
        get_llm("openai:", settings)
    with pytest.raises(LLMConfigError, match="offline takes no model name"):
        get_llm("offline:big", settings)


def test_settings_from_files_env_and_flags(llm_env, monkeypatch):
    (llm_env.parent / "synth.toml").write_text(
        '[llm]\nmodel = "openai:llama3.1"\ntimeout = 5\nmask_names = ["Dana"]\n'
        '[llm.models."openai:llama3.1"]\nbase_url = "http://localhost:11434/v1"\n', encoding="utf-8")
    llm_env.mkdir()
    (llm_env / "config.toml").write_text('llm_concurrency = 3\n[llm]\nmask_pii = true\n', encoding="utf-8")
    s = load_llm_settings(llm_env)
    got = (s.llm, s.llm_timeout, s.llm_concurrency, s.mask_pii, s.mask_names)
    assert got == ("openai:llama3.1", 5, 3, True, ["Dana"])
    assert s.base_url_for("openai:llama3.1") == "http://localhost:11434/v1"
    assert s.base_url_for("openai:gpt-4o") is None
    monkeypatch.setenv("SYNTH_LLM", "offline")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://10.0.0.5:8000/v1")
    s = load_llm_settings(llm_env, llm_timeout=9)
    assert s.llm == "offline" and s.llm_timeout == 9 and s.base_url_for("openai:gpt-4o") == "http://10.0.0.5:8000/v1"
    assert load_llm_settings(llm_env, llm="openai:x").llm == "openai:x"
    assert s.db_path == llm_env / "synth.db"


def test_default_is_offline_and_bad_settings_are_typed_errors(llm_env):
    assert LLMSettings().llm == "offline" and load_llm_settings(llm_env).llm == "offline"
    (llm_env.parent / "synth.toml").write_text("[llm]\nmodle = 'x'\n", encoding="utf-8")
    with pytest.raises(LLMConfigError, match="unknown key llm.modle"):
        load_llm_settings(llm_env)
    (llm_env.parent / "synth.toml").write_text("[llm]\nconcurrency = 0\n", encoding="utf-8")
    with pytest.raises(LLMConfigError, match="llm_concurrency"):
        load_llm_settings(llm_env)


def test_strict_schema_only_when_possible():
    from synth.llm import PersonaDraft

    strict = strict_schema(ThemeLabel.model_json_schema())
    assert strict["additionalProperties"] is False and strict["required"] == ["label", "description"]
    assert strict_schema(PersonaDraft.model_json_schema()) is None  # sections is a free-form dict


def test_persona_sections_accept_us_spelling():
    from synth.llm import PersonaDraft

    claim = {"text": "Plans.", "citations": [{"n": 1, "quote": "I plan"}]}
    draft = PersonaDraft(name="The P", summary="s.", narrative=[], quotes=[],
                         sections={"Behaviors": [claim], "goal": [claim]})
    assert set(draft.sections) == {"behaviours", "goals"}
