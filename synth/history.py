"""Every run of themes and personas, kept as a numbered version of the workspace's results.

A version is a snapshot of what the run left behind: the themes (id, label, size, participants) and
the personas with their segments. Each version holds the whole picture at that moment, so any two
can be compared (`synth diff`, synth.diff). A themes run that changed nothing (the same themes as
the latest version) adds no version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timezone

from pydantic import BaseModel, Field

from synth.records import Persona, Segment, Theme
from synth.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    number INTEGER PRIMARY KEY AUTOINCREMENT, stage TEXT NOT NULL, created_at TEXT NOT NULL, digest TEXT NOT NULL,
    record TEXT NOT NULL
);
"""


class ThemeSnapshot(BaseModel):
    id: str
    label: str
    chunks: int
    participants: int
    substantive: bool = True


class Version(BaseModel):
    """What one run of `themes` or `personas` left in the workspace."""

    number: int = 0
    stage: str  # "themes" | "personas"
    created_at: str = ""
    themes: list[ThemeSnapshot] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    segments: list[Segment] = Field(default_factory=list)
    summary: dict = Field(default_factory=dict)  # the run's own counts: personas kept, new, retired; decisions carried


class VersionNotFound(LookupError):
    """No version with that number; a usage error (exit 2)."""

    exit_code = 2


def ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def theme_snapshots(themes: Sequence[Theme]) -> list[ThemeSnapshot]:
    return [ThemeSnapshot(id=t.id, label=t.label, chunks=t.size, participants=t.participant_count,
                          substantive=t.substantive) for t in themes]


def stored_themes(db) -> list[ThemeSnapshot]:
    """The themes the workspace holds now ([] before the themes stage ran)."""
    from synth.themes.store import ThemeStore

    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'themes'").fetchone():
        return []
    return theme_snapshots(ThemeStore(db).themes())


def _digest(version: Version) -> str:
    body = version.model_dump_json(include={"themes", "personas", "segments"})
    return hashlib.sha256(body.encode()).hexdigest()[:16]


def record_version(db, version: Version, *, skip_unchanged: bool = False) -> int | None:
    """Append a version inside the caller's transaction (the versions table exists); returns its number.

    skip_unchanged: add nothing when the latest version holds exactly the same results."""
    digest = _digest(version)
    if skip_unchanged:
        last = db.execute("SELECT number, digest FROM versions ORDER BY number DESC LIMIT 1").fetchone()
        if last and last[1] == digest:
            return None
    stamp = version.created_at or datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
    body = version.model_copy(update={"created_at": stamp}).model_dump_json(exclude={"number"})
    cur = db.execute("INSERT INTO versions (stage, created_at, digest, record) VALUES (?, ?, ?, ?)",
                     (version.stage, stamp, digest, body))
    return cur.lastrowid


def next_number(db) -> int:
    """The number the next recorded version will get (for records written with it in one transaction)."""
    row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'versions'").fetchone()
    return (row[0] if row else 0) + 1


def record_themes_version(store: Store, themes: Sequence[Theme]) -> int | None:
    """After a themes run: the new themes with the personas the workspace holds now."""
    from synth.personas.store import load_personas, load_segments

    ensure(store)
    version = Version(stage="themes", themes=theme_snapshots(themes), personas=load_personas(store),
                      segments=load_segments(store))
    with store.transaction() as db:
        return record_version(db, version, skip_unchanged=True)


class VersionInfo(BaseModel):
    number: int
    stage: str
    created_at: str
    themes: int
    personas: int
    summary: dict = Field(default_factory=dict)


def list_versions(store: Store) -> list[VersionInfo]:
    """Every recorded version, oldest first."""
    ensure(store)
    out = []
    for number, stage, created, record in store.db.execute(
            "SELECT number, stage, created_at, record FROM versions ORDER BY number"):
        raw = json.loads(record)
        out.append(VersionInfo(number=number, stage=stage, created_at=created, themes=len(raw.get("themes", [])),
                               personas=len(raw.get("personas", [])), summary=raw.get("summary", {})))
    return out


def load_version(store: Store, number: int) -> Version:
    ensure(store)
    row = store.db.execute("SELECT number, record FROM versions WHERE number = ?", (number,)).fetchone()
    if row is None:
        have = [v.number for v in list_versions(store)]
        listing = f"versions are {have[0]}-{have[-1]}" if have else "no version recorded yet"
        raise VersionNotFound(f"no version {number}: {listing} (see `synth history`)")
    return Version.model_validate_json(row[1]).model_copy(update={"number": row[0]})


def default_pair(store: Store) -> tuple[int, int]:
    """The last two runs: the latest version and the latest earlier one of the same stage (else any earlier)."""
    versions = list_versions(store)
    if len(versions) < 2:
        raise VersionNotFound(
            "synth diff needs two recorded runs; run `synth personas` (or `synth run FOLDER`) again after a change"
            if versions else "no run recorded yet; run `synth run FOLDER` first")
    new = versions[-1]
    same = [v for v in versions[:-1] if v.stage == new.stage]
    return (same[-1] if same else versions[-2]).number, new.number
