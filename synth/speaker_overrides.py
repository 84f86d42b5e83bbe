"""The user's speaker fixes: `synth speakers set FILE SPEAKER --role R` and `merge FILE KEEP OTHER`.

A fix is stored per source file in the workspace, applied by every later ingest of that file, and
applied at once to what is stored: the file's documents get their roles again, and its chunks and
participants are re-derived. Chunk ids are content hashes, so only text that was not evidence
before is embedded; everything else keeps its vector.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from synth.config import Settings
from synth.participants import evidence_of
from synth.records import Document, Kind, Role
from synth.speakers import apply_merges, assign_roles, normalise_label, speaker_table

SCHEMA = """
CREATE TABLE IF NOT EXISTS speaker_overrides (
    path TEXT NOT NULL, speaker TEXT NOT NULL, role TEXT, merge_into TEXT,
    updated_at TEXT DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (path, speaker)
);
"""
_NAMED = "named as interviewer"  # how --interviewer decided a role at ingest; kept on re-derive


class SpeakerFixError(Exception):
    """A file or speaker the user named that the workspace does not hold; the message says what does."""


@dataclass
class FixResult:
    done: str  # what changed, in words
    path: str
    chunks_before: int
    chunks_after: int
    embedded: int


def load_overrides(store) -> dict[str, dict[str, dict]]:
    """{path: {"role": {speaker: Role}, "merge": {other: keep}}} for every file with fixes."""
    store.ensure_schema(SCHEMA)
    out: dict[str, dict[str, dict]] = {}
    for path, speaker, role, into in store.db.execute(
        "SELECT path, speaker, role, merge_into FROM speaker_overrides ORDER BY updated_at, speaker"
    ):
        fixes = out.setdefault(path, {"role": {}, "merge": {}})
        if role:
            fixes["role"][speaker] = Role(role)
        if into:
            fixes["merge"][speaker] = into
    return out


def transcript_files(store) -> dict[str, list[Document]]:
    """Stored transcript and document files with their documents, by path."""
    files: dict[str, list[Document]] = {}
    rows = store.db.execute(
        "SELECT f.path, fd.document_id FROM files f JOIN file_documents fd ON fd.path = f.path "
        "WHERE f.kind IN (?, ?) ORDER BY f.path",
        (Kind.interview.value, Kind.document.value),
    )
    for path, doc_id in list(rows):
        doc = store.document(doc_id)
        if doc is not None:
            files.setdefault(path, []).append(doc)
    return files


def resolve_file(given: str, paths: list[str]) -> str:
    """The stored path the user meant: the same file, or the only one whose name ends like `given`."""
    target = os.path.abspath(os.path.expanduser(given))
    if target in paths:
        return target
    tail = given.replace("\\", "/").strip("/")
    matches = [p for p in paths if p.replace("\\", "/").endswith("/" + tail) or Path(p).name == tail]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise SpeakerFixError(f"{given!r} matches {len(matches)} files: " + ", ".join(Path(p).name for p in matches[:5])
                              + " — give more of the path")
    raise SpeakerFixError(f"no transcript {given!r} in the workspace — `synth speakers` lists them")


def resolve_speaker(given: str, docs: list[Document], path: str) -> str:
    """The speaker label in `docs` that `given` names (case, spacing and digits ignored)."""
    speakers = list(dict.fromkeys(row.speaker for doc in docs for row in speaker_table(doc)))
    for speaker in speakers:
        if normalise_label(speaker) == normalise_label(given):
            return speaker
    raise SpeakerFixError(
        f"no speaker {given!r} in {Path(path).name}; its speakers are: " + ", ".join(speakers or ["none"])
    )


def set_role(store, vectors, settings: Settings, given_file: str, given_speaker: str, role: Role) -> FixResult:
    """Store the user's role for one speaker of one file and re-derive that file's evidence."""
    files = transcript_files(store)
    path = resolve_file(given_file, list(files))
    speaker = resolve_speaker(given_speaker, files[path], path)
    store.ensure_schema(SCHEMA)
    store.db.execute(
        "INSERT INTO speaker_overrides (path, speaker, role) VALUES (?, ?, ?) "
        "ON CONFLICT(path, speaker) DO UPDATE SET role = excluded.role, updated_at = CURRENT_TIMESTAMP",
        (path, speaker, role.value),
    )
    return rederive(store, vectors, settings, path, files[path], f"{speaker} is now {role.value}")


def merge(store, vectors, settings: Settings, given_file: str, keep: str, other: str) -> FixResult:
    """Store that `other` is the same person as `keep` in one file and re-derive its evidence."""
    files = transcript_files(store)
    path = resolve_file(given_file, list(files))
    keep_name = resolve_speaker(keep, files[path], path)
    other_name = resolve_speaker(other, files[path], path)
    if keep_name == other_name:
        raise SpeakerFixError(f"{keep!r} and {other!r} are already one speaker in {Path(path).name}")
    store.ensure_schema(SCHEMA)
    store.db.execute(
        "INSERT INTO speaker_overrides (path, speaker, merge_into) VALUES (?, ?, ?) "
        "ON CONFLICT(path, speaker) DO UPDATE SET merge_into = excluded.merge_into, updated_at = CURRENT_TIMESTAMP",
        (path, other_name, keep_name),
    )
    return rederive(store, vectors, settings, path, files[path], f"{other_name} is now {keep_name}")


def rederive(store, vectors, settings: Settings, path: str, docs: list[Document], done: str = "") -> FixResult:
    """Apply the file's fixes to its stored documents; replace its chunks and participants."""
    from synth.ingest import embed_and_store_vectors

    fixes = load_overrides(store).get(path, {"role": {}, "merge": {}})
    before = [cid for doc in docs for cid in _chunk_ids(store, doc.id)]
    for doc in docs:
        named = [s for s, d in (doc.metadata.get("speaker_roles") or {}).items() if d.get("how") == _NAMED]
        named += settings.interviewers
        apply_merges(doc, fixes["merge"])
        assign_roles(doc, named, fixes["role"])
    chunks, people = evidence_of(docs, settings.max_tokens)
    state = store.file_state(path)
    fmt = store.db.execute("SELECT format FROM files WHERE path = ?", (path,)).fetchone()[0]
    known = store.has_chunks([c.id for c in chunks])
    fresh = [c for c in chunks if c.id not in known]
    embed_and_store_vectors(settings.embedder, fresh, vectors)
    orphans = store.replace_file(state, fmt, docs, chunks, people)
    if orphans:
        vectors.delete(orphans)
    return FixResult(done, path, len(before), len(chunks), len(fresh))


def _chunk_ids(store, doc_id: str) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT id FROM chunks WHERE document_id = ?", (doc_id,))]
