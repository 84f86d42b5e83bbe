"""Two more labelled sets in other domains, written for the themes benchmark (issue 17); no downloads.

    python evals/labeled/make_domains.py     # rewrites hotel_reviews.jsonl and fitness_feedback.jsonl

1. `hotel_reviews`: guest reviews and social posts about five fictional hotel brands, coded into 8
   topic categories a hospitality researcher would use (rooms, staff, location, noise, breakfast,
   billing, wifi and facilities, check-in).
2. `fitness_feedback`: app-store reviews of four fictional fitness apps, coded by what the review is
   about (tracking and sync, subscription and billing, workout content, crashes and bugs, community,
   coaching plans, wearables, account and privacy).

What makes them hard on purpose, the way real exports are: the brand or app addressed is drawn
independently of the category (a clustering that follows who is addressed scores badly), @handles,
#hashtags and URLs, typos and lower-cased rows, a second sentence from another category in some rows,
openers and sign-offs that are small talk, some rows in another language, anonymisation masks ("XXXX")
in booking and order numbers, and rows that are nothing but chatter (category null: unlabelled, kept
in the corpus, left out of scoring). Each row: id, author, text, category (or null), split
("train" or "test": tune on train rows only, report on test rows).
Both are deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from make_labeled import typo

HERE = Path(__file__).resolve().parent
HOTEL_FILE = HERE / "hotel_reviews.jsonl"
FITNESS_FILE = HERE / "fitness_feedback.jsonl"

TYPOS = {"the": "teh", "really": "realy", "because": "becuase", "which": "wich", "their": "thier",
         "definitely": "definately", "separate": "seperate", "receive": "recieve", "until": "untill"}
AUTHORS = ["anna_k", "Ben R", "carlos88", "Dee", "e.walsh", "Farah", "gio", "Hannah P", "ivan", "Jo",
           "kemi_o", "Liam", "maya.t", "Nils", "Oksana", "pete", "Qi", "rachel b", "Sunil", "tess"]

HOTEL = {
    "brands": ["Marlowe", "Linden Suites", "Harbourview", "Oakhurst Inn", "Bellrose"],
    "handles": ["@MarloweHotels", "@LindenSuites", "@HarbourviewStay", "@OakhurstInn", "@BellroseHotel"],
    "places": ["Lisbon", "Leeds", "the old town", "the airport", "Brighton", "Porto", "the city centre"],
    "open": ["Stayed at the {brand} in {place} for two nights.", "Just back from the {brand} {place}.",
             "{handle}", "Booked the {brand} for a work trip.", "Second time at {brand}.",
             "Family weekend at the {brand} {place}.", "", "", "Quick review of {brand}.",
             "Booking ref XXXX-XXXX, stayed last week."],
    "close": ["", "", "Would stay again.", "Not coming back.", "Thanks!", "3 stars from me.",
              "#travel #{tag}", "Cheers", "See you next year {handle}", "more pics at https://t.co/XXXXXX"],
    "chatter": ["Happy Friday everyone!", "thanks {handle} x", "lol same", "Anyone else in {place} this weekend?",
                "Good morning from {place} :)", "ok thanks", "Sorry, wrong thread.", "bye for now"],
    "foreign": ["La chambre était propre mais un peu petite.", "El personal fue muy amable con nosotros.",
                "Das Frühstück war leider kalt.", "Muito barulho da rua durante a noite."],
    "categories": {
        "room_cleanliness": [
            "The bathroom had hair in the shower and the towels smelled damp.",
            "Sheets were spotless and the room smelled fresh.",
            "There was dust on every surface and a stain on the carpet.",
            "Housekeeping never came on day two, bins overflowing.",
            "Room was tiny but very clean.", "Found crumbs in the bed when we arrived, gross.",
            "Mould around the bath and the window sill.", "They clearly cleaned the room properly, no complaints.",
            "The mini fridge had someone else's leftovers in it.", "Bathroom tiles were grubby and the grout black.",
            "Fresh linen every day and the floor was spotless.", "The curtains were filthy and the mirror smeared.",
        ],
        "staff_service": [
            "The receptionist was rude when we asked for a late checkout.",
            "Staff went out of their way to help with our luggage.",
            "Nobody at the front desk seemed to know anything.",
            "The concierge booked us a great restaurant and even called a taxi.",
            "Waited twenty minutes for anyone to answer the phone at reception.",
            "Lovely team, they remembered our names by the second day.",
            "The manager refused to apologise for the mix-up.", "Night porter was super friendly and helpful.",
            "Staff ignored us at the bar for ages.", "The lady at reception upgraded us for our anniversary, so kind.",
            "Asked three times for extra pillows and they never arrived.", "Service with a smile from everyone we met.",
        ],
        "location_transport": [
            "Five minutes walk to the station, perfect location.",
            "It's miles from anything, we had to get a taxi everywhere.",
            "Great spot right next to the beach and the shops.",
            "The shuttle bus to the airport only runs twice a day.",
            "Parking was a nightmare and cost a fortune.", "Easy to reach by tram, stop right outside.",
            "The area felt a bit unsafe walking back at night.", "Close to the museums and lots of restaurants nearby.",
            "Hard to find, the sat nav sent us down a dead end.", "Ideal base for exploring, metro around the corner.",
            "No public transport nearby so we hired a car.", "Location is unbeatable, you can walk everywhere.",
        ],
        "noise_sleep": [
            "Couldn't sleep because of the nightclub across the street.",
            "The walls are paper thin, we heard every word next door.",
            "Quiet room at the back, slept like a baby.", "Construction work started at 7am every morning.",
            "The air con rattled all night long.", "Beds were really comfy and the blackout blinds worked.",
            "Doors slamming in the corridor until 2am.", "The mattress was lumpy and sagged in the middle.",
            "Traffic noise kept us awake even with the windows shut.", "Super quiet, best sleep I've had in months.",
            "The pillows were flat and hard.", "A wedding party in the hall below was loud until midnight.",
        ],
        "breakfast_food": [
            "Breakfast buffet was amazing, fresh pastries and real coffee.",
            "The eggs were cold and the juice tasted watered down.",
            "Dinner at the restaurant was overpriced for what you get.",
            "Lots of vegan options at breakfast, which was great.",
            "They ran out of bread by half eight.", "Room service took an hour and the food was lukewarm.",
            "The chef made me a gluten free omelette without any fuss.", "Breakfast is not included and costs 25 extra.",
            "Same sad buffet every single day.", "Best croissants I've had outside France.",
            "The bar snacks were stale.", "Coffee machine in the breakfast room was broken all week.",
        ],
        "booking_billing": [
            "We were charged twice for the room and still waiting on a refund.",
            "The price on the website was different from what they billed.",
            "A hidden resort fee appeared on the final bill.", "They took a deposit that was never returned.",
            "Our booking disappeared from the system when we arrived.",
            "Cancelled within the free period but still got charged.",
            "The city tax wasn't mentioned when I booked.", "Invoice had a minibar charge for things we never touched.",
            "Booked through the app and got a better rate than elsewhere.", "Refund took six weeks and three emails.",
            "They billed my card before the stay without asking.", "Upgrade was pushed hard and then added to the bill.",
        ],
        "wifi_facilities": [
            "The wifi kept dropping so I couldn't work from the room.",
            "Pool was closed for maintenance the whole week.",
            "Gym is tiny, two treadmills and one was broken.", "Spa was lovely and not too crowded.",
            "Internet was painfully slow in the evenings.", "The lift was out of order and we were on the sixth floor.",
            "Rooftop pool with a great view, kids loved it.", "No kettle in the room and no hairdryer either.",
            "The sauna was cold and the jacuzzi didn't work.", "Fast free wifi everywhere in the building.",
            "Only one working lift for the whole hotel.", "Charging points by the bed were broken.",
        ],
        "check_in": [
            "Check-in took over an hour because the system was down.",
            "Our room wasn't ready until 5pm even though check-in is at 3.",
            "Early check-in was no problem at all.", "The key card stopped working twice.",
            "Self check-in kiosk rejected my booking number.", "Check-out was quick, done in two minutes.",
            "They gave us a room that was already occupied.", "Queue at reception was huge when we arrived.",
            "Online check-in meant we just picked up the keys.", "Had to wait in the lobby for hours with two kids.",
            "Late arrival was fine, the night staff had our keys ready.", "Key didn't open the door, had to go down again.",
        ],
    },
}

FITNESS = {
    "brands": ["PulseFit", "StrideCoach", "Kinetiq", "Motiva"],
    "handles": ["@PulseFitApp", "@StrideCoach", "@kinetiq_help", "@MotivaFit"],
    "places": ["the gym", "home", "the park", "work"],
    "open": ["{brand} user for 2 years.", "", "", "Updated {brand} yesterday.", "{handle}",
             "Tried {brand} after a friend recommended it.", "Review of {brand} v4.2.", "", "Honest review:"],
    "close": ["", "", "1 star until fixed.", "5 stars!", "Order #XXXX-XXXX if you need it.",
              "#fitness #{tag}", "thx", "Please reply {handle}", "see https://bit.ly/XXXXX", "Cheers team"],
    "chatter": ["first!", "lol", "Happy new year everyone", "thanks {handle}", "ok", "Good morning :)",
                "testing testing", "bye"],
    "foreign": ["La aplicación se cierra sola cada vez.", "Die App ist super, aber zu teuer.",
                "L'abonnement est trop cher pour ce que c'est.", "O aplicativo não sincroniza com o relógio."],
    "categories": {
        "tracking_sync": [
            "My runs don't sync to the web dashboard anymore.", "Step count is way off compared to my phone.",
            "GPS drifts so my 5k shows as 6.3k.", "Heart rate data goes missing after every workout.",
            "Sleep tracking says I was awake when I was asleep.", "Calories burned numbers look made up.",
            "It double counts my cycling sessions.", "Distance tracking is spot on, matches my watch exactly.",
            "Data from last week vanished from my history.", "Sync with Google Fit takes hours.",
            "Pace is all over the place when I run under trees.", "The weekly summary counts the same walk twice.",
        ],
        "subscription_billing": [
            "Charged for premium after I cancelled the trial.", "The yearly plan is far too expensive.",
            "No way to cancel the subscription inside the app.", "Price went up with no warning.",
            "I paid for lifetime access and now they want a monthly fee.", "Refund request ignored for a month.",
            "Free version is useless, everything is behind the paywall.", "Got billed twice this month.",
            "Family plan doesn't let me add my partner.", "The student discount code never worked.",
            "Worth every penny of the subscription.", "Trial ended and it charged me without a reminder.",
        ],
        "workout_content": [
            "The yoga classes are brilliant and really varied.", "Not enough beginner workouts.",
            "Same ten exercises on repeat every week.", "The HIIT videos are too fast to follow.",
            "Love the new strength programme, great progressions.", "Instructors explain form really clearly.",
            "Would like longer stretching sessions.", "The music in the videos is annoying and can't be turned off.",
            "Pilates content is excellent.", "Workouts need more low impact options for bad knees.",
            "Audio cues during runs are motivating.", "Videos have no modifications for pregnancy.",
        ],
        "crashes_bugs": [
            "App crashes every time I finish a workout.", "Stuck on the loading screen after the update.",
            "The timer freezes halfway through intervals.", "Buttons don't respond on my Android phone.",
            "Logged me out and now won't accept my password.", "It closes itself when I open the history tab.",
            "Screen goes black during video workouts.", "Notifications fire at 3am for no reason.",
            "The widget shows yesterday's numbers.", "Since iOS update the app won't open at all.",
            "Battery drain is insane when it's running in the background.", "Error 500 whenever I save a routine.",
        ],
        "social_community": [
            "The challenges with friends keep me going.", "Leaderboard is full of obvious cheaters.",
            "I love cheering my mates on in the feed.", "Can't find a way to block people who spam comments.",
            "The group runs feature is really fun.", "Too many strangers commenting on my workouts.",
            "Sharing a workout to friends fails every time.", "Badges and streaks are so motivating.",
            "Club feature is great for our running group.", "The feed is full of ads now instead of friends.",
            "No way to make my activity private from followers.", "Monthly team challenge got our office moving.",
        ],
        "coaching_plans": [
            "The training plan adapted after I missed a week, brilliant.", "The marathon plan ramps up way too fast.",
            "Coach feedback is generic and doesn't use my data.", "Personalised plan got me to my first 10k.",
            "Rest days are never scheduled in the plan.", "The plan ignores that I told it I have a knee injury.",
            "AI coach gives the same tip every day.", "Love how the plan adjusts to my pace.",
            "Plans are too hard for a total beginner.", "Weekly check-in with the coach is really helpful.",
            "The goal setting wizard picked a silly target.", "Nutrition plan doesn't cater for vegetarians.",
        ],
        "wearables": [
            "Won't pair with my Garmin watch.", "Bluetooth heart rate strap disconnects mid run.",
            "Apple Watch app is missing half the features.", "Works perfectly with my Fitbit.",
            "The watch complication never updates.", "Pairing the scale took ten attempts.",
            "Lost connection to my earbuds so audio cues stopped.", "Smart bike integration is seamless.",
            "Wear OS version crashes on my watch.", "Can't start a workout from the watch, only the phone.",
            "Chest strap data arrives with a huge delay.", "Please support Polar devices.",
        ],
        "account_privacy": [
            "Can't delete my account, the button does nothing.", "Why does it need my contacts and location all the time?",
            "I got marketing emails after opting out.", "Two factor login would be nice for security.",
            "My profile photo is public and I can't change it.", "Data export is impossible, they hold my data hostage.",
            "Changing my email address locked me out.", "The privacy settings reset after every update.",
            "Shared my location with followers without asking.", "Account merge after switching phones lost everything.",
            "Please let me download all my workout data.", "Password reset email never arrives.",
        ],
    },
}


def _fill(template: str, spec: dict, brand: int, rng: random.Random, tag: str) -> str:
    return template.format(brand=spec["brands"][brand], handle=spec["handles"][brand],
                           place=rng.choice(spec["places"]), tag=tag)


def generate(spec: dict, prefix: str, per_label: int, seed: int) -> list[dict]:
    """`per_label` coded rows per category plus about 6% chatter rows, shuffled; every row has a split."""
    rng = random.Random(seed)
    cats = sorted(spec["categories"])
    rows: list[dict] = []
    for cat in cats:
        for _ in range(per_label):
            brand = rng.randrange(len(spec["brands"]))  # who is addressed: independent of what is said
            tag = spec["brands"][brand].replace(" ", "").lower()
            parts = [_fill(rng.choice(spec["open"]), spec, brand, rng, tag)]
            details = rng.sample(spec["categories"][cat], 2 if rng.random() < 0.45 else 1)
            parts += details
            if rng.random() < 0.2:  # a passing mention of another category
                other = rng.choice([c for c in cats if c != cat])
                parts.append(rng.choice(spec["categories"][other]))
            if rng.random() < 0.06:
                parts.append(rng.choice(spec["foreign"]))
            parts.append(_fill(rng.choice(spec["close"]), spec, brand, rng, tag))
            text = " ".join(p for p in parts if p)
            if rng.random() < 0.35:
                text = typo(text, rng, TYPOS)
            if rng.random() < 0.15:
                text = text.lower()
            rows.append({"author": rng.choice(AUTHORS), "text": text, "category": cat})
    for _ in range(max(4, len(rows) * 6 // 100)):  # pure chatter and other-language rows: unlabelled
        brand = rng.randrange(len(spec["brands"]))
        pool = spec["chatter"] if rng.random() < 0.7 else spec["foreign"]
        rows.append({"author": rng.choice(AUTHORS), "category": None,
                     "text": _fill(rng.choice(pool), spec, brand, rng, "")})
    rng.shuffle(rows)
    for n, row in enumerate(rows, 1):
        row["id"] = f"{prefix}{n:04d}"
        row["split"] = "train" if rng.random() < 0.5 else "test"
    return [{k: r[k] for k in ("id", "author", "text", "category", "split")} for r in rows]


def hotel_reviews(per_label: int = 80, seed: int = 17) -> list[dict]:
    return generate(HOTEL, "HR", per_label, seed)


def fitness_feedback(per_label: int = 80, seed: int = 23) -> list[dict]:
    return generate(FITNESS, "FF", per_label, seed)


def _write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {len(rows)} rows to {path}")


def main() -> None:
    _write(HOTEL_FILE, hotel_reviews())
    _write(FITNESS_FILE, fitness_feedback())


if __name__ == "__main__":
    main()
