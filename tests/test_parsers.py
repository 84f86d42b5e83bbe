"""File parsers: every format clean and ugly, with the span invariant checked on every document."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import docx
import pypdf
import pytest

import synth.parsers as parsers
from synth.parsers import (
    SUPPORTED_EXTENSIONS,
    ParseError,
    ParseOptions,
    detect_format,
    parse_file,
    parse_file_with_warnings,
)
from synth.parsers.base import decode
from synth.parsers.columns import parse_rating
from synth.records import Document, Kind, Role

# ---------------------------------------------------------------- helpers


def check_spans(doc: Document) -> None:
    """Each turn's span is exactly its words: trimmed, one line, and free of any speaker label."""
    labels = {t.speaker for t in doc.turns if t.speaker != "unknown"}
    for turn in doc.turns:
        said = doc.text[turn.start:turn.end]
        assert said, turn
        assert said == said.strip()
        if doc.kind in (Kind.interview, Kind.document):
            assert "\n" not in said
        for label in labels:
            assert not said.startswith(f"{label}:"), (label, said)
            assert f"\n{label}: " not in said
        if doc.kind == Kind.interview and turn.speaker != "unknown":
            assert doc.text[: turn.start].endswith(f"{turn.speaker}: ")


def spoken(doc: Document) -> list[tuple[str, str]]:
    return [(t.speaker, doc.text[t.start:t.end]) for t in doc.turns]


def parse(path: Path, **options) -> list[Document]:
    docs = parse_file(path, ParseOptions(**options))
    assert docs
    for doc in docs:
        check_spans(doc)
        assert doc.path == str(path)
    return docs


def parse_one(path: Path, **options) -> Document:
    docs = parse(path, **options)
    assert len(docs) == 1
    return docs[0]


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def make_pdf(pages: list[list[str] | None]) -> bytes:
    """A minimal PDF by hand: one Helvetica text line per string; None makes an image-only page."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids: list[int] = []
    next_id = 4
    for lines in pages:
        if lines is None:
            # A 2x2 grey inline image scaled over the page: what a scanner gives, pixels and no text.
            stream = b"q 468 0 0 648 72 72 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q"
        else:
            parts = [b"BT /F1 12 Tf 72 720 Td"]
            for i, line in enumerate(lines):
                escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
                parts.extend(([b"0 -16 Td"] if i else []) + [b"(" + escaped + b") Tj"])
            stream = b"\n".join(parts + [b"ET"])
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        kids.append(page_id)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        objects[content_id] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def make_docx(blocks: list[str | list[list[str]]]) -> bytes:
    """A .docx of paragraphs (str) and tables (list of rows), in order."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


INTERVIEW = """Larder interview P07
Date: 2026-03-14  Interviewer: Sam

Sam: Thanks for joining. How do you plan your week?
P07: Mostly on Sunday. I sit down
with the app and a coffee.
Sam: What happens when it goes wrong?
P07: The thing is: it crashed twice last week.
"""
INTERVIEW_TURNS = [
    ("Sam", "Thanks for joining. How do you plan your week?"),
    ("P07", "Mostly on Sunday. I sit down with the app and a coffee."),
    ("Sam", "What happens when it goes wrong?"),
    ("P07", "The thing is: it crashed twice last week."),
]

# ---------------------------------------------------------------- plain-text transcripts


def test_speaker_lines_with_title_metadata_and_wrapped_lines(tmp_path):
    doc = parse_one(write(tmp_path, "p07.txt", INTERVIEW))
    assert doc.kind == Kind.interview
    assert doc.format == "speaker-lines"
    assert doc.title == "Larder interview P07"
    assert doc.metadata["date"] == "2026-03-14"
    assert doc.metadata["speakers"] == ["Sam", "P07"]
    assert doc.metadata["format"] == "speaker-lines"
    assert spoken(doc) == INTERVIEW_TURNS
    assert [t.line for t in doc.turns] == [4, 5, 7, 8]
    assert [t.role for t in doc.turns] == [Role.interviewer, Role.participant] * 2
    assert doc.metadata["interviewers"] == ["Sam"]
    assert doc.text.startswith("Sam: Thanks for joining.")


@pytest.mark.parametrize(
    ("line_a", "line_b", "stamps"),
    [
        ("[00:01:15] Sam: How do you shop?", "[00:01:20] P07: Online, mostly.", [75.0, 80.0]),
        ("00:01:15 Sam: How do you shop?", "00:01:20 P07: Online, mostly.", [75.0, 80.0]),
        ("Sam (00:01:15): How do you shop?", "P07 (00:01:20): Online, mostly.", [75.0, 80.0]),
        ("Sam [1:15]: How do you shop?", "P07 [1:20]: Online, mostly.", [75.0, 80.0]),
        ("[00:01:15.120] Sam: How do you shop?", "[00:01:20.500] P07: Online, mostly.", [75.12, 80.5]),
        ("**Sam:** How do you shop?", "**P07:** Online, mostly.", [None, None]),
    ],
)
def test_speaker_line_variants(tmp_path, line_a, line_b, stamps):
    doc = parse_one(write(tmp_path, "t.txt", f"{line_a}\n{line_b}\n"))
    assert doc.format == "speaker-lines"
    assert spoken(doc) == [("Sam", "How do you shop?"), ("P07", "Online, mostly.")]
    assert [t.timestamp for t in doc.turns] == stamps


def test_rev_style_label_line_then_text(tmp_path):
    text = "Sam (00:01):\nHow do you shop?\n\nPriya (Larder UX) (00:05):\nFollow-up question?\n\nSam (00:09):\nOnline.\n"
    doc = parse_one(write(tmp_path, "rev.txt", text))
    assert spoken(doc) == [("Sam", "How do you shop?"), ("Priya (Larder UX)", "Follow-up question?"), ("Sam", "Online.")]


def test_false_positive_colons_stay_inside_turns(tmp_path):
    text = (
        "Speaker 1: Tell me about the recipe box.\n"
        "Speaker 2: I save links from https://example.com/recipes all the time.\n"
        "Note: that's where it broke.\n"
        "Speaker 1: Why?\n"
        "Speaker 2: The thing is: imports fail.\n"
    )
    doc = parse_one(write(tmp_path, "fp.txt", text))
    assert spoken(doc) == [
        ("Speaker 1", "Tell me about the recipe box."),
        ("Speaker 2", "I save links from https://example.com/recipes all the time. Note: that's where it broke."),
        ("Speaker 1", "Why?"),
        ("Speaker 2", "The thing is: imports fail."),
    ]


def test_prose_is_a_document_with_unknown_roles(tmp_path):
    text = (
        "Field notes from the store visit.\n"
        "The thing is: people skip the list.\n\n\n"
        "Note: check the pantry tracker.\n"
        "See https://example.com for photos.\n\n"
        "Last paragraph.\n"
    )
    doc = parse_one(write(tmp_path, "notes_2026-02-01.txt", text))
    assert doc.kind == Kind.document
    assert doc.format == "prose"
    assert doc.title == "notes_2026-02-01"
    assert doc.metadata["date"] == "2026-02-01"
    assert doc.metadata["speakers"] == [] and doc.metadata["interviewers"] == []
    assert [said for _, said in spoken(doc)] == [
        "Field notes from the store visit. The thing is: people skip the list.",
        "Note: check the pantry tracker. See https://example.com for photos.",
        "Last paragraph.",
    ]
    assert {t.role for t in doc.turns} == {Role.unknown}
    assert [t.line for t in doc.turns] == [1, 5, 8]


@pytest.mark.parametrize(
    "text",
    [
        "Ingredients:\n- 2 eggs\n- flour\n\nMethod:\nMix it.\n\nServes: 4\n",
        "Discussion guide\n\nWarm-up: introductions.\nQ1: How do you plan?\nQ2: What app do you use?\nQ3: Why?\n",
        "From: Sam\nTo: Priya\nSubject: notes\n\nHi Priya,\nHere are my notes.\n",
        "Summary: people like the planner.\nPros: fast\nCons: ads\nPros: sync\nCons: crash\n",
    ],
    ids=["recipe", "guide", "email", "pros-cons"],
)
def test_colon_lists_are_prose_not_speakers(tmp_path, text):
    doc = parse_one(write(tmp_path, "notes.txt", text))
    assert doc.kind == Kind.document and doc.metadata["speakers"] == []


def test_header_person_lines_versus_first_words(tmp_path):
    text = "Interviewer: Sam\nParticipant: P07\n\nInterviewer: Welcome back\nParticipant: Thanks.\nInterviewer: Why?\n"
    doc = parse_one(write(tmp_path, "roles.txt", text))
    assert doc.metadata["interviewer"] == "Sam" and doc.metadata["participant"] == "P07"
    assert spoken(doc) == [("Interviewer", "Welcome back"), ("Participant", "Thanks."), ("Interviewer", "Why?")]
    assert doc.metadata["interviewers"] == ["Interviewer"]


def test_title_header_line(tmp_path):
    text = "Title: Pantry tracker interview\nDate: 14 March 2026\n\nAna: Hi?\nBo: Hello.\nAna: Why?\n"
    doc = parse_one(write(tmp_path, "x.txt", text))
    assert doc.title == "Pantry tracker interview" and doc.metadata["date"] == "2026-03-14"


def test_date_from_the_title_line(tmp_path):
    text = "Transcript - Larder interview P03 (Renata) - 4 March 2026\n\nSam: Hi?\nRenata: Hello.\nSam: Why?\n"
    doc = parse_one(write(tmp_path, "p03.txt", text))
    assert doc.title.startswith("Transcript - Larder") and doc.metadata["date"] == "2026-03-04"


def test_markdown_heading_is_the_title_of_prose(tmp_path):
    doc = parse_one(write(tmp_path, "n.md", "# Diary study notes\n\nPeople plan on Sundays.\n"))
    assert doc.title == "Diary study notes"
    assert doc.kind == Kind.document


def test_one_recurring_label_in_a_monologue(tmp_path):
    text = "P12: I plan on Sundays.\nMostly dinners.\n\nP12: Lunches are chaos.\n"
    doc = parse_one(write(tmp_path, "mono.txt", text))
    assert spoken(doc) == [("P12", "I plan on Sundays. Mostly dinners. Lunches are chaos.")]
    assert doc.turns[0].role == Role.participant
    assert doc.metadata["interviewers"] == []


def test_otter_export(tmp_path):
    text = (
        "Sam Lee  0:03\nHi, thanks for making time.\nHow do you plan meals?\n\n"
        "Speaker 2  0:12\nOn Sundays, with the app.\n\n"
        "Sam Lee  1:02:03\nWhy Sundays?\n\n"
        "Transcribed by https://otter.ai\n"
    )
    doc = parse_one(write(tmp_path, "otter.txt", text))
    assert doc.format == "otter"
    assert spoken(doc) == [
        ("Sam Lee", "Hi, thanks for making time. How do you plan meals?"),
        ("Speaker 2", "On Sundays, with the app."),
        ("Sam Lee", "Why Sundays?"),
    ]
    assert [t.timestamp for t in doc.turns] == [3.0, 12.0, 3723.0]


def test_zoom_tab_separated(tmp_path):
    text = (
        "00:00:01\tSam Lee\tHello and welcome.\n"
        "00:00:04.500\tPriya:\tHi!\n"
        "still Priya, wrapped.\n"
        "00:00:09\tSam Lee\tHow do you plan?\n"
    )
    path = write(tmp_path, "zoom.txt", text)
    assert detect_format(path, path.read_bytes()) == "zoom"
    doc = parse_one(path)
    assert doc.format == "zoom"
    assert spoken(doc) == [
        ("Sam Lee", "Hello and welcome."),
        ("Priya", "Hi! still Priya, wrapped."),
        ("Sam Lee", "How do you plan?"),
    ]
    assert [t.timestamp for t in doc.turns] == [1.0, 4.5, 9.0]


def test_teams_headerless_vtt_in_txt(tmp_path):
    text = (
        "0:0:0.0 --> 0:0:3.610\nSam Lee\nSo let's get started.\n\n"
        "0:0:4.0 --> 0:0:6.0\nPriya\nSure, happy to.\n\n"
        "0:0:6.5 --> 0:0:8.0\nSam Lee\nGreat.\n"
    )
    doc = parse_one(write(tmp_path, "teams.txt", text))
    assert doc.format == "vtt"
    assert spoken(doc) == [("Sam Lee", "So let's get started."), ("Priya", "Sure, happy to."), ("Sam Lee", "Great.")]


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]
)
def test_encodings(tmp_path, encoding):
    text = "Sam: What’s hard about planning?\r\nP07: I don’t know… the café list.\r\nSam: Why?\r\nP07: Price.\r\n"
    doc = parse_one(write(tmp_path, "enc.txt", text, encoding=encoding))
    assert spoken(doc)[:2] == [("Sam", "What’s hard about planning?"), ("P07", "I don’t know… the café list.")]
    assert "\ufeff" not in doc.text and "\r" not in doc.text


def test_cp1252_smart_quote_byte(tmp_path):
    data = b"Sam: It\x92s the \x93best\x94 app?\nP07: It\x92s fine.\n"
    doc = parse_one(write(tmp_path, "cp.txt", data))
    assert spoken(doc) == [("Sam", "It’s the “best” app?"), ("P07", "It’s fine.")]


def test_decode_handles_boms_and_refuses_binary():
    assert decode("héllo\r\nx".encode("utf-8-sig")) == "héllo\nx"
    assert decode("héllo".encode("utf-16")) == "héllo"
    with pytest.raises(ParseError):
        decode(b"\x00\x00\x01\x02\x03" * 100)
    with pytest.raises(ParseError):
        decode(b"\xef\xbb\xbfok \xff\xfe broken")  # a BOM that the rest of the bytes betray


def test_crlf_and_mixed_blank_lines(tmp_path):
    text = "\r\n\r\nSam: One?\r\n\r\n\r\n   \r\nP07: Two.\r\nmore\r\n\r\nSam: Three?\r\n"
    doc = parse_one(write(tmp_path, "mixed.txt", text))
    assert spoken(doc) == [("Sam", "One?"), ("P07", "Two. more"), ("Sam", "Three?")]


def test_unknown_extension_text_is_sniffed(tmp_path):
    speakers = write(tmp_path, "session.log", "Sam: Hi?\nP07: Hello.\nSam: Why?\nP07: Because.\n")
    assert detect_format(speakers, speakers.read_bytes()) == "speaker-lines"
    assert parse_one(speakers).kind == Kind.interview
    prose = write(tmp_path, "README", "Just some notes about the study.\n")
    assert detect_format(prose, prose.read_bytes()) == "prose"
    assert parse_one(prose).kind == Kind.document


# ---------------------------------------------------------------- captions

UGLY_VTT = """\ufeffWEBVTT - Larder interview P07
Kind: captions
Language: en

NOTE recorded on Zoom,
then cleaned up

STYLE
::cue { color: yellow }

REGION
id:fred width:40%

intro-1
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v.loud Sam Lee>How do you &amp; your partner plan?</v>

2
00:00:04.500 --> 00:00:08.000
<v P07>We use <i>Larder</i> &lt;mostly&gt;
on&nbsp;<b>Sundays</b>.

00:08.000 --> 00:00:10.000
<c.yellow>and</c> <00:00:09.000>sometimes Monday.

NOTE a note between cues

00:00:10.000 --> 00:00:12.000 line:0
Sam Lee: Why Sunday?

00:00:12.000 --> 00:00:14.000
<v P07>Time.
"""


def test_vtt_ugly(tmp_path):
    doc = parse_one(write(tmp_path, "p07.vtt", UGLY_VTT))
    assert doc.kind == Kind.interview and doc.format == "vtt"
    assert spoken(doc) == [
        ("Sam Lee", "How do you & your partner plan?"),
        ("P07", "We use Larder <mostly> on Sundays. and sometimes Monday."),
        ("Sam Lee", "Why Sunday?"),
        ("P07", "Time."),
    ]
    assert [t.timestamp for t in doc.turns] == [1.0, 4.5, 10.0, 12.0]
    assert doc.metadata["interviewers"] == ["Sam Lee"]


def test_vtt_without_speakers_is_unknown(tmp_path):
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nhello there\n\n00:02.000 --> 00:03.000\nsecond cue\n"
    doc = parse_one(write(tmp_path, "plain.vtt", text))
    assert spoken(doc) == [("unknown", "hello there second cue")]
    assert doc.turns[0].role == Role.unknown
    assert doc.metadata["speakers"] == []


def test_vtt_utf16_crlf(tmp_path):
    text = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\n<v Ana>Olá, tudo bem?\r\n"
    doc = parse_one(write(tmp_path, "u16.vtt", text, encoding="utf-16"))
    assert spoken(doc) == [("Ana", "Olá, tudo bem?")]


def test_srt_clean(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:04,000\nSAM: <i>How</i> do you plan?\n\n"
        "2\n00:00:04,500 --> 00:00:08,000\nP07: We use it\non Sundays.\n\n"
        "3\n00:00:08,000 --> 00:00:10,000\nAnd Mondays.\n\n"
        "4\n00:00:10,000 --> 00:00:12,000\nSAM: Why?\n"
    )
    doc = parse_one(write(tmp_path, "p07.srt", text))
    assert doc.format == "srt"
    assert spoken(doc) == [("SAM", "How do you plan?"), ("P07", "We use it on Sundays. And Mondays."), ("SAM", "Why?")]
    assert [t.timestamp for t in doc.turns] == [1.0, 4.5, 10.0]


def test_srt_label_case_is_merged(tmp_path):
    text = (
        "1\n00:00:01,000 --> 00:00:02,000\nSAM: Hi?\n\n2\n00:00:02,000 --> 00:00:03,000\nAna: Yo.\n\n"
        "3\n00:00:03,000 --> 00:00:04,000\nSam: Why?\n"
    )
    doc = parse_one(write(tmp_path, "case.srt", text))
    assert [s for s, _ in spoken(doc)] == ["SAM", "Ana", "SAM"]


def test_srt_without_numbers_extra_blanks_and_tags(tmp_path):
    text = (
        "\r\n00:00:01,000 --> 00:00:04,000\r\n<font color=\"#ffff00\">Ana:</font> {\\an8}Do you cook?\r\n\r\n\r\n"
        "7\r\n\r\n00:00:04,500 --> 00:00:08,000\r\nBen: Rarely.\r\nMaybe twice a week.\r\n"
        "00:00:08,000 --> 00:00:09,000\r\nAna: Why?\r\n\r\n"
    )
    doc = parse_one(write(tmp_path, "x.srt", text))
    assert spoken(doc) == [("Ana", "Do you cook?"), ("Ben", "Rarely. Maybe twice a week."), ("Ana", "Why?")]


def test_caption_file_without_cues(tmp_path):
    with pytest.raises(ParseError, match="no caption cues"):
        parse_file(write(tmp_path, "empty.vtt", "WEBVTT\n\nNOTE nothing here\n"))


# ---------------------------------------------------------------- docx


def test_docx_title_metadata_and_speakers(tmp_path):
    data = make_docx([
        "Larder diary study follow-up - P09",
        "Date: 2026-03-14  Interviewer: Sam",
        "Sam: How was the week with the planner?",
        "P09: Honestly, chaotic.",
        "Sam: Tell me more?",
        "P09: Kids, work, no time.",
    ])
    doc = parse_one(write(tmp_path, "p09.docx", data))
    assert doc.format == "docx" and doc.kind == Kind.interview
    assert doc.title == "Larder diary study follow-up - P09"
    assert doc.metadata["date"] == "2026-03-14"
    assert doc.metadata["interviewers"] == ["Sam"]
    assert spoken(doc) == [
        ("Sam", "How was the week with the planner?"),
        ("P09", "Honestly, chaotic."),
        ("Sam", "Tell me more?"),
        ("P09", "Kids, work, no time."),
    ]
    assert [t.line for t in doc.turns] == [3, 4, 5, 6]
    assert [t.role for t in doc.turns] == [Role.interviewer, Role.participant] * 2


def test_docx_speaker_table_in_body_order(tmp_path):
    data = make_docx([
        "Focus group 2",
        "Intro paragraph before the table.",
        [["Speaker", "Text"], ["Moderator", "What do you buy weekly?"], ["Ana", "Milk."], ["Ben", "Bread, eggs."]],
        "Moderator: Any last thoughts?",
        "Ana: No.",
    ])
    doc = parse_one(write(tmp_path, "fg.docx", data))
    assert spoken(doc) == [
        ("unknown", "Intro paragraph before the table."),
        ("Moderator", "What do you buy weekly?"),
        ("Ana", "Milk."),
        ("Ben", "Bread, eggs."),
        ("Moderator", "Any last thoughts?"),
        ("Ana", "No."),
    ]
    assert doc.metadata["interviewers"] == ["Moderator"]
    assert doc.title == "Focus group 2"


def test_docx_time_speaker_text_table(tmp_path):
    data = make_docx([[["Time", "Speaker", "Text"], ["00:00:05", "Ana", "Do you cook?"], ["[00:01:10]", "Bo", "Daily."]]])
    doc = parse_one(write(tmp_path, "timed.docx", data))
    assert spoken(doc) == [("Ana", "Do you cook?"), ("Bo", "Daily.")]
    assert [t.timestamp for t in doc.turns] == [5.0, 70.0]


def test_docx_prose(tmp_path):
    data = make_docx(["Synthesis notes", "People plan on Sundays.", "", "The thing is: lists get lost."])
    doc = parse_one(write(tmp_path, "notes.docx", data))
    assert doc.kind == Kind.document and doc.title == "Synthesis notes"
    assert [said for _, said in spoken(doc)] == [
        "Synthesis notes", "People plan on Sundays.", "The thing is: lists get lost."
    ]


def test_docx_truncated(tmp_path):
    data = make_docx(["Sam: hi", "P01: hello"])[:500]
    with pytest.raises(ParseError) as err:
        parse_file(write(tmp_path, "cut.docx", data))
    assert err.value.reason == "corrupt or truncated .docx (not a valid zip)"
    assert "re-export" in err.value.fix


def test_docx_that_is_another_zip(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not word")
    with pytest.raises(ParseError):
        parse_file(write(tmp_path, "fake.docx", buffer.getvalue()))


# ---------------------------------------------------------------- pdf


def test_handmade_pdf_has_a_text_layer():
    reader = pypdf.PdfReader(io.BytesIO(make_pdf([["Hello (world)"]])))
    assert reader.pages[0].extract_text() == "Hello (world)"


def test_pdf_speaker_lines_with_page_numbers(tmp_path):
    data = make_pdf([
        ["Larder interview P03", "Sam: How do you shop (weekly)?", "P03: Mostly online."],
        ["Sam: Why online?", "P03: It saves time, and", "the app knows my list."],
    ])
    doc = parse_one(write(tmp_path, "p03.pdf", data))
    assert doc.format == "pdf" and doc.title == "Larder interview P03"
    assert spoken(doc) == [
        ("Sam", "How do you shop (weekly)?"),
        ("P03", "Mostly online."),
        ("Sam", "Why online?"),
        ("P03", "It saves time, and the app knows my list."),
    ]
    assert [t.line for t in doc.turns] == [1, 1, 2, 2]


def test_pdf_without_text_layer(tmp_path):
    scan = make_pdf([None, None])
    assert [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(scan)).pages] == ["", ""]
    with pytest.raises(ParseError) as err:
        parse_file(write(tmp_path, "scan.pdf", scan))
    assert err.value.reason == "PDF has no text layer (scanned?)"
    assert "ocrmypdf" in err.value.fix


def test_pdf_random_bytes(tmp_path):
    data = random.Random(7).randbytes(4000)
    with pytest.raises(ParseError):
        parse_file(write(tmp_path, "noise.pdf", data))


def test_pdf_corrupt_after_header(tmp_path):
    data = b"%PDF-1.4\n" + random.Random(3).randbytes(3000)
    with pytest.raises(ParseError):
        parse_file(write(tmp_path, "broken.pdf", data))


def test_pdf_truncated_never_raises_other_errors(tmp_path):
    data = make_pdf([["Sam: Hi?", "P01: Hello."]])
    for cut in (40, len(data) // 2, len(data) - 30):
        try:
            docs = parse_file(write(tmp_path, f"cut{cut}.pdf", data[:cut]))
        except ParseError:
            continue
        for doc in docs:
            check_spans(doc)


def test_pdf_encrypted(tmp_path):
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(make_pdf([["Sam: secret?"]]))))
    writer.encrypt("s3cret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ParseError, match="encrypted"):
        parse_file(write(tmp_path, "locked.pdf", buffer.getvalue()))


# ---------------------------------------------------------------- tabular

REVIEWS_CSV = (
    "Review ID,Review Text,Author,Rating,Date,App Name,Title,Country\n"
    "r1,\"Love the planner, saves me an hour every week.\",ann_k,5,03/14/2026,Larder,Great,US\n"
    "r2,\"Crashes when I import recipes.\nPlease fix!\",,2 stars,2026-03-15T10:00:00Z,Larder,,UK\n"
    "r3,   ,bob,1,2026-03-16,Larder,Empty,US\n"
)


def test_csv_reviews(tmp_path):
    docs, warnings = parse_file_with_warnings(write(tmp_path, "reviews.csv", REVIEWS_CSV))
    for doc in docs:
        check_spans(doc)
    assert [d.text for d in docs] == [
        "Love the planner, saves me an hour every week.",
        "Crashes when I import recipes.\nPlease fix!",
    ]
    first, second = docs
    assert first.kind == Kind.review and first.format == "csv"
    assert first.title == "Great"
    assert first.metadata == {
        "row": 1, "format": "csv", "id": "r1", "author": "ann_k", "rating": 5.0, "date": "2026-03-14",
        "product": "Larder", "title": "Great", "extra": {"Country": "US"},
    }
    assert first.turns[0].speaker == "ann_k" and first.turns[0].role == Role.participant
    assert first.turns[0].line == 1 and first.turns[0].timestamp is None
    assert second.metadata["rating"] == 2.0
    assert second.metadata["date"] == "2026-03-15T10:00:00+00:00"
    assert second.turns[0].speaker == "anonymous (row 2)"
    assert "author" not in second.metadata
    assert warnings == ["row 3: empty text in column 'Review Text', skipped"]


def test_csv_semicolons_quotes_and_crlf(tmp_path):
    text = 'id;comment;user\r\n1;"Good; but ""slow"" to load\r\non old phones";x\r\n2;Fine;y\r\n'
    docs = parse(write(tmp_path, "export.csv", text))
    assert [d.text for d in docs] == ['Good; but "slow" to load\non old phones', "Fine"]
    assert [d.metadata["author"] for d in docs] == ["x", "y"]


def test_csv_excel_separator_hint(tmp_path):
    docs = parse(write(tmp_path, "excel.csv", "sep=;\nreview;author\nToo many ads, honestly;ann\n"))
    assert docs[0].text == "Too many ads, honestly" and docs[0].metadata["author"] == "ann"


def test_csv_cp1252_and_utf16(tmp_path):
    for encoding in ("cp1252", "utf-16"):
        docs = parse(write(tmp_path, f"r_{encoding}.csv", "review,author\nIt’s great,café\n", encoding=encoding))
        assert docs[0].text == "It’s great" and docs[0].metadata["author"] == "café"


def test_csv_without_text_column(tmp_path):
    path = write(tmp_path, "numbers.csv", "id,stars,country\n1,5,US\n2,3,UK\n")
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert "no usable text column" in err.value.reason
    assert "id, stars, country" in err.value.reason
    assert "--text-column" in err.value.fix


def test_csv_falls_back_to_the_longest_column(tmp_path):
    text = "who,said,n\nann,The grocery hand-off never finds my store.,1\nbob,I wish the pantry tracker synced faster.,2\n"
    docs = parse(write(tmp_path, "misc.csv", text))
    assert docs[0].text == "The grocery hand-off never finds my store."
    assert docs[0].metadata["extra"] == {"who": "ann", "n": "1"}


def test_explicit_columns_win(tmp_path):
    text = "text,notes,person,when,stars_given,key\nshort,The real feedback is in this column.,ann,2026-01-02,4,k1\n"
    doc = parse_one(
        write(tmp_path, "custom.csv", text),
        text_column="Notes", author_column="person", date_column="when", rating_column="stars_given", id_column="key",
    )
    assert doc.text == "The real feedback is in this column."
    assert doc.metadata["author"] == "ann" and doc.metadata["date"] == "2026-01-02"
    assert doc.metadata["rating"] == 4.0 and doc.metadata["id"] == "k1"
    assert doc.metadata["extra"] == {"text": "short"}


def test_explicit_column_that_does_not_exist(tmp_path):
    path = write(tmp_path, "r.csv", "review,author\nGood app overall,ann\n")
    with pytest.raises(ParseError) as err:
        parse_file(path, ParseOptions(text_column="body"))
    assert "'body'" in err.value.reason and "review, author" in err.value.reason
    assert "--text-column" in err.value.fix


def test_tsv(tmp_path):
    text = "username\tcontent\tlikes\n@ann\tThe list sharing is brilliant\t12\n@bob\tToo many ads\t3\n"
    docs = parse(write(tmp_path, "mentions.tsv", text))
    assert [d.format for d in docs] == ["tsv", "tsv"]
    assert [d.kind for d in docs] == [Kind.social, Kind.social]
    assert docs[1].turns[0].speaker == "@bob"


def test_jsonl_with_a_bad_line(tmp_path):
    lines = [
        json.dumps({"id": 1, "text": "Sync with Fitbit broke again", "user": {"screen_name": "ann"}, "likes": 4}),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": 2, "text": "Paywall is annoying", "user": {"screen_name": "bob"}}),
    ]
    docs, warnings = parse_file_with_warnings(write(tmp_path, "posts.jsonl", "\n".join(lines) + "\n"))
    for doc in docs:
        check_spans(doc)
    assert [d.text for d in docs] == ["Sync with Fitbit broke again", "Paywall is annoying"]
    assert [d.metadata["row"] for d in docs] == [1, 5]
    assert [d.metadata["author"] for d in docs] == ["ann", "bob"]
    assert docs[0].kind == Kind.social and docs[0].metadata["extra"] == {"likes": 4}
    assert len(warnings) == 2 and warnings[0].startswith("line 3: invalid JSON")


def test_jsonl_with_no_good_line(tmp_path):
    with pytest.raises(ParseError, match="no line parses"):
        parse_file(write(tmp_path, "bad.jsonl", "{oops\n[1, 2]\n"))


def test_json_wrapped_and_plain_lists(tmp_path):
    reviews = [{"review": "Recipe import is magic", "rating": "4.5", "reviewer": "ann"}, {"review": "Meh", "stars": 2}]
    wrapped = parse(write(tmp_path, "store.json", json.dumps({"app": "Larder", "reviews": reviews})))
    plain = parse(write(tmp_path, "store2.json", json.dumps(reviews)))
    for docs in (wrapped, plain):
        assert [d.text for d in docs] == ["Recipe import is magic", "Meh"]
        assert docs[0].metadata["rating"] == 4.5 and docs[0].kind == Kind.review
        assert docs[1].turns[0].speaker == "anonymous (row 2)"


def test_platform_column_next_to_a_rating_is_still_a_review(tmp_path):
    reviews = parse(write(tmp_path, "store.csv", "review,rating,platform\nSync keeps failing on my phone,2,ios\n"))
    posts = parse(write(tmp_path, "listening.csv", "text,platform\nanyone else seeing sync fail?,reddit\n"))
    assert reviews[0].kind == Kind.review and reviews[0].metadata["platform"] == "ios"
    assert posts[0].kind == Kind.social


def test_json_kind_from_file_name_and_option(tmp_path):
    path = write(tmp_path, "tweets.json", json.dumps({"data": [{"full_text": "Larder saved my week", "id": 9}]}))
    assert parse_one(path).kind == Kind.social
    assert parse_one(path, kind=Kind.review).kind == Kind.review


def test_json_errors(tmp_path):
    with pytest.raises(ParseError, match="invalid JSON"):
        parse_file(write(tmp_path, "cut.json", '[{"text": "unfinished'))
    with pytest.raises(ParseError, match="several lists"):
        parse_file(write(tmp_path, "two.json", json.dumps({"a": [{"text": "x"}], "b": [{"text": "y"}]})))


def test_json_lines_saved_as_json(tmp_path):
    text = '{"text": "first review here"}\n{"text": "second review here"}\n'
    docs = parse(write(tmp_path, "lines.json", text))
    assert [d.format for d in docs] == ["jsonl", "jsonl"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(4, 4.0), ("4.5", 4.5), ("4/5", 4.0), ("3 stars", 3.0), ("★★★★☆", 4.0), ("4,5", 4.5), ("n/a", None), (True, None)],
)
def test_parse_rating(value, expected):
    assert parse_rating(value) == expected


# ---------------------------------------------------------------- failures and detection


@pytest.mark.parametrize("name", ["empty.txt", "empty.csv", "empty.vtt", "empty.docx", "empty.pdf", "blank.md"])
def test_empty_files(tmp_path, name):
    content = b"" if name.startswith("empty") else b"  \n\t\n"
    with pytest.raises(ParseError) as err:
        parse_file(write(tmp_path, name, content))
    assert err.value.reason == "empty file"


def test_whitespace_only_utf16(tmp_path):
    with pytest.raises(ParseError, match="empty file"):
        parse_file(write(tmp_path, "ws.txt", "  \n \n", encoding="utf-16"))


def test_too_large(tmp_path):
    path = write(tmp_path, "big.txt", "Sam: hi\n" * 200)
    with pytest.raises(ParseError) as err:
        parse_file(path, ParseOptions(max_bytes=1000))
    assert err.value.reason.startswith("file is ") and "MB, over the" in err.value.reason
    assert err.value.fix == "split it, or raise the limit with --max-mb"


def test_binary_files(tmp_path):
    noise = random.Random(1).randbytes(2048) + b"\x00\x00"
    for name in ("noise.txt", "noise.bin", "noise"):
        with pytest.raises(ParseError):
            parse_file(write(tmp_path, name, noise))
    with pytest.raises(ParseError, match="binary"):
        parse_file(write(tmp_path, "pairs.txt", b"\x00\x01\x02\x03" * 100))  # decodes as UTF-16 junk
    with pytest.raises(ParseError, match="PNG"):
        parse_file(write(tmp_path, "photo.dat", b"\x89PNG\r\n\x1a\n" + noise))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ParseError, match="not found"):
        parse_file(tmp_path / "nope.txt")
    with pytest.raises(ParseError, match="folder"):
        parse_file(tmp_path)


def test_unexpected_parser_failures_become_parse_errors(tmp_path, monkeypatch):
    def broken(*_args):
        raise ValueError("boom")

    monkeypatch.setattr(parsers, "parse_captions", broken)
    with pytest.raises(ParseError, match="ValueError: boom"):
        parse_file(write(tmp_path, "x.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nhi\n"))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.vtt", b"anything", "vtt"),
        ("a.srt", b"anything", "srt"),
        ("a.CSV", b"a,b", "csv"),
        ("a.tsv", b"a\tb", "tsv"),
        ("a.jsonl", b"{}", "jsonl"),
        ("a.json", b"[]", "json"),
        ("a.docx", b"PK\x03\x04", "docx"),
        ("a.pdf", b"%PDF-1.4", "pdf"),
        ("a.txt", b"Sam: Hi?\nAna: Yes.\n", "speaker-lines"),
        ("a.txt", b"Sam  0:03\nHi?\n\nAna  0:07\nYes.\n", "otter"),
        ("a.txt", b"00:00:01\tSam\tHi?\n00:00:03\tAna\tYes.\n", "zoom"),
        ("a.txt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n", "vtt"),
        ("a.txt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n\n2\n00:00:02,000 --> 00:00:03,000\nYo\n", "srt"),
        ("a.md", b"Just notes: nothing else.\n", "prose"),
        ("export", b"[{\"text\": \"hi\"}]", "json"),
        ("export", b"{\"text\": \"a\"}\n{\"text\": \"b\"}\n", "jsonl"),
        ("scan", b"%PDF-1.7 ...", "pdf"),
    ],
)
def test_detect_format(name, content, expected):
    assert detect_format(Path(name), content) == expected


def test_detect_format_refuses_unknown_binary():
    with pytest.raises(ParseError):
        detect_format(Path("x.bin"), bytes(range(256)) * 4)
    with pytest.raises(ParseError) as err:
        detect_format(Path("old.doc"), b"\xd0\xcf\x11\xe0")
    assert ".docx" in err.value.fix


def test_supported_extensions():
    assert {".txt", ".md", ".vtt", ".srt", ".docx", ".pdf", ".csv", ".tsv", ".jsonl", ".json"} <= SUPPORTED_EXTENSIONS
    assert all(ext.startswith(".") and ext == ext.lower() for ext in SUPPORTED_EXTENSIONS)


def test_documents_are_deterministic(tmp_path):
    path = write(tmp_path, "p07.txt", INTERVIEW)
    first, second = parse_one(path), parse_one(path)
    assert first.id == second.id and first.id.startswith("doc_")


def test_support_desk_requester_column_is_the_author(tmp_path):
    """Zendesk-style exports name the writer `Requester`: tickets by one person are one participant."""
    from synth.parsers import parse_file

    path = tmp_path / "tickets.csv"
    path.write_text(
        "Id,Created at,Requester,Requester email,Subject,Description\n"
        '1,2025-01-02,Ana Ruiz,ana@example.com,Export,"The CSV export drops the last column every time."\n'
        '2,2025-01-09,Ana Ruiz,ana@example.com,Export again,"Still losing that column, this blocks our month end."\n',
        encoding="utf-8",
    )
    docs = parse_file(path)
    assert [d.metadata.get("author") for d in docs] == ["Ana Ruiz", "Ana Ruiz"]
