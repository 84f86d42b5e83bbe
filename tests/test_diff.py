"""Run history and `synth diff`: versions recorded in a real SQLite workspace, compared, printed, as JSON and HTML."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.config import load_settings
from synth.diff import diff_versions
from synth.history import ThemeSnapshot, Version, default_pair, list_versions, load_version, record_version
from synth.records import Citation, Claim, Persona, Prevalence, Segment, Verdict
from synth.store import Store

runner = CliRunner()


def _claim(text: str, n: int, of: int, cites: tuple[str, ...], section: str = "frustrations") -> Claim:
    return Claim(section=section, text=text, support_count=n, verdict=Verdict.supported,
                 prevalence=Prevalence(of=of, participant_ids=[f"p{i}" for i in range(n)]),
                 citations=[Citation(chunk_id=c, quote=f"words of {c}", participant_id=f"p-{c}",
                                     verdict=Verdict.verified) for c in cites])


def _versions() -> tuple[Version, Version]:
    seg_a, seg_b = Segment(id="sa", participant_ids=["p1", "p2", "p3"]), Segment(id="sb", participant_ids=["p7"])
    seg_a2, seg_c = Segment(id="sa2", participant_ids=["p1", "p2", "p3", "p4"]), Segment(id="sc", participant_ids=["p9"])
    maya = Persona(id="persona_a", name="Maya", summary="s", segment_id="sa", claims=[
        _claim("9 of 14 say the list never syncs.", 9, 14, ("c1",)),
        _claim("They cook on Sundays.", 3, 14, ("c2",), "behaviours"),
        _claim("Plus is too dear.", 2, 14, ("c3",), "needs")])
    maya2 = maya.model_copy(update={"segment_id": "sa2", "claims": [
        _claim("10 of 15 say the list never syncs.", 10, 15, ("c1", "c8")),
        _claim("Plus is too dear.", 2, 14, ("c3",), "needs"),
        _claim("They shop on Mondays.", 4, 15, ("c9",), "behaviours")]})
    theo = Persona(id="persona_b", name="Theo", summary="s", segment_id="sb", claims=[_claim("Budget.", 1, 1, ("c5",))])
    new = Persona(id="persona_c", name="Ravi", summary="s", segment_id="sc", claims=[_claim("New.", 1, 1, ("c6",))])
    themes = [ThemeSnapshot(id="t1", label="Sync", chunks=10, participants=4),
              ThemeSnapshot(id="t2", label="Price", chunks=8, participants=3),
              ThemeSnapshot(id="t3", label="Gone", chunks=5, participants=2)]
    later = [ThemeSnapshot(id="t1", label="Sync", chunks=14, participants=5),
             ThemeSnapshot(id="t2", label="Price", chunks=6, participants=3),
             ThemeSnapshot(id="t4", label="Onboarding", chunks=7, participants=3)]
    return (Version(stage="personas", themes=themes, personas=[maya, theo], segments=[seg_a, seg_b]),
            Version(stage="personas", themes=later, personas=[maya2, new], segments=[seg_a2, seg_c]))


def test_diff_names_every_kind_of_change():
    old, new = _versions()
    d = diff_versions(old, new)
    assert {t.id: t.change for t in d.themes} == {"t1": "grown", "t2": "shrunk", "t4": "new", "t3": "retired"}
    people = {p.id: p for p in d.personas}
    assert {k: p.change for k, p in people.items()} == {"persona_a": "continued", "persona_c": "new",
                                                        "persona_b": "retired"}
    maya = people["persona_a"]
    assert [(s.old, s.new) for s in maya.shifts] == [("9 of 14", "10 of 15")]  # same claim, moved count
    assert maya.claims_new == ["They shop on Mondays."] and maya.claims_dropped == ["They cook on Sundays."]
    assert maya.participants_added == ["p4"] and not maya.participants_left
    assert {q.quote for q in maya.quotes_new} == {"words of c8", "words of c9"}
    assert "1 retired" in d.summary() and "1 prevalence shift" in d.summary()


@pytest.fixture
def workspace(tmp_path):
    settings = load_settings(tmp_path / ".synth")
    old, new = _versions()
    with Store(settings.db_path) as store:
        from synth.history import ensure

        ensure(store)
        with store.transaction() as db:
            record_version(db, Version(stage="themes", themes=old.themes))
            record_version(db, old)
            record_version(db, new.model_copy(update={"stage": "themes", "personas": old.personas,
                                                      "segments": old.segments}))
            record_version(db, new)
    return settings


def test_history_and_default_pair_compare_the_last_two_runs_of_a_stage(workspace):
    with Store(workspace.db_path) as store:
        assert [v.stage for v in list_versions(store)] == ["themes", "personas", "themes", "personas"]
        assert default_pair(store) == (2, 4)
        assert load_version(store, 4).personas[0].id == "persona_a"


def test_diff_cli_terminal_json_and_html(workspace, tmp_path):
    ws = str(workspace.workspace)
    out = runner.invoke(app, ["diff", "-w", ws])
    assert out.exit_code == 0, out.output
    assert "run 2 → 4" in out.output and "9 of 14 → 10 of 15" in out.output and "Ravi" in out.output
    data = json.loads(runner.invoke(app, ["diff", "--json", "-w", ws]).output)
    assert data["old"] == 2 and data["new"] == 4 and data["summary"].startswith("run 2 → 4")
    page = tmp_path / "d.html"
    assert runner.invoke(app, ["diff", "2", "4", "--html", str(page), "-w", ws]).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "Prevalence shifts" in text and "10 of 15" in text and "Onboarding" in text
    missing = runner.invoke(app, ["diff", "1", "99", "-w", ws])
    assert missing.exit_code == 2 and "no version 99" in missing.output
    hist = json.loads(runner.invoke(app, ["history", "--json", "-w", ws]).output)
    assert [v["number"] for v in hist] == [1, 2, 3, 4]


def test_diff_with_fewer_than_two_runs_says_what_to_do(tmp_path):
    settings = load_settings(tmp_path / ".synth")
    with Store(settings.db_path):
        pass
    out = runner.invoke(app, ["diff", "-w", str(settings.workspace)])
    assert out.exit_code == 1 and "synth run" in out.output


def test_the_run_report_links_the_diff_page(workspace, tmp_path):
    from synth.export_html import render_report
    from synth.run import _index_markdown, _write_diff

    with Store(workspace.db_path) as store:
        changes = _write_diff(store, tmp_path)
    assert changes["file"] == "diff.html" and (tmp_path / "diff.html").read_text("utf-8").count("Ravi") >= 1
    data = {"corpus": {"totals": {"documents": 1, "participants": 1, "evidence_chunks": 1}, "files_failed": []},
            "llm": "offline", "embedder": "e", "created_at": "now", "personas": [], "themes": [], "seconds": {},
            "diff": changes}
    assert 'href="diff.html"' in render_report(data) and "(diff.html)" in _index_markdown(data)
