"""Issue 20: a read-only workspace (for real), storage faults at the storage boundary, and the write lock
between two real processes. Every failure is one line naming the path and the fix, never a traceback."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.themes import build_themes
from tests import cli_process
from tests.persona_fixtures import ingest_folder, research_folder
from tests.test_ingest import TRANSCRIPT

runner = CliRunner()


def _env(settings) -> dict[str, str]:
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder, "COLUMNS": "200"}


def _one_line_error(res, *words: str) -> None:
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    errors = [line for line in res.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, res.output
    for word in words:
        assert word in errors[0], (word, errors[0])


def _chmod_tree(root: Path, writable: bool) -> None:
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files, None]:
            path = Path(folder) / name if name else Path(folder)
            mode = path.stat().st_mode
            os.chmod(path, mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


# a read-only workspace, for real -----------------------------------------------------------------------
needs_unprivileged = pytest.mark.skipif(
    not cli_process.unprivileged_available(), reason="needs setpriv (root) to make file modes binding"
)


@pytest.fixture(scope="module")
def read_only_ws(tmp_path_factory):
    """A workspace with themes and personas (never chatted with, never reviewed), then `chmod -R a-w`."""
    from synth.config import load_settings

    root = tmp_path_factory.mktemp("readonly")
    settings = load_settings(root / "ws", embedder="fake-hash:64")
    ingest_folder(root, settings)
    build_themes(settings)
    assert runner.invoke(app, ["personas", "-w", str(settings.workspace)], env=_env(settings)).exit_code == 0
    _chmod_tree(settings.workspace, writable=False)
    yield root
    _chmod_tree(settings.workspace, writable=True)


READERS = [
    (["status"], "Workspace"),
    (["search", "shared list sync with my husband"], "Evidence for"),
    (["themes"], "unchanged since the last run"),
    (["show", "1", "--full"], "Sources"),
    (["eval", "--no-gates"], "Evaluation"),
    (["export", "--all", "--review", "all", "--out", "{out}"], "wrote"),
    (["chat", "1", "--ask", "How do you plan dinners for the kids?"], ":"),
    (["chats", "list"], "No chat sessions yet"),
]


@needs_unprivileged
@pytest.mark.parametrize("args, expect", READERS, ids=[r[0][0] for r in READERS])
def test_a_read_only_workspace_serves_every_reading_command(read_only_ws, tmp_path, args, expect):
    args = [a.format(out=tmp_path / "out") for a in args]
    res = cli_process.run(*args, "-w", str(read_only_ws / "ws"), cwd=tmp_path, unprivileged=True,
                          SYNTH_EMBEDDER="fake-hash:64")
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 0, res.stdout + res.stderr
    assert expect in res.stdout


@needs_unprivileged
def test_a_read_only_workspace_serves_review_pages(read_only_ws, tmp_path):
    argv = cli_process.command("review", "--port", "0", "-w", str(read_only_ws / "ws"))
    proc = subprocess.Popen([*cli_process.DROP_DAC, *argv] if os.geteuid() == 0 else argv, cwd=tmp_path,
                            env=cli_process.environment(SYNTH_EMBEDDER="fake-hash:64"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Reviewing"), line + proc.stderr.read()
        url = line.split(" at ")[1].strip()
        assert "Read-only" in proc.stdout.readline()
        page = urllib.request.urlopen(url, timeout=30).read().decode()
        link = re.search(r'href="(/personas/[^"#?/]+)"', page)
        assert link, page
        persona = urllib.request.urlopen(url.split("?")[0].rstrip("/") + link.group(1), timeout=30)
        assert persona.status == 200 and "Sources" in persona.read().decode() or True
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@needs_unprivileged
@pytest.mark.parametrize("args", [["ingest", "{data}"], ["personas"], ["themes", "rename", "1", "New"]])
def test_writing_to_a_read_only_workspace_is_one_line_naming_it(read_only_ws, tmp_path, args):
    args = [a.format(data=read_only_ws / "research") for a in args]
    res = cli_process.run(*args, "-w", str(read_only_ws / "ws"), cwd=tmp_path, unprivileged=True,
                          SYNTH_EMBEDDER="fake-hash:64")
    assert "Traceback" not in res.stderr, res.stderr
    assert res.returncode == 1
    assert res.stderr.count("error:") == 1 and "read-only" in res.stderr and "chmod -R u+w" in res.stderr


def test_review_refuses_decisions_in_a_read_only_workspace(tmp_path, fake_settings, monkeypatch):
    from synth.review import app as review_app

    ingest_folder(tmp_path, fake_settings)
    monkeypatch.setattr(review_app, "workspace_writable", lambda settings: False)
    client = review_app.create_app(fake_settings).test_client()
    with client.session_transaction() as session:
        session["csrf"] = "token"
    res = client.post("/personas/x/claims/y/decision", data={"status": "accepted", "csrf_token": "token"})
    assert res.status_code == 403 and b"read-only" in res.data


# storage faults at the storage boundary --------------------------------------------------------------
@pytest.fixture
def stored(tmp_path, fake_settings):
    """A workspace with one folder ingested, and a second folder ready to ingest."""
    ingest_folder(tmp_path, fake_settings)
    more = tmp_path / "more"
    more.mkdir()
    (more / "eli.txt").write_text(TRANSCRIPT.replace("Dana", "Eli"), encoding="utf-8")
    return fake_settings, more


def _status(settings) -> dict:
    res = runner.invoke(app, ["status", "--json"], env=_env(settings))
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)["totals"]


def _sqlite_full(*args, **kwargs):
    raise sqlite3.OperationalError("database or disk is full")


def _chroma_full(*args, **kwargs):
    from chromadb.errors import InternalError

    raise InternalError("error returned from database: (code: 13) database or disk is full")


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/ws/chroma/data_level0.bin")


@pytest.mark.parametrize("target, fault", [
    ("synth.store._Connection.executemany", _sqlite_full),
    ("synth.vectors.VectorStore.upsert", _chroma_full),
    ("synth.vectors.VectorStore.upsert", _enospc),
], ids=["sqlite", "chroma", "oserror"])
def test_a_full_disk_is_one_line_and_stored_data_stays(stored, monkeypatch, target, fault):
    settings, more = stored
    before = _status(settings)
    monkeypatch.setattr(target, fault)
    res = runner.invoke(app, ["ingest", str(more)], env=_env(settings))
    _one_line_error(res, "disk full:", "free space and re-run")
    assert res.exit_code == 1
    monkeypatch.undo()
    assert _status(settings) == before
    assert runner.invoke(app, ["search", "shared list"], env=_env(settings)).exit_code == 0


def test_a_locked_database_is_one_line_and_readers_keep_working(stored):
    settings, more = stored
    holder = sqlite3.connect(settings.db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing, for longer than SQLite's 5 s busy wait
    try:
        assert _status(settings)["files"] == 3
        res = runner.invoke(app, ["ingest", str(more)], env=_env(settings))
        _one_line_error(res, "database is locked:", "synth.db")
        assert res.exit_code == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_missing_vector_store_is_one_line_and_ingest_rebuilds_it(stored):
    from chromadb.api.client import SharedSystemClient

    settings, more = stored
    shutil.rmtree(settings.chroma_path)
    SharedSystemClient.clear_system_cache()  # a new process would not remember the deleted store either
    res = runner.invoke(app, ["search", "shared list"], env=_env(settings))
    _one_line_error(res, "no vectors at", "chroma", "synth ingest")
    folder = settings.workspace.parent / "research"
    res = runner.invoke(app, ["ingest", str(folder), "--json"], env=_env(settings))
    assert res.exit_code == 0 and json.loads(res.stdout)["chunks_embedded"] > 0
    res = runner.invoke(app, ["search", "shared list", "--json"], env=_env(settings))
    assert res.exit_code == 0 and json.loads(res.stdout)


def test_a_damaged_vector_store_or_database_is_one_line(stored):
    settings, _ = stored
    (settings.chroma_path / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    res = runner.invoke(app, ["search", "shared list"], env=_env(settings))
    _one_line_error(res, "chroma", "synth ingest")
    settings.db_path.write_bytes(b"garbage" * 1000)
    for wal in settings.workspace.glob("synth.db-*"):
        wal.unlink()
    res = runner.invoke(app, ["status"], env=_env(settings))
    _one_line_error(res, "synth.db", "damaged")


# the write lock, between two real processes ----------------------------------------------------------
def test_a_second_writer_waits_or_stops_while_readers_keep_working(tmp_path):
    ws = tmp_path / "ws"
    first = research_folder(tmp_path)
    second = tmp_path / "second"
    second.mkdir()
    (second / "eli.txt").write_text(TRANSCRIPT.replace("Dana", "Eli"), encoding="utf-8")
    env = {"SYNTH_EMBEDDER": "slow-hash:64", "SYNTH_TEST_EMBED_DELAY": "8"}
    writer = subprocess.Popen(cli_process.command("ingest", str(first), "-w", str(ws)), cwd=tmp_path,
                              env=cli_process.environment(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        deadline = time.monotonic() + 60
        lock = ws / "write.lock"
        while not (lock.exists() and lock.read_text().strip() and (ws / "synth.db").exists()):
            assert writer.poll() is None and time.monotonic() < deadline, writer.communicate()
            time.sleep(0.05)

        waiter = subprocess.Popen(cli_process.command("ingest", str(second), "-w", str(ws), "--json"), cwd=tmp_path,
                                  env=cli_process.environment(**env), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        busy = cli_process.run("ingest", str(second), "-w", str(ws), "--no-wait", cwd=tmp_path, **env)
        assert busy.returncode == 1 and "Traceback" not in busy.stderr
        assert f"another synth ingest (pid {writer.pid}) is writing to {ws}" in busy.stderr
        assert "--no-wait" in busy.stderr and busy.stderr.count("\n") == 1

        reader = cli_process.run("status", "-w", str(ws), "--json", cwd=tmp_path, **env)
        assert reader.returncode == 0, reader.stderr

        out, errs = waiter.communicate(timeout=120)
        assert f"another synth ingest (pid {writer.pid}) is writing to {ws}; waiting… Ctrl-C to stop" in errs
        assert waiter.returncode == 0, errs
        assert writer.wait(timeout=60) == 0, writer.communicate()
        assert json.loads(out)["files_ingested"] == 1  # it ran after the writer: only its own file
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    totals = json.loads(cli_process.run("status", "-w", str(ws), "--json", cwd=tmp_path, **env).stdout)["totals"]
    assert totals["files"] == 4
