"""Settings: defaults, then `synth.toml` in the project, then the workspace's `config.toml`,
then `SYNTH_*` environment variables, then command-line flags (applied by the caller)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ValidationError

DEFAULT_WORKSPACE = ".synth"
DEFAULT_EMBEDDER = "sentence-transformers:all-MiniLM-L6-v2"


class ConfigError(Exception):
    """A settings file or variable that cannot be used."""


class Settings(BaseModel):
    workspace: Path = Path(DEFAULT_WORKSPACE)
    embedder: str = DEFAULT_EMBEDDER
    chroma_url: str | None = None
    max_tokens: int = 160  # chunk budget in model word pieces; MiniLM truncates at 256
    batch_size: int = 64
    reviewer: str | None = None  # who records review decisions (else SYNTH_REVIEWER, else the OS user)
    interviewers: list[str] = []  # names that are always interviewers, in every transcript (like --interviewer)

    @property
    def db_path(self) -> Path:
        return self.workspace / "synth.db"

    @property
    def chroma_path(self) -> Path:
        return self.workspace / "chroma"


_ENV = {
    "SYNTH_EMBEDDER": "embedder",
    "SYNTH_CHROMA_URL": "chroma_url",
    "SYNTH_MAX_TOKENS": "max_tokens",
}


def resolve_workspace(workspace: Path | str | None = None) -> Path:
    """The workspace folder: as given, else `SYNTH_WORKSPACE`, else ./.synth."""
    return Path(workspace or os.environ.get("SYNTH_WORKSPACE") or DEFAULT_WORKSPACE)


def config_files(ws: Path) -> list[Path]:
    """The settings files that exist, lowest precedence first: project `synth.toml`, workspace `config.toml`."""
    return [p for p in (Path("synth.toml"), ws / "config.toml") if p.is_file()]


def load_settings(workspace: Path | str | None = None, **overrides: object) -> Settings:
    """Resolve settings for a workspace; `overrides` that are None are ignored."""
    ws = resolve_workspace(workspace)
    values: dict[str, object] = {}
    for path in config_files(ws):
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}); fix or delete the file") from None
    for var, key in _ENV.items():
        if os.environ.get(var):
            values[key] = os.environ[var]
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["workspace"] = ws
    try:
        return Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"setting {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
