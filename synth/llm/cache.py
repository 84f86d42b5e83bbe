"""The LLM cache and the run log, both in the workspace's SQLite database.

`llm_cache` maps a request key (model, base URL, rendered messages, schema, parameters) to the
reply that passed validation, so re-running on unchanged inputs makes no network calls.
`llm_runs` and `llm_calls` record token usage and which backend received data.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

from synth.llm.base import Completion, Message, Usage

SCHEMA = """
CREATE TABLE IF NOT EXISTS llm_cache (
    key TEXT PRIMARY KEY, model_id TEXT, text TEXT, prompt_tokens INTEGER, completion_tokens INTEGER,
    created_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS llm_runs (
    id TEXT PRIMARY KEY, started_at TEXT DEFAULT CURRENT_TIMESTAMP, command TEXT, model_id TEXT,
    backend TEXT, base_url TEXT, is_local INTEGER, masked INTEGER, received_data INTEGER DEFAULT 0,
    calls INTEGER DEFAULT 0, cached_calls INTEGER DEFAULT 0,
    prompt_tokens INTEGER DEFAULT 0, completion_tokens INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS llm_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP, task TEXT,
    model_id TEXT, cache_key TEXT, cached INTEGER, sent_to TEXT, masked INTEGER, attempts INTEGER,
    prompt_tokens INTEGER, completion_tokens INTEGER, latency_ms INTEGER
);
CREATE INDEX IF NOT EXISTS llm_calls_run ON llm_calls(run_id);
"""


def cache_key(
    model_id: str, base_url: str | None, messages: list[Message], schema: dict[str, Any] | None, params: dict[str, Any]
) -> str:
    """A sha256 over everything that can change a reply."""
    payload = {"model": model_id, "base_url": base_url, "messages": messages, "schema": schema, "params": params}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class _Database:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # One connection shared by generate_many's threads, serialized by a lock.
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.lock = threading.Lock()

    def close(self) -> None:
        self.db.close()


class LLMCache(_Database):
    """Replies keyed by `cache_key`."""

    def get(self, key: str) -> Completion | None:
        with self.lock:
            row = self.db.execute(
                "SELECT text, prompt_tokens, completion_tokens FROM llm_cache WHERE key = ?", (key,)
            ).fetchone()
        if row is None:
            return None
        return Completion(text=row[0], usage=Usage(prompt_tokens=row[1] or 0, completion_tokens=row[2] or 0))

    def put(self, key: str, model_id: str, completion: Completion) -> None:
        with self.lock:
            self.db.execute(
                "INSERT OR REPLACE INTO llm_cache (key, model_id, text, prompt_tokens, completion_tokens)"
                " VALUES (?,?,?,?,?)",
                (key, model_id, completion.text, completion.usage.prompt_tokens, completion.usage.completion_tokens),
            )

    def __len__(self) -> int:
        with self.lock:
            return self.db.execute("SELECT COUNT(*) FROM llm_cache").fetchone()[0]

    def clear(self, model_id: str | None = None) -> int:
        """Forget cached replies (of one model, or all); returns how many."""
        with self.lock:
            if model_id is None:
                return self.db.execute("DELETE FROM llm_cache").rowcount
            return self.db.execute("DELETE FROM llm_cache WHERE model_id = ?", (model_id,)).rowcount


class RunLog(_Database):
    """One row per run (a command), one per call: usage, cache hits, and who received data."""

    def start(self, command: str, describe: dict[str, Any], masked: bool) -> str:
        run_id = f"run_{uuid.uuid4().hex[:16]}"
        with self.lock:
            self.db.execute(
                "INSERT INTO llm_runs (id, command, model_id, backend, base_url, is_local, masked)"
                " VALUES (?,?,?,?,?,?,?)",
                (run_id, command, describe["model_id"], describe["backend"], describe.get("base_url"),
                 int(bool(describe["local"])), int(masked)),
            )
        return run_id

    def record(
        self, run_id: str, *, task: str, model_id: str, key: str, cached: bool, sent_to: str | None,
        masked: bool, attempts: int, usage: Usage, latency_ms: int,
    ) -> None:
        with self.lock:
            self.db.execute(
                "INSERT INTO llm_calls (run_id, task, model_id, cache_key, cached, sent_to, masked, attempts,"
                " prompt_tokens, completion_tokens, latency_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, task, model_id, key, int(cached), sent_to, int(masked), attempts,
                 usage.prompt_tokens, usage.completion_tokens, latency_ms),
            )
            self.db.execute(
                "UPDATE llm_runs SET calls = calls + ?, cached_calls = cached_calls + ?,"
                " prompt_tokens = prompt_tokens + ?, completion_tokens = completion_tokens + ?,"
                " received_data = MAX(received_data, ?) WHERE id = ?",
                (usage.calls, int(cached), usage.prompt_tokens, usage.completion_tokens,
                 int(sent_to is not None), run_id),
            )

    def run(self, run_id: str) -> dict[str, Any] | None:
        with self.lock:
            cur = self.db.execute("SELECT * FROM llm_runs WHERE id = ?", (run_id,))
            row = cur.fetchone()
            return dict(zip([c[0] for c in cur.description], row, strict=True)) if row else None

    def calls(self, run_id: str) -> list[dict[str, Any]]:
        with self.lock:
            cur = self.db.execute("SELECT * FROM llm_calls WHERE run_id = ? ORDER BY id", (run_id,))
            cols = [c[0] for c in cur.description]
            return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
