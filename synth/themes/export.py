"""Themes to files: one CSV row per clustered chunk (theme, broad theme, statement kind, text), or the run as JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from synth.config import Settings


def write_themes(settings: Settings, run, path: Path, kind: str | None = None) -> int:
    """Write `run` to `path` (.csv or .json); returns the rows (chunks) written. Written whole or not at all."""
    from synth.search import open_store
    from synth.themes.store import ThemeStore

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError("the file must end in .csv or .json")
    with open_store(settings) as store:
        kinds = ThemeStore(store.db).statements()
        ids = [cid for t in run.themes for cid in t.chunk_ids if kind is None or kinds.get(cid) == kind]
        chunks = {c.id: c for c in store.chunks(ids)}
    rows = [
        {"theme_id": t.id, "theme": t.label, "broad_theme": t.group or "", "statement": kinds.get(cid, ""),
         "chunk_id": cid, "participant_id": chunks[cid].participant_id or "", "source_kind": chunks[cid].kind.value,
         "text": chunks[cid].text}
        for t in run.themes for cid in t.chunk_ids if cid in chunks
    ]
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        if suffix == ".csv":
            writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["theme_id"])
            writer.writeheader()
            writer.writerows(rows)
        else:
            themes = [{**t.model_dump(mode="json", exclude={"chunk_ids"}), "size": t.size} for t in run.themes]
            json.dump({"themes": themes, "chunks": rows, "stats": run.stats}, f, indent=2, ensure_ascii=False)
    tmp.replace(path)
    return len(rows)
