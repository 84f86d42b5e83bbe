"""The second sample corpus (Beacon, B2B product analytics): every file parses, and its truth fits it.

Speaker roles are not asserted here: which labels are interviewers is the speaker detector's job, and
some Beacon layouts (Q/A, "Me"/"Them", "Interviewer 1") exist to test it.
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from synth.parsers import parse_file
from tests.conftest import ROOT

CORPUS = ROOT / "corpora" / "beacon"
TRUTH = ROOT / "evals" / "truth" / "beacon"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and not p.name.startswith("."))
INTERVIEWS = [p for p in FILES if p.parent.name == "interviews"]


def _truth(name: str) -> dict:
    return json.loads((TRUTH / name).read_text(encoding="utf-8"))


def _label_key(label: str) -> str:
    """`Interviewer 01` and `interviewer1`, `ARJUN` and `Arjun` compare equal."""
    key = re.sub(r"\s+", "", label.casefold())
    return re.sub(r"\d+", lambda m: str(int(m.group(0))), key)


def _labels(path: Path) -> set[str]:
    return {_label_key(t.speaker) for d in parse_file(path) for t in d.turns}


def test_corpus_has_the_promised_files():
    assert len(INTERVIEWS) >= 11
    suffixes = {p.suffix for p in INTERVIEWS}
    assert {".txt", ".md", ".vtt", ".srt", ".docx"} <= suffixes
    assert (CORPUS / "tickets" / "support_tickets.csv").is_file()
    assert (CORPUS / "reviews" / "g2_reviews.csv").is_file()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_file_parses_and_every_turn_points_at_text(path):
    docs = parse_file(path)
    assert docs
    for doc in docs:
        assert doc.turns
        for turn in doc.turns:
            assert doc.text[turn.start : turn.end].strip(), (path.name, turn)


def test_every_interview_file_has_truth_and_every_truth_file_exists():
    truth = _truth("interviews.json")
    named = {p["file"] for p in truth["participants"]} | {p["file"] for p in truth["interviewers"]}
    assert named == {str(p.relative_to(CORPUS)) for p in INTERVIEWS}
    assert len(truth["participants"]) >= 13


@pytest.mark.parametrize("role", ["participants", "interviewers"])
def test_truth_speakers_are_speaker_labels_in_their_files(role):
    missing = []
    for person in _truth("interviews.json")[role]:
        if _label_key(person["speaker"]) not in _labels(CORPUS / person["file"]):
            missing.append((person["file"], person["speaker"]))
    assert missing == []


def test_truth_uses_only_taxonomy_ids():
    taxonomy = _truth("taxonomy.json")
    segments = {s["id"] for s in taxonomy["segments"]}
    themes = {t["id"] for t in taxonomy["themes"]}
    people = _truth("interviews.json")["participants"]
    rows = _truth("tickets_reviews.json")
    assert {p["segment"] for p in people} == segments
    assert {t for p in people for t in p["themes"]} <= themes
    for kind in ("tickets", "reviews"):
        assert {r["segment"] for r in rows[kind]} == segments
        assert {r["theme"] for r in rows[kind]} <= themes
    assert set(rows["authors"].values()) <= segments
    assert all(rows["authors"][alias] == rows["authors"][name] for alias, name in rows["aliases"].items())


@pytest.mark.parametrize(
    ("kind", "rel"), [("tickets", "tickets/support_tickets.csv"), ("reviews", "reviews/g2_reviews.csv")]
)
def test_every_row_has_truth(kind, rel):
    rows = _truth("tickets_reviews.json")[kind]
    docs = parse_file(CORPUS / rel)
    assert len(docs) == len(rows) >= 190
    assert [str(d.metadata["id"]) for d in docs] == [r["id"] for r in rows]


def test_generator_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_beacon_exports", ROOT / "corpora" / "make_beacon_exports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--root", str(tmp_path)])
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert len(written) == 3
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (ROOT / rel).read_bytes(), rel
