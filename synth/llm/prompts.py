"""Prompt files: `prompts/<name>.md` with front matter (name, version) and `## system` / `## user` sections.

Variables are written `{{name}}` and rendered strictly: a missing variable and an unused one are
both errors. Source text never becomes instructions: it is rendered by `render_evidence` as
numbered `<evidence>` blocks whose text is escaped, so it cannot close its tag.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from synth.llm.base import Message
from synth.llm.errors import PromptError

# A checkout (or editable install) reads the project's prompts/; a wheel install ships the same
# files as data under <prefix>/share/synth/prompts (see pyproject's data-files).
_CHECKOUT_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"
PROMPTS_DIR = _CHECKOUT_PROMPTS if _CHECKOUT_PROMPTS.is_dir() else Path(sys.prefix) / "share" / "synth" / "prompts"
VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
SECTION = re.compile(r"^##\s+(system|user)\s*$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    description: str
    system: str
    user: str
    sha256: str  # of the file's bytes: any edit changes it, and with it every cache key
    path: Path

    @property
    def variables(self) -> set[str]:
        return set(VARIABLE.findall(self.system)) | set(VARIABLE.findall(self.user))

    def render(self, **variables: str) -> list[Message]:
        """System and user messages; raise PromptError on missing, unused or non-text variables."""
        needed = self.variables
        missing = sorted(needed - variables.keys())
        unused = sorted(variables.keys() - needed)
        if missing:
            raise PromptError(f"prompt {self.name} v{self.version} needs variable(s) {', '.join(missing)}")
        if unused:
            raise PromptError(f"prompt {self.name} v{self.version} does not use variable(s) {', '.join(unused)}")
        for key, value in variables.items():
            if not isinstance(value, str):
                raise PromptError(f"prompt {self.name}: variable {key} must be text, got {type(value).__name__}")

        def fill(template: str) -> str:
            # One pass: values are never re-scanned, so `{{x}}` inside evidence stays literal.
            return VARIABLE.sub(lambda m: variables[m.group(1)], template)

        messages = [{"role": "system", "content": fill(self.system)}] if self.system else []
        return messages + [{"role": "user", "content": fill(self.user)}]


def prompt_dirs() -> list[Path]:
    """Where prompts are looked up: `SYNTH_PROMPTS` folders (os.pathsep-separated), then the project's `prompts/`."""
    extra = [Path(p) for p in os.environ.get("SYNTH_PROMPTS", "").split(os.pathsep) if p]
    return [*extra, PROMPTS_DIR]


def parse_prompt(text: str, path: Path) -> Prompt:
    """A Prompt from a file's text; raise PromptError naming what is wrong."""
    if not text.startswith("---"):
        raise PromptError(f"{path}: a prompt file starts with front matter between --- lines (name, version)")
    try:
        _, front, body = text.split("---", 2)
    except ValueError:
        raise PromptError(f"{path}: front matter is not closed with ---") from None
    meta: dict[str, str] = {}
    for line in front.strip().splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip('"')
    for key in ("name", "version"):
        if not meta.get(key):
            raise PromptError(f"{path}: front matter needs {key}:")
    if meta["name"] != path.stem:
        raise PromptError(f"{path}: front matter name {meta['name']!r} must match the file name {path.stem!r}")
    parts = SECTION.split(body)
    sections = {parts[i].lower(): parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    if not sections.get("user"):
        raise PromptError(f"{path}: needs a '## user' section")
    return Prompt(
        name=meta["name"],
        version=meta["version"],
        description=meta.get("description", ""),
        system=sections.get("system", ""),
        user=sections["user"],
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        path=path,
    )


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int) -> Prompt:
    return parse_prompt(path.read_text(encoding="utf-8"), path)


def load_prompt(name: str, dirs: Iterable[Path] | None = None) -> Prompt:
    """The prompt called `name` from the first folder that has `<name>.md`."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise PromptError(f"bad prompt name {name!r}: letters, digits, _ and - only")
    searched = list(dirs) if dirs is not None else prompt_dirs()
    for folder in searched:
        path = folder / f"{name}.md"
        if path.is_file():
            return _load(path, path.stat().st_mtime_ns)
    raise PromptError(f"no prompt {name!r} in {', '.join(map(str, searched))}; add {name}.md or set SYNTH_PROMPTS")


def escape(text: str) -> str:
    """Escape &, < and > so quoted text cannot open or close a tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: Any) -> str:
    return escape(str(value)).replace('"', "&quot;")


def delimit(tag: str, text: str, **attrs: Any) -> str:
    """`<tag a="1">escaped text</tag>`: data quoted for a model, never instructions."""
    head = "".join(f' {k}="{_attr(v)}"' for k, v in attrs.items() if v not in (None, ""))
    return f"<{tag}{head}>\n{escape(text)}\n</{tag}>"


class EvidenceLike(Protocol):
    n: int
    chunk_id: str
    speaker: str
    participant_id: str
    text: str


def render_evidence(evidence: Iterable[EvidenceLike]) -> str:
    """Numbered, delimited evidence blocks, e.g. `<evidence n="3" id="chk_..." speaker="Dana">...</evidence>`."""
    blocks = [
        delimit("evidence", e.text, n=e.n, id=e.chunk_id, speaker=e.speaker, participant=e.participant_id)
        for e in evidence
    ]
    return "\n".join(blocks) if blocks else "(no evidence)"
