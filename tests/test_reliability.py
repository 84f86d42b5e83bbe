"""Issue 20: odd file names, markup in data, missing workspaces and the small usage conventions.

Storage faults, read-only workspaces and the write lock are in test_workspace_access.py; the
bounded fuzz run is test_fuzz_faults.py.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.themes import build_themes
from tests.persona_fixtures import ingest_folder
from tests.test_ingest import REVIEWS, TRANSCRIPT

runner = CliRunner()


def _env(settings) -> dict[str, str]:
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder, "COLUMNS": "200"}


def _no_traceback(res) -> None:
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output


@pytest.fixture(scope="module")
def persona_ws(tmp_path_factory):
    """A workspace with themes and personas (fake embedder, offline drafter), built once and copied per test."""
    from synth.config import load_settings

    root = tmp_path_factory.mktemp("personas")
    settings = load_settings(root / "ws", embedder="fake-hash:64")
    ingest_folder(root, settings)
    build_themes(settings)
    res = runner.invoke(app, ["personas", "-w", str(settings.workspace)], env=_env(settings))
    assert res.exit_code == 0, res.output
    return settings.workspace


@pytest.fixture
def personas(persona_ws, fake_settings):
    shutil.copytree(persona_ws, fake_settings.workspace)
    return fake_settings


# 1. file names that are not UTF-8 ----------------------------------------------------------------
def _bytes_folder(tmp_path: Path) -> Path:
    data = tmp_path / "research"
    data.mkdir()
    raw = os.fsencode(data)
    with open(raw + b"/caf\xe9_interview.txt", "wb") as fh:
        fh.write(TRANSCRIPT.encode("utf-8"))
    with open(raw + b"/caf\xe9_reviews.csv", "wb") as fh:
        fh.write(REVIEWS.encode("utf-8"))
    (data / "good.txt").write_text(TRANSCRIPT.replace("Dana", "Eli"), encoding="utf-8")
    return data


def test_file_names_that_are_not_utf8_are_ingested_and_shown_escaped(tmp_path, fake_settings):
    env = _env(fake_settings)
    data = _bytes_folder(tmp_path)
    res = runner.invoke(app, ["ingest", str(data)], env=env)
    _no_traceback(res)
    assert res.exit_code == 0, res.output
    assert "3 files ingested" in res.output

    status = json.loads(runner.invoke(app, ["status", "--json"], env=env).stdout)
    assert status["totals"]["files"] == 3 and status["totals"]["documents"] == 5

    res = runner.invoke(app, ["search", "shared list husband milk", "-k", "3"], env=env)
    _no_traceback(res)
    assert res.exit_code == 0 and "caf\\xe9_interview.txt" in res.output
    hits = json.loads(runner.invoke(app, ["search", "too expensive for a student", "--json"], env=env).stdout)
    assert "caf\\xe9_reviews.csv" in {h["file"] for h in hits}

    # The real path round-trips through SQLite: unchanged on a re-run, and still there for --prune.
    again = json.loads(runner.invoke(app, ["ingest", str(data), "--prune", "--json"], env=env).stdout)
    assert again["files_unchanged"] == 3 and again["files_ingested"] == 0 and again["files_pruned"] == 0


def test_a_problem_with_a_non_utf8_file_is_one_escaped_line(tmp_path, fake_settings):
    data = _bytes_folder(tmp_path)
    with open(os.fsencode(data) + b"/\xff\xfebad.csv", "wb") as fh:
        fh.write(b"id,stars\n1,5\n")  # no text column
    res = runner.invoke(app, ["ingest", str(data)], env=_env(fake_settings))
    _no_traceback(res)
    assert res.exit_code == 0 and "3 files ingested" in res.output
    assert "\\xff\\xfebad.csv" in res.output


# 4. markup and control characters in data ----------------------------------------------------------
MARKUP_REVIEWS = REVIEWS + "".join(  # enough plain text that the few control characters are not "binary"
    f'f{i},Fan {i},4,2026-01-0{i % 9 + 1},"The pantry tracker and the weekly planner save me time, week {i}."\n'
    for i in range(12)
) + (
    'r4,Mallory [/],1,2026-01-10,"I typed [/] and [bold]milk[/bold] into the shared list, then '
    '\x1b[31mred\x1b[0m text, a bell \x07 and \x1b]0;pwned\x07 a new window title."\n'
)


def test_markup_and_escape_sequences_in_quotes_and_queries_are_printed_as_text(tmp_path, fake_settings):
    env = _env(fake_settings)
    data = tmp_path / "data"
    data.mkdir()
    (data / "reviews [red].csv").write_text(MARKUP_REVIEWS, encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(data)], env=env)
    assert res.exit_code == 0, res.output
    for query in ("typed into the shared list [/]", "[bold]milk typed shared list", "I typed milk into the shared list \x1b[2J"):
        res = runner.invoke(app, ["search", query, "-k", "1"], env=env)
        _no_traceback(res)
        assert res.exit_code == 0, res.output
        assert "\x1b" not in res.output and "\x07" not in res.output
        assert "[/]" in res.output and "[bold]milk[/bold]" in res.output and "␇" in res.output
        assert "reviews [red].csv" in res.output and "Mallory [/]" in res.output


def test_markup_in_a_workspace_name(tmp_path, fake_settings):
    ws = tmp_path / "ws [/]"
    res = runner.invoke(app, ["status", "-w", str(ws)], env=_env(fake_settings))
    _no_traceback(res)
    assert res.exit_code == 2 and "ws [/]" in res.output
    settings = fake_settings.model_copy(update={"workspace": ws})
    ingest_folder(tmp_path, settings)
    res = runner.invoke(app, ["status", "-w", str(ws)], env=_env(fake_settings))
    _no_traceback(res)
    assert res.exit_code == 0 and "ws [/]" in res.output


def test_persona_views_escape_markup_from_the_data(personas):
    from synth.personas import load_personas, save_personas
    from synth.personas.store import load_segments
    from synth.workspace import open_store

    with open_store(personas) as store:
        found = load_personas(store)
        segments = load_segments(store)
        found[0].name = "Dana [/] \x1b[31mRed"
        found[0].claims[0].text = "Plans [bold]dinners[/] \x07 on Sunday"
        save_personas(store, segments, found)
    env = _env(personas)
    res = runner.invoke(app, ["show", "[/]\x1b[31m"], env=env)
    _no_traceback(res)
    assert res.exit_code == 2 and "\x1b" not in res.output and "'[/]" in res.output
    for args in (["show", "1"], ["eval", "1"], ["chat", "1", "--ask", "[/] how do you plan dinners?"],
                 ["export", "1", "--format", "md", "--out", str(personas.workspace.parent / "out")]):
        res = runner.invoke(app, args, env=env)
        _no_traceback(res)
        assert res.exit_code in (0, 1), (args, res.output)
        assert "\x1b" not in res.output and "\x07" not in res.output, args


# 7. small conventions --------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["eval"], ["status"], ["search", "milk"], ["show", "1"], ["export", "--all"], ["chat", "1", "--ask", "hi"],
    ["themes"], ["personas"], ["review", "--port", "0"], ["chats", "list"],
])
def test_commands_that_need_a_workspace_never_create_one(tmp_path, fake_settings, args):
    res = runner.invoke(app, [*args, "--workspace", "nosuch"], env={"SYNTH_EMBEDDER": fake_settings.embedder})
    _no_traceback(res)
    assert res.exit_code == 2, res.output
    assert "no workspace at nosuch" in res.output and "synth ingest" in res.output
    assert not (tmp_path / "nosuch").exists()


def test_ingest_of_a_folder_with_nothing_to_ingest_exits_1(tmp_path, fake_settings):
    empty = tmp_path / "empty"
    empty.mkdir()
    res = runner.invoke(app, ["ingest", str(empty)], env=_env(fake_settings))
    _no_traceback(res)
    assert res.exit_code == 1
    assert "nothing to ingest" in res.output


def test_a_symbolic_link_loop_is_called_one(tmp_path, fake_settings):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").symlink_to(data / "b.txt")
    (data / "b.txt").symlink_to(data / "a.txt")
    (data / "ok.txt").write_text(TRANSCRIPT, encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(data), "--json"], env=_env(fake_settings))
    report = json.loads(res.stdout)
    reasons = {Path(i["path"]).name: i["reason"] for i in report["issues"]}
    assert reasons["a.txt"] == reasons["b.txt"] == "symbolic link loop"
    res = runner.invoke(app, ["ingest", str(data / "a.txt"), "--json"], env=_env(fake_settings))
    assert [i["reason"] for i in json.loads(res.stdout)["issues"]] == ["symbolic link loop"]


@pytest.mark.parametrize("args", [
    ["show", "99"], ["export", "99"], ["chat", "99", "--ask", "hi"], ["eval", "99"],
])
def test_an_unknown_persona_is_a_usage_error_quoted_the_same_everywhere(personas, args):
    res = runner.invoke(app, args, env=_env(personas))
    _no_traceback(res)
    assert res.exit_code == 2, res.output
    assert "'99' matches no persona" in res.output


def test_review_without_personas_says_so(tmp_path, fake_settings):
    ingest_folder(tmp_path, fake_settings)
    res = runner.invoke(app, ["review", "--port", "0"], env=_env(fake_settings))
    _no_traceback(res)
    assert res.exit_code == 1
    assert "no personas yet" in res.output and "synth personas" in res.output
