"""Polarity of participant statements: complaints, praise, desires, and which persona section they can back."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from synth.polarity import agrees, is_desire, polarity, stance
from tests.conftest import ROOT

SENTENCES = ROOT / "evals" / "polarity_sentences.jsonl"


def _calibrate_module():
    spec = importlib.util.spec_from_file_location("calibrate_polarity", ROOT / "evals" / "calibrate_polarity.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The two compliments that became persona frustrations in issue 12.
@pytest.mark.parametrize("text, rating", [("Solid and stable, never had a crash.", 5),
                                          ("Solid and stable, never had a crash.", None),
                                          ("The app has made shopping far less stressful.", None)])
def test_compliments_that_mention_problems_are_not_frustrations(text, rating):
    assert stance(text, rating) == "positive"
    assert not agrees("frustrations", text, rating)


@pytest.mark.parametrize("text, expected", [
    ("it crashes every time i open the camera", "negative"),
    ("It never crashes, even with huge files.", "positive"),
    ("No bugs so far and support is quick.", "positive"),
    ("Honestly it's not exactly fast with big files.", "negative"),
    ("The export doesn't sync with my laptop.", "negative"),
    ("It keeps logging me out.", "negative"),
    ("Loading the dashboard takes forever.", "negative"),
    ("i gave up and switched to another bank 😡", "negative"),
    ("Not bad at all for a free tool.", "positive"),
    ("They fixed the bug within a day.", "positive"),
])
def test_problem_cues_and_their_negation(text, expected):
    assert stance(text) == expected


@pytest.mark.parametrize("text", ["great, another update that logs me out",
                                  "Oh great, the servers are down again.",
                                  "love that my seat got changed again without any notification. love that for me"])
def test_sarcastic_praise_around_a_problem_is_a_complaint(text):
    assert stance(text) == "negative"


def test_mixed_sentences_follow_the_clause_after_but():
    assert stance("love the app but the sync is broken") == "negative"
    assert stance("the sync is a bit flaky but i love the app") == "positive"
    assert stance("Great app except for the calendar sync.") == "negative"
    assert stance("Although the price is steep, it saves our team hours every week.") == "positive"
    assert stance("Had to restart it once in a year, otherwise flawless.") == "positive"
    assert stance("It used to be my favourite tool, now it's bloated and slow.") == "negative"


def test_slang_and_emoji_read_as_posts_mean_them():
    assert stance("this update is actually fire, the new maps go hard 🔥") == "positive"
    assert stance("this game is mid at best") == "negative"
    assert stance("Price went up again and the portions got smaller 🙄") == "negative"


def test_speech_fillers_and_topic_words_do_not_make_praise():
    assert stance("um so, like, we use it for the weekly standup notes") == "neutral"
    assert stance("Sorry, the kids are just getting home.") == "neutral"
    assert stance("Nobody at the help desk knew what I was talking about.") == "negative"


@pytest.mark.parametrize("text", [
    "I just want it to remember my settings.", "I wish the export had more formats.",
    "It would be great if the reports could be scheduled.", "I need something my mum can use on her own.",
    "I'm trying to get the whole team onto one workspace.", "My goal is to have one place for all our numbers.",
    "i'd love a way to split bills with flatmates", "Kinda wish there was a family plan tbh",
])
def test_desires_are_recognised_whatever_their_sentiment(text):
    assert is_desire(text)
    assert agrees("goals", text)


@pytest.mark.parametrize("text", [
    "It does everything I need and more.", "I was trying to reset my password for twenty minutes.",
    "Need to log in twice every time I open it.", "i wish i'd found this course years ago",
    "The app keeps crashing.",
])
def test_not_desires(text):
    assert not is_desire(text)


def test_a_wish_about_a_problem_is_a_desire_and_a_complaint():
    text = "I wish it didn't crash every time I switch tabs."
    assert is_desire(text)
    assert stance(text) == "negative"
    assert agrees("frustrations", text) and agrees("goals", text)
    assert stance("I wish I'd found this app years ago.") == "positive"
    assert stance("Wish it had a dark mode.") == "neutral"


def test_ratings_lean_but_the_sentence_decides():
    plain = "It arrived on Tuesday."
    assert stance(plain, rating=1) == "neutral" and stance(plain, rating=5) in ("neutral", "positive")
    assert polarity(plain, rating=1) < polarity(plain) < polarity(plain, rating=5)
    weak = "The case is slightly bulky."  # a hedged criticism: the rating tips it
    assert stance(weak) == "neutral" and stance(weak, rating=1) == "negative"
    assert stance("Love it, works perfectly every single day.", rating=1) == "positive"
    assert stance("It crashes constantly and I lost my work.", rating=5) == "negative"
    assert polarity(plain, rating=10, scale=10) == pytest.approx(polarity(plain, rating=5))


def test_agrees_by_section():
    assert not agrees("Frustrations", "The staff were lovely and the room was spotless.")
    assert agrees("Frustrations", "The checkout keeps failing at the payment step.", rating=1)
    assert not agrees("goals", "The checkout keeps failing at the payment step.")
    assert agrees("motivations", "The reminders are the reason I haven't missed a dose.")
    assert agrees("behaviours", "I usually order on Sunday evenings for the week.")
    assert agrees("context", "It crashes every day.")


def test_importing_polarity_does_not_load_vader():
    code = "import sys, synth.polarity; sys.exit('vaderSentiment' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_sentence_set_is_large_varied_and_labelled():
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 200
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    assert len({r["text"] for r in rows}) == len(rows)
    assert {r["stance"] for r in rows} == {"negative", "positive", "neutral"}
    assert {r["source"] for r in rows} == {"interview", "review", "post"}
    assert len({r["domain"] for r in rows}) >= 8
    assert sum(r["desire"] for r in rows) >= 30
    assert all(1 <= r["rating"] <= 5 for r in rows if "rating" in r)
    cases = {r.get("case") for r in rows}
    assert {"negation", "sarcasm", "mixed", "relief", "desire-about-problem", "emoji"} <= cases


def _held_out():
    calibrate = _calibrate_module()
    return calibrate.shipped(calibrate.load_sentences(SENTENCES))["held-out"]


def test_held_out_figures_do_not_regress():
    held_out = _held_out()
    assert held_out["n"] >= 150
    assert held_out["per_class"]["negative"]["precision"] >= 0.85
    assert held_out["accuracy"] >= 0.72


@pytest.mark.xfail(strict=True, reason="issue 12 targets not reached yet: held-out accuracy 0.74, negative "
                                       "precision 0.86 (evals/calibrate_polarity.py); flip to a plain test when met")
def test_held_out_figures_meet_the_targets():
    held_out = _held_out()
    assert held_out["per_class"]["negative"]["precision"] >= 0.9  # a frustration must quote a real complaint
    assert held_out["accuracy"] >= 0.8
