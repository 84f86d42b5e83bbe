"""Build the .docx interview transcripts from their reviewable Markdown sources.

Sources live in corpora/<product>_docx_src/*.md (outside the corpus folder, so ingesting
corpora/<product> does not read each interview twice) and look like:

    <!-- output: Larder diary study follow-up - P11.docx -->
    <!-- layout: paragraphs -->          (or: table)
    <!-- author: Beacon research -->     (optional; the .docx author property)

    # Title paragraph

    Date: 2026-03-16  Interviewer: Sam   (optional metadata paragraph)

    **Sam:** Utterance text ...

    **Carlos:** Utterance text ...

Each source produces one .docx in the sibling interviews/ folder:
  * layout "paragraphs": one paragraph per turn, speaker name in a bold run
    ("Sam:") followed by a plain run with the text;
  * layout "table": a 2-column table (Speaker | Text), one row per turn.

Usage:  python corpora/make_docx.py [corpora/larder_docx_src ...]
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import docx
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
DEFAULT_SRC_DIRS = [HERE / "larder_docx_src"]

DIRECTIVE = re.compile(r"^<!--\s*(\w+)\s*:\s*(.*?)\s*-->$")
TURN = re.compile(r"^\*\*(?P<speaker>[^*]+?):\*\*\s*(?P<text>.*)$")


def parse(md_path: Path) -> dict:
    meta = {"output": md_path.stem + ".docx", "layout": "paragraphs"}
    title, info, turns = None, None, []
    for raw in md_path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        m = DIRECTIVE.match(line)
        if m:
            meta[m.group(1).lower()] = m.group(2)
            continue
        if line.startswith("# ") and title is None:
            title = line[2:].strip()
            continue
        m = TURN.match(line)
        if m:
            turns.append((m.group("speaker").strip(), m.group("text").strip()))
            continue
        if not turns and info is None:
            info = line  # metadata paragraph before the first turn
            continue
        if turns:  # continuation line of the previous turn
            sp, text = turns[-1]
            turns[-1] = (sp, text + " " + line)
            continue
        raise ValueError(f"{md_path}: cannot place line: {line!r}")
    if not title or not turns:
        raise ValueError(f"{md_path}: needs a '# title' and at least one turn")
    return {**meta, "title": title, "info": info, "turns": turns}


def build(doc_spec: dict, out_path: Path) -> None:
    d = docx.Document()
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)
    d.add_paragraph(doc_spec["title"], style="Title")
    if doc_spec["info"]:
        p = d.add_paragraph()
        p.add_run(doc_spec["info"]).italic = True
    if doc_spec["layout"] == "table":
        table = d.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        hdr = table.rows[0].cells
        hdr[0].text, hdr[1].text = "Speaker", "Text"
        for cell in hdr:
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for speaker, text in doc_spec["turns"]:
            row = table.add_row().cells
            row[0].text = speaker
            row[1].text = text
    else:
        for speaker, text in doc_spec["turns"]:
            p = d.add_paragraph()
            p.add_run(f"{speaker}:").bold = True
            p.add_run(f" {text}")
    # fixed core properties so rebuilds are stable and anonymous
    d.core_properties.author = doc_spec.get("author", "Larder UX research")
    d.core_properties.title = doc_spec["title"]
    out_path.parent.mkdir(parents=True, exist_ok=True)
    d.save(str(out_path))


def main(argv: list[str]) -> int:
    src_dirs = [Path(a) for a in argv] or DEFAULT_SRC_DIRS
    n = 0
    for src in src_dirs:
        for md in sorted(src.glob("*.md")):
            spec = parse(md)
            out = HERE / src.name.removesuffix("_docx_src") / "interviews" / spec["output"]
            build(spec, out)
            print(f"{md.name} -> {out.relative_to(HERE)} ({len(spec['turns'])} turns, {spec['layout']})")
            n += 1
    return 0 if n else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
