"""Write the speaker-role corpus: every conversation in several real tools' layouts, plus truth.json.

    python evals/speakers/render.py            # rewrite corpus/ and truth.json
    python evals/speakers/render.py --check    # exit 1 if a txt/md/vtt/srt file or truth.json would change

Text files and truth.json are byte-for-byte reproducible. docx files are too (fixed core
properties and zip entry dates). PDFs need fpdf2, used here only: `pip install fpdf2`. The PDFs
are committed, so neither CI nor the tests ever need it; fpdf2 is imported only when writing one.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dialogues import HERE, load_conversations  # noqa: E402
from layouts import ASR_SKIPS, LAYOUTS, Options, Page  # noqa: E402

CORPUS = HERE / "corpus"
TRUTH = HERE / "truth.json"
FIXED = datetime(2024, 1, 1, tzinfo=timezone.utc)
TEXT_FORMATS = {"txt", "md", "vtt", "srt"}


@dataclass(frozen=True)
class FileSpec:
    conversation: str
    layout: str  # the name truth.json records
    renderer: str  # a key of layouts.LAYOUTS
    fmt: str  # txt | md | docx | pdf | vtt | srt
    options: Options = Options()

    @property
    def name(self) -> str:
        return f"{self.conversation}.{self.layout}.{self.fmt}"


O = Options
ASR = ASR_SKIPS
UP = "upper"

PLAN = [
    FileSpec("hospital-rota", "name_colon", "colon", "txt", O(header=True)),
    FileSpec("hospital-rota", "otter", "stacked", "txt", O(style="otter", skip=ASR)),
    FileSpec("hospital-rota", "teams_docx", "stacked", "docx", O(style="teams", skip=ASR)),
    FileSpec("hospital-rota", "teams_vtt", "vtt", "vtt", O(style="teams", skip=ASR)),
    FileSpec(
        "experiment-tracking", "ids_r_p", "colon", "txt",
        O(labels={"tomas": "R1", "leah": "R2", "ravi": "P3", "sofia": "P4"}),
    ),
    FileSpec("experiment-tracking", "vtt_voice", "vtt", "vtt", O(style="voice", skip=ASR)),
    FileSpec("experiment-tracking", "markdown_bold", "colon", "md", O(style="bold", header=True)),
    FileSpec("bakery-accounts", "qa", "colon", "txt", O(labels={"helen": "Q", "gordon": "A"}, header=True)),
    FileSpec("bakery-accounts", "rev", "stacked", "txt", O(style="rev", generic=True, skip=ASR)),
    FileSpec("bakery-accounts", "name_colon", "colon", "pdf", O(header=True)),
    FileSpec("transit-thinkaloud", "moderator_only", "colon", "txt", O(labels={"kai": None}, case=UP, blank=False)),
    FileSpec("transit-thinkaloud", "moderator_only", "colon", "docx", O(labels={"kai": None}, case=UP, blank=False)),
    FileSpec(
        "transit-thinkaloud", "srt_dash", "srt", "srt",
        O(style="dash", case=UP, first_names=True, skip=frozenset({"prompt", "timestamp"}), crlf=True),
    ),
    FileSpec("museum-app", "caps_labels", "colon", "txt", O(case=UP, first_names=True)),
    FileSpec("museum-app", "srt_prefix", "srt", "srt", O(case=UP, first_names=True, skip=ASR)),
    FileSpec("museum-app", "google_meet", "meet", "docx"),
    FileSpec("remote-work", "auto_multi_interviewer", "colon", "txt"),
    FileSpec("remote-work", "name_colon", "colon", "docx", O(header=True, blank=False)),
    FileSpec("remote-work", "vtt_prefix", "vtt", "vtt", O(style="prefix", skip=ASR)),
    FileSpec("seniors-banking", "name_timestamp", "colon", "txt", O(style="stamp_after_name", first_names=True)),
    FileSpec("seniors-banking", "numbered_parens", "colon", "txt", O(style="num_parens", first_names=True)),
    FileSpec("seniors-banking", "name_colon", "colon", "pdf", O(header=True)),
    FileSpec("farm-telematics", "irp", "colon", "txt", O(labels={"owen": "I", "glen": "R"})),
    FileSpec("farm-telematics", "bracket_timestamp", "colon", "txt", O(style="stamp_first", blank=False)),
    FileSpec("farm-telematics", "descript", "colon", "txt", O(style="descript", skip=frozenset({"timestamp"}))),
    FileSpec("library-catalogue", "numbered_brackets", "colon", "txt", O(style="num_brackets", first_names=True)),
    FileSpec(
        "library-catalogue", "lower_labels", "colon", "txt", O(labels={"dan": "interviewer", "mira": "participant"})
    ),
    FileSpec("library-catalogue", "table_time_speaker_text", "table", "docx", O(style="time", first_names=True)),
    FileSpec(
        "bikeshare", "inline_changes", "inline", "txt",
        O(labels={"sam": "Interviewer", "june": "Co-interviewer", "lola": "P"}),
    ),
    FileSpec("bikeshare", "numbered_dot", "colon", "txt", O(style="num_dot", first_names=True, blank=False)),
    FileSpec("bikeshare", "srt_inline", "srt", "srt", O(style="inline", case=UP, first_names=True, skip=ASR)),
    FileSpec("analytics-dashboards", "google_meet", "meet", "txt"),
    FileSpec("analytics-dashboards", "teams_vtt", "vtt", "vtt", O(style="teams", skip=ASR)),
    FileSpec("analytics-dashboards", "markdown_bold", "colon", "md", O(style="bold", first_names=True)),
    FileSpec("parenting-forum", "ids_i_p", "colon", "txt", O(labels={"yara": "I", "chris": "P1", "alex": "P2"})),
    FileSpec("parenting-forum", "rev", "stacked", "txt", O(style="rev", skip=ASR)),
    FileSpec("parenting-forum", "table_speaker_text", "table", "docx", O(first_names=True)),
    FileSpec("hr-onboarding", "qa", "colon", "txt", O(labels={"lukas": "Q", "amara": "A"})),
    FileSpec("hr-onboarding", "otter", "stacked", "txt", O(style="otter", skip=ASR)),
    FileSpec("hr-onboarding", "name_colon", "colon", "pdf", O(header=True, first_names=True)),
    FileSpec("smart-thermostat", "name_colon", "colon", "txt"),
    FileSpec("smart-thermostat", "caps_labels", "colon", "txt", O(case=UP, blank=False)),
    FileSpec("smart-thermostat", "vtt_voice", "vtt", "vtt", O(style="voice", skip=ASR)),
]


def render_page(spec: FileSpec, conversations: dict) -> Page:
    return LAYOUTS[spec.renderer](conversations[spec.conversation], spec.options)


def text_bytes(page: Page, crlf: bool = False) -> bytes:
    text = "\n".join(page.blocks).rstrip("\n") + "\n"
    return (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")


def docx_bytes(page: Page, title: str) -> bytes:
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "synth evals"
    props.title, props.created, props.modified, props.revision = title, FIXED, FIXED, 1
    rows = [b for b in page.blocks if isinstance(b, tuple)]
    if rows:
        table = doc.add_table(rows=0, cols=len(rows[0]))
        table.style = "Table Grid"
        for row in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row):
                cell.text = text
    for block in page.blocks:
        if isinstance(block, tuple) or not block:
            continue
        if block == page.title_block:
            doc.add_heading(block, level=1)
        else:
            doc.add_paragraph(block)
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """Rewrite a zip with a fixed date on every entry, so a docx is reproducible."""
    src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            dst.writestr(entry, src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def pdf_bytes(page: Page, title: str) -> bytes:
    from fpdf import FPDF  # generation only; see the module docstring

    pdf = FPDF(format="A4")
    pdf.set_creation_date(FIXED)
    pdf.set_title(title)
    pdf.set_author("synth evals")
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for block in page.blocks:
        if block:
            pdf.multi_cell(0, 5, block, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    return bytes(pdf.output())


def render_file(spec: FileSpec, conversations: dict, formats: set[str] | None = None) -> tuple[Page, bytes | None]:
    """The page and its bytes; bytes are None outside `formats`, or for a PDF without fpdf2."""
    page = render_page(spec, conversations)
    title = conversations[spec.conversation].title
    if formats is not None and spec.fmt not in formats:
        return page, None
    if spec.fmt in TEXT_FORMATS:
        return page, text_bytes(page, spec.options.crlf)
    if spec.fmt == "docx":
        return page, docx_bytes(page, title)
    try:
        return page, pdf_bytes(page, title)
    except ImportError:
        return page, None


def truth_entry(spec: FileSpec, page: Page, conversations: dict) -> dict:
    conv = conversations[spec.conversation]
    speakers: dict[str, dict] = {}
    for item in page.items:
        if item["speaker"] is None:
            continue
        spk = conv.speakers[item["speaker"]]
        entry = speakers.setdefault(spk.id, {"role": spk.role, "name": spk.name, "labels": []})
        if item["label"] is not None and item["label"] not in entry["labels"]:
            entry["labels"].append(item["label"])
    return {
        "layout": spec.layout,
        "format": spec.fmt,
        "domain": conv.domain,
        "conversation": conv.id,
        "speakers": speakers,
        "items": page.items,
    }


def truth_json(truth: dict) -> str:
    """Indented JSON with one item per line, so diffs of the truth stay readable."""
    lines = ["{", '  "version": 1,', '  "files": {']
    for n, (path, entry) in enumerate(truth.items()):
        lines.append(f"    {json.dumps(path)}: {{")
        for key in ("layout", "format", "domain", "conversation"):
            lines.append(f"      {json.dumps(key)}: {json.dumps(entry[key])},")
        lines.append(f'      "speakers": {json.dumps(entry["speakers"], ensure_ascii=False)},')
        lines.append('      "items": [')
        items = [f"        {json.dumps(i, ensure_ascii=False)}" for i in entry["items"]]
        lines.append(",\n".join(items))
        lines.append("      ]")
        lines.append("    }" + ("," if n < len(truth) - 1 else ""))
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def build(formats: set[str] | None = None) -> tuple[dict[str, bytes | None], str]:
    """Every corpus file's bytes by name (None outside `formats`), and the truth.json text."""
    conversations = load_conversations()
    files, truth = {}, {}
    for spec in PLAN:
        page, data = render_file(spec, conversations, formats)
        files[spec.name] = data
        truth[spec.name] = truth_entry(spec, page, conversations)
    return files, truth_json(truth)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare text files and truth.json, write nothing")
    args = ap.parse_args(argv)
    files, truth = build(TEXT_FORMATS if args.check else None)
    if args.check:
        stale = [n for n, d in files.items() if n.rsplit(".", 1)[1] in TEXT_FORMATS and (CORPUS / n).read_bytes() != d]
        if TRUTH.read_text(encoding="utf-8") != truth:
            stale.append("truth.json")
        for name in stale:
            print(f"stale: {name} (run python evals/speakers/render.py)")
        return 1 if stale else 0
    CORPUS.mkdir(exist_ok=True)
    for name, data in files.items():
        if data is None:
            print(f"skipped {name}: pip install fpdf2 to write PDFs", file=sys.stderr)
            continue
        (CORPUS / name).write_bytes(data)
    TRUTH.write_text(truth, encoding="utf-8")
    print(f"wrote {sum(d is not None for d in files.values())} files to {CORPUS} and {TRUTH.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
