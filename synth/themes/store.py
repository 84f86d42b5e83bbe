"""Themes in the workspace's SQLite database, and the chunk vectors they are built from.

Tables (all prefixed, created on first use):
  themes            the final themes (after user edits), in display order
  theme_chunks      chunk -> final theme, the raw cluster it came from and its distance
  theme_clusters    raw clusters (before edits) with centroids: what the next run matches ids against
  theme_unassigned  chunks no theme took, with the nearest theme and distance
  theme_edits       renames and merges, replayed after every run
  theme_meta        fingerprints and the options of the last run
  theme_set_aside   chunks set aside before clustering as not substantive, with the reason
  chunk_statements  every participant chunk's statement kind (problem, request, praise, question, usage, other)
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

import numpy as np

from synth.records import Theme, Unassigned
from synth.store import create_tables
from synth.themes.stable import Edit

SCHEMA = """
CREATE TABLE IF NOT EXISTS themes (
    id TEXT PRIMARY KEY, position INTEGER, label TEXT, description TEXT, keywords TEXT, exemplar_ids TEXT,
    participant_count INTEGER, kinds TEXT, grp TEXT, label_source TEXT, provenance TEXT, clusters TEXT,
    centroid BLOB
);
CREATE TABLE IF NOT EXISTS theme_chunks (
    chunk_id TEXT PRIMARY KEY, theme_id TEXT NOT NULL, cluster_id TEXT NOT NULL, distance REAL, rank INTEGER
);
CREATE INDEX IF NOT EXISTS theme_chunks_theme ON theme_chunks(theme_id, rank);
CREATE TABLE IF NOT EXISTS theme_clusters (id TEXT PRIMARY KEY, size INTEGER, centroid BLOB);
CREATE TABLE IF NOT EXISTS theme_unassigned (
    chunk_id TEXT PRIMARY KEY, nearest_cluster_id TEXT, nearest_theme_id TEXT, distance REAL
);
CREATE TABLE IF NOT EXISTS theme_edits (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, action TEXT NOT NULL, theme_id TEXT NOT NULL, value TEXT NOT NULL,
    created_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS theme_meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS theme_set_aside (chunk_id TEXT PRIMARY KEY, reason TEXT);
CREATE TABLE IF NOT EXISTS chunk_statements (chunk_id TEXT PRIMARY KEY, kind TEXT NOT NULL);
"""


@dataclass
class RawClusters:
    """One run's clusters before edits: what stays fixed while edits are replayed over it."""

    cluster_of: dict[str, str] = field(default_factory=dict)  # chunk id -> cluster id
    distance: dict[str, float] = field(default_factory=dict)  # chunk id -> distance to its cluster / nearest
    nearest: dict[str, str | None] = field(default_factory=dict)  # unassigned chunk id -> nearest cluster id
    centroids: dict[str, np.ndarray] = field(default_factory=dict)
    set_aside: dict[str, str] = field(default_factory=dict)  # chunk id -> why it was not clustered

    def members(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {cid: set() for cid in self.centroids}
        for chunk_id, cid in self.cluster_of.items():
            out.setdefault(cid, set()).add(chunk_id)
        return out

    @property
    def universe(self) -> set[str]:
        return set(self.cluster_of) | set(self.nearest) | set(self.set_aside)


class ThemeStore:
    """Theme tables over an open workspace connection (synth.store.Store.db)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        create_tables(self.db, SCHEMA)  # read-only workspace: empty temporary tables

    # meta --------------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM theme_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: dict[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO theme_meta (key, value) VALUES (?, ?)", list(values.items()))

    # edits -------------------------------------------------------------------------------------
    def edits(self) -> list[Edit]:
        rows = self.db.execute("SELECT seq, action, theme_id, value FROM theme_edits ORDER BY seq")
        return [Edit(seq=r[0], action=r[1], theme_id=r[2], value=r[3]) for r in rows]

    def add_edit(self, action: str, theme_id: str, value: str) -> None:
        self.db.execute("INSERT INTO theme_edits (action, theme_id, value) VALUES (?, ?, ?)", (action, theme_id, value))

    # reads -------------------------------------------------------------------------------------
    def themes(self) -> list[Theme]:
        members: dict[str, list[str]] = {}
        for theme_id, chunk_id in self.db.execute("SELECT theme_id, chunk_id FROM theme_chunks ORDER BY theme_id, rank"):
            members.setdefault(theme_id, []).append(chunk_id)
        rows = self.db.execute(
            "SELECT id, label, description, keywords, exemplar_ids, participant_count, kinds, grp, label_source, "
            "provenance FROM themes ORDER BY position"
        )
        return [
            Theme(id=r[0], label=r[1], description=r[2], keywords=json.loads(r[3]), chunk_ids=members.get(r[0], []),
                  exemplar_ids=json.loads(r[4]), participant_count=r[5], kinds=json.loads(r[6]), group=r[7],
                  label_source=r[8], provenance=json.loads(r[9]),
                  substantive=_substantive(json.loads(r[9])), statements=json.loads(r[9]).get("statements", {}))
            for r in rows
        ]

    def unassigned(self) -> list[Unassigned]:
        rows = self.db.execute(
            "SELECT chunk_id, nearest_theme_id, distance FROM theme_unassigned ORDER BY distance DESC, chunk_id"
        )
        return [Unassigned(chunk_id=r[0], nearest_theme_id=r[1], distance=r[2]) for r in rows]

    def raw(self) -> RawClusters:
        raw = RawClusters()
        for cid, blob in self.db.execute("SELECT id, centroid FROM theme_clusters"):
            raw.centroids[cid] = np.frombuffer(blob, dtype=np.float32)
        for chunk_id, cid, dist in self.db.execute("SELECT chunk_id, cluster_id, distance FROM theme_chunks"):
            raw.cluster_of[chunk_id] = cid
            raw.distance[chunk_id] = dist
        for chunk_id, cid, dist in self.db.execute("SELECT chunk_id, nearest_cluster_id, distance FROM theme_unassigned"):
            raw.nearest[chunk_id] = cid
            raw.distance[chunk_id] = dist
        raw.set_aside = dict(self.db.execute("SELECT chunk_id, reason FROM theme_set_aside"))
        return raw

    def statements(self, chunk_ids: list[str] | None = None) -> dict[str, str]:
        """Statement kind per chunk (all chunks of the last run, or those asked for)."""
        rows = self.db.execute("SELECT chunk_id, kind FROM chunk_statements")
        kinds = dict(rows)
        return kinds if chunk_ids is None else {c: kinds[c] for c in chunk_ids if c in kinds}

    def set_aside(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT chunk_id, reason FROM theme_set_aside ORDER BY chunk_id"))

    def sizes(self) -> tuple[dict[str, int], dict[str, str]]:
        """(chunks per theme, label per theme) of the stored run."""
        sizes = dict(self.db.execute("SELECT theme_id, COUNT(*) FROM theme_chunks GROUP BY theme_id").fetchall())
        labels = dict(self.db.execute("SELECT id, label FROM themes").fetchall())
        return {tid: sizes.get(tid, 0) for tid in labels}, labels

    # writes ------------------------------------------------------------------------------------
    def save(self, themes: list[Theme], centroids: dict[str, np.ndarray], raw: RawClusters,
             unassigned: list[Unassigned], meta: dict[str, str], statements: dict[str, str] | None = None) -> None:
        """Replace the stored run with this one, in one transaction."""
        theme_of = {chunk_id: t.id for t in themes for chunk_id in t.chunk_ids}
        rank = {chunk_id: n for t in themes for n, chunk_id in enumerate(t.chunk_ids)}
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for table in ("themes", "theme_chunks", "theme_clusters", "theme_unassigned", "theme_set_aside",
                          "chunk_statements"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.executemany("INSERT INTO theme_set_aside VALUES (?,?)", sorted(raw.set_aside.items()))
            self.db.executemany("INSERT INTO chunk_statements VALUES (?,?)", sorted((statements or {}).items()))
            self.db.executemany(
                "INSERT INTO themes VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(t.id, n, t.label, t.description, json.dumps(t.keywords), json.dumps(t.exemplar_ids),
                  t.participant_count, json.dumps(t.kinds), t.group, t.label_source, json.dumps(t.provenance),
                  json.dumps(t.provenance.get("clusters", [t.id])), _blob(centroids[t.id]))
                 for n, t in enumerate(themes)],
            )
            self.db.executemany(
                "INSERT INTO theme_chunks VALUES (?,?,?,?,?)",
                [(chunk_id, theme_of[chunk_id], cid, raw.distance[chunk_id], rank[chunk_id])
                 for chunk_id, cid in raw.cluster_of.items()],
            )
            sizes: dict[str, int] = {}
            for cid in raw.cluster_of.values():
                sizes[cid] = sizes.get(cid, 0) + 1
            self.db.executemany(
                "INSERT INTO theme_clusters VALUES (?,?,?)",
                [(cid, sizes.get(cid, 0), _blob(vec)) for cid, vec in raw.centroids.items()],
            )
            self.db.executemany(
                "INSERT INTO theme_unassigned VALUES (?,?,?,?)",
                [(u.chunk_id, raw.nearest.get(u.chunk_id), u.nearest_theme_id, u.distance) for u in unassigned],
            )
            self.set_meta(meta)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def rename(self, theme_id: str, label: str, meta: dict[str, str]) -> None:
        """Record a rename and apply it to the stored theme, in one transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            self.add_edit("rename", theme_id, label)
            self.db.execute("UPDATE themes SET label = ?, label_source = 'user' WHERE id = ?", (label, theme_id))
            self.set_meta(meta)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


def _substantive(provenance: dict) -> bool:
    # Kept in provenance rather than a column, so workspaces made before it need no migration.
    return provenance.get("set_aside", {}).get("substantive", True)


def _blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def fetch_vectors(vectors, ids: list[str]) -> tuple[np.ndarray, list[str]]:
    """Embeddings for `ids` in order, from a synth.vectors.VectorStore; returns (matrix, ids without a vector)."""
    found: dict[str, np.ndarray] = {}
    for i in range(0, len(ids), vectors.max_batch):
        got = vectors.collection.get(ids=ids[i : i + vectors.max_batch], include=["embeddings"])
        for cid, emb in zip(got["ids"], got["embeddings"]):
            found[cid] = np.asarray(emb, dtype=np.float32)
    missing = [cid for cid in ids if cid not in found]
    dim = next(iter(found.values())).shape[0] if found else 0
    matrix = np.zeros((len(ids), dim), dtype=np.float32)
    for n, cid in enumerate(ids):
        if cid in found:
            matrix[n] = found[cid]
    return matrix, missing
