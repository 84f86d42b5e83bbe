"""A tiny research folder with two kinds of people (family planners, budget cooks), ingested with the fake
embedder, and keyword themes standing in for the themes stage."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from synth.ingest import ingest
from synth.records import Role, Theme, stable_id
from synth.store import Store

INTERVIEWER_LINE = "What would make the weekly plan easier for your whole family?"

FAMILY_TRANSCRIPT = f"""Priya: Thanks for joining. How do you plan dinners during the week?
Dana: Sunday night I sit down with the app and plan five dinners for the kids. Then the shared list goes to my husband.
Priya: And how does the shared list go?
Dana: The shared list is the worst part. My husband adds milk, I add milk, and the list never syncs so we buy milk twice.
Priya: {INTERVIEWER_LINE}
Dana: If the shared list synced properly with my husband. And if the kids liked anything besides pasta, my picky son eats nothing green.
"""

BUDGET_TRANSCRIPT = """Priya: Tell me about how you cook.
Theo: I cook for one on a student budget of forty dollars a week. The free tier caps me at fifty recipes.
Priya: What about Larder Plus?
Theo: Plus is too expensive for a student budget. I want a cheaper student price, honestly.
Priya: Anything else?
Theo: I waste half an onion every time because recipes are never scaled for one person on a budget.
"""

FAMILY_REVIEWS = [
    "The shared list with my partner never syncs, so we buy everything twice for the kids.",
    "Planning dinners for three kids is easier, but the shared list duplicates items with my husband.",
    "My picky kids eat nothing, the family planner helps me find dinners all the kids will eat.",
    "Shared list sync between my phone and my partner's phone breaks every week, family chaos.",
    "Family of five here: the weekly dinner plan and the shared list save my evenings with the kids.",
    "Our kids are picky and the family profiles help, but the shared list sync drops items.",
]
BUDGET_REVIEWS = [
    "Too expensive for a student budget, the free tier recipe limit is a paywall.",
    "I cook for one on a tight budget and the price of Plus is more than my weekly groceries.",
    "Student here: the subscription price is too high, give us a cheaper student budget plan.",
    "Free tier caps recipes at fifty, the paywall makes a budget cook like me leave.",
    "Recipes never scale down for one person on a budget, so I waste food and money.",
    "Cheap meals for one on a student budget, but the price of the subscription is too expensive.",
]
SCRIPT_REVIEW = 'Great app <script>alert("pwned")</script> but the shared list sync with my partner breaks for the kids.'

KEYWORD_THEMES = [
    ("Shared list sync", ["shared", "list", "sync", "syncs", "synced", "husband", "partner"]),
    ("Kids and family dinners", ["kids", "family", "picky", "dinners", "son"]),
    ("Price and paywall", ["price", "expensive", "paywall", "subscription", "free", "cheaper", "cheap"]),
    ("Cooking for one on a budget", ["budget", "student", "one", "waste", "scale", "scaled"]),
]


def research_folder(root: Path, script_review: bool = True) -> Path:
    folder = root / "research"
    (folder / "interviews").mkdir(parents=True, exist_ok=True)
    (folder / "interviews" / "dana_family.txt").write_text(FAMILY_TRANSCRIPT, encoding="utf-8")
    (folder / "interviews" / "theo_budget.txt").write_text(BUDGET_TRANSCRIPT, encoding="utf-8")
    with (folder / "reviews.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["review_id", "author", "rating", "date", "review"])
        rows = [(f"F{i}", f"family_{i}", 4, FAMILY_REVIEWS[i]) for i in range(len(FAMILY_REVIEWS))]
        rows += [(f"B{i}", f"budget_{i}", 2, BUDGET_REVIEWS[i]) for i in range(len(BUDGET_REVIEWS))]
        if script_review:
            rows.append(("X1", "mallory", 3, SCRIPT_REVIEW))
        for rid, author, rating, text in rows:
            w.writerow([rid, author, rating, "2026-01-05", text])
    return folder


def ingest_folder(root: Path, settings, script_review: bool = True) -> Path:
    folder = research_folder(root, script_review)
    report = ingest([folder], settings)
    assert report.files_ingested == 3 and not report.failed
    return folder


def keyword_themes(settings) -> list[Theme]:
    """One theme per keyword list: the participant chunks that use any of its words."""
    with Store(settings.db_path) as store:
        chunks = [c for c in store.chunks() if c.role == Role.participant and c.participant_id]
    themes = []
    for label, words in KEYWORD_THEMES:
        hits = [c for c in chunks if set(re.findall(r"[a-z']+", c.text.lower())) & set(words)]
        themes.append(Theme(
            id=stable_id("thm", label, length=12), label=label, keywords=words[:5],
            chunk_ids=[c.id for c in hits], exemplar_ids=[c.id for c in hits[:3]],
            participant_count=len({c.participant_id for c in hits}),
        ))
    return themes


def evidence_blocks(prompt: str) -> dict[int, str]:
    """Evidence number -> text, read back from a rendered draft_persona prompt."""
    blocks = re.findall(r'<evidence n="(\d+)"[^>]*>\n(.*?)\n</evidence>', prompt, re.DOTALL)
    unescape = lambda t: t.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")  # noqa: E731
    return {int(n): unescape(text) for n, text in blocks}


def judge_reply(messages) -> str:
    """A scripted judge: supports everything except claims that say they are unsupported."""
    claim = next(m["content"] for m in messages if m["role"] == "user")
    ok = "NOT BACKED" not in claim
    return json.dumps({"supported": ok, "score": 0.9 if ok else 0.1, "rationale": "scripted judge"})
