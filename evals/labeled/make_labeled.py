"""Labeled evaluation sets that the project generates itself (no downloads).

    python evals/labeled/make_labeled.py      # rewrites evals/labeled/support_tickets.jsonl

1. `support_tickets`: customer-support tickets for "Tally", a fictional banking and budgeting app,
   from 8 categories (a different kind of text from the Larder reviews: longer, problem-first,
   several sentences, with shared vocabulary across categories: "card", "app", "payment" appear in
   most of them). Written as varied templates: a context opener, one or two category details, an
   optional off-topic aside, an ask and a sign-off, with light typos. Each row: id, author, text and
   its `category` (the label).
2. `short_posts`: short social posts about "Spokes", a fictional city bike-share, from 12 topics,
   for the 100k scale run; generated in memory, never written (too big for the repository).

Both are deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
TICKETS_FILE = HERE / "support_tickets.jsonl"

CONTEXT = [
    "Hi, I've been a Tally customer for about three years.", "Hello team,", "Hi there.",
    "I run a small bakery and use Tally for everything.", "Quick question, hopefully.",
    "I'm writing on behalf of my elderly father who banks with you.", "Hey,",
    "Long time user, first time writing in.", "I'm a student and Tally is my only account.",
    "Good morning.", "Not sure if this is the right place for this but here goes.",
    "I'm travelling in Portugal at the moment.", "I freelance, so money comes in at odd times.",
    "Second time contacting you about this.", "Hi, I switched from my old bank last month.",
]

CATEGORIES: dict[str, dict[str, list[str]]] = {
    "login_access": {
        "detail": [
            "I can't log in because the verification code never arrives by text.",
            "The app keeps saying my passcode is wrong even though I'm typing it correctly.",
            "Face ID stopped working after I updated my phone, and now I'm locked out.",
            "I got a new phone and the two-factor code still goes to my old number.",
            "Every time I open the app it logs me out and asks me to verify my identity again.",
            "My account was locked after three attempts and the unlock email never came.",
            "The one-time code expires before it even reaches me.",
            "I reset my password twice today and it still won't let me sign in.",
            "The selfie verification step fails no matter how good the lighting is.",
            "I can sign in on the website but not in the app.",
            "It says my device is not trusted and there's no way to trust it.",
            "The fingerprint login option disappeared from settings.",
        ],
        "ask": [
            "How do I get back into my account?", "Please reset my login so I can get in.",
            "Can you send the code to my email instead?", "I need access today, my rent is due.",
            "Please unlock my profile.",
        ],
    },
    "card_declined": {
        "detail": [
            "My card was declined at the supermarket even though I have plenty of money in the account.",
            "Online payments keep failing at checkout with no reason given.",
            "The card works in shops but gets declined on every website.",
            "Contactless stopped working and the terminal says card not supported.",
            "My payment at the petrol station was refused twice, which was embarrassing.",
            "Apple Pay says the card can't be added to the wallet.",
            "A subscription renewal bounced and now the service is cancelled.",
            "The card is declined abroad even though I turned on travel mode.",
            "Every time I try to pay my phone bill the card is rejected.",
            "The cashier said the chip was unreadable and the swipe was declined too.",
            "I got a declined message but the money still left my balance.",
            "My new card arrived but it's declined everywhere since I activated it.",
        ],
        "ask": [
            "Why is my card being declined?", "Can you check if there's a block on my card?",
            "Please fix this so I can pay for things.", "Do I need a replacement card?",
            "Is the card faulty or is it your system?",
        ],
    },
    "transfer_delay": {
        "detail": [
            "I sent a transfer to my landlord on Monday and it still shows as pending.",
            "My salary was paid on Friday but it hasn't arrived in my account.",
            "The international transfer to my sister has been processing for a week.",
            "I moved money to my savings pot and it vanished from both balances.",
            "A payment to a friend says completed but she never received it.",
            "The instant transfer was anything but instant, three days and counting.",
            "I was told transfers land within two hours, it's been two days.",
            "My refund from an airline went out but never reached Tally.",
            "The standing order didn't go out this month and I got a late notice.",
            "I scheduled a payment for the first and it went out on the fifth.",
            "The transfer reference shows a different amount than I sent.",
            "Money from my old bank account still hasn't shown up after the switch.",
        ],
        "ask": [
            "Where is my money?", "Can you trace this payment please?",
            "When will the transfer actually arrive?", "Please chase this up, I'm out of pocket.",
            "Can you give me a transaction reference I can show the recipient?",
        ],
    },
    "fees_charges": {
        "detail": [
            "I was charged a monthly fee I never agreed to.",
            "There's a foreign exchange fee on a purchase that was supposed to be free.",
            "I got an overdraft charge even though I was only overdrawn for an hour.",
            "The ATM withdrawal fee was much higher than what your website says.",
            "You charged me twice for the premium plan this month.",
            "A late payment fee was added even though the payment left on time.",
            "My interest rate on savings dropped without any notice.",
            "The fee for the replacement card wasn't mentioned anywhere.",
            "The pricing page says the basic plan is free but I'm paying every month.",
            "I was charged for going over the free withdrawal limit, I didn't know there was one.",
            "The currency conversion rate was way worse than the real rate.",
            "There's a mysterious service charge on my statement.",
        ],
        "ask": [
            "Please refund the fee.", "Can you explain what this charge is for?",
            "I'd like this charge reversed.", "How do I avoid these fees in future?",
            "Please downgrade me so I stop paying.",
        ],
    },
    "app_performance": {
        "detail": [
            "The app crashes every time I open the statements screen.",
            "Since the latest update the app freezes on the loading spinner.",
            "It takes almost a minute for my balance to load.",
            "The app closes itself when I try to upload a receipt.",
            "Notifications arrive hours after the transaction.",
            "The dark mode makes some buttons invisible.",
            "The app drains my battery like crazy after the update.",
            "Charts on the insights page never finish loading.",
            "Tapping the payments tab does nothing at all.",
            "The app shows an old balance until I restart my phone.",
            "On my older Android phone the app is unusably slow.",
            "The widget on my home screen shows zero every morning.",
        ],
        "ask": [
            "Is there a fix coming?", "Can you look at the bug please?",
            "Should I reinstall or wait for an update?", "Please sort the app out.",
            "Is anyone else seeing this?",
        ],
    },
    "fraud_security": {
        "detail": [
            "There are three transactions on my account that I don't recognise.",
            "Someone bought things online in another country with my card details.",
            "I got a text pretending to be Tally asking for my PIN.",
            "My wallet was stolen this morning with my card in it.",
            "A direct debit from a company I've never heard of appeared this week.",
            "I think my account was hacked, the email address on it was changed.",
            "I fell for a scam call and transferred money to a safe account.",
            "There's a small test payment of one pound from a merchant I don't know.",
            "I received a new device login alert from a phone that isn't mine.",
            "My card was used at a casino website, I've never gambled.",
            "Somebody keeps trying to reset my password.",
            "A payee I didn't add appeared in my saved recipients.",
        ],
        "ask": [
            "Please freeze my card immediately.", "How do I dispute these payments?",
            "Can I get my money back?", "Please secure my account.",
            "Can you send me a new card with new details?",
        ],
    },
    "budgeting_features": {
        "detail": [
            "My grocery spending keeps getting categorised as entertainment.",
            "I'd love to be able to set a monthly budget for each category.",
            "The savings goal doesn't round up my purchases like it used to.",
            "Please let me split a transaction across two categories.",
            "The spending insights count transfers between my own pots as spending.",
            "I want a way to plan for bills that come once a year.",
            "It would help to see spending by week instead of only by month.",
            "Can you add shared budgets for couples?",
            "The budget warning notification comes after I've already overspent.",
            "I'd like to export my categories to a spreadsheet.",
            "Custom categories would make the insights actually useful.",
            "The salary sorter puts money in the wrong pots.",
        ],
        "ask": [
            "Is this on the roadmap?", "Any chance of adding this?",
            "How do I change a category?", "Would love to see this improved.",
            "Please consider this for a future update.",
        ],
    },
    "account_closure": {
        "detail": [
            "I want to close my account and move my money to another bank.",
            "I need statements for the last two years for my mortgage application.",
            "How do I download all my data before I leave?",
            "I changed my surname after getting married and need to update my account.",
            "My address has changed and the app won't let me edit it.",
            "I'd like to close the joint account I have with my ex-partner.",
            "My mother passed away and I need to close her account.",
            "The closure request I submitted last month still hasn't been processed.",
            "I need a letter confirming my account details for my employer.",
            "I want to switch from a personal to a business account.",
            "The statement PDF is missing the bank logo and my landlord won't accept it.",
            "I'd like to remove my second card holder from the account.",
        ],
        "ask": [
            "What are the steps?", "Please close it and send the balance to my new bank.",
            "Can you email me the documents?", "How long will this take?",
            "Please confirm once it's done.",
        ],
    },
}

ASIDE = [
    "Otherwise I really like the app.", "Your support chat was closed when I tried earlier.",
    "I've been on hold twice already.", "My old bank was worse, to be fair.",
    "The new logo looks great by the way.", "I recommended you to my flatmate last week.",
    "Sorry if this is a silly question.", "I already tried restarting my phone.",
]
SIGNOFF = ["Thanks.", "Thanks in advance!", "Cheers,", "Regards.", "Thank you so much.", "Speak soon.", ""]
NAMES = ["amira_k", "Ben T", "cjones", "Dolores", "ed.w", "Fatima R", "gus", "Hana", "ivan_p", "Jo", "kwabena",
         "Lea M", "marcus99", "Noor", "olu", "Priti", "quinn", "Rosa", "sam_b", "Tomasz"]
TYPOS = {"the": "teh", "receive": "recieve", "definitely": "definately", "because": "becuase", "account": "acount"}


def typo(text: str, rng: random.Random, typos: dict[str, str] = TYPOS) -> str:
    """One misspelling of a word from `typos`, where the text has one (the labelled sets' noise)."""
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if w.lower() in typos]
    if spots:
        i = rng.choice(spots)
        words[i] = typos[words[i].lower()]
    return " ".join(words)


def support_tickets(per_label: int = 100, seed: int = 7) -> list[dict]:
    """`per_label` tickets for each of 8 categories, shuffled; each has id, author, text, category."""
    rng = random.Random(seed)
    rows = []
    for label, pools in CATEGORIES.items():
        for _ in range(per_label):
            details = rng.sample(pools["detail"], 2 if rng.random() < 0.45 else 1)
            parts = [rng.choice(CONTEXT)] if rng.random() < 0.7 else []
            parts += details
            if rng.random() < 0.25:
                parts.insert(rng.randint(1, len(parts)), rng.choice(ASIDE))
            parts.append(rng.choice(pools["ask"]))
            parts.append(rng.choice(SIGNOFF))
            text = " ".join(p for p in parts if p)
            if rng.random() < 0.15:
                text = typo(text, rng)
            if rng.random() < 0.1:
                text = text.lower()
            rows.append({"author": rng.choice(NAMES) + str(rng.randint(1, 99)), "text": text, "category": label})
    rng.shuffle(rows)
    return [{"id": f"TK{n:04d}", **row} for n, row in enumerate(rows, 1)]


# Short posts for the scale run ---------------------------------------------------------------------
STATIONS = ["Canal St", "Market Square", "Riverside", "Union Station", "the library", "Elm Park", "City Hall",
            "the hospital", "Northgate", "the stadium", "Harbour Rd", "Mill Lane", "the university", "Oak Ave"]
# Each topic: (openings, endings). A post joins one of each, so a topic's posts share words across
# templates the way real posts on one subject do.
POST_TOPICS: dict[str, tuple[list[str], list[str]]] = {
    "dock_full": (["every dock at {s}", "the docking station at {s}", "the docks by {s}", "{s} dock"],
                  ["was full again, nowhere to return the bike", "had no free dock at {t}",
                   "full so I rode around looking for a dock", "never has space to dock"]),
    "no_bikes": (["the station at {s}", "the bike rack at {s}", "{s} station", "the map for {s}"],
                 ["had zero bikes available at {t}", "was empty, not a single bike", "said bikes available but none there",
                  "has been out of bikes all week"]),
    "broken_bike": (["the bike I got at {s}", "this rental bike", "half the bikes at {s}", "my bike today"],
                    ["had brakes that barely work", "had a flat tyre and a loose chain", "has broken gears and a wobbly seat",
                     "needs repairs, the chain keeps slipping"]),
    "unlock_fail": (["the app", "scanning the QR code at {s}", "the bluetooth unlock", "the unlock button"],
                    ["failed to unlock the bike again", "said unlocked but the bike stayed locked in the dock",
                     "would not release the bike and still charged me", "just spins and never unlocks"]),
    "pricing": (["the annual membership", "the per-minute price", "the monthly pass", "the student discount"],
                ["costs way too much now", "went up in price again", "is more expensive than the bus fare",
                 "is a rip-off for a 20 minute ride"]),
    "ebike_battery": (["the e-bike battery", "the electric bike I took at {s}", "the e-bike motor", "e-bikes at {s}"],
                      ["died halfway up the hill", "had 10 percent charge", "are never charged", "assist cut out on battery"]),
    "bike_lanes": (["the painted bike lane on {s}", "cycling near {s}", "the junction at {s}", "the cycle lane at {t}"],
                   ["is full of parked cars", "feels dangerous with buses passing close", "needs a protected bike lane",
                    "is terrifying with traffic"]),
    "great_ride": (["lovely ride", "a sunny ride past {s}", "cycling along the river", "the morning ride to {s}"],
                   ["was a perfect way to start the day", "made me so happy", "beats the train every time",
                    "was beautiful, love riding here"]),
    "refund_support": (["customer support", "the refund for my ride", "the help desk", "the overtime fee complaint"],
                       ["still has not replied after three weeks", "is still pending, no refund yet",
                        "charged me for a ride I never took", "sends template replies and no refund"]),
    "weather": (["the rain today", "the wind this morning", "icy roads at {t}", "the storm"],
                ["soaked me on the ride to {s}", "made riding impossible, took the bus", "kept the bikes docked",
                 "means no cycling weather today"]),
    "hygiene_helmets": (["the handlebars at {s}", "the seats on these bikes", "the basket on my bike", "the helmet box at {s}"],
                        ["are sticky and dirty", "are always wet and need cleaning", "was full of rubbish",
                         "was empty, no helmets to borrow"]),
    "commute_time": (["my commute by bike", "biking to work from {s}", "bike plus train", "my ride to the office"],
                     ["takes twenty minutes instead of forty", "is faster than driving at {t}", "saves me so much time",
                      "shaved fifteen minutes off the commute"]),
}
POST_TIMES = ["8am", "rush hour", "6pm", "midnight", "lunch", "7:30", "the weekend"]
POST_TAILS = ["", "", "", " lol", " again.", " #spokes", " 🙃", " smh", " seriously", " every single time", "!"]
POST_LEADS = ["", "", "", "ugh ", "honestly ", "PSA: ", "@spokes ", "not gonna lie, ", "so ", "update: ", "wow "]
POST_ASIDES = ["on my way home", "before work", "with my kid", "after the game", "on a tuesday", "in the morning",
               "for the third time", "last night", "today", "this week", "again", "yesterday", "on the way to lunch",
               "with friends", "after class", "at the weekend"]


def short_posts(n: int = 100_000, seed: int = 11) -> tuple[list[str], list[str]]:
    """`n` short posts and their topic labels, 12 topics in equal shares."""
    rng = random.Random(seed)
    topics = sorted(POST_TOPICS)
    texts, labels = [], []
    for i in range(n):
        topic = topics[i % len(topics)]
        openings, endings = POST_TOPICS[topic]
        body = f"{rng.choice(openings)} {rng.choice(endings)}".format(s=rng.choice(STATIONS), t=rng.choice(POST_TIMES))
        aside = f" {rng.choice(POST_ASIDES)}" if rng.random() < 0.6 else ""
        texts.append(f"{rng.choice(POST_LEADS)}{body}{aside}{rng.choice(POST_TAILS)}")
        labels.append(topic)
    return texts, labels


def main() -> None:
    rows = support_tickets()
    with TICKETS_FILE.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} tickets in {len(CATEGORIES)} categories to {TICKETS_FILE}")


if __name__ == "__main__":
    main()
