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
from synth.evaluation.gates import GATE_BY_FIELD, GATES, gates_help  # noqa: E402  (light: pydantic only)
from synth.terminal import markup  # noqa: E402
MAX_COUNTER_LINES = 10
MAX_FINDING_LINES = 3  # per persona; --html and --json carry them all
DEFAULT_REVIEW_URL = "http://127.0.0.1:8765"  # synth.evaluation.DEFAULT_REVIEW_URL, without importing it for --help

COLUMNS = [  # metric, header (short: the table should fit 80 columns)
    ("verified_display_fidelity", "shown\nverif"), ("quote_fidelity", "quote\nfid"),
    ("citation_recall", "cite\nrecall"), ("citation_precision", "cite\nprec"), ("support", "supp"),
    ("segment_coverage", "seg\ncov"), ("theme_coverage", "theme\ncov"), ("distinctiveness", "dist"),
]


def _gate(field: str):
    """The option of one gate; None means "not given", so the default (or --no-gates) applies."""
    g = GATE_BY_FIELD[field]
    default = "off" if g.default is None else f"{g.default:g}"
    if g.bound == "min":
        return typer.Option(None, g.flag, min=0.0, max=1.0, help=f"Minimum {g.label} (default {default}).")
    return typer.Option(None, g.flag, min=0, help=f"Most {g.label} allowed (default {default}).")


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
    min_fidelity: Optional[float] = _gate("min_fidelity"),
    max_unverified: Optional[int] = _gate("max_unverified"),
    max_interviewer: Optional[int] = _gate("max_interviewer"),
    max_non_speech: Optional[int] = _gate("max_non_speech"),
    max_cut_quotes: Optional[int] = _gate("max_cut_quotes"),
    max_polarity: Optional[int] = _gate("max_polarity"),
    max_contradictions: Optional[int] = _gate("max_contradictions"),
    max_prevalence: Optional[int] = _gate("max_prevalence"),
    max_duplicates: Optional[int] = _gate("max_duplicates"),
    min_support: Optional[float] = _gate("min_support"),
    min_coverage: Optional[float] = _gate("min_coverage"),
    min_kind_coverage: Optional[float] = _gate("min_kind_coverage"),
    min_quote_fidelity: Optional[float] = _gate("min_quote_fidelity"),
    min_recall: Optional[float] = _gate("min_recall"),
    min_precision: Optional[float] = _gate("min_precision"),
    min_theme_coverage: Optional[float] = _gate("min_theme_coverage"),
    min_distinctiveness: Optional[float] = _gate("min_distinctiveness"),
    no_gates: bool = typer.Option(False, "--no-gates", help="Switch the default gates off and only report; gates "
                                  "named on the command line still apply."),
    review_url: str = typer.Option(DEFAULT_REVIEW_URL, "--review-url", help="Where `synth review` serves this "
                                   "workspace: the report links each claim there."),
    counter: bool = typer.Option(True, "--counter/--no-counter", help="Look for segment quotes that contradict claims."),
    workspace: Optional[Path] = typer.Option(
        None, "--workspace", "-w", envvar="SYNTH_WORKSPACE",
        help="Workspace folder holding the database and vectors \\[default: ./.synth].",
    ),
) -> None:
    """Check every persona against its sources: quote fidelity, citation recall and precision, support,
    coverage, distinctiveness and counter-evidence.

    Citations are re-verified against the stored transcripts (never taken from what the persona
    stored), claims are re-judged by the configured LLM or the offline judge, and what the pipeline
    could have got wrong is re-derived from the sources: interviewer words (labels, questions,
    introductions), small talk, polarity, contradictions, prevalence, cut quotes, duplicates. Each
    gate a persona misses prints one line and the command exits 1; --no-gates only reports.

    Example: synth eval --all --html eval.html ; synth eval --no-gates --min-support 0.9
    """
    from synth.evaluation import EvalError, Thresholds, evaluate, render_html, report_dict
    from synth.llm import LLMConfigError, LLMError, open_llm

    if persona and all_:
        _fail("name one persona or pass --all, not both", 2)
    args = locals()
    given = {g.field: args[g.field] for g in GATES if args[g.field] is not None}
    thresholds = (Thresholds.off() if no_gates else Thresholds()).model_copy(update=given)
    settings = workspace_or_exit(workspace)  # before the LLM layer would create a database there
    try:
        with open_llm(settings.workspace, llm=llm, no_cache=no_cache, command="eval") as judge:
            report = evaluate(settings, [persona] if persona else None, judge, thresholds,
                              find_counter_evidence=counter, review_url=review_url or None)
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
    print_verdicts(console, report)


def print_verdicts(console: Console, report) -> None:
    """Each persona's verdict in words, and the first few things found wrong with it."""
    texts = {c.id: c.text for p in report.personas for c in p.claim_evals}
    for p in report.personas:
        mark = "[green]✓[/]" if p.passed else "[bold red]✗[/]"
        console.print(f"{mark} [bold]{markup(p.name)}[/]: {markup(p.verdict)}", highlight=False, soft_wrap=True)
        for f in p.findings[:MAX_FINDING_LINES]:
            where = f" in {texts[f.claim_id]!r}" if f.claim_id in texts else ""
            console.print(f"    [yellow]{markup(f.kind.value)}[/]{markup(where[:90])}: {markup(f.message[:160])}",
                          highlight=False, soft_wrap=True)
        if len(p.findings) > MAX_FINDING_LINES:
            console.print(f"    [dim]… {len(p.findings) - MAX_FINDING_LINES} more (see --html or --json)[/]")


eval_command.__doc__ += "\n    Default gates, and why:\n\n" + "".join(f"    {line}\n\n" for line in gates_help().splitlines())


def register(app: typer.Typer) -> None:
    """Add `synth eval` to the main app."""
    app.command("eval")(eval_command)
