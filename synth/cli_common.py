"""What every `synth` command shares: consoles, common options, one-line errors, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console()
err = Console(stderr=True)

WorkspaceOpt = typer.Option(
    None, "--workspace", "-w", envvar="SYNTH_WORKSPACE",
    help="Workspace folder holding the database and vectors \\[default: ./.synth].",
)
LLMOpt = typer.Option(
    None, "--llm", envvar="SYNTH_LLM",
    help="offline, openai:<model> or langchain:<provider>:<model> \\[default: config, else offline].",
)
JsonOpt = typer.Option(False, "--json", help="Print the result as JSON.")
NoCacheOpt = typer.Option(False, "--no-cache", help="Call the model even when a cached reply exists.")
MaskPiiOpt = typer.Option(
    None, "--mask-pii/--no-mask-pii",
    help="Mask emails, phones, @handles, URLs and configured names before text reaches a non-local model.",
)


def fail(message: str, code: int = 1) -> None:
    """Print one error line with its fix and exit with `code` (1: failed, 2: usage)."""
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def settings_or_exit(workspace: Optional[Path], **overrides):
    """Settings for the workspace, or a one-line configuration error (exit 2)."""
    from synth.config import ConfigError, load_settings

    try:
        return load_settings(workspace, **overrides)
    except ConfigError as exc:
        fail(str(exc), 2)
