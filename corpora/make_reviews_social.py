#!/usr/bin/env python3
"""Generate the Larder sample reviews and social posts, plus their truth file.

    python corpora/make_reviews_social.py

Writes (deterministically, seeded with random.Random(7)):
    corpora/larder/reviews/app_reviews.csv   320 app-store reviews (RFC-4180 CSV)
    corpora/larder/social/posts.jsonl        320 social-listening posts
    evals/truth/reviews_social.json          segment and primary theme of every item

Segments (S1-S4) and themes (T00-T13) are defined in evals/truth/larder_taxonomy.json.
All text is composed from the hand-written sentence pools below: per (segment, theme)
complaints, praise, wishes, social one-liners and questions, plus per-segment
self-descriptions and asides, and per-style openers and sign-offs. Every pool line is
original writing for this project. The composer draws least-used lines first and rejects
any item that would share more than one full sentence with an earlier item.

Pool syntax: one sentence per line; "{slot}" is filled from the author's persona
(kid names, budget, protein target...), so an author writing twice stays consistent.
"""
from __future__ import annotations

import csv
import io
import json
import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REVIEWS_CSV = ROOT / "corpora" / "larder" / "reviews" / "app_reviews.csv"
POSTS_JSONL = ROOT / "corpora" / "larder" / "social" / "posts.jsonl"
TRUTH_JSON = ROOT / "evals" / "truth" / "reviews_social.json"

N_REVIEWS = 320
N_POSTS = 320
SEGMENT_COUNTS = {"S1": 96, "S2": 96, "S3": 64, "S4": 64}  # per corpus: 30/30/20/20 %
OWN_THEMES = {
    "S1": ["T01", "T02", "T08", "T09", "T11"],
    "S2": ["T03", "T04", "T08", "T10"],
    "S3": ["T05", "T06", "T12", "T04"],
    "S4": ["T07", "T13", "T10", "T08"],
}
# themes a segment also talks about (price and crashes from everyone), with weights
CROSS_THEMES = {
    "S1": {"T03": 3, "T10": 3, "T04": 2, "T12": 2},
    "S2": {"T02": 3, "T01": 2, "T07": 2, "T05": 1},
    "S3": {"T03": 3, "T10": 3, "T08": 2, "T11": 1},
    "S4": {"T03": 3, "T12": 2, "T04": 2, "T11": 1},
}
SHARE_T00 = 0.10
SHARE_CROSS = 0.15


def L(block: str) -> list[str]:
    """One pool entry per non-empty line."""
    return [ln.strip() for ln in block.strip().splitlines() if ln.strip()]


def P(neg="", pos="", wish="", soc="", q="") -> dict[str, list[str]]:
    """A (segment, theme) pool: complaints, praise, wishes, social one-liners, questions."""
    return {"neg": L(neg), "pos": L(pos), "wish": L(wish), "soc": L(soc), "q": L(q)}


# ---------------------------------------------------------------------------------------
# Sentence pools: (segment, own theme)
# ---------------------------------------------------------------------------------------
CORE: dict[tuple[str, str], dict[str, list[str]]] = {}

# S1 Stretched family planner -------------------------------------------------------------
CORE["S1", "T01"] = P(
    neg="""
The "tonight" card still shows yesterday's dinner until lunchtime.
It won't let me plan more than a week ahead, and some fortnights I need to plan around a work trip.
By the time I walk in at six I don't have ten spare minutes to wait for the planner to load.
The "quick dinners" filter still shows recipes that take an hour once you count the chopping.
Cook times are wildly optimistic. Nobody caramelizes onions in five minutes, and definitely not with a toddler hanging off their leg.
If I open the planner on Sunday night it shows the current week instead of next week, so I keep planning the wrong days.
It suggested a slow cooker recipe at 5pm on a {weekday}. Thanks, very helpful.
There's no way to mark a night as leftovers or takeout, so the week always looks half empty.
Dragging meals between days is fiddly on a phone and I keep dropping Wednesday onto Friday.
Half the "30 minute meals" need a marinade you should have started that morning.
When practice runs late I need to swap tonight and tomorrow in one tap, and it takes five.
The weekly plan reminder arrives Monday lunchtime, long after I've done the shopping.
I wanted a plan I could knock out in ten minutes and spent forty fighting the calendar view.
Why does it keep recommending dishes with fourteen ingredients on a school night?
It logs me out right when I need to check what's for dinner, usually while I'm sitting in the pickup line.
Suggested meals ignore that we eat at 5:30 because of bedtime, not at 8 like a couple without kids.
Every "easy" recipe assumes I've got an hour and a clean kitchen. I have neither.
The planner only does dinners, so breakfasts and school lunches still live on a sticky note.
""",
    pos="""
Sunday afternoon I sit down for fifteen minutes, plan five dinners, and the 5pm panic is basically gone.
The "ready in 30" tag is honest more often than not, which is more than I can say for most recipe sites.
Seeing the whole week on the kitchen tablet means nobody asks me what's for dinner anymore.
We've stopped having the "what do you want, I don't know, what do YOU want" argument every night.
I can drag {weekday}'s dinner to Thursday when swim runs late and the list just updates.
Planning on Sunday means one big shop instead of three panicked trips after work.
It has taken weeknight decisions off my plate completely, which is honestly the whole point.
The repeat-last-week button is underrated. Some weeks tacos just need to be on Tuesday again.
I do all the chopping on Sunday from the prep list it gives me, and weeknight dinners are twenty minutes flat.
The 4pm notification telling me what's on tonight has saved my sanity more than once.
{partner} can open the plan and start dinner before I'm home, no phone call needed.
""",
    wish="""
Please add a "no-cook night" option so I can plan cereal for dinner without it looking like a gap.
I'd love a filter for one-pan meals that are under 20 minutes with the prep included.
Let me set prep reminders, like "take the chicken out of the freezer" the night before.
An auto-fill button that builds the week from our top ten family favourites would save me another ten minutes.
It would be great if it knew which nights we have activities and suggested fast stuff for those.
Let me plan school lunches in the same week view.
A "what can I make in 20 minutes with what's here" button would be my most used feature.
""",
    soc="""
sunday meal planning in larder is the only reason my family eats a vegetable on a weekday
5pm on a tuesday and larder suggests a 3 hour braise. read the room
planning the whole week in 15 min on a sunday changed my life and i'm not even exaggerating
the ready in 30 filter in larder is carrying my entire household rn
it's 5:40, the kids are feral, larder says dinner takes "20 minutes". sure
me at 4:55pm opening larder like it owes me money
weeknight dinner used to be a daily crisis in our house, now it's a 15 minute sunday job. larder did that
the "quick" recipes in larder assume i have a sous chef and no children
""",
    q="""
how do you all handle nights when practice runs late? swap the meal in larder or keep a backup freezer dinner?
does anyone have a good sunday planning routine with larder? mine takes way too long
is there a way in larder to mark a night as leftovers without adding a fake recipe?
parents who use larder, do you plan 5 nights or all 7?
what are your go-to 20 minute dinners in larder? need new ones, we're in a rut
""",
)

CORE["S1", "T02"] = P(
    neg="""
{partner} added milk at the store and it never showed up on my phone, so we now own four gallons.
Items I check off come back unchecked an hour later on the other phone.
The shared list duplicates everything after a sync. Eggs, eggs, eggs, eggs.
There's no way to see who added what, so I can't tell if the three boxes of cookies were my kid or my partner.
It only seems to sync if you close and reopen the app, which nobody remembers to do mid-shop.
We were in different aisles and it was like using two separate lists.
After the last update {partner} got kicked off our shared list and everything on it vanished.
Inviting my husband took three tries because the invite link kept expiring.
If we both edit at once the list keeps one person's changes and quietly bins the other's.
My teenager can see the list but can't add anything, and I can't find a setting to fix it.
Our store has no signal and the list doesn't work offline, so I'm staring at a spinner next to the bananas.
Checked items disappear on my phone but stay on his, so he buys them again.
I copied the list to a new week and it unshared itself without telling anyone.
Quantities don't merge, so "2 onions" from me and "onions" from my partner stay as separate lines.
Sync lag is bad enough that I've started texting the list again, which is exactly what I was paying to stop.
It pinged my husband for every single item I added, forty notifications in ten minutes, so he turned them all off.
""",
    pos="""
The shared list is why we pay for Plus. I add stuff during the day and my husband grabs it on the way home.
Finally no more texting my partner blurry photos of the inside of the fridge.
We split the store in half and check things off live, which saves us a good twenty minutes.
Watching items vanish as my wife picks them up is weirdly satisfying.
Sync has been rock solid for us since the autumn update.
The kids add their own lunchbox snack requests now, which means fewer complaints on Monday.
Seeing who checked what off ended the "I thought YOU bought it" fights in our house.
My mother-in-law shops for us on Wednesdays and she can use the shared list without any help.
Everything I add at home is on {partner}'s phone before they've even parked at the store.
Two phones, one list, zero duplicate jars of peanut butter this month. A first for us.
""",
    wish="""
Please show who added each item, even just initials.
A notification when my partner starts shopping would stop me adding things too late.
Let the kids have a request list that I approve before it hits the real one.
I'd love separate shared lists for the big weekly shop and the quick corner-store run.
Offline mode for the list, please, our grocery store is a dead zone.
Let me choose which family members get notified, my husband does not need 40 pings.
Sort the shared list by aisle for whoever is doing the shopping.
""",
    soc="""
me and my husband working the same larder list from opposite ends of the store like a heist crew
larder shared list said we were out of eggs. we had three dozen eggs
the day my wife found out larder shows who checked stuff off was the end of my freedom
a shared grocery list that actually syncs >>> 40 texts asking "did you get the bread"
husband added "the good cheese" to our larder list. which one. there are eleven
larder sync broke and we both bought diapers. we now run a small diaper empire
nothing tests a marriage like a shared grocery list that doesn't sync
""",
    q="""
anyone else's larder list not syncing between two phones?? checked items keep coming back for my husband
how do you add your partner to a larder list, the invite link keeps saying expired
is there a way to see who added stuff on the shared list? asking for reasons (my kids keep adding candy)
does the larder shared list work offline? our store has zero signal
families using larder, do you do one big shared list or separate ones per store?
""",
)

CORE["S1", "T08"] = P(
    neg="""
Doubling a recipe for six shouldn't give me salt measured in fractions of a cup.
Scale a recipe to six and "1 egg" becomes "1.5 eggs". What do I do with half an egg?
The serving scaler forgets my setting every time I open a new recipe, so everything snaps back to two servings.
Imported recipes scale the ingredients but not the pan size or the cooking time, and the lasagna was raw in the middle.
It scaled 2 cans of tomatoes to 3.75 cans. I don't buy cans in quarters.
I set our household size to five and half the recipes still default to four.
When I scale up, the grocery list doesn't combine quantities, so "onion" shows up three times.
Some recipes just won't scale at all and it doesn't say why.
Scaling for five turned one packet of taco seasoning into 2.5 packets, which is not a thing you can buy.
It scales adult portions fine but there's no way to say two of the five are little kids who eat half.
Tripling a muffin recipe for the bake sale gave me baking soda amounts that made no sense.
The scale buttons are tiny and I hit minus instead of plus every single time.
""",
    pos="""
Setting our family size once and having every recipe scale to five is brilliant.
It rounds to sensible amounts, 3 eggs not 2.8, which is more thought than I expected.
I cook double on Sunday for Monday's lunches and the scaler makes that painless.
Scaled quantities go straight onto the grocery list, so I'm not doing math in the car.
Handy having metric and cups side by side since my mother-in-law's recipes are all in grams.
Scaling the birthday party chili to 20 servings worked perfectly, list and all.
It tells me when a scaled recipe needs a bigger pan, which saved me from a casserole overflow.
Finally a planner that understands a family of six eats more than "serves 4".
""",
    wish="""
Let me scale by "2 adults and 3 kids" instead of a flat number.
Please remember my servings per recipe, not just the household default.
Warn me when a scaled recipe won't fit in a normal 9x13.
Round packaged stuff to whole packs on the list.
A "double it and freeze half" button would get a lot of use in this house.
""",
    soc="""
larder scaling the recipe to 6 people and telling me to use 1.5 eggs. ma'am
the auto scale to family size in larder slaps, no more doing fractions at 5pm
larder told me to buy 3.75 cans of tomatoes. i'm going to the store with a can opener and a dream
family of 6 and every recipe online is "serves 2". larder scaling is the only thing keeping me sane
doubled a recipe in larder and now apparently the kids' tacos need 4 tbsp of cayenne. no thanks
""",
    q="""
does larder let you set a default household size or do you have to change servings every single time?
how do you all scale recipes when half the family is little kids? larder just does full portions
anyone know if larder can round scaled ingredients to whole cans/packs?
""",
)

CORE["S1", "T09"] = P(
    neg="""
{kid} won't eat anything green and I can't flag that for one person without hiding the recipe for all of us.
The kid-friendly filter happily includes a spicy chickpea curry. My kids would riot.
I can set dislikes for my account but not for the kids, and they're the picky ones.
Everyone in this house has a list of hated foods and the app only lets me store one profile.
It keeps suggesting mushroom dishes after I've thumbs-downed every mushroom dish in the app.
"Family favourites" turned out to mean whatever I cooked most, not what anyone actually liked.
There's no way to note "make plain pasta on the side for {kid}" on a recipe.
The star ratings come from food bloggers, not from eight-year-olds, and that's the review I need.
Kid-friendly apparently just means "has cheese on top".
My youngest can't have dairy and my oldest is vegetarian this month, and the filters can't do both at once.
The suggested tips for picky kids are things like "try adding fresh herbs", which is the opposite of helpful.
It recommended liver and onions as a "family classic". Not in this family.
There's no way to mark a meal as "kids ate it" versus "kids pushed it around", which is the only rating that matters.
""",
    pos="""
I set up profiles for each kid and it actually avoids the stuff {kid} refuses to touch.
The build-your-own dinners are genius for a picky eater, same meal just separated on the plate.
Letting the kids vote on two dinners a week has cut the complaining in half.
The kid-friendly tag is actually kid-friendly, not just "less garlic".
My son picked taco night himself in the app and then actually ate it, peppers included.
{kid} checks the app to see what's for dinner and gets excited on pasta nights. Or at least doesn't cry.
Hiding recipes with the ingredients my daughter hates saves me scrolling past forty salmon dishes.
The "sneaky veg" collection got cauliflower into my kids three times this week without anyone noticing.
Per-person likes and dislikes mean I can plan one dinner instead of cooking three.
""",
    wish="""
Please add per-kid dislikes so I can see at a glance who's going to complain.
A section on hiding vegetables in sauces would be amazing.
Let the kids give a thumbs up or down after dinner so the app learns what works.
I'd love a "deconstructed" toggle that tells me which parts to keep plain.
Let me set a dislike as "won't eat" versus "will eat if it's hidden".
A kid-rated section, please, not adult-rated recipes with "kids love it!" in the title.
""",
    soc="""
larder said "kid friendly" and served my 4yo a spicy curry. we are no longer friends
letting my kids vote on dinner in larder is the best parenting hack i've found this year
my 6 year old has 47 food rules and larder only lets me store like 3 of them
the kid friendly tag on larder means "has cheese on it" and honestly that tracks
{kid} ate a vegetable tonight because larder told me to hide it in the mac and cheese. victory
picky eater update: larder per-kid profiles actually work, we had a whole dinner with zero meltdowns
my kids rated this week's larder dinners. results: pasta 10/10, everything else "disgusting"
""",
    q="""
anyone figured out how to set different dislikes for each kid in larder?
parents of picky eaters, do you use the larder kid friendly filter or just ignore it
how do you plan one dinner when one kid is vegetarian and the other only eats beige food?
is there a way in larder to keep showing me a recipe but flag it for my picky one?
""",
)

CORE["S1", "T11"] = P(
    neg="""
Sent my list to FreshCart and it matched "chicken thighs" to a frozen nugget family pack.
QuickBasket swapped our whole milk for oat milk without asking, and my kids noticed at breakfast.
Half the items come through as unavailable even though they're sitting on the store shelf.
The hand-off to FreshCart drops quantities, so I ordered one apple for a family of five.
It always picks the priciest brand when I send the list over.
Since the update the "send to QuickBasket" button just spins and nothing happens.
I can't choose my usual store, it keeps defaulting to one across town.
Stuff I've already marked in the pantry still gets sent to the delivery order.
"Bananas, 6" turned into six bunches of bananas. Banana bread for the whole street, I guess.
The FreshCart order lost the notes I'd added, so "ripe avocados" arrived rock hard.
It sends the whole list, including things I'd already checked off at the corner store.
If one item fails to match, the whole hand-off fails and I have to start over with a baby on my hip.
""",
    pos="""
Plan the week, tap send to FreshCart, groceries arrive Monday evening. It's magic when it works.
The QuickBasket hand-off saved me a store trip with three kids in tow, which is worth the subscription alone.
It remembers my preferred brands now, so the matches are mostly right.
Reviewing the matches before checkout catches the weird ones.
We haven't set foot in a grocery store in a month and dinner still happens every night.
With a newborn, sending the list straight to delivery was honestly a lifeline.
Substitutions show up in the app now so I can approve them before the driver leaves.
It splits the list so pantry stuff goes to QuickBasket and fresh stuff to FreshCart, which is clever.
""",
    wish="""
Let me lock in a brand for staples so it stops guessing.
Please support more stores, FreshCart only covers half our town.
A "don't substitute" toggle per item would save me a lot of refund requests.
Show the delivery total before I hand it off so I don't blow the weekly budget.
Remember which substitutions my family rejected.
""",
    soc="""
larder sent my list to freshcart and now i have 6 jars of capers and no chicken
the freshcart button in larder is the only reason we survived this week with a newborn
quickbasket via larder swapped my kids' specific yogurt for a different yogurt. the consequences have been dire
plan dinners in larder, tap one button, groceries show up. living in the future (when it works)
larder to freshcart turned "bananas x6" into 6 bunches. banana bread for the entire block
""",
    q="""
does the quickbasket hand off in larder let you choose brands or is it always random?
anyone use larder with freshcart every week? are the matches decent?
is there a way to stop larder sending stuff you already have to the delivery order?
""",
)

# S2 Budget-minded solo cook --------------------------------------------------------------
CORE["S2", "T03"] = P(
    neg="""
$6.99 a month for a grocery list is more than I spend on vegetables some weeks.
They moved the pantry tracker behind Plus in the last update. It was free when I downloaded it.
Three lists max on the free tier is fine until you want one for the big shop and one for the corner store.
I hit the 50 recipe cap in two weeks and now I can't save anything without paying.
Every other screen is a Plus upsell. I get it, you want money. I don't have any.
Charging $49 a year for features that were free in the spring feels like a bait and switch.
No student discount, which seems like a miss considering how many of us use this.
The free trial auto-renewed and charged me for the full year, which was my grocery money for the week.
I'd happily pay a couple of dollars once, but another monthly subscription is not happening on my budget.
The app is great for a week and then everything useful has a little lock icon on it.
Paywalling the nutrition view is annoying, but paywalling the leftover suggestions is just mean.
An app that's supposed to help me save money keeps asking me for money.
The "free" tier is basically a demo at this point.
They emailed me a discount code for Plus the day after I paid full price.
I deleted old recipes to get under 50 and it still counted the deleted ones.
My rent went up $150 this year, I'm not adding a food app subscription on top of that.
Cancelling Plus is buried three menus deep, which tells you everything.
""",
    pos="""
Honestly the free tier is generous enough for one person cooking for themselves.
I caved and got the yearly plan, and it paid for itself in the first month of not binning food.
The free version does everything I need, I just ignore the upsell banners.
At $49 a year it's cheaper than one takeout order a month, so I get why people pay.
Free tier plus a bit of discipline and I've cut my grocery spend by about a third.
I appreciate that the core list and planner are still free, plenty of apps lock those too.
Got Plus on a holiday deal for $29 and I don't regret it.
For a free app this is ridiculously good.
""",
    wish="""
A student plan, please. Even $2 a month and I'd pay.
Let me buy single features instead of the whole Plus bundle.
Raise the free recipe limit to 100 and I'd stop complaining.
Please bring back the free pantry tracker, or at least keep it for people who were already using it.
A one-time lifetime price would get my money tomorrow.
Let me share one Plus account with my roommate, we split everything else anyway.
""",
    soc="""
larder plus is $6.99 a month. my entire spice budget is $6.99 a month
the way larder put the pantry tracker behind a paywall the week i started using it 💀
free tier girlies we ride at dawn (the 50 recipe limit is brutal though)
another app, another subscription. i'm so tired
paying for larder plus is cheaper than me ordering takeout 3 times a week, i did the math and i hate it
"save money on groceries!" says the app charging me $49 a year
deleted 12 recipes to get back under the larder free limit like i'm clearing storage on a 2016 iphone
larder really said "you've reached your list limit" on list number 4. it's a grocery list
""",
    q="""
is larder plus actually worth it if you only cook for one? free version seems fine so far
does larder ever do a student discount? i'd pay if it was like $2
what's the cheapest way around the 3 list limit on larder free, just cram everything into one?
did anyone else lose the pantry tracker after the update or is it just me being on free
how do i cancel larder plus?? cannot find it anywhere and the trial ends tomorrow
""",
)

CORE["S2", "T04"] = P(
    neg="""
The use-it-up suggestions ignore prices, so it tells me to rescue a wilting pepper by buying a $9 cheese.
Adding groceries to the pantry one item at a time takes longer than putting them away.
The pantry doesn't know I share a fridge, so it thinks my housemate's milk is mine.
It marked the leftovers I froze as "expired" after five days.
The pantry tracker thinks I still have the spinach I threw out last week because there's no quick way to mark it gone.
Expiry reminders arrive the day after the thing has gone off.
I buy a bag of carrots for one recipe and it never suggests anything to use up the rest.
Use-it-up suggestions all need five more ingredients I don't have, which means another shop.
Logging leftovers is clunky, you have to type everything in by hand.
It told me to use up half an onion with a recipe that calls for three onions.
The barcode scanner can't read store-brand items, which is literally all I buy.
It keeps warning me my rice is "expiring" when I've eaten it three days running.
The pantry wants exact quantities and I have no idea how many grams are left in an open bag of pasta.
Half my fridge shows up as "unknown item" because the scanner gave up.
Reminders all come at 7am, when I'm on the bus and can't do anything about the yogurt.
If I don't update the pantry for a few days it's useless, and I'm a student, I don't update anything for a few days.
""",
    pos="""
I log the fridge on Sunday in about two minutes and the week's meals come from what's already there.
The expiry view is basically a to-do list for my fridge, and I love it.
The use-it-up tab saved a bag of wilting spinach and half a tub of ricotta this week.
I waste way less since I started logging my fridge, probably $20 a month less in the bin.
Expiry reminders are why my yogurt gets eaten now instead of growing things.
I love that it suggests what to do with the other half of a can of coconut milk.
Planning around what's already in the cupboard has stretched my budget further than any coupon.
Bought one bunch of cilantro and the app found me three meals to use it in.
It flagged that the chicken would go off tomorrow, so I cooked it tonight instead of binning it on Friday.
The "cook from what you have" button is the only reason I eat real food at the end of the month.
My food bin went from full every week to basically empty, and my bank account noticed.
Leftover suggestions turned last night's rice into fried rice, and tomorrow's lunch sorted itself out.
""",
    wish="""
Let me mark something as "about half left" instead of all or nothing.
A weekly "use these first" list on the home screen would be perfect.
Please make the scanner work with store brands.
Let me set reminder times, evenings would be way more useful.
A "broke week" mode that only suggests recipes from what's already in the pantry.
Show me how much money I saved by not wasting stuff, I'd find that really motivating.
""",
    soc="""
larder's use it up tab is the only reason my cilantro doesn't die in the fridge anymore
broke girl hack: put everything in your fridge into larder and let it tell you what to make
larder expiry reminder: "your milk expires today" bro it expired tuesday
end of the month and larder made me dinner out of half a can of chickpeas, an egg and some sad spinach. respect
i've thrown away maybe 2 things this month since using larder's pantry thing. my mum would be proud
the pantry tracker in larder is great if you're the kind of person who updates a pantry tracker. i am not
food waste is money waste and my wallet can't afford either lol. larder helps
""",
    q="""
does anyone actually keep up with the pantry tracker in larder? i give up after like 3 days
best way to use the larder leftovers thing when you cook once for 4 days?
anyone know if the larder scanner works on store brand stuff? mine just says unknown item
what do you all do with the other half of everything when you cook for one?
""",
)

CORE["S2", "T08"] = P(
    neg="""
Recipes scaled to one still list "1 bunch of parsley", and I'll use three sprigs.
When I scale down, the shopping list still rounds up to the family-size pack, so I'm right back to wasting half.
Scaling a stir fry down to one left me with a third of a pepper and no plan for the rest.
The "serves 1" filter has about twelve recipes in it, and four of them are toast.
I scaled a bake to one portion and it still told me to use a 9x13 dish.
Every recipe is for four, and scaling to one gives me a quarter of an egg.
Scaling down doesn't change the grocery list to sizes I can actually buy, nobody sells a third of a cabbage.
I set servings to one and it still puts a full pound of ground beef on my list.
Half the recipes won't go below two servings, which is odd for an app so many people use solo.
Halving a baking recipe gives me measurements no spoon has ever had.
The single-serving setting resets every time the app updates.
Scaled down recipes keep the original cook time, so my one chicken thigh came out as charcoal.
It scaled a curry down to one and kept "1 can coconut milk", as if I'm drinking the rest.
Cooking for one means leftovers for days, and the app has no idea what to do about that.
Scaling to one person still shows family-pack prices on the grocery estimate.
""",
    pos="""
Scaling a curry to two portions gave me dinner and lunch with nothing left to throw away.
It switches tablespoons to teaspoons when I scale down, so I'm not eyeballing a third of a tablespoon.
Single-serving scaling has stopped me cooking for an imaginary family of four.
Scaling to one serving and doubling for tomorrow's lunch is how I stopped eating the same pot of chili for five days.
Scaling everything to two portions is perfect for me and my roommate.
It rounds to things I can actually buy, like one can instead of 0.6 of a can.
The cooking-for-one collection is small, but every recipe in it is actually designed for one.
It even suggests a second recipe to use the other half of the ingredients, which is clever.
Set my default to one serving and it has remembered ever since.
I cook for me and sometimes my boyfriend, and flipping between one and two servings is instant.
""",
    wish="""
Please add a proper "cooking for one" mode that picks recipes that halve well.
Let me set a default of one serving everywhere.
Suggest a follow-up recipe that uses the rest of the bag of whatever.
Show me the cost per serving when I scale down.
Round eggs to whole eggs, I'm begging.
""",
    soc="""
scaled a recipe down to 1 serving in larder and it still told me to buy a whole rotisserie chicken. bestie i live alone
larder's 1 serving mode is the closest thing i have to a relationship right now
cooking for one means every recipe serves 4 and i eat the same lasagna until thursday. larder scaling helps a little
larder scaled it to 1 serving and said 0.25 eggs. how do i crack a quarter of an egg
single people cooking hack: larder has a scale-to-1 button and it changed everything
nothing humbles you like scaling a recipe to 1 and it asking for 1/8 of an onion
the larder scaler assumes i own a kitchen scale. i own a mug and a dream
""",
    q="""
does larder have a cooking for one setting or do i have to change every recipe?
how do people cook for one without wasting half of everything? larder users, tips?
anyone else's larder keep resetting servings back to 4?
""",
)

CORE["S2", "T10"] = P(
    neg="""
A full-screen video ad every time I check something off the list is unhinged.
The ads play with the sound on, louder than my music, in the middle of the store.
It crashes every time I open a recipe with a photo on my old phone.
Takes about ten seconds to open, which is forever when you're holding up the checkout line.
An ad popped up just as I tapped to check off an item and sent me to the app store instead.
After the update it logs me out every few days and my list is gone.
The banner ad sits over the last item on the list so I literally cannot check it off.
It drains my battery even when it isn't open.
Ads for meal kit subscriptions in a budget meal planner. The irony.
My phone is four years old and the app has been basically unusable since the redesign.
The app froze at the register and I had to remember my list from memory like it's 1995.
I got an ad for fried chicken delivery right after planning my cheap lentil week. Rude.
The free tier ads are so frequent that the app feels like it's punishing me for not paying.
It takes 300MB of space for a grocery list, and my phone storage is always full.
""",
    pos="""
Ads are there but they're not that bad, one banner at the bottom and that's it.
Runs fine on my five year old phone, which is more than I can say for most apps.
The latest update fixed the lag I had opening lists.
It hasn't crashed on me once in six months of daily use.
For a free app the ads are surprisingly tolerable.
Works offline in my basement apartment, where the kitchen has no signal.
""",
    wish="""
Let me pay a dollar once to remove ads and I'll do it today.
Please no video ads in the middle of the shopping list.
A lite mode for older phones would be amazing.
Keep my list saved on the phone so an ad or a crash doesn't wipe it.
Mute ads by default, please.
""",
    soc="""
larder free tier: check off eggs, watch a 30 second ad for a car i will never afford
larder crashed mid-shop and i had to remember my list like a caveman
the ads on larder are getting out of hand fr
me, broke, at the store, watching a larder ad for meal kits that cost more than my whole week of food
larder on my cracked 2019 android is a horror movie. 12 seconds to load a list
the larder ad that plays at full volume in a silent grocery store... everyone turned around
""",
    q="""
is it just me or does larder crash every time you open a recipe on android now?
any way to make larder use less battery? it's always top of my battery list
does larder have a remove ads option without buying the whole plus thing?
""",
)

# S3 Macro-tracking meal prepper ----------------------------------------------------------
CORE["S3", "T05"] = P(
    neg="""
Per-serving macros are calculated on the whole recipe, so my chicken rice bowl was apparently 2,400 calories.
An imported recipe claims 4g of protein for a dish with two chicken breasts in it.
User-submitted foods are a mess, there are three entries for oats and all of them disagree.
When I scale a batch up the macros don't rescale with it.
It counts all the oil I shallow-fried in as if I drank it.
Fibre and sugar are just blank on half the recipes.
Cooked versus raw weight isn't distinguished, so my rice numbers are off by a mile.
I checked five recipes against the package labels and every one was off by 15 to 30 percent.
Protein is rounded to the nearest 5g, which is useless when you're tracking closely.
Changing one ingredient doesn't update the totals until you restart the app.
Greek yogurt shows up with the macros of regular yogurt, which is a 10g protein difference per serving.
It can't tell chicken breast with skin from without, and that's a big difference in fat when you're cutting.
My {protein_g} target keeps coming up short in the app even when my hand math says I hit it.
Sodium is missing entirely for imported recipes, and that one matters for me.
""",
    pos="""
The macro view is the cleanest I've used: protein, carbs and fat per serving right on the recipe card.
Whole-food nutrition data has been accurate every time I've checked it against a label.
I like that it shows where the numbers come from, so I can fix the bad ones.
Swapping an ingredient and watching the macros update live is great for tweaking prep to hit my numbers.
It finally understands cooked vs raw weight, which fixed my rice and chicken numbers.
Hitting {protein_g} of protein a day is easy when the plan shows my running total.
The per-serving breakdown is accurate enough that my coach stopped asking for my spreadsheet.
Verified entries have a little check mark, so I always pick those and the numbers are solid.
""",
    wish="""
Let me choose raw or cooked weight for each ingredient.
Flag user-entered data so I know which numbers to double-check.
Show net carbs as an option, please.
Let me set daily macro targets and show how each planned meal fits.
Let me split a batch into uneven portions, my containers aren't all the same size.
Show micronutrients like iron and B12, not just the big three.
""",
    soc="""
larder said my 6 egg white omelette had 2g of protein. respectfully, no
the per serving math in larder is so off i went back to my spreadsheet
love larder's macro view but the user-entered food data is the wild west
larder thinks my meal prep is 2400 cals a serving. if that were true i'd be bulking, not cutting
checked larder's macros against the labels for a week and it's honestly pretty close now. color me surprised
larder counting all the frying oil like i drank it straight out of the pan 😭
cut week 6 and larder is the only tracker that doesn't make me cry when logging meal prep
""",
    q="""
how accurate are larder's macros for you guys? mine seem way off on cooked rice
does larder use raw or cooked weight for meat? trying to figure out why my numbers don't match
anyone compared larder's nutrition numbers against labels? worth trusting for a cut?
is there a way to lock larder to only verified foods?
how do you log a batch that makes 5 uneven portions in larder?
""",
)

CORE["S3", "T06"] = P(
    neg="""
Apple Health shows my meals, but every protein value is zero.
Every time my Fitbit battery dies the sync gives up and never reconnects by itself.
Google Fit creates a brand new meal entry every time I edit a recipe.
Fitbit sync has been broken for weeks, nothing I log shows up.
Apple Health gets every meal twice, so my daily total says I ate 4,000 calories.
Google Fit only syncs if the app is open in the foreground, which defeats the purpose.
I pay for Plus mainly for the Fitbit sync and it disconnects every couple of days.
It writes meals to Apple Health with the wrong date if I log after midnight.
Meals logged on the web version never make it to Google Fit.
It pulls my workouts in and then bumps my calorie target without asking.
Reconnecting Fitbit wiped the previous day's logs.
Sync only sends calories, not protein, which is the only number I care about.
Apple Health permissions reset after every update and I have to switch everything back on.
My watch says I burned 600, the app adds 600 to my budget, and suddenly I'm "allowed" a second dinner. No.
The sync screen says "connected" while nothing has actually synced in four days.
""",
    pos="""
My Fitbit dashboard finally shows protein from my prepped meals with no manual entry.
Apple Health sync just works for me, meals show up within a minute.
Having meal prep macros flow into Fitbit automatically is the whole reason I switched.
Since the last update Google Fit sync has been solid.
It finally stopped double-counting in Apple Health, and my weekly averages make sense again.
Logging once and having it everywhere means I actually stick with tracking.
I can see training days and rest days next to my meals, which helps me carb-cycle.
The sync log showing exactly what was sent is a nice touch for nerds like me.
""",
    wish="""
Let me choose which macros get written to Apple Health.
Pull in my step count but don't touch my targets automatically.
A manual "sync now" button would save a lot of guessing.
Please support Garmin, half my gym wears one.
Show training day and rest day targets from my tracker.
Sync water intake too.
""",
    soc="""
larder x fitbit sync broke again. day 4 of logging chicken and rice into the void
apple health thinks i ate 4000 calories yesterday because larder double synced everything lol
paying for larder plus literally only for the fitbit sync and it's been broken for a week. cool cool cool
larder + google fit finally syncing properly and i almost cried at the gym
my watch and larder are fighting about how many calories i'm allowed and neither of them is winning
whoever fixed the apple health double counting at larder, thank you, my weekly average is no longer 3800
""",
    q="""
anyone else's larder to google fit sync just stop working? reinstalled twice
does the fitbit sync on larder plus actually work or should i not bother upgrading
how do i stop larder from raising my calorie target when my watch logs a workout?
is there a way to make larder only send protein and carbs to apple health?
""",
)

CORE["S3", "T12"] = P(
    neg="""
The gluten-free filter let through a recipe with regular soy sauce, which has wheat in it.
I'm coeliac and can't trust the GF tag, so I end up checking every ingredient anyway.
"Low carb" apparently includes a recipe with two cups of rice.
The nut allergy filter missed a pesto. A pesto.
Diabetic-friendly recipes with a maple syrup glaze, come on.
I can't exclude a single ingredient completely, only pick preset diets.
Substitution suggestions ignore my restrictions and recommend regular flour.
Oats get a GF tag with no mention of cross-contamination, which matters a lot if you're actually coeliac.
The keto filter shows recipes with 40g of carbs per serving.
Carb counts per serving aren't reliable enough to dose insulin from, and that's exactly what I'd want them for.
It only lets me pick one diet at a time, and I'm low carb and dairy free.
""",
    pos="""
Excluding gluten across everything, grocery list included, has made shopping far less stressful.
The low carb filter is the best I've found and shows carbs per serving right on the card.
It flags "may contain" ingredients instead of pretending everything is safe.
The diabetic-friendly tag actually considers sugar and not just calories.
Stacking filters for dairy free and high protein works great for my prep.
The ingredient exclusion list finally lets me block barley and rye, not just wheat.
Since going gluten free it's the only planner I trust for the weekly plan.
""",
    wish="""
Let me add my own exclusions, like oats that aren't certified GF.
Please show why a recipe got a GF tag so I can check the reasoning.
Carb counts per meal on the weekly plan would help a lot with insulin dosing.
Let me combine more than one diet.
Let me mark my own recipes as safe once I've checked them.
""",
    soc="""
coeliac psa: do NOT trust larder's gluten free tag blindly, it let regular soy sauce through
larder's low carb filter is honestly elite, found 12 new meal prep lunches
"diabetic friendly" recipe in larder with a maple glaze. bold choice
type 1 here, larder's carbs per serving on the plan view has made dosing so much less guesswork
gf + high protein + dairy free filters in larder all at once and it still found me stuff. shocked
larder nut free filter let a pesto through. PESTO. fix this before someone ends up in the er
""",
    q="""
any coeliacs using larder? how much do you trust the gf filter
does larder let you stack diets like low carb and dairy free?
type 1s using larder, do you dose from the app's carb counts or double check everything?
is there a way to exclude one specific ingredient in larder? the preset diets don't cover mine
""",
)

CORE["S3", "T04"] = P(
    neg="""
Leftovers drop off the plan after three days, even when they're in the freezer.
I batch cook for the week and there's no way to tell the planner that Tuesday through Friday is the same meal.
Leftovers don't carry their macros over, so I log the same container five times by hand.
The pantry tracker doesn't subtract what I used in my prep, so it thinks I still have 2kg of chicken.
There's no freezer tracking, so I forget what's in there until it's covered in frost.
If I eat a prepped portion on a different day, the whole week's plan shuffles around.
It keeps suggesting new recipes when I've got four portions of prep sitting in the fridge.
There's no portion counter, so I never know if I've got two containers left or three.
Bulk buying chicken for prep confuses the pantry, it reads 5kg as five items.
Planning a prep day means entering every recipe five times.
""",
    pos="""
The portion counter stops me cooking on Wednesday when I still have prep left.
Marking a batch as 5 portions and having it fill my lunches for the week is perfect.
The pantry tracker stops me buying a third bag of rice I don't need.
The leftovers view tells me how many portions of prep are left, which keeps me honest.
My Sunday prep shopping list is generated in one tap and nothing goes to waste by Friday.
Expiry dates on prepped meals mean I stopped eating questionable day-six chicken.
It suggests a recipe for whatever protein is left over after prep, so nothing goes off.
Freezer portions with dates are finally in, and I found three lost chilis immediately.
""",
    wish="""
Freezer inventory with dates, please.
Let leftovers inherit macros from the original recipe.
A "prep day" view that combines all the recipes into one timeline.
Let me mark a portion as eaten straight from the notification.
""",
    soc="""
sunday prep done, 10 containers, larder tracking every single one like a proud parent
larder needs freezer tracking so bad, i just found a mystery chili from august
logging the same meal prep container 5 times a week in larder is my villain origin story
larder's portion counter saying "2 left" on wednesday keeps me from ordering pizza. tiny coach
the pantry tracker in larder thinks i still have 2kg of chicken. buddy i ate it
""",
    q="""
how are you guys logging batch cooked meals in larder? one entry or five?
does larder have a way to track freezer meals yet?
is there a way to make prepped meals count down in larder as you eat them?
meal preppers using larder: do you plan by day or by batch?
""",
)

# S4 Recipe-collecting enthusiast ---------------------------------------------------------
CORE["S4", "T07"] = P(
    neg="""
Imported a focaccia recipe and got the blogger's entire life story, three ads and no ingredients.
The importer mangles fractions, so 1/2 cup became 12 cups.
About half my favourite blogs just return "couldn't import this recipe".
It splits ingredients strangely, so "salt and pepper to taste" becomes an item called "to taste".
Import works on the website but fails every time from the share sheet on my phone.
It grabs the ingredients but drops the method entirely.
Imported recipes lose their section headings, so the filling and the pastry end up in one long jumble.
Photos never come across with the import, just a grey placeholder.
Sites with a "jump to recipe" button confuse it, and it imports the comments instead.
Metric recipes from UK blogs come through with the units stripped, so it's just "200 flour".
It imported a recipe for {blog_dish} with every ingredient listed twice.
Oven temperatures get converted twice, and apparently my oven was meant to be at 750 degrees.
I tried importing from my favourite baking blog and it pulled in the nutrition disclaimer as step one.
Importing from a recipe video description gives me gibberish.
""",
    pos="""
The blog import is the best I've used, it strips the life story and the ads and keeps the actual recipe.
I imported about 150 recipes over a weekend and maybe five needed fixing.
Sharing from my browser straight into Larder is seamless.
It kept the ingredient sections for a layered cake, which no other app has managed.
Even my obscure little baking blogs import cleanly.
I paste a link, it gives me a clean card, and I never have to scroll past someone's holiday photos again.
Notes and headings from the original recipe come through intact.
It imported the {blog_dish} from a blog I've followed for a decade perfectly, photo and all.
Importing is quick enough that I save recipes while I'm still reading them.
""",
    wish="""
Let me edit the import before it saves, so I can fix the bits it gets wrong.
Please support importing from a photo of a cookbook page.
Bulk import from my old recipe app would make switching painless.
Keep a link back to the original blog so the authors get credit.
Let me choose whether to bring the photo in.
Handle recipes that are split across two pages.
""",
    soc="""
larder importing a recipe and skipping the 2000 word essay about the blogger's trip to tuscany >>>
tried to import a recipe into larder and it saved the comment section instead. the comments were better than the recipe tbh
larder's recipe import turned 1/2 cup of sugar into 12 cups. it's a cake now. a very large cake
i have imported 200 recipes into larder this week and i regret nothing
the larder importer is the only one that understands my favorite blog's weird format. staying forever
paste link, get recipe, no life story. larder really said "we don't need to hear about your summer in provence"
""",
    q="""
does larder import work with most food blogs? my current app fails on like half
anyone know why larder import fails from the share sheet but works on web?
can larder import from a screenshot or only from a link?
what's the best way to bulk move recipes into larder from another app?
""",
)

CORE["S4", "T13"] = P(
    neg="""
There are no folders, only tags, and tags can't be nested.
Search only looks at titles, so searching "buttermilk" finds nothing even though I have twenty recipes with it.
I scanned my grandmother's handwritten cards and the OCR turned "tbsp" into "tosp" on every single one.
There's nowhere to put notes on a recipe, and that's where all my tweaks live.
Sorting is alphabetical only. I want "recently cooked" or "not made in a while".
Duplicates pile up and there's no way to merge them.
The free tier stops at 50 recipes and I have about {n_recipes}.
Tags are case sensitive, so I have "Dessert", "dessert" and "desserts" as three separate tags.
The cookbook photo scan gets the ingredients but mixes up the order of the steps.
{relative} cards are in cursive and the scanner gives up on every one of them.
Renaming a tag doesn't rename it on the recipes that already have it.
""",
    pos="""
Tags plus search make it easy to find that one soup I made last February.
The notes field is perfect for "less sugar next time" and "Dad loved this one".
I finally have all {relative} recipes in one place, typed up and searchable.
The cookbook photo scan worked better than I expected on printed pages.
Ingredient search means I can type "rhubarb" in June and see everything I've ever saved.
Smart collections like "not cooked in 6 months" have got me making old favourites again.
I shared a family recipe collection with my sister and now we both add to it.
Moving my whole library of {n_recipes} recipes in here was worth every minute.
I can attach a photo of the original card next to the typed version, which makes me a bit teary every time.
""",
    wish="""
Nested folders please, or at least collections inside collections.
Let me search by ingredient, not only by title.
A shared "family recipes" book I can invite cousins to would be lovely.
Let me add a photo of the original card alongside the typed recipe.
Merge duplicates, please.
Let me rate recipes and sort by my own ratings.
""",
    soc="""
finally got my grandma's recipe cards into larder and i'm being so normal about it (crying)
larder please add folders i'm begging, 600 recipes in one tag soup
my larder recipe box is now better organized than my actual life
the larder ocr turned my nan's "pinch of nutmeg" into "punch of nutmeg" and honestly she'd have laughed
14 years of bookmarked recipes, 3 apps, 2 notebooks, 1 shoebox. all in larder now. i feel free
searching "lemon" in larder and only getting recipes with lemon in the title should be a crime
""",
    q="""
how do you all organize 500+ recipes in larder? tags are getting out of hand
anyone scanned handwritten recipe cards into larder? how's the ocr on cursive?
is there a way to share a recipe collection with family in larder?
does larder search inside the ingredients or just the titles?
""",
)

CORE["S4", "T10"] = P(
    neg="""
The library takes forever to sync after I add a recipe on the iPad, so my phone is always a few recipes behind.
Photos of my handwritten cards vanished after the update, only the typed text survived.
It logs me out every couple of weeks and then I wait for the whole library to download again.
Cook mode crashes if I switch to the timer and back.
Search freezes for a few seconds on every letter I type, at least with a library my size.
The app forgot all my tags after it crashed halfway through an import.
There's no offline access, so I can't see my recipes at the cabin where there's no signal.
The update wiped my notes on about forty recipes.
It crashes when I open a recipe with a long method, which is most of the ones I care about.
The screen dims while I'm cooking and it loses my place in the method.
After switching phones, half my library didn't come across.
Scrolling through 600 recipes lags so badly it's quicker to dig through the shoebox.
It crashed mid-bake with flour all over my hands and reopened on the home screen.
Syncing my library between the iPad and my phone duplicated 200 recipes.
There's no export, so if this app disappears, so does twenty years of collecting.
""",
    pos="""
Big library, no lag, and it has survived three updates without losing a single note.
I downloaded my favourite collections before a trip abroad and cooked from them without any data.
Offline mode saved me at my in-laws' cottage with no wifi.
Cook mode keeps the screen on, which matters when your hands are covered in dough.
My library of {n_recipes} recipes loads quickly even on my old tablet.
Haven't had a single crash since the winter update.
Export to PDF gave me a backup I can actually print.
Everything survived the move to my new phone, notes and photos included.
""",
    wish="""
Please let me download my whole library for offline use.
An export to PDF or a plain file so I have a backup.
Keep the screen awake by default in cook mode.
Let me restore notes from a previous version.
Let me choose which collections stay available offline.
""",
    soc="""
larder cook mode crashed when i switched to the timer. the sourdough and i are both upset
larder update deleted my notes on 40 recipes. years of "less salt" and "dad's favorite" just gone
no offline mode in this day and age is crazy, i was at the lake with no signal and couldn't see my own recipe
cook mode keeping the screen on in larder is such a small thing but my floury hands thank you
larder crashed mid croissant lamination and i lost my place. i'm not ok
please larder let me export my recipes. 20 years of collecting shouldn't depend on one app
""",
    q="""
is there a way to back up your larder recipe library? scared after the last update
does larder work offline at all? going camping and want my recipes
anyone else lose recipe notes after the last update?
""",
)

CORE["S4", "T08"] = P(
    neg="""
Doubling a bread recipe doubled the rise time too, which is not how bread works.
It rounds 7g of yeast to "1 packet", which is not the same thing for my recipes.
Converting grams to cups for baking is approximate at best, and my bread came out like a brick.
Scaling a recipe for twelve dinner guests doesn't touch the cook time or the pan size.
The converter turns "a pinch" into 0.0625 tsp, which is funny but not helpful.
My UK recipes in grams never convert cleanly to US cups, it's always slightly off.
Scaling {relative} cake recipe by 1.5 gave me half an egg and a very confused afternoon.
Yeast doesn't scale in a straight line and the app doesn't know that.
It converts Fahrenheit to Celsius but leaves "gas mark 4" untouched.
Scaling down a braise gives me a quarter bottle of wine, which I suppose is a problem I can solve.
Converting a sourdough recipe to cups is a crime, and the app does it without asking.
""",
    pos="""
Conversions to grams for my American cookbooks are spot on.
Scaling up for a dinner party of ten is painless, and it converts my old imperial recipes to metric.
The grams-to-cups conversion uses ingredient-specific densities, which is rare.
I can flip between metric and US units on the fly, great for old cookbooks.
Scaling my grandmother's "feeds a crowd" recipes down to a normal size finally works.
It keeps baker's percentages when I scale bread, which made me trust it immediately.
Scaled a Thanksgiving menu for 14 and everything was right, down to the butter.
""",
    wish="""
Let me keep the original units alongside the converted ones.
Baker's percentages would be a dream.
Don't convert my baking recipes to volume without asking.
Let me scale by pan size, my grandmother's recipes are for a tin I don't own.
Support gas marks and old-fashioned measures like "a teacup".
""",
    soc="""
larder turned "a pinch of salt" into 0.0625 tsp and honestly that's the most precise i've ever been
scaled my nan's christmas cake recipe in larder and it wants 1.5 eggs. nan would never
the larder converter uses different densities for flour vs sugar. finally someone who gets it
hosting 12 this weekend, larder scaled everything, my spreadsheet era is over
""",
    q="""
does larder scale by pan size or only by servings?
how accurate is larder's grams to cups for baking? thinking of trusting it with bread
anyone know if larder can show both metric and cups at once?
""",
)

# ---------------------------------------------------------------------------------------
# Cross-segment themes (the segment shows through the wording; generic lines back them up)
# ---------------------------------------------------------------------------------------
CROSS: dict[tuple[str, str], dict[str, list[str]]] = {}
CROSS["S1", "T03"] = P(
    neg="""
We need the shared list on two phones and that's a Plus feature now, which feels like being taxed for being married.
$6.99 a month on top of the streaming, the kids' apps and the school lunch account adds up fast.
Family sharing doesn't cover Plus, so my husband's phone gets the free version and half the features.
They put the per-kid profiles behind the paywall after I'd spent an evening setting them all up.
With three kids I'm already paying for everything, I really didn't want another subscription for the grocery list.
""",
    pos="""
Plus is worth it for the shared list and the delivery hand-off alone, it saves me a store trip a week with the kids.
$49 a year is less than one takeout night for a family of five.
""",
    wish="""
A family plan that covers both parents' phones, please.
""",
    soc="""
larder plus doesn't cover family sharing so my husband is on the free version like a second class citizen
""",
    q="""
does larder plus cover both parents' phones or do we each have to pay?
""",
)
CROSS["S1", "T10"] = P(
    neg="""
The app crashes every time I open it in the school pickup line, which is exactly when I need to check dinner.
After the update our whole week's plan vanished and I had to rebuild it with two kids asking for snacks.
It's so slow to open that I've already decided on pasta by the time it loads.
The planner freezes whenever I drag a dinner from one day to another.
It logged my husband out and his copy of the family plan was blank for three days.
""",
    pos="""
Quick to open, which matters when a child is screaming in the cart.
""",
    wish="""
Please make the week plan survive updates.
""",
    soc="""
larder crashed in the pickup line, 3 kids in the car asking what's for dinner, i said "cereal" and meant it
""",
)
CROSS["S1", "T04"] = P(
    neg="""
The pantry tracker has no idea the kids ate half the cheese, so its suggestions are pure fiction.
Leftovers planning ignores that nobody in my family will eat the same dinner twice in a row.
""",
    pos="""
The leftovers suggestions turned Sunday's roast into Monday's wraps and the kids didn't notice.
We throw away a lot less since I started using the use-it-up suggestions for lunchbox fillers.
Expiry reminders mean the yogurt tubes get eaten before they turn.
""",
    wish="""
Let me plan "leftovers for school lunch" straight from the dinner.
""",
    soc="""
larder turned last night's roast chicken into lunchbox wraps and my kids think i'm a genius. i am not
""",
)
CROSS["S1", "T12"] = P(
    neg="""
My daughter has a peanut allergy and the nut-free filter still showed a satay recipe.
I can only set allergies for the whole account, not for one child.
The dairy-free swaps it suggests are things my kids won't touch.
""",
    pos="""
Setting my son's egg allergy once and never seeing egg recipes again is a huge relief.
The allergy warnings on the grocery list are great when my husband does the shopping.
""",
    wish="""
Let me set allergies per family member.
""",
    q="""
allergy parents: does larder let you set an allergy for just one kid?
""",
)
CROSS["S2", "T02"] = P(
    neg="""
My roommate and I share a list and half the time her edits don't show up on my phone.
The shared list duplicated every item after the update, so all four of us bought olive oil.
There's no way to split costs on the shared list, so we still end up arguing over receipts.
Only the person who created the list can delete items, so it just grows forever.
""",
    pos="""
Sharing one list with my three housemates has finally ended the triple-bought olive oil problem.
Our flat uses one shared list for staples and it has honestly kept the peace.
""",
    wish="""
Let us tag items as "mine" or "shared" so we know who pays.
Cost splitting on the shared list would make this perfect for housemates.
""",
    soc="""
me and my 3 roommates on one larder list is the closest we've come to functioning as adults
""",
)
CROSS["S2", "T01"] = P(
    neg="""
After a double shift the last thing I want is to scroll 300 "quick" recipes that all take an hour.
The quick meals still need a food processor, which my dorm kitchen does not have.
""",
    pos="""
Having the week planned means I stop ordering takeout when I get home tired from class.
The 15 minute filter is perfect for after my evening shift.
""",
    wish="""
A filter for recipes that only need one pot and a microwave would be huge for dorm kitchens.
""",
    soc="""
larder's 15 min filter after a closing shift is the only thing standing between me and a $20 delivery order
""",
)
CROSS["S2", "T07"] = P(
    neg="""
I tried importing a cheap-eats recipe from a blog and got the ads instead of the ingredients.
Recipe import is a Plus feature now, so I copy and paste everything by hand.
""",
    pos="""
I import budget recipes from blogs and it actually works most of the time.
""",
    wish="""
Let free users import at least a few recipes a month.
""",
)
CROSS["S2", "T05"] = P(
    neg="""
The calorie numbers on the cheap recipes look made up, a whole pot of lentil soup can't be 90 calories.
I'm trying to eat enough protein on a budget and the protein numbers are all over the place.
""",
    pos="""
Nice that it shows cost per serving next to calories, it helps me pick cheap filling meals.
""",
    wish="""
Show protein per dollar, honestly, that's the number I care about.
""",
)
CROSS["S3", "T03"] = P(
    neg="""
Fitness tracker sync is Plus only, so I'm paying $6.99 a month for a feature that's broken half the time.
Macro targets used to be free and now they're locked behind Plus.
I'd pay for Plus if the nutrition data were reliable, but I'm not paying to double-check everything myself.
""",
    pos="""
Plus is worth it for me purely for the macro view and Apple Health sync.
""",
    wish="""
Unlock macro totals for free users, it's basic.
""",
    soc="""
larder locking macro totals behind plus is like a gym charging extra for the weights
""",
)
CROSS["S3", "T10"] = P(
    neg="""
The app crashes when I log a meal right after a workout, every single time.
It lost a full week of logged meals after the update, which wrecked my weekly averages.
Logging is so laggy that I give up and log later, then forget.
""",
    pos="""
Logging a meal takes two taps and the app never lags, which is why I've stuck with it.
""",
    wish="""
Please make logging work offline, my gym has no signal.
""",
)
CROSS["S3", "T08"] = P(
    neg="""
Scaling a recipe up to 5 portions for prep doesn't work out the macros per container properly.
Scaling a prep recipe by 3 gave me 4.5 chicken breasts. They come in packs of 4.
""",
    pos="""
Scaling a recipe up to a full week of lunches and seeing macros per container is perfect for prep.
""",
    wish="""
Let me scale by grams of protein per serving instead of by servings.
""",
)
CROSS["S3", "T11"] = P(
    neg="""
FreshCart keeps substituting chicken breast with thighs, which blows my macros for the week.
The delivery hand-off ignores my gluten-free brands and sends the regular version.
""",
    pos="""
Sending my prep list straight to QuickBasket means Sunday is cooking, not shopping.
""",
    wish="""
Let me mark items as "no substitutions, I'm tracking this".
""",
)
CROSS["S4", "T03"] = P(
    neg="""
Charging extra once you pass 50 recipes is a tax on people who actually love cooking.
I've put {n_recipes} recipes in here over the years and now I'm told to pay or lose access to most of them.
Web import moved behind Plus, and that's the main reason I use this app.
""",
    pos="""
For a lifetime recipe collection, $49 a year is fair and I'm happy to support it.
""",
    wish="""
A lifetime licence, please, I want my recipe library to be mine.
""",
    soc="""
larder capping free recipes at 50 is hilarious to me, i have 50 recipes for banana bread alone
""",
)
CROSS["S4", "T12"] = P(
    neg="""
I cook for friends with allergies and the allergen labels on imported recipes are just missing.
Hosting a coeliac friend, and the GF filter missed the malt vinegar in my own recipe.
""",
    pos="""
Allergen tags on my saved recipes made planning a dinner party around three different diets much easier.
""",
    wish="""
Let me tag my own recipes with allergens, imported ones especially.
""",
)
CROSS["S4", "T04"] = P(
    neg="""
After a big weekend cook I always have half a bunch of tarragon and a tub of crème fraîche left, and the suggestions never use them.
The pantry tracker doesn't know what saffron or sumac is.
""",
    pos="""
The use-it-up feature found a second recipe for the leftover buttermilk from my scones.
""",
    wish="""
Suggest recipes from my own library, not generic ones, to use up leftover ingredients.
""",
)
CROSS["S4", "T11"] = P(
    neg="""
Sent my dinner party list to FreshCart and it matched "fresh thyme" to dried thyme.
Specialty ingredients never match in QuickBasket, so I end up at the store anyway.
""",
    pos="""
Sending a big weekend cooking list to FreshCart saves me a trip, mostly.
""",
    wish="""
Let me mark specialty items as "I'll buy these myself".
""",
)

# Segment-neutral lines per theme, used for cross themes and short reviews
GENERIC: dict[str, dict[str, list[str]]] = {
    "T03": P(
        neg="""
Way too expensive for what it does.
Features I used every day got moved behind the paywall overnight.
The free tier limits feel designed to annoy you into paying.
The price went up and nothing new was added.
I got charged after cancelling the trial.
""",
        pos="""
Plus is fairly priced for how much I use it.
""",
    ),
    "T10": P(
        neg="""
It has crashed constantly since the latest update.
I lost all my data after the update.
The app is really slow to load.
It freezes when I switch between tabs.
""",
        pos="""
Solid and stable, never had a crash.
""",
    ),
    "T04": P(
        neg="""
The pantry tracker is more work than it saves.
""",
        pos="""
We're throwing out a lot less food.
""",
    ),
    "T12": P(
        neg="""
The allergy filters miss obvious ingredients.
""",
    ),
    "T02": P(
        neg="""
The shared list doesn't sync reliably.
""",
    ),
    "T11": P(
        neg="""
The delivery matches are often wrong.
""",
    ),
}

# ---------------------------------------------------------------------------------------
# Who is talking: self-descriptions, segment-flavoured praise, asides
# ---------------------------------------------------------------------------------------
IDENTITY = {
    "S1": L("""
Mom of three, full-time job, and a husband who "forgets" the list.
We're a family of five and I do nearly all of the planning.
Two kids under eight and we both work full time.
Dad of {kids_n} here, I took over the cooking when my wife went back to work.
Our house is me, {partner}, two teenagers and a toddler, so dinner is chaos.
I plan dinners for six most weeks if you count my mother-in-law.
I'm the default dinner parent in our house.
T09,T01,T08|Family of four, one picky eater and one who eats anything that isn't nailed down.
With {kids_n} kids and swim practice three nights a week, dinner has to be sorted before Monday.
I work shifts and my husband does the school runs, so we tag-team dinner all week.
We have twins in first grade and a baby on the way.
Mom of two boys, and dinner is pretty much all on me.
Blended family, so some weeks we cook for three and some weeks for six.
Stepdad of two, learning to cook on the job.
Working mum, two kids, and a dog who also has opinions about dinner.
Our kids are {age} and {age2}, and they eat like a small army.
My wife and I both work late twice a week, so planning is the only thing keeping us fed.
Homeschooling three kids means I'm also the lunch lady.
We have four kids between 3 and 12, so no single dinner suits everyone.
T09,T01,T08,T02|Foster parent here, so the number of picky eaters at my table keeps changing.
I feed a family of five around soccer, piano and a night shift.
Full-time nurse and mom of two.
My partner travels for work during the week, so weeknights are just me and the kids.
Grandma raising two grandkids, so I'm relearning kid food at 61.
T09,T01,T12,T08|Our oldest just went vegan and our youngest only eats nuggets, pray for me.
"""),
    "S2": L("""
College student, cooking for one on a very tight budget.
First apartment, and my grocery budget is about {budget} a week.
Grad student here, and the stipend does not stretch far.
I live alone and I hate throwing food out.
I share a flat with two others and we split groceries.
Just moved out and trying to learn to cook without going broke.
Rent ate most of my paycheck this year so I'm watching every dollar.
Part-time barista, full-time student.
I cook for me and my girlfriend and we're both on minimum wage.
Retired and living on my own, I don't need much but I hate waste.
Nursing student working nights, so groceries happen whenever they can.
I'm 23, living with three roommates, and my shelf in the fridge is tiny.
Apprentice electrician, so money's tight until I qualify.
Recently divorced and cooking for one for the first time in fifteen years.
Living on a {budget} weekly food budget in an expensive city.
International student, so I'm learning to cook with whatever the local supermarket has.
I work retail, my hours change every week, and so does my budget.
Living in a studio with a two-burner stove and a mini fridge.
Paying off student loans, so groceries are the only flexible line in my budget.
Single guy in my mid thirties, finally learning to cook instead of living on delivery.
My partner and I are saving for a deposit so we're cooking everything at home.
Between jobs at the moment, so every dollar of food has to count.
First year teacher, which means broke.
"""),
    "S3": L("""
I lift five days a week and track everything.
T12,T05|Type 1 diabetic, so carb counts actually matter to me.
T12,T11,T05|Diagnosed coeliac last year and still figuring it all out.
I meal prep every Sunday: five lunches, five dinners, same containers.
Cutting for a powerlifting meet in the spring.
Down 30 pounds this year, mostly through prepping and logging.
My dietitian wants me at {protein_g} of protein a day.
T06,T05,T04,T03,T10,T08|Training for my first marathon and trying to actually fuel properly.
Bodybuilding prep, so macros are non-negotiable.
T12,T05|I have PCOS and my doctor suggested low carb, so I watch carbs closely.
Personal trainer here, and I recommend apps like this to clients all the time.
Recomping at {cal} calories with a {protein_g} protein target.
T12,T05|Pre-diabetic and trying hard to stay off the medication.
CrossFit five mornings a week, prep on Sundays.
I'm a nurse on 12-hour shifts, so I prep everything or I end up eating from the vending machine.
Postpartum and trying to get my strength back without crash dieting.
T04,T05,T06,T08,T03,T10|Firefighter, and I prep all my meals for station days.
T12,T11|Gluten free and dairy free, so eating out is basically off the table.
T06,T05,T04,T03,T10|Cyclist, and I track carbs around long rides.
On a doctor-supervised weight loss plan and logging every meal.
200 lbs down over three years, so tracking is just a habit now.
High blood pressure runs in my family, so I watch sodium as closely as macros.
"""),
    "S4": L("""
I've been collecting recipes for twenty years, from magazines, blogs and my grandmother's index cards.
Keen home cook and weekend baker.
I have over {n_recipes} recipes saved across four apps and a shoebox.
I cook something elaborate every weekend, Sunday is my project day.
Retired chef, and now I just cook for friends.
T13,T07,T10,T03|I inherited {relative} recipe box and I've been slowly typing it up.
T07,T13,T10|I've read food blogs since before food blogs had life stories.
I own more cookbooks than my shelves can handle.
I host a dinner party about once a month.
Baking is my therapy: bread on Saturdays and something fancy on Sundays.
T13,T10,T03,T08|My family has a handwritten cookbook going back three generations and I'm trying to preserve it.
I'm the one who brings homemade everything to every potluck.
Amateur pastry nerd, lamination and all.
I cook through one cookbook a year, cover to cover.
Retired teacher with a lot of time and a lot of saved recipes.
I run a little supper club out of my apartment.
Cooking is my hobby, not a chore, so I care more about the recipes than the shopping.
My partner and I cook a new cuisine every month.
I bookmark about ten recipes a week and make maybe two.
T13,T07,T03|I've got a stack of clipped newspaper recipes from the 80s that I'm finally digitising.
My mum and I swap recipes constantly.
T08,T13,T10,T07|My sourdough starter is four years old and has a name.
"""),
}

# Composed self-descriptions: "<role>, <situation>." (adds variety on top of IDENTITY)
ROLES = {
    "S1": L("""
Mom of {kids_n}
Dad of {kids_n}
Working mum of two
Stay-at-home dad
Mum to a toddler and a nine-year-old
Parent of three under ten
Mother of twins
Stepmom of two
Dad of a very picky six-year-old
Mum of four
Dad of two girls
Parent of a teenager and a preschooler
"""),
    "S2": L("""
Uni student
Second-year college student
Grad student
Twenty-something renter
Single guy in my thirties
Part-time student
Young professional in a shared house
Apprentice
Retiree living alone
Night-shift worker
Recent grad
Cashier by day, student by night
"""),
    "S3": L("""
Powerlifter
Gym rat
Type 2 diabetic
Amateur bodybuilder
Runner
Nurse who meal preps
Personal trainer
Triathlete
Ex-athlete trying to stay in shape
Engineer who lifts four days a week
Shift worker who preps everything
Weekend hiker and weekday lifter
"""),
    "S4": L("""
Home baker
Self-confessed recipe hoarder
Weekend cook
Retired home economics teacher
Keen amateur cook
Cookbook collector
Supper club host
Third-generation family cook
Bread nerd
Self-taught cook
Food blog addict
Former line cook
"""),
}
SITUATIONS = {
    "S1": L("""
both of us work full time
my husband works nights
the kids have activities four nights a week
and one of them eats nothing but pasta
my partner shops and I plan
dinner has to be on the table by 5:30
we're feeding six most weekdays
with a commute that gets me home at 6:15
and I'm the one who plans everything
my in-laws eat with us twice a week
and our weeknights are a blur of homework and practice
one income and a lot of mouths
"""),
    "S2": L("""
living on about {budget} a week for food
sharing a tiny kitchen with three housemates
cooking for one most nights
trying really hard to stay on the free tier
with rent taking more than half my pay
and my fridge is basically a mini bar
learning to cook from scratch
paying off loans so groceries are tight
two-burner stove and no oven
trying to stop wasting half of everything I buy
no car, so I carry every grocery bag home
and payday is always a week too far away
"""),
    "S3": L("""
tracking macros every single day
hitting {protein_g} of protein most days
prepping lunches for the whole week on Sundays
eating around {cal} calories
cutting right now
on a slow bulk
logging everything to my watch
keeping carbs under 100g a day
trying to recomp without losing strength
prepping five days of food in one go
weighing everything down to the gram
and my meals are planned a week ahead
"""),
    "S4": L("""
with about {n_recipes} saved recipes
slowly digitising {relative} recipe cards
cooking something ambitious every weekend
with a shelf of cookbooks I actually use
bookmarking more recipes than I could ever cook
hosting friends most Saturdays
baking bread twice a week
keeping recipes from three generations of my family
trying to get everything out of a shoebox and into one app
with a habit of scribbling notes on every recipe
and an embarrassing number of bookmarked blogs
obsessed with getting old family recipes exactly right
"""),
}

SEG_PRAISE = {
    "S1": L("""
The meal planner itself is great for our family.
Overall it has made our weeknights calmer.
I love the weekly planner and so does my husband.
Most of the app is exactly what a busy family needs.
The recipes are good and the kids like most of them.
Planning the family's week has never been easier.
The idea is perfect for families and the design is lovely.
It has replaced the whiteboard on our fridge.
We use it every single week and I like it a lot.
It has made my Sundays so much more organized.
Honestly it's the best family meal planner I've tried.
Our grocery bill went down once we started planning with it.
"""),
    "S2": L("""
For a free app it does a lot.
The planner is simple and works well for one person.
It has helped me stick to my budget most weeks.
I like the recipes, they're mostly cheap and easy.
Love the idea of planning meals around a budget.
It has made me cook way more instead of ordering in.
The grocery list is great and easy to use.
Genuinely useful for someone learning to cook.
The cheap eats section is great.
Clean design, easy to use, doesn't cost me anything.
"""),
    "S3": L("""
The macro view is great when it works.
Meal prep planning is excellent.
Love how fast it is to plan a prep week.
The recipes are solid, with lots of high protein options.
It's the best app for planning prep that I've used.
The tracking side is well thought out.
Really clean interface for logging meals.
The high protein collection is genuinely good.
I love the nutrition breakdown on each recipe.
It has kept me consistent more than anything else I've tried.
"""),
    "S4": L("""
The recipe box is beautiful and easy to browse.
I love having my collection all in one place.
Cook mode is lovely.
The recipe cards are the prettiest of any app I've tried.
Great for people who take their cooking seriously.
Each recipe is laid out clearly and is easy to read while cooking.
I adore this app for keeping my recipes.
It's the best recipe manager I've found in years of looking.
Lovely design, clearly made by people who cook.
My recipes have never looked so tidy.
"""),
}

ASIDES = {
    "S1": L("""
Writing this in the school pickup line.
Yes, I'm writing an app review at 11pm after the kids finally went down.
My husband says I'm obsessed, and he's not wrong.
(The dog is also a picky eater, but that's a different app.)
Currently hiding in the pantry to write this.
Our old fridge calendar has officially retired.
"""),
    "S2": L("""
Writing this from a kitchen the size of a closet.
My roommates think I'm a nerd for tracking groceries.
Yes, I keep instant noodles as a backup, I'm not a saint.
My banking app and I are back on speaking terms.
Typing this between shifts.
"""),
    "S3": L("""
Currently eating chicken and rice out of a container, as one does.
Yes I weigh my food, no I'm not fun at parties.
Half my gym uses it now because of me.
Writing this post-workout so forgive any typos.
My containers are all labelled, I know.
"""),
    "S4": L("""
My kitchen shelves are groaning under cookbooks as I type this.
My grandmother would have loved this app.
There's flour on my phone screen as I type this.
I realise I'm a bit obsessive about this.
Yes, I have a recipe spreadsheet too.
"""),
}

SOFT_POS = L("""
The idea is great though.
When it works it's lovely.
I want to like it, I really do.
The design is nice, I'll give it that.
Some of the recipes are good.
It's not all bad.
""")

# Short reviews: theme-coded, segment-neutral (realistic noise)
SHORT = {
    "T01": {"pos": L("Sunday planning in ten minutes. Love it.\nWeeknight dinners finally sorted\nNo more 5pm panic, thank you\nplanning the week takes me 15 min now"),
            "neg": L("The quick meals aren't quick.\nthe 30 min recipes take an hour\nToo slow to plan on a busy night")},
    "T02": {"pos": L("Shared list works great for us\nfinally a list my husband actually uses\nOne list, two phones, no fights"),
            "neg": L("shared list never syncs\nSync between our phones is broken.\nlist keeps duplicating items!!")},
    "T03": {"pos": L("Plus is worth the money\nfree version is plenty"),
            "neg": L("Too expensive for what it is\neverything good is behind the paywall\n$7 a month? no.\n50 recipe limit is a joke")},
    "T04": {"pos": L("Less food in the bin now\npantry tracker is great\nuse it up tab = money saved"),
            "neg": L("pantry tracker is useless\nExpiry reminders come too late.")},
    "T05": {"pos": L("accurate macros, finally\nnutrition info is spot on"),
            "neg": L("Macros are wrong on everything\nnutrition data is unreliable\nper serving calories make no sense")},
    "T06": {"pos": L("Apple Health sync is flawless\nFitbit sync works great"),
            "neg": L("fitbit sync broken again\nGoogle Fit sync doesn't work\nDouble counts everything in Apple Health")},
    "T07": {"pos": L("Best recipe importer out there\nimport from blogs works perfectly"),
            "neg": L("Recipe import fails constantly\nimport keeps grabbing the ads and not the recipe")},
    "T08": {"pos": L("scaling recipes works great\nLove the unit conversion"),
            "neg": L("Half an egg? Really?\nscaling is broken\nunit conversion is way off")},
    "T09": {"pos": L("My picky kids actually eat now\nkid profiles are a lifesaver"),
            "neg": L("kid friendly filter is a joke\nNeeds dislikes per kid")},
    "T10": {"pos": L("fast and never crashes\nruns smooth on my old phone"),
            "neg": L("crashes every time\nads ads ads\nToo many ads\nlost my recipes after the update")},
    "T11": {"pos": L("FreshCart hand-off is so handy\ngroceries delivered in two taps"),
            "neg": L("FreshCart matches are a mess\ndelivery substitutions are terrible")},
    "T12": {"pos": L("great low carb filter\nGF filter I can trust"),
            "neg": L("GF filter is not safe\nallergy filter missed nuts")},
    "T13": {"pos": L("my recipe box finally organized\nlove the tags and notes"),
            "neg": L("need folders!!\nsearch doesn't look at ingredients")},
}

TITLES = {
    "T01": {"pos": L("Weeknight lifesaver\nSunday planning in 15 minutes\nNo more 5pm panic"), "neg": L("Quick meals aren't quick\nPlanner is fiddly on a phone")},
    "T02": {"pos": L("Shared list is a game changer\nFinally on the same page"), "neg": L("Shared list won't sync\nFix the sync please")},
    "T03": {"pos": L("Worth paying for\nFree tier is enough"), "neg": L("Paywall ruined it\nToo expensive\nBait and switch\nStudent discount please")},
    "T04": {"pos": L("Wasting way less food\nPantry tracker is great"), "neg": L("Pantry tracker needs work\nLeftovers feature needs love")},
    "T05": {"pos": L("Accurate macros\nGreat for tracking"), "neg": L("Nutrition data is wrong\nMacros don't add up")},
    "T06": {"pos": L("Tracker sync works\nSyncs nicely with my watch"), "neg": L("Tracker sync is broken\nHealth sync needs fixing\nSync keeps failing")},
    "T07": {"pos": L("Best importer out there\nNo more life stories"), "neg": L("Import keeps failing\nImport mangles recipes")},
    "T08": {"pos": L("Scaling works great\nHandy conversions"), "neg": L("Half an egg?\nScaling needs work")},
    "T09": {"pos": L("Picky eater approved\nKid profiles are brilliant"), "neg": L("Not very kid friendly\nNeed per-kid dislikes")},
    "T10": {"pos": L("Fast and stable\nNo crashes"), "neg": L("Buggy\nKeeps crashing\nUnstable since the update\nPerformance is awful")},
    "T11": {"pos": L("Delivery hand-off is great\nSaves me a store trip"), "neg": L("Delivery matches are wrong\nSubstitution nightmare")},
    "T12": {"pos": L("Great for special diets\nFilters I can trust"), "neg": L("Can't trust the diet filters\nFilters need work")},
    "T13": {"pos": L("My recipe box, finally tidy\nGreat for recipe collectors"), "neg": L("Please add folders\nSearch is too basic")},
}
GENERIC_TITLES = {
    5: L("Love it\nBest meal planner\nGame changer\nHighly recommend\nSo good\nExactly what I needed"),
    4: L("Really good\nAlmost perfect\nGreat app, one gripe\nVery useful"),
    3: L("Good but\nMixed feelings\nDecent\nNearly there\nOkay for now"),
    2: L("Disappointed\nUsed to be better\nFrustrating\nNot great"),
    1: L("Terrible\nDon't bother\nUninstalled\nAvoid\nWaste of money\nBroken"),
}

# ---------------------------------------------------------------------------------------
# Review openers and sign-offs
# ---------------------------------------------------------------------------------------
OPENERS = {
    "any": L("""
Been using this for about {months} months now.
Downloaded this after a friend wouldn't stop talking about it.
I don't usually leave reviews.
First review I've ever written for an app.
Switched over from another planner in the summer.
Long time user here.
I've tried pretty much every meal planning app out there.
Gave it a proper go for a month before reviewing.
My sister put me onto this one.
Saw it mentioned online and figured why not.
Okay so.
Where do I start.
Been on this app since the old design.
Came here from a paper planner and a lot of sticky notes.
A coworker recommended it.
Been a Plus subscriber for a while.
Free user, for context.
Using it on both my phone and tablet.
Honest review after daily use.
I'll keep this short.
This will be a long one, sorry.
Tried it on a whim.
Installed it back in the summer.
Third meal planner I've tried this year.
"""),
    "pos": L("""
Genuinely one of the few apps I open every day.
This app has earned its spot on my home screen.
I was skeptical but it won me over.
Didn't expect much and was pleasantly surprised.
"""),
    "neg": L("""
I really wanted to like this.
This used to be great.
Writing this out of pure frustration.
Not happy with the direction this app is going.
I've been patient, but enough.
"""),
}
UPDATE_OPENERS = L("""
UPDATE:
Coming back to update my earlier review.
Edit after a couple more months of use:
Updating my review.
Second review, since things have changed.
Revisiting this after the latest update.
Changed my rating, here's why.
A few months on, an honest update.
Edit:
Back again.
""")
CLOSERS = {
    5: L("""
Worth every penny.
Would recommend to anyone who cooks.
Keep it up!
Thank you to whoever built this.
Five stars, no notes.
10/10.
Can't imagine going back.
Seriously, just download it.
"""),
    4: L("""
Would be five stars with that fixed.
Nearly perfect.
Still recommend it.
Four stars for now, happy to bump it up.
Really good overall.
"""),
    3: L("""
Three stars for now.
Will update if it gets fixed.
Decent, not great.
It's fine. Just fine.
Hoping the next update sorts it out.
Middle of the road for me.
"""),
    2: L("""
Really hoping the next update sorts it.
Two stars because the idea is good.
Not paying for Plus until this is fixed.
Disappointing.
I'll check back in a few months.
"""),
    1: L("""
Uninstalled.
Deleting it.
Save your money.
Back to a paper list.
Avoid.
Done with this app.
Fix it or I'm gone.
"""),
}
BUT_LINKS = ["But ", "However, ", "The problem is that ", "Only thing is, ", "That said, ", "Buuut ", "Unfortunately ", "Except "]
GRIPE_LINKS = ["My only gripe: ", "One thing though: ", "Minor complaint, ", "If I'm picky, ", "Small thing: "]

# Off-topic reviews (T00): text and the rating the writer gave
T00_REVIEWS = [
    ("five stars", 5), ("Great app!!", 5), ("Love it", 5), ("good app", 5), ("Best app ever", 5),
    ("my cat walked on my phone lol. five stars anyway", 5), ("Wow", 5), ("👍👍", 5),
    ("No complaints here.", 5), ("My wife made me download it and now I have to admit she was right.", 5),
    ("10/10 would download again", 5), ("The icon is cute and the app is cute.", 5),
    ("pretty good", 4), ("Nice app, does the job.", 4), ("Solid. Nothing else to say.", 4),
    ("good but it asks me to rate it way too often", 4), ("Works. Nice colours.", 4),
    ("ok app i guess", 3), ("It's fine.", 3), ("meh", 3),
    ("Haven't used it much yet but seems ok.", 3), ("Dark mode please, my eyes are burning at night.", 3),
    ("Does what it says on the tin. Not much else to add.", 3),
    ("The new icon is ugly, bring back the old orange one.", 3), ("Downloaded by accident, seems fine?", 3),
    ("Why does it keep asking me to rate it. Here is your rating.", 2), ("Not for me.", 2),
    ("Too many notifications begging me to come back.", 2),
    ("Charged twice this month and nobody answers my emails. I want a refund.", 1),
    ("Tried to cancel my subscription and got charged anyway. Support ticket open for three weeks and nothing. Disgraceful.", 1),
    ("I never signed up for a yearly plan. I want my money back.", 1),
    ("Can't log in. The password reset email never arrives.", 1),
    ("The support chat is a bot that sends me links to the FAQ. Useless.", 1),
    ("Wrong app, I thought this was a budgeting tool for my small business.", 1),
    ("I was charged in the wrong currency and my bank added fees on top. Nobody at the company will explain why.", 1),
    ("Deleted my account and they still email me every single day.", 1),
    ("Changed my email address and lost access to my account, and support won't help me get it back.", 1),
    ("Can't find how to delete my account anywhere. Where is it?", 1),
    ("Signed up for the trial on my old phone, switched phones, and now I'm being billed on an account I can't log into. "
     "I've emailed four times. The only reply was an automated message telling me to check my spam folder. "
     "Disputing it with my bank now.", 1),
    ("They took $49 from my card on the same day I cancelled, and the receipt says the cancellation went through. So which is it?", 1),
    ("Great!", 5), ("love love love", 5), ("Good job team", 5), ("Nice", 4),
    ("Support was friendly and sorted out my billing problem in a day.", 5),
    ("Wish the icon matched my dark home screen.", 4), ("Can't rate it properly yet, just installed.", 3),
    ("Why does a grocery app need my location?", 2),
    ("Got logged out and can't remember which email I used. There's no way to look it up.", 2),
    ("The refund took two weeks to arrive. It did arrive, so two stars.", 2),
]

# ---------------------------------------------------------------------------------------
# Social voice
# ---------------------------------------------------------------------------------------
T00_SOCIAL = [  # (text, platforms it fits)
    ("just cleaned out my actual larder and found soup from 2019", "x threads"),
    ("my grandma calls the pantry the larder and i think that's beautiful", "x threads tiktok_comment"),
    ("is larder down for anyone else or just me", "x threads"),
    ("who runs the @larderapp account, the memes are unhinged in the best way", "x threads"),
    ("@larderapp follow back pls 🥺", "x"),
    ("🔥 make $500 a day from your phone, dm me to learn how 🔥", "x threads facebook_group tiktok_comment"),
    ("larder's new logo looks like a toaster and i can't unsee it", "x threads"),
    ("saw a larder ad on the bus this morning, the font is nice", "x threads"),
    ("not me downloading larder at 2am instead of sleeping", "x tiktok_comment"),
    ("the lady in this video has the cleanest kitchen i've ever seen", "tiktok_comment"),
    ("where is that cutting board from??", "tiktok_comment"),
    ("first", "tiktok_comment"),
    ("the dog in the background 😭", "tiktok_comment"),
    ("this song has been stuck in my head for three days", "tiktok_comment"),
    ("this is so real", "tiktok_comment"),
    ("the larder street market is on this saturday btw, great cheese stall", "x threads facebook_group"),
    ("Hello group, does anyone know a good plumber in the area? Sorry, off topic.", "facebook_group"),
    ("Admin please remove if not allowed. Selling a barely used slow cooker, $20, pick up only.", "facebook_group"),
    ("Happy Friday everyone!", "facebook_group threads"),
    ("Wrong group, sorry!", "facebook_group"),
    ("larder customer support replied in 4 minutes on a sunday. that's all, that's the post", "x threads"),
    ("charged twice for larder plus, emailed support, still waiting. day 9", "x threads"),
    ("cancelled my larder sub and they sent me a 'we miss you' email within the hour. clingy", "x threads"),
    ("my phone autocorrects larder to ladder every single time", "x threads tiktok_comment"),
    ("word i learned today: larder. apparently it's where people used to keep their meat before fridges", "x threads"),
    ("does anyone else think the larder app icon looks like a little house with a face", "x threads reddit"),
    ("lmao same", "tiktok_comment x"),
    ("Mods, can we get a weekly app recommendation thread instead of five posts a day asking the same thing?", "reddit"),
    ("Which meal planning app do you all use? Asking for a friend (the friend is me).", "reddit facebook_group"),
    ("good morning from a very rainy tuesday ☔", "threads x"),
    ("Does anyone know if the Larder office is hiring? Asking because I live nearby.", "reddit facebook_group"),
    ("the larder app intro animation is weirdly soothing", "x threads tiktok_comment"),
    ("imagine naming your app larder and not calling the premium tier 'the pantry'. missed opportunity", "x threads"),
    ("Got a survey email from Larder asking how likely I am to recommend them. I'm likely to recommend they stop sending surveys.", "reddit facebook_group x"),
    ("help my account got locked after 3 wrong passwords and now larder wants me to wait 24 hours??", "x threads"),
    ("[removed]", "reddit"),
    ("[deleted]", "reddit"),
    ("Is it just me or has this sub been all app posts lately? I miss the actual recipes.", "reddit"),
    ("Random question, what do people here use for a grocery list? Paper, notes app, something else?", "reddit facebook_group"),
    ("Saw someone at the store yelling at their phone about a grocery list and felt very seen.", "reddit x threads"),
    ("Larder's careers page lists a 'Chief Pantry Officer' and I need to know if that's real.", "reddit x"),
    ("Cast iron or nonstick for a beginner? Not about any app, just curious.", "reddit facebook_group"),
    ("Weekly thread: what did you cook this week? Show us.", "reddit"),
    ("Does anyone have a spare ticket for the school fair raffle? Long shot, I know.", "facebook_group"),
    ("Reminder that the group rules say no selling, please use the marketplace group!", "facebook_group"),
    ("Sharing a photo of my Sunday roast because I'm proud of it 😊", "facebook_group"),
    ("Has anyone else's oven clock just started blinking for no reason?", "facebook_group reddit"),
    ("Welcome to all our new members this week!", "facebook_group"),
    ("Can someone remind me what the theme is for next month's potluck?", "facebook_group"),
    ("Lost a blue lunchbox at the park on Saturday, message me if you find it.", "facebook_group"),
    ("the word larder makes me feel like i should own a cottage and a goat", "x threads"),
    ("larder app notification at 6am saying 'good morning!' like we're friends", "x threads"),
    ("someone at work just said 'let me check my larder' and meant the app. we've lost the plot", "x threads"),
    ("new phone, who dis (reinstalling everything, larder included)", "x threads"),
    ("larder's app store screenshots have the most beautiful salads i will never make", "x threads"),
    ("larder merch when", "x threads tiktok_comment"),
    ("the larder ad with the dancing carrot lives in my head rent free", "x threads tiktok_comment"),
    ("wait what filter is this", "tiktok_comment"),
    ("her nails are so pretty", "tiktok_comment"),
    ("ok but kitchen tour next", "tiktok_comment"),
    ("commenting for the algorithm", "tiktok_comment"),
    ("pov: you're procrastinating", "tiktok_comment"),
]

TIKTOK = {  # "theme|comment under a video"
    "S1": L("""
T01|the way she planned a whole week of dinners while the toddler screamed in the background. hero
T01|saving this for my sunday planning, the 5pm panic is real
T02|the shared list part 😭 my husband would still buy the wrong cheese
T02|my husband needs to see the shared list thing, he texts me from the store every single time
T09|the kid voting thing is genius omg
T09|"what's for dinner" 47 times a day and then they refuse it anyway 😩
T08|wait it scales recipes to your family size?? family of 6 here, sold
T11|the part where the groceries just show up. with 3 kids?? i need this
"""),
    "S2": L("""
T03|is this free tho
T03|the paywall tho 😭
T03|what app?? and is it free or one of those $7 a month ones
T04|student here, the use it up feature is 🔥
T04|me watching this with $11 in my account and half an onion in the fridge
T10|ok but does it have ads
T10|the free version has so many ads though, tried it last month
T08|cooking for one is so hard, every recipe is for 4. saving this
"""),
    "S3": L("""
T05|what app is that for the macros?
T05|that chicken is not 200 calories respectfully
T06|does it sync with fitbit??
T06|does it go into apple health or do i have to log everything twice
T12|does it do gluten free??
T04|meal prep sunday gang 💪 how do you track the containers in it
T05|the protein per serving part is what i need for my cut
"""),
    "S4": L("""
T13|my grandma's recipe cards deserve this 😭
T07|the import skipping the life story is all i've ever wanted
T07|what app is this, i have 400 screenshots of recipes from blogs
T13|needs folders though
T13|can it read handwriting?? my nan's cards are all cursive
T10|does it work offline? i cook at the cabin a lot
T08|does it convert grams to cups properly? asking as a baker
"""),
}

REDDIT_OPENERS = L("""
Long time lurker, first post.
Not sure if this is the right sub for this.
Throwaway because my partner reads this sub.
Okay, I need to vent for a second.
Bit of a long one, sorry.
Genuine question for the people here who use Larder.
Been meaning to post this for a while.
""")
REDDIT_REPLY_OPENERS = L("""
Same here.
Honestly this.
I had the exact same problem.
Can confirm.
Counterpoint:
Adding to this:
This is why I switched.
Funny, I was about to post the same thing.
Yep.
Gonna be the odd one out here.
Late to this thread.
Not OP, but same.
""")
REDDIT_CLOSERS = {
    "neg": L("""
Anyone else?
Curious if it's just me.
Any tips appreciated.
Or should I just go back to a notes app?
Is anyone from Larder reading this sub?
Is there a workaround I'm missing?
Rant over.
"""),
    "pos": L("""
Happy to answer questions if anyone's thinking about it.
Not sponsored, I just like it.
Just wanted to share in case it helps someone.
Would love to hear what works for you all.
Ten out of ten, would plan again.
"""),
}
REDDIT_EDITS = L("""
EDIT: support got back to me and said a fix is coming in the next update.
EDIT: thanks everyone, turns out I was on an old version.
Edit: formatting, I'm on mobile.
EDIT: to everyone asking, this is on the free version.
Edit: logging out and back in fixed it for now.
EDIT: wow, did not expect this many replies.
""")
SUBREDDITS = {"S1": ["mealplanning", "Parenting", "familydinners", "Mommit"],
              "S2": ["budgetcooking", "cookingforone", "EatCheap", "povertyfinance"],
              "S3": ["mealprep", "fitmeals", "Celiac", "diabetes_t1", "loseit"],
              "S4": ["Cooking", "recipes", "Baking", "Old_Recipes"]}
FB_GROUPS = {"S1": ["busy-parents-meal-planning", "weeknight-family-dinners"],
             "S2": ["frugal-kitchen-club", "student-cooking-on-a-budget"],
             "S3": ["meal-prep-accountability", "gluten-free-living-support"],
             "S4": ["heirloom-recipes-club", "home-bakers-circle"]}
FB_GREETINGS = L("""
Hi all!
Hello everyone,
Quick question for the group.
Morning everyone.
Hi everyone, long time lurker here.
Hope everyone's well.
Evening all.
Hi lovely people.
Hi folks, first post here.
Hello from a rainy kitchen.
Hey everyone.
""")
FB_CLOSERS = L("""
Thanks in advance!
TIA x
Any advice welcome.
Would love to hear your thoughts.
Thank you!
Thanks all x
Appreciate any tips.
Cheers.
Let me know what you think.
Thanks so much, this group is the best.
""")
FB_LEADS = L("""
Does anyone here use Larder?
Has anyone tried the Larder app?
Question about Larder for those who use it.
Bit of a Larder rant, sorry.
Any Larder users in here?
So I've been using the Larder app for a while now.
Someone in here recommended Larder a while back, so I tried it.
A Larder question, if anyone knows.
Just a quick Larder update for those who asked.
My sister got me onto Larder last month.
""")
X_REPLY_TAILS = L("""
why is this still broken
any eta on a fix?
pls fix
is anyone there
this is the third time i've asked
love the app otherwise
""")
FOLLOWUPS = L("""
update:
ok update on the larder thing:
following up on my last post,
day 3 of this saga:
part 2 because people asked:
small update,
an update nobody asked for:
""")
BRAND_LEADS = ["larder users:", "psa for larder people:", "re larder:", "larder thoughts:", "about the larder app:",
               "so, larder.", "larder people,", "larder check-in:", "ok larder.", "meal planning app update (larder):"]
DISFLUENCY = ["ngl", "tbh", "ok so", "honestly", "lowkey", "not gonna lie", "like", "idk", "genuinely"]
EMOJI_BY_STANCE = {"neg": ["😭", "💀", "🙃", "😩", "😤", "🫠", "😂"], "pos": ["❤️", "✨", "🙏", "🔥", "🤌", "😭", "😂"],
                   "q": ["👀", "🙏", "🥲", "😭"]}
EMOJIS = sorted({e for pool in EMOJI_BY_STANCE.values() for e in pool})
HASHTAGS = {
    "S1": ["#mealplanning", "#momlife", "#dadlife", "#familydinner", "#weeknightdinner", "#parenting"],
    "S2": ["#budgetmeals", "#studentlife", "#cookingforone", "#frugalliving", "#zerowaste", "#brokelife"],
    "S3": ["#mealprep", "#macros", "#iifym", "#gymlife", "#glutenfree", "#lowcarb", "#t1d"],
    "S4": ["#homecooking", "#recipes", "#baking", "#sourdough", "#familyrecipes", "#cookbookcollector"],
}

# Persona slots (fixed per author, so repeat authors stay consistent)
SLOTS = {
    "kid": ["Maya", "Theo", "Ollie", "Priya", "Sam", "June", "Leo", "Ava", "Noah", "Isla", "Mateo",
            "Zara", "Finn", "Lily", "Arjun", "Rosie", "Eli", "Nora", "Kai", "Ellie"],
    "kids_n": ["two", "three", "four"],
    "budget": ["$40", "$50", "$35", "$60", "$45", "£30", "$55"],
    "months": ["three", "four", "six", "eight", "nine", "eighteen"],
    "protein_g": ["140g", "150g", "160g", "180g", "200g", "130g"],
    "cal": ["1,800", "2,100", "2,400", "2,700", "1,950"],
    "relative": ["my grandmother's", "my nan's", "my great-aunt's", "my mother-in-law's", "my late mum's",
                 "my grandpa's", "my oma's", "my abuela's"],
    "n_recipes": ["300", "450", "600", "800", "1,200", "350"],
    "blog_dish": ["focaccia", "beef bourguignon", "lemon meringue pie", "pad see ew", "cardamom buns",
                  "short rib ragu", "miso glazed salmon", "chocolate babka", "spanakopita", "chicken tagine"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday"],
    "age": ["3", "4", "5", "6"],
    "age2": ["8", "9", "11", "13"],
}

FIRST_NAMES = {  # by the gender the persona writes as; the neutral ones go with either
    "f": """Jess Kayla Sarah Priya Leah Aisha Megan Rosa Hannah Emma Nadia Chloe Beth Grace Molly Fatima Katie
            Lauren Olivia Tasha Mei Ines Amber Holly Erin Keisha Lucy Jade Bianca Sophie Claire Rachel Noor
            Gemma Anya Zoe Renee Martha Alice""".split(),
    "m": """Mike Tom Marcus Dan Ben Kevin Luis Ryan Omar Tyler Andre Jake Sean Raj Greg Paul Brandon Carlos
            Wes Derek Sanjay Matt Nick Tariq Victor Marco Hugo Ivan Pete Tony Karl Sid Jon Frank""".split(),
    "n": "Jordan Chris Devon Alex Dana Femi Yuki Linh".split(),
}
NEUTRAL_WORDS = ["pixel", "moth", "velvet", "cobalt", "maple", "otter", "ember", "tuesday", "quill",
                 "fern", "comet", "lemon", "cinder", "harbor", "willow", "static", "juniper", "pebble"]
FLAVOUR_NAMES = {
    "S1": ["MomOfThree:f", "tired_dad:m", "TwinMama:f", "carpool_queen:f", "soccer.mom:f", "DadCooksDinner:m",
           "busymum:f", "MamaBear:f", "minivan_life", "family_of_five", "bedtime_survivor", "lunchbox_lady:f"],
    "S2": ["broke_student", "RamenKing:m", "dorm_chef", "budgetbabe:f", "frugal_fran", "CheapEats",
           "student_cook", "rentisdue", "poorbutfed", "one_pot_wonder", "tinykitchen", "coupon_kid"],
    "S3": ["GymRatGreg:m", "macro_maddie:f", "liftsandlentils", "proteinpat", "prep_sunday", "cut_season",
           "t1d_runner", "gf_lifter", "IIFYMdude:m", "bulkbro:m", "tupperware_tony:m", "deadlift_dana"],
    "S4": ["SourdoughSue:f", "nanas_kitchen", "BakesOnSunday", "recipe_hoarder", "cookbookcollector",
           "AuntieBakes:f", "the_home_cook", "butterandbooks", "pastrynerd", "KitchenHistorian",
           "supperclub_sal", "bundt_life"],
}


# =======================================================================================
# Composer
# =======================================================================================
rng = random.Random(7)

PROTECTED = {"larder", "freshcart", "quickbasket", "fitbit", "apple", "google", "health", "plus"}
KEEP_CASE_FIRST = {"I", "I'm", "I've", "I'd", "I'll", "Apple", "Google", "Fitbit", "FreshCart", "QuickBasket",
                   "Larder", "Plus", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "UK",
                   "GF", "OCR", "Greek", "Thanksgiving", "Dad", "PCOS", "CrossFit", "Garmin"}
SENT_SPLIT = re.compile(r"(?<=[.!?:])\s+|\n+")


def norm_sentences(text: str) -> list[str]:
    """Sentences of a text, lower-cased with punctuation and emoji stripped (for overlap checks)."""
    out = []
    for s in SENT_SPLIT.split(text):
        n = " ".join(re.sub(r"[^a-z0-9$ ]+", " ", s.lower()).split())
        if n:
            out.append(n)
    return out


def fill(line: str, ctx: dict, cap: bool = True) -> str:
    s = re.sub(r"\{(\w+)\}", lambda m: ctx[m.group(1)], line)
    return s[0].upper() + s[1:] if cap and s[:1].islower() else s


def lowerfirst(s: str) -> str:
    first = s.split(" ", 1)[0].strip('"(')
    if first in KEEP_CASE_FIRST or re.match(r"^[A-Z]{2,}", first) or re.match(r"^.[a-z]+[A-Z]", first):
        return s
    return s[:1].lower() + s[1:]


def strip_end(s: str) -> str:
    return s.rstrip(".!").rstrip()


HUSBAND = re.compile(r"\b(husband|his|he|he's|boyfriend)\b", re.I)
WIFE = re.compile(r"\b(wife|girlfriend)\b", re.I)
WRITER_F = re.compile(r"\b(mom|mum|mother|mama|grandma|stepmom)\b", re.I)
WRITER_M = re.compile(r"\b(dad|stepdad|father|guy)\b", re.I)


def fits(line: str, ctx: dict | None, about_writer: bool = False) -> bool:
    """Keep an author's partner and own gender consistent across what they write."""
    if ctx is None:
        return True
    if (WIFE if ctx["pgender"] == "m" else HUSBAND).search(line):
        return False
    return not (about_writer and (WRITER_M if ctx["wgender"] == "f" else WRITER_F).search(line))


class Draw:
    """Least-used-first drawing from pools; usage is committed only for accepted items."""

    def __init__(self):
        self.uses: Counter = Counter()

    def pick(self, pool: list[str], taken: set, ctx: dict | None = None, about_writer: bool = False) -> str | None:
        cands = [s for s in pool if s not in taken and fits(s, ctx, about_writer)]
        if not cands:
            return None
        weights = [1.0 / (1 + self.uses[s]) ** 3 for s in cands]
        choice = rng.choices(cands, weights)[0]
        taken.add(choice)
        return choice

    def commit(self, taken: set) -> None:
        self.uses.update(taken)


draw = Draw()


def theme_pool(seg: str, theme: str, kind: str) -> list[str]:
    if (seg, theme) in CORE:
        return CORE[seg, theme][kind]
    return CROSS.get((seg, theme), {}).get(kind, []) + GENERIC.get(theme, {}).get(kind, [])


def core_line(seg, theme, pol, ctx, taken, cap=True) -> str:
    """One content sentence for the theme with polarity pol (neg/pos/wish), with fallbacks."""
    order = {"neg": ["neg", "wish"], "pos": ["pos", "wish"], "wish": ["wish", "neg"]}[pol]
    for kind in order:
        line = draw.pick(theme_pool(seg, theme, kind), taken, ctx)
        if line:
            return fill(line, ctx, cap)
    line = draw.pick(SEG_PRAISE[seg] if pol == "pos" else SOFT_POS, taken, ctx)
    return fill(line, ctx, cap)


def pick_fill(pool, ctx, taken, cap=True) -> str | None:
    line = draw.pick(pool, taken, ctx)
    return fill(line, ctx, cap) if line else None


def identity_line(seg, theme, ctx, taken, cap=True) -> str:
    """Who is writing: a hand-written self-description (some only fit certain themes) or a composed one."""
    if rng.random() < 0.55:
        pool = [ln for ln in IDENTITY[seg] if "|" not in ln or theme in ln.split("|")[0].split(",")]
        line = draw.pick(pool, taken, ctx, about_writer=True)
        if line:
            return fill(line.split("|")[-1], ctx, cap)
    role, situation = draw.pick(ROLES[seg], taken, ctx, True), draw.pick(SITUATIONS[seg], taken, ctx, True)
    glue = ", " if situation.startswith("and ") or rng.random() < 0.6 else " here, "
    return fill(role + glue + situation + ".", ctx, cap)


# ----- typos --------------------------------------------------------------------------
APOS_WORDS = re.compile(r"\b(don't|can't|it's|I'm|doesn't|won't|didn't|isn't|that's|there's|i'm|you're|I've|i've)\b")


def add_typo(text: str) -> str:
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
    words = [m for m in re.finditer(r"(?<![@#/\w])[A-Za-z]{5,}\b", text) if m.group(0).lower() not in PROTECTED]
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


def typos(text: str, p_one: float, p_two: float) -> str:
    r = rng.random()
    if text.startswith("[") or len(text.split()) < 3:
        return text
    n = 2 if r < p_two else 1 if r < p_one + p_two else 0
    for _ in range(n):
        text = add_typo(text)
    return text


# ----- reviews ------------------------------------------------------------------------
NEG_HEAVY = {"T03", "T05", "T06", "T07", "T10", "T11", "T12"}
POS_LEAN = {"T01", "T04", "T09", "T13"}


def pick_rating(theme: str) -> int:
    w = [15, 13, 20, 19, 33] if theme in NEG_HEAVY else [42, 22, 14, 9, 13] if theme in POS_LEAN else [30, 18, 18, 12, 22]
    return rng.choices([5, 4, 3, 2, 1], w)[0]


def polarity_plan(rating: int, n: int) -> list[str]:
    if rating == 5:
        plan = ["pos"] * n
        if n >= 2 and rng.random() < 0.3:
            plan[-1] = "wish"
    elif rating == 4:
        plan = ["pos"] * max(1, n - 1) + [rng.choice(["gripe", "wish", "gripe"])]
    elif rating == 3:
        plan = ["praise", "but"] + [rng.choice(["neg", "neg", "wish"]) for _ in range(max(0, n - 1))]
    elif rating == 2:
        plan = ["neg"] * n + (["softpos"] if rng.random() < 0.4 else [])
    else:
        plan = ["neg"] * max(2, n) if n > 1 else ["neg"]
    return plan


def review_body(seg, theme, rating, ctx, cross, update, taken) -> str:
    size = rng.choices(["short", "medium", "long", "very long"], [14, 54, 26, 6])[0]
    if size == "short" and update:
        size = "medium"
    if size == "short":
        pol = "pos" if rating >= 4 else "neg"
        text = draw.pick(SHORT[theme][pol], taken)
        if rating == 3:
            text = rng.choice(["Decent app but ", "It's ok but ", "Good idea but "]) + lowerfirst(text)
        return text
    n = {"medium": rng.choice([1, 2, 2]), "long": rng.choice([3, 3, 4, 4, 5]), "very long": rng.choice([6, 7])}[size]
    long = size != "medium"
    parts: list[str] = []
    for pol in polarity_plan(rating, n):
        if pol in ("pos", "neg", "wish"):
            parts.append(core_line(seg, theme, pol, ctx, taken))
        elif pol == "praise":
            parts.append(pick_fill(SEG_PRAISE[seg], ctx, taken))
        elif pol == "softpos":
            parts.append(draw.pick(SOFT_POS, taken))
        elif pol == "gripe":  # a wish for this theme, or a complaint about another part of the app
            if rng.random() < 0.5:
                gripe = core_line(seg, theme, "wish", ctx, taken)
            else:
                gripe = core_line(seg, rng.choice([t for t in OWN_THEMES[seg] if t != theme]), "neg", ctx, taken)
            parts.append(rng.choice(GRIPE_LINKS) + lowerfirst(gripe))
        elif pol == "but":
            neg = core_line(seg, theme, "neg", ctx, taken)
            if rng.random() < 0.4 and parts and len(parts[-1]) < 70:
                parts[-1] = strip_end(parts[-1]) + ", but " + lowerfirst(neg)
            else:
                parts.append(rng.choice(BUT_LINKS) + lowerfirst(neg))
    # a long review sometimes wanders into a second topic of the same segment
    if long and not cross and rating <= 3 and rng.random() < (0.25 if size == "long" else 0.6):
        other = rng.choice([t for t in OWN_THEMES[seg] if t != theme])
        parts.insert(rng.randrange(1, len(parts) + 1), core_line(seg, other, "neg", ctx, taken))
    if cross or size == "very long" or rng.random() < (0.4 if size == "medium" else 0.7):
        parts.insert(0 if rng.random() < 0.9 else 1, identity_line(seg, theme, ctx, taken))
    if long and rng.random() < (0.3 if size == "long" else 0.7):
        parts.insert(rng.randrange(1, len(parts) + 1), draw.pick(ASIDES[seg], taken, ctx))
    if update:
        parts.insert(0, draw.pick(UPDATE_OPENERS, taken))
    elif rng.random() < (0.25 if size == "medium" else 0.55):
        tone = "pos" if rating >= 4 else "neg" if rating <= 2 else "any"
        pool = OPENERS["any"] + (OPENERS[tone] if tone != "any" else [])
        parts.insert(0, pick_fill(pool, ctx, taken))
    if rng.random() < (0.3 if size == "medium" else 0.55):
        parts.append(draw.pick(CLOSERS[rating], taken))
    parts = [p for p in parts if p]
    if long and len(parts) >= 4 and rng.random() < (0.3 if size == "long" else 0.7):
        cut = rng.randrange(2, len(parts) - 1)
        return " ".join(parts[:cut]) + "\n\n" + " ".join(parts[cut:])
    return " ".join(parts)


def review_title(theme: str, rating: int, platform: str) -> str:
    if platform == "android":  # Google Play reviews have no title
        return ""
    if theme != "T00" and rating != 3 and rng.random() < 0.6:
        title = rng.choice(TITLES[theme]["pos" if rating >= 4 else "neg"])
    elif theme != "T00" and rating == 3 and rng.random() < 0.5:
        title = rng.choice(TITLES[theme]["neg"])
    else:
        title = rng.choice(GENERIC_TITLES[rating])
    r = rng.random()
    return title.lower() if r < 0.15 else title + "!" if r < 0.25 else title


def compose_review(item: dict, taken: set) -> tuple[str, int]:
    seg, theme, ctx = item["segment"], item["theme"], item["ctx"]
    if theme == "T00":
        pool = [t for t, _ in T00_REVIEWS]
        text = draw.pick([t for t in pool if not draw.uses[t]] or pool, taken)
        return text, dict(T00_REVIEWS)[text]
    rating = pick_rating(theme)
    text = review_body(seg, theme, rating, ctx, item["kind"] == "cross", item.get("update", False), taken)
    if rng.random() < 0.07:
        text = text.lower()
    return typos(text, 0.10, 0.02), rating


# ----- social posts -------------------------------------------------------------------
CASUAL = {"x", "threads", "tiktok_comment"}
TIKTOK_BY_SEG = {seg: [ln.split("|", 1) for ln in lines] for seg, lines in TIKTOK.items()}


def socialize(text: str, platform: str) -> str:
    """Casual register: lower case, dropped full stops, shorthand, filler words."""
    if platform in CASUAL:
        if rng.random() < 0.7:
            text = text.lower()
        if rng.random() < 0.8:
            text = text.rstrip(".")
        if rng.random() < 0.25:
            text = re.sub(r"\bbecause\b", "bc", text)
            text = re.sub(r"\b(I|i)'m\b", "im", text, count=1)
        if platform != "threads" and rng.random() < 0.1:
            text = re.sub(r"\byou\b", "u", text)
        if rng.random() < 0.22 and not text.startswith("@"):
            d = rng.choice(DISFLUENCY)
            text = f"{d} {lowerfirst(text)}" if text[:1].islower() or rng.random() < 0.5 else f"{d.capitalize()}, {lowerfirst(text)}"
    elif platform == "reddit" and rng.random() < 0.12:
        text = text.lower()
    return text


def as_question(line: str) -> str:
    return line[0].upper() + line[1:] if line else line


def social_stance() -> str:
    return rng.choices(["neg", "pos", "q", "mixed", "wish"], [42, 25, 20, 8, 5])[0]


def social_core(seg, theme, stance, ctx, taken, cap=True) -> list[str]:
    """One or two content sentences for a stance."""
    if stance == "q":
        q = pick_fill(theme_pool(seg, theme, "q"), ctx, taken, cap=False)
        if q:
            return [q]
        return [core_line(seg, theme, "neg", ctx, taken, cap),
                rng.choice(["Anyone else?", "Is it just me?", "Does anyone know a fix?", "Any workaround?"])]
    if stance == "mixed":
        praise = pick_fill(SEG_PRAISE[seg], ctx, taken, cap)
        return [praise, rng.choice(BUT_LINKS) + lowerfirst(core_line(seg, theme, "neg", ctx, taken, cap))]
    return [core_line(seg, theme, stance, ctx, taken, cap)]


def short_x_post(seg, theme, stance, ctx, taken, platform) -> str:
    r = rng.random()
    soc = theme_pool(seg, theme, "soc")
    if stance != "q" and soc and r < 0.5:
        parts = [pick_fill(soc, ctx, taken, cap=False)]
    elif stance in ("neg", "wish") and platform == "x" and r < 0.75:
        body = core_line(seg, theme, stance, ctx, taken)
        tail = rng.choice([". ", " - ", "... ", " 🙃 ", ". "]) + rng.choice(X_REPLY_TAILS) if stance == "neg" and rng.random() < 0.5 else ""
        return "@larderapp " + lowerfirst(strip_end(body)) + tail
    else:
        parts = social_core(seg, theme, stance, ctx, taken)
        if platform == "threads" and rng.random() < 0.45:
            extra = identity_line(seg, theme, ctx, taken) if rng.random() < 0.6 else core_line(seg, theme, "neg" if stance != "pos" else "pos", ctx, taken)
            parts.insert(0 if rng.random() < 0.5 else len(parts), extra)
    return " ".join(p for p in parts if p)


def reddit_post(seg, theme, stance, ctx, taken) -> tuple[str, str]:
    """Returns (text, title); title is empty for comments."""
    if rng.random() < 0.35:  # a comment in a thread
        parts = [draw.pick(REDDIT_REPLY_OPENERS, taken)] + social_core(seg, theme, stance, ctx, taken)
        if rng.random() < 0.45:
            parts.insert(1, identity_line(seg, theme, ctx, taken))
        if rng.random() < 0.5:
            parts.append(core_line(seg, theme, "pos" if stance == "pos" else "neg", ctx, taken))
        return " ".join(p for p in parts if p), ""
    r = rng.random()
    q = theme_pool(seg, theme, "q")
    if r < 0.4 and q:
        title = as_question(pick_fill(q, ctx, taken, cap=False))
    elif r < 0.75:
        title = rng.choice(TITLES[theme]["pos" if stance == "pos" else "neg"]) + rng.choice([" (Larder)", " in Larder", " - Larder", ""])
    else:
        title = "Larder: " + lowerfirst(rng.choice(SHORT[theme]["pos" if stance == "pos" else "neg"]))
    body = []
    if rng.random() < 0.35:
        body.append(draw.pick(REDDIT_OPENERS, taken))
    if rng.random() < 0.75:
        body.append(identity_line(seg, theme, ctx, taken))
    n = rng.choice([2, 3, 3, 4])
    body += social_core(seg, theme, "neg" if stance == "q" else stance, ctx, taken)
    while len(body) < n + 1:
        pol = "pos" if stance == "pos" else rng.choice(["neg", "neg", "wish"])
        body.append(core_line(seg, theme, pol, ctx, taken))
    if rng.random() < 0.2:
        body.insert(rng.randrange(1, len(body) + 1), draw.pick(ASIDES[seg], taken, ctx))
    if stance == "q" and q:
        body.append(as_question(pick_fill(q, ctx, taken, cap=False) or ""))
    elif rng.random() < 0.6:
        body.append(draw.pick(REDDIT_CLOSERS["pos" if stance == "pos" else "neg"], taken))
    body = [b for b in body if b]
    cut = rng.randrange(1, len(body)) if len(body) > 2 else len(body)
    text = title + "\n\n" + " ".join(body[:cut]) + ("\n\n" + " ".join(body[cut:]) if cut < len(body) else "")
    if rng.random() < 0.15:
        text += "\n\n" + draw.pick(REDDIT_EDITS, taken)
    if rng.random() < 0.15:
        text += "\n\nTL;DR " + lowerfirst(rng.choice(SHORT[theme]["pos" if stance == "pos" else "neg"]))
    return text, title


def facebook_post(seg, theme, stance, ctx, taken) -> str:
    asking = stance == "q"  # "quick question" openers only when there is a question
    greetings = [g for g in FB_GREETINGS if asking or "question" not in g.lower()]
    parts = [draw.pick(greetings, taken) if rng.random() < 0.55 else None, None]
    if rng.random() < 0.7:
        parts.append(identity_line(seg, theme, ctx, taken))
    core = social_core(seg, theme, stance, ctx, taken)
    if stance == "q":
        core = [as_question(c) for c in core]
    parts += core
    if rng.random() < 0.4 and stance != "q":
        parts.append(core_line(seg, theme, "pos" if stance == "pos" else "wish", ctx, taken))
    if rng.random() < 0.5:
        parts.append(draw.pick(FB_CLOSERS, taken))
    if "larder" not in " ".join(p for p in parts if p).lower() and rng.random() < 0.8:
        parts[1] = draw.pick([ld for ld in FB_LEADS if asking or "question" not in ld.lower()], taken)
    return " ".join(p for p in parts if p)


def mention_brand(text: str, platform: str) -> str:
    if "larder" in text.lower() or platform == "tiktok_comment" or rng.random() < 0.2:
        return text
    for phrase in ("this app", "the app"):
        if phrase in text:
            name = "larder" if platform in CASUAL else "Larder"
            return text.replace(phrase, name, 1)
    if platform == "x":
        return "@larderapp " + lowerfirst(text)
    return draw.pick(BRAND_LEADS, set()) + " " + lowerfirst(text)


def compose_post(item: dict, taken: set) -> str:
    seg, theme, ctx, platform = item["segment"], item["theme"], item["ctx"], item["platform"]
    if theme == "T00":
        pool = [t for t, plats in T00_SOCIAL if platform in plats.split()]
        fresh = [t for t in pool if not draw.uses[t]] or [t for t, _ in T00_SOCIAL if not draw.uses[t]] or pool
        return typos(draw.pick(fresh, taken), 0.2, 0.0)
    stance = social_stance()
    if platform == "tiktok_comment":
        own = [c for t, c in TIKTOK_BY_SEG[seg] if t == theme]
        r = rng.random()
        text = None
        if own and r < 0.55:
            text = draw.pick(own, taken, ctx)
        if not text:
            soc = theme_pool(seg, theme, "soc")
            text = pick_fill(soc, ctx, taken, cap=False) if soc and r < 0.8 else None
        if not text:
            text = " ".join(social_core(seg, theme, stance, ctx, taken))
        text = socialize(text, platform)
    elif platform == "reddit":
        text, _ = reddit_post(seg, theme, stance, ctx, taken)
        text = socialize(text, platform)
    elif platform == "facebook_group":
        text = facebook_post(seg, theme, stance, ctx, taken)
    else:
        text = socialize(short_x_post(seg, theme, stance, ctx, taken, platform), platform)
        if item.get("followup"):  # a handle coming back to an earlier post
            text = draw.pick(FOLLOWUPS, taken) + " " + lowerfirst(text)
        else:
            text = mention_brand(text, platform)
        if rng.random() < (0.22 if platform == "x" else 0.1):
            text += " " + " ".join(rng.sample(HASHTAGS[seg], rng.choice([1, 1, 2, 3])))
    if platform in CASUAL and rng.random() < 0.28 and not any(e in text for e in EMOJIS):
        e = rng.choice(EMOJI_BY_STANCE.get(stance, EMOJI_BY_STANCE["neg"]))
        text += " " + (e * rng.choice([1, 1, 2, 3]))
    return typos(text, 0.2, 0.05 if platform in CASUAL else 0.02)


# =======================================================================================
# Who wrote what, when
# =======================================================================================
START, END = date(2025, 9, 1), date(2026, 3, 31)
RELEASES = [(date(2025, 8, 19), "4.12.0"), (date(2025, 9, 9), "4.12.2"), (date(2025, 9, 30), "4.13.0"),
            (date(2025, 10, 21), "5.0.0"), (date(2025, 10, 28), "5.0.1"), (date(2025, 11, 18), "5.1.0"),
            (date(2025, 12, 9), "5.1.2"), (date(2026, 1, 13), "5.2.0"), (date(2026, 2, 3), "5.2.1"),
            (date(2026, 2, 24), "5.3.0"), (date(2026, 3, 17), "5.3.1")]
PLATFORM_WEIGHTS = {  # reddit, x, threads, tiktok_comment, facebook_group
    "S1": [18, 22, 15, 15, 30], "S2": [25, 30, 10, 30, 5], "S3": [35, 30, 15, 15, 5], "S4": [28, 15, 17, 12, 28]}
PLATFORMS = ["reddit", "x", "threads", "tiktok_comment", "facebook_group"]


def random_day() -> date:
    return START + timedelta(days=rng.randrange((END - START).days + 1))


def version_on(d: date) -> str:
    out = [v for r, v in RELEASES if r <= d]
    back = rng.choices([1, 2, 3], [75, 20, 5])[0]
    return out[-min(back, len(out))]


def persona() -> dict:
    ctx = {k: rng.choice(v) for k, v in SLOTS.items()}
    ctx["pgender"], ctx["wgender"] = rng.choice("mf"), rng.choice("mf")
    ctx["partner"] = rng.choice(["my husband" if ctx["pgender"] == "m" else "my wife", "my partner", "my other half"])
    return ctx


def plan_items() -> list[dict]:
    """Segment and primary theme of every item in one corpus, in random order."""
    items = []
    for seg, n in SEGMENT_COUNTS.items():
        n_t00, n_cross = round(n * SHARE_T00), round(n * SHARE_CROSS)
        themes = [OWN_THEMES[seg][i % len(OWN_THEMES[seg])] for i in range(n - n_t00 - n_cross)]
        items += [{"segment": seg, "theme": t, "kind": "own"} for t in themes]
        cross = CROSS_THEMES[seg]
        items += [{"segment": seg, "theme": t, "kind": "cross"}
                  for t in rng.choices(list(cross), list(cross.values()), k=n_cross)]
        items += [{"segment": seg, "theme": "T00", "kind": "t00"} for _ in range(n_t00)]
    rng.shuffle(items)
    return items


def unique(make, used: set) -> str:
    while True:
        name = make()
        if name.lower() not in used:
            used.add(name.lower())
            return name


def first_name(ctx: dict) -> str:
    return rng.choice(FIRST_NAMES[ctx["wgender"]] * 4 + FIRST_NAMES["n"])


def flavour_name(seg: str, ctx: dict) -> str:
    names = [n for n in FLAVOUR_NAMES[seg] if not n.endswith(":m" if ctx["wgender"] == "f" else ":f")]
    return rng.choice(names).split(":")[0]


def review_author(seg: str, ctx: dict) -> str:
    r = rng.random()
    first = first_name(ctx)
    if r < 0.30:
        return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTVW')}."
    if r < 0.42:
        return first
    if r < 0.58:
        return f"{first.lower()}{rng.choice(['', '_'])}{rng.randrange(1, 99) if rng.random() < 0.6 else rng.randrange(1975, 2006)}"
    if r < 0.85:
        return flavour_name(seg, ctx) + (str(rng.randrange(2, 99)) if rng.random() < 0.5 else "")
    return rng.choice(NEUTRAL_WORDS).capitalize() + rng.choice(NEUTRAL_WORDS).capitalize()


def handle(seg: str, ctx: dict) -> str:
    r = rng.random()
    if r < 0.35:
        base = flavour_name(seg, ctx).lower().replace(".", "_")
    elif r < 0.7:
        base = first_name(ctx).lower() + rng.choice(["", "_", "."]) + rng.choice(NEUTRAL_WORDS + ["eats", "cooks", "irl", "x"])
    else:
        base = rng.choice(NEUTRAL_WORDS) + rng.choice(["_", ""]) + rng.choice(NEUTRAL_WORDS)
    if rng.random() < 0.45:
        base += str(rng.randrange(1, 999))
    return "@" + base


def assign_authors(items: list[dict], corpus: str, used: set) -> None:
    """Repeat authors (same segment) write 2-4 items; reviews get ~5% anonymous rows."""
    repeats = {"S1": 7, "S2": 7, "S3": 5, "S4": 5} if corpus == "reviews" else {"S1": 8, "S2": 8, "S3": 7, "S4": 7}
    for seg in SEGMENT_COUNTS:
        mine = [it for it in items if it["segment"] == seg]
        queue = list(mine)
        rng.shuffle(queue)
        if corpus == "reviews":
            for _ in range(round(len(mine) * 0.05)):
                it = queue.pop()
                it["author"], it["ctx"] = "", persona()
        namer = review_author if corpus == "reviews" else handle
        for _ in range(repeats[seg]):
            ctx = persona()
            name = unique(lambda: namer(seg, ctx), used)
            home = rng.choices(PLATFORMS, PLATFORM_WEIGHTS[seg])[0]
            device = rng.choice(["ios", "ios", "android"])
            for _ in range(rng.choice([2, 2, 3]) if corpus == "reviews" else rng.choice([2, 2, 3, 4])):
                it = queue.pop()
                it.update(author=name, ctx=ctx, home=home, device=device)
        for it in queue:
            ctx = persona()
            it.update(author=unique(lambda: namer(seg, ctx), used), ctx=ctx)


# ----- platform trimmings -------------------------------------------------------------
def likes(platform: str, theme: str) -> int:
    mu, sigma = {"reddit": (2.4, 1.3), "x": (1.0, 1.5), "threads": (1.3, 1.3),
                 "tiktok_comment": (1.6, 2.0), "facebook_group": (1.0, 1.0)}[platform]
    n = int(rng.lognormvariate(mu, sigma)) - 1
    return max(0, n // 3 if theme == "T00" else n)


def digits(n: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(n - 1))


def base36(n: int) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))


def post_url(item: dict, text: str) -> str:
    seg, platform, user = item["segment"], item["platform"], item["author"].lstrip("@")
    if platform == "reddit":
        sub = rng.choice(SUBREDDITS[seg])
        if "\n\n" in text:  # a post: slug from its title
            slug = "_".join(re.sub(r"[^a-z0-9 ]", "", text.split("\n", 1)[0].lower()).split()[:7]) or "post"
            return f"https://example.com/r/{sub}/comments/{base36(7)}/{slug}/"
        return f"https://example.com/r/{sub}/comments/{base36(7)}/comment/{base36(7)}/"
    if platform == "x":
        return f"https://example.com/x/{user}/status/{digits(19)}"
    if platform == "threads":
        return f"https://example.org/threads/@{user}/post/{base36(11)}"
    if platform == "tiktok_comment":
        return f"https://example.com/tiktok/@{handle(seg, persona()).lstrip('@')}/video/{digits(19)}?comment={digits(16)}"
    return f"https://example.org/groups/{rng.choice(FB_GROUPS[seg])}/posts/{digits(16)}/"


def post_time(d: date) -> str:
    hour = rng.choices(range(24), [1, 1, 1, 1, 1, 2, 4, 6, 6, 4, 4, 5, 7, 6, 4, 4, 5, 6, 7, 8, 9, 9, 7, 3])[0]
    return f"{d.isoformat()}T{hour:02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"


# =======================================================================================
# Build, check overlap, write
# =======================================================================================
class OverlapGuard:
    """Rejects an item that shares more than one full sentence with any accepted item."""

    def __init__(self):
        self.users: dict[str, list[int]] = defaultdict(list)
        self.texts: set[str] = set()
        self.n = 0

    def worst(self, text: str) -> int:
        shared = Counter()
        for s in set(norm_sentences(text)):
            shared.update(self.users.get(s, []))
        dup = " ".join(norm_sentences(text)) in self.texts
        return 99 if dup else max(shared.values(), default=0)

    def add(self, text: str) -> None:
        for s in set(norm_sentences(text)):
            self.users[s].append(self.n)
        self.texts.add(" ".join(norm_sentences(text)))
        self.n += 1


guard = OverlapGuard()


def accept(compose, item):
    """Compose until the item overlaps at most one sentence with every earlier item."""
    best = None
    for _ in range(60):
        taken: set = set()
        out = compose(item, taken)
        text = out[0] if isinstance(out, tuple) else out
        score = guard.worst(text)
        if best is None or score < best[0]:
            best = (score, out, taken)
        if score <= 1:
            break
    draw.commit(best[2])
    guard.add(best[1][0] if isinstance(best[1], tuple) else best[1])
    return best[1]


def build_reviews() -> list[dict]:
    items = plan_items()
    assign_authors(items, "reviews", set())
    for it in items:
        it["date"] = random_day()
        it["device"] = it.get("device") or rng.choices(["ios", "android"], [52, 48])[0]
    items.sort(key=lambda it: it["date"])
    seen: set[str] = set()
    rows = []
    for i, it in enumerate(items, 1):
        if it["author"] and it["author"] in seen and rng.random() < 0.45:
            it["update"] = True
        seen.add(it["author"])
        text, rating = accept(compose_review, it)
        rows.append({"review_id": f"R{i:04d}", "author": it["author"], "rating": rating,
                     "date": it["date"].isoformat(), "title": review_title(it["theme"], rating, it["device"]),
                     "review": text, "app_version": version_on(it["date"]), "platform": it["device"],
                     "_segment": it["segment"], "_theme": it["theme"]})
    return rows


def build_posts() -> list[dict]:
    items = plan_items()
    assign_authors(items, "social", set())
    for it in items:
        home = it.get("home")
        it["platform"] = home if home and rng.random() < 0.8 else rng.choices(PLATFORMS, PLATFORM_WEIGHTS[it["segment"]])[0]
        it["created_at"] = post_time(random_day())
    items.sort(key=lambda it: it["created_at"])
    seen: set[str] = set()
    rows = []
    for i, it in enumerate(items, 1):
        if it["author"] in seen and rng.random() < 0.25:
            it["followup"] = True
        seen.add(it["author"])
        text = accept(compose_post, it)
        rows.append({"post_id": f"P{i:04d}", "user": it["author"], "platform": it["platform"],
                     "created_at": it["created_at"], "text": text, "likes": likes(it["platform"], it["theme"]),
                     "url": post_url(it, text), "_segment": it["segment"], "_theme": it["theme"]})
    return rows


def max_shared_sentences(texts: list[str]) -> tuple[int, tuple[int, int] | None]:
    users = defaultdict(list)
    for i, t in enumerate(texts):
        for s in set(norm_sentences(t)):
            users[s].append(i)
    best, pair = 0, None
    for i, t in enumerate(texts):
        shared = Counter()
        for s in set(norm_sentences(t)):
            shared.update(j for j in users[s] if j != i)
        if shared:
            j, c = shared.most_common(1)[0]
            if c > best:
                best, pair = c, (i, j)
    return best, pair


def main() -> None:
    reviews = build_reviews()
    posts = build_posts()
    assert len(reviews) == N_REVIEWS == sum(SEGMENT_COUNTS.values()) and len(posts) == N_POSTS

    REVIEWS_CSV.parent.mkdir(parents=True, exist_ok=True)
    POSTS_JSONL.parent.mkdir(parents=True, exist_ok=True)
    cols = ["review_id", "author", "rating", "date", "title", "review", "app_version", "platform"]
    buf = io.StringIO()
    writer = csv.writer(buf)  # RFC 4180: CRLF rows, fields quoted when needed
    writer.writerow(cols)
    for r in reviews:
        writer.writerow([r[c] for c in cols])
    REVIEWS_CSV.write_bytes(buf.getvalue().encode("utf-8"))

    keys = ["post_id", "user", "platform", "created_at", "text", "likes", "url"]
    lines = [json.dumps({k: p[k] for k in keys}, ensure_ascii=False) for p in posts]
    POSTS_JSONL.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))

    authors = {}
    for r in reviews:
        if r["author"]:
            authors[r["author"]] = r["_segment"]
    for p in posts:
        authors[p["user"]] = p["_segment"]
    truth = {
        "reviews": [{"id": r["review_id"], "author": r["author"], "segment": r["_segment"], "theme": r["_theme"]}
                    for r in reviews],
        "social": [{"id": p["post_id"], "author": p["user"], "segment": p["_segment"], "theme": p["_theme"]}
                   for p in posts],
        "authors": authors,
    }
    TRUTH_JSON.write_bytes((json.dumps(truth, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))

    texts = [r["review"] for r in reviews] + [p["text"] for p in posts]
    worst, pair = max_shared_sentences(texts)
    print(f"wrote {len(reviews)} reviews -> {REVIEWS_CSV.relative_to(ROOT)}")
    print(f"wrote {len(posts)} posts -> {POSTS_JSONL.relative_to(ROOT)}")
    print(f"wrote truth -> {TRUTH_JSON.relative_to(ROOT)}")
    print(f"max full sentences shared by any two items: {worst}")
    if worst > 1 and pair:
        print("  e.g.:", repr(texts[pair[0]][:120]), "|", repr(texts[pair[1]][:120]))


if __name__ == "__main__":
    main()
