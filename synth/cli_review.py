"""`synth review`: serve the local review web app over the workspace's personas."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console()

from synth.cli_common import fail as _fail  # noqa: E402


def review_command(
    host: str = typer.Option(
        "127.0.0.1", "--host",
        help="Address to listen on. Anything but a loopback address requires the access token printed at start.",
    ),
    port: int = typer.Option(8765, "--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port)."),
    llm: Optional[str] = typer.Option(
        None, "--llm", envvar="SYNTH_LLM",
        help="Judge for edited claims: offline, openai:<model> or langchain:<provider>:<model> "
        "[default: config, else offline].",
    ),
    workspace: Optional[Path] = typer.Option(
        None, "--workspace", "-w", envvar="SYNTH_WORKSPACE",
        help="Workspace folder holding the database and vectors [default: ./.synth].",
    ),
) -> None:
    """Review personas in the browser: read each claim with its sources; accept, reject or edit it.

    Every citation opens its quote highlighted in its transcript (speaker, timestamp, neighbouring
    turns) or with its review's metadata. Decisions are stored in the workspace with a timestamp,
    and `synth export` includes only approved claims unless told otherwise. An edited claim is
    re-verified (its quotes checked again, its support re-judged by the configured LLM).

    Binds to 127.0.0.1 by default. With --host 0.0.0.0 (or any non-loopback address) a token is
    printed in the URL and required on every request. Ctrl-C stops the server.

    Example: synth review --port 8765
    """
    from synth.config import ConfigError, load_settings
    from synth.llm import LLMConfigError, open_llm
    from synth.review.app import create_app, start_server

    try:
        settings = load_settings(workspace)
    except ConfigError as exc:
        _fail(str(exc), 2)
    if not settings.db_path.is_file():
        _fail(f"no workspace at {settings.workspace}; run `synth ingest FOLDER` and `synth personas` first, "
              "or point --workspace at one", 1)
    try:
        judge = open_llm(settings.workspace, llm=llm, command="review")
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    app = create_app(settings, host=host, port=port, llm=judge)
    try:
        server = start_server(app, host, port)
    except OSError as exc:
        judge.close()
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}); check --host, or choose another --port",
              1)
    typer.echo(f"Reviewing {settings.workspace} at {server.url}")
    if server.token:
        console.print(
            f"[yellow]Listening on {host}, not loopback:[/] every request needs the token in that URL "
            "(from another machine, use this machine's address with the same ?token=). "
            "Share it only with the people reviewing.", highlight=False,
        )
    console.print("Press Ctrl-C to stop.", highlight=False)
    try:
        while server.thread.is_alive():
            time.sleep(0.2)
    except KeyboardInterrupt:
        console.print("Stopped.")
    finally:
        server.stop()
        judge.close()




def register(app: typer.Typer) -> None:
    app.command("review")(review_command)
