"""`synth llm ...`: inspect and test the language model behind every generating stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

llm_app = typer.Typer(
    help="The language model behind theme names, persona drafts, chat and support judging.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
console = Console()

# Options shared with every generating command, so they are spelled the same way everywhere.
from synth.cli_common import LLMOpt, MaskPiiOpt, NoCacheOpt, WorkspaceOpt  # noqa: E402,F401
from synth.cli_common import fail as _fail  # noqa: E402


@llm_app.callback()
def llm_group() -> None:
    """The language model behind theme names, persona drafts, chat and support judging."""


@llm_app.command()
def check(
    llm: Optional[str] = LLMOpt,
    workspace: Optional[Path] = WorkspaceOpt,
    mask_pii: Optional[bool] = MaskPiiOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Show the active LLM backend and make one round trip to it.

    Example: synth llm check --llm openai:llama3.1
    """
    from synth.llm import LLMConfigError, LLMError, check_llm, open_llm

    try:
        # No retries: a check should answer at once, not after a minute of backoff.
        with open_llm(workspace, llm=llm, mask_pii=mask_pii, command="llm check", llm_max_retries=0) as client:
            result = check_llm(client)
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    except LLMError as exc:
        _fail(str(exc).split("\n")[0], 1)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    offline = result["backend"] == "offline"
    where = result.get("base_url") or ("this machine (no network)" if offline else "provider default")
    local = "yes: data stays on this machine or network" if result["local"] else "no: text goes to a remote server"
    rows = [
        ("backend", result["backend"]),
        ("model", result["model_id"]),
        ("base URL", where),
        ("local", local),
        ("masking", "on" if result["mask_pii"] else "off"),
        ("round trip", f"ok in {result['latency_ms']} ms, reply {result['reply']!r}"),
    ]
    for name, value in rows:
        console.print(f"[bold]{name:<11}[/] {value}", highlight=False)
