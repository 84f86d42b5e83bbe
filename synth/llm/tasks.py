"""Tasks: the entry point for stages. A task is a prompt file, an input model, an output model and
an offline (extractive) implementation; `run_task` picks the path the configured backend needs.

    out, prov = run_task("label_theme", LabelThemeInput(keywords=[...], exemplars=[...]), llm)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from synth.llm.base import ChatModel, Usage
from synth.llm.client import LLM
from synth.llm.errors import LLMError, StructuredOutputError
from synth.llm.offline import judge_support_offline, label_theme_offline
from synth.llm.prompts import delimit, escape, load_prompt, render_evidence
from synth.llm.schemas import (
    AnswerInput, ChatAnswer, DraftPersonaInput, Evidence, ExtractProfileInput, JudgeSupportInput, LabelThemeInput,
    PersonaDraft, ProfileDraft, SupportVerdict, ThemeLabel, citation_errors,
)


@dataclass(frozen=True)
class Task:
    name: str
    input_model: type[BaseModel]
    output_model: type[BaseModel]
    offline: Callable[[Any], BaseModel]  # deterministic extractive implementation
    variables: Callable[[Any], dict[str, str]]  # prompt variables rendered from the inputs
    evidence: Callable[[Any], list[Evidence]] | None = None  # what citations in the output must quote
    prompt: str = ""  # prompt file name; defaults to the task name

    @property
    def prompt_name(self) -> str:
        return self.prompt or self.name


class Provenance(BaseModel):
    """What produced an artifact; stages store it with what they generate."""

    task: str
    prompt: str
    prompt_version: str
    prompt_sha256: str
    model_id: str
    cached: bool = False
    usage: Usage = Usage()
    masked: bool = False
    run_id: str | None = None


_TASKS: dict[str, Task] = {}


def register_task(task: Task) -> None:
    _TASKS[task.name] = task


def get_task(name: str) -> Task:
    if name not in _TASKS:
        raise LLMError(f"unknown task {name!r}; known: {', '.join(sorted(_TASKS))}")
    return _TASKS[name]


def task_names() -> list[str]:
    return sorted(_TASKS)


def run_task(
    task_name: str, inputs: BaseModel | dict, llm: LLM | ChatModel, *, use_cache: bool | None = None
) -> tuple[Any, Provenance]:
    """The task's validated output and its provenance; the offline backend runs the extractive function."""
    if isinstance(llm, ChatModel):
        llm = LLM(llm)
    task = get_task(task_name)
    inputs = task.input_model.model_validate(inputs)
    prompt = load_prompt(task.prompt_name)
    evidence = task.evidence(inputs) if task.evidence else None

    def check(output: BaseModel) -> list[str]:
        return citation_errors(output, evidence) if evidence is not None else []

    prov = dict(task=task.name, prompt=prompt.name, prompt_version=prompt.version, prompt_sha256=prompt.sha256,
                model_id=llm.model_id, run_id=llm.run_id)
    if llm.model.extractive:
        drafted = task.offline(inputs)
        output = task.output_model.model_validate(drafted.model_dump())  # the same validation as LLM output
        problems = check(output)
        if problems:
            raise StructuredOutputError(llm.model_id, output.model_dump_json(), problems)
        llm.record_local(task.name)
        return output, Provenance(**prov)
    messages = prompt.render(**task.variables(inputs))
    gen = llm.generate(messages, task.output_model, check=check, use_cache=use_cache, task=task.name)
    return gen.output, Provenance(**prov, cached=gen.cached, usage=gen.usage, masked=gen.masked)


def run_tasks(
    task_name: str, inputs: Sequence[BaseModel | dict], llm: LLM, *, use_cache: bool | None = None
) -> list[tuple[Any, Provenance]]:
    """run_task over many inputs in parallel (bounded by llm_concurrency); results in input order."""
    return llm.map(lambda item: run_task(task_name, item, llm, use_cache=use_cache), list(inputs))


def _extractive(name: str) -> Callable[[Any], BaseModel]:
    """An offline implementation from synth.extractive, imported on first use: that package builds on the
    schemas here, so importing it while this package loads would be circular."""
    module, _, function = name.rpartition(".")

    def run(inputs: Any) -> BaseModel:
        return getattr(importlib.import_module(module), function)(inputs)

    return run


# prompt variables -------------------------------------------------------------------------------
def _label_theme_vars(i: LabelThemeInput) -> dict[str, str]:
    return {"keywords": escape(", ".join(i.keywords)) or "(none)", "exemplars": render_evidence(i.exemplars)}


def _draft_persona_vars(i: DraftPersonaInput) -> dict[str, str]:
    themes = "\n".join(
        delimit("theme", t.label, n=k, keywords=", ".join(t.keywords)) for k, t in enumerate(i.themes, 1)
    )
    groups = "\n".join(
        delimit("group", g.text, n=g.n, section=g.section, shape=g.shape, count=f"{g.count} of {g.of}",
                evidence=", ".join(str(n) for n in dict.fromkeys(c.n for c in g.citations))) for g in i.groups
    )
    return {
        "segment_summary": delimit("segment", i.segment_summary),
        "themes": themes or "(none)",
        "groups": groups or "(none: draft from the evidence)",
        "name": delimit("name", i.name) if i.name else "(none)",
        "evidence": render_evidence(i.evidence),
    }


def _extract_profile_vars(i: ExtractProfileInput) -> dict[str, str]:
    attributes = "\n".join(delimit("attribute", v, name=k) for k, v in sorted(i.attributes.items()))
    return {
        "participant": delimit("participant", i.participant, kind=i.kind),
        "attributes": attributes or "(none)",
        "evidence": render_evidence(i.evidence),
    }


def _answer_vars(i: AnswerInput) -> dict[str, str]:
    history = "\n".join(delimit("turn", t.text, role=t.role) for t in i.history[-8:])
    return {
        "persona_name": escape(i.persona_name),
        "persona_summary": delimit("persona", i.persona_summary),
        "history": history or "(none)",
        "question": delimit("question", i.question),
        "evidence": render_evidence(i.evidence),
        "groups": "\n".join(delimit("group", g.says, n=k, stance=g.stance, participants=g.participants,
                                     evidence=", ".join(map(str, g.evidence))) for k, g in enumerate(i.groups, 1))
        or "(none)",
        "tally": delimit("tally", i.tally) if i.tally else "(none)",
        "question_kind": "yes or no" if i.yes_no else "open",
    }


def _judge_vars(i: JudgeSupportInput) -> dict[str, str]:
    quotes = "\n".join(delimit("quote", q, n=k) for k, q in enumerate(i.quotes, 1))
    return {"claim": delimit("claim", i.claim), "quotes": quotes or "(none)"}


register_task(Task("label_theme", LabelThemeInput, ThemeLabel, label_theme_offline, _label_theme_vars,
                   evidence=lambda i: i.exemplars))
register_task(Task("draft_persona", DraftPersonaInput, PersonaDraft,
                   _extractive("synth.extractive.persona.draft_persona_offline"), _draft_persona_vars,
                   evidence=lambda i: i.evidence))
register_task(Task("extract_profile", ExtractProfileInput, ProfileDraft,
                   _extractive("synth.extractive.profile.extract_profile_offline"), _extract_profile_vars,
                   evidence=lambda i: i.evidence))
register_task(Task("answer_as_persona", AnswerInput, ChatAnswer,
                   _extractive("synth.chat.reconcile.answer_as_persona_offline"), _answer_vars,
                   evidence=lambda i: i.evidence))
register_task(Task("judge_support", JudgeSupportInput, SupportVerdict, judge_support_offline, _judge_vars))
