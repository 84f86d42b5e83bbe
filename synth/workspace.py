"""The workspace on disk: whether it exists and can be written, who is writing to it, and what a
storage failure means for the person at the terminal.

Readers open a read-only workspace read-only; writers take the workspace's write lock first, so a
second writer waits for the first instead of embedding everything twice. Storage failures (disk
full, database locked, read-only files, a damaged vector store) become one line naming the path and
the fix, in one place: `describe_storage_error`, used by the CLI's common error handling.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from synth.config import Settings
from synth.terminal import printable

try:  # POSIX; the kernel drops the lock when its holder dies, so a crash never leaves a stale lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "write.lock"
_READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)
_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT)


class WorkspaceError(Exception):
    """The workspace cannot be used as asked; the message says what to do. `exit_code`: 1 failed, 2 usage."""

    exit_code = 1


class MissingWorkspace(WorkspaceError):
    """No workspace where one was named: missing input, so exit code 2."""

    exit_code = 2


class ReadOnlyWorkspace(WorkspaceError):
    """A command that writes was pointed at a workspace it cannot write."""


class WorkspaceBusy(WorkspaceError):
    """Another process holds the write lock and the caller chose not to wait."""


def shown(path: Path | str) -> str:
    """A path as people can read it: bytes that are not UTF-8 as \\xNN, control characters replaced."""
    return printable(os.fspath(path))


def require_workspace(settings: Settings) -> None:
    """Raise MissingWorkspace unless the settings' workspace holds a database (never create one)."""
    if not settings.db_path.is_file():
        raise MissingWorkspace(
            f"no workspace at {shown(settings.workspace)} — run `synth ingest FOLDER` first, "
            "or point --workspace at one"
        )


def writable(path: Path) -> bool:
    """Whether this process may write `path` (a folder, or a file and its folder)."""
    if not os.access(path, os.W_OK):
        return False
    return path.is_file() is False or os.access(path.parent, os.W_OK)


def workspace_writable(settings: Settings) -> bool:
    """Whether the workspace's folder, database and local vector store can all be written."""
    paths = [settings.workspace, settings.db_path]
    if not settings.chroma_url and settings.chroma_path.exists():
        paths.append(settings.chroma_path)
    return all(writable(p) for p in paths if p.exists())


def open_store(settings: Settings):
    """The workspace's Store for reading: read-only when the workspace cannot be written."""
    from synth.store import Store

    require_workspace(settings)
    return Store(settings.db_path, read_only=not workspace_writable(settings))


def read_only_message(workspace: Path) -> str:
    ws = shown(workspace)
    return (f"workspace {ws} is read-only — make it writable (chmod -R u+w {ws}) "
            "or copy it and point --workspace at the copy")


# the write lock ---------------------------------------------------------------------------------
_held: dict[str, list] = {}  # resolved lock path -> [fd, depth]: re-entrant within one process
_held_guard = threading.Lock()


@contextmanager
def write_lock(
    workspace: Path,
    command: str,
    *,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
    read_only_ok: bool = False,
) -> Iterator[None]:
    """Hold the workspace's write lock; a second writer waits (with `on_wait(message)`) or raises WorkspaceBusy.

    read_only_ok: in a workspace this process cannot write, go on without the lock (the command
    may only read, as `synth themes` does when nothing changed) instead of raising ReadOnlyWorkspace.
    """
    if fcntl is None:  # pragma: no cover - no advisory locks on this platform
        yield
        return
    lock_path = workspace / LOCK_NAME
    key = os.path.abspath(lock_path)
    with _held_guard:
        if key in _held:
            _held[key][1] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key][1] -= 1
        return
    try:
        workspace.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno in _READ_ONLY_ERRNOS:
            if read_only_ok:
                yield
                return
            raise ReadOnlyWorkspace(read_only_message(workspace)) from None
        raise
    try:
        _acquire(fd, workspace, command, wait, on_wait)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {command}\n".encode(), 0)
        with _held_guard:
            _held[key] = [fd, 1]
        try:
            yield
        finally:
            with _held_guard:
                del _held[key]
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, workspace: Path, command: str, wait: bool, on_wait) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        pass
    who = _holder(fd)
    if not wait:
        raise WorkspaceBusy(f"{who} is writing to {shown(workspace)}; wait for it to finish, "
                            "or run again without --no-wait to wait for it")
    if on_wait is not None:
        on_wait(f"{who} is writing to {shown(workspace)}; waiting… Ctrl-C to stop")
    fcntl.flock(fd, fcntl.LOCK_EX)  # Ctrl-C raises KeyboardInterrupt out of the wait


def _holder(fd: int) -> str:
    """'another synth ingest (pid 123)' from what the holder wrote into the lock file."""
    try:
        pid, _, command = os.pread(fd, 200, 0).decode("utf-8", "replace").strip().partition(" ")
    except OSError:
        pid, command = "", ""
    name = f"another synth {command}" if command else "another synth command"
    return f"{name} (pid {pid})" if pid.isdigit() else name


# storage errors -------------------------------------------------------------------------------
def describe_storage_error(exc: BaseException, workspace: Path | None = None) -> str | None:
    """One line (path and fix) for a storage failure anywhere in `exc`'s chain; None if it is not one."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        line = _describe(current, workspace)
        if line:
            return line
        current = current.__cause__ or current.__context__
    return None


def _describe(exc: BaseException, workspace: Path | None) -> str | None:
    ws = Path(workspace) if workspace is not None else None
    db = shown(ws / "synth.db") if ws else "the workspace database"
    chroma = shown(ws / "chroma") if ws else "the workspace's vector store"
    if isinstance(exc, WorkspaceError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno is not None:
        where = shown(exc.filename) if exc.filename else (shown(ws) if ws else "the workspace")
        if exc.errno in _FULL_ERRNOS:
            return f"disk full: {where} — free space and re-run"
        if exc.errno == errno.EROFS:
            return f"read-only file system: {where} — make it writable, or point --workspace at a writable folder"
        return None  # other file errors (an input file, an --out folder) are the command's to explain
    if isinstance(exc, sqlite3.Error):
        return _by_text(str(exc), db, ws)
    if _is_chroma_error(exc):
        return _by_text(str(exc), chroma, ws) or (
            f"vector store at {chroma} failed ({_first_line(exc)}) — if it is damaged, delete that folder "
            "and re-run `synth ingest` on the same files to rebuild it"
        )
    return None


def _by_text(text: str, where: str, ws: Path | None) -> str | None:
    low = text.lower()
    if "disk is full" in low or "no space left" in low or "disk quota" in low:
        return f"disk full: {where} — free space and re-run"
    if "database is locked" in low or "database table is locked" in low or "database is busy" in low:
        return (f"database is locked: {where} — another program holds it; wait for it to finish "
                "(or stop it) and re-run")
    if "readonly database" in low or "read-only" in low or "readonly" in low:
        return read_only_message(ws) if ws else f"cannot write {where} — it is read-only; make it writable"
    if "unable to open database" in low:
        return f"cannot open {where} — check that the folder exists and is readable, then re-run"
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return (f"{where} is damaged ({text.strip()}) — restore it from a backup, or delete it and re-run "
                "`synth ingest` on the same files")
    if "disk i/o error" in low:
        return f"disk I/O error on {where} — check the disk and free space, then re-run"
    return None


def _is_chroma_error(exc: BaseException) -> bool:
    errors = sys.modules.get("chromadb.errors")  # never import chromadb just to look at an error
    return errors is not None and isinstance(exc, errors.ChromaError)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
