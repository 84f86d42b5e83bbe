"""Ingest: research folders in, parsed documents, chunks and their vectors stored in the workspace.

The work runs as a three-stage pipeline so that the embedder (the costly part) never waits:
a reader thread finds, parses and chunks files into waves of a few thousand chunks; the calling
thread embeds each wave (longest texts first, as sentence-transformers batches best); a writer
thread upserts the vectors into chromadb and then commits each file's records to SQLite in one
transaction. Vectors are written before records, so a chunk that SQLite knows always has its
vector; an interrupted run leaves at most vectors without records, which the next run reuses
(no re-embedding) or deletes.

Review and post exports (csv, tsv, jsonl, json lists) are streamed: their rows are parsed, embedded
and committed in batches of `batch_rows` (BATCH_ROWS), each batch one transaction that also records
how far the file got (`file_progress`, with the file's sha256). Memory therefore stays flat whatever
the file's size: at most a few batches are in flight (two waves queued for embedding, one being
embedded, two queued for writing). Ctrl-C keeps the batches committed so far; a re-run on the same
bytes resumes after them, and a changed file starts over. A file counts as ingested (`files`) only
once its last batch is stored. Vectors a replaced file no longer needs are deleted at the end of a
run, once no stored chunk wants them.
"""

from __future__ import annotations

import hashlib
import os
import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from synth.config import Settings
from synth.discover import FileIssue, discover
from synth.ingest_tables import BATCH_ROWS, read_table
from synth.ingest_tables import FileJob as _FileJob
from synth.parsers import ParseError, ParseOptions, parse_file_with_warnings
from synth.parsers.stream import table_format
from synth.participants import evidence_of
from synth.records import Chunk, Kind
from synth.speaker_overrides import load_overrides
from synth.speakers import speaker_warnings
from synth.store import FileState, Store
from synth.vectors import VectorStore

WAVE_CHUNKS = 4096
EMBED_SLICE = 256


@dataclass
class IngestReport:
    files_seen: int = 0
    files_ingested: int = 0
    files_unchanged: int = 0
    files_pruned: int = 0
    documents: int = 0
    chunks: int = 0
    chunks_embedded: int = 0
    chunks_reused: int = 0
    batches: int = 0  # batches of exports committed
    files_resumed: int = 0  # exports continued after the batches an interrupted run stored
    chunks_folded: int = 0  # posts and reviews stored as copies of a text already embedded (synth.dedupe)
    suggestion: str = ""  # e.g. a faster embedder for a study this size
    seconds: float = 0.0
    issues: list[FileIssue] = field(default_factory=list)

    @property
    def failed(self) -> list[FileIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def exit_code(self) -> int:
        """0 when anything was ingested, up to date or pruned; 2 when nothing was because no path given exists
        (missing input); 1 when nothing was otherwise (none found, none readable)."""
        from synth.discover import MISSING

        if self.files_ingested + self.files_unchanged + self.files_pruned:
            return 0
        return 2 if self.issues and all(i.reason == MISSING for i in self.issues) else 1


class IngestProgress:
    """Progress callbacks; the default does nothing. The CLI draws bars from these."""

    def files_found(self, n: int) -> None: ...
    def file_done(self, path: str) -> None: ...
    def chunks_found(self, n: int) -> None: ...
    def chunks_embedded(self, n: int) -> None: ...
    def rows_stored(self, path: str, rows: int, share: float) -> None:
        """An export's batch is committed: `rows` rows of it are stored, `share` (0..1) of its bytes read."""
    def note(self, text: str) -> None:
        """Something the user should know while the run goes on (e.g. a faster embedder for this size)."""


_DONE = object()


def ingest(
    paths: list[Path],
    settings: Settings,
    options: ParseOptions | None = None,
    prune: bool = False,
    progress: IngestProgress | None = None,
    batch_rows: int = BATCH_ROWS,
    engine=None,
) -> IngestReport:
    """Parse, chunk, embed and store every supported file under `paths`.

    `batch_rows`: rows of a review or post export committed per transaction (the memory bound).
    `engine`: where chunks are embedded (synth.engines: this process by default, or a Dask cluster).
    """
    options = options or ParseOptions()
    progress = progress or IngestProgress()
    report = IngestReport()
    started = time.perf_counter()
    files, report.issues = discover(paths)
    report.files_seen = len(files) + len([i for i in report.issues if i.severity == "skipped"])
    progress.files_found(len(files))

    vectors = VectorStore(settings.embedder, path=settings.chroma_path, url=settings.chroma_url)
    with Store(settings.db_path) as store:
        known = {p: store.file_state(p) for p in store.file_paths()}
        options = replace(  # the user's speaker choices: config, --interviewer and `synth speakers set/merge`
            options, speaker_overrides=load_overrides(store),
            interviewers=list(dict.fromkeys([*options.interviewers, *settings.interviewers])),
        )
        partial = store.partial_files()
        waves: queue.Queue = queue.Queue(maxsize=2)
        writes: queue.Queue = queue.Queue(maxsize=2)
        stop = threading.Event()
        orphans: set[str] = set()  # chunk ids replaced files no longer hold; their vectors go at the end
        reader = threading.Thread(
            target=_read_files,
            args=(files, known, partial, options, settings, report, progress, waves, stop, max(1, batch_rows)),
            daemon=True,
        )
        writer = threading.Thread(
            target=_write_waves, args=(writes, settings, vectors, report, progress, orphans), daemon=True
        )
        reader.start()
        writer.start()
        folding = _Folding(store)
        try:
            for wave in _drain(waves):
                fresh = _chunks_to_embed(wave, store, vectors, report, folding)
                _suggest_fast_embedder(settings.embedder, report, progress, len(fresh))
                writes.put((wave, fresh, _embed(settings.embedder, fresh, progress, engine)))
        except BaseException:
            stop.set()
            raise
        finally:
            writes.put(_DONE)
            writer.join()
            reader.join(timeout=5)
        if getattr(writer, "error", None):
            raise writer.error
        _drop_vectors(store, vectors, orphans)
        if prune:
            report.files_pruned = _prune(store, vectors)
        store.repair_folds()  # copies whose canonical chunk went with a replaced file get a new one
        _drop_orphan_vectors(store, vectors)
        report.chunks_embedded += _restore_missing_vectors(store, vectors, settings.embedder)
    report.seconds = time.perf_counter() - started
    return report


def _drain(q: queue.Queue) -> Iterator:
    while (item := q.get()) is not _DONE:
        if isinstance(item, BaseException):
            raise item
        yield item


def _read_files(files, known, partial, options, settings, report, progress, waves, stop, batch_rows) -> None:
    try:
        wave: list[_FileJob] = []
        size = 0
        for path in files:
            if stop.is_set():
                return
            fmt = table_format(path)
            if fmt:
                jobs = read_table(path, fmt, known.get(str(path)), partial.get(str(path)), options, settings, report,
                                  batch_rows)
            else:
                job = _read_one(path, known.get(str(path)), options, settings, report)
                jobs = iter([job] if job else [])
            read = False
            for job in jobs:
                read = True
                if job.chunks or job.documents:
                    progress.chunks_found(len(job.chunks))
                wave.append(job)
                size += len(job.chunks)
                if size >= WAVE_CHUNKS or job.streamed:  # a batch of a big export is stored as soon as it can be
                    if not _put(waves, wave, stop):
                        return
                    wave, size = [], 0
            if not read:
                progress.file_done(str(path))
        if wave and not _put(waves, wave, stop):
            return
        waves.put(_DONE)
    except BaseException as exc:  # hand any crash to the main thread instead of hanging it
        waves.put(exc)


def _put(q: queue.Queue, item: object, stop: threading.Event) -> bool:
    """Queue `item`, unless the run stops first (the consumer is gone): False then."""
    while not stop.is_set():
        try:
            q.put(item, timeout=0.2)
            return True
        except queue.Full:
            continue
    return False


def _read_one(path: Path, prior: FileState | None, options, settings, report) -> _FileJob | None:
    try:
        st = path.stat()
        if prior and prior.size == st.st_size and prior.mtime_ns == st.st_mtime_ns:
            report.files_unchanged += 1
            return None
        if st.st_size > options.max_bytes:
            raise ParseError(
                f"file is {st.st_size / 1e6:.0f} MB, over the {options.max_bytes / 1e6:.0f} MB limit",
                "split it, or raise the limit with --max-mb",
            )
        data = path.read_bytes()
    except OSError as exc:
        report.issues.append(FileIssue(str(path), f"cannot read: {exc.strerror or exc}", "check permissions"))
        return None
    except ParseError as exc:
        report.issues.append(FileIssue(str(path), exc.reason, exc.fix))
        return None
    state = FileState(str(path), st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
    if prior and prior.sha256 == state.sha256:
        report.files_unchanged += 1
        return _FileJob(state, "", [], [], [])  # same content, new mtime: remember the new stat only
    try:
        documents, warnings = parse_file_with_warnings(path, options)
    except ParseError as exc:
        report.issues.append(FileIssue(str(path), exc.reason, exc.fix))
        return None
    report.issues += [FileIssue(str(path), w, severity="warning") for w in warnings]
    chunks, people = evidence_of(documents, settings.max_tokens)
    for doc in documents:
        report.issues += [FileIssue(str(path), problem, fix, severity="warning") for problem, fix in speaker_warnings(doc)]
    if not chunks and not any(doc.kind == Kind.interview for doc in documents):
        report.issues.append(FileIssue(str(path), "no participant speech found", "check the file's speaker labels"))
        return None
    # A transcript without participant speech is still stored, so its roles can be fixed with `synth speakers`.
    return _FileJob(state, documents[0].format, documents, chunks, people)


class _Folding:
    """The near-duplicate index (synth.dedupe), built from the stored chunks the first time a wave needs it."""

    def __init__(self, store: Store):
        self.store = store
        self.index = None

    def fold(self, chunks: list[Chunk]) -> dict:
        from synth.dedupe import FoldIndex, foldable

        if not any(foldable(c) for c in chunks):
            return {}
        if self.index is None:
            self.index = FoldIndex.from_store(self.store)
        return self.index.fold(chunks)


def _chunks_to_embed(
    wave: list[_FileJob], store: Store, vectors: VectorStore, report: IngestReport, folding: _Folding
) -> list[Chunk]:
    """Chunks of this wave that have no vector yet (content-hash ids make this exact), less the copies of a
    text already embedded, which are folded onto it (synth.dedupe) and recorded on their job."""
    unique = {c.id: c for job in wave for c in job.chunks}
    known = store.has_chunks(list(unique))
    stored_folds = {f.chunk_id: f for f in store.fold_records(sorted(known))}  # a re-stored copy stays a copy
    folds = {**stored_folds, **folding.fold([c for cid, c in unique.items() if cid not in known])}
    for job in wave:
        job.folds = [folds[c.id] for c in job.chunks if c.id in folds]
    report.chunks_folded += len(folds) - len(stored_folds)
    candidates = [cid for cid in unique if cid not in known and cid not in folds]
    known |= vectors.existing(candidates)  # vectors left behind by an interrupted run
    report.chunks_reused += len(known)
    return [c for cid, c in unique.items() if cid not in known and cid not in folds]


FAST_EMBEDDER_ABOVE = 20000  # chunks to embed: above this, a transformer embedder prompts a faster one


def _suggest_fast_embedder(spec: str, report: IngestReport, progress: IngestProgress, pending: int) -> None:
    """Once per run: a study this size embeds far faster with a static model (see synth.embedders)."""
    from synth.embedders import FAST_EMBEDDER, is_static

    found = report.chunks_reused + report.chunks_folded + report.chunks_embedded + pending
    if report.suggestion or is_static(spec) or found < FAST_EMBEDDER_ABOVE:
        return
    report.suggestion = (
        f"over {FAST_EMBEDDER_ABOVE:,} chunks: the static embedder {FAST_EMBEDDER!r} is about 50x faster here "
        f"(small quality cost, see evals/README.md); set embedder = \"{FAST_EMBEDDER}\" in synth.toml "
        "and re-ingest into a new workspace"
    )
    progress.note(report.suggestion)


def _embed(spec: str, chunks: list[Chunk], progress: IngestProgress, engine=None) -> np.ndarray | None:
    if not chunks:
        return None  # nothing new: the model is never loaded, so an unchanged re-run stays instant
    if engine is None:
        from synth.engines import LocalEngine

        engine = LocalEngine()
    order = sorted(range(len(chunks)), key=lambda i: -len(chunks[i].text))
    parts = [order[i : i + EMBED_SLICE] for i in range(0, len(order), EMBED_SLICE)]
    out: np.ndarray | None = None
    for n, vectors in engine.embed_slices(spec, [[chunks[j].text for j in idx] for idx in parts]):
        if out is None:
            out = np.empty((len(chunks), vectors.shape[1]), dtype=np.float32)
        out[parts[n]] = vectors
        progress.chunks_embedded(len(parts[n]))
    return out


def _write_waves(
    writes: queue.Queue, settings: Settings, vectors: VectorStore, report: IngestReport, progress, orphans: set[str]
) -> None:
    thread = threading.current_thread()
    thread.error = None
    with Store(settings.db_path) as store:  # its own connection: SQLite connections are not shared
        _write_loop(writes, store, vectors, report, progress, thread, orphans)


def _write_loop(writes, store, vectors, report, progress, thread, orphans: set[str]) -> None:
    for item in _drain(writes):
        if thread.error:
            continue  # keep draining so the producer never blocks
        wave, fresh, embedded = item
        try:
            if fresh:
                vectors.upsert([c.id for c in fresh], embedded, [_metadata(c) for c in fresh])
            report.chunks_embedded += len(fresh)
            for job in wave:
                _write_job(job, store, report, progress, orphans)
        except BaseException as exc:  # surfaced by the main thread after join
            thread.error = exc


def _write_job(job: _FileJob, store: Store, report: IngestReport, progress, orphans: set[str]) -> None:
    path = job.state.path
    if job.abandon:
        orphans.update(store.remove_file(path))
        progress.file_done(path)
        return
    if not job.fmt:
        store.touch_file(job.state)
        progress.file_done(path)
        return
    # Vectors of replaced chunks are deleted at the end of the run, not here: a later batch or file
    # of this run may hold the same chunk (ids are content hashes) and was not embedded again.
    if job.streamed:
        orphans.update(store.write_batch(job.state, job.fmt, job.kind.value, job.documents, job.chunks,
                                         job.participants, batch=job.batch, last=job.last, last_row=job.last_row,
                                         options=job.fingerprint, folds=job.folds))
    else:
        orphans.update(store.replace_file(job.state, job.fmt, job.documents, job.chunks, job.participants,
                                          folds=job.folds))
    report.documents += len(job.documents)
    report.chunks += len(job.chunks)
    if job.kind is not None:
        report.batches += 1
        progress.rows_stored(path, job.last_row, job.share)
    if job.last:
        report.files_ingested += 1
        progress.file_done(path)


def _metadata(chunk: Chunk) -> dict:
    meta = {"document_id": chunk.document_id, "role": chunk.role.value, "kind": chunk.kind.value,
            "speaker": chunk.speaker}
    if chunk.participant_id:
        meta["participant_id"] = chunk.participant_id
    return meta


def _drop_vectors(store: Store, vectors: VectorStore, orphans: set[str]) -> None:
    """Delete the vectors of chunks that replaced files dropped and no stored chunk took back."""
    if orphans:
        kept = store.has_chunks(sorted(orphans))
        vectors.delete(sorted(orphans - kept))


def _drop_orphan_vectors(store: Store, vectors: VectorStore) -> None:
    """Delete vectors that no stored chunk owns, left by an interrupted run or a changed file.

    They are kept until the end of a run so that a re-run after Ctrl-C reuses them.
    """
    known = store.vector_ids()
    if vectors.count() > len(known):
        vectors.delete(sorted(vectors.all_ids() - known))


def _restore_missing_vectors(store: Store, vectors: VectorStore, spec: str) -> int:
    """Embed stored chunks that have no vector (the vector store was deleted or rebuilt); how many.

    So that "delete the damaged vector store and re-run `synth ingest`" is a real fix.
    """
    known = store.vector_ids()
    if vectors.count() >= len(known):
        return 0
    missing = sorted(known - vectors.all_ids())
    for i in range(0, len(missing), WAVE_CHUNKS):
        chunks = store.chunks(missing[i : i + WAVE_CHUNKS])
        embed_and_store_vectors(spec, chunks, vectors)
    return len(missing)


def _prune(store: Store, vectors: VectorStore) -> int:
    gone = [p for p in [*store.file_paths(), *store.partial_files()] if not os.path.exists(p)]
    for path in gone:
        orphans = store.remove_file(path)
        if orphans:
            vectors.delete(orphans)
    return len(gone)


def embed_and_store_vectors(spec: str, chunks: list[Chunk], vectors: VectorStore) -> None:
    """Embed `chunks` and upsert their vectors (for re-derived evidence outside a full ingest)."""
    embedded = _embed(spec, chunks, IngestProgress())
    if embedded is not None:
        vectors.upsert([c.id for c in chunks], embedded, [_metadata(c) for c in chunks])
