"""Participant profiles in the workspace database, one validated JSON record per participant."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence

import numpy as np

from synth.profiles.records import ParticipantProfile
from synth.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS profiles (
    participant_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, record TEXT NOT NULL,
    updated_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS text_vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL);
"""


def save_profiles(store: Store, profiles: Iterable[ParticipantProfile], keep_only: bool = True) -> None:
    """Write profiles; keep_only: drop the stored profiles of participants not among them (gone from the study)."""
    store.ensure_schema(SCHEMA)
    profiles = list(profiles)
    with store.transaction() as db:
        if keep_only:
            db.execute("DELETE FROM profiles")
        db.executemany(
            "INSERT OR REPLACE INTO profiles (participant_id, fingerprint, record) VALUES (?, ?, ?)",
            [(p.participant_id, p.fingerprint, p.model_dump_json()) for p in profiles],
        )


def load_profiles(store: Store, participant_ids: Iterable[str] | None = None) -> dict[str, ParticipantProfile]:
    """Stored profiles by participant id (all, or those asked for)."""
    store.ensure_schema(SCHEMA)
    rows = store.db.execute("SELECT participant_id, record FROM profiles ORDER BY participant_id").fetchall()
    wanted = set(participant_ids) if participant_ids is not None else None
    return {pid: ParticipantProfile.model_validate(json.loads(rec)) for pid, rec in rows
            if wanted is None or pid in wanted}


class StoredVectors:
    """Embeddings of statement texts kept in the workspace, keyed by embedder and text: re-runs embed nothing."""

    def __init__(self, store: Store, embedder: str):
        self.store, self.embedder = store, embedder
        store.ensure_schema(SCHEMA)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.embedder}\x1f{text}".encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        keys = {self._key(t): t for t in texts}
        found: dict[str, np.ndarray] = {}
        ids = list(keys)
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            q = f"SELECT key, vector FROM text_vectors WHERE key IN ({','.join('?' * len(part))})"
            for key, blob in self.store.db.execute(q, part):
                found[keys[key]] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def put(self, vectors: dict[str, np.ndarray]) -> None:
        try:
            with self.store.transaction() as db:
                db.executemany("INSERT OR REPLACE INTO text_vectors (key, vector) VALUES (?, ?)",
                               [(self._key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in vectors.items()])
        except sqlite3.OperationalError as exc:
            if "readonly" not in str(exc):
                raise  # a read-only workspace simply does not keep them; anything else is a real failure
