"""The speaker-role corpus (evals/speakers) is well-formed: files exist, truth matches their words.

Deliberately independent of synth's own speaker detection: this checks the gold data only.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from pypdf import PdfReader

HERE = Path(__file__).resolve().parent.parent / "evals" / "speakers"
CORPUS = HERE / "corpus"
TRUTH = json.loads((HERE / "truth.json").read_text(encoding="utf-8"))["files"]
ROLES = {"interviewer", "participant", "other"}
KINDS = {"speech", "note", "prompt", "timestamp", "header", "footer"}


def _render_module():
    name = "speaker_corpus_render"
    if name not in sys.modules:  # dataclasses need their module registered while they are built
        spec = importlib.util.spec_from_file_location(name, HERE / "render.py")
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def extract_text(path: Path) -> str:
    """The text a reader of the file sees, in document order."""
    if path.suffix == ".docx":
        parts = []
        for block in Document(str(path)).iter_inner_content():
            if isinstance(block, Table):
                parts += [cell.text for row in block.rows for cell in row.cells]
            else:
                parts.append(block.text)
        return "\n".join(parts)
    if path.suffix == ".pdf":
        return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    return path.read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def speakers_by_role(entry: dict, role: str) -> set[str]:
    return {i["speaker"] for i in entry["items"] if i["role"] == role and i["kind"] == "speech"}


def test_corpus_size_and_coverage():
    assert len(TRUTH) >= 34
    assert len({e["layout"] for e in TRUTH.values()}) >= 14
    assert {e["format"] for e in TRUTH.values()} >= {"txt", "md", "docx", "pdf", "vtt", "srt"}
    assert len({e["conversation"] for e in TRUTH.values()}) >= 14
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(TRUTH), "corpus/ and truth.json list different files"
    assert sum(len(speakers_by_role(e, "interviewer")) >= 2 for e in TRUTH.values()) >= 5
    assert sum(len(speakers_by_role(e, "participant")) >= 2 for e in TRUTH.values()) >= 3
    assert sum(bool(speakers_by_role(e, "other")) for e in TRUTH.values()) >= 5
    for entry in TRUTH.values():
        assert not re.search(r"meal|grocer", entry["domain"], re.I)


def test_the_hard_cases_are_there():
    labels = Counter(i["label"] for e in TRUTH.values() for i in e["items"] if i["kind"] == "speech")
    assert labels["Particpant"] and labels["Partcipant"]
    auto = TRUTH["remote-work.auto_multi_interviewer.txt"]["speakers"]
    assert {"Interviewer", "Interviewer1", "Interviewer 1", "interviewer"} <= set(auto["ana"]["labels"])
    assert auto["felix"]["labels"] == ["Interviewer 2"]
    system = [i for e in TRUTH.values() for i in e["items"] if "PWNED" in i["text"]]
    assert system and all(i["role"] == "other" and i["label"] == "SYSTEM" for i in system)
    think = TRUTH["transit-thinkaloud.moderator_only.txt"]["items"]
    assert any(i["label"] is None and i["role"] == "participant" for i in think)
    assert {i["kind"] for i in think} >= {"speech", "note", "prompt"}
    dash = TRUTH["transit-thinkaloud.srt_dash.srt"]["items"]
    assert any(i["label"] is None and i["kind"] == "speech" for i in dash)
    everything = " ".join(i["text"] for e in TRUTH.values() for i in e["items"])
    for mask in ("XXXX", "[REDACTED]", "<NAME>", "[inaudible]", "[crosstalk]", "(laughs)"):
        assert mask in everything
    kinds = Counter(i["kind"] for e in TRUTH.values() for i in e["items"])
    assert all(kinds[k] for k in KINDS)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_file_matches_its_truth(name):
    entry = TRUTH[name]
    path = CORPUS / name
    assert path.suffix == "." + entry["format"]
    text = extract_text(path)
    items = entry["items"]
    assert any(i["role"] == "participant" and words(i["text"]) for i in items)
    for item in items:
        assert set(item) == {"label", "speaker", "role", "text", "kind"}
        assert item["role"] in ROLES and item["kind"] in KINDS and item["text"].strip()
        if item["kind"] == "speech":
            who = entry["speakers"][item["speaker"]]
            assert who["role"] == item["role"]
            assert item["label"] is None or item["label"] in who["labels"]
            assert item["label"] is None or item["label"] in text
        else:
            assert item["role"] == "other" and item["speaker"] is None and item["label"] is None
    # every item's words, in order, as a subsequence of the file's words
    file_words, at = words(text), 0
    for item in items:
        for w in words(item["text"]):
            try:
                at = file_words.index(w, at) + 1
            except ValueError:
                pytest.fail(f"{name}: {item['text'][:60]!r} is not in the file in this order")


def test_truth_and_text_files_are_what_render_writes():
    files, truth = _render_module().build({"txt", "md", "vtt", "srt"})
    assert (HERE / "truth.json").read_text(encoding="utf-8") == truth, "run python evals/speakers/render.py"
    for name, data in files.items():
        if data is not None:
            assert (CORPUS / name).read_bytes() == data, f"{name} is stale: run python evals/speakers/render.py"


def test_conversations_are_long_enough():
    conversations = _render_module().load_conversations()
    assert len(conversations) >= 14
    for conv in conversations.values():
        assert 25 <= len(conv.turns()) <= 70, conv.id
