"""The openai backend against a local OpenAI-protocol server on 127.0.0.1, with the real `openai` client."""

from __future__ import annotations

import time

import pytest

from synth.llm import (
    LLM, LLMConfigError, LLMUnavailable, StructuredOutputError, ThemeLabel, get_llm, load_llm_settings, open_llm,
)
from synth.llm.openai_backend import is_local_url

MSG = [{"role": "system", "content": "Name themes."}, {"role": "user", "content": "name it"}]
VALID = {"label": "Shared list sync", "description": "Participants talk about syncing lists."}


def connect(ws, stub, **overrides):
    overrides = {"llm_timeout": 2.0, "llm_max_retries": 2, "llm_backoff": 0.01, **overrides}
    return open_llm(ws, llm="openai:test-model", llm_base_url=stub.url, **overrides)


def test_structured_output_uses_json_schema_response_format(llm_env, openai_stub):
    openai_stub.reply(VALID, usage=(40, 12))
    with connect(llm_env, openai_stub) as llm:
        gen = llm.generate(MSG, ThemeLabel)
        assert gen.output == ThemeLabel(**VALID) and not gen.cached
        assert (gen.usage.prompt_tokens, gen.usage.completion_tokens, gen.usage.calls) == (40, 12, 1)
        assert llm.model.is_local and llm.model.describe()["base_url"] == openai_stub.url
    body = openai_stub.requests[0]["body"]
    assert openai_stub.requests[0]["path"] == "/v1/chat/completions"
    assert body["model"] == "test-model" and body["temperature"] == 0.0
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["name"] == "ThemeLabel"
    assert fmt["json_schema"]["strict"] is True and fmt["json_schema"]["schema"]["required"] == ["label", "description"]
    assert body["messages"] == MSG  # with a schema response format, no schema text is added


def test_invalid_json_then_valid_reasks_with_the_error(llm_env, openai_stub):
    openai_stub.reply("{'label': oops").reply(VALID)
    with connect(llm_env, openai_stub) as llm:
        gen = llm.generate(MSG, ThemeLabel)
    assert gen.output.label == "Shared list sync" and gen.attempts == 2 and openai_stub.hits == 2
    second = openai_stub.messages(1)
    assert second[-2] == {"role": "assistant", "content": "{'label': oops"}
    assert second[-1]["role"] == "user" and "Invalid JSON" in second[-1]["content"]
    assert gen.usage.calls == 2 and gen.usage.prompt_tokens == 22


def test_invalid_every_time_raises_typed_error(llm_env, openai_stub):
    for _ in range(3):
        openai_stub.reply({"label": "x"})
    with connect(llm_env, openai_stub, llm_max_reasks=2) as llm, pytest.raises(StructuredOutputError) as info:
        llm.generate(MSG, ThemeLabel)
    assert info.value.model_id == "openai:test-model" and info.value.last_output == '{"label": "x"}'
    assert openai_stub.hits == 3


def test_429_then_success_honours_retry_after(llm_env, openai_stub):
    openai_stub.fail(429, "slow down", headers={"retry-after-ms": "300"}).reply(VALID)
    with connect(llm_env, openai_stub) as llm:
        gen = llm.generate(MSG, ThemeLabel)
    assert gen.output.label == "Shared list sync" and gen.attempts == 2
    gap = openai_stub.requests[1]["at"] - openai_stub.requests[0]["at"]
    assert gap >= 0.3


def test_5xx_is_retried_with_backoff(llm_env, openai_stub):
    openai_stub.fail(503).fail(500).reply("fine")
    with connect(llm_env, openai_stub, llm_backoff=0.05) as llm:
        gen = llm.generate_text(MSG)
    assert gen.text == "fine" and openai_stub.hits == 3
    assert openai_stub.requests[2]["at"] - openai_stub.requests[1]["at"] >= 0.1  # second delay doubled


def test_timeout_gives_a_typed_error_after_retries(llm_env, openai_stub):
    for _ in range(2):
        openai_stub.reply(VALID, delay=1.5)
    started = time.monotonic()
    with connect(llm_env, openai_stub, llm_timeout=0.3, llm_max_retries=1) as llm:
        with pytest.raises(LLMUnavailable) as info:
            llm.generate(MSG, ThemeLabel)
    assert "did not answer within 0.3s" in str(info.value) and "gave up after 2 attempts" in str(info.value)
    assert openai_stub.hits == 2 and time.monotonic() - started < 1.5


def test_unreachable_server_says_what_to_check(llm_env):
    with open_llm(llm_env, llm="openai:m", llm_base_url="http://127.0.0.1:9/v1", llm_max_retries=0) as llm:
        with pytest.raises(LLMUnavailable, match=r"cannot reach http://127.0.0.1:9/v1: is the server running\?"):
            llm.generate_text(MSG)


def test_server_without_json_schema_falls_back_to_json_mode(llm_env, openai_stub):
    openai_stub.fail(400, "response_format json_schema is not supported").reply(VALID)
    with connect(llm_env, openai_stub) as llm:
        assert llm.generate(MSG, ThemeLabel).output.label == "Shared list sync"
    retry = openai_stub.requests[1]["body"]
    assert retry["response_format"] == {"type": "json_object"}
    assert "JSON schema" in retry["messages"][0]["content"]


def test_per_model_base_url_and_capabilities_come_from_config(llm_env, openai_stub):
    llm_env.mkdir()
    (llm_env / "config.toml").write_text(
        f'[llm]\nmodel = "openai:llama3.1"\n[llm.models."openai:llama3.1"]\nbase_url = "{openai_stub.url}"\n'
        "json_schema = false\n", encoding="utf-8")
    openai_stub.reply(VALID)
    with open_llm(llm_env) as llm:
        assert llm.model_id == "openai:llama3.1" and llm.model.base_url == openai_stub.url
        llm.generate(MSG, ThemeLabel)
    assert openai_stub.requests[0]["body"]["model"] == "llama3.1"
    assert openai_stub.requests[0]["body"]["response_format"] == {"type": "json_object"}


def test_missing_key_for_hosted_openai_says_what_to_set(llm_env):
    fix = "no API key for openai:gpt-4o-mini; set OPENAI_API_KEY or use --llm offline"
    with pytest.raises(LLMConfigError, match=fix):
        get_llm("openai:gpt-4o-mini", load_llm_settings(llm_env))


def test_key_is_sent_and_hosted_openai_is_not_local(llm_env, monkeypatch, openai_stub):
    monkeypatch.setenv("MY_KEY", "sk-test-123")
    settings = load_llm_settings(llm_env, llm_api_key_env="MY_KEY")
    assert get_llm("openai:gpt-4o-mini", settings).is_local is False
    openai_stub.reply("ok")
    settings = load_llm_settings(llm_env, llm_api_key_env="MY_KEY", llm_base_url=openai_stub.url)
    model = get_llm("openai:test-model", settings)
    assert LLM(model).generate_text(MSG).text == "ok"


@pytest.mark.parametrize(
    ("url", "local"),
    [("http://localhost:11434/v1", True), ("http://127.0.0.1:8000/v1", True), ("http://192.168.1.20:1234/v1", True),
     ("http://gpu.local:8080/v1", True), ("https://api.openai.com/v1", False),
     ("https://x.openai.azure.com/openai/v1", False), (None, False)],
)
def test_local_urls(url, local):
    assert is_local_url(url) is local
