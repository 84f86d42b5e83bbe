#!/usr/bin/env python3
"""Generate the Beacon sample support tickets and G2-style reviews, plus their truth file.

    python corpora/make_beacon_exports.py [--root DIR]

Writes (deterministically, seeded with random.Random(11)) under DIR (default: the repository):
    corpora/beacon/tickets/support_tickets.csv   200 support tickets (Zendesk-like export, RFC-4180 CSV)
    corpora/beacon/reviews/g2_reviews.csv        200 B2B software reviews (Pros / Cons / Overall in one text column)
    evals/truth/beacon/tickets_reviews.json      segment and primary theme of every row, and each author's segment

Segments (S1-S5) and themes (T00-T13) are defined in evals/truth/beacon/taxonomy.json.
All text is composed from the hand-written pools below, written for this project: per (segment, own theme)
ticket issues and asks and review likes and dislikes, per-theme pools for the themes a segment only
touches, and per-segment self-descriptions, impact lines and review verdicts. "{slot}" is filled from the
author's context (their company, warehouse, identity provider, SDK, board...), so an author writing
twice stays consistent. The composer draws least-used lines first and rejects a row that would share
more than one full sentence with an earlier row.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKETS_CSV = Path("corpora/beacon/tickets/support_tickets.csv")
REVIEWS_CSV = Path("corpora/beacon/reviews/g2_reviews.csv")
TRUTH_JSON = Path("evals/truth/beacon/tickets_reviews.json")

SEGMENT_COUNTS = {"S1": 44, "S2": 44, "S3": 36, "S4": 40, "S5": 36}  # per export, 200 rows
OWN_THEMES = {
    "S1": ["T03", "T04", "T05", "T09"],
    "S2": ["T01", "T02", "T08", "T05"],
    "S3": ["T06", "T07", "T02", "T10"],
    "S4": ["T10", "T11", "T05", "T09"],
    "S5": ["T12", "T13", "T06"],
}
# themes a segment also raises, with weights (seat price from nearly everyone)
CROSS_THEMES = {
    "S1": {"T06": 2, "T11": 2, "T02": 1, "T01": 1},
    "S2": {"T06": 3, "T09": 2, "T07": 2, "T13": 1},
    "S3": {"T01": 2, "T05": 2, "T12": 1, "T09": 1},
    "S4": {"T08": 3, "T04": 2, "T13": 1, "T07": 1},
    "S5": {"T07": 2, "T02": 2, "T08": 1, "T09": 1},
}
SHARE_T00 = 0.08
SHARE_CROSS = 0.15


def L(block: str) -> list[str]:
    """One pool entry per non-empty line."""
    return [ln.strip() for ln in block.strip().splitlines() if ln.strip()]


def P(issue="", ask="", like="", dislike="") -> dict[str, list[str]]:
    """A (segment, theme) pool: ticket issues and asks, review likes and dislikes."""
    return {"issue": L(issue), "ask": L(ask), "like": L(like), "dislike": L(dislike)}


CORE: dict[tuple[str, str], dict[str, list[str]]] = {}

# =======================================================================================
# S1 Hands-on data analyst
# =======================================================================================
CORE["S1", "T03"] = P(
    issue="""
CSV export capped at 50k rows|Export cut off at 50,000 rows :: Our CSV export stopped at 50,000 rows again and there was no warning, I only noticed because the totals didn't add up.
SQL tab timeout|SQL query times out :: The SQL tab times out after 30 seconds on any query that covers more than about two months of raw events.
Export API 429 errors|Rate limited on export API :: The export API keeps returning HTTP 429 for us even though we only run one export job at a time.
Export API cursor expired|Export job keeps restarting :: The export API cursor expires before our job finishes paging, so the whole export restarts from page one.
Timezone in CSV export|Export timestamps in UTC :: The exported CSV has timestamps in UTC with no timezone marker, while the chart it came from is in our local time.
User-level funnel export?|Funnel export only has totals :: When I export a funnel I only get step totals, not the user-level rows I need to join with our billing data.
Saved query overwritten|Query version history? :: Someone overwrote my saved query for the {board} board and there is no version history to get the old one back.
CSV header quoting broken|Export CSV breaks our loader :: Property names with spaces come out in the CSV header with doubled quotes and break our loader.
SQL results cut at 10k rows|SQL download truncated :: The SQL tab cuts results at 10,000 rows and the download button gives me the same cut-off file.
Export failed for large cohort|Cohort export fails :: Exporting a cohort of about 180k users fails with "export failed, try a smaller range" and no other detail.
""",
    ask="""
Is there any way to raise the export cap for our workspace, even temporarily for month end?
Can you confirm the actual rate limit on the export endpoint, and whether Retry-After is always sent?
Could exports go straight to an S3 or GCS bucket instead of a browser download?
Is there a way to schedule a saved SQL query and have the result land somewhere every morning?
Can the UI show the SQL behind a chart so I can check it against my own query?
""",
    like="""
The SQL tab is genuinely good, the autocomplete knows every event and property name.
When the chart builder can't do something I drop into SQL and get my answer in a few minutes.
Raw event exports are complete, every property comes through exactly as it was sent.
The export API is well documented and the JSON it returns is clean and predictable.
I prototype a query in the SQL tab and move it to our warehouse almost unchanged.
Being able to read raw events next to the charts makes it easy to sanity check what a PM shows me.
Exporting a chart's underlying events to CSV is one click, which is handy for quick checks.
Query results in the SQL tab can be shared as a link, so I can show a PM exactly what I ran.
""",
    dislike="""
The 50,000 row cap on CSV exports is a joke for anyone doing user-level analysis.
SQL queries time out at 30 seconds, so anything longer than a couple of months has to be chunked by hand.
API rate limits are tight and the paging cursor expires if your job is slow.
Saved queries have no versioning and no scheduling.
The warning that an export was truncated is tiny grey text that everyone misses.
You can't see how a chart was computed, so I can't defend the number when it differs from mine.
There's no way to export straight to cloud storage, everything goes through a browser download.
""",
)

CORE["S1", "T04"] = P(
    issue="""
{warehouse} sync not running|Sync says healthy but no data :: Our {warehouse} sync has not loaded anything {since}, but the settings page still says "Healthy".
{warehouse} sync late again|Nightly sync very late :: The nightly sync finished at 10:40am today instead of around 5am, so our morning dashboards ran on stale data.
Sync stopped after new property|Sync broken by array property :: A new property with an array value seems to have stopped the sync for the whole events table.
Late events changing past numbers|Late-arriving events in sync :: Events that arrive late from mobile show up in {warehouse} two days later and change numbers we already reported.
Missing users in {warehouse} users table|Users table incomplete :: The users table in {warehouse} is missing roughly {pct}% of the users we see in the Beacon UI.
Sync renamed a column|Column changed in synced table :: The sync renamed a column after an engineer changed a property type, and three of our dbt models broke overnight.
Typed columns in warehouse sync?|JSON properties in {warehouse} :: Properties land as one JSON string column, which makes every query on the events table slow and expensive.
Backfill missing days|Backfill incomplete :: The backfill after last week's sync outage only covered two of the five missing days.
Duplicate rows after sync retry|Duplicates in {warehouse} :: The sync wrote duplicate rows for {since_short} after it was retried, so our event counts in {warehouse} doubled.
""",
    ask="""
Is hourly sync on the roadmap, or available on any plan today?
Can we get an email or a webhook when a sync fails or finishes late?
Could you re-run the backfill for the missing days?
Is there a way to choose which properties get flattened into typed columns?
Is there a column we can rely on to tell when each row was loaded?
""",
    like="""
The {warehouse} sync means we can finally join product events with revenue and CRM data.
Setting up the sync took about twenty minutes and the table documentation is clear.
We have never lost data in the sync, it is late sometimes but always complete.
Having raw events in our own warehouse makes Beacon part of our stack instead of a silo.
The synced schema is stable and better documented than most vendors we load.
Once the sync is running it needs almost no maintenance from us.
The synced events table is partitioned sensibly, so our queries stay cheap.
""",
    dislike="""
The sync is nightly only, so anyone who wants yesterday's numbers has to wait until tomorrow.
When the sync fails it fails silently, the status said healthy while we had no data for three days.
Properties arrive as one JSON blob, so we burn {warehouse} credits parsing them.
Warehouse sync is locked to the Growth plan, which means paying more for every seat to get it.
Late-arriving events change historical numbers and nothing flags it.
There's no freshness signal, we had to build our own check for late loads.
A renamed or retyped property quietly changes the synced columns.
""",
)

CORE["S1", "T05"] = P(
    issue="""
WAU doesn't match our warehouse|Active users definition :: Weekly active users in Beacon is about {pct}% higher than what we count in {warehouse} for the same week, and I can't explain the gap.
Funnel vs SQL mismatch|{funnel} conversion doesn't match :: The {funnel} funnel shows a different conversion rate than the same steps computed in the SQL tab.
Discrepancy between UI and export|UI vs export daily counts :: Daily counts in the UI don't match the export because the project is on UTC and our reporting is in local time.
Deduplication in UI vs export?|How is dedup done? :: It looks like the UI deduplicates some events that the export doesn't, but the docs don't say how.
Yesterday's numbers changed|Numbers changed overnight :: Yesterday's numbers changed this morning without any explanation.
Session definition|Session counts don't match :: Session counts don't match our own sessionization even with the same 30 minute timeout.
Double counted revenue|Revenue doubled on {board} :: Revenue in the {board} board is double what finance reports because order events come from both client and server.
""",
    ask="""
Can you document exactly how active users and sessions are computed?
Is there a way to see the query behind a chart?
How do you filter bot traffic, and can we see what was excluded?
Which number should I trust when the UI and the export disagree?
""",
    like="""
Once we understood the definitions, Beacon reconciles with our warehouse within a percent or two.
The Live view makes it easy to prove an event is really firing before I dig into the numbers.
Trends are consistent day to day, so I trust the direction even when the absolute number differs from our warehouse.
The docs finally explain how unique users are counted, which ended a long argument on our team.
Timezone settings per project fixed most of our day-boundary differences.
""",
    dislike="""
Numbers never quite match our warehouse and there's no way to see how a chart was computed.
Definitions of active users and sessions are a black box.
Numbers for past days change when late events arrive and nothing tells you.
Bot filtering happens somewhere and you can't see what was removed.
When the UI and the export disagree, support answers are vague.
The UI and the export disagree in small ways that take hours to explain to finance.
""",
)

CORE["S1", "T09"] = P(
    issue="""
{board} board very slow|Dashboards very slow :: The {board} board takes more than a minute to load when the date range is set to 12 months.
Query took too long on {board}|Tiles timing out :: Tiles on the {board} board show "query took too long" and only load after two or three refreshes.
Retention chart timing out :: Retention by signup week for all users times out every time I go past 8 weeks.
Breakdown by account id never loads :: Any breakdown by account id just spins until it errors out.
UI slower since last release|Everything slow since update :: The UI got noticeably slower after last week's release, even small charts take over 20 seconds.
Event picker slow :: Opening the event picker takes several seconds because our project has a few hundred events.
""",
    ask="""
Is there any caching we can turn on for boards that get opened every morning?
Are there limits on date range or breakdown size that we should know about?
Is there a status page for query performance?
""",
    like="""
Most charts come back in a couple of seconds even over a lot of data.
The query engine is fast enough for exploring on normal date ranges.
Switching between breakdowns is quick, so I can poke around without waiting.
Cached boards open instantly in the morning.
""",
    dislike="""
Long date ranges are painfully slow, a 12 month board can take a minute.
Retention charts time out on large cohorts.
Boards load tile by tile and half of them error out on a busy Monday morning.
Breakdowns on high-cardinality properties never finish.
Performance dips at the start of every week when everyone opens their boards.
""",
)

# =======================================================================================
# S2 Self-serve product manager
# =======================================================================================
CORE["S2", "T01"] = P(
    issue="""
Funnel conversion window question|Conversion window default :: The {funnel} funnel defaulted to a 1 day conversion window and nobody on my team noticed, so we reported a terrible conversion rate.
Funnel breakdown shows (none) for many users :: Breaking a funnel down by our experiment flag shows "(none)" for about a third of users, the ones who started before the flag existed.
Funnel with steps by different users? :: I can't build a funnel where one step is done by a different user, like a teammate accepting an invite.
Paths chart - need a simpler view|What did users do after dropping off? :: The paths chart is unreadable after three steps, I just need a list of what people did after dropping off.
Cohort size keeps changing|Freeze a cohort? :: Our experiment cohort was dynamic, so the group I built last week has a different size today.
Duplicated funnel loses steps|Bug when duplicating funnel :: When I duplicate a funnel, steps that use "any of these events" come back as a single event.
Retention vs funnel numbers differ :: The retention chart and the funnel give different numbers for the same first step and I don't know why.
Breakdown limited to top 10|Funnel breakdown 'Other' :: Funnel breakdown by plan only shows the top 10 plans and lumps everything else into "Other".
""",
    ask="""
Could the conversion window be shown on the chart itself?
Is there a way to freeze a cohort as of a date for an experiment readout?
Can I see the top things users did after dropping off at a step, as a plain list?
Can a funnel count by account instead of by user?
""",
    like="""
I can build a funnel in five minutes that used to be a two-week request to the data team.
Breakdowns by user property make experiment readouts really easy.
The cohort builder is intuitive and saving cohorts for reuse is great.
Retention by signup week is the most useful chart in our company.
Clicking a drop-off step to see exactly who left is brilliant.
I test more ideas now because measuring them is cheap.
The funnel comparison between two date ranges made our launch review a ten minute conversation.
Group analytics let us count conversion by account instead of by user, which is how we sell.
""",
    dislike="""
Conversion window settings are hidden and the default is rarely what you want.
The paths chart turns into spaghetti after a few steps.
There's no way to freeze a cohort for an experiment.
Funnels can't handle steps done by a different user without engineering help.
It tells me where people drop off but never why.
Breakdowns show "(none)" for anyone who didn't have the property at the time, which confuses every readout.
""",
)

CORE["S2", "T02"] = P(
    issue="""
Scheduled report cut off|{board} email legends missing :: The scheduled email of the {board} board arrives as images with the legends cut off.
Read-only link for execs?|CEO can't open board :: Our CEO can't open a shared board link without a paid seat since the January plan change.
Board filter not applying to all tiles :: A board filter only applies to half the tiles because our older charts use a different property name.
PDF export of board broken|PDF cuts charts in half :: The PDF export of the {board} board cuts the retention chart in half.
Deleted board - can it be restored?|Restore deleted board :: Someone deleted our shared {board} board and I can't find a way to restore it.
Chart annotations?|Notes on charts :: I can't add a note to a chart to explain a holiday dip, so I keep the notes in a separate doc.
Scheduled report timezone|Report arrives at 1am :: The scheduled report goes out at 1am because it uses UTC, and there's no setting for our timezone.
""",
    ask="""
Is there a read-only link for people who don't have a seat?
Can scheduled reports send the numbers as text instead of images?
Is there any way to restore a deleted board?
Can I annotate a chart with a date and a short note?
""",
    like="""
Building a board for our weekly review took one afternoon and it basically maintains itself.
Boards are easy to share with the team and everyone sees the same numbers.
Scheduled board emails get leadership the numbers without them logging in.
Board filters let one board work for every squad.
Our exec review runs off one board, and nobody asks for a slide deck anymore.
Duplicating a board for a new squad takes seconds.
""",
    dislike="""
Sharing with anyone outside the tool means screenshots.
Scheduled reports are just images and nobody clicks through.
There are no annotations on charts.
Board filters silently skip tiles that use a different property.
PDF exports of boards cut charts in half.
There's no way to give the CEO a view-only link without paying for a seat.
""",
)

CORE["S2", "T08"] = P(
    issue="""
Alert firing every weekend|Weekend alerts :: Our signups alert fires every Saturday and Sunday because it compares to the previous day.
Alert on tiny volume at 2am|Minimum volume for alerts? :: An alert on the {funnel} funnel fired at 2am on tiny volume and woke up our on-call PM.
Alert didn't fire during outage :: The checkout conversion alert did not fire during a real outage last week.
Slack alerts should link to chart :: Slack alert messages don't link to the chart, they only show the alert name.
Alerts to a single person? :: I can't send an alert to one person, only to a whole channel.
Slack alerts stopped posting :: Alerts stopped posting to Slack after someone reinstalled the Slack app, with no error anywhere.
""",
    ask="""
Can alerts compare to the same day last week instead of the day before?
Is there a minimum volume setting so alerts ignore tiny numbers?
Is anomaly detection available on our plan?
Can alerts have quiet hours?
""",
    like="""
A Slack alert caught a payment outage before the support tickets started coming in.
Setting up an alert on any chart takes a few clicks.
Alerts going straight to Slack is really convenient.
Alerts on funnel conversion mean I don't have to check the board every morning.
Alert history shows when each alert fired, which helps in incident reviews.
""",
    dislike="""
Alerts are so noisy our team muted the channel.
Threshold alerts don't understand weekends.
Smart anomaly alerts are Enterprise only.
Alerts can only go to a channel, so everyone assumes someone else will look.
There are no quiet hours, so alerts fire at 2am on tiny numbers.
""",
)

CORE["S2", "T05"] = P(
    issue="""
Two boards, two signup numbers|Which signup number is right? :: My board and the marketing board show different signup numbers because they are built on different events.
WAU differs from warehouse|Active users definition :: Our analyst's weekly active users from the warehouse is {pct}% lower than Beacon's, and we spent a whole meeting arguing about it.
Which signup event is correct? :: There are three events that look like signup and I'm not sure which one the {funnel} funnel should use.
Chart went to zero after rename|Old event name :: A chart built on our old event name slowly went to zero and leadership thought usage had collapsed.
Two funnels on different boards :: Our two "signup to activation" funnels on different boards disagree by about {pct}% for the same dates.
Deleted event still on charts?|Old event on charts :: We stopped sending "Signup Complete" in November but half the charts on the {board} board still use it.
Active users changed? :: Our active users jumped overnight after someone edited the custom "Active user" definition, and nobody knew who changed it.
""",
    ask="""
Can we define a metric once and reuse it on every board?
Can event descriptions show up in the event picker?
Which of these events is the one we should be using?
Is there a history of who changed a saved metric and when?
""",
    like="""
A custom metric definition finally let us agree on one "active user".
Event descriptions, when we fill them in, help the rest of the team pick the right event.
Saved metrics mean the whole team uses the same definition of conversion.
When numbers look odd, the Live view lets me check an event myself before bothering engineering.
Verified events in the picker steer people toward the right data.
""",
    dislike="""
The same metric gets defined differently on different boards and there's no single source of truth.
There are too many look-alike events and new people pick the wrong one.
Renamed events leave old charts slowly going to zero, and nobody notices until a leadership meeting.
Our analyst and I regularly get different numbers for the same question.
Nothing tells you that two boards define the same metric differently.
""",
)

# =======================================================================================
# S3 Cost-watching startup founder
# =======================================================================================
CORE["S3", "T06"] = P(
    issue="""
Overage charge on latest invoice|Overage after a bug - credit? :: We were billed ${overage} in overage this month because one event fired in a loop after a bad release.
Usage warning went to billing inbox|Overage - no warning :: The 80% usage warning went to our billing inbox and nobody saw it until the invoice arrived.
Question about viewer seat pricing|Viewers billed as full seats :: Since January the two support people who only look at one board are billed as full seats.
Seat minimum on Team plan :: The Team plan has a five seat minimum, we're {team} people and pay for seats nobody uses.
Plan limits / free tier data hidden|Data hidden after limit :: Our charts stopped showing data after we crossed the free plan's 1M events on our best month ever.
Upgrade to Growth just for sync?|Sync as an add-on? :: Moving to Growth just to get the warehouse sync more than tripled our bill.
Charged for too many seats|Seat count on invoice :: Our card was charged for {seats} seats but we only have {seats_used} people in the workspace.
""",
    ask="""
Is there a hard cap option so ingestion stops instead of billing overage?
Can we get a credit for the overage, it was caused by a bug on our side that we fixed within a day?
Do you have a startup program or discount?
Can we buy the warehouse sync as an add-on without upgrading every seat?
Can viewers be free again, or at least cheaper?
""",
    like="""
The free plan was generous enough to get us started.
For what it does, the Team plan is fair value.
Support gave us a partial credit after a bug blew up our event volume, which we appreciated.
Pricing is published on the website, no sales call needed to get started.
Monthly billing let us start small without a long contract.
""",
    dislike="""
Seat pricing punishes small teams, a viewer costs the same as a power user.
Overage bills are unpredictable and there's no hard cap.
The jump from Team to Growth is huge for a small company.
The free plan hides your own data once you go over the limit.
Analytics now costs us more than our servers.
Usage warnings go to the billing contact only, so nobody sees them in time.
""",
)

CORE["S3", "T07"] = P(
    issue="""
Getting started - what to track?|What should we track? :: I've installed the SDK but I honestly don't know which events we should track first.
Still no board we trust|Help getting set up :: Setup took a day, but three weeks later I still don't have a board I trust.
Help with identify / duplicate users :: The docs on identify and merging anonymous users assume you already understand it, and our user count doubled.
Default home page for new users?|Onboarding new team members :: New hires open Beacon and see an empty home page, and there's no way to pin the boards that matter.
Helping non-analysts pick the right event|Training for our team :: Our sales lead built a chart on page views instead of our activation event and presented it to the team.
Templates for SaaS?|First steps :: I opened Beacon for the first time and the default chart was total events, which tells me nothing.
""",
    ask="""
Do you have templates for a B2B SaaS or a subscription app?
Is there a checklist for setting up tracking correctly?
Can we set a default home page for the workspace?
Do you offer an onboarding call for small teams?
""",
    like="""
Install took fifteen minutes and we saw live events straight away.
The onboarding funnel we built in week one paid for Beacon for the year.
Support walked me through identify on a call and it finally made sense.
The community forum answered my question faster than the docs did.
The Slack community is friendly and fast when you're stuck.
The sample board for subscription apps got us to a useful view in an afternoon.
""",
    dislike="""
After setup you get a blank page, no templates and no guidance.
The docs assume you already have a data team.
The learning curve is steep for non-technical teammates.
It took us about a month to get to a board we trusted.
The default chart for a new project is total events, which tells you nothing.
""",
)

CORE["S3", "T02"] = P(
    issue="""
Sharing a board with investors|Read-only investor link? :: I want to send our investors a read-only link to one board without buying them seats.
Board slow to load|All-hands board slow :: The board I open at our all-hands takes over 20 seconds to load while everyone watches.
Stripe revenue in Beacon?|Revenue data :: Revenue isn't in Beacon, so my investor board is half Beacon and half spreadsheet.
PNG export blurry :: The PNG download of a board is blurry when I paste it into our investor update.
Embed a chart in Notion? :: I'd like to embed our activation chart in our Notion wiki so the team sees it without logging in.
Board looks different for my cofounder :: My co-founder sees different numbers on the same board, I think because of a saved filter on his side.
Board for all-hands :: I need one board that the whole company can look at during all-hands, and half of them don't have seats.
""",
    ask="""
Is there a public snapshot link for a single board?
Can I embed one chart in our Notion wiki?
Can a board be made visible to the whole company without seats?
""",
    like="""
Our monthly investor update is built straight from one Beacon board.
The activation board is the first thing we open at every all-hands.
Boards look clean enough to put in front of investors as they are.
I can build a board for our board meeting in an hour without asking anyone.
Boards are easy enough that our sales lead built one for his pipeline reviews.
The retention board is the one chart I show every investor.
""",
    dislike="""
There's no public or investor link without a paid seat, so it's screenshots.
You can't bring in revenue from Stripe without engineering work.
Boards take a while to load when you're presenting them live.
There's no way to embed a chart in our wiki or investor updates.
Screenshots of boards are the only way to share them outside the company.
""",
)

CORE["S3", "T10"] = P(
    issue="""
Events firing twice in Next.js|Double events :: Events are firing twice in our Next.js app, once on the server render and once in the browser.
User count doubled after RN SDK|Where to call identify? :: After adding the React Native SDK our user count roughly doubled, I think identify is in the wrong place.
JS SDK blocked by ad blockers :: Ad blockers are stopping the JS SDK for a big share of our users, who are mostly developers.
Go SDK?|HTTP API batch example :: There's no Go SDK and the HTTP API docs don't have an example of sending a batch.
Which SDK for Flutter? :: We're moving our app to Flutter and I can't tell whether the Flutter SDK is official or community maintained.
Events missing from Safari :: A lot of our events from Safari users are missing, I suspect tracking prevention.
Backend events via HTTP API :: Our backend events sent through the HTTP API show up with the wrong user, I think because I'm not sending the device id.
""",
    ask="""
Where exactly should identify be called after signup?
Is there a recommended proxy setup to get around ad blockers?
Is there an example of a minimal, correct setup for a small web app?
""",
    like="""
The JS SDK install took fifteen minutes.
The HTTP API let us send backend events from a language without an SDK.
I instrumented our whole web app myself over a weekend.
The quickstart for the JS SDK is genuinely good.
The Live view showed our first events within seconds, which was very reassuring.
""",
    dislike="""
The identify and alias docs are confusing for first-timers.
No SDK for Go.
Ad blockers eat a big share of browser events and the proxy setup isn't beginner friendly.
Events firing twice in server-rendered apps is a common trap and the docs barely mention it.
It's easy to get identify wrong and double your user count without noticing.
""",
)

# =======================================================================================
# S4 Instrumentation engineer
# =======================================================================================
CORE["S4", "T10"] = P(
    issue="""
Timestamps wrong for offline events|{sdk} SDK offline timestamps :: After upgrading the {sdk} SDK, events queued while offline are sent with the send time instead of the event time.
iOS SDK losing events|Events lost when app killed :: The iOS SDK loses queued events when the app is killed in the background.
Duplicate events from Android SDK :: The Android SDK retries a batch after a timeout even when the first request succeeded, so we get duplicates.
JS SDK bundle size :: The JS SDK adds about 40 kB gzipped to our bundle, more than the rest of our analytics combined.
Device ids reset after SDK migration :: Migrating from the React Native SDK to the native SDKs reset device ids, so every updated user showed up as new.
Proxy setup 403 behind CDN|Ad blocker proxy not working :: The proxy guide for ad blockers doesn't work behind our CDN, requests get a 403.
SDK retry behaviour on 429 :: The server-side SDK gives up after three fast retries when the ingestion API returns 429.
{sdk} SDK {sdk_version} ignores flush interval :: Since {sdk} SDK {sdk_version} the flush interval seems to ignore our config and sends every event on its own.
""",
    ask="""
Does the Android SDK set an insert id automatically for deduplication?
Is the persistent queue on by default in the older SDK versions?
Can you share recommended retry and backoff settings for high volume?
Is there a changelog entry for the timestamp change?
""",
    like="""
The server-side SDKs are simple and reliable.
There's an SDK for every platform we ship on.
Batching and the offline queue work well in the latest versions.
The Live view makes debugging instrumentation easy.
The SDKs are open source, so we can read exactly what they do.
The HTTP API is a sensible fallback for languages without an SDK.
""",
    dislike="""
Mobile SDK edge cases like offline queues and killed apps are documented in GitHub issues, not in the docs.
Important defaults like the persistent queue are off.
The JS SDK bundle is heavy.
A mobile SDK fix takes months to reach all our users, so SDK bugs live a long time.
SDK migrations between platforms reset device ids unless you find the right GitHub issue.
""",
)

CORE["S4", "T11"] = P(
    issue="""
Test events in picker|Delete test event :: Someone sent "test_event_do_not_use" from a laptop and now it shows up in the event picker for everyone.
Merge duplicate event names :: We have "Sign Up", "signup_completed" and "signUp" for the same action and need them merged.
Schema violations API :: The schema page reports over 300 violations but there's no way to get them through an API or a webhook.
Property type change broke charts :: A property changed from a number to a string in our last release, and charts using it went blank with no error.
Hide events in bulk :: Hiding dead events has to be done one at a time, and we have about forty of them.
Blocked events still billed? :: Events we marked as blocked in the schema still count toward our event volume.
""",
    ask="""
Can we manage the tracking plan through an API from our repo?
Can unknown events be blocked or quarantined at ingestion?
Is there a way to merge two events, both going forward and for history?
Can we get a webhook when a schema violation happens?
""",
    like="""
The schema view shows which events are expected and flags the unexpected ones.
Event descriptions and owners make the catalog usable for the whole company.
Being able to hide dead events cleans up the picker for PMs.
Marking events as verified helps PMs find the right one.
Property types are shown in the catalog, which catches mistakes in review.
""",
    dislike="""
The tracking plan lives only in the UI, with no API or CI integration.
Beacon accepts any event you send it, there's no enforcement.
Type changes on properties break charts silently.
Unknown events go straight to production and stay there forever.
You can't manage the schema from code, so it drifts from our tracking plan.
""",
)

CORE["S4", "T05"] = P(
    issue="""
Server events outnumber client events :: Server-side purchase events outnumber the client-side checkout events that come before them, which should be impossible.
Insert id dedup not working|Duplicate events :: Duplicate events with the same insert id are still counted twice in charts.
Event counts dropped after release :: Event counts dropped {pct}% after our release, and we can't tell whether it's tracking or real users.
Android vs iOS counts :: The same event has about 20% more occurrences per user on Android than on iOS, with no reason on our side.
Events with future timestamps :: We're seeing events dated several days in the future, from devices with wrong clocks, and they skew our daily charts.
Client vs server revenue :: Our order event is sent from both the app and the server, and charts double count unless you filter by source.
Dropped events? :: Our pipeline sent about {pct}% more events yesterday than Beacon shows, and there's no rejection report to check.
""",
    ask="""
How does deduplication on insert_id work, and over what time window?
Is there a way to see events that ingestion dropped or rejected?
Can we see how many events were dropped or rejected, per event name?
""",
    like="""
Once the events are in, counts match our own pipeline almost exactly.
Insert id deduplication fixed our retry duplicates once we set it.
Counts from our server events line up with our database almost to the event.
Insert id deduplication works well when you send it consistently.
The raw event view made it easy to prove a duplicate bug was ours.
""",
    dislike="""
Nothing in the product tells you when data looks wrong, it's all on the engineers.
Duplicates from retries are hard to spot until an analyst complains.
There's no ingestion report showing what was dropped or rejected.
Client and server versions of the same event are easy to double count.
A broken release shows up as a product problem, not a data problem, until someone digs in.
""",
)

CORE["S4", "T09"] = P(
    issue="""
Live view delay :: The Live view takes several minutes to show test events, so we end up firing duplicates while we wait.
Ingestion lag :: Ingestion lag on the first of the month goes up to an hour for us.
No data right after release|Data delayed :: Charts show nothing for the last 30 minutes after a release and our PMs panic.
Live view freezes :: The Live view freezes the tab when we filter on a high-volume event.
Data delayed after deploy :: After every deploy our PMs check the launch board and see an empty last hour, because ingestion runs 20 to 40 minutes behind.
Ingestion status page? :: Your status page says all systems operational while our events are over an hour late.
Live view missing events :: The Live view sometimes never shows an event that does turn up in charts later, which makes debugging guesswork.
""",
    ask="""
Is there a status page that covers ingestion lag?
Could charts show a "data delayed" banner when ingestion is behind?
What is the normal ingestion delay we should expect, and is there an SLA?
""",
    like="""
Events usually show up in charts within a couple of minutes.
The Live view is fast enough for debugging most of the time.
Ingestion keeps up with our peak traffic almost all of the time.
Test events from a device show up in seconds on a good day.
Charts update quickly enough to watch a release roll out.
""",
    dislike="""
Ingestion lag spikes during peak days with no warning.
The Live view is slow exactly when you need it during a release.
There's no banner when data is delayed, so people assume the release broke something.
Ingestion status isn't on the public status page.
Live view search is slow on busy projects.
""",
)

# =======================================================================================
# S5 Workspace admin and ops owner
# =======================================================================================
CORE["S5", "T12"] = P(
    issue="""
SCIM deprovisioning not removing users :: Users deactivated in {idp} stay active in Beacon and keep using a paid seat.
SCIM group push doesn't set role :: SCIM group push from {idp} creates the user but doesn't set their role or projects.
SAML login failing after cert rotation|URGENT - nobody can log in :: After we rotated our SAML certificate nobody could log in, the error was "SAML response signature invalid".
Default role for JIT users :: Just-in-time provisioning gives new users the member role, and we need the default to be viewer.
SSO on our plan? :: SSO is only available on Enterprise, and our security policy requires it for every app.
Offboarded user's boards :: When I remove someone who left, all of their boards land in my personal space.
Duplicate accounts via {idp} :: Users who log in through {idp} get a second account if their email case differs from the invited one.
""",
    ask="""
Can SCIM deactivation remove the user and free the seat?
Can we change the default role for just-in-time users?
Can we choose who inherits a removed user's boards?
Can you check the SAML configuration on your side for our workspace?
""",
    like="""
SAML setup with {idp} took about twenty minutes.
Once SSO is on, logins just work.
Just-in-time provisioning means I don't have to invite people one by one.
The Okta and Azure AD integrations are listed in the app catalogs, which made setup easy.
Enforcing SSO for everyone was one toggle.
""",
    dislike="""
SSO is Enterprise only, which feels like a tax on security.
SCIM only does half the job, deprovisioning doesn't free the seat.
Group push doesn't map to roles.
Offboarding leaves the user's boards in the admin's personal space.
New users come in as members by default and I can't change that.
Certificate rotation broke logins for the whole company for an hour.
""",
)

CORE["S5", "T13"] = P(
    issue="""
Project level permissions :: Every member can see every project, including the one with raw events our customer success team shouldn't access.
Delete PII property from history :: We need to delete a property that contained email addresses from all historical events.
Audit log export / API :: The audit log can only be downloaded as a CSV by hand, and our auditors want it in our SIEM.
Who can delete shared boards|Restore a deleted board :: A member deleted a shared board thinking it was their own copy, and there is no restore.
Agency access to one board :: We need to give an outside agency access to one board without exposing the whole project.
Old API key still active :: A former contractor's API key still works and I can't see who created it.
""",
    ask="""
Can roles be scoped per project and mapped to {idp} groups?
Is there an API for the audit log?
Can deleting shared boards be limited to their owner?
How long does a property deletion take, and do we get confirmation when it's done?
""",
    like="""
The audit log covers logins, role changes and exports.
Roles are simple to understand.
Support handled our PII deletion request carefully and kept us updated.
Exporting the member list for access reviews is quick.
API keys can be scoped per project.
Deleting a user's data on request works, even if it's slow.
""",
    dislike="""
Roles are workspace wide, there are no project or property level permissions.
Deleting personal data is a support ticket, not a button.
There's no recycle bin for boards.
The audit log can't be streamed to a SIEM, it's a manual CSV download.
There's no way to share one board with an outside agency safely.
Anyone with the member role can delete shared boards.
""",
)

CORE["S5", "T06"] = P(
    issue="""
Billing - seats for people who left|True-up invoice question :: Our quarterly true-up billed us for {seats_gone} seats that belong to people who left months ago.
Invoice up 30%|Question about viewer seat pricing :: Our invoice went up about 30% after viewer seats became paid in January.
Temporary seats? :: Seasonal contractors need access for eight weeks, but we pay for their seats all year.
Seat count on invoice :: The seat count on the invoice doesn't match the member count in settings.
Invoice by department :: Finance needs the invoice split by department and the billing page only shows a total.
""",
    ask="""
Can you send an itemized seat list with each invoice?
Do you offer temporary or guest seats?
Can seats be removed mid-term without waiting for the renewal?
""",
    like="""
The billing page is clear and invoices arrive on time.
Our account manager was helpful and patient at renewal.
Invoices list seats by role, which helps when finance asks questions.
Renewal terms were negotiated without drama.
Annual billing gave us a decent discount.
""",
    dislike="""
Viewer seats now cost as much as full seats.
True-ups charge for users who were already deactivated.
There's no flexible seat option for contractors.
Since January, every viewer is a paid seat and our bill went up by a third.
There's no itemized seat list on the invoice.
Seats can only be reduced at renewal.
Contractors who need access for a few weeks cost a full year of seats.
""",
)

# =======================================================================================
# Themes a segment only touches: shared per-theme pools
# =======================================================================================
GENERIC: dict[str, dict[str, list[str]]] = {
    "T01": P(
        issue="""
Retention chart question :: The retention chart shows week 0 as 100% but week 1 is higher than week 2 for one cohort, which I don't understand.
Funnel shows zero conversions :: I tried to build a simple signup to purchase funnel and got zero conversions, even though we have sales.
""",
        ask="Is there a guide for building a first funnel?",
        like="Funnels are easy to build even for someone who isn't an analyst.\nThe retention chart is clear once you know what it shows.",
        dislike="Funnel settings have a lot of options that aren't explained.",
    ),
    "T02": P(
        issue="""
Board shows no access for members :: Our shared board loads for me but shows "no access" for two colleagues who are members.
Board layout broken :: A board I shared with the team lost its layout and all the tiles stacked into one column.
""",
        ask="Can boards be organised into folders?",
        like="Boards are easy to put together and look good.\nI like that everyone in the company can find the same board.",
        dislike="Boards get messy fast and there's no folder structure.\nScheduled board emails are just pictures.",
    ),
    "T03": P(
        issue="CSV download missing series :: The CSV download from a chart only includes the first 10 series of the breakdown.",
        ask="Is there an API to pull chart results?",
        like="Exporting a chart to CSV is one click.",
        dislike="Exports are capped and the cap isn't obvious.",
    ),
    "T04": P(
        issue="""
Sync late again :: Our data team says the {warehouse} sync has been late three times this month.
Loaded-at column in sync? :: The event table in {warehouse} has no column for when the row was loaded, so our freshness checks can't work.
""",
        ask="Which plans include the warehouse sync?",
        like="The warehouse sync saves our data team a lot of pipeline work.",
        dislike="The warehouse sync is only nightly.",
    ),
    "T05": P(
        issue="""
Signups higher than our database :: Signups in Beacon are about {pct}% higher than the signups in our own database.
Two charts, different totals :: Two charts on the same board show different totals for the same event and date range.
""",
        ask="Can you help us understand why these two numbers are different?",
        like="The numbers have been reliable for us once tracking was set up properly.",
        dislike="It's hard to know which number to trust when two charts disagree.",
    ),
    "T06": P(
        issue="""
Renewal quote :: Our renewal quote is {pct}% higher than last year for the same team.
Charged for viewers :: We were charged for viewer seats that used to be free.
""",
        ask="Can someone explain the new seat pricing for viewers?\nIs there a discount for annual billing?",
        like="Pricing is transparent and published.",
        dislike="It gets expensive quickly as more people need access.\nViewers costing the same as editors is hard to justify.",
    ),
    "T07": P(
        issue="""
Training for new team members :: Half of our new team members give up on Beacon after their first week because they can't find the right event.
Getting started guide :: The getting started guide ends after installing the SDK and doesn't say what to do next.
""",
        ask="Do you have training material we can give to new team members?\nIs there an admin guide or webinar?",
        like="It's easy to get started with the basics.\nThe docs and tutorials are good for getting a first chart up.",
        dislike="There's a steep learning curve for people outside the data team.\nThe documentation is scattered across the docs, forum and GitHub.",
    ),
    "T08": P(
        issue="""
Alert on event volume? :: We'd like an alert when an event's volume drops sharply after a release, but alerts only seem to work on metrics.
Alert never fired :: An alert we set up last month never fired, even though the metric crossed the threshold twice.
""",
        ask="Can alerts watch event volume rather than a chart?",
        like="Alerts in Slack are handy.",
        dislike="Alerts are too noisy to be useful.\nAlerts can't watch data quality, only business metrics.",
    ),
    "T09": P(
        issue="""
Dashboards very slow :: Boards have been loading very slowly for our whole team since this morning.
Slow charts :: A simple chart of daily signups takes about 30 seconds to load.
""",
        ask="Is there a known performance issue right now?",
        like="Charts load quickly for everyday use.",
        dislike="Dashboards are slow on longer date ranges.",
    ),
    "T10": P(
        issue="No events after SDK update :: Our {sdk} app stopped sending events after we updated the SDK.",
        ask="Which SDK version do you recommend for {sdk}?",
        like="The SDK was easy to install.",
        dislike="SDK updates sometimes change behaviour without much warning.",
    ),
    "T11": P(
        issue="""
Too many similar events :: There are so many similar events in our project that nobody knows which signup event is the real one.
Archive old events? :: Old events from a previous version of our app still show up in every picker.
""",
        ask="Is there a way to archive events we no longer send?",
        like="Hiding old events keeps things tidy.",
        dislike="Event naming gets messy and the tool doesn't help keep it clean.",
    ),
    "T12": P(
        issue="""
SSO on Growth? :: Our IT team wants us on SSO, but the sales rep said it's Enterprise only.
Can't log in through {idp} :: I got logged out and can't get back in through {idp}, it says my account isn't provisioned.
""",
        ask="Is SSO available on the Growth plan?",
        like="SSO login works smoothly.",
        dislike="SSO should not be an Enterprise-only feature.",
    ),
    "T13": P(
        issue="""
Contractor access :: I need to give a contractor access to our boards but not to raw event data.
View-only role? :: A teammate can edit a board they should only be able to view.
""",
        ask="Is there a view-only role for a single project?",
        like="Roles are easy to manage.",
        dislike="Permissions are all or nothing.",
    ),
}

# Vague subjects, used now and then instead of the one that goes with the ticket's first issue.
PLAIN_SUBJECTS: dict[str, list[str]] = {
    "T01": ["Funnel question", "Question about cohorts", "Help with a funnel"],
    "T02": ["Board question", "Problem with a shared board", "Sharing boards"],
    "T03": ["Export problem", "SQL question", "Export API question"],
    "T04": ["Warehouse sync issue", "{warehouse} sync", "Data sync question"],
    "T05": ["Numbers look wrong", "Data discrepancy", "Question about our numbers"],
    "T06": ["Billing question", "Question about our invoice", "Pricing question"],
    "T07": ["Getting started", "Help getting set up", "New to Beacon"],
    "T08": ["Alerts question", "Problem with alerts"],
    "T09": ["Performance", "Slow dashboards", "Things are slow"],
    "T10": ["SDK question", "{sdk} SDK issue", "Instrumentation help"],
    "T11": ["Event cleanup", "Tracking plan question", "Schema question"],
    "T12": ["SSO issue", "SSO / SCIM question", "Login problem"],
    "T13": ["Permissions question", "Access control", "Data access question"],
}

# Very short tickets (typed in a hurry): the whole body.
SHORT: dict[str, list[str]] = {
    "T01": L("""
funnel numbers wrong? :: funnel numbers look off since we changed the window, pls advise
cohort question :: how do i freeze a cohort??
"""),
    "T02": L("""
blank scheduled email :: scheduled email came through blank today
CEO can't see board :: board won't load for our ceo, says no access
"""),
    "T03": L("""
export failing :: export keeps failing. 3rd time today
SQL timeout :: SQL tab just says timeout. anything over 60 days
"""),
    "T04": L("""
sync late AGAIN :: sync is late AGAIN, nothing in {warehouse} since yesterday
{warehouse} sync down? :: is the {warehouse} sync down?
"""),
    "T05": L("""
WAU doubled?? :: WAU doubled overnight?? we didn't do anything
numbers way off :: numbers in beacon vs our db way off, who can help
"""),
    "T06": L("""
bill went up :: why did our bill go up
overage invoice :: please call me about the overage invoice
"""),
    "T07": L("""
getting started :: where do I start? installed the sdk, now what
video tutorials? :: is there a video for new users
"""),
    "T08": L("""
alerts not firing :: alerts not firing
weekend alerts :: please make the weekend alerts stop lol
"""),
    "T09": L("""
slow :: everything is super slow today
live view stuck :: live view stuck
"""),
    "T10": L("""
android events missing :: android events missing since 3.2 update
ios sdk dropping events :: ios sdk dropping events in background
"""),
    "T11": L("""
delete event :: how do we delete an event
bulk hide events :: can we bulk hide events
"""),
    "T12": L("""
SSO DOWN :: SSO broken, nobody can log in
scim again :: scim not removing users, again
"""),
    "T13": L("""
project access :: need to restrict a project to one team, how?
audit log api :: audit log api?
"""),
}

# Steps for the longer technical tickets, per theme.
STEPS: dict[str, list[str]] = {
    "T01": ["Open the {funnel} funnel", "Set the date range to the last 30 days", "Break down by the experiment flag",
            "Around a third of users show as (none)"],
    "T03": ["Open the SQL tab", "Run a count of {event} grouped by day for the last 90 days",
            "Wait about 30 seconds", 'Get "Query exceeded time limit"'],
    "T04": ["Open Settings > Data sync", "Status says Healthy", "Check max(event_time) in {warehouse}",
            "Latest row is from {since_short} ago"],
    "T05": ["Open the {board} board", "Look at weekly active users for last week",
            "Run the same count on our synced table", "The two numbers differ by about {pct}%"],
    "T09": ["Open the {board} board", "Set the range to the last 12 months",
            'Several tiles show "query took too long"', "Refresh, some load, others still fail"],
    "T10": ["Start the app with no network", "Trigger {event} a few times",
            "Kill the app from the app switcher", "Reopen with network on", "The events never arrive"],
    "T12": ["Deactivate a user in {idp}", "Wait for the SCIM push",
            "Check Settings > Members in Beacon", "The user is still listed as active and counted as a seat"],
}

# Review titles per theme (pos, neg), and generic ones by rating.
TITLES: dict[str, dict[str, list[str]]] = {
    "T01": {"pos": L("Funnels in minutes, not weeks\nSelf-serve analytics that PMs actually use\nThe retention chart runs our company"),
            "neg": L("Great funnels, confusing defaults\nTells me where, never why")},
    "T02": {"pos": L("Boards the whole company looks at\nOur weekly review lives here"),
            "neg": L("Sharing outside the tool is painful\nScreenshots forever")},
    "T03": {"pos": L("SQL tab is a hidden gem\nGood for analysts who like SQL"),
            "neg": L("Export limits hold it back\nAnalysts beware of the 50k cap")},
    "T04": {"pos": L("Warehouse sync done right\nFinally joined product and revenue data"),
            "neg": L("Sync is the weak link\nNightly sync is not enough")},
    "T05": {"pos": L("Numbers we can trust\nReliable data once set up"),
            "neg": L("Whose number is right?\nGood tool, trust issues")},
    "T06": {"pos": L("Fair pricing for what you get\nWorth it even for a small team"),
            "neg": L("Priced for big companies\nSeat pricing hurts small teams\nGreat product, painful pricing")},
    "T07": {"pos": L("Up and running in a day\nEasy to start with"),
            "neg": L("Steep learning curve\nBlank page problem")},
    "T08": {"pos": L("Alerts that caught a real outage\nHandy Slack alerts"),
            "neg": L("Alert fatigue is real\nNoisy alerts")},
    "T09": {"pos": L("Fast enough for daily use\nQuick charts"),
            "neg": L("Slow on big date ranges\nDashboards need to be faster")},
    "T10": {"pos": L("Solid SDKs across platforms\nEasy instrumentation"),
            "neg": L("SDK edge cases bite\nMobile SDKs need work")},
    "T11": {"pos": L("Schema view keeps us honest\nA clean event catalog"),
            "neg": L("No guardrails on tracking\nGarbage in, charts out")},
    "T12": {"pos": L("SSO setup was painless\nEasy to roll out with our IdP"),
            "neg": L("SSO tax and half-done SCIM\nAdmin tooling lags behind")},
    "T13": {"pos": L("Simple roles, solid audit log\nAdmin friendly"),
            "neg": L("Permissions are too coarse\nNeeds real access control")},
}
GENERIC_TITLES: dict[int, list[str]] = {
    5: L("Best product analytics tool we've used\nA must-have for product teams\nLove it\nExcellent tool"),
    4: L("Very good, a few rough edges\nSolid analytics platform\nGreat tool with room to improve"),
    3: L("Good but not great\nDoes the job\nMixed feelings"),
    2: L("Disappointed after two years\nNot what we hoped\nToo many workarounds"),
    1: L("Avoid if you're small\nFrustrating experience\nLooking for alternatives"),
}

# =======================================================================================
# Per-segment voice: who is writing, what it costs them, their verdict
# =======================================================================================
INTRO: dict[str, list[str]] = {
    "S1": L("""
I'm one of the analysts at {company} and I mostly work with the synced data.
I'm the data analyst here, so I'm the one who gets asked when a number looks wrong.
I look after our reporting, and Beacon is our main source for product data.
Our analytics team is {team_small} people and we live in SQL.
I'm an analytics engineer and I maintain the models built on top of our Beacon data.
I work in finance analytics and reconcile Beacon against our billing numbers every month.
"""),
    "S2": L("""
I'm a PM on the growth team and I'm in Beacon every day.
I own our onboarding flow and do all of my funnel analysis in Beacon.
Product manager here, I run our weekly product review from a Beacon board.
I'm the PM for checkout and I use funnels and cohorts constantly.
I lead product for our mobile app, and my whole team self-serves in Beacon.
"""),
    "S3": L("""
I'm the founder of {company}, we're {team} people.
Co-founder here, I set up Beacon myself and I'm also the one who pays the bill.
We're a small startup of {team} people and every subscription gets a hard look.
I'm the CEO, and also the person who set up our tracking on a weekend.
We're an early-stage company and I'm the only one who really looks at the data.
"""),
    "S4": L("""
I lead the mobile team at {company} and we own the instrumentation.
I'm the engineer who maintains our tracking code and the SDK integration.
Engineering manager here, my team owns the event pipeline.
I'm a backend engineer and we send most of our events server side.
I'm on the platform team and we forward events to Beacon from our own pipeline.
"""),
    "S5": L("""
I'm the Beacon admin for {company}, about {n_users} users.
I run IT for {company} and own identity and access for our SaaS apps.
I'm in customer success operations and I administer Beacon for our CS team.
I handle our SaaS contracts and user access, Beacon included.
Security and compliance lead here, I look after access reviews for our tools.
"""),
}
IMPACT: dict[str, list[str]] = {
    "S1": L("""
I have a month-end report going to our CFO on Friday that depends on this.
Leadership has started asking engineering for numbers again because they don't trust ours.
This breaks our morning dashboards and I'm the one who has to explain it.
Our data quality checks are failing and blocking the rest of the pipeline.
"""),
    "S2": L("""
I present these numbers at our exec review on Monday.
We're making a launch decision based on this next week.
Half my team has stopped trusting the board because of this.
Our experiment readout is due this week.
"""),
    "S3": L("""
For a company our size this is real money.
I have an investor update going out this week.
Honestly this is making us look at alternatives.
I don't have a data team, so I can't work around this myself.
"""),
    "S4": L("""
This is blocking our next release.
Our analysts are making decisions on data we know is wrong.
Any SDK fix takes weeks to reach our users, so we need the right answer the first time.
We have an incident review on this on Thursday.
"""),
    "S5": L("""
Our SOC 2 auditor needs this by the end of the month.
Finance has asked me to justify the Beacon line in the budget.
This is a compliance issue for us, not just an inconvenience.
I have to fix this by hand every time someone leaves.
"""),
}
# What the reviewer uses Beacon for (opens the Pros section now and then).
USE: dict[str, list[str]] = {
    "S1": L("""
We use Beacon as the product data source for our analytics team.
Our analysts use Beacon mostly through the warehouse sync and the SQL tab.
I use Beacon to sanity check product numbers before they go into our reports.
I'm the analyst who reconciles Beacon with our finance numbers.
We pull Beacon data into our warehouse and build our reporting on top.
"""),
    "S2": L("""
Our product team uses Beacon for funnels, retention and our weekly review.
I use Beacon every day to answer my own product questions.
We moved our product analytics to Beacon two years ago and the PMs live in it.
I use funnels and retention to plan and review our experiments.
Our PMs, designers and CSMs all build their own charts.
"""),
    "S3": L("""
We're a small startup and Beacon is our only analytics tool.
As a founder I use Beacon for activation and retention numbers and our investor updates.
We set Beacon up ourselves when we were a handful of people.
I look at our activation funnel every week and share it at all-hands.
We use Beacon to decide what to build next with a tiny team.
"""),
    "S4": L("""
My team owns the instrumentation that feeds Beacon on web, mobile and backend.
We send events to Beacon from our apps and our own pipeline.
I maintain our tracking code and the SDK integrations.
We forward events to Beacon from our own pipeline.
I'm the engineer people come to when an event goes missing.
"""),
    "S5": L("""
I administer Beacon for our company: users, SSO, permissions and billing.
I'm not an analyst, I manage access and compliance for Beacon.
I run Beacon for our customer success team and handle the admin side.
I look after access reviews and offboarding for Beacon.
I manage about a hundred Beacon users and our renewal.
"""),
}
VERDICT: dict[str, list[str]] = {
    "S1": L("""
Overall a solid source of product data, but analysts will end up working around it.
The best product analytics tool we've tried for raw data access, with caveats.
Good for exploring, but our serious reporting happens in the warehouse.
Useful, but I spend too much time explaining why numbers differ.
Worth it for the raw data alone, but budget time for reconciliation.
We'd miss it, even with the workarounds.
"""),
    "S2": L("""
It changed how our product team works, we self-serve nearly everything now.
I'd recommend it to any product team that wants to stop waiting on data requests.
Great for PMs, with a few sharp edges in sharing and alerts.
A daily tool for me, I'd be lost without it.
The best self-serve analytics I've used as a PM.
It made our product reviews faster and more honest.
"""),
    "S3": L("""
Great product, but keep a close eye on the bill as you grow.
Worth it if you have someone to set it up properly.
For a startup it's powerful but pricey.
We'll keep using it, but we review it at every renewal.
Good tool, but the pricing model doesn't fit small teams well.
I'd recommend it to founders with a technical co-founder.
"""),
    "S4": L("""
Solid for engineers once you learn where the edge cases are.
Good overall, but data quality is entirely on you.
A reliable pipeline, I just wish it had real guardrails.
Good SDKs, and the docs need to catch up with them.
Engineers will like the SDKs and wish for more guardrails.
Good once instrumented, but instrumentation is where the work is.
"""),
    "S5": L("""
From an admin's point of view it's middle of the pack.
A good product for our users, more work than it should be for admins.
Fine to administer day to day, painful at audit time.
Our users love it, I just wish it was easier to manage.
Users are happy, admins have some homework.
It passed our security review, with a few manual steps.
"""),
}
SEG_PRAISE: dict[str, list[str]] = {
    "S1": L("The Live view and the SQL tab are genuinely useful.\nThe event data itself is complete and well structured."),
    "S2": L("Funnels are quick to build and easy to read.\nOur PMs can answer their own questions."),
    "S3": L("The product itself is really good.\nIt helped us find our biggest onboarding drop-off."),
    "S4": L("The server-side SDKs are reliable.\nInstrumentation is straightforward on every platform."),
    "S5": L("Our users like it a lot.\nSSO login works well once it's configured."),
}
CONS_FILLER = L("""
Nothing major, a few small bugs here and there.
Some settings are hard to find.
Boards are hard to read on a phone.
The UI changes a bit too often.
Hard to think of anything big.
Would like more keyboard shortcuts.
Occasional small UI bugs after releases.
Some charts take a moment to load.
The mobile experience is limited.
A few features are only on higher plans.
""")
PROS_FILLER = L("""
The idea is good and the interface is clean.
Support is friendly when you reach them.
It does the basics fine.
""")

GREETINGS = ["Hi team,", "Hello,", "Hi Beacon support,", "Hey there,", "Hi,", "Good morning,", "Hi all,",
             "Hello Beacon team,", "Hi support,"]
CLOSINGS = ["Thanks,", "Thanks!", "Cheers,", "Thanks in advance,", "Best,", "Regards,", "Thank you,",
            "Appreciate the help,", "Thx"]
OPENERS = {
    "neutral": L("""
Quick question.
Not sure if this is a bug or expected behaviour.
Hoping you can help with something.
Apologies if this has been asked before.
"""),
    "pos": L("""
Big fans of Beacon in general, but we've hit a problem.
Love the product, one issue though.
Really appreciate the help last time, here's a new one.
"""),
    "neg": L("""
This is the second time this month I'm writing about this.
Getting pretty frustrated with this one.
This is urgent for us.
"""),
}
FOLLOWUPS = L("""
Following up on my earlier ticket since I haven't heard back.
Any update on this? It's still happening.
Reopening this because the fix didn't hold.
Sorry to chase, but this is still an issue for us.
""")
REVIEW_LINKS = ["Also, ", "On top of that, ", "My biggest gripe: ", "Honestly, ", "One more thing: ", ""]

T00_TICKETS: list[tuple[str, str]] = [
    ("Invoice copy", "Hi, could you resend the January invoice to accounts@{domain}? Our finance team can't find it. Thanks"),
    ("Rename workspace", "How do I rename our workspace? We rebranded last month and the old name is still at the top."),
    ("Re: Export question", "That fixed it, thank you so much for the quick help! You can close this ticket."),
    ("Billing address update", "Please update the billing address on our account to our new office:\n\n{company}\n221 Harbour Street, Suite 4\n\nThanks."),
    ("Dark mode?", "Is there a dark mode? My eyes would appreciate it at 11pm."),
    ("Account manager", "Who is our account manager now? Our previous contact seems to have left."),
    ("Profile photo", "cant figure out how to change my profile picture, where is it"),
    ("W-9 request", "Our procurement team needs your W-9 to finish vendor onboarding. Can you send it over?"),
    ("Webinar recording", "Is there a recording of last week's webinar? I missed it because of a clash."),
    ("Password reset email", "The password reset email isn't arriving. I've checked spam. Can you trigger it again?"),
    ("Keyboard shortcuts", "Small request: keyboard shortcuts for switching between boards would be lovely."),
    ("test", "test please ignore"),
    ("Automatic reply: Your request has been updated", "I'm out of the office until Monday with limited access to email. For anything urgent please contact my colleague."),
    ("Call today?", "hi, is someone available for a quick call today? easier to explain live"),
    ("Trial", "We've decided not to continue after the trial for now, please don't convert us. Thanks for all the help."),
    ("Receipt with VAT number", "Need a receipt with our VAT number on it for the last card payment please."),
    ("Thank you", "Just wanted to say the support team has been great this year. No question, just thanks!"),
    ("Wrong timezone in emails", "Hi, the emails you send me show times in UTC. Not a big deal, just letting you know."),
]
T00_REVIEWS: list[tuple[str, int]] = [
    ("Pros: Easy to use and the team likes it.\n\nCons: Nothing really.", 5),
    ("Pros: Does everything we need from a product analytics tool.\n\nCons: Could be cheaper, but what couldn't.", 4),
    ("Pros: Clean interface, good support.\n\nCons: Took a while to get used to.", 4),
    ("Pros: Powerful once you know it.\n\nCons: Lots of features we don't use.\n\nOverall: A good tool.", 4),
    ("Pros: It works.\n\nCons: It's fine. Not exciting, not bad.", 3),
    ("Pros: Nice looking charts.\n\nCons: Our team never really adopted it.", 3),
    ("Pros: Great product, great people.\n\nCons: None so far.\n\nOverall: Highly recommend.", 5),
    ("Pros: Reliable and well supported.\n\nCons: Minor UI quirks.", 5),
    ("Pros: Good tool overall.\n\nCons: Some bugs after updates.", 4),
    ("Pros: Easy to set up.\n\nCons: Can't think of anything.", 5),
    ("Pros: The basics are solid.\n\nCons: Hard to say, we only use a small part of it.", 4),
    ("Pros: Not much to say, it does its job.\n\nCons: The sales process was slow.", 3),
    ("Pros: Support answered quickly.\n\nCons: The product just wasn't a fit for us.\n\nOverall: Fine, but we moved on.", 2),
    ("Pros: Good documentation.\n\nCons: Nothing major.", 5),
    ("Pros: Everyone in the company can use it.\n\nCons: A few things are hidden in menus.", 4),
    ("Pros: It replaced three other tools for us.\n\nCons: Onboarding emails were a bit much.", 5),
    ("Pros: Solid analytics platform.\n\nCons: Occasional slowness.", 4),
]

# =======================================================================================
# People and companies
# =======================================================================================
FIRST = L("""
Aaliyah Abel Adaeze Aiko Alejandro Amara Anders Anika Arash Astrid Bea Benedikt Bilal Bronwyn Callum Carmen
Cecile Chidi Dana Daniela Darius Diego Dmitri Elif Elena Emeka Esra Ewan Farah Felipe Fiona Freya Gabriel
Greta Hamza Hana Hugo Ida Ifeoma Imogen Irene Isaac Ivana Jamal Jana Javier Jonas Joy Julian Kai Karim
Keiko Kemi Lars Leila Lena Linh Lucas Lukas Mai Malik Mara Mateo Maya Mehmet Mia Mina Moritz Nadim Naledi
Nia Nikhil Noor Olga Oren Pablo Paula Petra Quinn Rahul Rania Rhea Rosa Ruben Sabine Samir Sana Santiago
Selin Shira Simone Sipho Sven Tariq Thandiwe Theo Tobias Uma Valentina Vikram Wanjiru Yara Yosef Zainab Zoe
""".replace("\n", " ").replace(" ", "\n"))
LAST = L("""
Abara Almeida Andersen Arslan Bakker Banerjee Barros Becker Bianchi Brennan Castillo Chen Costa Dahl
Delgado Demir Dubois Eze Farouk Fischer Fonseca Garcia Grant Haddad Halvorsen Hartmann Hosseini Ibarra
Ito Jansen Jovanovic Kagame Kaur Keller Kim Kowalczyk Kruger Laine Larsen Lindgren Lopes Mahlangu
Marsh Medina Mensah Moreau Murphy Nakagawa Navarro Ng Novak Nwosu Okafor Oliveira Ortiz Osei Park
Patel Pereira Petrov Quinlan Rahman Reyes Rossi Saito Salas Santos Schmidt Shah Silva Sokolova
Stewart Suzuki Tan Torres Tran Ueda Varga Vasquez Vogel Wagner Walsh Weber Wiśniewska Yilmaz Young Zhou
""".replace("\n", " ").replace(" ", "\n"))
COMPANY_A = L("""
Birch Copper Lantern Harbor Juniper Quarry Maple Tidal Summit Ember Kite Orchard Pebble Verity Nimbus
Saltmarsh Foxglove Ironwood Bramble Cinder Larkspur Meadow Northwind Oakmont Pinegrove Riverstone
Sable Thistle Wren Alder Bluefin Cobble Driftwood Fennel Granite Heron Indigo Kestrel Lumen Marlin
""".replace("\n", " ").replace(" ", "\n"))
COMPANY_B = L("""
Labs Health Pay Works Cloud Learning Logistics Systems HQ Studio Commerce Software Analytics Travel
Finance Bio Robotics Foods Mobility Insurance Apps Security Media Energy
""".replace("\n", " ").replace(" ", "\n"))

SLOTS = {
    "warehouse": ["Snowflake"] * 4 + ["BigQuery"] * 4 + ["Redshift"] * 2 + ["Databricks"],
    "idp": ["Okta"] * 4 + ["Azure AD"] * 3 + ["Google Workspace"] * 2 + ["OneLogin", "JumpCloud"],
    "sdk": ["iOS", "Android", "React Native", "JavaScript", "Flutter", "Python", "Node"],
    "board": ["Weekly metrics", "Exec overview", "Growth review", "Activation", "Product health", "KPIs - DO NOT EDIT",
              "Monday review", "Marketplace health", "Revenue & usage", "Onboarding"],
    "funnel": ["Signup to activation", "Trial to paid", "Checkout", "Onboarding v3", "Invite flow", "Search to booking",
               "Upgrade", "First project"],
    "event": ["signup_completed", "checkout_started", "trial_started", "invite_sent", "report_exported",
              "order_completed", "project_created", "Subscription Renewed", "lesson_finished"],
    "since": ["since Tuesday", "since the weekend", "for the last three days", "since yesterday morning",
              "since the 14th", "for two days now"],
    "since_short": ["two days", "three days", "36 hours", "a day and a half"],
    "sdk_version": ["3.2.1", "3.4.0", "4.0.2", "2.8.5", "4.1.0"],
}
N_USERS = [45, 60, 80, 90, 120, 150, 210, 340]


def company_name(rng: random.Random) -> str:
    return f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)}"



# =======================================================================================
# Composer
# =======================================================================================
class Draw:
    """Least-used-first drawing from pools; usage is committed only for accepted rows."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.uses: Counter = Counter()
        self.avoid: tuple[str, ...] = ()  # words a row must not use (e.g. "January" before the price change)

    def pick(self, pool: list[str], taken: list[str]) -> str | None:
        cands = [s for s in pool if s not in taken and not any(w in s for w in self.avoid)]
        if not cands:
            return None
        weights = [1.0 / (1 + self.uses[s]) ** 3 for s in cands]
        choice = self.rng.choices(cands, weights)[0]
        taken.append(choice)
        return choice

    def commit(self, taken: list[str]) -> None:
        self.uses.update(taken)


def fill(line: str, ctx: dict, cap: bool = True) -> str:
    s = re.sub(r"\{(\w+)\}", lambda m: str(ctx[m.group(1)]), line)
    return s[:1].upper() + s[1:] if cap else s


def split_subject(line: str) -> tuple[list[str], str]:
    """An issue line "Subject A|Subject B :: text" -> (["Subject A", "Subject B"], "text")."""
    subjects, _, text = line.rpartition(" :: ")
    return (subjects.split("|") if subjects else []), text


def lowerfirst(s: str) -> str:
    first = s.split(" ", 1)[0]
    if first in ("I", "I'm", "I've", "I'd") or re.match(r"^[A-Z]{2,}|^[A-Z][a-z]+[A-Z]", first) or first in (
            "Beacon", "Android", "Slack", "SSO", "SAML", "SCIM", "Okta", "Azure", "Google", "Snowflake", "BigQuery",
            "Redshift", "Databricks", "Next.js", "Go", "Stripe", "Notion", "Growth", "Team", "Enterprise", "January",
            "Live", "JS", "PDF", "CSV", "SQL", "UTC", "Monday", "Saturday"):
        return s
    return s[:1].lower() + s[1:]


APOS_WORDS = re.compile(r"\b(don't|can't|it's|I'm|doesn't|won't|didn't|isn't|that's|there's|we're|I've)\b")
PROTECTED = {"beacon", "snowflake", "bigquery", "redshift", "databricks", "okta", "android", "github", "slack"}


class Composer:
    """Builds ticket and review texts from the pools with one seeded random generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.draw = Draw(self.rng)
        self.last_subject = ""

    # ----- pools ------------------------------------------------------------------------
    def pool(self, seg: str, theme: str, kind: str) -> list[str]:
        if (seg, theme) in CORE:
            return CORE[seg, theme][kind]
        return GENERIC[theme][kind]

    def line(self, seg: str, theme: str, kind: str, ctx: dict, taken: list[str]) -> str | None:
        """One sentence of a theme's pool; for an issue, the subject that goes with it is kept in last_subject."""
        picked = self.draw.pick(self.pool(seg, theme, kind), taken)
        if picked is None and (seg, theme) in CORE:  # an own theme used up: fall back on the shared pool
            picked = self.draw.pick(GENERIC[theme][kind], taken)
        if not picked:
            return None
        subjects, text = split_subject(picked)
        if subjects:
            self.last_subject = fill(self.rng.choice(subjects), ctx, cap=False)
        return fill(text, ctx)

    def other_own(self, seg: str, theme: str) -> str:
        return self.rng.choice([t for t in OWN_THEMES[seg] if t != theme])

    # ----- typos ------------------------------------------------------------------------
    def add_typo(self, text: str) -> str:
        rng = self.rng
        kind = rng.choices(["teh", "apos", "drop", "swap", "double"], [1, 3, 2, 1, 1])[0]
        if kind == "teh" and " the " in text:
            spots = [m.start() for m in re.finditer(" the ", text)]
            i = rng.choice(spots)
            return text[:i] + " teh " + text[i + 5:]
        if kind == "apos":
            found = list(APOS_WORDS.finditer(text))
            if found:
                m = rng.choice(found)
                return text[:m.start()] + m.group(0).replace("'", "") + text[m.end():]
        words = [m for m in re.finditer(r"(?<![@{/\w.])[A-Za-z]{5,}\b(?![.@}])", text)
                 if m.group(0).lower() not in PROTECTED]
        if not words:
            return text
        m = rng.choice(words)
        w = m.group(0)
        i = rng.randrange(1, len(w) - 2)
        if kind == "swap":
            w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif kind == "double":
            w2 = w[:i] + w[i] + w[i:]
        else:
            w2 = w[:i] + w[i + 1:]
        return text[:m.start()] + w2 + text[m.end():]

    def typos(self, text: str, p_one: float, p_two: float) -> str:
        r = self.rng.random()
        n = 2 if r < p_two else 1 if r < p_one + p_two else 0
        for _ in range(n):
            text = self.add_typo(text)
        return text

    # ----- tickets ----------------------------------------------------------------------
    def ticket(self, item: dict, taken: list[str]) -> tuple[str, str]:
        """(subject, body) for one ticket."""
        rng, seg, theme, ctx = self.rng, item["segment"], item["theme"], item["ctx"]
        if theme == "T00":
            fresh = [p for p in T00_TICKETS if not self.draw.uses[p[1]]] or T00_TICKETS
            subject, body = rng.choice(fresh)
            taken.append(body)
            return subject, fill(body, ctx, cap=False)
        size = rng.choices(["short", "medium", "long", "very long"], [13, 52, 29, 6])[0]
        if item.get("followup"):
            size = "medium" if size == "short" else size
        if size == "short":
            subjects, body = split_subject(self.draw.pick(SHORT[theme], taken) or SHORT[theme][0])
            return fill(rng.choice(subjects), ctx, cap=False), self.typos(fill(body, ctx, cap=False), 0.3, 0.1)
        n_issue = {"medium": 1, "long": 2, "very long": 3}[size]
        para: list[str] = []
        if item.get("followup"):
            para.append(self.draw.pick(FOLLOWUPS, taken))
        elif rng.random() < 0.25:
            tone = rng.choices(["neutral", "pos", "neg"], [5, 2, 3])[0]
            para.append(self.draw.pick(OPENERS[tone], taken))
        if rng.random() < (0.7 if item["kind"] == "cross" else 0.4):
            para.append(fill(self.draw.pick(INTRO[seg], taken) or INTRO[seg][0], ctx))
        issues = [self.line(seg, theme, "issue", ctx, taken)]
        subject = self.last_subject if rng.random() < 0.88 else fill(rng.choice(PLAIN_SUBJECTS[theme]), ctx)
        issues += [self.line(seg, theme, "issue", ctx, taken) for _ in range(n_issue - 1)]
        if size == "very long" and rng.random() < 0.5 and item["kind"] == "own":
            issues[-1] = self.line(seg, self.other_own(seg, theme), "issue", ctx, taken)
        issues = [s for s in issues if s]
        para.append(issues[0])
        blocks = [" ".join(p for p in para if p)]
        for extra in issues[1:]:
            glue = rng.choice(["Also, ", "Separately, ", "On top of that, ", "", ""])
            blocks.append(glue + (lowerfirst(extra) if glue else extra))
        if size != "medium" and theme in STEPS and rng.random() < 0.45:
            steps = [fill(s, ctx) for s in STEPS[theme]]
            head = rng.choice(["Steps to reproduce:", "To reproduce:", "What I did:"])
            blocks.append(head + "\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
        tail: list[str] = []
        if rng.random() < (0.5 if size != "medium" else 0.25):
            tail.append(self.draw.pick(IMPACT[seg], taken))
        if rng.random() < 0.75:
            tail.append(self.line(seg, theme, "ask", ctx, taken))
        if tail:
            blocks.append(" ".join(t for t in tail if t))
        body = "\n\n".join(blocks)
        if rng.random() < 0.06:
            body = body.lower()
        body = self.typos(body, 0.2, 0.06)
        if rng.random() < 0.8:
            body = rng.choice(GREETINGS) + "\n\n" + body
        if rng.random() < 0.75:
            sign = rng.choice(CLOSINGS) + "\n" + ctx["first"]
            if rng.random() < 0.3:
                sign += f" {ctx['last']}\n{ctx['title']}, {ctx['company']}"
            body += "\n\n" + sign
        if item.get("followup"):
            subject = "Re: " + subject
        elif rng.random() < 0.08:
            subject = "URGENT: " + subject
        elif rng.random() < 0.15:
            subject = subject.lower()
        return subject, body

    # ----- reviews ----------------------------------------------------------------------
    NEG_HEAVY = {"T03", "T04", "T06", "T09", "T12", "T13"}
    POS_LEAN = {"T01", "T02", "T07"}

    def rating(self, theme: str) -> int:
        w = ([20, 26, 24, 18, 12] if theme in self.NEG_HEAVY else [44, 32, 13, 7, 4] if theme in self.POS_LEAN
             else [30, 34, 20, 10, 6])
        return self.rng.choices([5, 4, 3, 2, 1], w)[0]

    def review(self, item: dict, taken: list[str]) -> tuple[str, int]:
        """(text, rating) for one review: Pros, Cons and sometimes Overall."""
        rng, seg, theme, ctx = self.rng, item["segment"], item["theme"], item["ctx"]
        if theme == "T00":
            fresh = [p for p in T00_REVIEWS if not self.draw.uses[p[0]]] or T00_REVIEWS
            text, stars = rng.choice(fresh)
            taken.append(text)
            return text, stars
        stars = self.rating(theme)
        long = rng.random() < 0.35
        pros: list[str | None] = []
        cons: list[str | None] = []
        if stars >= 4:
            pros += [self.line(seg, theme, "like", ctx, taken) for _ in range(2 if long else rng.choice([1, 2]))]
            if stars == 5 and rng.random() < 0.5:
                cons.append(self.draw.pick(CONS_FILLER, taken))
            elif rng.random() < 0.5:
                cons.append(self.line(seg, theme, "dislike", ctx, taken))
            else:
                cons.append(self.line(seg, self.other_own(seg, theme), "dislike", ctx, taken))
        elif stars == 3:
            pros.append(self.line(seg, theme, "like", ctx, taken) if rng.random() < 0.6
                        else self.draw.pick(SEG_PRAISE[seg], taken))
            cons += [self.line(seg, theme, "dislike", ctx, taken) for _ in range(2 if long else 1)]
        else:
            pros.append(self.draw.pick(SEG_PRAISE[seg] if rng.random() < 0.6 else PROS_FILLER, taken))
            cons += [self.line(seg, theme, "dislike", ctx, taken) for _ in range(3 if long else 2)]
            if long and item["kind"] == "own" and rng.random() < 0.5:
                cons.append(self.line(seg, self.other_own(seg, theme), "dislike", ctx, taken))
        pros_text = " ".join(p for p in pros if p)
        cons_parts = [c for c in cons if c]
        cons_text = cons_parts[0] if cons_parts else "Nothing major."
        links = rng.sample(REVIEW_LINKS, len(REVIEW_LINKS))
        for extra, link in zip(cons_parts[1:], links):
            cons_text += " " + (link + lowerfirst(extra) if link else extra)
        text = f"Pros: {pros_text}\n\nCons: {cons_text}"
        overall = []
        if rng.random() < 0.45:  # what they use it for
            overall.append(self.draw.pick(USE[seg], taken))
        if rng.random() < (0.7 if long else 0.4):
            overall.append(self.draw.pick(VERDICT[seg], taken))
        if overall:
            text += "\n\nOverall: " + " ".join(o for o in overall if o)
        return self.typos(text, 0.12, 0.02), stars


# =======================================================================================
# Who wrote what, when
# =======================================================================================
PRICE_CHANGE = date(2026, 1, 6)  # viewer seats became paid seats
TICKET_SPAN = (date(2025, 11, 3), date(2026, 2, 27))
REVIEW_SPAN = (date(2025, 6, 2), date(2026, 2, 27))
TITLES_BY_SEG = {
    "S1": ["Senior Data Analyst", "Data Analyst", "Analytics Engineer", "BI Developer", "Analytics Lead",
           "Product Analyst", "Marketing Analyst", "Data Scientist"],
    "S2": ["Product Manager", "Senior Product Manager", "Growth PM", "Group Product Manager", "Head of Product",
           "Product Owner", "Associate Product Manager", "Director of Product"],
    "S3": ["Founder", "Co-founder & CEO", "CEO", "Founder / CTO", "COO & Co-founder", "Co-founder"],
    "S4": ["Engineering Manager", "Staff Engineer", "Senior Software Engineer", "Mobile Lead", "Tech Lead",
           "Data Engineer", "Platform Engineer", "VP Engineering"],
    "S5": ["IT Administrator", "IT Manager", "Systems Administrator", "Customer Success Operations Manager",
           "RevOps Manager", "Security & Compliance Lead", "Business Systems Analyst", "Head of Operations"],
}
SIZES = ["1-10 employees", "11-50 employees", "51-200 employees", "201-500 employees", "501-1000 employees",
         "1001-5000 employees"]
SIZE_WEIGHTS = {"S1": [0, 3, 10, 10, 5, 3], "S2": [0, 4, 10, 9, 4, 2], "S3": [8, 10, 2, 0, 0, 0],
                "S4": [0, 4, 9, 9, 5, 3], "S5": [0, 0, 4, 10, 8, 6]}
INDUSTRIES = ["Computer Software", "Financial Services", "Internet", "E-Learning", "Health, Wellness and Fitness",
              "Retail", "Marketing and Advertising", "Hospital & Health Care", "Logistics and Supply Chain",
              "Consumer Services", "Information Technology and Services", "Travel & Tourism"]
PLANS = ["Free", "Team", "Growth", "Enterprise"]
PLAN_WEIGHTS = {"S1": [0, 2, 12, 6], "S2": [0, 5, 10, 5], "S3": [6, 11, 3, 0], "S4": [0, 4, 9, 7], "S5": [0, 0, 4, 16]}
PRIORITY_WEIGHTS = {  # Low, Normal, High, Urgent
    "T04": [1, 4, 4, 1], "T09": [1, 5, 3, 1], "T12": [1, 3, 4, 2], "T10": [1, 5, 3, 1], "T05": [1, 5, 3, 1],
    "T00": [6, 4, 0, 0]}
VIA = ["Email", "Web form", "Web form", "Chat", "In-app widget"]


class Planner:
    """Segments, themes, authors and dates for both exports, from their own seeded generator."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used_names: set[str] = set()

    def items(self) -> list[dict]:
        rng, items = self.rng, []
        for seg, n in SEGMENT_COUNTS.items():
            n_t00, n_cross = round(n * SHARE_T00), round(n * SHARE_CROSS)
            own = OWN_THEMES[seg]
            items += [{"segment": seg, "theme": own[i % len(own)], "kind": "own"} for i in range(n - n_t00 - n_cross)]
            cross = CROSS_THEMES[seg]
            items += [{"segment": seg, "theme": t, "kind": "cross"}
                      for t in rng.choices(list(cross), list(cross.values()), k=n_cross)]
            items += [{"segment": seg, "theme": "T00", "kind": "t00"} for _ in range(n_t00)]
        rng.shuffle(items)
        return items

    def person(self, seg: str) -> dict:
        rng = self.rng
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if f"{first} {last}" not in self.used_names and f"{first} {last[0]}." not in self.used_names:
                break
        self.used_names.update({f"{first} {last}", f"{first} {last[0]}."})
        company = company_name(rng)
        domain = re.sub(r"[^a-z]", "", company.lower()) + ".example"
        handle = rng.choice([f"{first}.{last}", f"{first[0]}{last}", first, f"{first}{last[0]}"])
        handle = handle.lower().replace("ś", "s")
        team = rng.choice([3, 4, 5, 6, 8, 9, 12, 14, 18]) if seg == "S3" else rng.choice([25, 60, 140, 300])
        seats = rng.choice([5, 8, 10, 12])
        ctx = {"first": first, "last": last, "company": company, "domain": domain, "email": f"{handle}@{domain}",
               "title": rng.choice(TITLES_BY_SEG[seg]), "team": team, "team_small": rng.choice([2, 3, 4, 5]),
               "n_users": rng.choice(N_USERS), "seats": seats, "seats_used": seats - rng.randint(1, 3),
               "seats_gone": rng.randint(3, 9), "overage": f"{rng.randrange(4, 30) * 50:,}",
               "pct": rng.choice([3, 4, 6, 8, 11, 12, 15, 18]), "plan": rng.choices(PLANS, PLAN_WEIGHTS[seg])[0],
               "size": rng.choices(SIZES, SIZE_WEIGHTS[seg])[0], "industry": rng.choice(INDUSTRIES)}
        ctx.update({k: rng.choice(v) for k, v in SLOTS.items()})
        return ctx

    def day(self, span: tuple[date, date], theme: str) -> date:
        start, end = span
        if theme == "T06" and self.rng.random() < 0.8:  # price complaints cluster after the change
            start = max(start, PRICE_CHANGE)
        d = start + timedelta(days=self.rng.randrange((end - start).days + 1))
        while d.weekday() >= 5 and self.rng.random() < 0.8:  # fewer tickets and reviews at weekends
            d = start + timedelta(days=self.rng.randrange((end - start).days + 1))
        return d

    def tickets(self) -> list[dict]:
        """Ticket plan: repeat requesters (same segment) file 2-4 tickets."""
        rng, items = self.rng, self.items()
        for seg in SEGMENT_COUNTS:
            queue = [it for it in items if it["segment"] == seg]
            rng.shuffle(queue)
            for _ in range(4):
                ctx = self.person(seg)
                for _ in range(rng.choice([2, 2, 3, 4])):
                    queue.pop()["ctx"] = ctx
            for it in queue:
                it["ctx"] = self.person(seg)
        for it in items:
            it["date"] = self.day(TICKET_SPAN, it["theme"])
            it["time"] = f"{rng.choice(range(7, 20)):02d}:{rng.randrange(60):02d}"
        items.sort(key=lambda it: (it["date"], it["time"]))
        return items

    def reviews(self, ticket_items: list[dict]) -> list[dict]:
        """Review plan: one review per reviewer; a few ticket requesters also review (as First L.)."""
        rng, items = self.rng, self.items()
        requesters: dict[str, list[dict]] = defaultdict(list)
        for it in ticket_items:
            if it["theme"] != "T00" and it["ctx"] not in requesters[it["segment"]]:
                requesters[it["segment"]].append(it["ctx"])
        for seg in SEGMENT_COUNTS:
            mine = [it for it in items if it["segment"] == seg]
            rng.shuffle(mine)
            for it, ctx in zip(mine[:2], rng.sample(requesters[seg], 2)):
                it["ctx"], it["reviewer"] = ctx, f"{ctx['first']} {ctx['last'][0]}."
                it["alias_of"] = f"{ctx['first']} {ctx['last']}"
            for it in mine[2:]:
                ctx = self.person(seg)
                r = rng.random()
                it["ctx"] = ctx
                it["reviewer"] = ("" if r < 0.06 else f"{ctx['first']} {ctx['last']}" if r < 0.3
                                  else f"{ctx['first']} {ctx['last'][0]}.")
        for it in items:
            it["date"] = self.day(REVIEW_SPAN, it["theme"])
        items.sort(key=lambda it: it["date"])
        return items


# =======================================================================================
# Build, check overlap, write
# =======================================================================================
class OverlapGuard:
    """Rejects a row that shares more than one pool line with any accepted row of the same export."""

    def __init__(self):
        self.users: dict[str, list[int]] = defaultdict(list)
        self.n = 0

    def worst(self, taken: list[str]) -> int:
        shared = Counter()
        for s in dict.fromkeys(taken):
            shared.update(self.users.get(s, []))
        return max(shared.values(), default=0)

    def add(self, taken: list[str]) -> None:
        for s in dict.fromkeys(taken):
            self.users[s].append(self.n)
        self.n += 1


def accept(composer: Composer, guard: OverlapGuard, compose, item: dict):
    """Compose until the row shares at most one pool line with every earlier row."""
    composer.draw.avoid = ("January",) if item["date"] < PRICE_CHANGE else ()
    best = None
    for _ in range(40):
        taken: list[str] = []
        out = compose(item, taken)
        score = guard.worst(taken)
        if best is None or score < best[0]:
            best = (score, out, taken)
        if score <= 1:
            break
    composer.draw.commit(best[2])
    guard.add(best[2])
    return best[1]


def priority(theme: str, rng: random.Random) -> str:
    return rng.choices(["Low", "Normal", "High", "Urgent"], PRIORITY_WEIGHTS.get(theme, [2, 6, 2, 0]))[0]


def status(d: date, rng: random.Random) -> str:
    if (TICKET_SPAN[1] - d).days < 10:
        return rng.choice(["Open", "Pending", "Solved", "Open"])
    return rng.choices(["Solved", "Closed", "Pending"], [70, 26, 4])[0]


def build(seed: int = 11) -> tuple[list[dict], list[dict]]:
    planner = Planner(seed)
    ticket_items = planner.tickets()
    review_items = planner.reviews(ticket_items)
    composer = Composer(seed + 1)
    rng = composer.rng

    tickets, guard, seen = [], OverlapGuard(), set()
    ticket_id = 40211
    for it in ticket_items:
        key = it["ctx"]["email"]
        it["followup"] = key in seen and it["theme"] != "T00" and rng.random() < 0.35
        seen.add(key)
        subject, body = accept(composer, guard, composer.ticket, it)
        ticket_id += rng.randrange(3, 60)
        ctx = it["ctx"]
        tickets.append({
            "Id": str(ticket_id), "Created at": f"{it['date'].isoformat()} {it['time']}",
            "Requester": f"{ctx['first']} {ctx['last']}", "Requester email": ctx["email"],
            "Organization": ctx["company"], "Plan": ctx["plan"], "Priority": priority(it["theme"], rng),
            "Status": status(it["date"], rng), "Via": rng.choice(VIA), "Subject": subject, "Description": body,
            "_segment": it["segment"], "_theme": it["theme"]})

    reviews, guard = [], OverlapGuard()
    for i, it in enumerate(review_items, 1):
        text, stars = accept(composer, guard, composer.review, it)
        theme, ctx = it["theme"], it["ctx"]
        if theme != "T00" and stars != 3 and rng.random() < 0.6:
            title = rng.choice(TITLES[theme]["pos" if stars >= 4 else "neg"])
        else:
            title = rng.choice(GENERIC_TITLES[stars])
        reviews.append({
            "review_id": f"R{i:04d}", "date": it["date"].isoformat(), "reviewer": it["reviewer"],
            "reviewer_role": ctx["title"], "company_size": ctx["size"], "industry": ctx["industry"],
            "rating": stars, "title": title, "review": text,
            "_segment": it["segment"], "_theme": theme, "_alias_of": it.get("alias_of")})
    return tickets, reviews


def csv_bytes(rows: list[dict], cols: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)  # RFC 4180: CRLF rows, fields quoted when needed
    writer.writerow(cols)
    for r in rows:
        writer.writerow([r[c] for c in cols])
    return buf.getvalue().encode("utf-8")


def outputs(seed: int = 11) -> dict[Path, bytes]:
    """Every generated file (path relative to the repository) and its bytes."""
    tickets, reviews = build(seed)
    ticket_cols = ["Id", "Created at", "Requester", "Requester email", "Organization", "Plan", "Priority", "Status",
                   "Via", "Subject", "Description"]
    review_cols = ["review_id", "date", "reviewer", "reviewer_role", "company_size", "industry", "rating", "title",
                   "review"]
    authors = {t["Requester"]: t["_segment"] for t in tickets}
    authors.update({r["reviewer"]: r["_segment"] for r in reviews if r["reviewer"]})
    truth = {
        "tickets": [{"id": t["Id"], "author": t["Requester"], "segment": t["_segment"], "theme": t["_theme"]}
                    for t in tickets],
        "reviews": [{"id": r["review_id"], "author": r["reviewer"], "segment": r["_segment"], "theme": r["_theme"]}
                    for r in reviews],
        "authors": authors,
        # reviewers who also filed tickets: review name -> requester name (one person)
        "aliases": {r["reviewer"]: r["_alias_of"] for r in reviews if r["_alias_of"]},
    }
    return {
        TICKETS_CSV: csv_bytes(tickets, ticket_cols),
        REVIEWS_CSV: csv_bytes(reviews, review_cols),
        TRUTH_JSON: (json.dumps(truth, indent=1, ensure_ascii=False) + "\n").encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="write under this folder (default: the repository)")
    args = parser.parse_args(argv)
    for rel, data in outputs().items():
        path = args.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
