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
