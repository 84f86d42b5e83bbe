"""The LLM layer: any OpenAI-compatible or LangChain chat model, validated and cached, plus an offline drafter."""

from synth.llm.base import ChatModel, Completion, Message, Usage
from synth.llm.cache import LLMCache, RunLog, cache_key
from synth.llm.check import check_llm
from synth.llm.client import LLM, Generation, open_llm
from synth.llm.errors import (
    LLMConfigError, LLMError, LLMUnavailable, PromptError, StructuredOutputError, TransientLLMError,
)
from synth.llm.privacy import Masker, mask_text
from synth.llm.prompts import Prompt, delimit, escape, load_prompt, render_evidence
from synth.llm.registry import get_llm, register_llm, registered_backends
from synth.llm.schemas import (
    FACETS, AnswerInput, ChatAnswer, ChatTurn, CitedSentence, DraftClaim, DraftPersonaInput, Evidence,
    JudgeSupportInput, LabelThemeInput, PersonaDraft, QuoteRef, SupportVerdict, ThemeLabel, ThemeRef,
    citation_errors,
)
from synth.llm.settings import LLMSettings, ModelConfig, load_llm_settings
from synth.llm.tasks import Provenance, Task, get_task, register_task, run_task, run_tasks, task_names

__all__ = [
    "FACETS", "LLM", "AnswerInput", "ChatAnswer", "ChatModel", "ChatTurn", "CitedSentence", "Completion",
    "DraftClaim", "DraftPersonaInput", "Evidence", "Generation", "JudgeSupportInput", "LLMCache",
    "LLMConfigError", "LLMError", "LLMSettings", "LLMUnavailable", "LabelThemeInput", "Masker", "Message",
    "ModelConfig", "PersonaDraft", "Prompt", "PromptError", "Provenance", "QuoteRef", "RunLog",
    "StructuredOutputError", "SupportVerdict", "Task", "ThemeLabel", "ThemeRef", "TransientLLMError", "Usage",
    "cache_key", "check_llm", "citation_errors", "delimit", "escape", "get_llm", "get_task", "load_llm_settings",
    "load_prompt", "mask_text", "open_llm", "register_llm", "register_task", "registered_backends",
    "render_evidence", "run_task", "run_tasks", "task_names",
]
