"""A tiny ingested workspace with hand-made segments and personas whose metrics are known in advance."""

from __future__ import annotations

from pathlib import Path

from synth.ingest import ingest
from synth.personas.store import save_personas
from synth.records import Chunk, Citation, Claim, Persona, Segment, Verdict
from synth.store import Store
from synth.verify import verify_citation

TRANSCRIPT = """Priya: Thanks for joining. How do you plan dinners during the week?
Dana: Um, so Sunday night I sit down with the app and plan five dinners. Then the list goes to my husband.
Priya: And how does that go?
Dana: Honestly the shared list is the worst part. He adds milk, I add milk, we end up with three cartons.
"""

REVIEWS = """review_id,author,rating,date,review
r1,Sam K,2,2026-01-03,"The free tier only lets me keep 50 recipes, and Plus is way too expensive for a student."
r2,Lee,5,2026-01-05,"Love the pantry tracker, I waste way less food now."
r3,,3,2026-01-09,"Import from my favourite blog fails half the time, it grabs the ads instead of the ingredients."
r4,Kim,2,2026-01-10,"I never plan dinners on Sunday night because the app is so slow."
r5,Ana,4,2026-01-11,"Recipe import works great for <b>grandma's</b> cards once I type them in."
"""


def build_folder(root: Path) -> Path:
    data = root / "research"
    (data / "interviews").mkdir(parents=True)
    (data / "interviews" / "dana.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (data / "reviews.csv").write_text(REVIEWS, encoding="utf-8")
    return data


def chunk_with(chunks: list[Chunk], words: str) -> Chunk:
    found = [c for c in chunks if words in c.text]
    assert len(found) == 1, (words, found)
    return found[0]


def cite(chunks: dict[str, Chunk], chunk: Chunk, quote: str, members: list[str]) -> Citation:
    """A citation verified the way the personas stage does it."""
    return verify_citation(Citation(chunk_id=chunk.id, quote=quote), chunks, members)


def make_workspace(settings, root: Path) -> dict:
    """Ingest the folder and store two segments and two personas; returns what tests need to know."""
    ingest([build_folder(root)], settings)
    with Store(settings.db_path) as store:
        chunks = store.chunks()
        by_id = {c.id: c for c in chunks}
        dana1 = chunk_with(chunks, "plan five dinners")
        dana2 = chunk_with(chunks, "shared list is the worst")
        sam, lee = chunk_with(chunks, "way too expensive"), chunk_with(chunks, "pantry tracker")
        kim, ana = chunk_with(chunks, "never plan dinners"), chunk_with(chunks, "Recipe import works")
        anon = chunk_with(chunks, "favourite blog")
        seg_a = Segment(id="seg_a", label="Planners", participant_ids=[dana1.participant_id, sam.participant_id,
                                                                        lee.participant_id, kim.participant_id],
                        theme_ids=["th_plan", "th_price", "th_import"])
        seg_b = Segment(id="seg_b", label="Collectors", participant_ids=[ana.participant_id, anon.participant_id],
                        theme_ids=["th_import"])
        a, b = seg_a.participant_ids, seg_b.participant_ids
        planner = Persona(id="per_a", name="The Sunday Planner", summary="Plans ahead.", segment_id="seg_a", claims=[
            Claim(section="behaviours", text="Plans five dinners on Sunday night with the app.",
                  citations=[cite(by_id, dana1, "Sunday night I sit down with the app and plan five dinners.", a)]),
            Claim(section="frustrations", text="Finds Plus too expensive for a student.",
                  citations=[cite(by_id, sam, "Plus is way too expensive for a student.", a)]),
            Claim(section="motivations", text="Wastes less food thanks to the pantry tracker.",
                  citations=[cite(by_id, lee, "Love the pantry tracker, I waste way less food now.", a)]),
            Claim(section="goals", text="Orders organic groceries by drone every week.",
                  citations=[cite(by_id, dana2, "He adds milk, I add milk, we end up with three cartons.", a)]),
            Claim(section="frustrations", text="Hates the shared grocery list.",
                  citations=[cite(by_id, dana2, "I hate the shared grocery list so much.", a)]),  # fabricated
        ])
        collector = Persona(id="per_b", name="The <Recipe> Collector", summary="Saves recipes.", segment_id="seg_b",
                            claims=[
            Claim(section="needs", text="Wants recipe import to work for grandma's cards.",
                  citations=[cite(by_id, ana, "Recipe import works great for <b>grandma's</b> cards", b),
                             cite(by_id, dana1, "plan five dinners", b)]),  # real words, other segment
            Claim(section="frustrations", text="Import from a favourite blog fails half the time.",
                  citations=[cite(by_id, anon, "Import from my favourite blog fails half the time", b)]),
        ])
        for persona in (planner, collector):  # as the personas stage counts them: distinct verified participants
            for claim in persona.claims:
                claim.support_count = len({c.participant_id for c in claim.citations if c.verdict == Verdict.verified})
        save_personas(store, [seg_a, seg_b], [planner, collector])
    return {"chunks": by_id, "planner": planner, "collector": collector, "segments": [seg_a, seg_b],
            "ids": {"dana1": dana1.id, "dana2": dana2.id, "sam": sam.id, "lee": lee.id, "kim": kim.id,
                    "ana": ana.id, "anon": anon.id}}


def tamper(settings, persona_id: str = "per_a") -> None:
    """Rewrite one verified quote so it is no longer in its source, keeping the stored `verified` verdict."""
    from synth.personas.store import load_personas, update_persona

    with Store(settings.db_path) as store:
        persona = next(p for p in load_personas(store) if p.id == persona_id)
        citation = persona.claims[0].citations[0]
        assert citation.verdict == Verdict.verified
        persona.claims[0].citations[0] = citation.model_copy(update={"quote": "Sunday night I plan ten dinners."})
        update_persona(store, persona)
