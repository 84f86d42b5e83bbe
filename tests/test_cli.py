"""The CLI through typer's CliRunner, on the fake embedder."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from synth.cli import app
from tests.test_ingest import _folder

runner = CliRunner()


def _env(settings):
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder}


def test_ingest_status_search_json(tmp_path, fake_settings):
    env = _env(fake_settings)
    data = _folder(tmp_path)
    (data / "empty.vtt").write_text("")
    res = runner.invoke(app, ["ingest", str(data), "--json"], env=env)
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert report["files_ingested"] == 2 and report["exit_code"] == 0
    assert [i["path"].endswith("empty.vtt") for i in report["issues"]] == [True]

    res = runner.invoke(app, ["status", "--json"], env=env)
    assert res.exit_code == 0, res.output
    status = json.loads(res.stdout)
    assert status["totals"]["documents"] == 4
    assert status["by_kind"]["interview"]["participants"] == 1
    assert status["by_kind"]["review"]["documents"] == 3

    res = runner.invoke(app, ["search", "shared list syncing with my husband", "-k", "2", "--json"], env=env)
    assert res.exit_code == 0, res.output
    hits = json.loads(res.stdout)
    assert len(hits) == 2
    assert {"quote", "speaker", "file", "location", "score"} <= set(hits[0])
    assert hits[0]["speaker"] == "Dana" and hits[0]["file"] == "dana.txt"
    assert hits[0]["location"].startswith("line ")

    res = runner.invoke(app, ["search", "expensive subscription", "--kind", "review", "--json"], env=env)
    assert all(h["kind"] == "review" for h in json.loads(res.stdout))


def test_ingest_table_output_lists_problems_with_fixes(tmp_path, fake_settings):
    data = _folder(tmp_path)
    (data / "notext.csv").write_text("id,stars\n1,5\n")
    res = runner.invoke(app, ["ingest", str(data)], env=_env(fake_settings))
    assert res.exit_code == 0, res.output
    assert "2 files ingested" in res.output
    assert "notext.csv" in res.output and "--text-column" in res.output


def test_usage_errors_and_missing_paths_exit_2_and_nothing_ingested_exits_1(tmp_path, fake_settings):
    env = _env(fake_settings)
    assert runner.invoke(app, ["ingest", str(tmp_path), "--kind", "podcast"], env=env).exit_code == 2
    assert runner.invoke(app, ["ingest"], env=env).exit_code == 2
    res = runner.invoke(app, ["ingest", str(tmp_path / "nope")], env=env)
    assert res.exit_code == 2 and "no such file" in res.output  # missing input


def test_status_without_workspace_says_what_to_run(tmp_path, fake_settings):
    res = runner.invoke(app, ["status"], env=_env(fake_settings))
    assert res.exit_code == 2 and "synth ingest" in res.output


def test_help_teaches():
    res = runner.invoke(app, ["ingest", "--help"])
    assert res.exit_code == 0
    assert "--interviewer" in res.output and "Example" in res.output
