"""Persona cards and the terminal views on a built workspace: do cards print on one page, how long a PDF
takes, and how many lines `synth show` and `synth themes` print by default against --full.

    python evals/bench_cards.py --workspace /tmp/ws/larder/.synth [--pdf 1]

Exports go to a temporary folder; `synth themes` takes the write lock (it recomputes nothing on an unchanged
workspace), so point it at a copy of a shared workspace.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def _lines(args: list[str]) -> int:
    from typer.testing import CliRunner

    from synth.cli import app

    result = CliRunner().invoke(app, args, env={"COLUMNS": "100"})
    if result.exit_code != 0:
        raise SystemExit(f"synth {' '.join(args)} failed: {result.output.strip()}")
    return len(result.output.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", "-w", type=Path, required=True)
    parser.add_argument("--pdf", type=int, default=1, help="how many personas to print to PDF (slow: ~20 s each)")
    opts = parser.parse_args()

    from synth.cards import StudyView, load_template, study_cards
    from synth.cards.html import render_card
    from synth.cards.pdf import engine, page_count
    from synth.config import load_settings
    from synth.export import export_personas
    from synth.personas import load_personas
    from synth.search import open_store

    settings = load_settings(opts.workspace)
    ws = str(opts.workspace)
    template = load_template()
    with open_store(settings) as store, tempfile.TemporaryDirectory() as tmp:
        personas = load_personas(store)
        t = time.perf_counter()
        cards = study_cards(store, personas, template, StudyView.load(store))
        print(f"cards: {len(cards)} laid out in {time.perf_counter() - t:.2f}s (PDF engine: {engine() or 'none'})")
        for card in cards:
            empty = [s.title for s in card.sections if s.empty]
            pages = page_count(render_card(card, "", template.empty))
            compact = page_count(render_card(card, "", template.empty, compact=True)) if pages > 1 else pages
            print(f"  {card.number}. {card.name}: card prints on {pages} page(s)"
                  + ("" if pages == 1 else f", {compact} in the compact layout the PDF then uses") + "; empty sections: "
                  f"{', '.join(empty) or 'none'}")
        for persona in personas[: opts.pdf]:
            t = time.perf_counter()
            (path,) = export_personas(store, [persona], "pdf", Path(tmp), review=None, template=template)
            import pypdf

            print(f"  PDF {path.name}: {len(pypdf.PdfReader(path).pages)} pages in {time.perf_counter() - t:.1f}s")
        (csv_path,) = export_personas(store, personas, "csv", Path(tmp), review=None, template=template)
        rows = len(csv_path.read_text(encoding="utf-8").splitlines()) - 1
        print(f"  claims.csv: {rows} rows for {sum(len(p.claims) for p in personas)} claims")
    print("terminal lines at 100 columns (default vs --full):")
    print(f"  synth themes: {_lines(['themes', '-w', ws])} vs {_lines(['themes', '--full', '-w', ws])}")
    for i in range(1, len(personas) + 1):
        print(f"  synth show {i}: {_lines(['show', str(i), '-w', ws])} vs {_lines(['show', str(i), '--full', '-w', ws])}")


if __name__ == "__main__":
    main()
