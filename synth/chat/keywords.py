"""Chat's keyword index: BM25 over evidence chunks' light stems in an SQLite FTS5 table, kept in step with
the chunks table (see `synth.chat.retrieval` for how it is fused with vectors).

The index (table `chat_fts`) follows the chunks table: when a signature over files and chunks shows an
ingest changed the evidence, only added or changed chunks are stemmed and indexed, and removed ones
dropped. Terms so common that their postings would blow the latency budget are left out of a query: their
idf adds next to nothing to the ranking, and vectors see them. Chat never writes to tables it does not own.
"""

from __future__ import annotations

import hashlib

from synth.llm.text import content_stems
from synth.store import Store

POSTINGS_BUDGET = 5_000  # most index entries one keyword query may rank (about 1 µs each)
INDEX_VERSION = 4  # bump when what the index holds changes, to force a rebuild
EVIDENCE = "role = 'participant' AND participant_id IS NOT NULL"
STATE_SCHEMA = "CREATE TABLE IF NOT EXISTS chat_index_state (name TEXT PRIMARY KEY, signature TEXT NOT NULL);"
# One row per evidence chunk, keyed by the chunk's rowid: ranking reads no row content at all, and the
# segment filter is a set lookup on rowids (filtering on a stored column costs a fetch per match).
# chunk_id tells a refresh which rows still hold the chunk they were built from.
FTS_TABLE = "CREATE VIRTUAL TABLE IF NOT EXISTS chat_fts USING fts5(stems, chunk_id UNINDEXED, tokenize = 'unicode61')"


class KeywordIndex:
    """BM25 over evidence chunks' stems in SQLite FTS5, kept in step with the chunks table."""

    def __init__(self, store: Store):
        self.store = store
        store.ensure_schema(STATE_SCHEMA)
        self.updated = self.refresh()  # chunks (re)indexed by this refresh: 0 when it was current
        self._df: dict[str, int] = {}
        self._size: int | None = None

    def signature(self) -> str:
        """A fingerprint of the evidence: changes when any file's content or any chunk changes."""
        db = self.store.db
        # end - start is a chunk's text length (a Chunk invariant), summed without reading any text.
        chunks = db.execute(
            f"SELECT count(*), total(rowid), max(rowid), total(start), total(end) FROM chunks WHERE {EVIDENCE}"
        ).fetchone()
        files = hashlib.sha256("\n".join(f"{p} {h}" for p, h in db.execute(
            "SELECT path, sha256 FROM files ORDER BY path")).encode()).hexdigest()[:16]
        return f"v{INDEX_VERSION}:{files}:" + ":".join(str(x) for x in chunks)

    def refresh(self) -> int:
        """Bring the index in step with the chunks, stemming only chunks it lacks; how many changed."""
        want = self.signature()
        if self._stored() == want:
            return 0
        if self.store.read_only:  # a read-only workspace: index this process's own temporary copy
            return self._index_temporarily()
        with self.store.transaction() as db:
            stored = self._stored()
            if stored == want:  # another process refreshed it while we waited for the lock
                return 0
            if not stored or not stored.startswith(f"v{INDEX_VERSION}:"):
                db.execute("DROP TABLE IF EXISTS chat_fts")
            db.execute(FTS_TABLE)
            have = dict(db.execute("SELECT rowid, chunk_id FROM chat_fts"))
            now = dict(db.execute(f"SELECT rowid, id FROM chunks WHERE {EVIDENCE}"))
            stale = [(r,) for r, cid in have.items() if now.get(r) != cid]
            fresh = [r for r, cid in now.items() if have.get(r) != cid]
            db.executemany("DELETE FROM chat_fts WHERE rowid = ?", stale)
            for i in range(0, len(fresh), 900):
                part = fresh[i : i + 900]
                rows = db.execute(f"SELECT rowid, id, text FROM chunks WHERE rowid IN ({','.join('?' * len(part))})",
                                  part).fetchall()
                db.executemany("INSERT INTO chat_fts (rowid, stems, chunk_id) VALUES (?, ?, ?)",
                               [(rowid, " ".join(content_stems(text)), cid) for rowid, cid, text in rows])
            db.execute("INSERT OR REPLACE INTO chat_index_state (name, signature) VALUES ('chat_fts', ?)", (want,))
        return len(stale) + len(fresh)

    def _index_temporarily(self) -> int:
        db = self.store.db
        db.execute(FTS_TABLE.replace("EXISTS chat_fts", "EXISTS temp.chat_fts"))
        if db.execute("SELECT count(*) FROM temp.chat_fts").fetchone()[0]:  # this connection indexed it already
            return 0
        rows = db.execute(f"SELECT rowid, id, text FROM chunks WHERE {EVIDENCE}").fetchall()
        db.executemany("INSERT INTO temp.chat_fts (rowid, stems, chunk_id) VALUES (?, ?, ?)",
                       [(rowid, " ".join(content_stems(text)), cid) for rowid, cid, text in rows])
        return len(rows)

    def _stored(self) -> str | None:
        row = self.store.db.execute("SELECT signature FROM chat_index_state WHERE name = 'chat_fts'").fetchone()
        return row[0] if row else None

    def size(self) -> int:
        """How many evidence chunks the index holds."""
        if self._size is None:
            self._size = self.store.db.execute("SELECT count(*) FROM chat_fts").fetchone()[0]
        return self._size

    def df(self, term: str) -> int:
        """In how many evidence chunks a stem occurs (cached: the index does not change under a retriever)."""
        if term not in self._df:
            self._df[term] = self.store.db.execute(
                "SELECT count(*) FROM chat_fts WHERE chat_fts MATCH ?", (f'"{term}"',)).fetchone()[0]
        return self._df[term]

    def terms(self, stems: list[str]) -> list[str]:
        """The stems worth ranking on: rarest first, within the postings budget."""
        chosen, walked = [], 0
        for term in sorted((s for s in stems if self.df(s)), key=lambda s: (self.df(s), s)):
            if walked + self.df(term) > POSTINGS_BUDGET:
                break
            chosen.append(term)
            walked += self.df(term)
        return chosen

    def search(self, stems: list[str], keep: dict[int, str], n: int) -> list[str]:
        """Up to `n` chunk ids among `keep` (chunk rowid -> id), best BM25 first."""
        terms = self.terms(stems)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)  # stems are letters only: nothing to escape
        found: list[str] = []
        cursor = self.store.db.execute("SELECT rowid FROM chat_fts WHERE chat_fts MATCH ? ORDER BY rank", (match,))
        try:
            for (rowid,) in cursor:
                if rowid in keep:
                    found.append(keep[rowid])
                    if len(found) == n:
                        break
        finally:
            cursor.close()
        return found

    def unused(self, stems: list[str], keep: dict[int, str]) -> list[str]:
        """The stems that no chunk among `keep` contains: words nobody in the segment used."""
        out = []
        for term in stems:
            cursor = self.store.db.execute("SELECT rowid FROM chat_fts WHERE chat_fts MATCH ?", (f'"{term}"',))
            try:
                if not any(rowid in keep for (rowid,) in cursor):
                    out.append(term)
            finally:
                cursor.close()
        return out
