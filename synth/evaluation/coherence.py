"""Is a persona one coherent person, and distinct from the others?

Contradictions: two claims about who the persona is that cannot both hold. Attributes of a life (who they
live with, how many children, life stage, age, town or country, a small or a large employer, working alone or
with a team) are read from every claim and compared; two
context claims about the same topic with opposite polarity (a negation, an antonym) contradict too.
Duplicates: the same claim, word for word or nearly, in two personas.

The attribute rules are about people's lives in general, never about one study's product or domain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from synth.evaluation.findings import Finding, FindingKind
from synth.llm.offline import ANTONYMS, CLAIM_FRAME
from synth.llm.text import NEGATIONS, content_stems, jaccard, stem, words
from synth.records import Claim, Persona

# Sections that say who the persona is; the narrative restates them, so it is read beside them.
CONTEXT_SECTIONS = ("context", "who", "about", "background", "demographic", "identity", "profile", "narrative")
DUPLICATE_JACCARD = 0.8  # content-stem overlap at or above which two claims say the same thing
MIN_DUPLICATE_STEMS = 3  # shorter claims ("Loves it.") may repeat without saying the same thing

_NUMBERS = {"no": 0, "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_N = r"(\d{1,2}|no|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_POSS = r"(?:my|their|his|her|our)"
_SUBJ = r"(?:i|they|he|she|we)"
_BE = r"(?:'m|'re|'s|’m|’re|’s| am| are| is| was| were)"

# Who they live with. "alone" conflicts with every kind of company at home.
_ALONE = re.compile(
    rf"\b(?:liv(?:e|es|ing|ed) (?:alone|on {_POSS} own|by (?:my|them|him|her)sel(?:f|ves))|"
    r"(?:single|one)[- ]person household|household of one|on (?:my|their) own at home)\b", re.IGNORECASE)
_COMPANY = re.compile(
    rf"\b(?:liv(?:e|es|ing|ed) with (?:{_POSS}|a|an|two|three|four|some)\b|(?:room|flat|house)mates?\b|"
    rf"shared (?:house|flat|apartment)|shar(?:e|es|ing) (?:a|an|the|{_POSS}) (?:house|flat|apartment|home) with|{_POSS} (?:husband|wife|spouse|kids|children|son|daughter|twins|toddler|baby)\b|"
    rf"(?:mum|mom|mother|dad|father|parent) of {_N}\b|{_POSS} (?:family|household) (?:of|is|size (?:is|to|of)) {_N}\b|"
    rf"{_SUBJ}{_BE} a (?:family|household) of {_N}\b|family of {_N} here|{_N}[- ]person household)\b",
    re.IGNORECASE)
# How many children.
_KIDS = re.compile(
    rf"\b(?:(?:have|has|had|with|raising) {_N} (?:\w+ )?(?:kids|children|sons|daughters|boys|girls|little ones)|"
    rf"(?:mum|mom|mother|dad|father|parent) of {_N}(?! (?:dogs?|cats?|pets?))|"
    rf"{_N} (?:kids|children)(?: under| aged| between| of (?:my|their|our) own)?)\b", re.IGNORECASE)
_NO_KIDS = re.compile(r"\b(?:no (?:kids|children)|child-?free|childless|(?:don't|do not|doesn't|does not) have "
                      r"(?:any )?(?:kids|children))\b", re.IGNORECASE)
_SOME_KIDS = re.compile(rf"\b{_POSS} (?:kids|children|son|daughter|twins|toddler|baby)\b", re.IGNORECASE)
# Life stage.
_STAGES = {
    "student": re.compile(rf"\b(?:{_SUBJ}{_BE} (?:a |an )?(?:\w+ ){{0,2}}student|full[- ]time student|"
                          r"student here|(?:uni|college|university|grad school) student)\b", re.IGNORECASE),
    "retired": re.compile(rf"\b(?:retired|retiree|pensioner|{_SUBJ}{_BE} (?:now )?in retirement)\b", re.IGNORECASE),
    "unemployed": re.compile(r"\b(?:unemployed|out of work|between jobs|lost (?:my|their|his|her) job|"
                             r"looking for (?:a )?(?:job|work))\b", re.IGNORECASE),
    "employed": re.compile(rf"\b(?:full[- ]time (?:job|work|role|position)|work(?:s|ing)? full[- ]time|"
                           rf"{_POSS} (?:boss|manager|employer|day job)|nine[- ]to[- ]five)\b", re.IGNORECASE),
}
_STAGE_CONFLICTS = {frozenset(p) for p in (("student", "retired"), ("retired", "unemployed"),
                                            ("retired", "employed"), ("unemployed", "employed"))}
_AGE = re.compile(r"\b(?:(\d{2})[- ]years?[- ]old|aged (\d{2})|age (\d{2})|(\d{2}) y/?o|in (?:my|their|his|her) "
                  r"(?:early |mid[- ]|late )?(\d)0s)\b", re.IGNORECASE)
# Where they work: a small company or a large one, alone or with a team.
_COMPANY_SIZE = {
    "small": re.compile(r"\b(?:(?:small|tiny|early[- ]stage|seed[- ]stage|young) (?:startup|start-up|company|business|"
                        r"agency|shop|firm)|startup of (?:\d{1,2}|a few)|(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|"
                        r"ten)[- ](?:person|people) (?:company|startup|team|business))\b", re.IGNORECASE),
    "large": re.compile(r"\b(?:(?:large|big|huge|global) (?:enterprise|company|corporation|organi[sz]ation|bank|"
                        r"retailer)|enterprise company|fortune 500|multinational|(?:\d{1,3},\d{3}|\d{4,})[- ]"
                        r"(?:employees|people|staff|person))\b", re.IGNORECASE),
}
_SOLO = re.compile(rf"\b(?:solo (?:founder|developer|dev|consultant|engineer)|one-person (?:team|company|business)|"
                   rf"(?:the )?only (?:engineer|analyst|developer|designer|person) (?:at|in|on)|{_SUBJ}{_BE} (?:a )?"
                   rf"team of one|work(?:s|ing)? (?:alone|on (?:my|their|his|her) own))\b", re.IGNORECASE)
_TEAM = re.compile(rf"\b(?:(?:lead|leads|manage|manages|run|runs|in|on|with) (?:a|my|their|his|her) team of "
                   rf"{_N}|team of {_N} (?:engineers|analysts|people|developers|designers))\b", re.IGNORECASE)
_PLACE = {
    "city": re.compile(r"\b(?:live|lives|living) (?:in|downtown in) (?:the |a )?(?:big )?(?:city|downtown|town centre)\b|"
                       r"\bcity centre\b|\bdowntown (?:apartment|flat)\b", re.IGNORECASE),
    "rural": re.compile(r"\b(?:rural|countryside|in the country|on a farm|middle of nowhere|small village)\b",
                        re.IGNORECASE),
}


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


@dataclass(frozen=True)
class Attribute:
    """One thing a claim says about the persona's life: a topic, a value, and the words that say it."""

    topic: str  # household, children, stage, age, place, company, team
    value: object
    words: str


_DENIED = re.compile(r"\b(?:not|never|no longer|nor|isn't|aren't|wasn't|don't|doesn't|didn't|won't)\b|n['’]t\b",
                     re.IGNORECASE)


def _said(text: str, rx: re.Pattern[str]) -> list[re.Match[str]]:
    """Matches of `rx` that the text does not deny ("I'm not a student", "never lived alone")."""
    def before(m: re.Match[str]) -> str:  # the two words before it, within its clause
        return " ".join(re.split(r"[,.;:!?]", text[:m.start()])[-1].split()[-2:])

    return [m for m in rx.finditer(text) if not _DENIED.search(m.group(0)) and not _DENIED.search(before(m))]


def attributes(text: str) -> list[Attribute]:
    """The life attributes a claim states (not those it denies)."""
    out: list[Attribute] = []
    for m in _said(text, _ALONE):
        out.append(Attribute("household", "alone", m.group(0)))
    for m in _said(text, _COMPANY):
        out.append(Attribute("household", "company", m.group(0)))
    for m in _said(text, _KIDS):
        n = next(g for g in m.groups() if g)
        out.append(Attribute("children", _number(n), m.group(0)))
    for m in _NO_KIDS.finditer(text):  # a denial on purpose
        out.append(Attribute("children", 0, m.group(0)))
    if not any(a.topic == "children" for a in out):
        for m in _said(text, _SOME_KIDS):
            out.append(Attribute("children", "some", m.group(0)))
    for stage, rx in _STAGES.items():
        for m in _said(text, rx):
            out.append(Attribute("stage", stage, m.group(0)))
    for m in _said(text, _AGE):
        years, decade = next((g for g in m.groups()[:4] if g), None), m.group(5)
        low = int(years) if years else int(decade) * 10
        out.append(Attribute("age", (low, low) if years else (low, low + 9), m.group(0)))
    for size, rx in _COMPANY_SIZE.items():
        for m in _said(text, rx):
            out.append(Attribute("company", size, m.group(0)))
    for m in _said(text, _SOLO):
        out.append(Attribute("team", 1, m.group(0)))
    for m in _said(text, _TEAM):
        n = _number(next(g for g in m.groups() if g))
        if n != 1:
            out.append(Attribute("team", n, m.group(0)))
    for place, rx in _PLACE.items():
        for m in _said(text, rx):
            out.append(Attribute("place", place, m.group(0)))
    return out


def conflict(a: Attribute, b: Attribute) -> bool:
    """Whether two attributes of one person cannot both hold."""
    if a.topic != b.topic:
        return False
    if a.topic == "household":
        return a.value != b.value
    if a.topic == "children":
        if "some" in (a.value, b.value):
            return 0 in (a.value, b.value)
        return a.value != b.value
    if a.topic == "stage":
        return frozenset((a.value, b.value)) in _STAGE_CONFLICTS
    if a.topic == "age":
        (lo1, hi1), (lo2, hi2) = a.value, b.value
        return hi1 + 5 < lo2 or hi2 + 5 < lo1
    if a.topic in ("place", "company"):
        return a.value != b.value
    if a.topic == "team":
        return (a.value == 1) != (b.value == 1)
    return False


def _is_context(claim: Claim) -> bool:
    return any(k in claim.section.lower() for k in CONTEXT_SECTIONS)


def contradiction_findings(persona: Persona) -> list[Finding]:
    """One finding per pair of the persona's claims that cannot both hold (reported on the later claim)."""
    claims = [c for c in persona.claims if c.text.strip()]
    found: dict[tuple[str, str], Finding] = {}
    attrs = {c.id: attributes(c.text) for c in claims}
    for first, second in combinations(claims, 2):
        key = (first.id, second.id)
        for a in attrs[first.id]:
            hit = next((b for b in attrs[second.id] if conflict(a, b)), None)
            if hit is not None:
                found[key] = Finding(
                    kind=FindingKind.contradiction, claim_id=second.id, other_claim_id=first.id, quote=second.text,
                    message=f"{hit.topic}: {hit.words!r} here, but {a.words!r} in {first.text!r}")
                break
        if key in found or not (_is_context(first) and _is_context(second)):
            continue
        why = opposite(first.text, second.text)
        if why:
            found[key] = Finding(kind=FindingKind.contradiction, claim_id=second.id, other_claim_id=first.id,
                                 quote=second.text, message=f"{why}: {first.text!r}")
    return list(found.values())


SAME_TOPIC = 0.6  # content-stem Jaccard at or above which two claims are about the same thing
_FIGURE = re.compile(r"\s*\(\d+(?: of \d+)?[^)]*\)")  # "(9 of 14)", "(3)": counts, not content
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _OPPOSITE.setdefault(stem(_a), set()).add(stem(_b))
    _OPPOSITE.setdefault(stem(_b), set()).add(stem(_a))


def _negations(text: str) -> int:
    return sum(1 for w in words(text) if w in NEGATIONS or w.endswith("n't"))


def opposite(a: str, b: str) -> str | None:
    """Why two claims about the same thing say opposite things (a negation one lacks, or an antonym), else None."""
    a, b = _FIGURE.sub("", a), _FIGURE.sub("", b)
    sa, sb = _stems(a), _stems(b)
    if len(sa | sb) < 3:
        return None
    flipped = sorted(w for w in sa - sb if _OPPOSITE.get(w, set()) & (sb - sa))
    if flipped and jaccard(sa - {w for w in sa if w in _OPPOSITE}, sb - {w for w in sb if w in _OPPOSITE}) >= SAME_TOPIC:
        return f"says the opposite ({flipped[0]} / {sorted(_OPPOSITE[flipped[0]] & sb)[0]})"
    if jaccard(sa, sb) >= SAME_TOPIC and _negations(a) % 2 != _negations(b) % 2:
        return "one denies what the other says"
    return None


def _stems(text: str) -> set[str]:
    return set(content_stems(re.sub(r"['’]s\b", "", text), CLAIM_FRAME))


def duplicate_findings(personas: Sequence[Persona], only: Iterable[str] | None = None) -> dict[str, list[Finding]]:
    """Persona id -> its claims that say what a claim of another persona says (word for word or nearly)."""
    chosen = set(only) if only is not None else {p.id for p in personas}
    stems = {(p.id, c.id): _stems(c.text) for p in personas for c in p.claims}
    out: dict[str, list[Finding]] = {p.id: [] for p in personas if p.id in chosen}
    for a, b in combinations(personas, 2):
        if a.id not in chosen and b.id not in chosen:
            continue
        for ca in a.claims:
            sa = stems[(a.id, ca.id)]
            if len(sa) < MIN_DUPLICATE_STEMS:
                continue
            for cb in b.claims:
                sb = stems[(b.id, cb.id)]
                if len(sb) < MIN_DUPLICATE_STEMS or jaccard(sa, sb) < DUPLICATE_JACCARD:
                    continue
                for this, claim, other, twin in ((a, ca, b, cb), (b, cb, a, ca)):
                    if this.id in out:
                        out[this.id].append(Finding(
                            kind=FindingKind.duplicate, claim_id=claim.id, other_claim_id=twin.id,
                            other_persona_id=other.id, quote=claim.text,
                            message=f"also claimed by {other.name}: {twin.text!r}"))
    for pid, items in out.items():  # one finding per claim, naming the first twin
        seen: set[str | None] = set()
        out[pid] = [f for f in items if not (f.claim_id in seen or seen.add(f.claim_id))]
    return out
