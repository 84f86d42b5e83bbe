"""`synth run FOLDER`: ingest, themes, personas and a report folder, end to end on a tiny folder."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from synth.cli import app
from synth.personas import load_personas, load_segments
from synth.records import Verdict
from synth.store import Store
from synth.verify import verify_citation
from tests.persona_fixtures import research_folder

runner = CliRunner()


def test_run_writes_a_report_folder_and_says_where(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setenv("SYNTH_EMBEDDER", fake_settings.embedder)
    monkeypatch.delenv("SYNTH_LLM", raising=False)
    folder = research_folder(tmp_path)
    out = tmp_path / "report"
    ws = str(fake_settings.workspace)
    result = runner.invoke(app, ["run", str(folder), "-w", ws, "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for step in ("1/5 ingest", "2/5 themes", "3/5 personas", "4/5 eval", "5/5 report"):
        assert step in result.output
    assert f"report: {out / 'index.html'}" in " ".join(result.output.split())

    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["llm"] == "offline" and data["embedder"] == "fake-hash:64"
    assert data["corpus"]["totals"]["documents"] == 15 and data["themes"]
    assert set(data["seconds"]) == {"ingest", "themes", "personas", "eval"}
    # The evaluation re-verified every persona and is linked from the report.
    evaluation = json.loads((out / "eval.json").read_text(encoding="utf-8"))
    assert data["eval"]["passed"] == evaluation["passed"] and evaluation["personas"]
    assert all(p["verified_display_fidelity"] in (None, 1.0) for p in evaluation["personas"])
    assert "<svg" in (out / "eval.html").read_text(encoding="utf-8")
    assert 'href="eval.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert len(data["personas"]) >= 2
    for entry in data["personas"]:
        assert {"claims_supported_share", "citations_verbatim_share", "participants_covered", "themes_covered",
                "overlap_with_others"} <= set(entry["figures"])
        html = (out / entry["files"]["html"]).read_text(encoding="utf-8")
        assert html.startswith("<!doctype html>") and "<script" not in html.lower()
        assert (out / entry["files"]["md"]).is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p["files"]["html"]}"' in index for p in data["personas"])
    assert "<script" not in index.lower() and not re.search(r'(src|href)="https?://', index)
    md = (out / "index.md").read_text(encoding="utf-8")
    assert md.startswith("# synth report") and data["personas"][0]["name"] in md

    # Everything shown as verified in the stored personas re-verifies against the sources.
    with Store(fake_settings.db_path) as store:
        personas = load_personas(store)
        segments = {s.id: s for s in load_segments(store)}
        chunks = {c.id: c for c in store.chunks()}
    for p in personas:
        members = segments[p.segment_id].participant_ids
        for claim in p.claims:
            for cite in claim.citations:
                if cite.verdict == Verdict.verified:
                    assert verify_citation(cite, chunks, members).verdict == Verdict.verified

    # A re-run on the unchanged folder embeds nothing and gives the same personas.
    again = runner.invoke(app, ["run", str(folder), "-w", ws, "--out", str(out), "--json"], catch_exceptions=False)
    assert again.exit_code == 0
    rerun = json.loads(again.stdout)
    assert [p["id"] for p in rerun["personas"]] == [p["id"] for p in data["personas"]]
    assert [p["figures"] for p in rerun["personas"]] == [p["figures"] for p in data["personas"]]


def test_run_on_an_empty_folder_fails_with_one_line(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setenv("SYNTH_EMBEDDER", fake_settings.embedder)
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["run", str(empty), "-w", str(fake_settings.workspace), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "error:" in result.output and "nothing to read" in result.output
    assert not (tmp_path / "r").exists()


def test_run_with_forced_persona_count(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setenv("SYNTH_EMBEDDER", fake_settings.embedder)
    folder = research_folder(tmp_path)
    out = tmp_path / "report"
    result = runner.invoke(app, ["run", str(folder), "-w", str(fake_settings.workspace), "--out", str(out),
                                 "--personas", "3", "--json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["personas"]) == 3

