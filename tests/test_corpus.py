"""The shipped sample corpus: every file parses, and every chunk's span points at its text."""

from __future__ import annotations

import json

import pytest

from synth.chunking import chunk_document
from synth.discover import discover
from synth.parsers import parse_file
from synth.participants import participants_for
from synth.records import Role
from tests.conftest import CORPUS, ROOT

FILES, ISSUES = discover([CORPUS])


def test_corpus_has_what_the_readme_promises():
    by_ext: dict[str, int] = {}
    for f in FILES:
        by_ext[f.suffix] = by_ext.get(f.suffix, 0) + 1
    assert sum(by_ext.get(e, 0) for e in (".txt", ".vtt", ".srt", ".docx")) >= 12
    assert all(by_ext.get(e) for e in (".txt", ".vtt", ".srt", ".docx", ".csv", ".jsonl"))
    assert [i for i in ISSUES if i.severity == "error"] == []


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_every_chunk_span_matches_its_document(path):
    docs = parse_file(path)
    assert docs
    n_chunks = 0
    for doc in docs:
        for turn in doc.turns:
            assert doc.text[turn.start : turn.end].strip()
        chunks = chunk_document(doc, participants_for(doc)[1])
        for chunk in chunks:
            assert doc.text[chunk.start : chunk.end] == chunk.text
            assert chunk.role != Role.interviewer
        n_chunks += len(chunks)
    assert n_chunks > 0


@pytest.mark.parametrize(
    ("corpus", "truth_file"),
    [(CORPUS, "interviews.json"), (ROOT / "corpora" / "beacon", "beacon/interviews.json")],
    ids=["larder", "beacon"],
)
def test_interview_truth_matches_detected_roles(corpus, truth_file):
    truth = json.loads((ROOT / "evals" / "truth" / truth_file).read_text())
    expected = [(p, Role.participant) for p in truth["participants"]]
    expected += [(p, Role.interviewer) for p in truth["interviewers"]]
    expected += [(p, Role.other) for p in truth.get("observers", [])]
    for person, role in expected:
        docs = parse_file(corpus / person["file"])
        roles = {t.speaker: t.role for d in docs for t in d.turns}
        assert roles.get(person["speaker"]) == role, person


def test_review_and_social_truth_covers_every_row():
    truth = json.loads((ROOT / "evals" / "truth" / "reviews_social.json").read_text())
    reviews = parse_file(CORPUS / "reviews" / "app_reviews.csv")
    posts = parse_file(CORPUS / "social" / "posts.jsonl")
    assert len(reviews) >= 300 and len(posts) >= 300
    assert {d.metadata["id"] for d in reviews} <= {r["id"] for r in truth["reviews"]}
    assert {d.metadata["id"] for d in posts} <= {r["id"] for r in truth["social"]}
    assert {d.kind.value for d in reviews} == {"review"} and {d.kind.value for d in posts} == {"social"}
