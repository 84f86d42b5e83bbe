"""Structured output: response formats for a backend, JSON extraction, validation errors a model can fix."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from synth.llm.base import ChatModel, Message

Check = Callable[[Any], list[str]]  # extra validation of a parsed output; returns problems to re-ask with
FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def format_mode(model: ChatModel) -> str:
    """`json_schema`, `json_mode` or `prompt` (schema only in the instructions), by the backend's flags."""
    if model.supports_json_schema:
        return "json_schema"
    return "json_mode" if model.supports_json_mode else "prompt"


def strict_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The schema in OpenAI's strict form, or None when it cannot be strict (free-form dicts)."""
    schema = copy.deepcopy(schema)

    def visit(node: Any) -> bool:
        if isinstance(node, dict):
            if node.get("type") == "object" or "properties" in node:
                if isinstance(node.get("additionalProperties"), dict) or "properties" not in node:
                    return False
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            node.pop("default", None)
            return all(visit(v) for v in node.values())
        if isinstance(node, list):
            return all(visit(v) for v in node)
        return True

    return schema if visit(schema) else None


def response_format(mode: str, schema: type[BaseModel] | None) -> dict[str, Any] | None:
    if schema is None or mode == "prompt":
        return None
    if mode == "json_mode":
        return {"type": "json_object"}
    full = schema.model_json_schema()
    strict = strict_schema(full)
    return {
        "type": "json_schema",
        "json_schema": {"name": schema.__name__, "schema": strict or full, "strict": strict is not None},
    }


def with_schema_instructions(messages: list[Message], schema: type[BaseModel], mode: str) -> list[Message]:
    """Ask for JSON in words when the server cannot be held to the schema by a response format."""
    if mode == "json_schema":
        return messages
    note = (
        "Reply with only one JSON object, no prose and no code fence, that matches this JSON schema:\n"
        + json.dumps(schema.model_json_schema(), ensure_ascii=False)
    )
    out = [dict(m) for m in messages]
    if out and out[0]["role"] == "system":
        out[0]["content"] = out[0]["content"] + "\n\n" + note
    else:
        out.insert(0, {"role": "system", "content": note})
    return out


def extract_json(text: str) -> str:
    """The JSON object inside a reply that may wrap it in a code fence or prose."""
    fenced = FENCE.search(text)
    if fenced:
        text = fenced.group(1)
    start, end = text.find("{"), text.rfind("}")
    return text[start : end + 1] if start != -1 and end > start else text.strip()


def parse_output(text: str, schema: type[BaseModel], check: Check | None = None) -> tuple[BaseModel | None, list[str]]:
    """(validated output, []) or (None, problems phrased for the model to fix)."""
    try:
        output = schema.model_validate_json(extract_json(text))
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:8]:
            where = ".".join(map(str, err["loc"])) or "reply"
            problems.append(f"{where}: {err['msg']}")
        return None, problems
    problems = check(output) if check else []
    return (None, problems) if problems else (output, [])


def reask_message(problems: list[str]) -> Message:
    listed = "\n".join(f"- {p}" for p in problems)
    return {
        "role": "user",
        "content": f"Your reply could not be used:\n{listed}\nReply again with only the corrected JSON object.",
    }
