"""The backend interface: one small abstract class with capability flags, like synth.embedders."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from pydantic import BaseModel

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": "..."}
ROLES = ("system", "user", "assistant")


class Usage(BaseModel):
    """Tokens spent; `calls` counts requests that reached a model (cache hits count zero)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    calls: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: "Usage") -> "Usage":
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            calls=self.calls + other.calls,
        )


class Completion(BaseModel):
    """What one request returned: the text and the tokens it cost."""

    text: str
    usage: Usage = Usage()


class ChatModel(ABC):
    """A chat backend. Subclasses set the flags and implement `_complete`; the layer adds the rest."""

    model_id: str = ""  # the spec that chose it, e.g. "openai:gpt-4o-mini"
    backend: str = ""  # registry prefix, e.g. "openai"
    base_url: str | None = None
    supports_json_schema: bool = False  # honours response_format={"type": "json_schema", ...}
    supports_json_mode: bool = False  # honours response_format={"type": "json_object"}
    is_local: bool = False  # data stays on this machine or network: no masking needed
    extractive: bool = False  # runs tasks with their offline (extractive) function, never a prompt

    @abstractmethod
    def _complete(
        self,
        messages: list[Message],
        *,
        temperature: float,
        max_tokens: int | None,
        response_format: dict[str, Any] | None,
    ) -> Completion:
        """Send messages once; raise TransientLLMError for failures worth retrying."""

    def describe(self) -> dict[str, Any]:
        """What `synth llm check` prints about this backend."""
        return {
            "model_id": self.model_id,
            "backend": self.backend,
            "base_url": self.base_url,
            "local": self.is_local,
            "json_schema": self.supports_json_schema,
            "json_mode": self.supports_json_mode,
        }


def check_messages(messages: list[Message]) -> list[Message]:
    """Messages as plain role/content dicts; raise ValueError on unknown roles."""
    out = []
    for m in messages:
        if m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise ValueError(f"a message needs a role in {ROLES} and string content, got {m!r}")
        out.append({"role": m["role"], "content": m["content"]})
    return out
