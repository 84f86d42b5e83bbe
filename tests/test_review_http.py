"""The review web app over HTTP (Flask test client): every route, escaping, tokens, CSRF, decisions."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import types
import urllib.error
import urllib.request
from datetime import datetime

import pytest

from synth.llm import open_llm
from synth.personas.store import load_personas
from synth.records import Theme, Verdict
from synth.review.app import create_app
from synth.review.decisions import decisions_for, history_for
from synth.store import Store
from tests.test_review_workspace import (  # noqa: F401  (fixtures)
    PERSONA_ID, SCRIPT_REVIEW, _built_workspace, claim, review_settings,
)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(review_settings):
    with open_llm(review_settings.workspace, llm="offline") as judge:
        yield create_app(review_settings, llm=judge)


@pytest.fixture
def client(app):
    return app.test_client()


def _persona(settings):
    with Store(settings.db_path) as store:
        return load_personas(store)[0]


def _csrf(client) -> str:
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    return CSRF.search(page).group(1)


def _post(client, url: str, **form):
    return client.post(url, data={"csrf_token": _csrf(client), **form})


def _claim_url(persona, section: str, n: int = 0, action: str = "decision") -> str:
    return f"/personas/{persona.id}/claims/{claim(persona, section, n).id}/{action}"


# pages -----------------------------------------------------------------------------------------
def test_persona_list_shows_figures(client):
    page = client.get("/").get_data(as_text=True)
    assert "Weeknight Planner" in page and f'href="/personas/{PERSONA_ID}"' in page
    assert "3 of 5" in page  # claims supported: the fabricated and the unsupported ones do not count
    assert re.search(r'class="num">4</td>', page)  # participants in the segment
    assert "5 pending" in page


def test_persona_list_without_personas_says_what_to_run(tmp_path, monkeypatch):
    from synth.config import load_settings

    monkeypatch.chdir(tmp_path)
    settings = load_settings(tmp_path / "empty")
    Store(settings.db_path).close()  # a workspace with nothing in it
    page = create_app(settings).test_client().get("/").get_data(as_text=True)
    assert "No personas" in page and "synth personas" in page


def test_persona_page_shows_sections_claims_and_flags(client, review_settings):
    persona = _persona(review_settings)
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    for section in ("Goals", "Frustrations", "Needs", "Context"):
        assert f"<h2>{section}</h2>" in page
    for c in persona.claims:
        assert f'id="claim-{c.id}"' in page
    assert page.count("✓ verified in source") == 4
    assert page.count("✗ not found in source") == 1
    assert "✗ unsupported 0.30" in page and "✗ no verified quote" in page
    # Every highlight is a verified quote; the fabricated quote is never inside a <mark>.
    marks = re.findall(r'<mark class="tone-(\w+)">(.*?)</mark>', page, re.S)
    assert [tone for tone, _ in marks] == ["ok", "warn", "ok", "ok", "ok"]
    assert marks[1][1] == "How do you plan dinners during the week?"  # the interviewer's words: a warning
    assert page.count("! interviewer&#39;s words") == 1
    assert not any("recipe import never works" in text for _, text in marks)
    assert "[1] quote not found in source" in page and "checked now" not in page


def test_citation_opens_in_transcript_context(client, review_settings):
    persona = _persona(review_settings)
    page = client.get(_claim_url(persona, "frustrations", 0, "citations/1")).get_data(as_text=True)
    assert '<mark class="tone-ok">He adds milk, I add milk, we end up with three cartons.</mark>' in page
    assert "Honestly the shared list is the worst part. <mark" in page  # the rest of the turn around it
    assert "00:00:41" in page and "00:00:30" in page and "00:01:10" in page  # 2 turns either side
    assert "00:00:05" not in page and "00:01:20" not in page  # and no more
    assert page.count("interviewer · context") == 2
    assert '<span class="speaker">Dana</span>' in page


def test_interviewer_words_open_in_context_as_a_warning(client, review_settings):
    persona = _persona(review_settings)
    page = client.get(_claim_url(persona, "goals", 0, "citations/2")).get_data(as_text=True)
    assert '<mark class="tone-warn">How do you plan dinners during the week?</mark>' in page
    assert "not evidence for this persona" in page and "verified in source" not in page
    focus = re.search(r'<div class="turn role-(\w+) focus">', page)
    assert focus.group(1) == "interviewer"


def test_citation_of_a_review_shows_its_metadata_escaped(client, review_settings):
    persona = _persona(review_settings)
    page = client.get(_claim_url(persona, "needs", 0, "citations/1")).get_data(as_text=True)
    assert "<dt>rating</dt><dd>2 / 5</dd>" in page and "<dt>platform</dt><dd>ios</dd>" in page
    assert "<dt>author</dt><dd>Sam &lt;b&gt;K&lt;/b&gt;</dd>" in page
    assert "<b>K</b>" not in page


def test_fabricated_citation_is_flagged_and_never_highlighted(client, review_settings):
    persona = _persona(review_settings)
    page = client.get(_claim_url(persona, "frustrations", 1, "citations/1")).get_data(as_text=True)
    assert "Not found in source" in page and "the recipe import never works on my phone" in page
    assert "<mark" not in page and "verified in source" not in page


def test_a_review_containing_script_shows_as_text(client, review_settings):
    persona = _persona(review_settings)
    for url in (f"/personas/{PERSONA_ID}", _claim_url(persona, "needs", 0, "citations/1")):
        page = client.get(url).get_data(as_text=True)
        assert "<script" not in page
        assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "<script" in SCRIPT_REVIEW


def test_stale_verified_badge_is_rechecked(client, review_settings):
    """A citation stored as verified whose chunk is gone shows as missing, not verified."""
    with Store(review_settings.db_path) as store:
        cited = claim(load_personas(store)[0], "goals").citations[0].chunk_id
        store.db.execute("DELETE FROM chunks WHERE id = ?", (cited,))
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert page.count("✓ verified in source") == 3 and "✗ source missing" in page
    assert "The draft recorded this citation as “verified”" in page


def test_themes_page_without_themes_gives_a_hint(client, monkeypatch):
    page = client.get("/themes").get_data(as_text=True)  # this workspace has never run `synth themes`
    assert "No themes yet" in page and "synth themes" in page
    monkeypatch.setitem(sys.modules, "synth.themes", None)  # nor is the themes stage installed
    page = client.get("/themes").get_data(as_text=True)
    assert "No themes yet" in page and "synth themes" in page


def test_themes_page_shows_exemplar_quotes(client, review_settings, monkeypatch):
    with Store(review_settings.db_path) as store:
        chunks = store.chunks()
    script = next(c for c in chunks if "free tier" in c.text)
    milk = next(c for c in chunks if "three cartons" in c.text)
    theme = Theme(id="thm_1", label="Plans <and> lists", keywords=["list", "milk"], chunk_ids=[script.id, milk.id],
                  exemplar_ids=[milk.id, script.id], participant_count=2)
    fake = types.ModuleType("synth.themes")  # the themes stage, as `load_themes(settings)` returns its run
    fake.load_themes = lambda settings: types.SimpleNamespace(themes=[theme], stale=False)
    monkeypatch.setitem(sys.modules, "synth.themes", fake)
    page = client.get("/themes").get_data(as_text=True)
    assert "Plans &lt;and&gt; lists" in page and "He adds milk, I add milk" in page
    assert "&lt;script&gt;" in page and "<script" not in page
    assert "00:00:41" in page and "row 1" in page and "No themes yet" not in page
    fake.load_themes = lambda settings: [theme]  # a plain list works too
    assert "Plans &lt;and&gt; lists" in client.get("/themes").get_data(as_text=True)


def test_themes_page_crosses_themes_by_kind_of_statement(client, review_settings, monkeypatch):
    from synth.themes.store import ThemeStore

    with Store(review_settings.db_path) as store:
        chunks = store.chunks()
        script = next(c for c in chunks if "free tier" in c.text)
        milk = next(c for c in chunks if "three cartons" in c.text)
        ThemeStore(store.db)  # its tables
        store.db.executemany("INSERT INTO chunk_statements VALUES (?,?)", [(script.id, "problem"), (milk.id, "usage")])
        store.db.commit()
    lists = Theme(id="thm_1", label="Lists", chunk_ids=[script.id, milk.id], exemplar_ids=[script.id, milk.id],
                  participant_count=2, statements={"problem": 1, "usage": 1})
    plans = Theme(id="thm_2", label="Plans", chunk_ids=[milk.id], exemplar_ids=[milk.id], participant_count=1,
                  statements={"usage": 1})
    fake = types.ModuleType("synth.themes")
    fake.load_themes = lambda settings: types.SimpleNamespace(themes=[lists, plans], stale=False)
    monkeypatch.setitem(sys.modules, "synth.themes", fake)
    page = client.get("/themes").get_data(as_text=True)
    assert "1 problem" in page and "1 usage" in page and 'href="/themes?kind=problem"' in page
    page = client.get("/themes?kind=problem").get_data(as_text=True)
    assert "where people state a problem" in page and "Lists" in page and "Plans" not in page
    assert "free tier" in page and "three cartons" not in page  # only quotes of that kind
    assert client.get("/themes?kind=request").get_data(as_text=True).count("No theme holds a request") == 1
    assert client.get("/themes?kind=nonsense").status_code == 400


def test_unknown_ids_are_404_and_urls_never_reach_the_file_system(client, review_settings):
    persona = _persona(review_settings)
    first = persona.claims[0].id
    for url in (
        "/personas/nope", f"/personas/{PERSONA_ID}/claims/nope/citations/1",
        f"/personas/{PERSONA_ID}/claims/{first}/citations/0", f"/personas/{PERSONA_ID}/claims/{first}/citations/3",
        "/assets/nope.css", "/assets/..%2f..%2fpyproject.toml", "/assets/../app.py", "/personas/..%2f..%2fsynth.db",
        "/templates/base.html", "/static/review.css", "/nope",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"[project]" not in response.data and b"SQLite" not in response.data
    assert client.get("/assets/review.css").status_code == 200


def test_state_changes_only_through_post(client, review_settings):
    persona = _persona(review_settings)
    for action in ("decision", "edit", "note", "revert"):
        assert client.get(_claim_url(persona, "goals", 0, action)).status_code == 405
    assert client.get(f"/personas/{PERSONA_ID}/rename").status_code == 405
    assert client.post("/").status_code == 405


def test_security_headers(client):
    response = client.get(f"/personas/{PERSONA_ID}")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


# actions ---------------------------------------------------------------------------------------
def test_post_without_or_with_a_wrong_csrf_token_is_refused(client, review_settings):
    persona = _persona(review_settings)
    url = _claim_url(persona, "goals")
    client.get("/")  # a session exists, but the form does not carry its token
    assert client.post(url, data={"status": "rejected"}).status_code == 400
    assert client.post(url, data={"status": "rejected", "csrf_token": "forged"}).status_code == 400
    fresh = create_app(review_settings).test_client()  # no session at all
    assert fresh.post(url, data={"status": "rejected", "csrf_token": _csrf(client)}).status_code == 400
    cross = client.post(url, data={"status": "rejected", "csrf_token": _csrf(client)},
                        headers={"Origin": "http://evil.example"})
    assert cross.status_code == 403
    with Store(review_settings.db_path) as store:
        assert decisions_for(store, PERSONA_ID) == {}


def test_accept_reject_and_note_persist_with_a_timestamp(client, review_settings):
    persona = _persona(review_settings)
    goals, needs = claim(persona, "goals"), claim(persona, "needs")
    response = _post(client, _claim_url(persona, "goals"), status="accepted")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#claim-{goals.id}")
    assert _post(client, _claim_url(persona, "needs"), status="rejected").status_code == 303
    note = _post(client, _claim_url(persona, "needs", 0, "note"), note="free tier is <not> the point")
    assert note.status_code == 303
    assert _post(client, _claim_url(persona, "goals"), status="maybe").status_code == 400
    with Store(review_settings.db_path) as store:
        decisions = decisions_for(store, PERSONA_ID)
        history = history_for(store, PERSONA_ID)
    assert decisions[goals.id].status.value == "accepted"
    assert decisions[needs.id].status.value == "rejected" and decisions[needs.id].note == "free tier is <not> the point"
    assert datetime.fromisoformat(decisions[needs.id].decided_at.replace("Z", "+00:00")).tzinfo is not None
    assert [h.action for h in history[needs.id]] == ["reject", "note"]
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert f'id="claim-{needs.id}" data-claim-id="{needs.id}" data-status="rejected"' in page
    assert "free tier is &lt;not&gt; the point" in page
    listing = client.get("/").get_data(as_text=True)
    assert "1 accepted" in listing and "1 rejected" in listing and "3 pending" in listing
    # A fresh server (another session) sees the same decisions: they live in the workspace.
    again = create_app(review_settings).test_client().get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert 'data-status="rejected"' in again and 'data-status="accepted"' in again


def test_an_edit_is_reverified(client, review_settings):
    persona = _persona(review_settings)
    milk = claim(persona, "frustrations")
    url = _claim_url(persona, "frustrations", 0, "edit")
    assert _post(client, url, text="Ends up with three cartons of milk from the shared list.").status_code == 303
    with Store(review_settings.db_path) as store:
        edited = decisions_for(store, PERSONA_ID)[milk.id]
    assert edited.status.value == "edited" and edited.edited.verdict == Verdict.supported
    assert edited.edited.citations[0].verdict == Verdict.verified
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert "Ends up with three cartons of milk from the shared list." in page
    assert f"Drafted as: <s>{milk.text}</s>" in page and "re-verified" in page

    assert _post(client, url, text="Loves the premium subscription price.").status_code == 303
    with Store(review_settings.db_path) as store:
        edited = decisions_for(store, PERSONA_ID)[milk.id]
    assert edited.edited.verdict == Verdict.unsupported
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert "NOT supported" in page and "the quotes do not support the edited text" in page

    # An edit of a claim whose only quote is fabricated cannot come out supported.
    fake = claim(persona, "frustrations", 1)
    _post(client, _claim_url(persona, "frustrations", 1, "edit"), text="Finds recipe import unreliable on the phone!")
    with Store(review_settings.db_path) as store:
        assert decisions_for(store, PERSONA_ID)[fake.id].edited.verdict == Verdict.unsupported

    assert _post(client, _claim_url(persona, "frustrations", 0, "revert")).status_code == 303
    with Store(review_settings.db_path) as store:
        reverted = decisions_for(store, PERSONA_ID)[milk.id]
    assert reverted.status.value == "pending" and reverted.edited is None and reverted.text is None
    assert _post(client, url, text="   ").status_code == 400


def test_rename_a_persona(client, review_settings):
    response = _post(client, f"/personas/{PERSONA_ID}/rename", name="  Shift-work <Parent>  ")
    assert response.status_code == 303
    assert _persona(review_settings).name == "Shift-work <Parent>"
    page = client.get(f"/personas/{PERSONA_ID}").get_data(as_text=True)
    assert "Shift-work &lt;Parent&gt;" in page and "Renamed 1×" in page
    assert _post(client, f"/personas/{PERSONA_ID}/rename", name=" ").status_code == 400
    assert _post(client, f"/personas/{PERSONA_ID}/rename", name="x" * 81).status_code == 400


# access ----------------------------------------------------------------------------------------
def test_token_required_when_bound_off_loopback(review_settings):
    app = create_app(review_settings, host="0.0.0.0")
    token = app.config["REVIEW_TOKEN"]
    assert token and len(token) >= 24
    client = app.test_client()
    assert client.get("/").status_code == 401
    assert client.get(f"/personas/{PERSONA_ID}").status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    response = client.get(f"/personas/{PERSONA_ID}?token={token}")
    assert response.status_code == 303 and response.headers["Location"] == f"/personas/{PERSONA_ID}"
    cookie = [c for c in response.headers.getlist("Set-Cookie") if token in c][0]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get(f"/personas/{PERSONA_ID}").status_code == 200  # the cookie carries it now
    assert client.post(f"/personas/{PERSONA_ID}/rename", data={"name": "x"}).status_code == 400  # still CSRF
    other = app.test_client()
    assert other.get("/assets/review.css").status_code == 401


def test_loopback_needs_no_token_but_refuses_foreign_host_names(client, app):
    assert app.config["REVIEW_TOKEN"] is None
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert client.get("/", headers={"Host": "attacker.example:8765"}).status_code == 400  # DNS rebinding


# the command -----------------------------------------------------------------------------------
def _serve(settings, *args: str):
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "SYNTH_LLM": "offline"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "synth.cli", "review", "--port", "0", "-w", str(settings.workspace), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    line = proc.stdout.readline()
    match = re.search(r"(http://\S+)", line)
    assert match, (line, proc.stderr.read() if proc.poll() is not None else "")
    return proc, match.group(1)


def _stop(proc) -> int:
    proc.send_signal(signal.SIGINT)
    return proc.wait(timeout=20)


def test_synth_review_serves_on_loopback_and_prints_its_url(review_settings):
    proc, url = _serve(review_settings)
    try:
        assert url.startswith("http://127.0.0.1:") and "token" not in url
        with urllib.request.urlopen(url + f"personas/{PERSONA_ID}", timeout=10) as response:
            assert response.status == 200 and "Weeknight Planner" in response.read().decode()
    finally:
        assert _stop(proc) == 0


def test_synth_review_off_loopback_prints_a_token_and_requires_it(review_settings):
    proc, url = _serve(review_settings, "--host", "0.0.0.0")
    try:
        assert "?token=" in url
        bare = url.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bare, timeout=10)
        assert refused.value.code == 401
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        with browser.open(url, timeout=10) as response:  # ?token= sets the cookie, then redirects
            assert response.status == 200 and response.url == bare
            assert "Weeknight Planner" in response.read().decode()
        with browser.open(bare + f"personas/{PERSONA_ID}", timeout=10) as response:
            assert response.status == 200
    finally:
        assert _stop(proc) == 0


def test_synth_review_without_a_workspace_says_what_to_do(tmp_path):
    result = subprocess.run([sys.executable, "-m", "synth.cli", "review", "-w", str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "synth ingest" in result.stderr
