"""A small reviewed workspace shared by the review tests: ingested with the fake embedder, then a
hand-made segment and persona whose citations are checked by verify_citation (one fabricated
quote, one unsupported claim, one review that contains a <script> tag)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synth.config import Settings, load_settings
from synth.ingest import ingest
from synth.parsers import ParseOptions
from synth.personas.store import load_personas, save_personas
from synth.records import Citation, Claim, Kind, Persona, Segment, Verdict
from synth.store import Store
from synth.verify import locate_quote, verify_citation

TRANSCRIPT = """[00:00:05] Priya: Thanks for joining. How do you plan dinners during the week?
[00:00:12] Dana: Sunday night I sit down with the app and plan five dinners for the week.
[00:00:30] Priya: And how does the shared list go?
[00:00:41] Dana: Honestly the shared list is the worst part. He adds milk, I add milk, we end up with three cartons.
[00:01:02] Priya: What would make it better?
[00:01:10] Dana: If it just synced properly between our phones.
[00:01:20] Priya: Anything else?
[00:01:24] Dana: Not really, the pantry tracker is fine.
"""
SCRIPT_REVIEW = "<script>alert('xss')</script> The free tier only lets me keep 50 recipes."
REVIEWS = (
    "review_id,author,rating,date,title,review,platform\n"
    f'r1,Sam <b>K</b>,2,2026-01-03,Too limited,"{SCRIPT_REVIEW}",ios\n'
    'r2,Lee,5,2026-01-05,Love it,"Love the pantry tracker, I waste way less food now.",android\n'
)
POSTS = ('{"post_id": "P1", "user": "@macro_mel", "platform": "reddit", "created_at": "2025-09-01T12:29:43Z", '
         '"text": "Greek yogurt shows up with the macros of regular yogurt, which is wrong.", "likes": 3}\n')

INTERVIEWER_QUOTE = "How do you plan dinners during the week?"
PERSONA_ID = "per_weeknight"
SEGMENT_ID = "seg_weeknight"
# (section, text, words of the cited chunk, quote, verdict, score): as a drafting stage would leave it
CLAIMS = [
    ("goals", "Plans the week's dinners on Sunday night.", "Sunday night",
     "Sunday night I sit down with the app and plan five dinners", Verdict.supported, 0.9),
    ("frustrations", "The shared list leads to duplicate purchases.", "three cartons",
     "He adds milk, I add milk, we end up with three cartons.", Verdict.supported, 0.8),
    ("frustrations", "Finds recipe import unreliable on the phone.", "three cartons",
     "the recipe import never works on my phone", Verdict.supported, 0.7),  # a fabricated quote
    ("needs", "Wants unlimited recipes on the free tier.", "free tier",
     SCRIPT_REVIEW, Verdict.unsupported, 0.3),
    ("context", "Tracks the macros of what they eat.", "Greek yogurt",
     "Greek yogurt shows up with the macros of regular yogurt", Verdict.supported, 0.75),
]


def build_workspace(root: Path) -> Settings:
    """Ingest the tiny folder into root/ws and save one segment and one persona."""
    data = root / "research"
    (data / "interviews").mkdir(parents=True)
    (data / "interviews" / "dana.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (data / "reviews.csv").write_text(REVIEWS, encoding="utf-8")
    (data / "posts.jsonl").write_text(POSTS, encoding="utf-8")
    settings = load_settings(root / "ws", embedder="fake-hash:64")
    report = ingest([data], settings, ParseOptions(interviewers=["Priya"]))
    assert not report.failed
    with Store(settings.db_path) as store:
        chunks = {c.id: c for c in store.chunks()}
        members = sorted({c.participant_id for c in chunks.values() if c.participant_id})
        segment = Segment(id=SEGMENT_ID, label="weeknight planners", participant_ids=members)
        claims = []
        for section, text, words, quote, verdict, score in CLAIMS:
            chunk = next(c for c in chunks.values() if words in c.text)
            cite = verify_citation(Citation(chunk_id=chunk.id, quote=quote), chunks, members)
            flags = [] if cite.verdict == Verdict.verified else ["[1] quote not found in source"]
            if verdict == Verdict.unsupported:
                flags.append("quotes don't support the claim: 2 of 6 content words of the claim appear in the quotes")
            claims.append(Claim(section=section, text=text, citations=[cite], support_count=1, verdict=verdict,
                                score=score, flags=flags))
        # The interviewer's words, pointed at the interviewer's turn as the verify stage does.
        transcript = store.document(claims[0].citations[0].document_id)
        start, end = locate_quote(INTERVIEWER_QUOTE, transcript.text)
        asked = Citation(chunk_id=claims[0].citations[0].chunk_id, quote=INTERVIEWER_QUOTE, verdict=Verdict.interviewer,
                         document_id=transcript.id, start=start, end=end)
        claims[0] = claims[0].model_copy(update={"citations": [*claims[0].citations, asked],
                                                  "flags": ["[2] quote from interviewer"]})
        persona = Persona(id=PERSONA_ID, name="Weeknight Planner", summary="Plans family dinners around shifts.",
                          segment_id=SEGMENT_ID, claims=claims, provenance={"model_id": "offline"})
        save_personas(store, [segment], [persona])
    return settings


@pytest.fixture(scope="session")
def _built_workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("review-src")
    build_workspace(root)
    return root / "ws"


@pytest.fixture
def review_settings(_built_workspace, tmp_path, monkeypatch) -> Settings:
    """A fresh copy of the reviewed workspace (database only: review needs no vectors)."""
    for var in ("SYNTH_LLM", "SYNTH_LLM_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "SYNTH_WORKSPACE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    ws = tmp_path / "ws"
    ws.mkdir()
    for f in _built_workspace.glob("synth.db*"):
        shutil.copy(f, ws / f.name)
    return load_settings(ws)


def claim(persona: Persona, section: str, n: int = 0) -> Claim:
    return [c for c in persona.claims if c.section == section][n]


def test_workspace_has_the_verdicts_the_review_tests_rely_on(review_settings):
    with Store(review_settings.db_path) as store:
        (persona,) = load_personas(store)
        kinds = {store.document(d).kind for d in store.document_ids()}
    assert kinds == {Kind.interview, Kind.review, Kind.social}
    verdicts = [[c.verdict for c in claim.citations] for claim in persona.claims]
    assert verdicts == [[Verdict.verified, Verdict.interviewer], [Verdict.verified], [Verdict.fabricated],
                        [Verdict.verified], [Verdict.verified]]
    assert claim(persona, "needs").verdict == Verdict.unsupported
    assert "<script>" in claim(persona, "needs").citations[0].quote
