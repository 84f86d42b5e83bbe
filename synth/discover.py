"""Find the files to ingest under the paths a user gives, safely (symlink loops, missing paths)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from synth.parsers import SUPPORTED_EXTENSIONS

# Files every folder collects that are never research data; skipped without a report line.
_NOISE = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass
class FileIssue:
    """One line of the end-of-run table: which file, what went wrong, how to fix it."""

    path: str
    reason: str
    fix: str = ""
    severity: str = "error"  # error: not ingested; warning: ingested with a problem; skipped: not tried


MISSING = "no such file or folder"  # a path given that does not exist: missing input (exit 2)


def discover(paths: list[Path]) -> tuple[list[Path], list[FileIssue]]:
    """Supported files under `paths` (absolute, sorted, unique) and a report line for each problem."""
    found: dict[str, Path] = {}
    issues: list[FileIssue] = []
    for given in paths:
        path = Path(given).expanduser()
        if not path.exists() and not path.is_symlink():
            issues.append(FileIssue(str(path), MISSING, "check the path"))
        elif path.is_symlink() and not path.exists():
            issues.append(_dangling(path))
        elif path.is_file():
            # A file named explicitly is tried whatever its extension: content sniffing decides.
            found.setdefault(str(path.resolve()), path.resolve())
        else:
            for file in _walk(path, issues):
                found.setdefault(str(file), file)
    return [found[k] for k in sorted(found)], issues


def _dangling(link: Path) -> FileIssue:
    """The report line for a symbolic link that leads nowhere: a loop, or a missing target."""
    try:
        os.stat(link)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return FileIssue(str(link), "symbolic link loop", "point the link at a real file or remove it")
    return FileIssue(str(link), "broken symbolic link", "point it at a real file or remove it")


def _walk(root: Path, issues: list[FileIssue]) -> list[Path]:
    files: list[Path] = []
    seen_dirs: set[tuple[int, int]] = set()

    def onerror(err: OSError) -> None:
        issues.append(FileIssue(str(err.filename), f"cannot read folder: {err.strerror}", "check permissions"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=onerror):
        st = os.stat(dirpath)
        if (st.st_dev, st.st_ino) in seen_dirs:
            issues.append(FileIssue(dirpath, "symbolic link loop, folder already visited", "", "skipped"))
            dirnames[:] = []
            continue
        seen_dirs.add((st.st_dev, st.st_ino))
        # Hidden folders (.git, .synth workspaces) never hold research data to ingest.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.lower() in _NOISE:
                continue
            file = Path(dirpath) / name
            if not file.exists():
                issues.append(_dangling(file))
            elif file.suffix.lower() in SUPPORTED_EXTENSIONS:
                files.append(file.resolve())
            else:
                fix = "supported: " + " ".join(sorted(SUPPORTED_EXTENSIONS))
                issues.append(FileIssue(str(file), f"unsupported file type '{file.suffix or name}'", fix, "skipped"))
    return files
