"""Deterministic fakes for the LLM layer, registered exactly like the real backends (see conftest.py)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, Union

from pydantic import BaseModel

from synth.llm.base import ChatModel, Completion, Message, Usage
from synth.llm.settings import LLMSettings

Reply = Union[str, dict, BaseModel, Exception, Callable[[list[Message]], str]]


class ScriptedModel(ChatModel):
    """Replays scripted replies in order and records every request; `scripted:remote` is a non-local model."""

    backend = "scripted"
    supports_json_mode = True

    def __init__(self, model: str = "", settings: LLMSettings | None = None, replies: list[Reply] | None = None):
        self.model_id = f"scripted:{model}" if model else "scripted"
        self.is_local = model != "remote"
        self.replies: list[Reply] = list(replies or [])
        self.calls: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def script(self, *replies: Reply) -> "ScriptedModel":
        self.replies.extend(replies)
        return self

    def _complete(self, messages, *, temperature, max_tokens, response_format) -> Completion:
        with self._lock:
            self.calls.append({"messages": messages, "temperature": temperature, "max_tokens": max_tokens,
                               "response_format": response_format})
            if not self.replies:
                raise AssertionError(f"{self.model_id} has no scripted reply left for call {len(self.calls)}")
            reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        if callable(reply):
            reply = reply(messages)
        if isinstance(reply, BaseModel):
            reply = reply.model_dump_json()
        elif isinstance(reply, dict):
            reply = json.dumps(reply)
        prompt_tokens = sum(len(m["content"].split()) for m in messages)
        usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=len(reply.split()), calls=1)
        return Completion(text=reply, usage=usage)


def fake_langchain_chat(model: str, kwargs: dict[str, Any]):
    """A LangChain FakeListChatModel whose replies come from the model's `params.responses` in config."""
    from langchain_core.language_models import FakeListChatModel

    return FakeListChatModel(responses=list(kwargs.get("responses", ["OK"])))


def sample_evidence() -> list:
    """Ten pieces of evidence from five participants of a grocery-planning study."""
    from synth.llm.schemas import Evidence

    texts = [
        ("Dana", "p_dana", "Every Sunday I plan our meals for the week with my partner. The shared list never "
                           "syncs with my partner's phone, so we end up buying milk twice."),
        ("Leo", "p_leo", "I usually shop on Saturdays because the store is quiet. I hate that the app forgets "
                         "my favourite items every time it updates."),
        ("Ana", "p_ana", "I live with three roommates and we split the groceries. I want the shared list to "
                         "update instantly for the whole household."),
        ("Sam", "p_sam", "Honestly, I'm trying to save money because groceries got so expensive. I wish the app "
                         "showed prices next to each item on the list."),
        ("Kim", "p_kim", "I work night shifts as a nurse, so I order groceries online at odd hours. It is so "
                         "annoying when the delivery slot disappears at checkout."),
        ("Dana", "p_dana", "What matters to me is that nothing goes to waste, because wasting food feels awful. "
                           "I need a way to see what is already in the fridge."),
        ("Leo", "p_leo", "I always check the list twice before I leave the house. It would be great if the list "
                         "sorted items by aisle."),
        ("Ana", "p_ana", "The shared list sync is broken half the time and my roommates get confused. I'd like "
                         "to assign items to each person."),
        ("Sam", "p_sam", "I use the weekly deals page every Monday to plan cheap dinners for my kids."),
        ("Kim", "p_kim", "I need reminders that fit my shifts, not a nine to five schedule."),
    ]
    return [
        Evidence(n=i, chunk_id=f"chk_{i:04d}", speaker=speaker, participant_id=pid, text=text)
        for i, (speaker, pid, text) in enumerate(texts, 1)
    ]
