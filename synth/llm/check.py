"""`synth llm check`: which backend is active, and one round trip to prove it answers."""

from __future__ import annotations

import time
from typing import Any

from synth.llm.client import LLM
from synth.llm.tasks import run_task

PING = [
    {"role": "system", "content": "You are a connectivity check. Reply with the single word OK."},
    {"role": "user", "content": "ping"},
]


def check_llm(llm: LLM) -> dict[str, Any]:
    """Describe the backend and time one uncached request (the offline drafter runs a tiny task)."""
    info = llm.model.describe()
    started = time.monotonic()
    if llm.model.extractive:
        verdict, _ = run_task(
            "judge_support", {"claim": "Plans meals on Sundays.", "quotes": ["I plan all our meals on Sunday."]}, llm
        )
        reply, usage = f"judge_support supported={verdict.supported}", {}
    else:
        gen = llm.generate_text(PING, use_cache=False, task="llm_check")
        reply = " ".join(gen.text.split())[:80]
        usage = {"prompt_tokens": gen.usage.prompt_tokens, "completion_tokens": gen.usage.completion_tokens}
    return {
        **info,
        "ok": True,
        "latency_ms": int((time.monotonic() - started) * 1000),
        "reply": reply,
        "usage": usage,
        "mask_pii": llm.masked,
        "run_id": llm.run_id,
    }
