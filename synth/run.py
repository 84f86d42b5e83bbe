"""`synth run`: the whole job in one call, from a research folder to a report folder.

Steps, in order (each is the library function its own command calls, so any can be re-run alone):
  1. ingest    synth.ingest.ingest            parse, chunk, embed, store (unchanged files cost nothing)
  2. themes    synth.themes.build_themes      cluster participant chunks into named themes
  3. personas  synth.personas.draft_personas  segment, draft, verify, figure, save
  4. eval      synth.evaluation.evaluate      re-verify every persona against its sources (eval.html/json)
  5. report    write_report                   index.md, index.html, report.json, one page per persona
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from synth.config import Settings
from synth.evaluation import evaluate, render_html as render_eval_html, report_dict
from synth.export import export_persona, slug
from synth.ingest import IngestProgress, IngestReport, ingest
from synth.llm import LLM
from synth.parsers import ParseOptions
from synth.personas import PersonaProgress, build_personas, load_segments
from synth.personas.notes import listing, no_speech
from synth.records import Persona, Segment, Theme
from synth.search import open_store, workspace_status

STEPS = ("ingest", "themes", "personas", "eval", "report")
DEFAULT_REPORT = Path("synth-report")


class RunError(Exception):
    """The pipeline stopped at a step; the message names the step and what to do."""


class RunProgress:
    """Callbacks for the whole run; the CLI draws a line per step and bars inside the long ones."""

    ingest: IngestProgress = IngestProgress()
    personas: PersonaProgress = PersonaProgress()

    def step(self, name: str, index: int, total: int) -> None: ...
    def step_done(self, name: str, seconds: float, summary: str) -> None: ...
    def note(self, text: str) -> None: ...  # one line a researcher should read (nothing quotable, no persona, thin)


@dataclass
class RunResult:
    folder: Path
    index_html: Path
    index_md: Path
    report_json: Path
    personas: list[Persona]
    themes: list[Theme]
    ingest: IngestReport
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def run(
    paths: Sequence[Path],
    settings: Settings,
    llm: LLM,
    n: int | None = None,
    out: Path = DEFAULT_REPORT,
    options: ParseOptions | None = None,
    progress: RunProgress | None = None,
    template=None,
) -> RunResult:
    """Ingest `paths`, build themes and personas, and write the report folder `out`.

    template: the synth.cards.PersonaTemplate every persona page and card is laid out with (default: shipped).
    """
    from synth.themes import build_themes

    progress = progress or RunProgress()
    seconds: dict[str, float] = {}

    def begin(name: str) -> float:
        progress.step(name, STEPS.index(name) + 1, len(STEPS))
        return time.perf_counter()

    def end(name: str, started: float, summary: str) -> None:
        seconds[name] = round(time.perf_counter() - started, 2)
        progress.step_done(name, seconds[name], summary)

    t = begin("ingest")
    report = ingest(list(paths), settings, options, progress=progress.ingest)
    if report.files_ingested + report.files_unchanged == 0:
        raise RunError(f"ingest found nothing to read in {', '.join(map(str, paths))}{_why(report)}")
    end("ingest", t, f"{report.documents} documents, {report.chunks} chunks, {len(report.failed)} file(s) failed")
    with open_store(settings) as store:
        problem = no_speech(store)
    if problem:  # before themes, whose own message would send the user back to `synth ingest`
        raise RunError(problem)

    t = begin("themes")
    theme_run = build_themes(settings, llm=llm)
    end("themes", t, f"{len(theme_run.themes)} themes")

    t = begin("personas")
    persona_run = build_personas(settings, llm, n=n, progress=progress.personas)
    personas = persona_run.personas
    skipped = f", {len(persona_run.skipped)} segment(s) without one" if persona_run.skipped else ""
    end("personas", t, f"{len(personas)} personas{skipped}")
    for line in persona_run.notes:
        progress.note(line)

    t = begin("eval")
    evaluation = evaluate(settings, llm=llm)
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.html").write_text(render_eval_html(evaluation), encoding="utf-8")
    eval_summary = report_dict(evaluation, details=False)
    (out / "eval.json").write_text(json.dumps(eval_summary, indent=2, ensure_ascii=False), encoding="utf-8")
    end("eval", t, "all gates passed" if evaluation.passed else f"{len(evaluation.failures)} gate(s) failed")

    t = begin("report")
    about = {"llm": llm.model_id, "seconds": seconds, "sources": [str(p) for p in paths],
             "eval": {"passed": eval_summary["passed"], "file": "eval.html", "failures": eval_summary["failures"]},
             "notes": persona_run.notes, "skipped": [s.model_dump() for s in persona_run.skipped]}
    result = write_report(settings, out, personas, theme_run.themes, report, about, template)
    end("report", t, str(result.index_html))
    result.seconds = seconds
    result.notes = persona_run.notes
    return result


def _why(report: IngestReport, limit: int = 4) -> str:
    """': reason in a.txt, b.txt (fix)' for the most common problem, so one line names the files and the fix."""
    groups: dict[tuple[str, str], list[str]] = {}
    for issue in report.issues:
        groups.setdefault((issue.reason, issue.fix), []).append(Path(issue.path).name)
    if not groups:
        return ""
    (reason, fix), names = max(groups.items(), key=lambda kv: len(kv[1]))
    others = len(report.issues) - len(names)
    return (f": {reason} in {listing(names, limit)}" + (f" ({fix})" if fix else "")
            + (f"; {others} other file(s) failed for other reasons" if others else ""))


def write_report(
    settings: Settings,
    out: Path,
    personas: list[Persona],
    themes: list[Theme],
    ingest_report: IngestReport,
    about: dict[str, Any],
    template=None,
) -> RunResult:
    """The report folder: index.md, index.html (a gallery of cards), report.json, and per persona
    personas/NN-name.html (full page), .card.html (one-page card) and .md."""
    from synth.cards import StudyView, load_template, study_cards
    from synth.cards.html import gallery
    from synth.export_html import render_report

    folder = out
    template = template or load_template()
    (folder / "personas").mkdir(parents=True, exist_ok=True)
    status = workspace_status(settings)
    from synth.review.decisions import decisions_for
    from synth.review.views import export_view

    with open_store(settings) as store:
        segments = {s.id: s for s in load_segments(store)}
        study = StudyView.load(store)
        entries = []
        for i, p in enumerate(personas, 1):
            seg = segments.get(p.segment_id)
            files = {}
            view = export_view(p, decisions_for(store, p.id))  # like `synth export`: the marked draft until reviewed
            for fmt, ext in (("html", "html"), ("card", "card.html"), ("md", "md")):
                rel = f"personas/{i:02d}-{slug(p.name)}.{ext}"
                text = export_persona(view, store, fmt, segment=seg, template=template, study=study)
                (folder / rel).write_text(text, encoding="utf-8")
                files[fmt] = rel
            entries.append(_persona_entry(p, seg, files))
        cards = study_cards(store, personas, template, study)
        shown = gallery(cards, {e["id"]: e["files"] for e in entries})
        changes = _write_diff(store, folder)
    data = {
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "workspace": str(settings.workspace),
        "embedder": settings.embedder,
        **about,
        "corpus": {"totals": status["totals"], "by_kind": status["by_kind"],
                   "files_failed": [{"path": i.path, "reason": i.reason, "fix": i.fix} for i in ingest_report.failed]},
        "themes": [_theme_entry(t) for t in themes],
        "personas": entries,
        **({"diff": changes} if changes else {}),
    }
    paths = {"json": folder / "report.json", "md": folder / "index.md", "html": folder / "index.html"}
    paths["json"].write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["md"].write_text(_index_markdown(data), encoding="utf-8")
    paths["html"].write_text(render_report(data, shown), encoding="utf-8")
    return RunResult(folder, paths["html"], paths["md"], paths["json"], personas, themes, ingest_report)


def _write_diff(store, folder: Path) -> dict | None:
    """diff.html: what changed since the previous run (`synth diff`), when there was one."""
    from synth.diff import diff_versions, participant_labels
    from synth.diff_html import render_diff
    from synth.history import VersionNotFound, default_pair, load_version

    try:
        old, new = default_pair(store)
    except VersionNotFound:
        return None
    changes = diff_versions(load_version(store, old), load_version(store, new), participant_labels(store))
    (folder / "diff.html").write_text(render_diff(changes), encoding="utf-8")
    return {"file": "diff.html", "summary": changes.summary(), "old": old, "new": new}


def _theme_entry(t: Theme) -> dict:
    return {"id": t.id, "label": t.label, "description": t.description, "keywords": t.keywords[:8],
            "chunks": t.size, "participants": t.participant_count, "kinds": t.kinds}


def _persona_entry(p: Persona, seg: Segment | None, files: dict[str, str]) -> dict:
    return {"id": p.id, "name": p.name, "summary": p.summary, "segment_id": p.segment_id,
            "segment": seg.label if seg else "", "participants": len(seg.participant_ids) if seg else 0,
            "kinds": seg.attributes.get("kinds", {}) if seg else {}, "figures": p.figures, "files": files}


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _kinds(value: dict | None) -> str:
    """{"interview": 0.4, "review": 0.8} -> "interview 40% · review 80%"."""
    return " · ".join(f"{k} {v:.0%}" for k, v in (value or {}).items()) or "n/a"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _index_markdown(data: dict) -> str:
    totals = data["corpus"]["totals"]
    lines = ["# synth report", "",
             f"{totals['documents']} documents from {totals['participants']} participants "
             f"({totals['evidence_chunks']} evidence chunks) · LLM: {data['llm']} · embedder: {data['embedder']}", "",
             "## Personas", "",
             "| # | persona | participants | claims supported | citations verbatim | participants cited | overlap "
             "| claims citing each source kind |",
             "|---|---|---|---|---|---|---|---|"]
    for i, p in enumerate(data["personas"], 1):
        f = p["figures"]
        lines.append(f"| {i} | [{_cell(p['name'])}]({p['files']['md']}) | {p['participants']} | "
                     f"{_share(f.get('claims_supported_share'))} | {_share(f.get('citations_verbatim_share'))} | "
                     f"{_share(f.get('participants_covered'))} | {f.get('overlap_with_others', 0):.2f} | "
                     f"{_kinds(f.get('claims_by_kind'))} |")
    lines += ["", "## Themes", "", "| theme | chunks | participants | keywords |", "|---|---|---|---|"]
    for t in data["themes"]:
        keywords = _cell(", ".join(t["keywords"][:5]))
        lines.append(f"| {_cell(t['label'])} | {t['chunks']} | {t['participants']} | {keywords} |")
    if data.get("diff"):
        lines += ["", "## Changes since the previous run", "", f"{_cell(data['diff']['summary'])}: "
                  f"[{data['diff']['file']}]({data['diff']['file']})"]
    if data.get("notes"):
        lines += ["", "## Notes", "", *[f"- {_cell(n)}" for n in data["notes"]]]
    if "eval" in data:
        verdict = "all gates passed" if data["eval"]["passed"] else "gates failed: " + "; ".join(
            f["message"] for f in data["eval"]["failures"])
        lines += ["", f"Evaluation: {verdict}; every citation re-verified against its source: [eval.html](eval.html)"]
    lines += ["", f"Times (s): {', '.join(f'{k} {v}' for k, v in data['seconds'].items())}", ""]
    return "\n".join(lines)
