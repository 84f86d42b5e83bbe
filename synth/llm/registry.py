"""Backends chosen by name: `offline`, `openai:<model>`, `langchain:<provider>:<model>`, or any registered prefix."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from synth.llm.base import ChatModel
from synth.llm.errors import LLMConfigError
from synth.llm.settings import LLMSettings

LLMFactory = Callable[[str, LLMSettings], ChatModel]  # (model part of the spec, settings) -> backend

_REGISTRY: dict[str, LLMFactory] = {}


def register_llm(prefix: str, factory: LLMFactory) -> None:
    """Make `prefix:<model>` (or bare `prefix`) specs resolve through `factory(model, settings)`."""
    _REGISTRY[prefix] = factory


def registered_backends() -> list[str]:
    return sorted(_REGISTRY)


def parse_spec(spec: str) -> tuple[str, str]:
    """Split `openai:gpt-4o-mini` into ("openai", "gpt-4o-mini"); `offline` into ("offline", "")."""
    prefix, _, model = spec.strip().partition(":")
    return prefix, model


def get_llm(spec: str | None = None, settings: LLMSettings | None = None) -> ChatModel:
    """The backend for a spec (default: the configured one); raises LLMConfigError with a fix."""
    settings = settings or LLMSettings()
    spec = (spec or settings.llm).strip()
    prefix, model = parse_spec(spec)
    if prefix not in _REGISTRY:
        raise LLMConfigError(
            f"unknown LLM backend {prefix!r} in {spec!r}",
            "use offline, openai:<model> or langchain:<provider>:<model> "
            f"(registered: {', '.join(registered_backends())})",
        )
    llm = _REGISTRY[prefix](model, settings)
    llm.model_id = llm.model_id or spec
    llm.backend = llm.backend or prefix
    return llm


def _lazy(module: str, name: str) -> LLMFactory:
    # Import the backend module only when it is used, so `synth --help` never imports openai.
    def factory(model: str, settings: LLMSettings) -> ChatModel:
        return getattr(importlib.import_module(module), name)(model, settings)

    return factory


register_llm("offline", _lazy("synth.llm.offline", "OfflineModel"))
register_llm("openai", _lazy("synth.llm.openai_backend", "OpenAIChatModel"))
register_llm("langchain", _lazy("synth.llm.langchain_backend", "LangChainChatModel"))
