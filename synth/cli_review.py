"""`synth review`: serve the local review web app over the workspace's personas."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

console = Console()

from synth.cli_common import fail as _fail, workspace_or_exit  # noqa: E402
from synth.terminal import markup, printable  # noqa: E402
from synth.workspace import read_only_message  # noqa: E402


def review_command(
    host: str = typer.Option(
        "127.0.0.1", "--host",
        help="Address to listen on. Anything but a loopback address requires the access token printed at start.",
    ),
    port: int = typer.Option(8765, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    llm: Optional[str] = typer.Option(
        None, "--llm", envvar="SYNTH_LLM",
        help="Judge for edited claims: offline, openai:<model> or langchain:<provider>:<model> "
        "[default: config, else offline].",
    ),
    workspace: Optional[Path] = typer.Option(
        None, "--workspace", "-w", envvar="SYNTH_WORKSPACE",
        help="Workspace folder holding the database and vectors \\[default: ./.synth].",
    ),
    reviewer: Optional[str] = typer.Option(
        None, "--reviewer", envvar="SYNTH_REVIEWER",
        help="Your name, recorded with every decision [default: `reviewer` in config, else the OS user].",
    ),
) -> None:
    """Review personas in the browser: read each claim with its sources; accept, reject or edit it.

    Every citation opens its quote highlighted in its transcript (speaker, timestamp, neighbouring
    turns) or with its review's metadata. Decisions are stored in the workspace with a timestamp,
    and `synth export` includes only approved claims unless told otherwise. An edited claim is
    re-verified (its quotes checked again, its support re-judged by the configured LLM); an edit its
    quotes do not support is flagged and never counts as approved. Each decision records who made it
    and when. Name and summary are editable; "Accept all verified and supported" asks first.

    After a re-run (`synth personas`, `synth run`) decisions follow their claims to the new draft by
    content; those that match nothing are listed under "Needs another look", never dropped. The app
    can stay open during a re-run: reload to see the new version.

    Binds to 127.0.0.1 by default. With --host 0.0.0.0 (or any non-loopback address) a token is
    printed in the URL and required on every request. Ctrl-C stops the server.

    Example: synth review --port 8765
    """
    from synth.llm import LLMConfigError, open_llm
    from synth.personas import load_personas
    from synth.review.app import create_app, start_server
    from synth.workspace import open_store, workspace_writable

    settings = workspace_or_exit(workspace)
    with open_store(settings) as store:
        if not load_personas(store):
            _fail("no personas yet — run `synth personas` (or `synth run FOLDER`) first, then `synth review`")
    try:
        judge = open_llm(settings.workspace, llm=llm, command="review")
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    app = create_app(settings, host=host, port=port, llm=judge, reviewer=reviewer)
    try:
        server = start_server(app, host, port)
    except OSError as exc:
        judge.close()
        _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc}); check --host, or choose another --port",
              1)
    typer.echo(f"Reviewing {printable(settings.workspace)} at {server.url}")
    if not workspace_writable(settings):
        console.print(f"[yellow]Read-only:[/] {markup(read_only_message(settings.workspace))}; pages are served, "
                      "decisions cannot be saved.", highlight=False)
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
