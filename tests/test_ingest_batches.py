"""Big review exports are stored in batches: durable per batch, resumable after Ctrl-C, never half a file.

Real SQLite and chromadb, the deterministic fake embedder, and small batches (a few dozen rows) so that
a file of a few hundred rows already spans many of them.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

import pytest

from synth.cli_views import IngestLog
from synth.ingest import ingest
from synth.parsers import ParseOptions, parse_file
from synth.records import Kind
from synth.store import Store
from synth.vectors import VectorStore

ROWS = 400
BATCH = 40  # ten batches


def write_reviews(path: Path, rows: int = ROWS, seed: int = 7, edit: dict[int, str] | None = None) -> Path:
    """A review export with repeat authors, an empty review now and then, and quoted commas and newlines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    words = "sync list price plan dinner app pantry recipe import slow crash love hate week kids".split()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["review_id", "author", "rating", "date", "review"])
        for r in range(1, rows + 1):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(4, 12))).capitalize() + "."
            if r % 10 == 3:
                text += '\nSecond line, with "quotes".'
            if r % 53 == 0:
                text = ""  # skipped with a warning
            text = (edit or {}).get(r, text)
            w.writerow([f"r{r}", f"user{rng.randrange(60)}", rng.randint(1, 5), "2026-02-01", text])
    return path


def snapshot(settings) -> dict:
    """Everything ingest stores for a workspace, in a comparable form."""
    with Store(settings.db_path) as store:
        db = store.db
        tables = {
            name: sorted(db.execute(f"SELECT {cols} FROM {name}"))
            for name, cols in {
                "documents": "*", "chunks": "*", "participants": "*", "file_documents": "*",
                "files": "path, size, sha256, format, kind", "file_progress": "path",
            }.items()
        }
    vectors = VectorStore(settings.embedder, path=settings.chroma_path)
    tables["vectors"] = sorted(vectors.all_ids())
    return tables


def other_workspace(settings, tmp_path: Path, name: str):
    return settings.model_copy(update={"workspace": tmp_path / name})


def interrupt_after(embedder, monkeypatch, calls: int) -> None:
    """Make the embedder raise KeyboardInterrupt (Ctrl-C) on its call number `calls` + 1."""
    real = embedder.embed
    seen = {"n": 0}

    def flaky(texts):
        seen["n"] += 1
        if seen["n"] > calls:
            raise KeyboardInterrupt
        return real(texts)

    monkeypatch.setattr(embedder, "embed", flaky)


def test_export_is_stored_in_batches_with_the_same_records_as_one_transaction(tmp_path, fake_settings):
    data = write_reviews(tmp_path / "data" / "reviews.csv")
    report = ingest([data], fake_settings, batch_rows=BATCH)
    assert report.files_ingested == 1 and not report.failed
    assert report.batches == ROWS // BATCH + 1  # ten full batches, then the (empty) last one that completes the file
    expected = parse_file(data)
    assert report.documents == len(expected) == ROWS - ROWS // 53
    assert sum(1 for i in report.issues if "empty text" in i.reason) == ROWS // 53
    whole = other_workspace(fake_settings, tmp_path, "whole")
    assert ingest([data], whole, batch_rows=10 * ROWS).batches == 1
    batched = snapshot(fake_settings)
    assert batched == snapshot(whole)
    assert {row[0] for row in batched["documents"]} == {d.id for d in expected}
    assert len(batched["vectors"]) == len(batched["chunks"]) and not batched["file_progress"]


def test_interrupted_export_resumes_after_the_last_committed_batch(tmp_path, fake_settings, fake_embedder, monkeypatch):
    data = write_reviews(tmp_path / "data" / "reviews.csv")
    clean = other_workspace(fake_settings, tmp_path, "clean")
    ingest([data], clean, batch_rows=BATCH)
    expected = snapshot(clean)

    interrupt_after(fake_embedder, monkeypatch, 3)  # one embedding call per batch: three batches get through
    with pytest.raises(KeyboardInterrupt):
        ingest([data], fake_settings, batch_rows=BATCH)
    monkeypatch.undo()
    stopped = snapshot(fake_settings)
    with Store(fake_settings.db_path) as store:
        progress = store.partial_files()[str(data)]
    assert progress.batches == 3 and progress.last_row == 3 * BATCH
    assert not stopped["files"]  # not marked complete
    assert len(stopped["documents"]) == progress.documents == sum(1 for r in range(1, 3 * BATCH + 1) if r % 53)
    assert len(stopped["vectors"]) == len(stopped["chunks"])  # every stored chunk has its vector, and no more

    before = fake_embedder.embedded
    report = ingest([data], fake_settings, batch_rows=BATCH)
    assert report.files_resumed == 1 and report.files_ingested == 1 and not report.failed
    # Only the rows after the committed batches are embedded again.
    assert fake_embedder.embedded - before == len(expected["chunks"]) - len(stopped["chunks"])
    assert report.batches == ROWS // BATCH + 1 - 3
    assert snapshot(fake_settings) == expected
    unchanged = ingest([data], fake_settings, batch_rows=BATCH)
    assert unchanged.files_unchanged == 1 and unchanged.chunks_embedded == 0


def test_a_file_changed_after_an_interruption_starts_over(tmp_path, fake_settings, fake_embedder, monkeypatch):
    data = write_reviews(tmp_path / "data" / "reviews.csv")
    interrupt_after(fake_embedder, monkeypatch, 4)
    with pytest.raises(KeyboardInterrupt):
        ingest([data], fake_settings, batch_rows=BATCH)
    monkeypatch.undo()
    write_reviews(data, edit={2: "Edited: the sync now works every time."})  # a row in the first, stored batch
    report = ingest([data], fake_settings, batch_rows=BATCH)
    assert report.files_resumed == 0 and report.files_ingested == 1
    clean = other_workspace(fake_settings, tmp_path, "clean")
    ingest([data], clean, batch_rows=BATCH)
    assert snapshot(fake_settings) == snapshot(clean)  # the first version's row is gone, records and vector


def test_a_rerun_with_other_options_starts_over(tmp_path, fake_settings, fake_embedder, monkeypatch):
    data = write_reviews(tmp_path / "data" / "reviews.csv")
    interrupt_after(fake_embedder, monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        ingest([data], fake_settings, batch_rows=BATCH)
    monkeypatch.undo()
    social = ParseOptions(kind=Kind.social)  # the rows stored so far were read as reviews
    assert ingest([data], fake_settings, social, batch_rows=BATCH).files_resumed == 0
    clean = other_workspace(fake_settings, tmp_path, "clean")
    ingest([data], clean, social, batch_rows=BATCH)
    assert snapshot(fake_settings) == snapshot(clean)


def test_a_complete_export_replaced_by_a_bigger_version_keeps_nothing_stale(tmp_path, fake_settings):
    data = write_reviews(tmp_path / "data" / "reviews.csv", rows=100)
    ingest([data], fake_settings, batch_rows=BATCH)
    write_reviews(data, rows=ROWS, seed=8)
    ingest([data], fake_settings, batch_rows=BATCH)
    clean = other_workspace(fake_settings, tmp_path, "clean")
    ingest([data], clean, batch_rows=BATCH)
    assert snapshot(fake_settings) == snapshot(clean)


def test_prune_drops_an_unfinished_export_whose_file_is_gone(tmp_path, fake_settings, fake_embedder, monkeypatch):
    data = write_reviews(tmp_path / "data" / "reviews.csv")
    interrupt_after(fake_embedder, monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        ingest([data], fake_settings, batch_rows=BATCH)
    monkeypatch.undo()
    data.unlink()
    report = ingest([data.parent], fake_settings, prune=True, batch_rows=BATCH)
    assert report.files_pruned == 1
    left = snapshot(fake_settings)
    assert not any(left.values())


def test_an_export_failing_part_way_leaves_none_of_its_rows(tmp_path, fake_settings):
    data = write_reviews(tmp_path / "data" / "reviews.csv")
    with open(data, "a", encoding="utf-8") as fh:  # a field over the csv module's limit, after many batches
        fh.write('r999,Kim,4,2026-02-01,"' + "x" * 200_000 + '"\n')
    report = ingest([data], fake_settings, batch_rows=BATCH)
    assert report.exit_code == 1 and "malformed CSV" in report.failed[0].reason
    left = snapshot(fake_settings)
    assert not any(left.values())  # the batches stored before the bad row are taken out again


def test_json_list_and_jsonl_exports_stream_in_batches(tmp_path, fake_settings):
    rows = [{"id": f"p{i}", "user": {"name": f"u{i % 30}"}, "text": f"Post {i} about the shopping list sync."}
            for i in range(1, 251)]
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "posts.json").write_text(json.dumps(rows, indent=1), encoding="utf-8")
    (folder / "more.jsonl").write_text("\n".join(json.dumps({**r, "id": f"j{i}"}) for i, r in enumerate(rows)),
                                         encoding="utf-8")
    report = ingest([folder], fake_settings, batch_rows=BATCH)
    assert report.files_ingested == 2 and not report.failed
    assert report.batches == 2 * (250 // BATCH + 1)
    with Store(fake_settings.db_path) as store:
        stored = set(store.document_ids())
    assert stored == {d.id for f in ("posts.json", "more.jsonl") for d in parse_file(folder / f)}


def test_plain_progress_lines_say_rows_rate_and_eta():
    now = {"t": 0.0}
    out = io.StringIO()
    log = IngestLog(out=out, every=10, clock=lambda: now["t"])
    log.files_found(1)
    for step in range(1, 7):
        now["t"] = step * 4.0
        log.chunks_embedded(2000)
        log.rows_stored("/data/reviews.csv", 2000 * step, share=step / 75)
    lines = out.getvalue().splitlines()
    assert lines[0] == "ingest: 1 files to read"
    assert len(lines) == 3  # one at the start, then one every 10 s, not one per callback
    assert lines[-1] == "ingest: 10,000/~150,000 rows of reviews.csv, 500 chunks/s, ETA 6m"


def test_cli_prints_plain_progress_lines_when_stdout_is_not_a_terminal(tmp_path, fake_settings):
    from typer.testing import CliRunner

    from synth.cli import app

    data = write_reviews(tmp_path / "data" / "reviews.csv", rows=50)
    env = {"SYNTH_WORKSPACE": str(fake_settings.workspace), "SYNTH_EMBEDDER": fake_settings.embedder}
    res = CliRunner().invoke(app, ["ingest", str(data)], env=env)  # CliRunner's stdout is no terminal
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("ingest: 1 files to read\n") and "━" not in res.stdout
    write_reviews(data, rows=60)
    res = CliRunner().invoke(app, ["ingest", str(data), "--json"], env=env)
    assert json.loads(res.stdout)["files_ingested"] == 1  # --json stays pure JSON


def test_warnings_about_skipped_rows_are_bounded(tmp_path, fake_settings, monkeypatch):
    from synth.parsers.tabular import RowWarnings

    monkeypatch.setattr(RowWarnings, "LIMIT", 3)
    data = write_reviews(tmp_path / "data" / "reviews.csv")  # 7 empty reviews
    report = ingest([data], fake_settings, batch_rows=BATCH)
    skipped = [i.reason for i in report.issues if i.severity == "warning"]
    assert skipped == ["row 53: empty text in column 'review', skipped", "row 106: empty text in column 'review', "
                       "skipped", "row 159: empty text in column 'review', skipped", "... and 4 more rows skipped"]


def test_memory_stays_flat_as_the_export_grows(tmp_path, fake_settings):
    """Python-side peak (tracemalloc: synth's own objects, not chromadb's index) does not follow the row count."""
    import tracemalloc

    def peak(rows: int, batch_rows: int) -> int:
        data = write_reviews(tmp_path / f"data{rows}" / "reviews.csv", rows=rows)
        tracemalloc.start()
        try:
            ingest([data], other_workspace(fake_settings, tmp_path, f"ws{rows}-{batch_rows}"), batch_rows=batch_rows)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(50, BATCH)  # imports and chromadb's first-use allocations, outside the comparison
    small, large, whole = peak(800, BATCH), peak(2400, BATCH), peak(2400, 10_000)
    held_per_row = whole / 2400  # what holding every row at once costs: the old way, one transaction per file
    # In batches, 1,600 more rows add only what a run keeps per chunk (its id, for the end-of-run vector check).
    assert (large - small) / 1600 < held_per_row / 3
    assert large < whole / 2
