"""`synth llm check` through typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from synth.cli_llm import llm_app

runner = CliRunner()


def test_check_offline(llm_env):
    result = runner.invoke(llm_app, ["check", "--workspace", str(llm_env), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["backend"] == "offline" and data["local"] is True and data["ok"] is True
    human = runner.invoke(llm_app, ["check", "--workspace", str(llm_env)])
    assert "offline" in human.stdout and "round trip" in human.stdout


def test_check_openai_server(llm_env, openai_stub):
    openai_stub.reply("OK", usage=(12, 1))
    args = ["check", "--llm", "openai:test-model", "--workspace", str(llm_env), "--json"]
    result = runner.invoke(llm_app, args, env={"SYNTH_LLM_BASE_URL": openai_stub.url})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["backend"], data["model_id"], data["base_url"], data["local"], data["reply"]) == (
        "openai", "openai:test-model", openai_stub.url, True, "OK")
    assert data["usage"] == {"prompt_tokens": 12, "completion_tokens": 1} and data["latency_ms"] >= 0
    openai_stub.reply("OK")
    human = runner.invoke(llm_app, args[:-1], env={"SYNTH_LLM_BASE_URL": openai_stub.url})
    assert openai_stub.url in human.stdout and "yes" in human.stdout


def test_check_missing_key_is_one_line(llm_env):
    result = runner.invoke(llm_app, ["check", "--llm", "openai:gpt-4o-mini", "--workspace", str(llm_env)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: no API key for openai:gpt-4o-mini; set OPENAI_API_KEY or use --llm offline"


def test_check_unreachable_server_is_one_line(llm_env):
    result = runner.invoke(llm_app, ["check", "--llm", "openai:llama3.1", "--workspace", str(llm_env)],
                           env={"SYNTH_LLM_BASE_URL": "http://127.0.0.1:9/v1"})
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot reach http://127.0.0.1:9/v1: is the server running?" in lines[0]


def test_llm_group_is_part_of_synth():
    from synth.cli import app

    result = CliRunner().invoke(app, ["llm", "--help"])
    assert result.exit_code == 0 and "check" in result.stdout
