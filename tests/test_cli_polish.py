"""The CLI fits a screen and speaks one language: help without Python types, one meaning per short flag,
persona lookup by any words of the name with "did you mean", one exit-code convention."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from synth.cli import app
from synth.personas.store import NoPersonasYet, PersonaNotFound, find_persona, save_personas
from synth.records import Persona, Segment
from synth.store import Store

runner = CliRunner()


def _commands(command, path: tuple[str, ...] = ()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


ROOT = typer.main.get_command(app)
ALL = list(_commands(ROOT))


@pytest.mark.parametrize("path", [p for p, _ in ALL], ids=lambda p: " ".join(p) or "synth")
def test_help_shows_plain_placeholders_never_python_types(path):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert not re.search(r"<(str|int|bool|float|path|list\[[^\]]*\]|int range|float range)>", text), text
    assert "Show this message and exit." in text
    short = runner.invoke(app, [*path, "-h"], env={"COLUMNS": "120"})
    assert short.exit_code == 0 and short.output == text  # -h is --help everywhere


def test_a_short_flag_means_one_thing_across_commands():
    meaning: dict[str, set[str]] = {}
    for _, command in ALL:
        for param in getattr(command, "params", []):
            if param.param_type_name != "option":  # typer vendors its own click: no isinstance
                continue
            longs = [o for o in param.opts if o.startswith("--")]
            for o in param.opts:
                if re.fullmatch(r"-[A-Za-z]", o) and longs:
                    meaning.setdefault(o, set()).add(longs[0])
    # --out and --output both name the file or folder to write: one meaning, two spellings.
    mixed = {flag: longs for flag, longs in meaning.items() if len(longs) > 1 and not longs <= {"--out", "--output"}}
    assert not mixed, mixed
    assert meaning["-k"] == {"--top"} and meaning["-n"] <= {"--personas"} and meaning["-w"] == {"--workspace"}


@pytest.fixture
def store(tmp_path):
    names = ["Hamid, the free student", "Kenji, the plan parent", "Zanele, the protein personal trainer",
             "The Budget Student"]
    with Store(tmp_path / "synth.db") as s:
        save_personas(s, [Segment(id="seg", participant_ids=["a"])],
                      [Persona(id=f"persona_{i}", name=n, summary="", segment_id="seg") for i, n in enumerate(names)])
        yield s


@pytest.mark.parametrize("key, expected", [
    ("free", "Hamid, the free student"), ("FREE STU", "Hamid, the free student"), ("hamid", "Hamid, the free student"),
    ("the free student", "Hamid, the free student"), ("3", "Zanele, the protein personal trainer"),
    ("personal", "Zanele, the protein personal trainer"), ("budget", "The Budget Student"),
    ("persona_1", "Kenji, the plan parent"), ("plan", "Kenji, the plan parent"),
])
def test_persona_lookup_by_any_word_of_the_name_ignoring_case_and_articles(store, key, expected):
    assert find_persona(store, key).name == expected


def test_persona_lookup_says_did_you_mean_and_lists_several(store):
    with pytest.raises(PersonaNotFound, match=r"did you mean 2\. Kenji, the plan parent\?") as miss:
        find_persona(store, "kenjy")
    assert miss.value.exit_code == 2 and "'kenjy' matches no persona" in str(miss.value)
    with pytest.raises(PersonaNotFound, match="matches several personas: 1. Hamid, the free student; 4. The Budget"):
        find_persona(store, "student")
    with pytest.raises(PersonaNotFound) as nothing:
        find_persona(store, "zzz")
    assert "did you mean" not in str(nothing.value)


def test_no_personas_yet_is_failed_work_not_usage(tmp_path):
    with Store(tmp_path / "synth.db") as s, pytest.raises(NoPersonasYet) as exc:
        find_persona(s, "1")
    assert exc.value.exit_code == 1


def test_show_export_chat_and_eval_exit_2_for_a_persona_that_matches_nothing(tmp_path, store):
    ws = str(tmp_path)
    for args in (["show", "kenjy"], ["export", "kenjy"], ["eval", "kenjy"], ["chat", "kenjy", "--ask", "hi"]):
        result = runner.invoke(app, [*args, "-w", ws])
        assert result.exit_code == 2, (args, result.output)
        assert "did you mean 2. Kenji, the plan parent?" in " ".join(result.output.split())


def test_missing_paths_are_missing_input(tmp_path):
    for args in (["ingest", str(tmp_path / "nope")], ["run", str(tmp_path / "nope")]):
        result = runner.invoke(app, [*args, "-w", str(tmp_path / "ws")])
        assert result.exit_code == 2 and "no such" in result.output, (args, result.output)


def test_help_prose_reflows_to_an_80_column_terminal_and_lists_keep_their_lines():
    from synth.cli_common import reflow

    text = "Review personas in the browser: read each\nclaim with its sources.\n\nExample: synth review\n\n" \
           "- one item\n- two items"
    assert reflow(text) == "Review personas in the browser: read each claim with its sources.\n\n" \
        "Example: synth review\n\n- one item\n- two items"
    result = CliRunner().invoke(app, ["review", "--help"], env={"COLUMNS": "80", "TERM": "dumb"})
    lines = [line.strip() for line in result.output.splitlines()]
    prose = [line for line in lines if line and not line.startswith(("\u2502", "\u256d", "\u2570", "Usage"))]
    assert prose and sum(len(line.split()) <= 2 for line in prose) <= 1, prose  # no word orphaned on its own line
