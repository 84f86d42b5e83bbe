"""Typed errors of the LLM layer; every message says what to do about it."""

from __future__ import annotations


class LLMError(Exception):
    """Base class for every failure of the LLM layer."""


class LLMConfigError(LLMError):
    """A backend that cannot be used as configured; `fix` says what to set."""

    def __init__(self, message: str, fix: str = ""):
        self.fix = fix
        super().__init__(f"{message}; {fix}" if fix else message)


class LLMUnavailable(LLMError):
    """The model could not be reached or kept failing after the configured retries."""


class TransientLLMError(LLMError):
    """A failure worth retrying (429, 5xx, timeout, connection); `retry_after` in seconds if the server said."""

    def __init__(self, message: str, retry_after: float | None = None):
        self.retry_after = retry_after
        super().__init__(message)


class UnsupportedResponseFormat(LLMError):
    """The server rejected the requested response format; the layer falls back to JSON mode or plain text."""


class StructuredOutputError(LLMError):
    """The model never produced output that validates, even after re-asking."""

    def __init__(self, model_id: str, last_output: str, errors: list[str]):
        self.model_id = model_id
        self.last_output = last_output
        self.errors = errors
        shown = last_output if len(last_output) <= 500 else last_output[:500] + "…"
        super().__init__(
            f"{model_id} gave invalid structured output after re-asking: {'; '.join(errors[:5])}\n"
            f"last output: {shown!r}\n"
            "try a stronger model, raise llm.max_reasks, or use --llm offline"
        )


class PromptError(LLMError):
    """A prompt file that is missing or malformed, or rendered with the wrong variables."""
