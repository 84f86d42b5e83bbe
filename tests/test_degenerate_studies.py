"""Degenerate studies never end in a traceback: one or two participants, one-line participants (a typo in a
speaker label), one-person segments, empty drafts, drafts whose every citation fails, no themes. Each gets a
one-line explanation and the rest of the run goes on; `synth run` exits 1 only when nothing useful came out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.llm import LLM
from synth.personas import build_personas, load_segments
from synth.records import Role, Verdict
from synth.store import Store
from tests.llm_fakes import ScriptedModel
from tests.persona_fixtures import evidence_blocks, judge_reply

runner = CliRunner()

FAMILY = [
    "Sunday night I sit down with the app and plan five dinners for the kids.",
    "The shared list is the worst part because my husband adds milk and I add milk too.",
    "I want the shared list to sync properly with my husband every single week.",
    "My picky son eats nothing green, so I plan pasta twice a week at least.",
]
BUDGET = [
    "I cook for one on a student budget of forty dollars a week.",
    "The subscription price is too expensive for a student budget like mine.",
    "I want a cheaper student price because the free tier caps recipes.",
    "I waste half an onion every time because recipes never scale for one person.",
]
NIGHTS = [
    "I work night shifts as a nurse, so I order groceries online at odd hours.",
    "The delivery slot disappears at checkout and that drives me mad after a shift.",
    "I need delivery windows that fit a hospital rota, not office hours.",
    "After a twelve hour shift I just want a hot meal ready in ten minutes.",
]


def transcript(*turns: tuple[str, str]) -> str:
    """Alternating interviewer questions and the given (speaker, words) answers."""
    lines = []
    for speaker, words in turns:
        lines += ["Interviewer: Can you tell me more about that?", f"{speaker}: {words}"]
    return "\n".join(lines) + "\n"


def answers(sentences: list[str], speaker: str = "Participant", tag: str = "") -> str:
    return transcript(*[(speaker, f"{s} {tag}".strip()) for s in sentences])


def study(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "study"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def invoke(*args: str):
    # catch_exceptions=False: a traceback fails the test instead of becoming an exit code
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def env(fake_settings, monkeypatch):
    monkeypatch.setenv("SYNTH_EMBEDDER", fake_settings.embedder)
    monkeypatch.delenv("SYNTH_LLM", raising=False)
    return fake_settings


def ingest_and_theme(folder: Path, settings) -> str:
    ws = str(settings.workspace)
    assert invoke("ingest", str(folder), "-w", ws).exit_code == 0
    assert invoke("themes", "-w", ws).exit_code == 0
    return ws


def participants_by_label(settings) -> dict[str, list[str]]:
    with Store(settings.db_path) as store:
        out: dict[str, list[str]] = {}
        for c in store.chunks():
            if c.role == Role.participant and c.participant_id:
                out.setdefault(c.speaker, []).append(c.participant_id)
        return {label: sorted(set(ids)) for label, ids in out.items()}


def founders(settings, silent: list[str]) -> list[list[str]]:
    """The segments that hold a participant other than `silent` ones: every segment must."""
    with Store(settings.db_path) as store:
        segments = load_segments(store)
    assert {p for s in segments for p in s.participant_ids} >= set(silent)  # everyone has a segment
    return [s.participant_ids for s in segments if set(s.participant_ids) - set(silent)]


def one_line(text: str) -> bool:
    return len(text.strip().splitlines()) == 1


# The reported case: one typo in a speaker label ------------------------------------------------------------
def test_a_typo_in_a_speaker_label_never_crashes_personas(tmp_path, env):
    files = {f"t{i}.txt": answers(FAMILY if i % 2 else BUDGET, tag=f"Person {i} agrees.") for i in range(8)}
    files["t0.txt"] += "Interviewer: And then?\nParticpant: Right.\n"
    ws = ingest_and_theme(study(tmp_path, files), env)
    for extra in ([], ["--personas", "4"]):
        result = invoke("personas", "-w", ws, *extra)
        assert result.exit_code == 0, result.output
        assert "Personas" in result.stdout
        typo = participants_by_label(env).get("Particpant", [])
        if typo:  # the label was kept apart from "Participant": it founds no segment, and we say why
            with Store(env.db_path) as store:
                assert len(founders(env, typo)) == len(load_segments(store))
            assert "1 participant with nothing quotable" in result.stderr
            assert "Particpant in t0.txt ('Right.')" in result.stderr


def test_a_one_line_participant_never_founds_a_segment_even_when_segments_are_forced(tmp_path, env):
    files = {"a.txt": answers(FAMILY), "b.txt": answers(FAMILY[::-1], tag="Really."),
             "c.txt": answers(BUDGET), "d.txt": answers(BUDGET[::-1], tag="Really."),
             "group.txt": transcript(("Dana", NIGHTS[0]), ("Dana", NIGHTS[1]), ("Sam", "Okay, no problem."))}
    ws = ingest_and_theme(study(tmp_path, files), env)
    sam = participants_by_label(env)["Sam"]
    result = invoke("personas", "-w", ws, "--personas", "6", "--json")
    assert result.exit_code == 0, result.output
    personas = json.loads(result.stdout)
    with Store(env.db_path) as store:
        segments = load_segments(store)
    assert len(segments) == 5  # six segments asked for, five participants with anything to quote
    # a and b (c and d) say the same things: a claim stays with one persona only, so a segment whose
    # every claim another persona holds gets none, and is skipped with its reason.
    assert 3 <= len(personas) <= len(segments)
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    silent = [line for line in notes if "1 participant with nothing quotable" in line]
    assert len(silent) == 1 and "Sam in group.txt ('Okay, no problem.')" in silent[0]
    assert "synth speakers group.txt" in silent[0]
    assert len(founders(env, sam)) == len(segments)  # Sam founds none of them
    sams = next(s for s in segments if set(sam) & set(s.participant_ids))
    persona = next((p for p in personas if p["segment_id"] == sams.id), None)
    if persona is not None:
        assert persona["figures"]["thin"] == "one quotable participant"
        assert not any(c["participant_id"] in sam for claim in persona["claims"] for c in claim["citations"])


# One and two participants; a one-person segment among normal ones ------------------------------------------
def test_a_one_participant_study_runs_to_a_report_with_a_thin_persona(tmp_path, env):
    folder = study(tmp_path, {"a.txt": answers(FAMILY)})
    out = tmp_path / "report"
    result = invoke("run", str(folder), "-w", str(env.workspace), "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(data["personas"]) == 1 and data["personas"][0]["figures"]["thin"] == "one participant"
    note = next(n for n in data["notes"] if "speaks for one participant only" in n)
    assert "in a.txt" in note
    assert "speaks for one participant only" in " ".join(result.stdout.split())
    assert "Notes" in (out / "index.md").read_text(encoding="utf-8")
    assert "speaks for one participant only" in (out / "index.html").read_text(encoding="utf-8")


def test_a_two_participant_study_runs_to_a_report(tmp_path, env):
    folder = study(tmp_path, {"a.txt": answers(FAMILY), "b.txt": answers(BUDGET)})
    out = tmp_path / "report"
    result = invoke("run", str(folder), "-w", str(env.workspace), "--out", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["personas"] and all(p["figures"]["citations_verified"] > 0 for p in data["personas"])


def test_a_one_person_segment_among_normal_ones_is_a_thin_persona(tmp_path, env):
    files = {"a.txt": answers(FAMILY), "b.txt": answers(FAMILY[::-1], tag="Really."),
             "c.txt": answers(BUDGET), "d.txt": answers(BUDGET[::-1], tag="Really."), "e.txt": answers(NIGHTS)}
    ws = ingest_and_theme(study(tmp_path, files), env)
    result = invoke("personas", "-w", ws, "--personas", "3", "--json")
    assert result.exit_code == 0, result.output
    personas = json.loads(result.stdout)
    with Store(env.db_path) as store:
        sizes = {s.id: len(s.participant_ids) for s in load_segments(store)}
    singles = [p for p in personas if sizes[p["segment_id"]] == 1]
    assert singles and len(personas) == 3
    for p in personas:
        assert p["figures"]["thin"] == ("one participant" if sizes[p["segment_id"]] == 1 else None)
    for p in singles:
        number = personas.index(p) + 1
        assert f"note: persona {number} ({p['name']}) speaks for one participant only" in result.stderr


# No usable sentences ----------------------------------------------------------------------------------------
def test_a_study_of_only_short_lines_fails_with_one_line_naming_the_files(tmp_path, env):
    folder = study(tmp_path, {"a.txt": transcript(("Participant", "Right.")),
                              "b.txt": transcript(("Participant", "Okay, no problem."))})
    result = invoke("run", str(folder), "-w", str(env.workspace), "--out", str(tmp_path / "report"))
    assert result.exit_code == 1
    assert one_line(result.stderr) and result.stderr.startswith("error:"), result.stderr
    assert "a.txt" in result.stderr and "b.txt" in result.stderr and "synth speakers" in result.stderr
    assert "Traceback" not in result.output


def test_a_study_with_no_participant_speech_fails_with_one_line_naming_the_files(tmp_path, env):
    folder = study(tmp_path, {"a.txt": "Interviewer: Hello, can you hear me?\nInterviewer: Anyone there?\n",
                              "b.txt": "Interviewer: Shall we start?\nInterviewer: I will wait a minute.\n"})
    result = invoke("run", str(folder), "-w", str(env.workspace), "--out", str(tmp_path / "report"),
                    "--interviewer", "Interviewer")
    assert result.exit_code == 1
    assert one_line(result.stderr) and "a.txt" in result.stderr and "b.txt" in result.stderr, result.stderr


# Empty drafts and drafts that fail verification -------------------------------------------------------------
class Drafter:
    """A scripted model: for segments whose evidence holds `marker`, `odd` (an empty persona, a reply that is
    no persona, or fabricated quotes); a plain good draft otherwise; and a judge that supports everything."""

    def __init__(self, marker: str, odd: str):
        self.marker, self.odd = marker, odd

    def __call__(self, messages) -> str:
        prompt = next(m["content"] for m in messages if m["role"] == "user")
        if "Draft the persona" not in prompt:
            return judge_reply(messages)
        evidence = evidence_blocks(prompt)
        first = evidence[1].split(". ")[0].rstrip(".") + "."
        good = {"name": "The Planner", "summary": "Plans.", "quotes": [{"n": 1, "quote": first}],
                "narrative": [{"text": "They plan.", "citations": [{"n": 1, "quote": first}]}],
                "sections": {"goals": [{"text": "Plans ahead.", "citations": [{"n": 1, "quote": first}]}]}}
        if not any(self.marker in text for text in evidence.values()):
            return json.dumps(good)
        if self.odd == "empty":
            return json.dumps({"name": "The Nobody", "summary": "Nothing.", "narrative": [], "sections": {},
                               "quotes": []})
        if self.odd == "junk":
            return "I am sorry, I cannot write a persona from this."
        made_up = "I never open the app on a Tuesday."
        return json.dumps({**good, "name": "The Inventor", "quotes": [{"n": 1, "quote": made_up}],
                           "narrative": [{"text": "They avoid Tuesdays.", "citations": [{"n": 1, "quote": made_up}]}],
                           "sections": {"goals": [{"text": "Avoids Tuesdays.",
                                                   "citations": [{"n": 2, "quote": made_up}]}]}})


@pytest.fixture
def two_kinds(tmp_path, env):
    files = {"a.txt": answers(FAMILY), "b.txt": answers(FAMILY[::-1], tag="Really."),
             "c.txt": answers(BUDGET), "d.txt": answers(BUDGET[::-1], tag="Really.")}
    ingest_and_theme(study(tmp_path, files), env)
    return env


@pytest.mark.parametrize("odd, reason", [("empty", "the drafter found nothing to say"),
                                         ("junk", "the model's reply was not a persona")])
def test_a_segment_the_drafter_has_nothing_for_is_skipped_with_a_reason(two_kinds, odd, reason):
    with LLM(ScriptedModel().script(*[Drafter("student budget", odd)] * 50)) as llm:
        run = build_personas(two_kinds, llm, n=2)
    assert len(run.personas) == 1 and len(run.skipped) == 1
    assert reason in run.skipped[0].reason
    assert any(n.startswith("segment ") and "got no persona: " + reason in n for n in run.notes)
    with Store(two_kinds.db_path) as store:
        segments = load_segments(store)
    assert len(segments) == 2 and sum(1 for s in segments if reason in s.attributes.get("skipped", "")) == 1


def test_when_no_segment_gets_a_persona_personas_fails_with_one_line(two_kinds):
    with pytest.raises(Exception) as info, LLM(ScriptedModel().script(*[Drafter("", "empty")] * 50)) as llm:
        build_personas(two_kinds, llm, n=2)
    assert type(info.value).__name__ == "PersonasError"
    assert one_line(str(info.value)) and "no persona could be drafted" in str(info.value)


def test_a_draft_whose_every_citation_fails_is_kept_flagged_and_noted(two_kinds):
    with LLM(ScriptedModel().script(*[Drafter("student budget", "made-up")] * 50)) as llm:
        run = build_personas(two_kinds, llm, n=2)
    assert len(run.personas) == 2 and not run.skipped
    bad = next(p for p in run.personas if p.name == "The Inventor")
    assert all(c.verdict != Verdict.verified for claim in bad.claims for c in claim.citations)
    assert all(claim.verdict == Verdict.unsupported and claim.flags for claim in bad.claims)
    assert bad.figures["thin"] == "no verified citation"
    number = run.personas.index(bad) + 1
    assert any(n.startswith(f"persona {number} (The Inventor): no citation verified") for n in run.notes)


# Themes: none, one, every chunk unassigned ----------------------------------------------------------------
def test_personas_go_on_when_themes_found_nothing(tmp_path, env):
    folder = study(tmp_path, {"a.txt": transcript(("Participant", FAMILY[0])),
                              "b.txt": transcript(("Participant", BUDGET[0]))})
    ws = ingest_and_theme(folder, env)
    themes = json.loads(invoke("themes", "-w", ws, "--json").stdout)
    assert themes["themes"] == []  # two chunks: nothing to group, every chunk unassigned
    result = invoke("personas", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "note: no themes" in result.stderr and "synth themes" not in result.stderr


def test_personas_without_a_themes_run_still_say_what_to_run(tmp_path, env):
    ws = str(env.workspace)
    assert invoke("ingest", str(study(tmp_path, {"a.txt": answers(FAMILY)})), "-w", ws).exit_code == 0
    result = invoke("personas", "-w", ws)
    assert result.exit_code == 1 and one_line(result.stderr) and "synth themes" in result.stderr


@pytest.mark.parametrize("count", [0, 1])
def test_personas_from_zero_or_one_theme(two_kinds, count):
    from synth.themes import load_themes

    themes = list(load_themes(two_kinds))[:count]
    with LLM(ScriptedModel().script(*[Drafter("no such words", "empty")] * 50)) as llm:
        run = build_personas(two_kinds, llm, themes=themes)
    assert run.personas and not run.skipped
    assert any(n.startswith("no themes") for n in run.notes) == (count == 0)


# synth run goes on past a degenerate part ----------------------------------------------------------------
def test_run_goes_on_past_a_one_line_participant_and_reports_it(tmp_path, env):
    files = {"a.txt": answers(FAMILY), "b.txt": answers(BUDGET),
             "group.txt": transcript(("Dana", NIGHTS[0]), ("Dana", NIGHTS[1]), ("Sam", "Right."))}
    out = tmp_path / "report"
    result = invoke("run", str(study(tmp_path, files)), "-w", str(env.workspace), "--out", str(out), "-n", "3")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["personas"]
    assert any("1 participant with nothing quotable" in n and "Sam in group.txt" in n for n in data["notes"])
    assert "1 participant with nothing quotable" in " ".join(result.stdout.split())
