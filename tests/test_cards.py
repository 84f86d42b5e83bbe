"""Persona cards: the template of sections, avatars, charts, the one-page card, the gallery, PDF and CSV, and
real Chromium screenshots of the card, the gallery and the PDF's first page.

Unit tests use hand-made personas; the rest share one `synth run` of the tiny research folder (fake embedder,
offline drafter) made once for the module.
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from synth.cards.avatar import SKIN_TINTS, avatar_features, avatar_svg
from synth.cards.template import PersonaTemplate, TemplateError, fill, load_template, parse_template
from synth.cli import app
from synth.records import Claim, Persona, Prevalence
from tests.persona_fixtures import research_folder

runner = CliRunner()
CHROMIUM = Path("/usr/bin/chromium")
ISSUE_ORDER = ["who", "goals", "frustrations", "behaviours", "channels", "attitude", "technical", "needs", "quotes"]


def _persona(*claims: tuple[str, str]) -> Persona:
    return Persona(id="p_x", name="Maya, the list keeper", summary="s", segment_id="seg",
                   claims=[Claim(section=s, text=t, prevalence=Prevalence(of=10, participant_ids=["a", "b"]),
                                 support_count=2) for s, t in claims])


# Template ------------------------------------------------------------------------------------------
def test_default_template_has_the_sections_of_common_practice_in_order():
    template = load_template()
    assert [s.key for s in template.sections] == ISSUE_ORDER
    assert template.empty == "no evidence in this segment"
    assert template.home("motivations") == "attitude" and template.home("context") == "who"


def test_fill_places_each_claim_once_and_leaves_empty_sections_empty():
    persona = _persona(("goals", "Plans meals weekly."), ("motivations", "Likes the list."),
                       ("narrative", "Maya plans."), ("rituals", "Lights a candle."))
    filled = fill(persona, load_template(), {"ratings": ["Mean rating 4.0"]})
    by_key = {f.key: f for f in filled}
    assert [c.text for c in by_key["goals"].claims] == ["Plans meals weekly."]
    assert [c.text for c in by_key["attitude"].claims] == ["Likes the list."]
    assert by_key["attitude"].facts == ["Mean rating 4.0"]
    assert by_key["frustrations"].empty and not by_key["goals"].empty
    # A claim section no template section lists is never hidden: it ends up under "Other claims".
    assert filled[-1].key == "other" and [c.text for c in filled[-1].claims] == ["Lights a candle."]
    assert all(c.section != "narrative" for f in filled for c in f.claims)


def test_custom_template_reorders_merges_and_validates(tmp_path):
    text = """empty = "nothing said"
[[sections]]
key = "pains"
title = "Pains"
claims = ["frustrations", "needs"]
[[sections]]
key = "goals"
title = "Goals"
claims = ["goals"]
"""
    template = parse_template(text, "t.toml")
    filled = fill(_persona(("needs", "Wants sync."), ("frustrations", "Sync breaks.")), template)
    assert [f.key for f in filled] == ["pains", "goals"] and len(filled[0].claims) == 2 and filled[1].empty
    with pytest.raises(TemplateError, match="t.toml is not valid TOML"):
        parse_template("sections = [", "t.toml")
    with pytest.raises(TemplateError, match="unknown fact 'age'"):
        parse_template('[[sections]]\nkey="a"\ntitle="A"\nfacts=["age"]', "t.toml")
    with pytest.raises(TemplateError, match="used twice"):
        parse_template('[[sections]]\nkey="a"\ntitle="A"\n[[sections]]\nkey="a"\ntitle="B"', "t.toml")
    with pytest.raises(TemplateError, match="does not exist"):
        load_template(tmp_path / "missing.toml")


def test_template_init_writes_an_editable_copy_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "mine.toml"
    result = runner.invoke(app, ["template", "init", str(target)])
    assert result.exit_code == 0 and target.is_file()
    assert isinstance(load_template(target), PersonaTemplate)
    again = runner.invoke(app, ["template", "init", str(target)])
    assert again.exit_code == 2 and "--force" in again.output
    target.write_text("not = [toml", encoding="utf-8")
    bad = runner.invoke(app, ["template", "check", str(target)])
    assert bad.exit_code == 2 and "not valid TOML" in bad.output


# Avatar -------------------------------------------------------------------------------------------
def test_avatar_is_deterministic_varied_and_implies_no_demographics():
    assert avatar_svg("persona_a") == avatar_svg("persona_a")
    features = [avatar_features(f"persona_{i}") for i in range(24)]
    assert len({tuple(sorted(f.items())) for f in features}) == 24  # no two alike
    for f in features:
        assert f["skin_color"] in SKIN_TINTS  # non-naturalistic tints only
        assert f["top"] in ("winter_hat_3", "hat")  # plain headwear: never a hair style, ear flaps or religious headwear
    svg = avatar_svg("persona_a", "Maya")
    assert svg.lstrip().startswith("<svg") and "http" not in svg.replace("http://www.w3.org", "")


# The tiny study, run once ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("cards")
    with pytest.MonkeyPatch.context() as mp:
        for var in ("SYNTH_LLM", "SYNTH_WORKSPACE", "OPENAI_API_KEY"):
            mp.delenv(var, raising=False)
        mp.setenv("SYNTH_EMBEDDER", "fake-hash:64")
        mp.chdir(root)
        folder = research_folder(root)
        result = runner.invoke(app, ["run", str(folder), "-w", str(root / "ws"), "--out", str(root / "report")],
                               catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_report_writes_a_card_and_a_full_page_per_persona_laid_out_by_the_template(report):
    cards = sorted((report / "report" / "personas").glob("*.card.html"))
    assert len(cards) >= 2
    for card_path in cards:
        card = _read(card_path)
        page_path = card_path.with_name(card_path.name.replace(".card.html", ".html"))
        page = _read(page_path)
        for html in (card, page):
            assert "<script" not in html.lower() and not re.search(r'(src|href)="(https?:)?//', html)
            assert 'src="data:image/svg+xml;base64,' in html  # avatar and charts inline
        # The card shows every card section of the template, in order, and says so when one is empty.
        titles = re.findall(r"<h3[^>]*>([^<]+)</h3>", card)
        assert titles == ["Who they are", "Goals", "Frustrations and challenges", "Behaviours",
                          "Channels and online habits", "Attitude to the product", "Needs", "Signature quotes"]
        assert "no evidence in this segment" in page  # technical sophistication: no claim section fills it offline
        # Verification is one click away: each card item links to its claim on the page, which carries citations.
        targets = re.findall(r'href="([^"#]+)#claim-(clm_[0-9a-f]+)"', card)
        assert targets and {t for t, _ in targets} == {page_path.name}
        for _, claim_id in targets:
            item = re.search(rf'id="claim-{claim_id}".*?</(li|blockquote)>', page, re.S).group(0)
            assert re.search(r'href="#src-\d+" title="[^"]+">\[\d+[✓✗!?]\]', item)
        assert "(✓ supported" not in page  # holding claims keep their verdict in a tooltip
        # Charts: the theme profile against the whole study, and how many say each top claim.
        svgs = [base64.b64decode(m).decode() for m in re.findall(r'data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)', page)]
        text = " ".join(svgs)
        assert "this segment vs the whole study" in text and "How many say it" in text
        assert "Ratings they gave" in text  # the reviews carry ratings


def test_index_is_a_gallery_with_a_theme_by_persona_heatmap(report):
    index = _read(report / "report" / "index.html")
    minis = re.findall(r'<div class="mini" id="gallery-([^"]+)">', index)
    assert len(minis) >= 2
    heat = re.search(r'class="heatmap" src="data:image/svg\+xml;base64,([^"]+)"', index)
    svg = base64.b64decode(heat.group(1)).decode()
    assert "Themes by persona" in svg and "%" in svg
    assert 'href="eval.html"' in index and "How each persona holds up" in index


def test_export_csv_has_one_row_per_claim_with_prevalence_citations_and_review_state(report, monkeypatch):
    from synth.config import load_settings
    from synth.personas import load_personas
    from synth.review.decisions import record_decision
    from synth.store import Store

    ws = shutil.copytree(report / "ws", report / "ws_csv", dirs_exist_ok=True)
    with Store(load_settings(ws).db_path) as store:
        personas = load_personas(store)
        record_decision(store, personas[0].id, personas[0].claims[1].id, status="rejected")
    out = report / "csv"
    result = runner.invoke(app, ["export", "--all", "--format", "csv", "--review", "all", "-w", str(ws), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(_read(out / "claims.csv"))))
    assert len(rows) == sum(len(p.claims) for p in personas)
    assert {r["claim_id"] for r in rows} == {c.id for p in personas for c in p.claims}
    rejected = next(r for r in rows if r["claim_id"] == personas[0].claims[1].id)
    assert rejected["review_state"] == "rejected"
    assert {r["review_state"] for r in rows} == {"rejected", "pending"}
    counted = [r for r in rows if r["prevalence_of"]]
    assert counted and all(0 < int(r["prevalence_count"]) <= int(r["prevalence_of"]) for r in counted)
    assert all(int(r["citations_verified"]) <= int(r["citations"]) for r in rows)


def test_export_pdf_prints_the_card_then_the_page(report):
    import pypdf

    out = report / "pdf"
    result = runner.invoke(app, ["export", "1", "--format", "pdf", "--review", "ignore", "-w", str(report / "ws"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    reader = pypdf.PdfReader(pdf)
    first = reader.pages[0].extract_text().upper()  # section titles print in capitals
    assert len(reader.pages) >= 2 and "GOALS" in first and "SIGNATURE QUOTES" in first
    assert "Sources" in " ".join(p.extract_text() for p in reader.pages[1:])


def test_export_with_a_custom_template_and_a_bad_one(report, tmp_path):
    mine = tmp_path / "t.toml"
    mine.write_text('empty = "nothing here"\n[[sections]]\nkey="pains"\ntitle="Pain points"\n'
                    'claims=["frustrations"]\n[[sections]]\nkey="tech"\ntitle="Tech"\nclaims=["technical"]\n',
                    encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", "1", "-f", "card", "--template", str(mine), "--review", "ignore",
                                 "-w", str(report / "ws"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    card = _read(next(out.glob("*.card.html")))
    assert re.findall(r"<h3[^>]*>([^<]+)</h3>", card) == ["Pain points", "Tech"] and "nothing here" in card
    missing = runner.invoke(app, ["export", "1", "--template", str(tmp_path / "nope.toml"), "-w", str(report / "ws")])
    assert missing.exit_code == 2 and "nope.toml does not exist" in missing.output


# Real Chromium: screenshots of the card, the gallery and the PDF's first page --------------------------
@pytest.mark.browser
def test_chromium_screenshots_of_card_gallery_and_pdf(report, tmp_path):
    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("needs Debian chromium: apt-get install -y chromium chromium-driver")
    sync_api = pytest.importorskip("playwright.sync_api")
    card = next((report / "report" / "personas").glob("01-*.card.html"))
    pdf_dir = report / "pdf_shot"
    assert runner.invoke(app, ["export", "1", "-f", "pdf", "--review", "ignore", "-w", str(report / "ws"),
                               "-o", str(pdf_dir)]).exit_code == 0
    shots = {"persona-card.png": card.as_uri(), "report-gallery.png": (report / "report" / "index.html").as_uri(),
             "persona-pdf-page1.png": next(pdf_dir.glob("*.pdf")).as_uri()}
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run"]  # the new headless mode has the PDF viewer
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=flags, headless=False)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1300})
            for name, url in shots.items():
                requests: list[str] = []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                page.goto(url)
                page.wait_for_timeout(2500 if "pdf" in name else 200)
                page.screenshot(path=str(tmp_path / name))
                if "pdf" not in name:
                    assert not [u for u in requests if u.startswith("http")]  # nothing fetched at view time
                    imgs = page.locator("img")
                    assert imgs.count() >= 2
                    # Every picture and chart decodes and has a size: none is a broken image.
                    widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
                    assert all(w > 0 for w in widths)
                    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                    assert not overflow  # nothing sticks out sideways
        finally:
            browser.close()
    for name in shots:
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a drawn page, not a blank one
    keep = os.environ.get("SYNTH_SHOTS")  # a folder to keep the screenshots in, for people to look at
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for name in shots:
            shutil.copy(tmp_path / name, Path(keep) / name)


def test_show_fits_a_screen_by_the_template_and_full_has_every_citation(report):
    ws = str(report / "ws")
    short = runner.invoke(app, ["show", "1", "-w", ws], env={"COLUMNS": "100"})
    full = runner.invoke(app, ["show", "1", "--full", "-w", ws], env={"COLUMNS": "100"})
    assert short.exit_code == 0 and full.exit_code == 0, short.output + full.output
    assert len(short.output.splitlines()) < len(full.output.splitlines())
    assert "synth show 1 --full" in " ".join(short.output.split()) and "Sources" in full.output
    assert "no evidence in this segment:" in short.output  # empty template sections named once, not padded
    assert re.search(r"\b\d+/\d+\b", short.output)  # how many each claim speaks for
    assert "[1" in full.output and "[1" not in short.output  # citations one flag away


@pytest.mark.browser
def test_export_pdf_falls_back_to_headless_chromium(report, monkeypatch):
    import pypdf

    if not CHROMIUM.exists() and not os.environ.get("CI"):
        pytest.skip("needs Debian chromium: apt-get install -y chromium chromium-driver")
    monkeypatch.setenv("SYNTH_PDF_ENGINE", "chromium")
    monkeypatch.setenv("SYNTH_CHROMIUM", str(CHROMIUM))
    out = report / "pdf_chromium"
    result = runner.invoke(app, ["export", "2", "-f", "pdf", "--review", "ignore", "-w", str(report / "ws"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(next(out.glob("*.pdf")))
    assert len(reader.pages) >= 2 and "GOALS" in reader.pages[0].extract_text().upper()
