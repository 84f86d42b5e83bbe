"""A generated social-listening export with realistic duplication, for the scale benchmarks and tests.

Posts are short first-person sentences about one of several topics of a generic consumer product
(setup, price, support, speed, privacy, ...), written from phrase banks. About `share_original` of
the rows are original posts; the rest repeat one: retweets ("RT @author: ..."), copy-pastes with a
link, a hashtag, other case or punctuation, campaigns (one text from many accounts) and bots (one
account posting its text again and again). Seeded: the same arguments give the same bytes.

    python evals/social_posts.py 100000 /tmp/posts.csv
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

TOPICS = {
    "setup": (["Setting it up", "The first install", "Getting started", "Onboarding"],
              ["took me most of an evening", "was confusing at every step", "asked for my password four times",
               "went fine until the pairing screen", "needed a call to support"],
              ["the instructions skip a step", "the QR code never scanned", "the app kept timing out",
               "nothing told me what to do next"]),
    "price": (["The subscription", "The new pricing", "The yearly plan", "The price increase"],
              ["is too expensive for what it does", "doubled without warning", "feels like a cash grab",
               "is fair if you use it daily"],
              ["I am cancelling next month", "the free tier is useless now", "competitors charge half",
               "I wish there was a family plan"]),
    "support": (["Customer support", "The help desk", "Their chat agent", "Support by email"],
                ["answered within ten minutes", "never replied to my ticket", "closed my case without a fix",
                 "was friendly and actually solved it"],
                ["I had to explain everything twice", "they refunded me straight away",
                 "the bot kept sending me the same article", "a real person called me back"]),
    "speed": (["The app", "The latest update", "Sync", "Search"],
              ["is painfully slow on my phone", "got much faster this week", "freezes when I open a big file",
               "drains my battery by lunchtime"],
              ["I restart it every hour", "it used to be instant", "my old laptop cannot keep up",
               "please fix the loading spinner"]),
    "privacy": (["The privacy settings", "Data sharing", "The new permissions", "Tracking"],
                ["are buried three menus deep", "make me uneasy", "changed without asking me",
                 "are finally clear and simple"],
                ["why does it need my contacts", "I turned everything off", "I want to delete my data",
                 "the export of my data worked well"]),
    "features": (["The dark mode", "Offline mode", "The widget", "Shared folders"],
                 ["is exactly what I wanted", "is missing basic options", "broke after the update",
                  "works better than I expected"],
                 ["please add scheduling", "I use it every single day", "my team loves it",
                  "it crashes when two people edit"]),
}
OPENERS = ["", "Honestly,", "Update:", "Ugh.", "Day 3:", "Not gonna lie,", "So", "PSA:", "Wow.", "Again?",
           "Quick review:", "Well,", "Fun fact:", "Heads up:", "Hmm,", "Okay so", "Real talk:", "Yikes.",
           "Small win:", "Friendly reminder:"]
CLOSERS = ["", "since Tuesday", "on my tablet", "for the third time", "after the last update", "at work",
           "every morning", "with two kids around", "on the train", "this whole week", "on my old phone",
           "right before a deadline", "over the weekend", "in the middle of a meeting", "at 2am",
           "since I switched plans", "while travelling", "on a brand new laptop", "twice today", "as usual"]
HASHTAGS = ["#fail", "#support", "#update", "#love", "#fixit", "#help"]


def _original(rng: random.Random) -> tuple[str, str]:
    topic = rng.choice(sorted(TOPICS))
    subjects, verbs, tails = TOPICS[topic]
    opener = rng.choice(OPENERS)
    subject = rng.choice(subjects)
    text = f"{opener} {subject[0].lower() + subject[1:] if opener else subject} {rng.choice(verbs)}".strip()
    if closer := rng.choice(CLOSERS):
        text += f" {closer}"
    if rng.random() < 0.8:
        text += f", {rng.choice(tails)}"
    if rng.random() < 0.3:
        text += f" and {rng.choice(tails)}"
    return text + rng.choice([".", "!", "", "..."]), topic


def _variant(text: str, rng: random.Random) -> str:
    """A copy-paste: a link, a hashtag, another case or punctuation."""
    r = rng.random()
    if r < 0.3:
        return f"{text} https://t.co/{rng.randrange(16**8):08x}"
    if r < 0.55:
        return f"{text} {rng.choice(HASHTAGS)}"
    if r < 0.75:
        return text.upper() if rng.random() < 0.3 else text.lower()
    return text.rstrip(".!") + "!!"


def generate(n: int, seed: int = 0, share_original: float = 0.35) -> list[dict]:
    """`n` posts (id, author, date, text, topic) with retweets, copy-pastes, campaigns and bots."""
    rng = random.Random(seed)
    accounts = [f"user{i}" for i in range(max(10, n // 3))]
    bots = [f"bot{i}" for i in range(max(1, n // 5000))]
    posts: list[dict] = []
    originals: list[tuple[str, str, str]] = []  # text, topic, author
    campaign = None
    for i in range(n):
        r = rng.random()
        if r < share_original or not originals:
            text, topic = _original(rng)
            author = rng.choice(accounts)
            originals.append((text, topic, author))
        elif r < share_original + 0.35:  # retweet, popular posts more often (a heavy tail)
            text0, topic, src = originals[min(len(originals) - 1, int(rng.paretovariate(1.2)) - 1)
                                          if rng.random() < 0.5 else rng.randrange(len(originals))]
            text, author = f"RT @{src}: {text0}", rng.choice(accounts)
        elif r < share_original + 0.5:
            text0, topic, _ = rng.choice(originals)
            text, author = _variant(text0, rng), rng.choice(accounts)
        elif r < share_original + 0.58:  # a campaign: the same text from many accounts
            if campaign is None or rng.random() < 0.01:
                campaign = _original(rng)
            text, topic = campaign
            author = rng.choice(accounts)
        else:  # bots repeat their own text
            bot = rng.choice(bots)
            text0, topic = _original(random.Random(f"{seed}-{bot}"))
            text, author = text0, bot
        posts.append({"id": f"p{i}", "author": author, "date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      "text": text, "topic": topic})
    return posts


def write_csv(path: Path, n: int, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "author", "date", "text", "topic"])
        w.writeheader()
        w.writerows(generate(n, seed))
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        raise SystemExit(f"usage: python evals/social_posts.py N OUT.csv\n{__doc__}")
    write_csv(Path(sys.argv[2]), int(sys.argv[1]))
    print(sys.argv[2])
