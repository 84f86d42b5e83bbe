from synth.records import Chunk, Citation, Kind, Role, Verdict
from synth.verify import locate_quote, normalize, verify_citation

TEXT = "Um, so the shared list \u2019s the worst part.  He adds milk,\nI add milk \u2014 three cartons."


def _chunk(cid="c1", role=Role.participant, pid="p1", start=100):
    return Chunk(id=cid, document_id="d1", participant_id=pid, speaker="Dana", role=role, kind=Kind.interview,
                 text=TEXT, start=start, end=start + len(TEXT))


def test_locate_exact_and_normalized_spans_point_at_the_source():
    assert locate_quote("He adds milk", TEXT) == (TEXT.index("He"), TEXT.index("He") + 12)
    span = locate_quote("He adds milk, I add milk - three cartons", TEXT)
    assert span is not None
    assert normalize(TEXT[span[0] : span[1]]) == normalize("He adds milk, I add milk - three cartons")
    assert locate_quote("list 's the worst", TEXT) is not None  # curly apostrophe vs straight
    assert locate_quote("He adds eggs", TEXT) is None
    assert locate_quote("   ", TEXT) is None


def test_verdicts():
    chunks = {"c1": _chunk(), "c2": _chunk("c2", role=Role.interviewer), "c3": _chunk("c3", pid="p9")}
    ok = verify_citation(Citation(chunk_id="c1", quote="the worst part"), chunks, {"p1"})
    assert ok.verdict == Verdict.verified and ok.document_id == "d1"
    assert TEXT[ok.start - 100 : ok.end - 100] == "the worst part"
    assert verify_citation(Citation(chunk_id="c1", quote="the best part"), chunks, {"p1"}).verdict == Verdict.fabricated
    assert verify_citation(Citation(chunk_id="c2", quote="the worst part"), chunks, {"p1"}).verdict == Verdict.interviewer
    assert verify_citation(Citation(chunk_id="c3", quote="the worst part"), chunks, {"p1"}).verdict == Verdict.out_of_segment
    assert verify_citation(Citation(chunk_id="nope", quote="x"), chunks).verdict == Verdict.missing_source


def test_reverify_keeps_an_interviewer_span_only_while_the_words_are_there():
    from synth.records import Document, Turn
    from synth.verify import reverify

    text = "Ann: How do you plan?\nBo: On Sundays, mostly."
    doc = Document(id="d1", path="/x.txt", kind=Kind.interview, format="speaker-lines", text=text, turns=[
        Turn(speaker="Ann", role=Role.interviewer, start=5, end=21),
        Turn(speaker="Bo", role=Role.participant, start=26, end=44),
    ])
    bo = Chunk(id="c1", document_id="d1", participant_id="p1", speaker="Bo", role=Role.participant,
               kind=Kind.interview, text=text[26:44], start=26, end=44)
    drafted = Citation(chunk_id="c1", quote="How do you plan?", document_id="d1", start=5, end=21,
                       verdict=Verdict.interviewer)
    assert reverify(drafted, {"c1": bo}, {"d1": doc}, {"p1"}).verdict == Verdict.interviewer
    moved = drafted.model_copy(update={"start": 26, "end": 44})  # the span no longer holds those words
    assert reverify(moved, {"c1": bo}, {"d1": doc}, {"p1"}).verdict == Verdict.fabricated
    # A stored verdict can never make words verified: a false "verified" claim is re-checked.
    forged = Citation(chunk_id="c1", quote="How do you plan?", verdict=Verdict.verified)
    assert reverify(forged, {"c1": bo}, {"d1": doc}, {"p1"}).verdict == Verdict.fabricated
