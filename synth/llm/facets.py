"""Cue-word rules that sort evidence sentences into persona facets, and third-person claim wording."""

from __future__ import annotations

import re

from synth.llm.text import (
    _ADVERBS, _MODALS, STOPWORDS, clip_words, conjugate, drop_fillers, lower_start, strip_fillers, to_third_person,
    upper_first,
)

_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_A = r"['\u2019]"  # straight or curly apostrophe

# Each pattern that matches adds one point to its facet; ties go to the earlier facet in PRIORITY.
CUES: dict[str, list[str]] = {
    "frustrations": [
        r"\bannoy", r"\bhate[sd]?\b", r"\bI (?:really |just )?hate\b", r"\bfrustrat",
        rf"\b(?:doesn|didn|don){_A}?t work", r"\bcrash", r"\bbugg?y?\b",
        r"\bbroken\b", r"\bslow\b", r"\bconfus", r"\bwaste", r"\bpain\b", r"\bterrible\b", r"\bawful\b",
        r"\bworst\b", r"\bugh\b", r"\bstupid\b", r"\bkeeps? (?:crashing|failing|forgetting|logging|losing)",
        rf"\bcan{_A}?t (?:find|figure|get|stand)", r"\bgave up\b", r"\bdrives? me (?:crazy|nuts|mad)",
        r"\bstress", r"\bproblem", r"\bdisappoint", r"\btoo (?:expensive|much|many|long|complicated|hard)\b",
        rf"\b(?:don|didn){_A}?t have (?:the |enough )?time\b", r"\bno time\b", r"\bhassle\b", r"\bclunky\b",
        r"\bfail", r"\bnever (?:works|syncs|loads|saves|updates|shows|remembers)\b", r"\bupset",
        rf"\b(?:doesn|didn|won){_A}?t (?:sync|save|load|update|open|show|let)\b",
    ],
    "needs": [
        r"\bI (?:really |just |also )?need (?:a|an|some|something|more|better|help|it to|the app|to be able|one|"
        r"somewhere|someone|somebody)\b",
        r"\b(?:it|the app|app|this|that) (?:really |just )?(?:needs|has) to\b", r"\bwish", r"\bif only\b",
        r"\bshould\b", rf"\bI{_A}?d pay\b", r"\bwould be (?:great|nice|helpful|amazing|perfect|useful)",
        r"\bit would help\b",
        r"\bmust\b", rf"\bI{_A}?m looking for\b", r"\bwhat I(?: really)? need\b", r"\bessential\b",
        r"\bwant(?:ed)? (?:a|an|some|one) (?:way|option|feature|button|place|app|tool)\b",
    ],
    "goals": [
        r"\bI (?:really |just )?want(?:ed)? to\b", rf"\bI{_A}?d (?:really )?(?:like|love) to\b",
        rf"\b(?:I{_A}m|I am|we{_A}re|we are) (?:really |just |still )?trying to\b",
        r"\bgoals?\b", r"\baim(?:ing)? to\b", r"\bhoping to\b", r"\bplan(?:ning)? to\b", r"\bpriority\b",
        r"\bmy aim\b", r"\bI want\b", r"\bmy target\b", r"\bin order to\b",
    ],
    "behaviours": [
        r"\bI (?:usually|always|often|normally|typically|generally|mostly|sometimes|tend to|never)\b",
        rf"\bevery (?:day|week|morning|evening|night|weekend|month|{_DAYS})", rf"\bon {_DAYS}s\b",
        r"\bon weekends\b", r"\bonce a (?:week|month|day)\b", r"\btwice a\b", r"\bI use\b", r"\bI check\b",
        r"\bI (?:shop|cook|plan|buy|write|keep|go|make|order|batch)\b", r"\bhabit", r"\broutine",
        r"\bwe (?:usually|always|often|normally)\b", r"\bfirst thing\b", r"\bat night\b",
    ],
    "motivations": [
        r"\bbecause\b", r"\bso that\b", r"\bmatters? (?:a lot )?to (?:me|us)\b", r"\bimportant to (?:me|us)\b",
        r"\bI care about\b", r"\bwhat I love\b", r"\bI love\b", r"\bthe reason\b", r"\bworth it\b", r"\bmotivat",
        r"\bI enjoy\b", r"\bfeel good\b", r"\bpeace of mind\b", r"\bsave (?:money|time)\b", r"\bproud\b",
        r"\bhealthy\b", r"\bfor my (?:kids|family|health)\b",
    ],
    "context": [
        r"\bI live\b", r"\bmy (?:kids|children|son|daughter|husband|wife|partner|family|roommates?|mom|dad|parents)\b",
        r"\bhousehold\b", r"\bI work\b", r"\bmy job\b", r"\bfull[- ]time\b", r"\bpart[- ]time\b",
        rf"\bI{_A}?m an? \b", r"\bI am an? \b", r"\bwe have (?:two|three|four|five|\d|a)\b",
        r"\bI have (?:two|three|four|five|\d) (?:kids|children)\b", r"\bapartment\b", r"\bcommute\b",
        r"\bshifts?\b", r"\bstudent\b", r"\bretired\b", r"\bsingle (?:mom|dad|parent)\b", r"\bfamily of\b",
        r"\bnurse\b", r"\bteacher\b",
    ],
}
PRIORITY = ("frustrations", "needs", "goals", "behaviours", "motivations", "context")
_FIRST_PERSON = re.compile(r"\\bI\b|\bme\b|\(\?:me\|us\)")  # cues said about oneself count double
_COMPILED = {
    facet: [(re.compile(p, re.IGNORECASE), 2 if _FIRST_PERSON.search(p) else 1) for p in pats]
    for facet, pats in CUES.items()
}


def facet_scores(sentence: str) -> dict[str, int]:
    """Weighted cue matches per facet (facets with none left out)."""
    scores = {f: sum(w for p, w in _COMPILED[f] if p.search(sentence)) for f in PRIORITY}
    return {f: s for f, s in scores.items() if s}


def classify(sentence: str) -> tuple[str, int] | None:
    """The sentence's facet and cue score, or None when no cue matches."""
    scores = facet_scores(sentence)
    if not scores:
        return None
    best = max(scores.values())
    return next(f for f in PRIORITY if scores.get(f) == best), best


_LEAD = {  # contractions after "I" -> the third-person verb that replaces them
    "m": "Is", "am": "Is", "ve": "Has", "have": "Has", "d": "Would", "ll": "Will",
}
_I_CONTRACTION = re.compile(rf"^I{_A}(m|ve|d|ll)\s+(.*)$", re.IGNORECASE | re.DOTALL)
_I_WORD = re.compile(r"^I\s+([A-Za-z'\u2019]+)\s*(.*)$", re.DOTALL)


def _from_i(s: str) -> str | None:
    """`I usually shop on Sundays` -> `Usually shops on Sundays`; None when the sentence is not about "I"."""
    m = _I_CONTRACTION.match(s)
    if m:
        return f"{_LEAD[m.group(1).lower()]} {to_third_person(m.group(2))}"
    m = _I_WORD.match(s)
    if not m:
        return None
    word, rest = m.group(1), m.group(2)
    key = word.lower().replace("\u2019", "'")
    if key in ("am", "have"):
        return f"{_LEAD[key]} {to_third_person(rest)}"
    if key in _MODALS:
        return f"{_MODALS[key]} {to_third_person(rest)}"
    if key in _ADVERBS:
        inner = _I_WORD.match("I " + rest)
        if inner and inner.group(1).lower() not in _ADVERBS:
            verb = inner.group(1)
            vkey = verb.lower().replace("\u2019", "'")
            verb = _MODALS.get(vkey, conjugate(verb)).lower() if vkey in _MODALS else conjugate(verb)
            return f"{upper_first(key)} {verb} {to_third_person(inner.group(2))}".strip()
        return None
    return f"{upper_first(conjugate(word))} {to_third_person(rest)}".strip()


_ANNOYED = re.compile(
    rf"^(?:it|this|that)(?:{_A}s| is| was| gets)\s+(?:(?:so|really|just|very|super|kind of)\s+)*"
    r"(?:annoying|frustrating|irritating|maddening|infuriating|a pain|a hassle|stressful)\s*,?\s+"
    r"(when|that|how|because)\s+(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_WOULD_BE_GOOD = re.compile(
    r"^it would be (?:so |really )?(?:great|nice|helpful|amazing|perfect|useful|good|awesome) if\s+(.*)$",
    re.IGNORECASE | re.DOTALL,
)


def _patterned(s: str) -> str | None:
    """Wordings for common impersonal sentences ("It's so annoying when ...", "It would be great if ...")."""
    m = _ANNOYED.match(s)
    if m:
        link = {"how": "by how", "that": "that"}.get(m.group(1).lower(), m.group(1).lower())
        return f"Gets frustrated {link} {to_third_person(m.group(2))}"
    m = _WOULD_BE_GOOD.match(s)
    if m:
        return f"Would like it if {to_third_person(m.group(1))}"
    return None


# Sentences people write without a subject: requests ("Keep my list saved offline") and self-
# descriptions ("Young professional in a shared house"). "Says Keep my list…" reads as nonsense.
_REQUEST_VERBS = frozenset(
    "keep let make give add allow show stop fix bring put include sync support remember offer "
    "bring send split tag warn".split()
)


_FINITE_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|do|does|did|can|could|will|would|should|ca|wo)(?:n[\'\u2019]t)?\b|[\'\u2019]s\b",
    re.IGNORECASE,
)


def _fragment(s: str, facet: str) -> str | None:
    """A wording for a request or a self-description; None for an ordinary sentence."""
    words_ = s.split()
    if len(words_) < 3:
        return None
    first = words_[0].strip(",.;:!?\"'").lower()
    if first == "please":
        words_, first = words_[1:], words_[1].strip(",.;:!?\"'").lower()
    if first in _REQUEST_VERBS:
        return f"Wants the app to {first} {to_third_person(' '.join(words_[1:]))}"
    second = words_[1].strip(",.;:!?\"'")
    looks_like_description = (
        words_[0][:1].isupper()
        and first not in STOPWORDS
        and second[:1].islower()
        and not second.endswith(("s", "ed"))  # "Rob works shifts" is a sentence about Rob, not a self-description
        and not first.endswith("ing")  # "Paywalling the view is annoying" is an opinion
        and not _FINITE_VERB.search(s)  # a self-description is a fragment: no "is", "was", "can" ...
    )
    if looks_like_description:
        return f"Describes themselves as {words_[0].lower()} {to_third_person(' '.join(words_[1:]))}"
    return None


def third_person_claim(sentence: str, facet: str, max_words: int = 28) -> str:
    """A short third-person paraphrase of a participant's sentence, e.g. "Wants to cook more at home."."""
    s = drop_fillers(strip_fillers(sentence))
    claim = _from_i(s) or _patterned(s) or _fragment(s, facet)
    if claim is None:
        body = lower_start(to_third_person(s))
        claim = f"Gets frustrated that {body}" if facet == "frustrations" else f"Says {body}"
    claim = clip_words(" ".join(claim.split()), max_words).rstrip(" ,;:-")
    return upper_first(claim) + "."
