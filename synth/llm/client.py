"""The LLM layer every generating stage goes through: retries, re-asks, cache, masking, run log, concurrency.

    with open_llm(workspace, llm="openai:gpt-4o-mini") as llm:
        gen = llm.generate(messages, MyModel)      # validated pydantic output in gen.output
        out, prov = run_task("label_theme", inputs, llm)   # see synth.llm.tasks
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from synth.llm.base import ChatModel, Completion, Message, Usage, check_messages
from synth.llm.cache import LLMCache, RunLog, cache_key
from synth.llm.errors import (
    LLMError, LLMUnavailable, StructuredOutputError, TransientLLMError, UnsupportedResponseFormat,
)
from synth.llm.privacy import Masker
from synth.llm.registry import get_llm
from synth.llm.settings import LLMSettings, load_llm_settings
from synth.workspace import writable
from synth.llm.structured import (
    Check, format_mode, parse_output, reask_message, response_format, with_schema_instructions,
)

T = TypeVar("T")
MAX_DELAY = 30.0


@dataclass
class Generation:
    """One request's result: the final text, the validated output (structured calls), and what it cost."""

    text: str
    output: Any = None
    usage: Usage = field(default_factory=Usage)
    cached: bool = False
    model_id: str = ""
    attempts: int = 0  # requests that reached the model, re-asks and retries included
    masked: bool = False


class LLM:
    """A backend plus the layer's policies; one per command run. Thread-safe for generate_many."""

    def __init__(
        self,
        model: ChatModel,
        settings: LLMSettings | None = None,
        cache: LLMCache | None = None,
        runs: RunLog | None = None,
        command: str = "",
    ):
        self.model = model
        self.settings = settings or LLMSettings()
        self.cache = cache
        self.runs = runs
        self.masked = self.settings.mask_pii and not model.is_local
        self.usage = Usage()  # this run's total
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.settings.llm_concurrency)
        self.run_id = runs.start(command, model.describe(), self.masked) if runs else None

    @property
    def model_id(self) -> str:
        return self.model.model_id

    def close(self) -> None:
        for db in (self.cache, self.runs):
            if db is not None:
                db.close()

    def __enter__(self) -> "LLM":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # public ------------------------------------------------------------------------------------
    def generate_text(self, messages: list[Message], **kwargs: Any) -> Generation:
        """Free text from messages (cached, retried, masked as configured)."""
        return self._generate(messages, None, **kwargs)

    def generate(
        self, messages: list[Message], schema: type[BaseModel], *, check: Check | None = None, **kwargs: Any
    ) -> Generation:
        """A validated `schema` instance in `.output`; invalid replies are re-asked, then StructuredOutputError."""
        return self._generate(messages, schema, check=check, **kwargs)

    def generate_many(
        self, requests: Sequence[list[Message]], schema: type[BaseModel] | None = None, **kwargs: Any
    ) -> list[Generation]:
        """generate / generate_text over many requests in parallel (bounded by llm_concurrency), in order."""
        return self.map(lambda msgs: self._generate(msgs, schema, **kwargs), requests)

    def map(self, fn: Callable[[Any], T], items: Sequence[Any]) -> list[T]:
        """fn over items on a thread pool of llm_concurrency workers; results in input order."""
        if len(items) <= 1 or self.settings.llm_concurrency == 1:
            return [fn(item) for item in items]
        with ThreadPoolExecutor(max_workers=self.settings.llm_concurrency) as pool:
            return list(pool.map(fn, items))

    def record_local(self, task: str) -> None:
        """Log a task the extractive drafter answered: no data left the machine."""
        if self.runs and self.run_id:
            self.runs.record(self.run_id, task=task, model_id=self.model_id, key="", cached=False, sent_to=None,
                             masked=False, attempts=0, usage=Usage(), latency_ms=0)

    # core --------------------------------------------------------------------------------------
    def _generate(
        self,
        messages: list[Message],
        schema: type[BaseModel] | None,
        *,
        check: Check | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        use_cache: bool | None = None,
        task: str = "",
    ) -> Generation:
        if self.model.extractive:
            raise LLMError(
                f"{self.model_id} answers synth's tasks only (run_task), not free prompts; "
                "for free text use --llm openai:<model> or --llm langchain:<provider>:<model>"
            )
        started = time.monotonic()
        temperature = self.settings.llm_temperature if temperature is None else temperature
        masker = Masker(self.settings.mask_names) if self.masked else None
        sent = check_messages(messages)
        if masker:
            sent = masker.mask_messages(sent)
        schema_json = schema.model_json_schema() if schema else None
        params = {"temperature": temperature, "max_tokens": max_tokens, "masked": self.masked}
        key = cache_key(self.model_id, self.model.base_url, sent, schema_json, params)
        caching = self.cache is not None and self.settings.use_cache and use_cache is not False

        if caching and (hit := self.cache.get(key)) is not None:
            output, problems = parse_output(hit.text, schema, check) if schema else (None, [])
            if not problems:  # a cached reply that no longer validates (a stricter check) is re-asked
                gen = Generation(hit.text, output, Usage(), True, self.model_id, 0, self.masked)
                self._log(task, key, gen, started)
                return gen

        gen = self._ask(sent, schema, check, masker, temperature, max_tokens)
        if caching:
            self.cache.put(key, self.model_id, Completion(text=gen.text, usage=gen.usage))
        self._log(task, key, gen, started)
        return gen

    def _ask(self, sent, schema, check, masker, temperature, max_tokens) -> Generation:
        usage, attempts = Usage(), 0
        conversation = list(sent)
        problems: list[str] = []
        text = ""
        for _ in range(self.settings.llm_max_reasks + 1 if schema else 1):
            completion, tries = self._send(conversation, schema, temperature, max_tokens)
            usage, attempts = usage + completion.usage, attempts + tries
            text = masker.unmask(completion.text) if masker else completion.text
            if schema is None:
                return Generation(text, None, usage, False, self.model_id, attempts, self.masked)
            output, problems = parse_output(text, schema, check)
            if output is not None:
                return Generation(text, output, usage, False, self.model_id, attempts, self.masked)
            conversation += [{"role": "assistant", "content": completion.text}, reask_message(problems)]
        raise StructuredOutputError(self.model_id, text, problems)

    def _send(self, messages, schema, temperature, max_tokens) -> tuple[Completion, int]:
        """One request with retries and backoff on transient failures; returns (completion, requests made)."""
        last: TransientLLMError | None = None
        tries = 0
        while tries <= self.settings.llm_max_retries:
            mode = format_mode(self.model)
            request = with_schema_instructions(messages, schema, mode) if schema else messages
            tries += 1
            try:
                with self._slots:
                    completion = self.model._complete(
                        request, temperature=temperature, max_tokens=max_tokens,
                        response_format=response_format(mode, schema),
                    )
            except UnsupportedResponseFormat:
                # Fall back once per level for this run: json_schema -> json_mode -> schema in the prompt.
                if mode == "json_schema":
                    self.model.supports_json_schema = False
                elif mode == "json_mode":
                    self.model.supports_json_mode = False
                else:
                    raise
                tries -= 1
                continue
            except TransientLLMError as exc:
                last = exc
                if tries > self.settings.llm_max_retries:
                    break
                delay = exc.retry_after if exc.retry_after is not None else self.settings.llm_backoff * 2 ** (tries - 1)
                time.sleep(min(delay, MAX_DELAY))
                continue
            with self._lock:
                self.usage = self.usage + completion.usage
            return completion, tries
        raise LLMUnavailable(f"{last} (gave up after {tries} attempt{'s' if tries != 1 else ''})")

    def _log(self, task: str, key: str, gen: Generation, started: float) -> None:
        if self.runs and self.run_id:
            self.runs.record(
                self.run_id, task=task, model_id=self.model_id, key=key, cached=gen.cached,
                sent_to=None if gen.cached else self.model_id, masked=gen.masked, attempts=gen.attempts,
                usage=gen.usage, latency_ms=int((time.monotonic() - started) * 1000),
            )


def open_llm(
    workspace: Path | str | None = None,
    *,
    llm: str | None = None,
    no_cache: bool = False,
    mask_pii: bool | None = None,
    command: str = "",
    **overrides: Any,
) -> LLM:
    """The configured backend with the workspace's cache and run log; `llm` and flags override config."""
    settings = load_llm_settings(workspace, llm=llm, mask_pii=mask_pii, **overrides)
    if no_cache:
        settings.use_cache = False
    model = get_llm(settings.llm, settings)
    if settings.db_path.exists() and not writable(settings.db_path):
        return LLM(model, settings, command=command)  # a read-only workspace: no cache, no run log to write
    cache = None if model.extractive else LLMCache(settings.db_path)
    return LLM(model, settings, cache=cache, runs=RunLog(settings.db_path), command=command)
