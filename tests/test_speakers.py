"""Speaker roles: explicit interviewer names, the heuristic, and the kinds that have no interviewer."""

from __future__ import annotations

from pathlib import Path

import pytest

from synth.parsers import ParseOptions, parse_file
from synth.parsers.base import Segment, layout_transcript
from synth.records import Document, Kind, Role
from synth.speakers import assign_roles, detect_interviewer, is_question, label_hint, names_match


def transcript(*lines: tuple[str, str], kind: Kind = Kind.interview, **metadata) -> Document:
    text, turns = layout_transcript([Segment(speaker, words) for speaker, words in lines])
    doc = Document(path="t.txt", kind=kind, format="speaker-lines", text=text, turns=turns, metadata=metadata)
    for turn in doc.turns:
        said = doc.text[turn.start:turn.end]
        assert said and not said.startswith(f"{turn.speaker}:")
    return doc


def roles(doc: Document) -> dict[str, Role]:
    return {turn.speaker: turn.role for turn in doc.turns}


# Neutral names, participant speaks first: only questions and brevity point at Jordan.
CHAT = [
    ("Alex", "I mostly plan dinners on Sunday evenings with my partner, using the shared list."),
    ("Jordan", "How long does that take you?"),
    ("Alex", "About forty minutes, sometimes longer when the kids want to pick recipes themselves."),
    ("Jordan", "What makes it take longer?"),
    ("Alex", "Arguing about tacos, mostly, and the app being slow to load the recipe box."),
    ("Jordan", "Tell me more about the recipe box"),
]


def test_heuristic_picks_the_question_asker_even_when_they_speak_second():
    doc = transcript(*CHAT)
    assert detect_interviewer(doc.turns, doc.text) == "Jordan"
    assign_roles(doc, [])
    assert roles(doc) == {"Alex": Role.participant, "Jordan": Role.interviewer}
    assert doc.metadata["interviewers"] == ["Jordan"]


def test_label_hint_beats_question_share():
    doc = transcript(
        ("Moderator", "Thanks everyone for coming along today, let's start with introductions please."),
        ("Dana", "Why do you ask?"),
        ("Moderator", "Just to get to know you all a bit before we talk about meal planning."),
        ("Eli", "Can I go first?"),
    )
    assign_roles(doc, [])
    assert roles(doc) == {"Moderator": Role.interviewer, "Dana": Role.participant, "Eli": Role.participant}


def test_q_and_a_labels():
    doc = transcript(("A", "Long answer about groceries and budgets and the weekly shop."), ("Q", "And then?"))
    assign_roles(doc, [])
    assert doc.metadata["interviewers"] == ["Q"]


def test_explicit_names_match_label_prefixes_case_insensitively():
    doc = transcript(
        ("Priya (Larder UX)", "So what did you cook?"),
        ("Sam", "Pasta, twice."),
        ("Samantha", "Same here?"),
    )
    assign_roles(doc, ["priya"])
    assert roles(doc) == {
        "Priya (Larder UX)": Role.interviewer,
        "Sam": Role.participant,
        "Samantha": Role.participant,
    }
    assert doc.metadata["interviewers"] == ["Priya (Larder UX)"]


def test_explicit_name_overrides_the_heuristic():
    doc = transcript(*CHAT)
    assign_roles(doc, ["Alex"])
    assert roles(doc) == {"Alex": Role.interviewer, "Jordan": Role.participant}


def test_unmatched_explicit_name_falls_back_to_the_heuristic():
    doc = transcript(*CHAT)
    assign_roles(doc, ["Nobody"])
    assert doc.metadata["interviewers"] == ["Jordan"]


def test_interviewer_from_header_metadata():
    doc = transcript(*CHAT, interviewer="Alex and Kim")
    assign_roles(doc, [])
    assert doc.metadata["interviewers"] == ["Alex"]


def test_single_speaker_is_a_participant():
    doc = transcript(("P04", "What do I like? Honestly the shared list."), ("P04", "And the planner."))
    assign_roles(doc, [])
    assert detect_interviewer(doc.turns, doc.text) is None
    assert roles(doc) == {"P04": Role.participant}
    assert doc.metadata["interviewers"] == []


def test_focus_group_gets_one_interviewer():
    doc = transcript(
        ("Host", "How do you all shop?"),
        ("Ana", "Online, every Friday, with delivery from FreshCart because it is cheap."),
        ("Ben", "In person, I like picking vegetables myself at the market on Saturdays."),
        ("Cy", "Mixed, depending on the week and how much time I have after work."),
        ("Host", "Why?"),
    )
    assign_roles(doc, [])
    assert doc.metadata["interviewers"] == ["Host"]
    assert [t.role for t in doc.turns].count(Role.interviewer) == 2


def test_unattributed_speech_stays_unknown():
    doc = transcript(("", "Preamble without a speaker."), *CHAT)
    assign_roles(doc, [])
    assert doc.turns[0].speaker == "unknown" and doc.turns[0].role == Role.unknown
    assert doc.metadata["interviewers"] == ["Jordan"]


def test_prose_is_unknown_and_reviews_are_participants():
    prose = transcript(("", "A paragraph."), ("", "Another."), kind=Kind.document)
    assign_roles(prose, ["anyone"])
    assert {t.role for t in prose.turns} == {Role.unknown}
    assert prose.metadata["interviewers"] == []
    review = transcript(("ann", "Great app."), kind=Kind.review)
    assign_roles(review, [])
    assert review.turns[0].role == Role.participant
    assert "interviewers" not in review.metadata


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How often do you cook?", True),
        ("So, walk me through Sunday", True),
        ("could you show me", True),
        ('You said "really?"', True),
        ("I cook every day.", False),
        ("Whatever works.", False),
    ],
)
def test_is_question(text, expected):
    assert is_question(text) is expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Interviewer", 1), ("Priya (Larder UX)", 1), ("Q", 1), ("P07", -1), ("Participant 2", -1), ("Sam", 0)],
)
def test_label_hint(label, expected):
    assert label_hint(label) == expected


def test_names_match():
    assert names_match("Priya (Larder UX)", "Priya")
    assert names_match("Sam", "Sam Lee")
    assert names_match("SAM", "sam")
    assert not names_match("Samantha", "Sam")
    assert not names_match("Sam", "")


def test_parse_file_uses_interviewer_option(tmp_path: Path):
    path = tmp_path / "p.txt"
    path.write_text("Kim: I plan meals?\nLee: What do you mean?\nKim: Sundays.\nLee: Why?\n", encoding="utf-8")
    (doc,) = parse_file(path, ParseOptions(interviewers=["kim"]))
    for turn in doc.turns:
        assert doc.text[turn.start:turn.end] and not doc.text[turn.start:turn.end].startswith(f"{turn.speaker}:")
    assert doc.metadata["interviewers"] == ["Kim"]
    assert [t.role for t in doc.turns] == [Role.interviewer, Role.participant] * 2
    (doc,) = parse_file(path)
    assert doc.metadata["interviewers"] == ["Lee"]
