"""Where attributes live: closed survey answers in participant metadata, joined columns in their own table.

The joined table is replaced per source file, so re-running `synth attributes FILE` never doubles a value,
and a re-ingest (which rewrites participants) never drops what was joined.
"""

from __future__ import annotations

import json
from typing import Any

from synth.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS participant_attributes (
    participant_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT, source TEXT NOT NULL,
    PRIMARY KEY (participant_id, name, source)
);
"""


def save_joined(store: Store, source: str, values: dict[str, dict[str, Any]]) -> None:
    """Replace the attributes joined from `source` with `values` (participant id -> {name: value}), in one transaction."""
    store.ensure_schema(SCHEMA)
    with store.transaction() as db:
        db.execute("DELETE FROM participant_attributes WHERE source = ?", (source,))
        db.executemany("INSERT OR REPLACE INTO participant_attributes VALUES (?, ?, ?, ?)",
                       [(pid, name, json.dumps(value), source) for pid, attrs in values.items()
                        for name, value in attrs.items()])


def load_attributes(store: Store) -> dict[str, dict[str, Any]]:
    """Participant id -> {attribute: value}: closed survey answers, then joined columns (a later source wins)."""
    out: dict[str, dict[str, Any]] = {}
    for p in store.participants():
        if isinstance(p.metadata.get("attributes"), dict):
            out[p.id] = dict(p.metadata["attributes"])
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "participant_attributes" in tables:
        for pid, name, value, _ in store.db.execute("SELECT * FROM participant_attributes ORDER BY source, rowid"):
            out.setdefault(pid, {})[name] = json.loads(value)
    return out
