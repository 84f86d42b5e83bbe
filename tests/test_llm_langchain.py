"""The LangChain adapter, proven with langchain_core's fake chat models; missing integrations give a pip hint."""

from __future__ import annotations

import importlib.util
import json

import pytest

from synth.llm import LLM, LLMConfigError, LLMUnavailable, ThemeLabel, get_llm, load_llm_settings, open_llm, run_task
from synth.llm.langchain_backend import LangChainChatModel, register_langchain_provider

VALID = '{"label": "Shared list sync", "description": "Participants talk about syncing lists."}'


def configure(ws, responses):
    ws.mkdir(exist_ok=True)
    listed = ", ".join(json.dumps(r) for r in responses)  # JSON strings are TOML basic strings
    lines = ['[llm.models."langchain:fake:m1"]', f"params = {{responses = [{listed}]}}"]
    (ws / "config.toml").write_text('[llm]\nmodel = "langchain:fake:m1"\n' + "\n".join(lines) + "\n", encoding="utf-8")


def test_langchain_chat_model_gives_validated_output_with_reask(llm_env):
    configure(llm_env, ["I think it is about lists.", VALID])
    with open_llm(llm_env) as llm:
        assert isinstance(llm.model, LangChainChatModel) and llm.model_id == "langchain:fake:m1"
        assert not llm.model.supports_json_schema and not llm.model.is_local
        gen = llm.generate([{"role": "user", "content": "name it"}], ThemeLabel)
    assert gen.output.label == "Shared list sync" and gen.attempts == 2


def test_langchain_runs_tasks_and_the_cache(llm_env):
    configure(llm_env, [VALID])
    inputs = {"keywords": ["sync"], "exemplars": [{"n": 1, "chunk_id": "c1", "text": "The shared list sync broke."}]}
    with open_llm(llm_env) as llm:
        label, prov = run_task("label_theme", inputs, llm)
    assert label.label == "Shared list sync" and prov.model_id == "langchain:fake:m1" and not prov.cached
    with open_llm(llm_env) as llm:  # the fake would replay VALID again, but the cache answers first
        _, prov = run_task("label_theme", inputs, llm)
    assert prov.cached


def test_usage_metadata_and_transient_errors(llm_env):
    from langchain_core.language_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class Busy(Exception):
        status_code = 429

    class Flaky(GenericFakeChatModel):
        failures: int = 1

        def _generate(self, *args, **kwargs):
            if self.failures:
                self.failures -= 1
                raise Busy("rate limited")
            return super()._generate(*args, **kwargs)

    usage = {"input_tokens": 9, "output_tokens": 2, "total_tokens": 11}
    replies = iter([AIMessage(content="hello", usage_metadata=usage)])
    register_langchain_provider("flaky", lambda model, kwargs: Flaky(messages=replies))
    settings = load_llm_settings(llm_env, llm_backoff=0.0)
    gen = LLM(get_llm("langchain:flaky:x", settings), settings).generate_text([{"role": "user", "content": "hi"}])
    assert gen.text == "hello" and gen.attempts == 2
    assert (gen.usage.prompt_tokens, gen.usage.completion_tokens) == (9, 2)
    register_langchain_provider("down", lambda model, kwargs: Flaky(messages=iter([]), failures=5))
    with pytest.raises(LLMUnavailable, match="rate limited"):
        LLM(get_llm("langchain:down:x", settings), settings).generate_text([{"role": "user", "content": "hi"}])


@pytest.mark.skipif(importlib.util.find_spec("langchain_anthropic") is not None, reason="integration is installed")
def test_missing_integration_gives_install_hint(llm_env):
    with pytest.raises(LLMConfigError, match="pip install langchain-anthropic"):
        get_llm("langchain:anthropic:claude-sonnet-4-5", load_llm_settings(llm_env))


def test_bad_langchain_specs(llm_env):
    settings = load_llm_settings(llm_env)
    with pytest.raises(LLMConfigError, match="needs a provider and a model"):
        get_llm("langchain:claude", settings)
    if importlib.util.find_spec("langchain") is None:
        with pytest.raises(LLMConfigError, match="unknown LangChain provider 'nope'"):
            get_llm("langchain:nope:x", settings)
