"""Polarity of what participants say: complaint, praise or neither, and whether it states a desire.

A persona frustration must quote a complaint; a goal or motivation must quote a desire or a
positive reason. VADER (`vaderSentiment`) scores the words, with its negation and boosters; on top
of it come domain-free problem cues VADER has no entry for ("keeps logging me out", "takes
forever", "gave up", "doesn't sync") with their own negation ("never crashes" is praise), reducers
("far less stressful" is relief, not stress), a star rating as a prior that the sentence's own
words outweigh when they are strong, and wishes read as counterfactuals ("I wish it didn't crash"
says that it crashes).

Mixed sentences: the text is cut into clauses at contrast words. The clause after "but",
"however", "yet" dominates, and so does a main clause over its "although" clause; whatever follows
"except" is the exception to the praise, so a problem. Inside one clause a stated problem outweighs
generic praise ("great, another update that logs me out" is a complaint).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Stance = Literal["negative", "positive", "neutral"]

# Fitted by evals/calibrate_polarity.py on the train split of evals/polarity_sentences.jsonl.
NEGATIVE_BELOW = -0.2
POSITIVE_ABOVE = 0.2
RATING_WEIGHT = 0.3  # how far a 1-star or 5-star rating moves a sentence with no opinion words

_NEGATORS = {"not", "no", "never", "without", "hardly", "barely", "rarely", "less", "fewer", "zero",
             "nothing", "none", "nobody", "nor", "neither", "cannot", "fixed", "solved", "resolved",
             "avoids", "avoid", "longer"}  # "no longer", "no more" reach the cue through "no"
_CONTRACTED = re.compile(r"n['’]?t$")

# A problem stated without opinion words: VADER has no entry for these (or only for the lemma).
_PROBLEM = [re.compile(p) for p in (
    r"\bcrash(?:es|ed|ing)?\b", r"\bfr(?:eez(?:es|ing|e)|oze|ozen)\b", r"\blag(?:s|gy|ging|ged)?\b",
    r"\bglitch(?:es|y|ing)?\b", r"\bbug(?:s|gy)?\b", r"\berrors?\b", r"\bbroken\b", r"\bbreaks\b",
    r"\bslow(?:er|ly|s)?\b", r"\bsluggish\b", r"\bconfus(?:ing|ed)\b", r"\bclunky\b", r"\bunreliable\b",
    r"\bunusable\b", r"\bunresponsive\b", r"\bunclear\b", r"\bcluttered\b", r"\btedious\b",
    r"\bhassle\b", r"\bworkarounds?\b", r"\bwork around\b", r"\bfail(?:s|ed|ing|ure)?\b",
    r"\btimed? ?out\b", r"\b(?:log|logs|logged|logging|kick|kicks|kicked) (?:me|us|you) out\b",
    r"\btakes? forever\b", r"\btook forever\b", r"\btaking forever\b", r"\bgave up\b",
    r"\bgiv(?:e|ing) up\b", r"\bswitch(?:ed|ing)? to\b", r"\blost (?:my|all|our|the|everything)\b",
    r"\bdisappear(?:s|ed)?\b", r"\bwiped\b", r"\bmissing\b", r"\boverpriced\b", r"\bpricey\b",
    r"\bexpensive\b", r"\bovercharg(?:ed|es)\b", r"\bcharged (?:me )?twice\b", r"\bdelay(?:s|ed)?\b",
    r"\bspam(?:s|my)?\b", r"\bdrains?\b", r"\bstopped working\b", r"\btoo (?:slow|long|many|much|small|"
    r"hard|complicated|expensive|confusing|often|late|busy|few)\b", r"\bhad to\b", r"\bhave to\b",
    r"\bkeeps? (?!getting better|improving)\w+ing\b", r"\bkept \w+ing\b", r"\bno way to\b",
    r"\bimpossible\b", r"\bwaited\b", r"\bon hold\b", r"\bissues?\b", r"\bnightmare\b",
)]
# Functions a product is expected to perform: negated, they are a problem ("doesn't sync").
_FUNCTION = re.compile(
    r"\b(?:work|works|working|worked|load|loads|loading|loaded|sync|syncs|syncing|synced|save|saves|saved|"
    r"open|opens|opened|connect|connects|connected|arrive|arrives|arrived|respond|responds|responded|"
    r"reply|replies|replied|answer|answered|update|updates|updated|show up|showed up|find|found|"
    r"remember|remembers|remembered|recogni[sz]e|recogni[sz]es|recogni[sz]ed|let me|lets me|"
    r"register|registers|registered|pair|pairs|paired|download|downloads|upload|uploads|refund|"
    r"refunded|get back|got back|help|helped|come|came|go through|went through|log in|sign in)\b")
# Qualities VADER has no entry for; negated, they are a problem ("not exactly fast").
_QUALITY = re.compile(r"\b(?:fast|faster|quick|quicker|quickly|simple|intuitive|reliable|reliably|smooth|"
                      r"smoothly|seamless|seamlessly|accurate|snappy|painless|effortless|straightforward|"
                      r"handy|affordable|cheap|cheaper)\b")
_RELIEF = re.compile(r"\b(?:saves? (?:me|us) (?:so much |a lot of |hours|time|money)|saved (?:me|us)|"
                     r"no more\b|game ?changer|lifesaver|life saver|can['’]?t live without|"
                     r"can['’]?t recommend (?:it|this|them)? ?enough|couldn['’]?t be happier|"
                     r"(?:wish|if only) i['’]?d? (?:had )?(?:found|known|started|switched|discovered)\b.*"
                     r"\b(?:sooner|earlier|ago))")

_DESIRE = re.compile(
    r"\b(?:i|we|i['’]m|we['’]re|i am|we are)\s*(?:just |really |only |simply |still |honestly |kind of |kinda )?"
    r"(?:want|wanna|need|wish|hope|hoping|['’]d like|would like|['’]d love|would love|['’]d prefer|"
    r"would prefer|trying to|try to|looking for|aiming to|aim to|plan to|planning to|would pay)\b"
    r"|\bi['’]?d like\b|\bif only\b|\bmy (?:main |big |biggest |real |only )?(?:goal|aim|priority|dream)\b"
    r"|\bthe (?:goal|aim|dream) is\b|\b(?:it|that)(?: would|['’]d) be (?:so |really |very )?"
    r"(?:great|nice|good|helpful|awesome|amazing|ideal|useful|lovely|brilliant|perfect|handy)\b"
    r"|\bwould be a game ?changer\b|\bideally\b|\bplease (?:add|make|bring|let|fix|give)\b"
    r"|\bwhat i (?:really )?(?:want|need)\b|\ball i (?:want|need|ask)\b|\bi['’]?d pay\b"
    r"|\b(?:should|could) (?:really )?(?:let|allow|have|be able)\b|\bneed(?:s)? to be able to\b",
    re.IGNORECASE)
_NOT_DESIRE = re.compile(r"\b(?:need|have) to (?:\w+ ){0,4}(?:every|each) time\b|\bno need\b|"
                         r"\bdidn['’]?t need\b|\bdon['’]?t need (?:to|a|an|the|any)\b", re.IGNORECASE)
# Counterfactual wishes: what follows describes the opposite of how things are.
_WISH = re.compile(r"\b(?:i wish|we wish|wish it|if only|would be (?:so |really )?(?:great|nice|good|"
                   r"helpful|awesome|ideal|lovely) if|['’]d be (?:so |really )?(?:great|nice|good) if|"
                   r"(?:just|only|simply) want(?:s|ed)? (?:it|this|them|things|the \w+) to)\b", re.IGNORECASE)

_CONTRAST = re.compile(r"\s*(?:\bbut\b|\bhowever\b|,\s*yet\b|\bthat said\b|\bon the other hand\b)\s*,?\s*",
                       re.IGNORECASE)
_EXCEPT = re.compile(r"\s*\bexcept(?: for| that)?\b\s*", re.IGNORECASE)
_CONCESSIVE_LEAD = re.compile(r"^\s*(?:although|though|even though|even if|while)\b([^,]+),(.+)$",
                              re.IGNORECASE | re.DOTALL)
_CONCESSIVE_TAIL = re.compile(r"^(.+?),?\s*\b(?:although|even though|though)\b(.+)$", re.IGNORECASE | re.DOTALL)
_MINOR = 0.35  # weight of a clause that a contrast or concession subordinates


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # lazy: keeps `synth --help` fast

    return SentimentIntensityAnalyzer()


def _negated(text: str, start: int) -> bool:
    """Whether one of the three words before `start` negates what follows."""
    before = re.findall(r"[\w'’]+", text[:start].lower())[-3:]
    return any(w in _NEGATORS or _CONTRACTED.search(w) for w in before)


def _cues(clause: str) -> tuple[float, bool]:
    """(Score of the cues VADER misses, whether an un-negated problem is stated)."""
    low = clause.lower()
    score, problem = 0.0, False
    for pattern in _PROBLEM:
        for m in pattern.finditer(low):
            if _negated(low, m.start()):
                score += 0.35
            else:
                score -= 0.5
                problem = True
    for m in _FUNCTION.finditer(low):
        if _negated(low, m.start()) and not re.search(r"\b(?:no longer|not only)\b", low[max(0, m.start() - 20):m.start()]):
            score -= 0.5
            problem = True
    for m in _QUALITY.finditer(low):
        score += -0.5 if _negated(low, m.start()) else 0.35
    if _RELIEF.search(low):
        score += 0.6
    return score, problem


def _vader_text(clause: str) -> str:
    """The clause as VADER should read it: reducers as negations, desire words dropped."""
    text = re.sub(r"\b(?:less|fewer|no longer|no more)\b", "not", clause, flags=re.IGNORECASE)
    return re.sub(r"\b(?:wish|wishes|hope|hoping|want|wants|like to|love to|love it if)\b", " ", text, flags=re.IGNORECASE)


def _clause_score(clause: str) -> float:
    wish = _WISH.search(clause)
    body = clause[wish.end():] if wish else clause
    vader = _analyzer().polarity_scores(_vader_text(body))["compound"]
    cues, problem = _cues(body)
    if problem:
        vader = min(vader, 0.0)
    score = max(-1.0, min(1.0, vader + cues))
    if wish:
        # "I wish it didn't crash": the wished-for state is good, so the present one is bad.
        return -max(score, 0.0) if score > 0.1 else min(score, 0.0)
    return score


def _clauses(text: str) -> list[tuple[str, float, bool]]:
    """(clause, weight, is_exception) pieces of a sentence, per the mixed-sentence rule above."""
    parts = [p for p in _CONTRAST.split(text) if p and p.strip(" ,.;")]
    out: list[tuple[str, float, bool]] = []
    for i, part in enumerate(parts):
        weight = 1.0 if i == len(parts) - 1 else _MINOR
        lead, tail = _CONCESSIVE_LEAD.match(part), _CONCESSIVE_TAIL.match(part)
        if lead:
            out += [(lead.group(1), weight * _MINOR, False), (lead.group(2), weight, False)]
        elif tail and len(tail.group(2).split()) >= 2:
            out += [(tail.group(1), weight, False), (tail.group(2), weight * _MINOR, False)]
        else:
            pieces = _EXCEPT.split(part, maxsplit=1)
            out.append((pieces[0], weight if len(pieces) == 1 else weight * _MINOR, False))
            if len(pieces) == 2 and pieces[1].strip():
                out.append((pieces[1], weight, True))
    return out or [(text, 1.0, False)]


def _text_polarity(text: str) -> float:
    total = weights = 0.0
    previous = 0.0
    for clause, weight, exception in _clauses(text):
        score = _clause_score(clause)
        if exception and abs(score) < 0.3:
            # "Great app except for the sync": an exception to praise is a problem, and vice versa.
            score = -0.5 if previous >= 0 else 0.5
        total += weight * score
        weights += weight
        previous = score
    return max(-1.0, min(1.0, total / weights if weights else 0.0))


def polarity(text: str, rating: float | None = None, scale: float = 5.0) -> float:
    """Polarity in [-1, 1]: negative is a complaint or problem, positive praise or satisfaction.

    rating: the star rating of the review the sentence comes from, on 1..`scale`; it leans the
    sentence towards the review's verdict, less so the more the sentence's own words say.
    """
    score = _text_polarity(text)
    if rating is not None and scale > 1:
        lean = max(-1.0, min(1.0, (rating - (scale + 1) / 2) / ((scale - 1) / 2)))
        score += RATING_WEIGHT * lean * (1 - abs(score))
    return max(-1.0, min(1.0, score))


def stance(text: str, rating: float | None = None, scale: float = 5.0) -> Stance:
    """'negative', 'positive' or 'neutral', by the calibrated thresholds on `polarity`."""
    score = polarity(text, rating, scale)
    if score <= NEGATIVE_BELOW:
        return "negative"
    if score >= POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def is_desire(text: str) -> bool:
    """Whether the text states a want, need, wish or goal, whatever its sentiment words."""
    return bool(_DESIRE.search(text)) and not _NOT_DESIRE.search(text)


_NEGATIVE_SECTIONS = ("frustration", "challenge", "pain", "problem", "complaint", "barrier", "obstacle", "dislike")
_DESIRE_SECTIONS = ("goal", "motivation", "need", "desire", "want", "aspiration", "job", "like", "delight")


def agrees(claim_section: str, text: str, rating: float | None = None) -> bool:
    """Whether `text` can back a claim in the persona section `claim_section`.

    Frustrations and challenges need a complaint (a wish about a problem is one); goals,
    motivations and needs need a desire or a positive reason; other sections (behaviours,
    context) accept any stance.
    """
    section = claim_section.lower()
    if any(key in section for key in _NEGATIVE_SECTIONS):
        return stance(text, rating) == "negative"
    if any(key in section for key in _DESIRE_SECTIONS):
        return is_desire(text) or stance(text, rating) == "positive"
    return True
