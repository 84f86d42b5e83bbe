"""`synth themes`, `synth themes rename` and `synth themes merge` through typer's CliRunner."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from synth.cli import app
from tests.test_themes import ingest_folder, make_folder

runner = CliRunner()


def _env(settings):
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder, "COLUMNS": "160"}


def _json(res) -> dict:
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_themes_json_rename_merge(tmp_path, fake_settings, llm_env):
    env = _env(fake_settings)
    ingest_folder(make_folder(tmp_path)[0], fake_settings)
    data = _json(runner.invoke(app, ["themes", "--json"], env=env))
    assert set(data) >= {"themes", "unassigned", "unassigned_share", "changes", "stats", "cached", "skipped_edits"}
    theme = data["themes"][0]
    assert {"id", "label", "description", "keywords", "chunk_ids", "exemplar_ids", "participant_count", "kinds",
            "size", "exemplars", "label_source", "group"} <= set(theme)
    assert theme["size"] == len(theme["chunk_ids"]) and 3 <= len(theme["exemplars"]) <= 5
    assert {"chunk_id", "text", "speaker", "participant_id", "kind"} <= set(theme["exemplars"][0])
    assert len(data["changes"]["new"]) == len(data["themes"]) and not data["cached"]
    for u in data["unassigned"]:
        assert {"chunk_id", "nearest_theme_id", "distance"} <= set(u)

    again = _json(runner.invoke(app, ["themes", "--json"], env=env))
    assert again["cached"] and again["changes"]["unchanged"] == [t["id"] for t in data["themes"]]

    first, second, third = (t["id"] for t in data["themes"][:3])
    renamed = _json(runner.invoke(app, ["themes", "rename", first, "Milk bought twice", "--json"], env=env))
    assert renamed["label"] == "Milk bought twice" and renamed["label_source"] == "user"
    merged = _json(runner.invoke(app, ["themes", "merge", second, third, "--json"], env=env))
    ids = [t["id"] for t in merged["themes"]]
    assert second in ids and third not in ids
    assert [c["id"] for c in merged["changes"]["removed"]] == [third]

    rerun = _json(runner.invoke(app, ["themes", "--no-cache", "--json"], env=env))
    by_id = {t["id"]: t for t in rerun["themes"]}
    assert by_id[first]["label"] == "Milk bought twice" and third not in by_id


def test_themes_table_shows_themes_quotes_and_changes(tmp_path, fake_settings, llm_env):
    env = _env(fake_settings)
    ingest_folder(make_folder(tmp_path)[0], fake_settings)
    res = runner.invoke(app, ["themes", "--max-themes", "8"], env=env)
    assert res.exit_code == 0, res.output
    data = _json(runner.invoke(app, ["themes", "--max-themes", "8", "--json"], env=env))
    assert "themes over" in res.stdout and "unassigned" in res.stdout
    for theme in data["themes"]:
        assert theme["id"] in res.stdout
    assert "“" in res.stdout  # exemplar quotes
    assert "new" in res.stdout  # first run: every theme is new
    res = runner.invoke(app, ["themes", "--max-themes", "8"], env=env)
    assert "unchanged since the last run" in res.stdout


def test_themes_errors_are_one_line_with_a_fix(tmp_path, fake_settings, llm_env):
    env = _env(fake_settings)
    res = runner.invoke(app, ["themes"], env=env)
    assert res.exit_code == 2 and "synth ingest" in res.output
    ingest_folder(make_folder(tmp_path)[0], fake_settings)
    res = runner.invoke(app, ["themes", "rename", "thm_nope", "New name"], env=env)
    assert res.exit_code == 1 and "synth themes" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["themes", "--min-size", "0"], env=env)
    assert res.exit_code == 2
    res = runner.invoke(app, ["themes", "--llm", "nosuchbackend:model"], env=env)
    assert res.exit_code in (1, 2) and "error" in res.output and "Traceback" not in res.output
