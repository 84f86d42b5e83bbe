"""End to end in real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): open a
persona, expand a citation, reject a claim, reload, and see the rejection persisted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from synth.personas.store import load_personas
from synth.review.app import create_app, start_server
from synth.review.decisions import decisions_for
from synth.store import Store
from tests.test_review_workspace import PERSONA_ID, _built_workspace, claim, review_settings  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"]

if not os.environ.get("CI"):  # under CI a missing browser is a failure, not a skip
    if not CHROMIUM.exists():
        pytest.skip("needs Debian chromium: apt-get install -y chromium chromium-driver", allow_module_level=True)
    pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")

pytestmark = pytest.mark.browser


@pytest.fixture
def server(review_settings):
    srv = start_server(create_app(review_settings, port=0), "127.0.0.1", 0)
    yield srv
    srv.stop()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            yield browser.new_page(viewport={"width": 1200, "height": 900})
        finally:
            browser.close()


def test_open_expand_reject_reload(server, page, review_settings, tmp_path):
    with Store(review_settings.db_path) as store:
        persona = load_personas(store)[0]
    milk, needs = claim(persona, "frustrations"), claim(persona, "needs")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(server.url)
    page.get_by_role("link", name="Weeknight Planner").click()
    page.wait_for_url(f"**/personas/{PERSONA_ID}")
    card = page.locator(f"#claim-{milk.id}")
    mark = card.locator("mark")
    assert not mark.is_visible()  # citations start closed
    card.locator("details.citation summary").first.click()
    assert mark.is_visible() and mark.inner_text() == "He adds milk, I add milk, we end up with three cartons."
    assert "00:00:41" in card.locator(".turn.focus").inner_text()

    # The review with a <script> in it: shown as text, never run.
    script_card = page.locator(f"#claim-{needs.id}")
    script_card.locator("details.citation summary").first.click()
    assert "<script>alert('xss')</script>" in script_card.locator("mark").inner_text()

    with page.expect_navigation():
        card.get_by_role("button", name="✗ Reject").click()
    assert page.url.endswith(f"/personas/{PERSONA_ID}#claim-{milk.id}")
    page.reload()
    card = page.locator(f"#claim-{milk.id}")
    assert card.get_attribute("data-status") == "rejected"
    assert "rejected" in card.locator(".review-status").inner_text()
    assert card.get_by_role("button", name="✗ Reject").is_disabled()
    with Store(review_settings.db_path) as store:
        assert decisions_for(store, PERSONA_ID)[milk.id].status.value == "rejected"

    card.locator("details.citation summary").first.click()
    card.scroll_into_view_if_needed()
    shot = tmp_path / "review.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    print(f"screenshot: {shot}")
    assert dialogs == []
