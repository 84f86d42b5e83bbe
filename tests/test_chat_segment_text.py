"""A segment's sentences and vocabulary are embedded once, cached on disk, and read back unchanged;
a question word nobody used is covered by the study's nearest word only as far as it is close in meaning."""

from __future__ import annotations

import subprocess
import sys

import numpy as np

from synth.chat.retrieval import COVER_HIGH, COVER_LOW, cover
from synth.chat.segment_text import SegmentSentences, Vocabulary

CHUNKS = {"c1": "The ads are everywhere. I closed three pop-ups today. Ok.",
          "c2": "We plan dinners on Sunday evening with the kids."}


class Counting:
    """A deterministic toy embedder: a vector from the letters of each text; counts what it embeds."""

    def __init__(self):
        self.seen: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t.lower():
                if "a" <= ch <= "z":
                    out[i, ord(ch) - 97] += 1
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_sentences_embedded_once_then_read_from_the_cache(tmp_path):
    path = tmp_path / "chat-cache" / "sentences-x.npz"
    embed = Counting()
    built = SegmentSentences.build(CHUNKS, embed, {}, path)
    assert built.texts == ["The ads are everywhere.", "I closed three pop-ups today.",
                           "We plan dinners on Sunday evening with the kids."]  # "Ok." is too short
    assert built.owners.tolist() == ["c1", "c1", "c2"] and path.exists()
    again = Counting()
    loaded = SegmentSentences.build(CHUNKS, again, {}, path)
    assert again.seen == [] and loaded.texts == built.texts and np.allclose(loaded.matrix, built.matrix)
    q = embed(["The ads are everywhere."])[0]
    assert loaded.best(q, ["c1"]) > 0.99 and loaded.best(q, ["c2"]) < 0.99 and loaded.best(q, ["nope"]) is None


def test_stored_vectors_are_reused_when_the_sentence_count_matches(tmp_path):
    embed = Counting()
    stored = {"c2": np.ones((1, 26), dtype=np.float32) / np.sqrt(26)}
    built = SegmentSentences.build(CHUNKS, embed, stored, None)
    assert "We plan dinners on Sunday evening with the kids." not in embed.seen
    assert np.allclose(built.per_chunk()["c2"], stored["c2"])
    bad = {"c1": np.ones((5, 26), dtype=np.float32)}  # a stale row: re-embedded
    SegmentSentences.build(CHUNKS, embed := Counting(), bad, None)
    assert "The ads are everywhere." in embed.seen


def test_vocabulary_one_spelling_per_stem_and_nearest_word(tmp_path):
    embed = Counting()
    vocab = Vocabulary.build(["The ads ads ad", "Dinners, dinner and the kids"], embed, tmp_path / "v.npz")
    assert "ads" in vocab.words and "kids" in vocab.words and len(set(vocab.words)) == len(vocab.words)
    word, sim = vocab.nearest(embed(["kid"])[0])
    assert word == "kids" and sim > 0.8  # the letter vector of "kid" against "kids"
    assert Vocabulary.build([], embed, None).nearest(embed(["x"])[0]) == ("", 0.0)


def test_cover_is_zero_for_unrelated_words_and_one_for_near_synonyms():
    assert cover(COVER_LOW) == 0.0 and cover(0.1) == 0.0
    assert cover(COVER_HIGH) == 1.0 and cover(0.95) == 1.0
    assert 0.0 < cover((COVER_LOW + COVER_HIGH) / 2) < 1.0


def test_cli_import_leaves_the_persona_pipeline_and_evaluation_unloaded():
    code = ("import sys, synth.cli; heavy = [m for m in ('synth.personas.build', 'synth.evaluation.assess', "
            "'synth.evaluation.report') if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_contrast_is_high_when_a_few_sentences_stand_out():
    texts = {f"c{i}": f"Filler words number {i} go here today." for i in range(12)}
    texts["hit"] = "Zebras quizzically jump over zany zoos."
    embed = Counting()
    built = SegmentSentences.build(texts, embed, {}, None)
    on_topic = built.contrast(embed(["zany zebras in zoos"])[0], 1)
    off_topic = built.contrast(embed(["filler words here today"])[0], 1)
    assert on_topic > 2.0 and on_topic > off_topic
