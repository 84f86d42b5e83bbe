"""`synth template`: write the persona template to a file you can edit, or check one."""

from __future__ import annotations

from pathlib import Path

import typer

from synth.cli_common import console, fail, fail_on

template_app = typer.Typer(
    help="The persona template: which sections every persona shows, in which order.\n\n"
    "`synth template init` writes the default to persona-template.toml; edit it and pass it with "
    "`--template FILE` to `synth run` and `synth export`.",
    no_args_is_help=True,
)
TemplateOpt = typer.Option(
    None, "--template", "-t", metavar="FILE",
    help="Persona template (TOML) laying out every persona page and card \\[default: the shipped one; "
    "see `synth template init`].",
)


@template_app.command("init")
def init(
    path: Path = typer.Argument(Path("persona-template.toml"), metavar="[FILE]",
                                help="Where to write it \\[default: persona-template.toml]."),
    force: bool = typer.Option(False, "--force", help="Overwrite FILE if it exists."),
) -> None:
    """Write the default persona template to FILE for you to edit.

    Sections: who they are, goals, frustrations and challenges, behaviours, channels and online habits,
    attitude to the product, technical sophistication, needs, signature quotes. Each section lists the
    claim sections and study facts that fill it; reorder, rename, drop or merge them.

    Example: synth template init && synth run corpora/larder --template persona-template.toml
    """
    from synth.cards.template import TemplateError, write_default

    try:
        written = write_default(path, force=force)
    except TemplateError as exc:  # it exists: exit 2
        fail_on(exc)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}; choose another path")
    console.print(f"wrote {written}; edit it, then pass --template {written}", highlight=False, markup=False)


@template_app.command("check")
def check(path: Path = typer.Argument(..., metavar="FILE", help="The template to check.")) -> None:
    """Read a template and list its sections in order, or say what is wrong with it (exit 2).

    Example: synth template check persona-template.toml
    """
    from synth.cards.template import TemplateError, load_template

    try:
        template = load_template(path)
    except TemplateError as exc:
        fail_on(exc)
    for i, s in enumerate(template.sections, 1):
        sources = ", ".join([*s.claims, *(f"fact:{f}" for f in s.facts)]) or "nothing (always empty)"
        console.print(f"{i}. {s.title} [{s.key}] from {sources}" + ("" if s.card else " (full page only)"),
                      highlight=False, markup=False)
    console.print(f'empty sections say: "{template.empty}"', highlight=False, markup=False)
