"""The cache: an unchanged re-run makes zero calls; --no-cache bypasses; every run is logged."""

from __future__ import annotations

import shutil

from synth.llm import LLMCache, RunLog, open_llm, run_task
from synth.llm.prompts import PROMPTS_DIR
from tests.llm_fakes import sample_evidence

LABEL = {"label": "Shared list sync", "description": "Participants talk about keeping a shared list in sync."}


def inputs(keywords=("sync", "shared list")):
    return {"keywords": list(keywords), "exemplars": [e.model_dump() for e in sample_evidence()[:3]]}


def session(ws, stub, **kw):
    return open_llm(ws, llm="openai:test-model", llm_base_url=stub.url, llm_backoff=0.01, command="themes", **kw)


def test_second_run_makes_zero_calls(llm_env, openai_stub):
    openai_stub.reply(LABEL, usage=(100, 20))
    with session(llm_env, openai_stub) as llm:
        first, prov1 = run_task("label_theme", inputs(), llm)
        run1 = llm.runs.run(llm.run_id)
    assert openai_stub.hits == 1 and not prov1.cached and prov1.usage.prompt_tokens == 100
    with session(llm_env, openai_stub) as llm:
        again, prov2 = run_task("label_theme", inputs(), llm)
        run2 = llm.runs.run(llm.run_id)
        calls = llm.runs.calls(llm.run_id)
    assert openai_stub.hits == 1, "a re-run on unchanged inputs must not call the model"
    assert again == first and prov2.cached and prov2.usage.calls == 0
    assert prov2.prompt_sha256 == prov1.prompt_sha256 and prov2.model_id == "openai:test-model"
    assert (run1["calls"], run1["received_data"], run1["prompt_tokens"], run1["command"]) == (1, 1, 100, "themes")
    assert (run2["calls"], run2["cached_calls"], run2["received_data"]) == (0, 1, 0)
    assert calls[0]["task"] == "label_theme" and calls[0]["cached"] == 1 and calls[0]["sent_to"] is None


def test_no_cache_bypasses_and_changed_inputs_miss(llm_env, openai_stub):
    openai_stub.reply(LABEL).reply(LABEL).reply(LABEL)
    with session(llm_env, openai_stub) as llm:
        run_task("label_theme", inputs(), llm)
    with session(llm_env, openai_stub, no_cache=True) as llm:
        _, prov = run_task("label_theme", inputs(), llm)
    assert openai_stub.hits == 2 and not prov.cached
    with session(llm_env, openai_stub) as llm:
        _, prov = run_task("label_theme", inputs(("sync", "partner")), llm)
    assert openai_stub.hits == 3 and not prov.cached
    assert len(LLMCache(llm_env / "synth.db")) == 2


def test_editing_a_prompt_misses_the_cache(llm_env, openai_stub, monkeypatch, tmp_path):
    openai_stub.reply(LABEL).reply(LABEL)
    with session(llm_env, openai_stub) as llm:
        _, before = run_task("label_theme", inputs(), llm)
    edited = tmp_path / "prompts"
    edited.mkdir()
    shutil.copy(PROMPTS_DIR / "label_theme.md", edited / "label_theme.md")
    path = edited / "label_theme.md"
    text = path.read_text(encoding="utf-8").replace("version: 1", "version: 2")
    path.write_text(text.replace("Name the theme", "Label the theme"), encoding="utf-8")
    monkeypatch.setenv("SYNTH_PROMPTS", str(edited))
    with session(llm_env, openai_stub) as llm:
        _, after = run_task("label_theme", inputs(), llm)
    assert openai_stub.hits == 2 and after.prompt_version == "2" and after.prompt_sha256 != before.prompt_sha256


def test_offline_runs_are_logged_as_sending_nothing(llm_env):
    with open_llm(llm_env, command="draft") as llm:
        run_task("label_theme", inputs(), llm)
        run = llm.runs.run(llm.run_id)
        assert llm.cache is None
    assert (run["backend"], run["model_id"], run["is_local"], run["received_data"]) == ("offline", "offline", 1, 0)
    assert RunLog(llm_env / "synth.db").calls(run["id"])[0]["sent_to"] is None
