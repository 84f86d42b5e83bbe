"""Write Beacon's survey and threaded-ticket exports, with their truth (seeded: byte-identical output).

    python corpora/make_survey_ticket_exports.py                 # the two corpus files and the truth
    python corpora/make_survey_ticket_exports.py --root DIR --all-formats   # also every other layout

Also `beacon_crm/accounts.csv`, a CRM export (plan, seats, MRR, tenure, churned) of the ticket requesters and
customers, for `synth attributes` (outside `beacon/` so that ingesting the corpus does not read it as reviews).
The corpus files: `beacon/surveys/beacon_pulse_qualtrics.csv` (a Qualtrics CSV: column ids, question
texts, ImportId JSON row) and `beacon/tickets/helpdesk_conversations.json` (Intercom conversations:
`source` plus `conversation_parts`, HTML bodies, admin replies, internal notes, quoted mail and
signatures). `--all-formats` writes the same responses and tickets as Google Forms, Typeform and
SurveyMonkey CSVs, a Qualtrics .xlsx, and Zendesk, Freshdesk and Help Scout JSON and a message-per-row
CSV, for the tests of every reader. The truth (`evals/truth/beacon/surveys_threads.json`) gives each
respondent's and customer's segment (the taxonomy's S1-S5) and every sentence a customer wrote
themselves, so a test can check that no agent line, note, quote or signature became evidence.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEGMENTS = ("S1", "S2", "S3", "S4", "S5")
ROLE = {"S1": "Data / analytics", "S2": "Product management", "S3": "Founder / exec", "S4": "Engineering",
        "S5": "IT / operations"}
SIZE = {"S1": ["51-200", "201-1000"], "S2": ["51-200", "201-1000"], "S3": ["1-10", "11-50"],
        "S4": ["11-50", "51-200"], "S5": ["201-1000", "1000+"]}
FEATURES = ["SQL tab", "CSV export", "Warehouse sync", "Funnels", "Boards", "Alerts", "SDKs", "Live view",
            "SSO / SCIM", "Audit log"]
USES = {"S1": ["SQL tab", "CSV export", "Warehouse sync"], "S2": ["Funnels", "Boards", "Alerts"],
        "S3": ["Boards", "Funnels"], "S4": ["SDKs", "Live view"], "S5": ["SSO / SCIM", "Audit log", "Boards"]}
PRIORITIES = ["Data freshness", "Price per seat", "Ease of setup", "Access control"]
TOP = {"S1": "Data freshness", "S2": "Ease of setup", "S3": "Price per seat", "S4": "Data freshness",
       "S5": "Access control"}

# Open answers, written for this corpus: what each segment would say, in their own register.
CHANGE = {
    "S1": ["let me export more than 50k rows without chopping the query into date ranges",
           "the warehouse sync needs to tell me when it fails, i found out from a stakeholder last time",
           "honestly the SQL tab times out on anything over ninety days and then I'm back in Snowflake anyway",
           "show me how a metric is defined next to the number, I keep getting asked why it differs from our warehouse"],
    "S2": ["I'd make funnels easier to share with leadership, the board link keeps asking people to log in",
           "um, saved cohorts that update on their own, I rebuild the same onboarding cohort every Monday",
           "alerts that say why a metric moved and not just that it moved",
           "let me annotate a release on the chart so the spike on the checkout funnel explains itself"],
    "S3": ["the per seat price, we pay for people who open one board a month",
           "viewer seats becoming paid seats was a rough surprise on our invoice, not gonna lie",
           "setup took me a weekend of reading SDK docs, it should be an afternoon for a team our size",
           "a cheaper plan for a five person startup that still has the investor board"],
    "S4": ["the Android SDK drops events when the app goes to background, we see gaps every night",
           "a tracking plan that actually blocks bad event names instead of warning after the fact",
           "ingestion lag, live view is sometimes twenty minutes behind which makes QA slow",
           "dedupe by insert id across SDKs, our iOS and web events double count sign-ups"],
    "S5": ["SCIM deprovisioning, people we offboard in Okta keep a seat for days",
           "roles per board, right now anyone with editor can see the PII columns",
           "an audit log export we can hand to our security team without screenshots",
           "seat counts on the invoice that match what I see in the admin page, please"],
}
NEARLY_LEFT = {
    "S1": ["When the sync silently skipped a night and finance saw different numbers than my dashboard.",
           "The export cap. I wrote a script to page through the API, which works, but it shouldn't have to."],
    "S2": ["Honestly never, the funnels are the reason we bought it.",
           "When the board I present every Thursday showed stale data right before the exec meeting."],
    "S3": ["The renewal quote in January. We almost moved to the free tier of something else.",
           "When I realised I'd been paying for seats of two contractors who left."],
    "S4": ["A week of duplicate events after the React Native upgrade, nobody could trust the numbers.",
           "Not really. The docs could be better but the SDKs are fine once set up."],
    "S5": ["Security review. SSO being Enterprise only was a hard conversation with procurement.",
           "When an ex-employee still had access two weeks after leaving, that one scared me."],
}
OFF_TOPIC = ["ps your survey is a bit long", "n/a", "Love the new logo by the way.", "Sorry, typing this on my phone."]

# Ticket threads: the customer's opening, a follow-up after the agent's reply, and a closing.
ISSUE = {
    "S1": ["The CSV export stops at 50,000 rows and I need the full month for reconciliation.",
           "Last night's Snowflake sync shows success but the events table has nothing after 02:00 UTC.",
           "A SQL query over 120 days times out after 60 seconds every time, is there a way to raise that?"],
    "S2": ["My onboarding funnel shows a 40% drop at step 2 since Tuesday but nothing shipped then.",
           "Scheduled board emails to our exec list stopped arriving this week.",
           "The Slack alert for checkout conversion fired three times overnight for the same dip."],
    "S3": ["Our invoice charges 12 seats but we only have 7 people, I think viewers are being counted.",
           "Can we move from Growth down to Team without losing the investor board?",
           "I'm trying to install the JavaScript SDK myself and events don't show up in Live view."],
    "S4": ["Android SDK 4.2 drops events queued while the app is backgrounded, see attached logs.",
           "We get duplicate sign_up events from iOS and web for the same user, insert ids are set.",
           "Ingestion lag on the EU cluster is around 25 minutes today, Live view is way behind."],
    "S5": ["Users deactivated in Okta are not removed by SCIM and still hold a paid seat.",
           "How do I stop editors from seeing the email column on shared boards?",
           "We need the audit log for last quarter as a file for our SOC 2 auditor."],
}
FOLLOW_UP = {
    "S1": ["That workaround works but paging the API for every month end is a lot of glue code on my side.",
           "Ok so it was the schema change. Could the sync at least fail loudly next time?"],
    "S2": ["Thanks, the filter was the problem. Would be nice if the funnel warned me though.",
           "Still not getting the emails, checked spam too. This is the board I present on Thursdays."],
    "S3": ["Got it. Honestly for a team our size the seat minimum is the thing that hurts.",
           "That fixed it, I had the key from the old project. Took me most of the evening to find."],
    "S4": ["We're on 4.2.1 now and I still see gaps, roughly 3% of sessions.",
           "Confirmed the insert id is the same on both, so dedupe should have caught it?"],
    "S5": ["The SCIM logs show the deactivate call at 09:14 and the seat was still there at 17:00.",
           "Per-board roles would solve this properly, is that on the roadmap?"],
}
AGENT_REPLIES = ["Thanks for reaching out! I've passed this to our engineering team and will update you here.",
                 "Sorry about that. Could you share the project id and a time window so we can take a look?",
                 "Good news, this should be fixed now. Let us know if you see it again!"]
NOTES = ["Escalated to data platform, ticket linked.", "Customer on renewal next month, be careful with tone."]
SIGNATURES = ["Thanks,\n{first}\n{title} | {company}", "Best,\n{first}", "-- \n{name}\n{company}", "Sent from my iPhone"]
FIRSTS = ["Alex", "Bea", "Chidi", "Dana", "Emre", "Farah", "Goran", "Hana", "Ines", "Jonas", "Kemi", "Luca", "Mina",
          "Nils", "Oona", "Pablo", "Qi", "Rosa", "Sami", "Tove", "Umar", "Vera", "Wes", "Xin", "Yara", "Zoe"]
LASTS = ["Abebe", "Brandt", "Castillo", "Dimitrov", "Engel", "Fischer", "Gill", "Haddad", "Iqbal", "Jensen", "Kowal",
         "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov", "Quist", "Rossi", "Sato", "Tanaka"]
COMPANIES = ["Lumen Foods", "Harbor Pay", "Quillbase", "Northwind Labs", "Pico Health", "Tandem Freight", "Orbit CRM",
             "Cedar Learning"]
AGENTS = ["Priya from Beacon", "Tom (Beacon Support)"]
TITLES = {"S1": "Data Analyst", "S2": "Product Manager", "S3": "Co-founder", "S4": "Mobile Engineer",
          "S5": "IT Admin"}
QUESTIONS = {"Q1": "What is your role?", "Q2": "How many people work at your company?",
             "Q3": "Which Beacon features do you use every week?",
             "Q4": "How likely are you to recommend Beacon to a friend or colleague?",
             "Q5": "How satisfied are you with Beacon overall? (1 = very dissatisfied, 5 = very satisfied)",
             "Q6": "Please rank what matters most to you in an analytics tool",
             "Q7": "If you could change one thing about Beacon, what would it be?",
             "Q8": "Was there a moment you nearly stopped using Beacon? Tell us about it."}


def people(rng: random.Random, n: int) -> list[dict]:
    out = []
    for i in range(n):
        seg = SEGMENTS[i % len(SEGMENTS)]
        first, last = FIRSTS[i % len(FIRSTS)], LASTS[(i * 7) % len(LASTS)]
        company = COMPANIES[(i * 3) % len(COMPANIES)]
        out.append({"seg": seg, "first": first, "name": f"{first} {last}", "company": company,
                    "email": f"{first.lower()}.{last.lower()}@{company.lower().replace(' ', '')}.example",
                    "title": TITLES[seg], "id": 7100 + i})
    rng.shuffle(out)
    return out


def responses(rng: random.Random, folks: list[dict]) -> list[dict]:
    rows = []
    for i, p in enumerate(folks):
        seg = p["seg"]
        change = rng.choice(CHANGE[seg])
        if rng.random() < 0.3:
            change += " " + rng.choice(CHANGE[seg]).capitalize()
        left = rng.choice(NEARLY_LEFT[seg]) if rng.random() < 0.8 else ""
        if rng.random() < 0.12:
            left = rng.choice(OFF_TOPIC)
        used = sorted(set(USES[seg][: rng.randint(1, len(USES[seg]))] + ([rng.choice(FEATURES)] if rng.random() < 0.3 else [])),
                      key=FEATURES.index)
        nps = {"S2": 9, "S1": 7, "S4": 7, "S3": 4, "S5": 6}[seg] + rng.randint(-2, 1)
        rank = [TOP[seg]] + rng.sample([x for x in PRIORITIES if x != TOP[seg]], 3)
        rows.append({"person": p, "response_id": f"R_{rng.getrandbits(40):010x}", "role": ROLE[seg],
                     "size": rng.choice(SIZE[seg]), "features": used, "nps": max(0, min(10, nps)),
                     "csat": max(1, min(5, nps // 2)), "rank": rank, "change": change, "left": left,
                     "start": f"2026-03-{1 + i % 20:02d} {9 + i % 8:02d}:{(i * 7) % 60:02d}:00",
                     "email": p["email"] if i % 3 else ""})
    return rows


def threads(rng: random.Random, folks: list[dict]) -> list[dict]:
    out = []
    for i, p in enumerate(folks[:24]):
        for k in range(1 + (i % 4 == 0) + (i % 8 == 0)):  # some customers write twice or three times
            seg = p["seg"]
            sig = rng.choice(SIGNATURES).format(**p)
            opening = rng.choice(ISSUE[seg])
            follow = rng.choice(FOLLOW_UP[seg])
            agent = rng.choice(AGENTS)
            reply = rng.choice(AGENT_REPLIES)
            quoted = f"On Tue, Mar {3 + k}, 2026 at 10:0{k} AM {agent} <support@beacon.example> wrote:\n> {reply}"
            parts = [("admin", agent, reply), ("note", agent, rng.choice(NOTES))] if rng.random() < 0.4 else \
                [("admin", agent, reply)]
            parts.append(("user", p["name"], f"{follow}\n\n{sig}\n\n{quoted}"))
            if rng.random() < 0.5:
                parts.append(("admin", agent, "Glad that helped, closing this for now."))
            out.append({"id": str(880000 + len(out) * 17), "person": p, "subject": opening.split(",")[0][:60],
                        "opening": f"Hi there,\n\n{opening}\n\n{sig}", "own": [opening, follow], "parts": parts,
                        "created": 1772000000 + len(out) * 5400})
    return out


def _html(text: str) -> str:
    paras = html.escape(text, quote=False).split("\n\n")
    return "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paras)


def qualtrics_rows(rows: list[dict]) -> list[list[str]]:
    head = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "RecordedDate",
            "ResponseId", "RecipientEmail", "DistributionChannel", "UserLanguage", "Q1", "Q2", "Q3", "Q4", "Q5",
            "Q6_1", "Q6_2", "Q6_3", "Q6_4", "Q7", "Q8"]
    texts = ["Start Date", "End Date", "Response Type", "Progress", "Duration (in seconds)", "Finished",
             "Recorded Date", "Response ID", "Recipient Email", "Distribution Channel", "User Language",
             *[QUESTIONS[q] for q in ("Q1", "Q2", "Q3", "Q4", "Q5")],
             *[f"{QUESTIONS['Q6']} - {p}" for p in PRIORITIES], QUESTIONS["Q7"], QUESTIONS["Q8"]]
    ids = [json.dumps({"ImportId": x}) for x in ("startDate", "endDate", "status", "progress", "duration",
                                                  "finished", "recordedDate", "_recordId", "recipientEmail",
                                                  "distributionChannel", "userLanguage", "QID1", "QID2", "QID3",
                                                  "QID4", "QID5", "QID6_1", "QID6_2", "QID6_3", "QID6_4",
                                                  "QID7_TEXT", "QID8_TEXT")]
    out = [head, texts, ids]
    for r in rows:
        ranks = [str(r["rank"].index(p) + 1) for p in PRIORITIES]
        out.append([r["start"], r["start"].replace(":00", ":04", 1), "IP Address", "100", "240", "True", r["start"],
                    r["response_id"], r["email"], "email" if r["email"] else "anonymous", "EN", r["role"], r["size"],
                    ",".join(r["features"]), str(r["nps"]), str(r["csat"]), *ranks, r["change"], r["left"]])
    return out


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def intercom(tickets: list[dict]) -> bytes:
    convs = []
    for t in tickets:
        p = t["person"]
        parts = [{"type": "conversation_part", "id": f"{t['id']}{n}", "part_type": "note" if kind == "note" else "comment",
                  "body": _html(body), "created_at": t["created"] + 600 * (n + 1),
                  "author": {"type": "user" if kind == "user" else "admin", "name": name,
                             **({"email": p["email"]} if kind == "user" else {})}}
                 for n, (kind, name, body) in enumerate(t["parts"])]
        convs.append({"type": "conversation", "id": t["id"], "created_at": t["created"], "state": "closed",
                      "source": {"type": "conversation", "subject": t["subject"], "body": _html(t["opening"]),
                                 "author": {"type": "user", "id": str(p["id"]), "name": p["name"], "email": p["email"]}},
                      "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts,
                                             "total_count": len(parts)}})
    return (json.dumps({"type": "conversation.list", "conversations": convs}, indent=1) + "\n").encode()


def other_formats(rows: list[dict], tickets: list[dict]) -> dict[str, bytes]:
    """The same responses and tickets as every other tool writes them (for the tests)."""
    q = [QUESTIONS[k] for k in ("Q1", "Q2", "Q3", "Q4", "Q7", "Q8")]
    forms = [["Timestamp", "Email Address", *q]]
    forms += [[r["start"], r["email"], r["role"], r["size"], ", ".join(r["features"]), str(r["nps"]), r["change"],
               r["left"]] for r in rows]
    typeform = [["#", QUESTIONS["Q1"], *FEATURES, QUESTIONS["Q4"], QUESTIONS["Q7"], "Start Date (UTC)",
                 "Submit Date (UTC)", "Network ID"]]
    typeform += [[r["response_id"][2:], r["role"], *[f if f in r["features"] else "" for f in FEATURES], str(r["nps"]),
                  r["change"], r["start"], r["start"], "a1b2c3"] for r in rows]
    monkey = [["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", QUESTIONS["Q1"],
               QUESTIONS["Q3"], *[""] * (len(FEATURES) - 1), QUESTIONS["Q4"], QUESTIONS["Q7"]],
              ["", "", "", "", "", "", "Response", *FEATURES, "Response", "Open-Ended Response"]]
    monkey += [[str(11400000000 + i), "431", r["start"], r["start"], "203.0.113.9", r["email"], r["role"],
                *[f if f in r["features"] else "" for f in FEATURES], str(r["nps"]), r["change"]]
               for i, r in enumerate(rows)]
    zendesk = {"tickets": [{"id": int(t["id"]), "subject": t["subject"], "description": t["opening"],
                            "requester_id": t["person"]["id"], "status": "solved", "via": {"channel": "email"},
                            "requester": {"id": t["person"]["id"], "name": t["person"]["name"],
                                          "email": t["person"]["email"]},
                            "comments": [{"author_id": t["person"]["id"], "public": True, "body": t["opening"]}] + [
                                {"author_id": t["person"]["id"] if kind == "user" else 900 + len(name),
                                 "public": kind != "note", "body": body} for kind, name, body in t["parts"]]}
                           for t in tickets]}
    fresh = [{"id": int(t["id"]), "subject": t["subject"], "description_text": t["opening"],
              "requester": {"name": t["person"]["name"], "email": t["person"]["email"]},
              "conversations": [{"body_text": body, "incoming": kind == "user", "private": kind == "note",
                                 "from_email": t["person"]["email"] if kind == "user" else "support@beacon.example"}
                                for kind, name, body in t["parts"]]} for t in tickets]
    scout = [{"id": int(t["id"]), "subject": t["subject"],
              "primaryCustomer": {"first": t["person"]["first"], "last": t["person"]["name"].split()[-1],
                                  "email": t["person"]["email"]},
              "_embedded": {"threads": [{"type": "customer", "body": _html(t["opening"]),
                                         "createdBy": {"type": "customer", "email": t["person"]["email"]}}] + [
                  {"type": "customer" if kind == "user" else ("note" if kind == "note" else "message"), "body": _html(body),
                   "createdBy": {"type": "customer" if kind == "user" else "user", "first": name.split()[0],
                                 "email": t["person"]["email"] if kind == "user" else "agent@beacon.example"}}
                  for kind, name, body in t["parts"]]}} for t in tickets]
    messages = [["ticket_id", "created_at", "author_type", "author_name", "author_email", "body"]]
    for t in tickets:
        messages.append([t["id"], str(t["created"]), "customer", t["person"]["name"], t["person"]["email"], t["opening"]])
        messages += [[t["id"], str(t["created"] + 600), {"user": "customer", "note": "note"}.get(kind, "agent"), name,
                      t["person"]["email"] if kind == "user" else "", body] for kind, name, body in t["parts"]]
    dump = lambda v: (json.dumps(v, indent=1) + "\n").encode()  # noqa: E731
    return {"surveys/google_forms.csv": csv_bytes(forms), "surveys/typeform.csv": csv_bytes(typeform),
            "surveys/surveymonkey.csv": csv_bytes(monkey), "tickets/zendesk.json": dump(zendesk),
            "tickets/freshdesk.json": dump(fresh), "tickets/helpscout.json": dump(scout),
            "tickets/messages.csv": csv_bytes(messages)}


def qualtrics_xlsx(rows: list[dict], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in qualtrics_rows(rows):
        sheet.append(row)
    book.save(path)


def build(seed: int = 18) -> tuple[list[dict], list[dict], dict]:
    rng = random.Random(seed)
    folks = people(rng, 60)
    rows = responses(rng, folks)
    tickets = threads(rng, folks)
    truth = {"respondents": [{"response_id": r["response_id"], "email": r["email"], "segment": r["person"]["seg"]}
                             for r in rows],
             "customers": {t["person"]["email"]: t["person"]["seg"] for t in tickets},
             "tickets": [{"id": t["id"], "email": t["person"]["email"], "segment": t["person"]["seg"], "own": t["own"]}
                         for t in tickets]}
    return rows, tickets, truth


# A CRM export for `synth attributes`: plan, seats, monthly revenue, tenure and churn per account email, drawn
# per segment so that segments differ the way such accounts do (founders churn more, admins pay more).
CRM = {"S1": ("Growth", 25, 0.08), "S2": ("Growth", 15, 0.10), "S3": ("Team", 5, 0.35), "S4": ("Team", 12, 0.12),
       "S5": ("Enterprise", 80, 0.04)}


def crm_rows(rng: random.Random, folks: list[dict]) -> list[list[str]]:
    """Accounts of the existing ticket requesters (support_tickets.csv) and of this file's customers."""
    known = json.loads((ROOT / "evals/truth/beacon/tickets_reviews.json").read_text(encoding="utf-8"))["authors"]
    with open(ROOT / "corpora/beacon/tickets/support_tickets.csv", encoding="utf-8", newline="") as f:
        requesters = {r["Requester email"]: known.get(r["Requester"]) for r in csv.DictReader(f)}
    requesters.update({p["email"]: p["seg"] for p in folks[:24]})
    out = [["Email", "Plan", "Seats", "MRR (USD)", "Tenure (months)", "Churned"]]
    for email, seg in sorted(requesters.items()):
        if not seg or rng.random() < 0.1:
            continue  # accounts the CRM does not have
        plan, seats, churn = CRM[seg]
        n = max(1, int(rng.gauss(seats, seats / 3)))
        price = {"Team": 45, "Growth": 65, "Enterprise": 90}[plan]
        out.append([email if rng.random() > 0.2 else email.upper(), plan, str(n), str(n * price),
                    str(rng.randint(2, 40)), "yes" if rng.random() < churn else "no"])
    out.append(["former.customer@gone.example", "Team", "5", "225", "7", "yes"])  # nobody in the study
    return out


def outputs(seed: int = 18) -> dict[Path, bytes]:
    rows, tickets, truth = build(seed)
    folks = people(random.Random(seed), 60)
    return {Path("corpora/beacon_crm/accounts.csv"): csv_bytes(crm_rows(random.Random(seed + 1), folks)),Path("corpora/beacon/surveys/beacon_pulse_qualtrics.csv"): csv_bytes(qualtrics_rows(rows)),
            Path("corpora/beacon/tickets/helpdesk_conversations.json"): intercom(tickets),
            Path("evals/truth/beacon/surveys_threads.json"): (json.dumps(truth, indent=1) + "\n").encode()}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT, help="write under this folder instead of the repository")
    ap.add_argument("--all-formats", action="store_true", help="also write every other tool's layout under ROOT/formats")
    args = ap.parse_args(argv)
    for rel, data in outputs().items():
        (args.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (args.root / rel).write_bytes(data)
    if args.all_formats:
        rows, tickets, _ = build()
        for rel, data in other_formats(rows, tickets).items():
            (args.root / "formats" / rel).parent.mkdir(parents=True, exist_ok=True)
            (args.root / "formats" / rel).write_bytes(data)
        qualtrics_xlsx(rows, args.root / "formats" / "surveys" / "qualtrics.xlsx")


if __name__ == "__main__":
    main()
