"""`synth chat PERSONA` and `synth chats ...`: interview a persona, grounded in its segment's words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from synth.cli_common import EvidenceTopOpt, LLMOpt, MaskPiiOpt, NoCacheOpt, WorkspaceOpt

console = Console()
err = Console(stderr=True)

from synth.cli_common import fail as _fail, fail_on, workspace_or_exit  # noqa: E402
from synth.terminal import markup, printable, whole_column  # noqa: E402

chats_app = typer.Typer(help="Saved chat sessions: list and export them.", no_args_is_help=True,
                        rich_markup_mode="rich")
HELP = "Type a question. /sources lists what the last answer cited, /help shows this, /quit leaves."


def register(app: typer.Typer) -> None:
    """Add `synth chat` and `synth chats` to the main app."""
    app.command("chat")(chat)
    app.add_typer(chats_app, name="chats")


def chat(
    persona: str = typer.Argument(..., help="Persona number, id or name (a unique prefix will do)."),
    ask: Optional[str] = typer.Option(None, "--ask", "-q", help="Ask one question, print the answer and exit."),
    as_json: bool = typer.Option(False, "--json", help="With --ask: print the answer as JSON."),
    session: Optional[str] = typer.Option(
        None, "--session", "-s", help="Continue a saved session (see `synth chats list`)."),
    top: int = EvidenceTopOpt,
    llm: Optional[str] = LLMOpt,
    no_cache: bool = NoCacheOpt,
    mask_pii: Optional[bool] = MaskPiiOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Interview a persona: answers in the first person, from its segment's words only, every sentence cited.

    Each citation is checked against the transcripts; anything unverified is flagged. When no
    participant in the segment spoke to a question, the persona says so and suggests an interview
    question that would find out. Sessions are saved in the workspace (`synth chats list`).

    Example: synth chat 1 --ask "How do you plan the week's dinners?"
    """
    from synth.chat import Chat, ChatError, SessionNotFound
    from synth.chat.minilm import serving
    from synth.embedders import EmbedderError
    from synth.llm import LLMConfigError, LLMError, open_llm
    from synth.personas.store import PersonaNotFound, find_persona
    from synth.search import WorkspaceError, open_store
    from synth.vectors import VectorStoreError

    if as_json and ask is None:
        _fail("--json needs --ask QUESTION (the interactive chat prints for people)", 2)
    settings = workspace_or_exit(workspace)
    try:
        with open_store(settings) as store:
            found = find_persona(store, persona)
            from synth.review.decisions import decisions_for
            from synth.review.views import shown_view

            found = shown_view(found, decisions_for(store, found.id))  # the persona as reviewed: rejected claims out
        client = open_llm(settings.workspace, llm=llm, no_cache=no_cache, mask_pii=mask_pii, command="chat")
    except (WorkspaceError, PersonaNotFound) as exc:
        fail_on(exc)
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    try:
        # serving(): the bundled MiniLM from numpy, so a question costs no torch import
        with serving(), client, Chat(settings, found, llm=client, session=session, k=top) as conversation:
            if ask is not None:
                result = conversation.ask(ask)
                if as_json:
                    typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
                else:
                    print_answer(console, result)
                    if result.sentences:
                        print_sources(console, result)
                return
            _interactive(conversation)
    except (ChatError, SessionNotFound, EmbedderError, VectorStoreError) as exc:
        fail_on(exc)
    except LLMError as exc:
        _fail(str(exc).split("\n")[0])


def _interactive(conversation) -> None:
    from synth.chat import ChatError
    from synth.llm import LLMError

    persona, segment = conversation.persona, conversation.segment
    console.print(f"[bold]{markup(persona.name)}[/] · {markup(persona.summary)}", highlight=False)
    people = len(segment.participant_ids)
    console.print(f"[dim]Speaks only from the words of {people} participant{'s' if people != 1 else ''} in segment "
                  f"{markup(segment.label or segment.id)}; model {markup(conversation.llm.model_id)}; session "
                  f"{conversation.session.id}. {HELP}[/]", highlight=False)
    for turn in conversation.session.turns:  # a resumed session shows where it left off
        console.print(f"[bold cyan]you>[/] {markup(turn.question)}", highlight=False)
        print_answer(console, turn)
    last = conversation.session.turns[-1] if conversation.session.turns else None
    while True:
        try:
            line = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            console.print()
            break
        if not line:
            continue
        command = line.lower()
        if command in ("/quit", "/exit", "/q"):
            break
        if command == "/help":
            console.print(HELP)
        elif command == "/sources":
            if last is None:
                console.print("Nothing cited yet: ask a question first.")
            else:
                print_sources(console, last)
        elif command.startswith("/"):
            console.print(f"Unknown command {markup(repr(line))}. {HELP}", highlight=False)
        else:
            try:
                last = conversation.ask(line)
            except (LLMError, ChatError) as exc:  # one failed turn (a timeout, no words) need not end the interview
                err.print(f"[bold red]error:[/] {markup(str(exc).splitlines()[0])}", highlight=False, soft_wrap=True)
                continue
            print_answer(console, last)
            if last.citations:
                console.print("[dim]/sources for who said it and where[/]")
    if conversation.session.turns and not conversation.save:
        console.print("[dim]Not saved: the workspace is read-only.[/]")
    elif conversation.session.turns:
        console.print(f"[dim]Saved as {conversation.session.id}: "
                      f"synth chats export {conversation.session.id}[/]", highlight=False)


# views ----------------------------------------------------------------------------------------------
def _marker(citation) -> Text:
    from synth.records import Verdict

    ok = citation.verdict == Verdict.verified
    return Text(f"[{citation.n}]", style="bold green" if ok else "bold red")


def print_answer(out: Console, result) -> None:
    """The persona's answer: [n] green when verified, red otherwise; unverified sentences flagged."""
    from synth.chat import REFUSAL

    text = Text()
    text.append(f"{printable(result.persona_name)}: ", style="bold magenta")
    rest = printable(result.answer)
    if result.guarded:
        text.append(REFUSAL + " ", style="italic")
        rest = rest[len(REFUSAL):].strip() if rest.startswith(REFUSAL) else rest
    if not result.answerable:  # nobody spoke to it; any source instruction the model tried is quoted, flagged
        text.append(rest)
        out.print(text)
        _print_flags(out, result)
        if result.suggested_question:
            out.print(Text.assemble(("  Interview question that would find out: ", "dim"),
                                    (printable(result.suggested_question), "italic")))
        return
    for sentence in result.sentences:
        text.append(printable(sentence.text), style=None if sentence.verified else "yellow")
        if sentence.citations:
            text.append(" ")
        for c in sentence.citations:
            text.append_text(_marker(c))
        if not sentence.verified:
            text.append(" ⚠ quoted, not followed" if sentence.instruction else " ⚠ unverified", style="bold yellow")
        text.append(" ")
    text.rstrip()
    out.print(text)
    _print_flags(out, result)


def _print_flags(out: Console, result) -> None:
    for sentence in result.sentences:
        if not sentence.verified:
            label = "  ⚠ quoted, not the persona's words: " if sentence.instruction else "  ⚠ not verified: "
            out.print(Text.assemble((label, "yellow"), (f"{printable(repr(sentence.text[:80]))}: ", "dim"),
                                    printable("; ".join(sentence.flags))))


def print_sources(out: Console, result) -> None:
    """Who said each cited quote and where, with its verdict."""
    if not result.citations:
        out.print("[dim]No sources: this answer cites nothing.[/]")
        return
    table = Table(title="Sources", title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("quote", ratio=3, overflow="fold")
    whole_column(table, "speaker", [c.speaker or "?" for c in result.citations], cap=18)
    whole_column(table, "source", [c.file for c in result.citations] + [c.location for c in result.citations], cap=32)
    table.add_column("check")
    seen = set()
    for c in result.citations:
        if c.n in seen:
            continue
        seen.add(c.n)
        check = "[green]verified[/]" if c.verdict.value == "verified" else f"[red]{c.verdict.value}[/]"
        table.add_row(str(c.n), markup(c.quote), markup(c.speaker or "?"),
                      markup(f"{c.file}\n{c.location}".strip() or "?"), check)
    out.print(table)


# synth chats ----------------------------------------------------------------------------------------
@chats_app.command("list")
def list_chats(
    persona: Optional[str] = typer.Option(None, "--persona", "-p", help="Only sessions with this persona."),
    workspace: Optional[Path] = WorkspaceOpt,
    as_json: bool = typer.Option(False, "--json", help="Print the sessions as JSON."),
) -> None:
    """List saved chat sessions, most recent first."""
    from synth.chat import list_sessions
    from synth.personas.store import PersonaNotFound, find_persona
    from synth.search import WorkspaceError, open_store

    try:
        with open_store(workspace_or_exit(workspace)) as store:
            persona_id = find_persona(store, persona).id if persona else None
            sessions = list_sessions(store, persona_id)
    except (WorkspaceError, PersonaNotFound) as exc:
        fail_on(exc)
    if as_json:
        typer.echo(json.dumps(sessions, indent=2, ensure_ascii=False))
        return
    if not sessions:
        console.print("No chat sessions yet. Start one with `synth chat PERSONA`.")
        return
    table = Table(title="Chat sessions", title_justify="left")
    for col in ("#", "session", "persona", "turns", "last active (UTC)", "first question"):
        if col in ("session", "last active (UTC)"):  # typed back and read whole: never split
            whole_column(table, col, [s["id"] if col == "session" else s["updated_at"] for s in sessions])
            continue
        table.add_column(col, overflow="fold", justify="right" if col in ("#", "turns") else "left")
    for i, s in enumerate(sessions, 1):
        table.add_row(str(i), s["id"], markup(s["persona_name"]), str(s["turns"]), s["updated_at"],
                      markup(s["first_question"] or ""))
    console.print(table)


@chats_app.command("export")
def export_chat(
    session: str = typer.Argument(..., help="Session id, unique prefix, or number from `synth chats list`."),
    fmt: str = typer.Option("md", "--format", "-f", help="md or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file instead of printing."),
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Export a chat session as Markdown or JSON, with every citation and its verdict.

    Example: synth chats export 1 --format md -o interview-notes.md
    """
    from synth.chat import SessionNotFound, export_session, load_session
    from synth.search import WorkspaceError, open_store

    if fmt not in ("md", "json"):
        _fail(f"--format must be md or json, not {fmt!r}", 2)
    try:
        with open_store(workspace_or_exit(workspace)) as store:
            text = export_session(load_session(store, session), fmt, output)
    except (WorkspaceError, SessionNotFound) as exc:
        fail_on(exc)
    if output is None:
        typer.echo(text, nl=False)
    else:
        console.print(f"wrote {markup(output)}", highlight=False)
