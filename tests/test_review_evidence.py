"""Source context for citations, built from records alone: highlights only where a quote verifies."""

from __future__ import annotations

from synth.records import Chunk, Citation, Claim, Document, Kind, Role, Turn, Verdict
from synth.review.evidence import citation_view, claim_badge, source_metadata

TEXT = "Q: How do you shop?\nA: Mostly online, and I hate the delivery slots.\nQ: Why?\nA: They vanish by Tuesday."


def _interview():
    turns, at = [], 0
    for n, line in enumerate(TEXT.split("\n"), 1):
        speaker, _ = line.split(": ", 1)
        turns.append(Turn(speaker=speaker, role=Role.interviewer if speaker == "Q" else Role.participant,
                          start=at + 3, end=at + len(line), timestamp=float(n * 10), line=n))
        at += len(line) + 1
    doc = Document(id="d1", path="/x/i.txt", kind=Kind.interview, format="txt", title="i", text=TEXT, turns=turns)
    chunks = {
        f"c{n}": Chunk(id=f"c{n}", document_id="d1", participant_id=None if t.role == Role.interviewer else "p1",
                       speaker=t.speaker, role=t.role, kind=Kind.interview, text=TEXT[t.start : t.end],
                       start=t.start, end=t.end, timestamp=t.timestamp, line=t.line)
        for n, t in enumerate(turns)
    }
    return doc, chunks


def test_a_verified_quote_is_split_out_of_its_turn_with_neighbours():
    doc, chunks = _interview()
    view = citation_view(1, Citation(chunk_id="c1", quote="I hate the delivery slots"), chunks, {"d1": doc}, ["p1"])
    assert view.citation.verdict == Verdict.verified and view.located and view.badge.tone == "ok"
    focus = next(t for t in view.turns if t.focus)
    assert (focus.before, focus.quote, focus.after) == ("Mostly online, and ", "I hate the delivery slots", ".")
    assert [t.speaker for t in view.turns] == ["Q", "A", "Q", "A"] and view.location == "00:00:20"


def test_interviewer_words_are_marked_as_a_warning_not_as_verified():
    doc, chunks = _interview()
    view = citation_view(1, Citation(chunk_id="c0", quote="How do you shop?"), chunks, {"d1": doc}, ["p1"])
    assert view.citation.verdict == Verdict.interviewer and view.badge.symbol == "!" and view.badge.tone == "warn"


def test_a_fabricated_quote_shows_the_cited_passage_unhighlighted():
    doc, chunks = _interview()
    view = citation_view(1, Citation(chunk_id="c3", quote="They vanish by Monday"), chunks, {"d1": doc}, ["p1"])
    assert not view.located and view.badge.symbol == "✗"
    focus = next(t for t in view.turns if t.focus)
    assert focus.quote == "" and focus.text == "They vanish by Tuesday."


def test_prose_without_turns_shows_a_clipped_window():
    text = "x" * 400 + " the one line that matters " + "y" * 400
    doc = Document(id="d2", path="/x/p.txt", kind=Kind.document, format="txt", text=text)
    start = text.index("the one")
    chunk = Chunk(id="c", document_id="d2", participant_id="p1", speaker="", role=Role.participant,
                  kind=Kind.document, text=text[start - 10 : start + 40], start=start - 10, end=start + 40)
    view = citation_view(1, Citation(chunk_id="c", quote="the one line that matters"), {"c": chunk}, {"d2": doc}, None)
    (focus,) = view.turns
    assert focus.quote == "the one line that matters" and focus.clipped_before and focus.clipped_after


def test_a_missing_source_has_no_context():
    view = citation_view(1, Citation(chunk_id="gone", quote="anything", verdict=Verdict.verified), {}, {}, None)
    assert view.citation.verdict == Verdict.missing_source and view.turns == [] and view.changed


def test_claim_badge_needs_a_quote_that_verifies_now():
    claim = Claim(section="goals", text="x", verdict=Verdict.supported, score=0.9)
    good = Citation(chunk_id="c", quote="q", verdict=Verdict.verified)
    bad = Citation(chunk_id="c", quote="q", verdict=Verdict.fabricated)
    assert claim_badge(claim, [good]).tone == "ok"
    assert claim_badge(claim, [bad]).label == "no verified quote"
    assert claim_badge(claim.model_copy(update={"verdict": Verdict.unverified}), [good]).symbol == "?"


def test_review_metadata_reads_like_a_review():
    doc = Document(path="r.csv", kind=Kind.review, format="csv", text="ok",
                   metadata={"row": 3, "format": "csv", "author": "Lee", "rating": 4.0, "extra": {"likes": 2}})
    assert source_metadata(doc) == [("author", "Lee"), ("rating", "4 / 5"), ("likes", "2")]


def test_an_interviewer_span_from_the_verify_stage_is_kept_only_while_it_holds():
    doc, chunks = _interview()
    start = TEXT.index("How do you shop?")
    pointed = Citation(chunk_id="c1", quote="How do you shop?", verdict=Verdict.interviewer, document_id="d1",
                       start=start, end=start + 16)
    view = citation_view(1, pointed, chunks, {"d1": doc}, ["p1"])
    assert view.citation.verdict == Verdict.interviewer and view.located and view.speaker == "Q"
    assert next(t for t in view.turns if t.focus).quote == "How do you shop?"
    # A span that no longer holds the words, or one claimed to be a participant's, falls back to the plain check.
    moved = pointed.model_copy(update={"start": start + 20, "end": start + 36})
    assert citation_view(1, moved, chunks, {"d1": doc}, ["p1"]).citation.verdict == Verdict.fabricated
    answer = TEXT.index("Mostly online")
    lying = pointed.model_copy(update={"quote": "Mostly online", "start": answer, "end": answer + 13, "chunk_id": "c3"})
    assert citation_view(1, lying, chunks, {"d1": doc}, ["p1"]).citation.verdict == Verdict.fabricated
