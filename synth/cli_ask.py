"""`synth ask QUESTION`: put one question to every persona of the study and read the answers side by side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from synth.cli_common import EvidenceTopOpt, LLMOpt, MaskPiiOpt, NoCacheOpt, WorkspaceOpt
from synth.cli_common import fail as _fail, fail_on, kind_names, source_kind_or_exit, workspace_or_exit
from synth.terminal import markup

console = Console()


def register(app: typer.Typer) -> None:
    """Add `synth ask` to the main app."""
    app.command("ask")(ask)


def ask(
    question: str = typer.Argument(..., help="The question, in plain words."),
    persona: list[str] = typer.Option([], "--persona", "-p",
                                      help="Only this persona (number, id or name prefix); repeatable."),
    kind: Optional[str] = typer.Option(None, "--kind", help=f"Only participants heard in one kind of source: {kind_names()}."),
    as_json: bool = typer.Option(False, "--json", help="Print every persona's answer as JSON."),
    top: int = EvidenceTopOpt,
    llm: Optional[str] = LLMOpt,
    no_cache: bool = NoCacheOpt,
    mask_pii: Optional[bool] = MaskPiiOpt,
    workspace: Optional[Path] = WorkspaceOpt,
) -> None:
    """Ask the whole study: every persona answers from its own segment's words, side by side, with counts.

    Each answer says how many of the segment's participants spoke to the question and how they divide
    (complaint, praise, neither; yes or no for a yes/no question), quotes participants of each side, and
    cites every sentence. A persona whose participants never spoke to it says so. Nothing is saved.

    Example: synth ask "Would you pay for the premium tier?" --kind interview
    """
    from synth.chat import ChatError
    from synth.chat.answer import question_problem
    from synth.chat.minilm import serving
    from synth.chat.study import ask_study
    from synth.embedders import EmbedderError
    from synth.llm import LLMConfigError, LLMError, open_llm
    from synth.personas.store import PersonaNotFound, find_persona, load_personas
    from synth.search import WorkspaceError, open_store
    from synth.vectors import VectorStoreError

    source_kind_or_exit(kind)
    problem = question_problem(question)
    if problem:
        _fail(problem, 2)
    settings = workspace_or_exit(workspace)
    try:
        with open_store(settings) as store:
            chosen = [find_persona(store, key) for key in persona] if persona else load_personas(store)
            if not chosen:
                find_persona(store, "1")  # raises the "no personas yet" error with its fix
        client = open_llm(settings.workspace, llm=llm, no_cache=no_cache, mask_pii=mask_pii, command="chat")
    except (WorkspaceError, PersonaNotFound) as exc:
        fail_on(exc)
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    chosen = list({p.id: p for p in chosen}.values())
    try:
        with serving(), client:  # the bundled MiniLM from numpy: no torch import
            result = ask_study(settings, question, chosen, client, kind=kind, k=top)
    except (ChatError, EmbedderError, VectorStoreError) as exc:
        fail_on(exc)
    except LLMError as exc:
        _fail(str(exc).split("\n")[0])
    if as_json:
        typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
        return
    print_study(console, result)


def print_study(out: Console, result) -> None:
    """One row per persona: who it speaks for, how many spoke to the question and how they divide, the answer."""
    table = Table(title=f"Asked of {len(result.answers)} persona(s): {markup(result.question)}", title_justify="left",
                  show_lines=True)
    table.add_column("persona", overflow="fold")
    table.add_column("spoke to it", justify="right")
    table.add_column("stances", overflow="fold")
    table.add_column("answer", ratio=3, overflow="fold")
    for a in result.answers:
        size = result.segment_sizes.get(a.persona_id, 0)
        spoke = sum(g.participants for g in a.stances)
        stances = "\n".join(f"{g.participants} {g.says}" for g in a.stances) or "-"
        answer = a.answer if a.answerable else f"[dim]{markup(a.answer)}[/]"
        unverified = sum(1 for s in a.sentences if not s.verified)
        note = f"\n[yellow]⚠ {unverified} sentence(s) not verified[/]" if a.answerable and unverified else ""
        table.add_row(markup(a.persona_name), f"{spoke} of {size}" if a.answerable else f"0 of {size}", stances,
                      (markup(answer) if a.answerable else answer) + note)
    out.print(table)
    out.print("[dim]Citations and sources: synth ask ... --json, or synth chat PERSONA --ask QUESTION[/]")
