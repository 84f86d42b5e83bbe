"""synth.substance: small talk, masks and other languages set aside; evidence kept; themes marked."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from synth.records import Chunk, Kind, Role, Theme
from synth.substance import (
    is_substantive,
    sentence_spans,
    set_aside_report,
    study_language,
    substance,
    substantive_sentences,
)
from synth.themes.set_aside import judge_chunks, mark_themes, set_aside_line


def _judged(chunks):
    return judge_chunks([c.id for c in chunks], [c.text for c in chunks])


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hi, good morning!", "greeting"),
        ("Thanks, Sarah!", "thanks"),
        ("Bye bye, good luck with the research!", "goodbye"),
        ("Can you hear me okay?", "audio check"),
        ("You're on mute, I think.", "audio check"),
        ("I have connection problems.", "audio check"),
        ("Sorry, I just got back from the gym.", "apology"),
        ("Okay, no problem.", "filler"),
        ("ah okay, okay, no problem.", "filler"),
        ("yeah yeah", "filler"),
        ("mm-hm", "filler"),
        ("Right.", "filler"),
        ("I'm parked in the school pickup line.", "logistics"),
        ("Let's get started, shall we?", "logistics"),
        ("XXXX XXX xx", "mask"),
        ("[REDACTED]", "mask"),
        ("I work at [COMPANY] in <CITY>.", "mask"),
        ("...", "too short"),
        ("👍", "too short"),
        ("Thank you, dear.", "thanks"),  # a term of address is all that is left
        ("Ha, yeah, thanks man.", "thanks"),
        ("Later.", "goodbye"),
        ("Yeah, go for it.", "filler"),
    ],
)
def test_conventions_are_set_aside_with_their_reason(text, reason):
    assert substance(text, study_language="en") == reason
    assert not is_substantive(text, study_language="en")


@pytest.mark.parametrize(
    "text",
    [
        "Sorry, but the app logs me out every time I switch tabs.",
        "Thanks to the new export I can finally send reports in one click.",
        "Too expensive.",
        "Crashes on launch.",
        "Dirty.",
        "What do you mean by workspace, the shared one or mine?",
        "Can you export the report as PDF? Our auditors only accept PDF.",
        "Okay, so the first thing I open in the morning is my sleep score.",
        "No, I never share my data with my employer.",
        "The hotel wifi was so slow I couldn't join a single call.",
        "Thank you @shop for replacing my broken blender without any fuss.",
        "Sorry excuse for a course, half the videos are missing.",
        "It's the best.",
        "Yeah, it was a good day.",
        "The call center put me on hold for ninety minutes to change one date.",
        "+1 to offline mode, I work on trains a lot",
        "Later that week the app crashed twice.",
        "I shoot photos for work and the upload is slow.",
        "My dear friend recommended it.",
    ],
)
def test_evidence_is_kept(text):
    assert substance(text, study_language="en") is None


def test_conventions_of_the_study_language_are_set_aside_too():
    assert substance("Merci beaucoup, au revoir.", study_language="fr") == "goodbye"
    assert substance("Oui, d'accord.", study_language="fr") == "filler"
    assert substance("Si le fichier est trop gros, l'export plante.", study_language="fr") is None


def test_a_mostly_small_talk_chunk_with_one_substantive_sentence_is_substantive():
    text = "Hi, can you hear me? Okay, great. The export crashes when I have more than ten columns. Thanks!"
    assert substance(text) is None
    spans = substantive_sentences(text)
    assert [text[s:e] for s, e in spans] == ["The export crashes when I have more than ten columns."]


def test_a_chunk_of_only_small_talk_takes_its_main_reason():
    assert substance("Hi! Sorry, I just got back from the gym, give me a second. Okay.") == "apology"


def test_sentence_spans_keep_abbreviations_and_decimals_whole():
    text = "I paid 3.5 dollars, e.g. for one file. Then it broke!"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["I paid 3.5 dollars, e.g. for one file.", "Then it broke!"]


def test_a_non_english_chunk_in_an_english_study_is_flagged():
    french = "Donc, qui en a besoin dans l'équipe au quotidien ? Je ne sais pas vraiment."
    german = "Ich finde die App eigentlich ganz gut, aber die Erinnerungen kommen zu spät."
    assert substance(french, study_language="en") == "other language"
    assert substance(german, study_language="en") == "other language"
    # The same passage in a French study is evidence; so is everything when no language is known.
    assert substance(french, study_language="fr") is None
    assert substance(german) is None


def test_short_english_is_never_taken_for_another_language():
    for text in ["I do most of my grocery shopping in the afternoon after work.",
                 "Installing the plugin broke my existing shortcuts.",
                 "wow, $89 to check a bag on a domestic flight"]:
        assert substance(text, study_language="en") is None, text


def test_study_language_is_the_main_language_of_a_sample():
    english = ["The export crashes when I have more than ten columns.", "I love the new dashboard.",
               "Support never answered my ticket about billing."] * 5
    assert study_language(english + ["Je n'utilise pas souvent les quiz parce qu'ils prennent du temps."]) == "en"
    spanish = ["Los alumnos usan la plataforma sobre todo para entregar las tareas.",
               "El hotel estaba limpio pero el desayuno era muy caro."] * 4
    assert study_language(spanish) == "es"
    assert study_language([]) is None


def test_set_aside_report_counts_by_reason():
    report = set_aside_report(["Thanks!", "Thank you so much.", "mm-hm", "The app is slow on my phone."])
    assert report == {"thanks": 2, "filler": 1}


# themes ------------------------------------------------------------------------------------------
def _chunk(n: int, text: str) -> Chunk:
    return Chunk(document_id="doc_1", participant_id=f"p{n % 5}", speaker=f"p{n % 5}", role=Role.participant,
                 kind=Kind.review, text=text, start=n * 100, end=n * 100 + len(text))


def test_a_theme_mostly_of_small_talk_is_marked_and_counted():
    talk = [_chunk(i, t) for i, t in enumerate(["Thanks!", "Okay, bye!", "Yeah, no problem.", "Hi there.",
                                                "The app is slow."])]
    work = [_chunk(10 + i, t) for i, t in enumerate(["Sync fails on large files.", "Exports are missing columns.",
                                                     "Thanks, bye!"])]
    themes = [Theme(id="thm_talk", label="Talk", chunk_ids=[c.id for c in talk]),
              Theme(id="thm_work", label="Work", chunk_ids=[c.id for c in work])]
    stats = mark_themes(_judged(talk + work), themes)
    assert [t.substantive for t in themes] == [False, True]
    assert themes[0].provenance["set_aside"]["share"] == round(43 / 59, 3)  # characters set aside / all
    assert stats["set_aside_chunks"] == 5 and stats["non_substantive_themes"] == ["thm_talk"]
    assert stats["set_aside"]["goodbye"] == 2
    line = set_aside_line(stats, 8)
    assert line.startswith("set aside before clustering as not substantive: 5 of 8 chunks") and "1 theme mostly small talk" in line
    assert set_aside_line({}, 8) is None  # a run stored before substance was measured


def test_a_theme_whose_keywords_are_conversation_is_small_talk_however_long_its_chunks():
    """Chunks that wrap a little product talk in greetings still make a small-talk theme when its keywords say so."""
    chunks = [_chunk(i, "Yeah, sorry, thanks for having me, okay, so the export is slow sometimes.") for i in range(4)]
    themes = [Theme(id="thm_chat", label="x", keywords=["yeah sorry", "thanks", "okay"], chunk_ids=[c.id for c in chunks]),
              Theme(id="thm_export", label="y", keywords=["export slow", "csv export"], chunk_ids=[c.id for c in chunks])]
    mark_themes(_judged(chunks), themes)
    assert [t.substantive for t in themes] == [False, True]
    assert themes[0].provenance["set_aside"]["keywords"] == "mostly the words of conversation"


SMALL_TALK = ["Okay, thanks!", "Yeah, no problem.", "Thank you, bye!", "Okay, okay.", "Bye bye!", "Yeah, yeah.",
              "No problem, thanks.", "Okay, bye."]


def _write_small_talk(path: Path, start: int, n: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = [f'r{start + i:04d},chat{i},5,"{" ".join(rng.sample(SMALL_TALK, 3))}"' for i in range(n)]
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")


def test_small_talk_is_set_aside_before_clustering_reported_and_kept_out_of_segments(tmp_path, fake_settings, llm_env):
    from synth.cli_themes import print_themes, run_json
    from synth.personas.segments import build_profiles
    from synth.themes import build_themes, load_themes
    from tests.test_themes import TOPICS, ingest_folder, participant_chunks, write_reviews

    data = tmp_path / "research"
    topics = dict(list(TOPICS.items())[:2])
    write_reviews(data / "reviews.csv", topics, 20, seed=1)
    _write_small_talk(data / "reviews.csv", 500, 20, seed=3)
    ingest_folder(data, fake_settings)

    run = build_themes(fake_settings)
    chatter = {c.id for c in participant_chunks(fake_settings) if any(t in c.text for t in SMALL_TALK)}
    assert len(chatter) == 20
    assert not chatter & {cid for t in run.themes for cid in t.chunk_ids}  # no theme is built of small talk
    assert not chatter & {u.chunk_id for u in run.unassigned}
    assert run.stats["set_aside_chunks"] >= 20 and run.stats["study_language"] == "en"
    assert all(t.substantive for t in run.themes)
    assert run_json(run)["stats"]["set_aside_chunks"] == run.stats["set_aside_chunks"]

    stored = load_themes(fake_settings)
    assert [t.substantive for t in stored.themes] == [t.substantive for t in run.themes]

    from rich.console import Console

    out = Console(record=True, width=200)
    print_themes(out, stored, fake_settings)
    assert "set aside before clustering as not substantive: " in out.export_text()

    chunks = participant_chunks(fake_settings)
    from synth.records import Participant

    people = [Participant(id=pid, label=pid, kind=Kind.review) for pid in sorted({c.participant_id for c in chunks})]
    profiles = build_profiles(people, chunks, run.themes, {})
    assert set(profiles.theme_ids) == {t.id for t in run.themes if t.substantive}


def test_a_theme_of_short_asides_is_found_on_all_it_says_and_called_small_talk():
    """Its own keywords come from the few substantive sentences left ("numbers", "audio"); read whole, it is
    conversation, and its label says so."""
    from synth.themes.set_aside import SMALL_TALK, name_small_talk

    chat = ["Sorry, can you hear me? The audio is bad, sorry.", "Yeah okay, thanks man, sorry.",
            "Alright, sorry, okay, yeah I hear you.", "Okay yeah sorry, thanks, the numbers."]
    work = ["Sync fails on large files every morning.", "Exports are missing the revenue columns."]
    chunks = [_chunk(i, t) for i, t in enumerate(chat + work)]
    themes = [Theme(id="thm_chat", label="Numbers and audio", keywords=["audio", "numbers"], group="Numbers",
                    chunk_ids=[c.id for c in chunks[:4]]),
              Theme(id="thm_work", label="Sync and exports", keywords=["sync", "exports"], group="Files",
                    chunk_ids=[c.id for c in chunks[4:]])]
    mark_themes(_judged(chunks), themes, {c.id: c.text for c in chunks})
    assert [t.substantive for t in themes] == [False, True]
    name_small_talk(themes)
    assert [t.label for t in themes] == [SMALL_TALK, "Sync and exports"]
    assert themes[0].group == SMALL_TALK and themes[1].group == "Files"
    assert themes[0].provenance["label"]["replaced"] == "Numbers and audio"
