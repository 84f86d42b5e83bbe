"""Any server that speaks OpenAI's /v1/chat/completions: OpenAI, Azure, Ollama, vLLM, llama.cpp, LM Studio.

A different server is configuration, not code: set a base URL for the model spec, e.g.
`[llm.models."openai:llama3.1"] base_url = "http://localhost:11434/v1"`.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Any
from urllib.parse import urlparse

from synth.llm.base import ChatModel, Completion, Message, Usage
from synth.llm.errors import LLMConfigError, LLMError, TransientLLMError, UnsupportedResponseFormat
from synth.llm.settings import LLMSettings

OPENAI_URL = "https://api.openai.com/v1"


def is_local_url(url: str | None) -> bool:
    """True for loopback, private-network and `.local` hosts: data sent there stays with the user."""
    if not url:
        return False
    host = (urlparse(url).hostname or "").lower()
    if host == "localhost" or host.endswith((".localhost", ".local")):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.is_loopback or ip.is_private or ip.is_link_local


def retry_after_seconds(headers: Any) -> float | None:
    """Seconds to wait from `retry-after-ms` or `retry-after` (numeric form only), capped at a minute."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name) if headers is not None else None
        try:
            return min(float(value) / divisor, 60.0) if value is not None else None
        except ValueError:
            continue
    return None


class OpenAIChatModel(ChatModel):
    backend = "openai"

    def __init__(self, model: str, settings: LLMSettings):
        if not model:
            raise LLMConfigError("openai needs a model name", "use --llm openai:<model>, e.g. openai:gpt-4o-mini")
        import openai  # lazy: keeps `synth --help` fast

        self._openai = openai
        self.model = model
        self.model_id = f"openai:{model}"
        opts = settings.model_options(self.model_id)
        self.base_url = settings.base_url_for(self.model_id)
        self.key_env = opts.api_key_env or settings.llm_api_key_env
        key = os.environ.get(self.key_env)
        if not key:
            if self.base_url is None:
                raise LLMConfigError(f"no API key for {self.model_id}", f"set {self.key_env} or use --llm offline")
            key = "unused"  # local servers (Ollama, vLLM, llama.cpp) accept any key
        self.is_local = opts.local if opts.local is not None else is_local_url(self.base_url)
        self.supports_json_schema = True if opts.json_schema is None else opts.json_schema
        self.supports_json_mode = True if opts.json_mode is None else opts.json_mode
        self.timeout = opts.timeout or settings.llm_timeout
        # Retries are the layer's job (one policy for every backend), so the client never retries.
        self.client = openai.OpenAI(
            api_key=key, base_url=self.base_url or OPENAI_URL, timeout=self.timeout, max_retries=0
        )

    @property
    def url(self) -> str:
        return self.base_url or OPENAI_URL

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": self.url}

    def _complete(
        self,
        messages: list[Message],
        *,
        temperature: float,
        max_tokens: int | None,
        response_format: dict[str, Any] | None,
    ) -> Completion:
        oa = self._openai
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": temperature}
        if max_tokens:
            kwargs["max_tokens"] = max_tokens
        if response_format:
            kwargs["response_format"] = response_format
        try:
            resp = self.client.chat.completions.create(**kwargs)
        except oa.APITimeoutError:
            raise TransientLLMError(
                f"{self.model_id} did not answer within {self.timeout:g}s at {self.url}; "
                "raise llm.timeout or check the server"
            ) from None
        except oa.APIConnectionError:
            raise TransientLLMError(f"cannot reach {self.url}: is the server running?") from None
        except oa.RateLimitError as exc:
            raise TransientLLMError(
                f"{self.model_id} is rate limited (429) at {self.url}; lower llm.concurrency or try later",
                retry_after=retry_after_seconds(exc.response.headers),
            ) from None
        except (oa.AuthenticationError, oa.PermissionDeniedError):
            raise LLMConfigError(
                f"{self.url} rejected the API key for {self.model_id}", f"check {self.key_env}"
            ) from None
        except oa.NotFoundError:
            raise LLMConfigError(
                f"{self.url} has no model {self.model!r}", "check the model name or the base URL"
            ) from None
        except oa.BadRequestError as exc:
            if response_format and response_format.get("type") != "text":
                raise UnsupportedResponseFormat(f"{self.url} rejected response_format: {exc.message}") from None
            raise LLMError(f"{self.model_id} rejected the request: {exc.message}") from None
        except oa.APIStatusError as exc:
            if exc.status_code >= 500 or exc.status_code in (408, 409):
                raise TransientLLMError(
                    f"{self.url} answered {exc.status_code} for {self.model_id}; the server may be overloaded",
                    retry_after=retry_after_seconds(exc.response.headers),
                ) from None
            raise LLMError(f"{self.model_id} failed with HTTP {exc.status_code}: {exc.message}") from None
        if not resp.choices:
            raise TransientLLMError(f"{self.model_id} returned no choices")
        text = resp.choices[0].message.content or ""
        usage = Usage(calls=1)
        if resp.usage is not None:
            usage = Usage(
                prompt_tokens=resp.usage.prompt_tokens or 0,
                completion_tokens=resp.usage.completion_tokens or 0,
                calls=1,
            )
        return Completion(text=text, usage=usage)
