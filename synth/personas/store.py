"""Segments and personas in the workspace database, stored as validated JSON records."""

from __future__ import annotations

import json
import re

from pydantic import BaseModel

from synth.records import Chunk, Persona, Segment
from synth.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, position INTEGER, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS personas (
    id TEXT PRIMARY KEY, position INTEGER, segment_id TEXT, name TEXT, record TEXT NOT NULL,
    updated_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS retired_personas (
    id TEXT PRIMARY KEY, retired_at TEXT NOT NULL, version INTEGER, record TEXT NOT NULL, segment TEXT
);
"""


class PersonaNotFound(LookupError):
    """No persona matches what the user typed; the message lists the ones that exist. A usage error (exit 2)."""

    exit_code = 2


class NoPersonasYet(PersonaNotFound):
    """The workspace has no personas: an earlier stage has not run (exit 1, like any stage not run yet)."""

    exit_code = 1


def _ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def save_personas(store: Store, segments: list[Segment], personas: list[Persona]) -> None:
    """Replace all segments and personas in one transaction (a run produces a whole set)."""
    _ensure(store)
    with store.transaction() as db:
        write_personas(db, segments, personas)


def write_personas(db, segments: list[Segment], personas: list[Persona]) -> None:
    """Replace all segments and personas inside the caller's transaction."""
    db.execute("DELETE FROM segments")
    db.execute("DELETE FROM personas")
    db.executemany(
        "INSERT INTO segments (id, position, record) VALUES (?, ?, ?)",
        [(s.id, i, s.model_dump_json()) for i, s in enumerate(segments)],
    )
    db.executemany(
        "INSERT INTO personas (id, position, segment_id, name, record) VALUES (?, ?, ?, ?, ?)",
        [(p.id, i, p.segment_id, p.name, p.model_dump_json()) for i, p in enumerate(personas)],
    )


def update_persona(store: Store, persona: Persona) -> None:
    """Write back one edited persona (a rename, a re-verified claim)."""
    _ensure(store)
    with store.transaction() as db:
        db.execute(
            "UPDATE personas SET name = ?, record = ?, updated_at = CURRENT_TIMESTAMP WHERE id = ?",
            (persona.name, persona.model_dump_json(), persona.id),
        )


class RetiredPersona(BaseModel):
    """A persona no segment continues any more: kept, never deleted, with the version that retired it."""

    persona: Persona
    segment: Segment | None = None
    retired_at: str
    version: int | None = None


def retire_personas(db, retired: list[tuple[Persona, Segment | None]], stamp: str, version: int | None) -> None:
    """Keep the personas a re-run no longer continues (inside the caller's transaction)."""
    db.executemany(
        "INSERT OR REPLACE INTO retired_personas (id, retired_at, version, record, segment) VALUES (?, ?, ?, ?, ?)",
        [(p.id, stamp, version, p.model_dump_json(), seg.model_dump_json() if seg else None) for p, seg in retired],
    )


def load_retired(store: Store) -> list[RetiredPersona]:
    """Retired personas, most recently retired first (those a later run revived are not listed)."""
    _ensure(store)
    rows = store.db.execute("SELECT record, segment, retired_at, version FROM retired_personas "
                            "WHERE id NOT IN (SELECT id FROM personas) ORDER BY retired_at DESC")
    return [RetiredPersona(persona=Persona.model_validate_json(r[0]),
                           segment=Segment.model_validate_json(r[1]) if r[1] else None, retired_at=r[2],
                           version=r[3]) for r in rows]


def load_segments(store: Store) -> list[Segment]:
    _ensure(store)
    return [Segment.model_validate(json.loads(r[0])) for r in store.db.execute("SELECT record FROM segments ORDER BY position")]


def load_personas(store: Store) -> list[Persona]:
    _ensure(store)
    return [Persona.model_validate(json.loads(r[0])) for r in store.db.execute("SELECT record FROM personas ORDER BY position")]


ARTICLES = frozenset({"the", "a", "an"})  # "The Budget Student": `show budget` and `show student` find it


def name_words(name: str) -> list[str]:
    """The words of a persona name a user may type, lower case, articles left out ("shared-list" gives both parts)."""
    words = re.findall(r"[\w']+", name.lower())
    return [w for w in words if w not in ARTICLES]


def find_persona(store: Store, key: str) -> Persona:
    """A persona by 1-based position, id, name, or any words of its name (case-insensitive, articles ignored).

    "free", "hamid", "the free student", "free stu" all find "Hamid, the free student": every word typed
    must start a word of the name. Nothing found: a "did you mean" for the closest name.
    """
    personas = load_personas(store)
    if not personas:
        raise NoPersonasYet("no personas yet — run `synth personas` (or `synth run FOLDER`) first")
    key = key.strip()
    if key.isdigit() and 1 <= int(key) <= len(personas):
        return personas[int(key) - 1]
    exact = [p for p in personas if key in (p.id, p.name) or p.name.lower() == key.lower()]
    if len(exact) == 1:
        return exact[0]
    # Words are looked up only in what reads as words: a key with markup or control characters matches by id or
    # whole name only.
    typed = name_words(key) if re.fullmatch(r"[\w\s'\u2019.,-]+", key) else []
    by_id = [p for p in personas if key and p.id.startswith(key)]
    by_words = [p for p in personas if typed and all(any(w.startswith(t) for w in name_words(p.name)) for t in typed)]
    matches = exact or by_id or by_words
    if len(matches) == 1:
        return matches[0]
    listing = "; ".join(f"{i}. {p.name}" for i, p in enumerate(personas, 1))
    if matches:
        several = "; ".join(f"{personas.index(p) + 1}. {p.name}" for p in matches)
        raise PersonaNotFound(f"{key!r} matches several personas: {several}; type more of the name, or its number")
    hint = _did_you_mean(key, personas)
    raise PersonaNotFound(f"{key!r} matches no persona{hint}; personas: {listing}")


def _did_you_mean(key: str, personas: list[Persona]) -> str:
    """"; did you mean 2. Kenji, the plan parent?" for the name or name word closest to `key` ("" when none is)."""
    import difflib

    options: dict[str, int] = {}
    for i, p in enumerate(personas, 1):
        options.setdefault(p.name.lower(), i)
        for w in name_words(p.name):
            options.setdefault(w, i)
    typed = " ".join(name_words(key)) or key.lower()
    close = difflib.get_close_matches(typed, list(options), n=1, cutoff=0.6)
    if not close:
        return ""
    i = options[close[0]]
    return f"; did you mean {i}. {personas[i - 1].name}?"


def chunks_of_documents(store: Store, document_ids: list[str]) -> list[Chunk]:
    """Every stored chunk of the given documents, in document order."""
    ids: list[str] = []
    for i in range(0, len(document_ids), 900):
        part = document_ids[i : i + 900]
        q = f"SELECT id FROM chunks WHERE document_id IN ({','.join('?' * len(part))}) ORDER BY document_id, start"
        ids += [r[0] for r in store.db.execute(q, part)]
    return store.chunks(ids)


def participant_ratings(store: Store) -> dict[str, float]:
    """Each review author's mean star rating, from their documents' metadata."""
    rows = store.db.execute(
        "SELECT DISTINCT c.participant_id, d.id, d.metadata FROM chunks c JOIN documents d ON d.id = c.document_id "
        "WHERE c.participant_id IS NOT NULL AND d.metadata LIKE '%\"rating\"%'"
    )
    ratings: dict[str, list[float]] = {}
    for pid, _doc, meta in rows:
        try:
            value = float(json.loads(meta).get("rating"))
        except (TypeError, ValueError):
            continue
        ratings.setdefault(pid, []).append(value)
    return {pid: sum(v) / len(v) for pid, v in ratings.items()}


def participant_sources(store: Store) -> dict[str, str]:
    """Each participant's source: the file most of their words come from ("kind:path"), so that segments can
    take out what one export's rows share (its template, its greeting) before comparing people."""
    rows = store.db.execute(
        "SELECT c.participant_id, d.kind, d.path, COUNT(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
        "WHERE c.participant_id IS NOT NULL AND c.role = 'participant' GROUP BY c.participant_id, d.kind, d.path"
    )
    best: dict[str, tuple[int, str]] = {}
    for pid, kind, path, count in rows:
        source = f"{kind}:{path}"
        if pid not in best or (count, source) > best[pid]:
            best[pid] = (count, source)
    return {pid: source for pid, (_, source) in best.items()}
