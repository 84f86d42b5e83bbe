"""`synth eval`: prove personas against their sources; thresholds turn the result into an exit code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)

from synth.cli_common import fail as _fail, workspace_or_exit  # noqa: E402
from synth.terminal import markup  # noqa: E402
MAX_COUNTER_LINES = 10

COLUMNS = [  # metric, header (short: the table should fit 80 columns)
    ("verified_display_fidelity", "shown\nverif"), ("quote_fidelity", "quote\nfid"),
    ("citation_recall", "cite\nrecall"), ("citation_precision", "cite\nprec"), ("support", "supp"),
    ("segment_coverage", "seg\ncov"), ("theme_coverage", "theme\ncov"), ("distinctiveness", "dist"),
]


def _gate(flag: str, help_: str, default: float | None = None):
    return typer.Option(default, flag, min=0.0, max=1.0, help=help_)


def eval_command(
    persona: Optional[str] = typer.Argument(None, help="Persona id, number or name; omit (or --all) for every persona."),
    all_: bool = typer.Option(False, "--all", help="Evaluate every persona (the default when none is named)."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write a self-contained HTML report here."),
    llm: Optional[str] = typer.Option(
        None, "--llm", envvar="SYNTH_LLM", help="Judge: offline, openai:<model> or langchain:<provider>:<model> "
        "[default: config, else the offline judge].",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ask the judge again even when a cached reply exists."),
    min_fidelity: Optional[float] = _gate(
        "--min-fidelity", "Share of citations shown as verified that must re-verify.", 1.0),
    min_quote_fidelity: Optional[float] = _gate("--min-quote-fidelity", "Minimum share of citations that are verbatim."),
    min_support: Optional[float] = _gate("--min-support", "Minimum share of claims the judge finds supported."),
    min_recall: Optional[float] = _gate("--min-recall", "Minimum ALCE citation recall."),
    min_precision: Optional[float] = _gate("--min-precision", "Minimum ALCE citation precision."),
    min_coverage: Optional[float] = _gate("--min-coverage", "Minimum share of the segment's participants cited."),
    min_theme_coverage: Optional[float] = _gate("--min-theme-coverage", "Minimum share of leading themes cited."),
    min_distinctiveness: Optional[float] = _gate("--min-distinctiveness", "Minimum distinctiveness from other personas."),
    counter: bool = typer.Option(True, "--counter/--no-counter", help="Look for segment quotes that contradict claims."),
    workspace: Optional[Path] = typer.Option(
        None, "--workspace", "-w", envvar="SYNTH_WORKSPACE",
        help="Workspace folder holding the database and vectors [default: ./.synth].",
    ),
) -> None:
    """Check every persona against its sources: quote fidelity, citation recall and precision, support,
    coverage, distinctiveness and counter-evidence.

    Citations are re-verified against the stored transcripts (never taken from what the persona
    stored), claims are re-judged by the configured LLM or the offline judge. A metric below its
    --min-* threshold prints one line per failure and exits 1; anything shown as verified that does
    not re-verify fails by default (--min-fidelity 1).

    Example: synth eval --all --min-support 0.8 --html eval.html
    """
    from synth.evaluation import EvalError, Thresholds, evaluate, render_html, report_dict
    from synth.llm import LLMConfigError, LLMError, open_llm

    if persona and all_:
        _fail("name one persona or pass --all, not both", 2)
    thresholds = Thresholds(
        min_fidelity=min_fidelity, min_quote_fidelity=min_quote_fidelity, min_support=min_support,
        min_recall=min_recall, min_precision=min_precision, min_coverage=min_coverage,
        min_theme_coverage=min_theme_coverage, min_distinctiveness=min_distinctiveness,
    )
    settings = workspace_or_exit(workspace)  # before the LLM layer would create a database there
    try:
        with open_llm(settings.workspace, llm=llm, no_cache=no_cache, command="eval") as judge:
            report = evaluate(settings, [persona] if persona else None, judge, thresholds,
                              find_counter_evidence=counter)
    except LLMConfigError as exc:
        _fail(str(exc), 2)
    except EvalError as exc:
        _fail(str(exc), exc.exit_code)
    except LLMError as exc:
        _fail(str(exc).split("\n")[0], 1)
    if html:
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(render_html(report), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(report_dict(report, details=False), indent=2))
    else:
        print_report(console, report)
        if html:
            console.print(f"HTML report: {markup(html)}", highlight=False)
    for failure in report.failures:
        err.print(f"[bold red]gate failed:[/] {markup(failure.message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(report.exit_code)




def _cell(value: float | None, failing: bool) -> str:
    if value is None:
        return "[dim]–[/]"
    return f"[bold red]{value:.2f}[/]" if failing else f"{value:.2f}"


def print_report(console: Console, report) -> None:
    """A table of metrics per persona, then notes and where counter-evidence was found."""
    failing = {(f.persona_id, f.metric) for f in report.failures}
    table = Table(title=f"Evaluation · judge {markup(report.judge)}", title_justify="left", box=box.SIMPLE_HEAD,
                  caption="shown verif: share of citations shown as verified that re-verify (must be 1)",
                  caption_justify="left")
    table.add_column("persona", overflow="fold", min_width=14)
    for _, header in COLUMNS:
        table.add_column(header, justify="right", no_wrap=True)
    for p in report.personas:
        cells = [_cell(getattr(p, metric), (p.persona_id, metric) in failing) for metric, _ in COLUMNS]
        counter = f", {p.counter_evidence} contradicted" if p.counter_evidence else ""
        table.add_row(f"{markup(p.name)}\n[dim]{p.claims} claims, {p.citations} cites{counter}[/]", *cells)
    console.print(table)
    for note in report.notes:
        style = "bold red" if "NOT" in note else "dim"
        console.print(f"[{style}]{markup(note)}[/]", highlight=False)
    found = [(p, c, c.counter_evidence[0]) for p in report.personas for c in p.claim_evals if c.counter_evidence]
    for p, c, x in found[:MAX_COUNTER_LINES]:
        console.print(f"[yellow]counter-evidence[/] {markup(p.name)}: {markup(repr(c.text))} vs "
                      f"{markup(repr(x.quote))} ({markup(x.reason)})",
                      highlight=False, soft_wrap=True)
    if len(found) > MAX_COUNTER_LINES:
        console.print(f"… and {len(found) - MAX_COUNTER_LINES} more claims with counter-evidence (see --html or --json)")


def register(app: typer.Typer) -> None:
    """Add `synth eval` to the main app."""
    app.command("eval")(eval_command)
