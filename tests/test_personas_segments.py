"""Segmentation: people (not topics), deterministic, a forced count, evidence packs that spread across people."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from synth.personas import segment_participants
from synth.personas.build import chunk_vectors
from synth.personas.draft import draft_input, evidence_pack, leading_themes
from synth.personas.segments import Profiles, build_profiles, cluster_profiles, theme_lift
from synth.records import Chunk, Kind, Participant, Role
from synth.store import Store
from tests.persona_fixtures import ingest_folder, keyword_themes


@pytest.fixture
def workspace(tmp_path, fake_settings):
    ingest_folder(tmp_path, fake_settings)
    return fake_settings, keyword_themes(fake_settings)


def _labels(settings) -> dict[str, str]:
    with Store(settings.db_path) as store:
        return {p.id: p.label for p in store.participants()}


def test_segments_group_people_by_what_and_how_they_talk(workspace):
    settings, themes = workspace
    segments = segment_participants(settings, themes=themes)
    labels = _labels(settings)
    assert len(segments) == 2 and segments[0].attributes["k_choice"]["method"] == "stability"
    groups = [{labels[p] for p in s.participant_ids} for s in segments]
    family = next(g for g in groups if "Dana" in g)
    budget = next(g for g in groups if "Theo" in g)
    assert {f"family_{i}" for i in range(6)} <= family and {f"budget_{i}" for i in range(6)} <= budget
    # Every participant lands in exactly one segment, the one-line reviewer included.
    everyone = [p for s in segments for p in s.participant_ids]
    assert sorted(everyone) == sorted(set(everyone)) and len(everyone) == len(labels)
    by_label = {t.id: t.label for t in themes}
    family_seg = next(s for s in segments if "Dana" in {labels[p] for p in s.participant_ids})
    assert by_label[family_seg.theme_ids[0]] in ("Shared list sync", "Kids and family dinners")
    assert family_seg.label.startswith(by_label[family_seg.theme_ids[0]])
    attrs = family_seg.attributes
    assert attrs["kinds"] == {"interview": 1, "review": 7} and attrs["participants"] == 8
    assert attrs["mean_rating"] == pytest.approx((6 * 4 + 3) / 7, abs=0.01)


def test_segmentation_is_deterministic(workspace):
    settings, themes = workspace
    first = segment_participants(settings, themes=themes)
    second = segment_participants(settings, themes=themes)
    assert [s.model_dump() for s in first] == [s.model_dump() for s in second]


@pytest.mark.parametrize("n", [1, 3, 4])
def test_forced_count(workspace, n):
    settings, themes = workspace
    segments = segment_participants(settings, n=n, themes=themes)
    assert len(segments) == n
    assert segments[0].attributes["k_choice"] == {"k": n, "method": "forced"}
    sizes = [len(s.participant_ids) for s in segments]
    assert sizes == sorted(sizes, reverse=True)


def test_automatic_count_respects_the_minimum_share():
    rng = np.random.default_rng(0)
    centres = np.eye(6)[:3] * 4
    big = np.vstack([c + rng.normal(scale=0.3, size=(40, 6)) for c in centres])
    outliers = np.eye(6)[3:5] * 8  # two lone points: a segment of one is under 5% of 122
    labels, choice = cluster_profiles(np.vstack([big, outliers]))
    assert choice["method"] == "stability" and choice["k"] == 3
    assert np.bincount(labels).min() >= choice["min_size"]
    few, why = cluster_profiles(np.ones((3, 2)))
    assert set(few) == {0} and why["k"] == 1


def test_theme_lift_needs_two_participants_and_ranks_distinctive_first():
    counts = np.array([[3, 1, 0], [2, 1, 1], [0, 4, 0], [0, 4, 0]], dtype=float)
    members = np.array([True, True, False, False])
    lifted = dict(theme_lift(counts, members))
    assert list(lifted) == [0, 1]  # theme 2 has one participant in the segment
    assert lifted[0] > 1 > lifted[1]


def test_evidence_pack_covers_leading_themes_across_distinct_people(workspace):
    settings, themes = workspace
    segments = segment_participants(settings, n=2, themes=themes)
    with Store(settings.db_path) as store:
        chunks = {c.id: c for c in store.chunks() if c.role == Role.participant and c.participant_id}
    vectors = chunk_vectors(settings, list(chunks))
    by_id = {t.id: t for t in themes}
    for seg in segments:
        lead = leading_themes(seg, by_id)
        pack = evidence_pack(seg, lead, chunks, vectors, cap=6)
        assert 0 < len(pack) <= 6
        assert all(c.participant_id in seg.participant_ids for c in pack)
        people = [c.participant_id for c in pack]
        assert len(set(people)) == len(people)  # distinct people first while there are enough
        assert all(any(c.id in t.chunk_ids for c in pack) for t in lead)
        inputs = draft_input(seg, lead, pack)
        assert [e.n for e in inputs.evidence] == list(range(1, len(pack) + 1))
        assert [e.chunk_id for e in inputs.evidence] == [c.id for c in pack]
        assert "participants" in inputs.segment_summary and "mean star rating" in inputs.segment_summary.lower()


# Two kinds of people in another domain than the fixture's, with what everyone says about the product mixed in;
# each person says who they are and what they need, in their own kind's words, then one complaint anyone could make.
NURSES = (["I'm a nurse on the night shift.", "As a ward nurse I work twelve-hour shifts.",
           "My shifts on the ward start at seven.", "I work nights as a charge nurse on the ward."],
          ["The ward rota should show which nurse covers each shift.", "Shift handover notes for the ward vanish.",
           "I need to swap shifts with another nurse from the ward tablet.",
           "Night shift patients on my ward need their rounds logged."])
DESIGNERS = (["I'm a freelance designer with agency clients.", "As a freelance designer I invoice each client monthly.",
              "My design studio works for agency clients.", "I work from home as a designer for agencies."],
             ["Client invoices should carry my design studio logo.",
              "Design proofs must reach the client before the agency deadline.",
              "Late agency clients wreck my freelance income.", "Portfolio uploads for design clients lose colour."])
SHARED = ["The app logs me out every morning.", "Notifications arrive twice.", "Search is slow on my old phone.",
          "The new update moved every button.", "Support took a week to answer."]
TEMPLATES = {  # what every row of an export shares: a reviews site's headings, a help desk's boilerplate
    "store.csv": "Pros: {text} Cons: {complaint} Overall: would recommend it to a colleague, four stars from me.",
    "tickets.csv": "Hi support team, hope you are well. {text} {complaint} Sent from the web form, priority normal, "
                   "thanks for the help.",
}


def _person(pid: str, kind: Kind, text: str, doc: str) -> tuple[Participant, Chunk]:
    return (Participant(id=pid, label=pid, kind=kind),
            Chunk(document_id=doc, participant_id=pid, speaker=pid, role=Role.participant, kind=kind, text=text,
                  start=0, end=len(text)))


def _two_groups(n: int = 24, seed: int = 7) -> tuple[list[Participant], list[Chunk], dict[str, str], dict[str, str]]:
    """n people of each group, half in each export (so an export's template is no segment), and who is who."""
    rng = random.Random(seed)
    people, chunks, sources, truth = [], [], {}, {}
    for group, (selves, needs) in (("nurse", NURSES), ("designer", DESIGNERS)):
        for i in range(n):
            file = sorted(TEMPLATES)[i % 2]
            said = f"{rng.choice(selves)} {rng.choice(needs)}"
            text = TEMPLATES[file].format(text=said, complaint=rng.choice(SHARED))
            pid = f"{group}_{i:02d}"
            participant, chunk = _person(pid, Kind.review, text, f"{file}#{pid}")
            people.append(participant)
            chunks.append(chunk)
            sources[pid], truth[pid] = f"review:{file}", group
    return people, chunks, sources, truth


def _segments_of(people, chunks, sources, n=None) -> tuple[dict[str, int], dict, Profiles]:
    profiles = build_profiles(people, chunks, [], {}, {}, sources)
    labels, choice = cluster_profiles(profiles.matrix, n, profiles.fit_rows(), profiles.weights)
    return dict(zip(profiles.participant_ids, labels.tolist(), strict=True)), choice, profiles


def test_two_separated_groups_of_people_are_found_whatever_export_they_wrote_in():
    people, chunks, sources, truth = _two_groups()
    found, choice, _ = _segments_of(people, chunks, sources)
    assert choice["method"] == "stability" and choice["k"] == 2
    assert adjusted_rand_score([truth[p] for p in sorted(truth)], [found[p] for p in sorted(truth)]) == 1.0
    # Deterministic: the same people give the same segments.
    assert _segments_of(people, chunks, sources)[0] == found


# How people talk in an interview, whoever they are: no segment should be made of it.
REGISTER = ["Honestly it's kind of a whole thing most weeks, you know what I mean.",
            "I mean it's like, the way it goes, basically, most of the time anyway.",
            "So yeah, that's pretty much how it goes for me, more or less.",
            "It's funny because I was literally just talking about this yesterday.",
            "Like, I don't know, it just sort of happens that way a lot of the time."]


def test_interviewees_join_their_kind_of_people_not_a_segment_of_interviews():
    people, chunks, sources, truth = _two_groups(seed=1)
    rng = random.Random(1)
    for group, (selves, needs) in (("nurse", NURSES), ("designer", DESIGNERS)):
        for i in range(3):
            pid = f"interview_{group}_{i}"
            turns = [(rng.choice(selves), rng.choice(needs), *rng.sample(REGISTER, 2)) for _ in range(5)]
            text = " ".join(sentence for turn in turns for sentence in turn)
            participant, chunk = _person(pid, Kind.interview, text, f"{pid}.txt")
            people.append(participant)
            chunks.append(chunk)
            sources[pid], truth[pid] = f"interview:{pid}.txt", group
    found, choice, _ = _segments_of(people, chunks, sources)
    # The transcripts pool by kind and their common register is taken out; centred on everyone's mean instead,
    # the six interviewees make a segment of their own.
    assert choice["k"] == 2
    assert adjusted_rand_score([truth[p] for p in sorted(truth)], [found[p] for p in sorted(truth)]) == 1.0


def test_one_line_participants_never_found_a_segment():
    people, chunks, sources, _ = _two_groups(n=12)
    # Fifteen one-liners who all say the same thing, far from both groups: fitted with everyone, they would make
    # a segment of their own; left out of the fit, they join the nearest one.
    for i in range(15):
        participant, chunk = _person(f"oneliner_{i:02d}", Kind.social, "Tomato seedlings wilt in the greenhouse.",
                                     f"posts.jsonl#{i}")
        people.append(participant)
        chunks.append(chunk)
        sources[participant.id] = "social:posts.jsonl"
    for n in (None, 3):
        found, choice, profiles = _segments_of(people, chunks, sources, n)
        rich = {found[p] for p in found if not p.startswith("oneliner")}
        assert set(found.values()) == rich, choice  # every segment holds someone with more than one sentence
        assert choice.get("joined_nearest") == 15
    assert profiles.sentences[profiles.participant_ids.index("oneliner_00")] == 1
    assert profiles.weights[profiles.participant_ids.index("oneliner_00")] < profiles.weights[0]
