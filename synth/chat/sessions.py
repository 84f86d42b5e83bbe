"""Chat sessions in the workspace database (tables `chat_sessions`, `chat_messages`), listed and exported."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from synth.chat.records import ChatSession, ChatTurnResult
from synth.records import Persona, Verdict
from synth.store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS chat_sessions (
    id TEXT PRIMARY KEY, persona_id TEXT NOT NULL, persona_name TEXT NOT NULL, segment_id TEXT NOT NULL,
    model_id TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP, updated_at TEXT DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS chat_messages (
    session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    role TEXT NOT NULL, text TEXT NOT NULL, record TEXT, created_at TEXT DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (session_id, position)
);
"""


class SessionNotFound(LookupError):
    """No saved session matches; the message says how to list them. A usage error (exit 2)."""

    exit_code = 2


class NoSessionsYet(SessionNotFound):
    """No session has been saved yet (exit 1, like any stage not run yet)."""

    exit_code = 1


def _ensure(store: Store) -> None:
    store.ensure_schema(SCHEMA)


def new_session(persona: Persona, model_id: str = "") -> ChatSession:
    """A fresh, unsaved session; it is written with its first turn."""
    return ChatSession(id=f"chat_{uuid.uuid4().hex[:12]}", persona_id=persona.id, persona_name=persona.name,
                       segment_id=persona.segment_id, model_id=model_id)


def append_turn(store: Store, session: ChatSession, result: ChatTurnResult) -> None:
    """Save one question and its answer (creating the session on its first turn)."""
    _ensure(store)
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO chat_sessions (id, persona_id, persona_name, segment_id, model_id) "
            "VALUES (?,?,?,?,?)",
            (session.id, session.persona_id, session.persona_name, session.segment_id, session.model_id),
        )
        position = db.execute("SELECT count(*) FROM chat_messages WHERE session_id = ?", (session.id,)).fetchone()[0]
        db.executemany(
            "INSERT INTO chat_messages (session_id, position, role, text, record) VALUES (?,?,?,?,?)",
            [(session.id, position, "user", result.question, None),
             (session.id, position + 1, "persona", result.answer, result.model_dump_json())],
        )
        db.execute("UPDATE chat_sessions SET updated_at = CURRENT_TIMESTAMP, model_id = ? WHERE id = ?",
                   (session.model_id, session.id))
        row = db.execute("SELECT created_at, updated_at FROM chat_sessions WHERE id = ?", (session.id,)).fetchone()
    session.created_at, session.updated_at = row


def list_sessions(store: Store, persona_id: str | None = None) -> list[dict]:
    """Saved sessions, most recent first: id, persona, turns, times and the first question."""
    _ensure(store)
    rows = store.db.execute(
        "SELECT s.id, s.persona_id, s.persona_name, s.model_id, s.created_at, s.updated_at, "
        "(SELECT count(*) FROM chat_messages m WHERE m.session_id = s.id AND m.role = 'user'), "
        "(SELECT text FROM chat_messages m WHERE m.session_id = s.id ORDER BY position LIMIT 1) "
        "FROM chat_sessions s WHERE ? IS NULL OR s.persona_id = ? ORDER BY s.updated_at DESC, s.rowid DESC",
        (persona_id, persona_id),
    )
    keys = ("id", "persona_id", "persona_name", "model_id", "created_at", "updated_at", "turns", "first_question")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def load_session(store: Store, key: str) -> ChatSession:
    """A session by id, unique id prefix, or 1-based position in `list_sessions` (1 = most recent)."""
    sessions = list_sessions(store)
    if not sessions:
        raise NoSessionsYet("no chat sessions yet — start one with `synth chat PERSONA`")
    if key.isdigit() and 1 <= int(key) <= len(sessions):
        found = [sessions[int(key) - 1]]
    else:
        found = [s for s in sessions if s["id"] == key] or [s for s in sessions if s["id"].startswith(key)]
    if len(found) != 1:
        what = "matches several sessions" if found else "matches no session"
        raise SessionNotFound(f"{key!r} {what}; see `synth chats list`")
    head = found[0]
    records = store.db.execute(
        "SELECT record FROM chat_messages WHERE session_id = ? AND role = 'persona' ORDER BY position", (head["id"],)
    )
    row = store.db.execute("SELECT segment_id FROM chat_sessions WHERE id = ?", (head["id"],)).fetchone()
    return ChatSession(
        id=head["id"], persona_id=head["persona_id"], persona_name=head["persona_name"], segment_id=row[0],
        model_id=head["model_id"] or "", created_at=head["created_at"], updated_at=head["updated_at"],
        turns=[ChatTurnResult.model_validate_json(r[0]) for r in records],
    )


# export -------------------------------------------------------------------------------------------
_MARK = {Verdict.verified: "verified"}


def export_json(session: ChatSession) -> str:
    data = session.model_dump(mode="json", exclude={"turns"})
    data["turns"] = [t.as_json() | {"turn": t.turn} for t in session.turns]
    return json.dumps(data, indent=2, ensure_ascii=False)


def export_markdown(session: ChatSession) -> str:
    """A readable transcript: each answer with its numbered sources and whether each was verified."""
    out = [f"# Chat with {session.persona_name}", "",
           f"Session `{session.id}` · started {session.created_at} UTC · model `{session.model_id or '?'}` · "
           f"segment `{session.segment_id}`", ""]
    for t in session.turns:
        out += [f"## {t.turn}. {t.question}", "", f"**{session.persona_name}:** {t.answer}", ""]
        for s in t.sentences:
            if not s.verified:
                out.append(f"> Not verified: \"{s.text}\" ({'; '.join(s.flags) or 'unverified'})")
        if any(not s.verified for s in t.sentences):
            out.append("")
        for c in t.citations:
            where = ", ".join(x for x in (c.speaker, c.file, c.location) if x)
            out.append(f"{c.n}. {_MARK.get(c.verdict, 'NOT VERIFIED (' + c.verdict.value + ')')}: "
                       f"\"{c.quote}\"" + (f" ({where})" if where else ""))
        if t.suggested_question:
            out += ["" if out[-1] else None, f"Interview question that would find out: *{t.suggested_question}*", ""]
            out = [line for line in out if line is not None]
        elif out[-1]:
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def export_session(session: ChatSession, fmt: str = "md", path: Path | None = None) -> str:
    """The session as Markdown (`md`) or JSON (`json`); written to `path` when given."""
    if fmt not in ("md", "json"):
        raise ValueError(f"export format must be md or json, not {fmt!r}")
    text = export_markdown(session) if fmt == "md" else export_json(session)
    if path is not None:
        path.write_text(text, encoding="utf-8")
    return text
