"""`synth speakers`: the table, the warnings after ingest, and fixes that persist and re-derive evidence."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from synth.cli import app
from synth.store import Store

runner = CliRunner()

GROUP = "\n".join([
    "Interviewer: Hello, can you hear me? I'm a master student at the university.",
    "Interviewer1: Hi, sorry, I have connection problems.",
    "Interviewer: So, to start, what's your role at the company?",
    "Participant: I'm a data analyst, I build the weekly sales dashboards for the regional teams.",
    "Interviewer 1: How long have you been doing that?",
    "Participant: About three years. Before that I was in finance, mostly monthly reports in spreadsheets.",
    "Host: What tools do you use today?",
    "Participant: SQL and our BI tool, which is slow. Is this being recorded, by the way?",
    "Interviewer: Yes, it is.",
    "Participant: Okay. Then yes, slow joins, and nobody cleans up the old tables, so it gets worse every month.",
    "Particpant: Right.",
])


def _env(settings):
    return {"SYNTH_WORKSPACE": str(settings.workspace), "SYNTH_EMBEDDER": settings.embedder}


def _ingest(tmp_path, env, text=GROUP):
    folder = tmp_path / "study"
    folder.mkdir(exist_ok=True)
    (folder / "call.txt").write_text(text, encoding="utf-8")
    res = runner.invoke(app, ["ingest", str(folder), "--json"], env=env)
    assert res.exit_code == 0, res.output
    return folder, json.loads(res.stdout)


def _speakers(env, *args):
    res = runner.invoke(app, ["speakers", *args, "--json"], env=env)
    assert res.exit_code == 0, res.output
    (item,) = json.loads(res.stdout)
    return {row["speaker"]: row for row in item["speakers"]}, item


def _evidence(settings) -> str:
    with Store(settings.db_path) as store:
        return "\n".join(c.text for c in store.chunks())


def test_table_shows_roles_how_and_variants_and_ingest_warns(tmp_path, fake_settings):
    env = _env(fake_settings)
    _, report = _ingest(tmp_path, env)
    (warning,) = [i for i in report["issues"] if i["path"].endswith("call.txt")]
    assert warning["severity"] == "warning" and "Particpant → Participant" in warning["reason"]
    assert "3 interviewers" in warning["reason"] and "synth speakers" in warning["fix"]

    rows, item = _speakers(env, "call.txt")
    assert {s: r["role"] for s, r in rows.items()} == {
        "Interviewer": "interviewer", "Interviewer 1": "interviewer", "Participant": "participant", "Host": "interviewer",
    }
    assert rows["Interviewer 1"]["variants"] == ["Interviewer1"] and rows["Participant"]["variants"] == ["Particpant"]
    assert rows["Host"]["how"] == "label says interviewer"
    assert rows["Participant"]["turns"] == 4 and rows["Participant"]["questions"] == 0.25  # "Right." joins its turn
    assert rows["Interviewer"]["first_line"].startswith("Hello, can you hear me?")
    assert "master student" not in _evidence(fake_settings)

    table = runner.invoke(app, ["speakers"], env=env, terminal_width=120)
    assert table.exit_code == 0 and "call.txt" in table.output and "label says interviewer" in table.output


def test_set_and_merge_persist_across_reingest_and_rederive_evidence(tmp_path, fake_settings):
    env = _env(fake_settings)
    folder, _ = _ingest(tmp_path, env)
    before = _evidence(fake_settings)
    assert "What tools do you use today?" not in before

    res = runner.invoke(app, ["speakers", "set", "call.txt", "host", "--role", "participant"], env=env)
    assert res.exit_code == 0, res.output
    assert "Host is now participant" in res.output and "newly embedded" in res.output
    assert "What tools do you use today?" in _evidence(fake_settings)

    res = runner.invoke(app, ["speakers", "merge", "call.txt", "Interviewer", "interviewer 1"], env=env)
    assert res.exit_code == 0, res.output
    rows, _ = _speakers(env, "call.txt")
    assert set(rows) == {"Interviewer", "Participant", "Host"}
    assert {"Interviewer 1", "Interviewer1"} <= set(rows["Interviewer"]["variants"])
    assert rows["Host"]["how"] == "set by you"

    # The file changes: a re-ingest re-parses it, and both fixes still hold.
    (folder / "call.txt").write_text(GROUP + "\nParticipant: One more thing, the export button is hidden.\n")
    res = runner.invoke(app, ["ingest", str(folder), "--json"], env=env)
    assert res.exit_code == 0 and json.loads(res.stdout)["files_ingested"] == 1
    rows, _ = _speakers(env, "call.txt")
    assert rows["Host"]["role"] == "participant" and set(rows) == {"Interviewer", "Participant", "Host"}
    assert "export button is hidden" in _evidence(fake_settings)
    assert "What tools do you use today?" in _evidence(fake_settings)


def test_mistakes_get_one_line_and_exit_2(tmp_path, fake_settings):
    env = _env(fake_settings)
    _ingest(tmp_path, env)
    res = runner.invoke(app, ["speakers", "set", "nosuch.txt", "Host", "--role", "participant"], env=env)
    assert res.exit_code == 2 and "no transcript 'nosuch.txt'" in res.output
    res = runner.invoke(app, ["speakers", "set", "call.txt", "Bob", "--role", "participant"], env=env)
    assert res.exit_code == 2 and "its speakers are: Interviewer" in res.output
    res = runner.invoke(app, ["speakers", "set", "call.txt", "Host", "--role", "boss"], env=env)
    assert res.exit_code == 2 and "--role must be" in res.output
    res = runner.invoke(app, ["speakers", "merge", "call.txt", "Interviewer", "INTERVIEWER"], env=env)
    assert res.exit_code == 2 and "already one speaker" in res.output
    assert "Traceback" not in res.output


def test_a_transcript_with_no_participant_is_stored_and_flagged(tmp_path, fake_settings):
    env = _env(fake_settings)
    _, report = _ingest(tmp_path, env, "Moderator: Hello?\nModerator: Is anyone there?\nModerator: I'll wait a minute.")
    (issue,) = report["issues"]
    assert issue["severity"] == "warning" and "no participant speech" in issue["reason"]
    rows, _ = _speakers(env, "call.txt")
    assert rows["Moderator"]["role"] == "interviewer"
    # The user knows better: the "moderator" was the one being interviewed.
    res = runner.invoke(app, ["speakers", "set", "call.txt", "Moderator", "--role", "participant"], env=env)
    assert res.exit_code == 0, res.output
    assert "Is anyone there?" in _evidence(fake_settings)


def test_interviewers_named_in_config_win_over_behaviour(tmp_path, fake_settings):
    env = _env(fake_settings)
    text = "\n".join([
        "Dan: Let me explain the study first. We are looking at how teams plan their sprints, and there are no wrong answers.",
        "Mia: Okay?",
        "Dan: Walk me through your last planning meeting, from the moment it started to the end.",
        "Mia: Why? Is that useful?",
    ])
    (tmp_path / "synth.toml").write_text('interviewers = ["Dan"]\n')  # behaviour alone says Mia, who asks "why?"
    _ingest(tmp_path, env, text)
    rows, _ = _speakers(env, "call.txt")
    assert rows["Dan"]["role"] == "interviewer" and rows["Dan"]["how"] == "named as interviewer"
    assert rows["Mia"]["role"] == "participant"
