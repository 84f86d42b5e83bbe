"""LLM settings from the same sources as synth.config: `synth.toml`, the workspace's `config.toml`,
`SYNTH_*` environment variables, then flags. Keys live in an `[llm]` table (or as top-level
`llm_*` keys); per-model options in `[llm.models."<spec>"]`, e.g.

    [llm]
    model = "openai:llama3.1"
    mask_pii = true
    [llm.models."openai:llama3.1"]
    base_url = "http://localhost:11434/v1"
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from synth.config import config_files, resolve_workspace
from synth.llm.errors import LLMConfigError

DEFAULT_LLM = "offline"


class ModelConfig(BaseModel):
    """Options for one model spec; anything unset falls back to the general settings."""

    model_config = ConfigDict(extra="forbid")

    base_url: str | None = None
    api_key_env: str | None = None
    local: bool | None = None  # override the guess from the base URL
    json_schema: bool | None = None  # server honours json_schema response formats
    json_mode: bool | None = None  # server honours {"type": "json_object"}
    timeout: float | None = None
    params: dict[str, Any] = Field(default_factory=dict)  # passed to the client (LangChain constructors)


class LLMSettings(BaseModel):
    workspace: Path = Path(".synth")
    llm: str = DEFAULT_LLM
    llm_base_url: str | None = None
    llm_api_key_env: str = "OPENAI_API_KEY"
    llm_timeout: float = Field(60.0, gt=0)
    llm_max_retries: int = Field(3, ge=0)
    llm_backoff: float = Field(1.0, ge=0)  # first retry delay in seconds; doubles each retry
    llm_concurrency: int = Field(4, ge=1)
    llm_max_reasks: int = Field(2, ge=0)
    llm_temperature: float = 0.0
    mask_pii: bool = False
    mask_names: list[str] = Field(default_factory=list)
    use_cache: bool = True
    openai_base_url: str | None = None  # OPENAI_BASE_URL, used only when nothing more specific is set
    models: dict[str, ModelConfig] = Field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.workspace / "synth.db"

    def model_options(self, spec: str) -> ModelConfig:
        """The per-model options for a spec (empty when none are configured)."""
        return self.models.get(spec) or ModelConfig()

    def base_url_for(self, spec: str) -> str | None:
        """Per-model base URL, else `llm_base_url`, else OPENAI_BASE_URL for openai specs."""
        own = self.model_options(spec).base_url
        if own:
            return own
        if self.llm_base_url:
            return self.llm_base_url
        return self.openai_base_url if spec.startswith("openai:") else None


_TABLE_KEYS = {  # [llm] table key -> setting
    "model": "llm", "base_url": "llm_base_url", "api_key_env": "llm_api_key_env",
    "timeout": "llm_timeout", "max_retries": "llm_max_retries", "backoff": "llm_backoff",
    "concurrency": "llm_concurrency", "max_reasks": "llm_max_reasks", "temperature": "llm_temperature",
    "mask_pii": "mask_pii", "mask_names": "mask_names", "models": "models", "cache": "use_cache",
}
_ENV = {"SYNTH_LLM": "llm", "SYNTH_LLM_BASE_URL": "llm_base_url", "SYNTH_MASK_PII": "mask_pii"}


def _from_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LLMConfigError(f"{path}: not valid TOML ({exc})", "fix or delete the file") from None
    values: dict[str, Any] = {k: v for k, v in data.items() if k in LLMSettings.model_fields and k != "llm"}
    table = data.get("llm")
    if isinstance(table, str):
        values["llm"] = table
    elif isinstance(table, dict):
        for key, value in table.items():
            if key not in _TABLE_KEYS:
                known = ", ".join(sorted(_TABLE_KEYS))
                raise LLMConfigError(f"{path}: unknown key llm.{key}", f"use one of {known}")
            values[_TABLE_KEYS[key]] = value
    return values


def load_llm_settings(workspace: Path | str | None = None, **overrides: Any) -> LLMSettings:
    """Resolve LLM settings for a workspace; `overrides` that are None are ignored."""
    ws = resolve_workspace(workspace)
    values: dict[str, Any] = {}
    for path in config_files(ws):
        found = _from_file(path)
        models = {**values.get("models", {}), **found.pop("models", {})}
        values.update(found, models=models)
    for var, key in _ENV.items():
        if os.environ.get(var):
            values[key] = os.environ[var]
    if os.environ.get("OPENAI_BASE_URL"):
        values["openai_base_url"] = os.environ["OPENAI_BASE_URL"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["workspace"] = ws
    try:
        return LLMSettings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise LLMConfigError(f"LLM setting {where}: {first['msg']}", "fix it in synth.toml or config.toml") from None
