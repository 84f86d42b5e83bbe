"""Ingest on small folders with the fake embedder and a real chromadb + SQLite workspace."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from synth.ingest import ingest
from synth.store import Store
from synth.vectors import VectorStore

TRANSCRIPT = """Priya: Thanks for joining. How do you plan dinners during the week?
Dana: Um, so Sunday night I sit down with the app and plan five dinners. Then the list goes to my husband.
Priya: And how does that go?
Dana: Honestly the shared list is the worst part. He adds milk, I add milk, we end up with three cartons.
Priya: What would make it better?
Dana: If it just synced properly. And if the kids liked anything besides pasta, ha.
"""

REVIEWS = """review_id,author,rating,date,review
r1,Sam K,2,2026-01-03,"The free tier only lets me keep 50 recipes, and Plus is way too expensive for a student."
r2,Lee,5,2026-01-05,"Love the pantry tracker, I waste way less food now."
r3,,3,2026-01-09,"Import from my favourite blog fails half the time, it grabs the ads instead of the ingredients."
"""


def _folder(tmp_path: Path) -> Path:
    data = tmp_path / "research"
    (data / "interviews").mkdir(parents=True)
    (data / "interviews" / "dana.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (data / "reviews.csv").write_text(REVIEWS, encoding="utf-8")
    return data


def _counts(settings):
    with Store(settings.db_path) as store:
        n_chunks = len(store.chunk_ids())
        n_docs = len(store.document_ids())
    vectors = VectorStore(settings.embedder, path=settings.chroma_path)
    return n_docs, n_chunks, vectors.count()


def _assert_spans(settings):
    with Store(settings.db_path) as store:
        for chunk in store.chunks():
            doc = store.document(chunk.document_id)
            assert doc.text[chunk.start : chunk.end] == chunk.text


def test_ingest_stores_documents_chunks_and_vectors(tmp_path, fake_settings):
    report = ingest([_folder(tmp_path)], fake_settings)
    assert report.files_ingested == 2 and not report.failed and report.exit_code == 0
    n_docs, n_chunks, n_vectors = _counts(fake_settings)
    assert n_docs == 4  # one transcript, three reviews
    assert n_chunks == n_vectors == report.chunks
    _assert_spans(fake_settings)
    with Store(fake_settings.db_path) as store:
        speakers = {c.speaker for c in store.chunks()}
        labels = {p.label for p in store.participants()}
    assert "Priya" not in speakers  # the interviewer is context, never evidence
    assert {"Dana", "Sam K", "Lee"} <= labels
    assert any(label.startswith("anonymous") for label in labels)


def test_reingest_unchanged_embeds_nothing_and_touch_is_not_a_change(tmp_path, fake_settings, fake_embedder):
    data = _folder(tmp_path)
    ingest([data], fake_settings)
    before = fake_embedder.embedded
    again = ingest([data], fake_settings)
    assert again.files_unchanged == 2 and again.files_ingested == 0
    assert fake_embedder.embedded == before
    # New mtime, same bytes: the hash says unchanged, nothing re-parsed or embedded.
    os.utime(data / "reviews.csv", (1, 1))
    touched = ingest([data], fake_settings)
    assert touched.files_unchanged == 2 and fake_embedder.embedded == before


def test_changed_file_replaces_its_old_chunks(tmp_path, fake_settings, fake_embedder):
    data = _folder(tmp_path)
    ingest([data], fake_settings)
    before = fake_embedder.embedded
    (data / "reviews.csv").write_text(REVIEWS.replace("way less food", "so much less food"), encoding="utf-8")
    report = ingest([data], fake_settings)
    assert report.files_ingested == 1 and report.files_unchanged == 1
    assert fake_embedder.embedded - before == 1  # only the edited review is embedded again
    with Store(fake_settings.db_path) as store:
        texts = [c.text for c in store.chunks()]
    assert any("so much less food" in t for t in texts)
    assert not any("way less food" in t for t in texts)
    n_docs, n_chunks, n_vectors = _counts(fake_settings)
    assert n_docs == 4 and n_chunks == n_vectors


def test_prune_drops_documents_whose_files_are_gone(tmp_path, fake_settings):
    data = _folder(tmp_path)
    ingest([data], fake_settings)
    (data / "reviews.csv").unlink()
    kept = ingest([data], fake_settings)
    assert kept.files_pruned == 0 and _counts(fake_settings)[0] == 4  # without --prune nothing is dropped
    pruned = ingest([data], fake_settings, prune=True)
    assert pruned.files_pruned == 1
    n_docs, n_chunks, n_vectors = _counts(fake_settings)
    assert n_docs == 1 and n_chunks == n_vectors


def test_interrupted_run_then_rerun_leaves_no_duplicates(tmp_path, fake_settings, monkeypatch, fake_embedder):
    data = _folder(tmp_path)
    for i in range(6):
        (data / f"extra{i}.csv").write_text(REVIEWS.replace("r1", f"x{i}").replace("Sam K", f"Sam {i}"), encoding="utf-8")
    original = Store.replace_file
    calls = {"n": 0}

    def flaky(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the run
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "replace_file", flaky)
    with pytest.raises(KeyboardInterrupt):
        ingest([data], fake_settings)
    monkeypatch.setattr(Store, "replace_file", original)
    embedded_before = fake_embedder.embedded
    report = ingest([data], fake_settings)
    assert not report.failed
    # Vectors upserted before the interruption are reused, not embedded again.
    assert fake_embedder.embedded == embedded_before
    n_docs, n_chunks, n_vectors = _counts(fake_settings)
    clean = fake_settings.model_copy(update={"workspace": tmp_path / "clean"})
    ingest([data], clean)
    assert (n_docs, n_chunks, n_vectors) == _counts(clean)
    _assert_spans(fake_settings)


def test_failure_inside_a_file_transaction_leaves_no_partial_records(tmp_path, fake_settings, monkeypatch):
    data = _folder(tmp_path)
    ingest([data], fake_settings)
    (data / "reviews.csv").write_text(REVIEWS + 'r4,Kim,4,2026-02-01,"New review about leftovers."\n', encoding="utf-8")
    before = _counts(fake_settings)

    def boom(self, *args, **kwargs):
        with self.transaction() as db:
            db.execute("DELETE FROM chunks")  # half the work done ...
            raise RuntimeError("disk full")  # ... then a crash

    monkeypatch.setattr(Store, "replace_file", boom)
    with pytest.raises(RuntimeError):
        ingest([data], fake_settings)
    assert _counts(fake_settings)[:2] == before[:2]  # old records intact, nothing half-written


def test_bad_inputs_are_reported_and_the_rest_is_ingested(tmp_path, fake_settings):
    data = _folder(tmp_path)
    (data / "empty.txt").write_text("")
    (data / "binary.txt").write_bytes(os.urandom(2048) + b"\x00" * 64)
    (data / "broken.docx").write_bytes(b"PK\x03\x04 truncated")
    (data / "scan.pdf").write_bytes(b"%PDF-1.4 garbage")
    (data / "notext.csv").write_text("id,stars\n1,5\n2,4\n")
    (data / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    loop = data / "loop"
    loop.mkdir()
    (loop / "back").symlink_to(data, target_is_directory=True)
    report = ingest([data, tmp_path / "missing-folder"], fake_settings)
    assert report.files_ingested == 2 and report.exit_code == 0
    errors = {Path(i.path).name: i for i in report.failed}
    assert {"empty.txt", "binary.txt", "broken.docx", "scan.pdf", "notext.csv", "missing-folder"} <= set(errors)
    assert "--text-column" in errors["notext.csv"].fix
    assert all(i.reason for i in report.issues)
    skipped = {Path(i.path).name for i in report.issues if i.severity == "skipped"}
    assert "photo.jpg" in skipped
    assert any("loop" in i.reason for i in report.issues)


def test_nothing_ingestible_exits_1(tmp_path, fake_settings):
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "empty.csv").write_text("")
    assert ingest([tmp_path / "only"], fake_settings).exit_code == 1


def test_thousands_of_files(tmp_path, fake_settings):
    data = tmp_path / "many"
    data.mkdir()
    for i in range(2000):
        (data / f"note_{i:04d}.txt").write_text(f"Mia: I bought {i} lemons.\nTom: Why {i}?\nMia: For lemonade.\n")
    report = ingest([data], fake_settings)
    assert report.files_ingested == 2000 and not report.failed
    assert ingest([data], fake_settings).files_unchanged == 2000


def test_corrupt_zip_docx_is_a_parse_error_not_a_crash(tmp_path, fake_settings):
    data = tmp_path / "d"
    data.mkdir()
    with zipfile.ZipFile(data / "fake.docx", "w") as z:
        z.writestr("hello.txt", "not a word document")
    report = ingest([data], fake_settings)
    assert report.exit_code == 1 and len(report.failed) == 1
