"""Review and post exports read in batches for ingest: rows parsed and chunked `batch_rows` at a time.

Each batch becomes a FileJob that synth.ingest embeds and commits in its own transaction, with how
far the file got (`file_progress`), so memory stays flat whatever the export's size and an
interrupted ingest resumes after the last committed batch. A changed file, or one read with other
options, starts over; a file that fails part-way has its stored batches taken out again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from synth.config import Settings
from synth.discover import FileIssue
from synth.parsers import ParseError, ParseOptions
from synth.parsers.stream import scan_file
from synth.parsers.tabular import TableStream, no_text_reason, open_table, text_column_hint
from synth.participants import evidence_of
from synth.records import Chunk, Document, Kind, Participant
from synth.speakers import apply_merges, assign_roles
from synth.store import FileProgress, FileState

if TYPE_CHECKING:
    from synth.ingest import IngestReport

BATCH_ROWS = 2000  # rows of an export parsed, embedded and committed together


@dataclass
class FileJob:
    """A whole file, or one batch of an export's rows, to embed and store."""

    state: FileState
    fmt: str  # "" for a file whose content is unchanged and only needs its new stat stored
    documents: list[Document]
    chunks: list[Chunk]
    participants: list[Participant]
    kind: Kind | None = None  # set for batches of an export
    batch: int = 0  # the batch's position in its file; a whole file is batch 0
    last: bool = True  # the file is complete once this batch is stored
    last_row: int = 0  # the last row this batch covers, where a re-run resumes
    share: float = 1.0  # how much of the file was read by this batch
    fingerprint: str = ""  # of the options the batch was read with; a re-run with others starts over
    abandon: bool = False  # the export failed part-way: drop what its earlier batches stored
    folds: list = field(default_factory=list)  # synth.dedupe.Fold of its copies, set before it is written

    @property
    def streamed(self) -> bool:
        """One batch of several: its own wave and transaction, recorded in `file_progress`."""
        return not (self.batch == 0 and self.last)



def read_table(
    path: Path, fmt: str, prior: FileState | None, partial: FileProgress | None, options: ParseOptions,
    settings: Settings, report: IngestReport, batch_rows: int,
) -> Iterator[FileJob]:
    """A review or post export as batches of `batch_rows` rows, after the batches an interrupted run stored."""
    try:
        st = path.stat()
        if prior and prior.size == st.st_size and prior.mtime_ns == st.st_mtime_ns:
            report.files_unchanged += 1
            return
        if st.st_size > options.max_bytes:
            raise ParseError(
                f"file is {st.st_size / 1e6:.0f} MB, over the {options.max_bytes / 1e6:.0f} MB limit",
                "split it, or raise the limit with --max-mb",
            )
        scan = scan_file(path)
    except OSError as exc:
        report.issues.append(FileIssue(str(path), f"cannot read: {exc.strerror or exc}", "check permissions"))
        return
    except ParseError as exc:
        report.issues.append(FileIssue(str(path), exc.reason, exc.fix))
        return
    state = FileState(str(path), st.st_size, st.st_mtime_ns, scan.sha256)
    if prior and prior.sha256 == state.sha256:
        report.files_unchanged += 1
        yield FileJob(state, "", [], [], [])  # same content, new mtime: remember the new stat only
        return
    overrides = options.speaker_overrides.get(str(path), {})  # as parse_file applies them
    fingerprint = _fingerprint(options, overrides, settings)
    resume = partial if partial and (partial.sha256, partial.options) == (state.sha256, fingerprint) else None
    batch, after, found = (resume.batches, resume.last_row, resume.documents) if resume else (0, 0, 0)
    report.files_resumed += bool(resume)
    table: TableStream | None = None
    try:
        with scan.open(path) as stream:
            table = open_table(path, stream, fmt, options)
            documents: list[Document] = []
            rows, last_row = 0, after
            for last_row, document in table.documents(after):
                rows += 1
                if document is not None:
                    apply_merges(document, overrides.get("merge", {}))
                    assign_roles(document, options.interviewers, overrides.get("role", {}))
                    documents.append(document)
                if rows == batch_rows:
                    found += len(documents)
                    share = stream.buffer.tell() / scan.size
                    yield _batch(state, table, documents, settings, batch, last_row, share, fingerprint)
                    batch, documents, rows = batch + 1, [], 0
            found += len(documents)
            if not found:
                raise ParseError(no_text_reason(table), text_column_hint(table.columns))
            now = path.stat()
            if (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                raise ParseError("the file changed while it was read", "re-run when nothing is writing to it")
            yield _batch(state, table, documents, settings, batch, last_row, 1.0, fingerprint, last=True)
    except (ParseError, OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, ParseError):
            reason, fix = exc.reason, exc.fix
        else:  # the bytes no longer decode as they did when the file was hashed
            reason, fix = f"cannot read: {getattr(exc, 'strerror', None) or exc}", "re-run when nothing is writing to it"
        report.issues.append(FileIssue(str(path), reason, fix))
        if batch:  # batches of this version are stored: take them out, never leave half a file
            yield FileJob(state, fmt, [], [], [], batch=batch, last=False, abandon=True)
    finally:
        if table is not None:
            report.issues += [FileIssue(str(path), w, severity="warning") for w in table.warnings.summary()]


def _fingerprint(options: ParseOptions, overrides: dict, settings: Settings) -> str:
    """What decides an export's records besides its bytes: resuming under other options would mix two readings."""
    chosen = [options.kind and options.kind.value, options.text_column, options.author_column, options.id_column,
              options.rating_column, options.date_column, sorted(options.interviewers), overrides, settings.max_tokens,
              sorted(options.column_roles.items())]
    return hashlib.sha256(json.dumps(chosen, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _batch(
    state: FileState, table: TableStream, documents: list[Document], settings: Settings, batch: int, last_row: int,
    share: float, fingerprint: str, last: bool = False,
) -> FileJob:
    chunks, people = evidence_of(documents, settings.max_tokens)
    return FileJob(state, table.fmt, documents, chunks, people, kind=table.kind, batch=batch,
                    last=last, last_row=last_row, share=share, fingerprint=fingerprint)
