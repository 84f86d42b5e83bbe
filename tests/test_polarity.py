"""Polarity of participant statements: complaints, praise, desires, and which persona section they can back."""

from __future__ import annotations

import fnmatch
import hashlib
import importlib.util
import json
import subprocess
import sys
import tomllib
import warnings

import numpy as np
import pytest

from synth.polarity import EMBEDDER, agrees, head, is_desire, polarity, rule_stance, stance, stances
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
    assert stance("Had to restart it once in a year, otherwise flawless.") == "positive"
    assert stance("It used to be my favourite tool, now it's bloated and slow.") == "negative"


def test_the_rules_read_exceptions_and_concessions():
    # The head weighs these rule scores against the words and leaves both neutral: a known miss.
    assert rule_stance("Great app except for the calendar sync.") == "negative"
    assert rule_stance("Although the price is steep, it saves our team hours every week.") == "positive"


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
    assert stance(plain, rating=1) == "neutral"  # a rating alone never makes a complaint
    assert polarity(plain, rating=1) < polarity(plain) < polarity(plain, rating=5)
    assert stance("The case is slightly bulky.") == "negative"  # a hedged criticism is still one
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


_BATCH = ["The new timetable is a mess.", "Boarding was quick and the crew were lovely.",
          "We use it for payroll.", "Not once has the sync failed us.", "Only gripe is the tiny font."]
_RATINGS = [None, 5, None, 4, 4]


def test_a_batch_is_decided_as_its_sentences_one_by_one():
    assert stances(_BATCH, _RATINGS) == [stance(t, r) for t, r in zip(_BATCH, _RATINGS)]
    assert stances([]) == []
    with pytest.raises(ValueError, match="ratings"):
        stances(_BATCH, [None])


def test_precomputed_vectors_are_used_as_given():
    from synth.embedders import get_embedder

    vectors = get_embedder(EMBEDDER).embed(_BATCH)
    assert stances(_BATCH, _RATINGS, vectors=vectors) == stances(_BATCH, _RATINGS)
    assert stances(_BATCH, _RATINGS, vectors=vectors * 3.0) == stances(_BATCH, _RATINGS)  # rows made unit
    with pytest.raises(ValueError, match=EMBEDDER):
        stances(_BATCH, vectors=np.ones((len(_BATCH), 768)))


@pytest.fixture
def without_embedder(monkeypatch):
    from synth import embedders

    def unavailable(spec):
        raise embedders.EmbedderError(f"cannot load {spec} (test)")

    monkeypatch.setattr(embedders, "get_embedder", unavailable)
    head._embedder.cache_clear()
    head._VECTORS.clear()
    head._said.clear()
    yield
    head._embedder.cache_clear()
    head._said.clear()


def test_without_the_embedder_the_rules_decide_and_say_so_once(without_embedder):
    with pytest.warns(RuntimeWarning, match="rules alone") as caught:
        batch = stances(_BATCH, _RATINGS)
        single = stance("It keeps logging me out.")
    assert len([w for w in caught if "rules alone" in str(w.message)]) == 1
    assert batch == [rule_stance(t, r) for t, r in zip(_BATCH, _RATINGS)]
    assert single == "negative"


def test_the_head_needs_numpy_only():
    # scikit-learn made the head; with vectors at hand, deciding needs neither it nor an embedder.
    code = ("import sys, warnings; sys.modules['sklearn'] = None; warnings.simplefilter('error')\n"
            "import numpy as np; from synth.polarity import stances\n"
            "v = np.eye(3, 384, dtype=np.float32)\n"
            "assert len(stances(['a', 'b', 'c'], vectors=v)) == 3\n"
            "assert 'sentence_transformers' not in sys.modules and 'torch' not in sys.modules")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_importing_polarity_loads_no_models():
    code = ("import sys, synth.polarity; "
            "sys.exit(any(m in sys.modules for m in ('vaderSentiment', 'torch', 'sentence_transformers', 'sklearn')))")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_shipped_head_was_trained_on_these_sentences_and_ships_in_the_wheel():
    shipped = head.load_head()
    assert shipped is not None and shipped.embedder == EMBEDDER
    assert shipped.sentences_sha256 == hashlib.sha256(SENTENCES.read_bytes()).hexdigest(), \
        "the sentences changed: python evals/calibrate_polarity.py --train"
    assert shipped.dimension == 384 and len(shipped.scalar_coef[0]) == len(head.SCALAR_FEATURES)
    assert shipped.cross_validation["negative_precision"] >= 0.92  # thresholds were chosen for it on train
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["synth"]
    assert any(fnmatch.fnmatch("polarity/head.json", pattern) for pattern in package_data)


def test_sentence_set_is_large_varied_and_labelled():
    rows = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 800
    assert [r["id"] for r in rows] == list(range(1, len(rows) + 1))
    assert len({r["text"] for r in rows}) == len(rows)
    assert {r["stance"] for r in rows} == {"negative", "positive", "neutral"}
    assert {r["source"] for r in rows} == {"interview", "review", "post"}
    assert {"b2b-saas", "healthcare-staff", "transit", "banking-older", "games", "parenting", "hardware"} <= {
        r["domain"] for r in rows}
    assert len({r["domain"] for r in rows}) >= 14
    assert sum(r["desire"] for r in rows) >= 60
    assert all(1 <= r["rating"] <= 5 for r in rows if "rating" in r)
    cases = {r.get("case") for r in rows}
    assert {"negation", "sarcasm", "mixed", "relief", "desire-about-problem", "emoji"} <= cases


def test_held_out_figures_meet_the_targets():
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # figures from a fallback would not be the head's
        held_out = _calibrate_module().held_out()
    assert held_out["n"] >= 250
    assert held_out["per_class"]["negative"]["precision"] >= 0.9  # a frustration must quote a real complaint
    assert held_out["accuracy"] >= 0.8


def test_the_rules_alone_stay_a_usable_fallback():
    calibrate = _calibrate_module()
    rows = [r for r in calibrate.load_sentences() if r["split"] == "held-out"]
    f = calibrate.figures([r["stance"] for r in rows], [rule_stance(r["text"], r.get("rating")) for r in rows])
    assert f["accuracy"] >= 0.65 and f["per_class"]["negative"]["precision"] >= 0.7


def test_words_that_name_features_are_not_praise():
    """'shared list', 'free tier', 'support team': VADER's positive words that name things in product talk."""
    from synth.polarity.rules import polarity

    assert polarity("The shared list duplicated every item after the update, so we bought it twice.") <= 0.0
    assert polarity("I'm on the free tier and I opened a support ticket on Monday.") < 0.3
    assert polarity("I love the shared list, it saves us so much arguing.") > 0.3  # praise still reads as praise


def test_a_review_forms_label_states_the_stance():
    """Under "Cons:" a neutral-sounding sentence is a complaint; "cant" without its apostrophe still negates."""
    from synth.polarity import stances
    from synth.polarity.rules import labelled_stance, polarity

    said = stances(["Cons: New users come in as members by default and I cant change that.",
                    "Pros: the dashboards load before my coffee is done.",
                    "Conservative teams use it for audits."])
    assert said[:2] == ["negative", "positive"] and said[2] != "negative"
    assert labelled_stance("What could be improved? Exports.") == "negative"
    assert labelled_stance("Prosecutors use it.") is None
    assert polarity("I cant find the export button") == polarity("I can't find the export button")
