"""Unit tests for issue 17: neutral text, key-phrase labels, statement kinds, exact and coarse/fine counts."""

from __future__ import annotations

import numpy as np

from synth.themes.cluster import cluster_vectors, normalize
from synth.themes.labels import compose, phrases
from synth.themes.neutral import find_names, neutral_text
from synth.themes.statements import statement_kind

BRANDS = ["Marlowe", "Bellrose", "Oakhurst"]
TOPICS = ["The wifi kept dropping in the room.", "Breakfast was cold and the coffee weak.",
          "Check-in took an hour at reception."]


def _corpus() -> list[str]:
    out = []
    for i in range(30):
        b = BRANDS[i % 3]
        out.append(f"Stayed at the {b} last week. {TOPICS[i % 3]} @{b}Hotels #{b.lower()} https://t.co/XXXX")
    return out


def test_names_of_who_is_addressed_are_found_from_the_data():
    names = find_names(_corpus(), speakers=["Grace T", "P1"])
    for brand in BRANDS:
        assert brand.lower() in names.names
    assert "wifi" not in names.names and "breakfast" not in names.names  # what is said stays
    assert names.names.get("grace") == "speaker"


def test_neutral_text_drops_names_handles_urls_masks_but_keeps_topic_words():
    names = find_names(_corpus(), speakers=["Grace T"])
    text = "@MarloweHotels Stayed at the Marlowe's annex, booking XXXX-XXXX. Wifi dropped #marlowe #wifi https://x.co/a"
    out = neutral_text(text, names)
    assert "Marlowe" not in out and "@" not in out and "http" not in out and "XXXX" not in out
    assert "Wifi dropped" in out and out.endswith("wifi")  # a topic hashtag keeps its word
    # a speaker's name is only taken out capitalised: "grace" the word stays
    assert neutral_text("Grace said the grace period was short.", names) == "said the grace period was short."


def test_label_phrases_are_not_fillers_verdicts_or_clauses():
    got = phrases("The refund took six weeks, honestly an excellent hotel but the blackout blinds worked")
    assert "blackout blinds" in got and "refund" in got
    assert not any(p.split()[-1] in {"took", "excellent", "honestly"} for p in got)


def test_duplicate_labels_are_told_apart():
    labels = compose([["late checkout"], ["late checkout", "key card"]], [[], []])
    assert len(set(labels)) == 2 and labels[0] == "Late checkout"


def test_statement_kinds_from_domain_free_cues():
    assert statement_kind("Please add a way to export my data.") == "request"
    assert statement_kind("How do I change the delivery slot?") == "question"
    assert statement_kind("The app crashes every time I open it.") == "problem"
    assert statement_kind("Brilliant service, really happy with it.") == "praise"
    assert statement_kind("I use it every morning to plan the day.") == "usage"
    assert statement_kind("I moved to Leeds last spring.") == "other"
    # a question that asks for something is a request
    assert statement_kind("Could you add a dark mode?") == "request"


def _blobs(k: int, per: int, seed: int = 0) -> np.ndarray:
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(k, 24))
    return normalize(np.vstack([centres[i] + 0.35 * rng.normal(size=(per, 24)) for i in range(k)]))


def test_themes_n_is_honoured_exactly_and_fine_is_at_least_coarse():
    x = _blobs(6, 40)
    for k in (3, 6, 9):
        assert cluster_vectors(x, k=k).k == k
    coarse, fine = cluster_vectors(x, granularity="coarse"), cluster_vectors(x, granularity="fine")
    assert fine.k >= coarse.k >= 2


def test_sample_weights_are_accepted():
    x = _blobs(3, 30)
    w = np.ones(x.shape[0])
    w[:30] = 5.0  # folded near-duplicates count more
    assert cluster_vectors(x, sample_weight=w).k >= 2


def test_labels_never_end_on_a_verb_nor_use_the_forms_field_names():
    from synth.themes.labels import _edge_ok, field_labels, verb_forms

    said = ["the checkout funnel explains the drop", "I want to explain the funnel", "we explain it to the board",
            "the funnels are broken", "our funnels look odd", "we get alerts", "the alerts are noisy"]
    assert verb_forms(said, {"explains", "funnels", "alerts"}) == {"explains"}  # from use, not a lexicon
    form = ["Pros: fast charts. Cons: the export is slow."] * 5 + ["the pros and cons of it"]
    assert field_labels(form) == {"pros", "cons"}
    assert field_labels(form[:3]) == set()  # a label used by too few texts is what someone said
    assert _edge_ok(["sync", "speed"]) and _edge_ok(["shared", "list"]) and _edge_ok(["king", "bed"])
    assert not _edge_ok(["export", "fixed"]) and not _edge_ok(["quickly", "export"])
