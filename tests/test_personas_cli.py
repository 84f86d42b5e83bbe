"""`synth personas`, `synth show` and `synth export` through typer's CliRunner on a tiny ingested folder."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from synth.cli import app
from synth.themes import build_themes
from tests.persona_fixtures import ingest_folder

runner = CliRunner()


@pytest.fixture
def workspace(tmp_path, fake_settings, monkeypatch):
    monkeypatch.setenv("SYNTH_EMBEDDER", fake_settings.embedder)
    monkeypatch.delenv("SYNTH_LLM", raising=False)
    ingest_folder(tmp_path, fake_settings)
    build_themes(fake_settings)
    return fake_settings


def _invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_personas_prints_a_summary_table_and_saves(workspace):
    ws = str(workspace.workspace)
    result = _invoke("personas", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "Personas" in result.output and "segmenting" in result.output and "verifying" in result.output
    assert "synth show 1" in result.output
    data = json.loads(_invoke("personas", "-w", ws, "--json").stdout)
    assert len(data) == 2
    for persona in data:
        assert {"id", "name", "summary", "segment_id", "claims", "figures", "provenance"} <= set(persona)
        assert persona["figures"]["citations_verbatim_share"] == 1.0
        assert persona["provenance"]["model_id"] == "offline" and persona["provenance"]["prompt_sha256"]
        assert all(c["verdict"] in ("supported", "unsupported") for c in persona["claims"])


def test_personas_n_forces_the_count(workspace):
    data = json.loads(_invoke("personas", "-w", str(workspace.workspace), "--personas", "3", "--json").stdout)
    assert len(data) == 3


def test_personas_without_a_workspace_says_what_to_run(tmp_path):
    result = runner.invoke(app, ["personas", "-w", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "synth ingest" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "nowhere").exists()


def test_show_numbers_citations_and_lists_sources(workspace):
    ws = str(workspace.workspace)
    _invoke("personas", "-w", ws)
    result = _invoke("show", "1", "--full", "-w", ws)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Sources" in out and "[1✓]" in out and "✓ verified" in out
    assert not re.search(r"\[\d+[✗!?]\]", out)  # the offline drafter quotes verbatim: nothing to flag
    assert "reviews.csv" in out or ".txt" in out

    shown = json.loads(_invoke("show", "1", "-w", ws, "--json").stdout)
    numbers = {s["n"] for s in shown["sources"]}
    assert numbers == set(range(1, len(shown["sources"]) + 1))
    for claim in shown["claims"]:
        for cite in claim["citations"]:
            assert cite["n"] in numbers
    source = shown["sources"][0]
    assert {"n", "verdict", "marker", "quote", "file", "speaker", "location", "span"} <= set(source)
    assert source["marker"] == "✓" and source["file"] and source["speaker"]
    assert source["location"].startswith(("row ", "line "))
    assert shown["segment"]["participant_ids"]

    by_name = _invoke("show", shown["name"][:10].lower(), "-w", ws, "--json")
    assert json.loads(by_name.stdout)["id"] == shown["id"]


def test_show_unknown_persona_lists_the_ones_there_are(workspace):
    ws = str(workspace.workspace)
    _invoke("personas", "-w", ws)
    result = runner.invoke(app, ["show", "nobody", "-w", ws])
    assert result.exit_code == 2
    assert "matches no persona" in result.output and "1. " in result.output


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_export_all_writes_one_file_per_persona(workspace, tmp_path, fmt):
    ws = str(workspace.workspace)
    _invoke("personas", "-w", ws)
    out = tmp_path / "exported"
    result = _invoke("export", "--all", "--format", fmt, "--out", str(out), "--review", "all", "-w", ws)
    assert result.exit_code == 0, result.output
    files = sorted(f for f in out.iterdir() if not f.name.endswith(".card.html"))
    assert len(files) == 2 and all(f.suffix == f".{fmt}" for f in files)
    if fmt == "html":  # each full page has its one-page card beside it
        assert len(list(out.glob("*.card.html"))) == 2
    text = files[0].read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["sources"]
    elif fmt == "md":
        assert text.startswith("# ") and "## Sources" in text
    else:
        assert text.startswith("<!doctype html>") and 'href="#src-1"' in text and 'id="src-1"' in text


def test_export_needs_a_persona_or_all(workspace):
    result = runner.invoke(app, ["export", "-w", str(workspace.workspace)])
    assert result.exit_code == 2 and "--all" in result.output
    bad = runner.invoke(app, ["export", "--all", "--format", "docx", "-w", str(workspace.workspace)])
    assert bad.exit_code == 2 and "md, html, json, card, pdf, csv" in bad.output


def test_export_before_review_is_the_marked_draft_and_after_review_the_approved_claims(workspace, tmp_path):
    from synth.personas.store import load_personas
    from synth.review.decisions import record_decision
    from synth.store import Store

    ws = str(workspace.workspace)
    _invoke("personas", "-w", ws)
    out = tmp_path / "draft"
    result = runner.invoke(app, ["export", "1", "--format", "json", "--out", str(out), "-w", ws])
    assert result.exit_code == 0 and "DRAFT" in result.output and "not reviewed yet" in result.output
    (path,) = out.iterdir()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["claims"] and data["provenance"]["review_state"] == "draft"  # never a silently empty file
    md = runner.invoke(app, ["export", "1", "--format", "md", "--out", str(tmp_path / "md"), "-w", ws])
    assert md.exit_code == 0 and "Draft, not yet reviewed" in next((tmp_path / "md").iterdir()).read_text("utf-8")

    with Store(workspace.db_path) as store:
        persona = load_personas(store)[0]
        keep, drop = persona.claims[0], persona.claims[1]
        record_decision(store, persona.id, keep.id, status="accepted", reviewer="Ana")
        record_decision(store, persona.id, drop.id, status="rejected", reviewer="Ana")
    out = tmp_path / "approved"
    result = runner.invoke(app, ["export", "1", "--format", "json", "--out", str(out), "-w", ws])
    assert result.exit_code == 0 and "DRAFT" not in result.output
    data = json.loads(next(out.iterdir()).read_text(encoding="utf-8"))
    assert [c["id"] for c in data["claims"]] == [keep.id] and data["provenance"]["review_state"] == "reviewed"
    shown = runner.invoke(app, ["show", "1", "--json", "-w", ws])
    ids = [c["id"] for c in json.loads(shown.output)["claims"]]
    assert drop.id not in ids and keep.id in ids  # show leaves rejected claims out
    assert drop.id in [c["id"] for c in json.loads(runner.invoke(app, ["show", "1", "--json", "--rejected", "-w", ws])
                                                   .output)["claims"]]

    with Store(workspace.db_path) as store:
        record_decision(store, persona.id, keep.id, status="rejected")
    empty = runner.invoke(app, ["export", "1", "--format", "md", "--out", str(tmp_path / "e"), "-w", ws])
    assert empty.exit_code == 1 and "EMPTY" in empty.output and "--review all" in empty.output
