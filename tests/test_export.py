"""Export: self-contained HTML that escapes all source text and links every citation to its quote in
context; Markdown and JSON with the same numbering; flagged citations never rendered as verified."""

from __future__ import annotations

import json
import re

import pytest

from synth.export import ExportError, export_persona
from synth.llm import open_llm
from synth.personas import load_segments, verify_persona
from synth.records import Citation, Claim, Persona, Role, Verdict
from synth.store import Store
from tests.persona_fixtures import INTERVIEWER_LINE, SCRIPT_REVIEW, ingest_folder, keyword_themes


@pytest.fixture
def persona(tmp_path, fake_settings):
    """A verified persona citing the `<script>` review, a transcript turn, and four kinds of bad quotes."""
    ingest_folder(tmp_path, fake_settings)
    from synth.personas import segment_participants
    from synth.personas.store import save_personas

    segments = segment_participants(fake_settings, n=2, themes=keyword_themes(fake_settings))
    with Store(fake_settings.db_path) as store:
        chunks = [c for c in store.chunks() if c.role == Role.participant]
        script = next(c for c in chunks if "<script>" in c.text)
        segment = next(s for s in segments if script.participant_id in s.participant_ids)
        dana = next(c for c in chunks if c.speaker == "Dana" and "husband adds milk" in c.text)
        other = next(c for c in chunks if c.participant_id not in segment.participant_ids)
        draft = Persona(id="p_test", name="The <b>Bold</b> Planner", summary="Plans & shares <lists>.",
                        segment_id=segment.id, claims=[
            Claim(section="frustrations", text="Their shared list sync with the partner breaks for the kids.",
                  citations=[Citation(chunk_id=script.id, quote=SCRIPT_REVIEW.split(" but ")[0] + " but the shared list"
                                      " sync with my partner breaks for the kids.")]),
            Claim(section="behaviours", text="Their husband adds milk and the list never syncs.",
                  citations=[Citation(chunk_id=dana.id, quote="My husband adds milk, I add milk, and the list never "
                                      "syncs so we buy milk twice.")]),
            Claim(section="needs", text="Wants fewer mistakes.", citations=[
                Citation(chunk_id=dana.id, quote="I would pay anything for this."),
                Citation(chunk_id=dana.id, quote=INTERVIEWER_LINE),
                Citation(chunk_id=dana.id, quote=other.text),
                Citation(chunk_id="chk_nothing", quote="ghost words")]),
        ])
        save_personas(store, segments, [])
        with open_llm(fake_settings.workspace) as llm:
            verified = verify_persona(draft, segment, store, llm)
    return fake_settings, verified, segment


def _export(settings, persona, fmt, **kwargs) -> str:
    with Store(settings.db_path) as store:
        return export_persona(persona, store, fmt, **kwargs)


def test_html_is_self_contained_and_escapes_every_source_text(persona):
    settings, p, segment = persona
    html = _export(settings, p, "html", segment=segment)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in html
    assert "The &lt;b&gt;Bold&lt;/b&gt; Planner" in html and "Plans &amp; shares &lt;lists&gt;." in html
    assert not re.search(r'(src|href)="(https?:)?//', html) and "<link" not in html  # no external assets
    assert "<style>" in html


def test_html_links_every_citation_to_its_quote_in_context(persona):
    settings, p, _ = persona
    html = _export(settings, p, "html")
    links = re.findall(r'href="#src-(\d+)"', html)
    anchors = re.findall(r'id="src-(\d+)"', html)
    assert links and set(links) == set(anchors) and len(anchors) == 6
    # The transcript quote is highlighted inside its turn, between the interviewer's neighbouring turns.
    dana = html[html.index('id="src-2"'):html.index('id="src-3"')]
    assert "<mark>My husband adds milk, I add milk, and the list never syncs so we buy milk twice.</mark>" in dana
    assert "The shared list is the worst part. <mark>" in dana
    assert "And how does the shared list go?" in dana and INTERVIEWER_LINE in dana
    assert 'class="turn interviewer"' in dana and "line 4" in dana
    # A review shows its metadata.
    review = html[html.index('id="src-1"'):html.index('id="src-2"')]
    assert "<dt>author</dt><dd>mallory</dd>" in review and "<dt>rating</dt><dd>3</dd>" in review


def test_flagged_citations_are_never_rendered_as_verified(persona):
    settings, p, _ = persona
    needs = next(c for c in p.claims if c.section == "needs")
    assert [c.verdict for c in needs.citations] == [
        Verdict.fabricated, Verdict.interviewer, Verdict.out_of_segment, Verdict.missing_source]
    html = _export(settings, p, "html")
    for n, symbol in zip(range(3, 7), "✗!!✗", strict=True):
        assert f'href="#src-{n}"' in html
        assert re.search(rf'href="#src-{n}" title="[^"]+">\[{n}{symbol}\]', html)
    assert "✗ no verified quote" in html
    md = _export(settings, p, "md")
    assert "[3✗] [4!] [5!] [6✗]" in md and "⚠" in md
    assert "6. ✗ cited chunk does not exist" in md
    data = json.loads(_export(settings, p, "json"))
    verdicts = {s["n"]: (s["verdict"], s["marker"]) for s in data["sources"]}
    assert verdicts[3] == ("fabricated", "✗") and verdicts[4] == ("interviewer", "!")
    assert verdicts[5] == ("out_of_segment", "!") and verdicts[6] == ("missing_source", "✗")
    assert all(v[1] != "✓" for n, v in verdicts.items() if n >= 3)
    assert [c["n"] for c in data["claims"][-1]["citations"]] == [3, 4, 5, 6]


def test_markdown_escapes_and_include_narrows_claims(persona):
    settings, p, _ = persona
    md = _export(settings, p, "md")
    assert md.startswith("# The \\<b\\>Bold\\</b\\> Planner")  # a model-written name is text, not markup
    assert "&lt;script&gt;" not in md and "\\<script\\>" in md
    only = _export(settings, p, "json", include=[p.claims[1].id])
    data = json.loads(only)
    assert [c["id"] for c in data["claims"]] == [p.claims[1].id] and len(data["sources"]) == 1
    with pytest.raises(ExportError):
        _export(settings, p, "pdf")


def test_segment_is_stored_for_exports(persona):
    settings, _, segment = persona
    with Store(settings.db_path) as store:
        assert segment.id in {s.id for s in load_segments(store)}
