"""Any LangChain chat model: `langchain:<provider>:<model>`, e.g. `langchain:anthropic:claude-sonnet-4-5`.

With the `langchain` package installed, providers resolve through `init_chat_model`; without it,
through the table below. Either way a missing integration package gives the pip command. Output
is plain text; the layer asks for JSON in the prompt and validates it, so every provider works.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from synth.llm.base import ChatModel, Completion, Message, Usage
from synth.llm.errors import LLMConfigError, LLMError, TransientLLMError
from synth.llm.openai_backend import is_local_url
from synth.llm.settings import LLMSettings

# provider -> (pip package, module, class)
PROVIDERS: dict[str, tuple[str, str, str]] = {
    "openai": ("langchain-openai", "langchain_openai", "ChatOpenAI"),
    "azure_openai": ("langchain-openai", "langchain_openai", "AzureChatOpenAI"),
    "anthropic": ("langchain-anthropic", "langchain_anthropic", "ChatAnthropic"),
    "google_genai": ("langchain-google-genai", "langchain_google_genai", "ChatGoogleGenerativeAI"),
    "google_vertexai": ("langchain-google-vertexai", "langchain_google_vertexai", "ChatVertexAI"),
    "bedrock": ("langchain-aws", "langchain_aws", "ChatBedrock"),
    "bedrock_converse": ("langchain-aws", "langchain_aws", "ChatBedrockConverse"),
    "ollama": ("langchain-ollama", "langchain_ollama", "ChatOllama"),
    "mistralai": ("langchain-mistralai", "langchain_mistralai", "ChatMistralAI"),
    "groq": ("langchain-groq", "langchain_groq", "ChatGroq"),
    "cohere": ("langchain-cohere", "langchain_cohere", "ChatCohere"),
    "fireworks": ("langchain-fireworks", "langchain_fireworks", "ChatFireworks"),
    "together": ("langchain-together", "langchain_together", "ChatTogether"),
    "huggingface": ("langchain-huggingface", "langchain_huggingface", "ChatHuggingFace"),
    "deepseek": ("langchain-deepseek", "langchain_deepseek", "ChatDeepSeek"),
    "xai": ("langchain-xai", "langchain_xai", "ChatXAI"),
}
LOCAL_PROVIDERS = {"ollama"}
_ROLES = {"system": "system", "user": "human", "assistant": "ai"}

ProviderFactory = Callable[[str, dict[str, Any]], Any]  # (model name, kwargs) -> BaseChatModel
_CUSTOM: dict[str, ProviderFactory] = {}


def register_langchain_provider(provider: str, factory: ProviderFactory) -> None:
    """Make `langchain:<provider>:<model>` build its chat model through `factory(model, kwargs)`."""
    _CUSTOM[provider] = factory


def _install_hint(provider: str) -> str:
    pkg = PROVIDERS.get(provider, (f"langchain-{provider.replace('_', '-')}",))[0]
    return f"pip install {pkg}"


def build_chat_model(provider: str, model: str, kwargs: dict[str, Any]) -> Any:
    """A LangChain BaseChatModel for provider/model; LLMConfigError with an install hint if unavailable."""
    if provider in _CUSTOM:
        return _CUSTOM[provider](model, kwargs)
    try:
        from langchain.chat_models import init_chat_model  # optional: covers every provider
    except ImportError:
        init_chat_model = None
    if init_chat_model is not None:
        try:
            return init_chat_model(model, model_provider=provider, **kwargs)
        except ImportError:
            raise LLMConfigError(f"LangChain provider {provider!r} is not installed", _install_hint(provider)) from None
        except ValueError as exc:
            raise LLMConfigError(
                f"LangChain cannot make {provider}:{model} ({exc})", "check the provider name"
            ) from None
    if provider not in PROVIDERS:
        raise LLMConfigError(
            f"unknown LangChain provider {provider!r}",
            f"use one of {', '.join(sorted(PROVIDERS))}, or pip install langchain to reach any provider",
        )
    package, module, cls = PROVIDERS[provider]
    try:
        chat_class = getattr(importlib.import_module(module), cls)
    except ImportError:
        raise LLMConfigError(
            f"LangChain provider {provider!r} needs its integration package", f"pip install {package}"
        ) from None
    return chat_class(model=model, **kwargs)


def _is_transient(exc: Exception) -> bool:
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int) and (status == 429 or status >= 500):
        return True
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return True
    try:
        import httpx
    except ImportError:  # pragma: no cover - httpx ships with langchain-core's dependencies
        return False
    return isinstance(exc, httpx.TransportError)


class LangChainChatModel(ChatModel):
    backend = "langchain"

    def __init__(self, model: str, settings: LLMSettings):
        provider, _, name = model.partition(":")
        if not provider or not name:
            raise LLMConfigError(
                f"langchain needs a provider and a model, got {model!r}",
                "use --llm langchain:<provider>:<model>, e.g. langchain:anthropic:claude-sonnet-4-5",
            )
        self.model_id = f"langchain:{model}"
        self.provider = provider
        opts = settings.model_options(self.model_id)
        kwargs: dict[str, Any] = {"temperature": settings.llm_temperature, **opts.params}
        if opts.base_url:
            kwargs["base_url"] = opts.base_url
            self.base_url = opts.base_url
        try:
            self.chat = build_chat_model(provider, name, kwargs)
        except LLMConfigError:
            raise
        except Exception as exc:  # noqa: BLE001 - provider constructors fail in many ways, one fix
            raise LLMConfigError(
                f"cannot create {self.model_id} ({type(exc).__name__}: {exc})",
                "set the provider's API key and options, or use --llm offline",
            ) from None
        if opts.local is not None:
            self.is_local = opts.local
        else:
            self.is_local = provider in LOCAL_PROVIDERS or is_local_url(opts.base_url)

    def _complete(
        self,
        messages: list[Message],
        *,
        temperature: float,
        max_tokens: int | None,
        response_format: dict[str, Any] | None,
    ) -> Completion:
        # temperature is fixed when the model is built; response_format is never asked (flags are False).
        lc_messages = [(_ROLES[m["role"]], m["content"]) for m in messages]
        try:
            reply = self.chat.invoke(lc_messages)
        except Exception as exc:  # noqa: BLE001 - classify, then re-raise as a typed error
            if _is_transient(exc):
                raise TransientLLMError(f"{self.model_id} failed ({type(exc).__name__}: {exc})") from None
            raise LLMError(f"{self.model_id} failed ({type(exc).__name__}: {exc})") from exc
        meta = getattr(reply, "usage_metadata", None) or {}
        usage = Usage(
            prompt_tokens=int(meta.get("input_tokens", 0)), completion_tokens=int(meta.get("output_tokens", 0)), calls=1
        )
        text = reply.text if hasattr(reply, "text") else str(reply.content)
        return Completion(text=text if isinstance(text, str) else str(text), usage=usage)
