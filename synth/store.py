"""The workspace's SQLite database: documents, participants, chunks and the files they came from.

Each file's records are replaced in one transaction, so an interrupted or failed file leaves
either its old records or its new ones, never a mix.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from synth.records import Chunk, Document, Kind, Participant, Role, Turn

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT,
    format TEXT, kind TEXT, ingested_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS file_documents (
    path TEXT NOT NULL, document_id TEXT NOT NULL, PRIMARY KEY (path, document_id)
);
CREATE INDEX IF NOT EXISTS file_documents_doc ON file_documents(document_id);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, path TEXT, kind TEXT, format TEXT, title TEXT,
    metadata TEXT, text TEXT, turns TEXT
);
CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY, label TEXT, kind TEXT, metadata TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, document_id TEXT NOT NULL, participant_id TEXT, speaker TEXT,
    role TEXT, kind TEXT, text TEXT, start INTEGER, end INTEGER, timestamp REAL, line INTEGER
);
CREATE INDEX IF NOT EXISTS chunks_document ON chunks(document_id);
CREATE INDEX IF NOT EXISTS chunks_participant ON chunks(participant_id);
CREATE TABLE IF NOT EXISTS file_progress (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, sha256 TEXT NOT NULL, format TEXT, kind TEXT,
    batches INTEGER NOT NULL, last_row INTEGER NOT NULL, documents INTEGER NOT NULL, options TEXT,
    updated_at TEXT DEFAULT CURRENT_TIMESTAMP
);
"""
# Near-duplicate copies (synth.dedupe): each has its own records but shares its canonical chunk's vector.
FOLDS_SCHEMA = """
CREATE TABLE IF NOT EXISTS chunk_folds (
    chunk_id TEXT PRIMARY KEY, canonical_id TEXT NOT NULL, how TEXT, similarity REAL
);
CREATE INDEX IF NOT EXISTS chunk_folds_canonical ON chunk_folds(canonical_id);
"""


@dataclass(frozen=True)
class FileState:
    path: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass(frozen=True)
class FileProgress:
    """A file stored batch by batch and not finished yet: which version, and how far it got."""

    path: str
    sha256: str
    kind: str | None
    batches: int  # batches committed
    last_row: int  # the last row number those batches covered
    documents: int  # documents they held
    options: str  # a fingerprint of the parse options they were read with: others start over


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CREATE_TABLE = re.compile(r"CREATE TABLE IF NOT EXISTS (\w+)\s*(\(.*?\));", re.S)


def _bindable(value: object) -> object:
    """A str that is not valid Unicode (a file name that is not UTF-8) as its file-system bytes."""
    if type(value) is str and not value.isascii() and _SURROGATE.search(value):
        try:
            return os.fsencode(value)
        except UnicodeEncodeError:
            return value.encode("utf-8", "surrogatepass")
    return value


def _bindable_row(params):
    return tuple(map(_bindable, params)) if isinstance(params, (tuple, list)) else params


def _text(value: str | bytes) -> str:
    """A stored path back as the str it was bound from (see `_Connection`)."""
    return os.fsdecode(value) if isinstance(value, bytes) else value


def create_tables(db: sqlite3.Connection, sql: str) -> None:
    """Run a stage's CREATE TABLE IF NOT EXISTS script. On a read-only database the tables it lacks
    are made empty and temporary, so a reader of a read-only workspace sees "nothing stored yet"."""
    try:
        db.executescript(sql)
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc):
            raise
        have = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for name, body in _CREATE_TABLE.findall(sql):
            if name not in have:
                db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} {body}")


class _Connection(sqlite3.Connection):
    """Binds strings SQLite cannot take as text (file names that are not UTF-8) as their bytes, so that
    such paths round-trip: `_text` turns them back. Every other value binds as sqlite3 binds it."""

    def execute(self, sql, parameters=(), /):
        return super().execute(sql, _bindable_row(parameters))

    def executemany(self, sql, seq_of_parameters, /):
        return super().executemany(sql, map(_bindable_row, seq_of_parameters))


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Open read-only; a WAL database in a folder that cannot be written opens as immutable instead."""
    uri = path.resolve().as_uri()
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        db = sqlite3.connect(uri + query, uri=True, isolation_level=None, check_same_thread=False,
                             factory=_Connection)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.OperationalError:
            db.close()
            if "immutable" in query:
                raise
    raise AssertionError("unreachable")


class Store:
    """Records in one SQLite file. Use as a context manager or call `close()`."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        if read_only:  # a workspace this process cannot write: no WAL switch, no schema changes
            self.db = _connect_read_only(path)
            create_tables(self.db, FOLDS_SCHEMA)  # a workspace from before folding: no copies
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread=False: ingest writes from its writer thread, one thread at a time.
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, factory=_Connection)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA + FOLDS_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def ensure_schema(self, sql: str) -> None:
        """Create a stage's tables (see `create_tables`)."""
        create_tables(self.db, sql)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:  # SQLite has rolled back already after a full disk or I/O error
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # files -----------------------------------------------------------------------------------
    def file_state(self, path: str) -> FileState | None:
        row = self.db.execute(
            "SELECT path, size, mtime_ns, sha256 FROM files WHERE path = ?", (path,)
        ).fetchone()
        return FileState(_text(row[0]), *row[1:]) if row else None

    def file_paths(self) -> list[str]:
        return [_text(r[0]) for r in self.db.execute("SELECT path FROM files ORDER BY path")]

    def partial_files(self) -> dict[str, FileProgress]:
        """Files whose first batches are stored but not their last (an interrupted ingest), by path."""
        rows = self.db.execute("SELECT path, sha256, kind, batches, last_row, documents, options FROM file_progress")
        return {_text(r[0]): FileProgress(_text(r[0]), *r[1:]) for r in rows}

    def touch_file(self, state: FileState) -> None:
        self.db.execute(
            "UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
            (state.size, state.mtime_ns, state.path),
        )

    def replace_file(
        self,
        state: FileState,
        fmt: str,
        documents: list[Document],
        chunks: list[Chunk],
        participants: Iterable[Participant],
        folds: Iterable = (),
    ) -> list[str]:
        """Swap a file's records for new ones in one transaction; returns orphaned chunk ids."""
        kind = documents[0].kind.value if documents else None
        return self.write_batch(state, fmt, kind, documents, chunks, participants, folds=folds)

    def write_batch(
        self,
        state: FileState,
        fmt: str,
        kind: str | None,
        documents: list[Document],
        chunks: list[Chunk],
        participants: Iterable[Participant],
        *,
        batch: int = 0,
        last: bool = True,
        last_row: int = 0,
        options: str = "",
        folds: Iterable = (),
    ) -> list[str]:
        """Store one batch of a file's records in one transaction; returns orphaned chunk ids.

        Batch 0 first drops the file's previous records (another version, or an unfinished one).
        The file is recorded in `files` only with its last batch; until then `file_progress` says
        how far it got (`last_row`), so an interrupted ingest resumes after the last batch stored.
        A whole file is one batch, first and last. `folds` (synth.dedupe.Fold): chunks of the batch stored
        as copies of a canonical chunk, with no vector of their own.
        """
        with self.transaction() as db:
            orphans = self._detach_file(db, state.path) if batch == 0 else []
            if last:
                db.execute("DELETE FROM file_progress WHERE path = ?", (state.path,))
                db.execute(
                    "INSERT INTO files (path, size, mtime_ns, sha256, format, kind) VALUES (?,?,?,?,?,?)",
                    (state.path, state.size, state.mtime_ns, state.sha256, fmt, kind),
                )
            else:
                db.execute(
                    "INSERT INTO file_progress (path, size, mtime_ns, sha256, format, kind, batches, last_row, "
                    "documents, options) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT (path) DO UPDATE SET "
                    "batches = excluded.batches, "
                    "last_row = excluded.last_row, documents = documents + excluded.documents, "
                    "updated_at = CURRENT_TIMESTAMP",
                    (state.path, state.size, state.mtime_ns, state.sha256, fmt, kind, batch + 1, last_row,
                     len(documents), options),
                )
            db.executemany(
                "INSERT OR IGNORE INTO file_documents (path, document_id) VALUES (?, ?)",
                [(state.path, d.id) for d in documents],
            )
            db.executemany(
                "INSERT OR IGNORE INTO documents VALUES (?,?,?,?,?,?,?,?)",
                [
                    (d.id, d.path, d.kind.value, d.format, d.title, json.dumps(d.metadata, default=str),
                     d.text, json.dumps([t.model_dump() for t in d.turns]))
                    for d in documents
                ],
            )
            db.executemany(
                "INSERT OR IGNORE INTO participants VALUES (?,?,?,?)",
                [(p.id, p.label, p.kind.value, json.dumps(p.metadata, default=str)) for p in participants],
            )
            db.executemany(
                "INSERT OR IGNORE INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (c.id, c.document_id, c.participant_id, c.speaker, c.role.value, c.kind.value,
                     c.text, c.start, c.end, c.timestamp, c.line)
                    for c in chunks
                ],
            )
            db.executemany(
                "INSERT OR REPLACE INTO chunk_folds VALUES (?,?,?,?)",
                [(f.chunk_id, f.canonical_id, f.how, f.similarity) for f in folds],
            )
            keep = {c.id for c in chunks}
            return [o for o in orphans if o not in keep]

    def remove_file(self, path: str) -> list[str]:
        """Forget a file and the documents only it held; returns orphaned chunk ids."""
        with self.transaction() as db:
            return self._detach_file(db, path)

    def _detach_file(self, db: sqlite3.Connection, path: str) -> list[str]:
        doc_ids = [r[0] for r in db.execute("SELECT document_id FROM file_documents WHERE path = ?", (path,))]
        db.execute("DELETE FROM file_documents WHERE path = ?", (path,))
        db.execute("DELETE FROM files WHERE path = ?", (path,))
        db.execute("DELETE FROM file_progress WHERE path = ?", (path,))
        orphans: list[str] = []
        for doc_id in doc_ids:
            if db.execute("SELECT 1 FROM file_documents WHERE document_id = ?", (doc_id,)).fetchone():
                continue  # another file holds the same document
            orphans += [r[0] for r in db.execute("SELECT id FROM chunks WHERE document_id = ?", (doc_id,))]
            db.execute("DELETE FROM chunk_folds WHERE chunk_id IN (SELECT id FROM chunks WHERE document_id = ?)",
                       (doc_id,))
            db.execute("DELETE FROM chunks WHERE document_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        if orphans:
            db.execute(
                "DELETE FROM participants WHERE id NOT IN "
                "(SELECT DISTINCT participant_id FROM chunks WHERE participant_id IS NOT NULL)"
            )
        return orphans

    def repair_folds(self) -> int:
        """Copies whose canonical chunk is gone (its file was replaced or pruned): the first copy becomes
        canonical (it needs a vector) and the others fold onto it; how many were promoted."""
        rows = list(self.db.execute(
            "SELECT f.canonical_id, f.chunk_id FROM chunk_folds f LEFT JOIN chunks c ON c.id = f.canonical_id "
            "WHERE c.id IS NULL ORDER BY f.canonical_id, f.chunk_id"
        ))
        if not rows:
            return 0
        groups: dict[str, list[str]] = {}
        for canonical, chunk_id in rows:
            groups.setdefault(canonical, []).append(chunk_id)
        with self.transaction() as db:
            for canonical, copies in groups.items():
                db.execute("DELETE FROM chunk_folds WHERE chunk_id = ?", (copies[0],))
                db.execute("UPDATE chunk_folds SET canonical_id = ? WHERE canonical_id = ?", (copies[0], canonical))
        return len(groups)

    # reads -----------------------------------------------------------------------------------
    def chunk_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT id FROM chunks")}

    def vector_ids(self) -> set[str]:
        """Chunks that own a vector: all but the copies folded onto a canonical chunk."""
        return {r[0] for r in self.db.execute("SELECT id FROM chunks WHERE id NOT IN (SELECT chunk_id FROM chunk_folds)")}

    def folds(self, ids: list[str] | None = None) -> dict[str, str]:
        """Folded chunk id -> its canonical chunk id (of `ids`, or all)."""
        if ids is None:
            return dict(self.db.execute("SELECT chunk_id, canonical_id FROM chunk_folds"))
        out: dict[str, str] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT chunk_id, canonical_id FROM chunk_folds WHERE chunk_id IN ({','.join('?' * len(part))})"
            out.update(self.db.execute(q, part))
        return out

    def fold_records(self, ids: list[str]):
        """The stored synth.dedupe.Fold of each of `ids` that is a copy."""
        from synth.dedupe import Fold

        out = []
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT chunk_id, canonical_id, how, similarity FROM chunk_folds WHERE chunk_id IN ({','.join('?' * len(part))})"
            out += [Fold(chunk_id=r[0], canonical_id=r[1], how=r[2], similarity=r[3]) for r in self.db.execute(q, part)]
        return out

    def has_chunks(self, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT id FROM chunks WHERE id IN ({','.join('?' * len(part))})"
            found.update(r[0] for r in self.db.execute(q, part))
        return found

    def chunks(self, ids: list[str] | None = None) -> list[Chunk]:
        cols = "id, document_id, participant_id, speaker, role, kind, text, start, end, timestamp, line"
        if ids is None:
            rows = list(self.db.execute(f"SELECT {cols} FROM chunks ORDER BY document_id, start"))
        else:
            rows = []
            for i in range(0, len(ids), 900):
                part = ids[i : i + 900]
                rows += self.db.execute(f"SELECT {cols} FROM chunks WHERE id IN ({','.join('?' * len(part))})", part)
            order = {cid: n for n, cid in enumerate(ids)}
            rows.sort(key=lambda r: order[r[0]])
        return [
            Chunk(id=r[0], document_id=r[1], participant_id=r[2], speaker=r[3], role=Role(r[4]),
                  kind=Kind(r[5]), text=r[6], start=r[7], end=r[8], timestamp=r[9], line=r[10])
            for r in rows
        ]

    def document(self, doc_id: str) -> Document | None:
        row = self.db.execute(
            "SELECT id, path, kind, format, title, metadata, text, turns FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if not row:
            return None
        return Document(
            id=row[0], path=row[1], kind=Kind(row[2]), format=row[3], title=row[4],
            metadata=json.loads(row[5]), text=row[6], turns=[Turn(**t) for t in json.loads(row[7])],
        )

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM documents ORDER BY path, id")]

    def participants(self) -> list[Participant]:
        return [
            Participant(id=r[0], label=r[1], kind=Kind(r[2]), metadata=json.loads(r[3]))
            for r in self.db.execute("SELECT id, label, kind, metadata FROM participants ORDER BY id")
        ]

    def counts_by_kind(self) -> dict[str, dict[str, int]]:
        """Documents, participants, chunks (all and participant-only) and files per kind."""
        out: dict[str, dict[str, int]] = {}
        queries = {
            "documents": "SELECT kind, COUNT(*) FROM documents GROUP BY kind",
            "participants": "SELECT kind, COUNT(*) FROM participants GROUP BY kind",
            "chunks": "SELECT kind, COUNT(*) FROM chunks GROUP BY kind",
            "evidence_chunks": "SELECT kind, COUNT(*) FROM chunks WHERE role = 'participant' GROUP BY kind",
            "files": "SELECT kind, COUNT(*) FROM files GROUP BY kind",
        }
        for name, q in queries.items():
            for kind, n in self.db.execute(q):
                out.setdefault(kind or "none", {}).setdefault(name, 0)
                out[kind or "none"][name] = n
        return out
