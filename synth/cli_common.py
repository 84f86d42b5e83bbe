"""What every `synth` command shares: consoles, common options, one-line errors, settings."""

from __future__ import annotations

import re

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from typer.core import TyperGroup

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
EvidenceTopOpt = typer.Option(8, "-k", "--top", min=1, max=50, help="How many pieces of evidence an answer may use \\[default: 8].")
NoCacheOpt = typer.Option(False, "--no-cache", help="Call the model even when a cached reply exists.")
MaskPiiOpt = typer.Option(
    None, "--mask-pii/--no-mask-pii",
    help="Mask emails, phones, @handles, URLs and configured names before text reaches a non-local model.",
)


NoWaitOpt = typer.Option(
    False, "--no-wait", help="If another synth command is writing to the workspace, stop at once instead of waiting.",
)
# The workspace the running command resolved, for naming paths in storage errors (see SynthGroup).
_workspace: ContextVar[Optional[Path]] = ContextVar("synth_workspace", default=None)


def fail(message: str, code: int = 1) -> None:
    """Print one error line with its fix and exit with `code` (1: failed, 2: usage or missing input).

    The message is data (it may quote a file name, a persona key or a query): never markup.
    """
    from rich.text import Text

    from synth.terminal import printable

    err.print(Text.assemble(("error:", "bold red"), " ", printable(message)), highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def kind_names() -> str:
    """Every source kind, for --kind help: "interview, review, ..., ticket or survey"."""
    from synth.records import Kind

    names = [k.value for k in Kind]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def source_kind_or_exit(kind: Optional[str]):
    """The `Kind` a --kind option names (None when not given); a usage error naming every kind otherwise."""
    from synth.records import Kind

    if kind is None:
        return None
    if kind not in [k.value for k in Kind]:
        fail(f"--kind must be one of {', '.join(k.value for k in Kind)}, not {kind!r}", 2)
    return Kind(kind)


def fail_on(exc: Exception) -> None:
    """`fail` with an exception's message and exit code (its `exit_code`, else 1)."""
    fail(str(exc), getattr(exc, "exit_code", 1))


def settings_or_exit(workspace: Optional[Path], **overrides):
    """Settings for the workspace, or a one-line configuration error (exit 2)."""
    from synth.config import ConfigError, load_settings

    try:
        settings = load_settings(workspace, **overrides)
    except ConfigError as exc:
        fail(str(exc), 2)
    _workspace.set(settings.workspace)
    return settings


def workspace_or_exit(workspace: Optional[Path], **overrides):
    """Settings for a workspace that must exist already (readers never create one), else exit 2."""
    from synth.workspace import require_workspace

    settings = settings_or_exit(workspace, **overrides)
    require_workspace(settings)
    return settings


@contextmanager
def writing(settings, command: str, no_wait: bool = False, read_only_ok: bool = False) -> Iterator[None]:
    """Hold the workspace's write lock for a writing command; say so on stderr while waiting for it."""
    from synth.workspace import write_lock

    def waiting(message: str) -> None:
        err.print(message, markup=False, highlight=False, soft_wrap=True)

    with write_lock(settings.workspace, command, wait=not no_wait, on_wait=waiting, read_only_ok=read_only_ok):
        yield


# What a value looks like in --help, in words people use; never a Python type.
_PLACEHOLDER = {int: "N", float: "NUMBER", str: "TEXT", bool: None}


def _placeholder(param) -> str | None:
    if getattr(param, "is_flag", False):
        return None  # a flag takes no value
    desc = param.type_descriptor
    if param.metavar:
        word = param.metavar
    elif desc.is_choice:
        word = "|".join(str(getattr(c, "value", c)) for c in desc.choices or ())
    elif desc.is_path:
        word = "PATH"
    else:
        from typing import get_args

        annotation = get_args(desc.annotation)[0] if desc.is_list and get_args(desc.annotation) else desc.annotation
        word = _PLACEHOLDER.get(annotation, "N" if desc.is_ranged else "VALUE")
    if word is None:
        return None
    many = param.nargs == -1 or getattr(param, "multiple", False) or desc.is_list
    return f"{word}..." if many and not word.endswith("...") else word


def _plain(param):
    """Give a typer parameter plain placeholders in --help (a class of its own, so typer's stay as they are)."""
    base = param.__class__
    if base.__name__ in ("TyperOption", "TyperArgument"):
        attrs = {"display_type_rich": lambda self, ctx: _placeholder(self)}
        if base.__name__ == "TyperArgument":
            attrs["display_name_raw"] = property(lambda self: self.metavar or self.name.upper())
        param.__class__ = type(f"Plain{base.__name__}", (base,), attrs)
    return param


_LISTED = re.compile(r"^\s|^[-*\u2022] |^\d+[.)] |^(?:synth|\$) ")


def reflow(text: str | None) -> str | None:
    """Help text with each prose paragraph on one line, so the terminal wraps it at its own width.

    Docstrings are written at ~110 columns; Rich keeps their line breaks, so on an 80-column
    terminal every line spilled a word or two onto a line of its own. Lists, indented lines and
    example commands keep their breaks.
    """
    if not text:
        return text
    paragraphs = re.split(r"\n\s*\n", text.strip("\n"))
    return "\n\n".join(p if any(_LISTED.match(line) for line in p.splitlines()) else " ".join(p.split())
                       for p in paragraphs)


def _plain_help(command) -> None:
    """Every parameter of `command` (and its subcommands), --help included, shows plain placeholders,
    and its help text reflows to the terminal's width."""
    command.help = reflow(command.help)
    for param in getattr(command, "params", []):
        _plain(param)
    help_option = command.get_help_option
    command.get_help_option = lambda ctx: (lambda opt: opt and _plain(opt))(help_option(ctx))
    for sub in getattr(command, "commands", {}).values():
        _plain_help(sub)


class SynthGroup(TyperGroup):
    """The `synth` command group: storage failures and workspace errors from any command become one line.

    This is the one place that turns a full disk, a locked or read-only database, a damaged vector
    store or a missing workspace into "what, where, how to fix it" instead of a traceback. It also
    gives every command's --help plain placeholders (N, TEXT, PATH...) instead of Python types.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_help(self)

    def invoke(self, ctx: typer.Context):
        token = _workspace.set(None)
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):  # exits, usage errors: already handled
            raise
        except Exception as exc:  # noqa: BLE001 - translated when it is a storage failure, else re-raised
            from synth.workspace import describe_storage_error

            line = describe_storage_error(exc, _workspace.get())
            if line is None:
                raise
            fail(line, getattr(exc, "exit_code", 1))
        finally:
            _workspace.reset(token)
