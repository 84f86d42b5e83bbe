"""What a participant's sentence is: a self-description, a goal, a need, a complaint, a habit or a reason.

The cues are patterns of how people talk about themselves in English (first-person frames, frequency
words, wishes, "because"), never words of a product or domain; whether a sentence is a complaint or
praise comes from synth.polarity, whether it says anything at all from synth.substance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from synth.polarity import is_desire, polarity, stances

_A = "['\u2019]"
_I_AM = rf"(?:I{_A}m|I am|Im)"
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PERIOD = rf"(?:day|week|morning|afternoon|evening|night|weekend|month|quarter|year|sprint|release|{_DAYS})"


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Who someone is: "I'm a data analyst", "As a nurse, ...", "Student here", "I work as a ...".
_ROLE_FRAMES = [
    re.compile(rf"\b{_I_AM}\s+(?:a|an)\s+(?P<role>[^,.;:!?()]+)", re.IGNORECASE),
    re.compile(rf"\b{_I_AM}\s+the\s+(?P<role>[^,.;:!?()]+?)\s+(?:here|on (?:the|our|my) team|at|of|for)\b",
               re.IGNORECASE),
    re.compile(rf"\bI\s+(?:work|worked|started)\b[^,.;:!?]{{0,30}}?\s+as\s+(?:a|an)\s+(?P<role>[^,.;:!?()]+)",
               re.IGNORECASE),
    re.compile(r"^As\s+(?:a|an)\s+(?P<role>[^,.;:!?()]{2,40}),", re.IGNORECASE),
    re.compile(r"^(?P<role>[A-Za-z][\w' -]{1,40}?)\s+here\b(?!\s+(?:is|are|was|and|to|in|on|at|for|too))", re.IGNORECASE),
    re.compile(rf"\bI{_A}ve been (?:a|an)\s+(?P<role>[^,.;:!?()]+)", re.IGNORECASE),
]
_ROLE_STOP = frozenset(
    """at in for with and who that so but on from to because since when while which where by as like or
    than about after before into over using""".split()
)
# Predicate nouns that say how someone feels, not who they are: "I'm a big fan", "I'm a bit lost".
_NOT_ROLES = frozenset(
    """bit little lot fan fans believer sucker mess nightmare joke disaster fool huge big total complete fairly
    pretty very kind sort same result rule whole matter side reminder bonus heads example test comparison
    workaround nothing everything something anything new first long more just not been over out right
    one ones way thing things person people guy girl type question tip note update psa review heads warning
    same someone somebody anyone anybody everyone""".split()
)
_SITUATION = _any(
    r"\bI\s+live\b", rf"\b{_I_AM}\s+(?:single|married|retired|divorced|widowed|pregnant|based in|from|new to)\b",
    rf"\bI\s+(?:have|{_A}ve got)\s+(?:a|an|one|two|three|four|five|six|\d+)\s+(?:\w+\s+)?"
    r"(?:kids?|children|sons?|daughters?|bab(?:y|ies)|toddlers?|teens?|teenagers?|roommates?|flatmates?|"
    r"housemates?|partner|husband|wife|boyfriend|girlfriend|team|reports|dogs?|cats?)\b",
    r"\b(?:we|I)(?:'re| are| am|'m)\s+(?:a|an)\s+(?:\d+|[a-z]+)[- ](?:person|people|member|seat)\b",
    r"\bwe(?:'re| are)\s+(?:a|an)\s+(?:small|tiny|big|large|growing|young|remote|two-person)\b",
    rf"\bI{_A}ve been (?:working|doing|running|leading|managing)\b", r"\bI\s+work\s+(?:at|in|for|on|from|nights?|"
    r"shifts|days|late|weekends|full|part|remotely|two|three)\b", r"\b(?:my|our)\s+(?:job|role|title)\s+is\b",
    r"\bI\s+(?:run|own|manage|lead|founded|co-founded)\s+(?:a|an|the|our|my)\b",
)
_GOAL = _any(
    r"\b(?:I|we)\s+(?:\w+\s+)?want(?:ed)?\s+to\b", rf"\b(?:I|we)(?:{_A}d| would)\s+(?:really\s+)?(?:like|love)\s+to\b",
    r"\bthe\s+(?:whole\s+|main\s+|only\s+)?point\s+(?:is|was)\s+to\b", rf"\bwhat\s+(?:I|we)(?:{_A}re|{_A}m| am| are)\s+after\b",
    rf"\b(?:{_I_AM}|we{_A}re|we are)\s+(?:\w+\s+)?trying\s+to\b", r"\b(?:my|our)\s+(?:\w+\s+)?(?:goal|aim|priority)\b",
    r"\b(?:hoping|aiming|planning)\s+to\b", r"\bso\s+(?:that\s+)?(?:I|we)\s+can\b",
    rf"\b{_I_AM}\s+(?:looking|working)\s+(?:to|towards?)\b",
)
_NEED = _any(
    r"\bI\s+(?:\w+\s+)?need\b", r"\b(?:it|this|they|you)\s+(?:really\s+)?(?:needs?|ha(?:s|ve))\s+to\b", r"\bwish",
    r"\bif only\b", r"\bwould be (?:so |really |very )?(?:great|nice|helpful|amazing|perfect|useful|good|better|awesome)",
    r"\bshould\b", r"\bplease\b", rf"\bI(?:{_A}d| would)\s+(?:happily\s+)?pay\b",
    r"\b(?:want|need)(?:ed)?\s+(?:a|an|some|the|more|better|proper|real)\b", r"\bmissing\s+(?:a|an|the)\b",
    r"^(?:please\s+)?(?:add|bring|give|let|allow|fix|make|keep|show|stop|warn|remember|support|include|offer|"
    r"split|tag|change|remove|restore|update|improve)\s+(?:me|us|my|our|the|a|an|it|more|back|all|some|them|this)\b",
)
_HABIT = _any(
    r"\b(?:I|we)\s+(?:\w+\s+)?(?:usually|always|often|normally|typically|generally|regularly|mostly|sometimes|"
    r"rarely|tend to)\b", r"\b(?:usually|normally|typically|every\s+(?:single\s+)?" + _PERIOD + r")\b",
    r"\b(?:once|twice|three times|a few times)\s+(?:a|per|every)\s+" + _PERIOD + r"\b",
    rf"\bon\s+(?:{_DAYS}s|weekends|weekdays)\b", r"\b(?:daily|weekly|monthly|nightly)\b", r"\bfirst thing\b",
    rf"\b(?:{_DAYS}s?|weekends?|weekdays?)(?:\s+(?:night|morning|evening|afternoon)s?)?,?\s+(?:I|we)\s+(?!was\b|were\b|had\b|did\b)",
    r"\b(?:at night|in the (?:morning|evening)s?|after work|before work|after school)\b",
    r"\b(?:a|per|each)\s+(?:day|week|month|year)\b",
    r"\b(?:my|our)\s+(?:routine|workflow|process|habit|setup)\b",
    r"^(?:I|we)\s+(?:use|check|open|start|spend|keep|run|export|track|log|plan|write|build|review|share|send|set up|"
    r"do|go|make|put|add|pull|look)\b",
)
_REASON = _any(
    r"\bbecause\b", r"\bso that\b", r"\bthe (?:main |only |whole )?reason\b", r"\bthat(?:'s| is) why\b",
    r"\bwhich is why\b", r"\bmatters?\b", r"\bimportant\s+(?:to|for)\s+(?:me|us)\b", r"\bI care about\b",
    r"\bI\s+(?:really\s+)?(?:love|like|enjoy|appreciate|value)\b", r"\bworth\s+(?:it|every|the)\b",
    r"\bsaves?\s+(?:me|us)\b", r"\bhelps?\s+(?:me|us)\b", r"\bpeace of mind\b",
    r"\bmakes?\s+(?:it|my|our|life|things)\s+(?:so\s+)?(?:easier|easy|simpler|simple|faster)\b",
    r"\bcan't live without\b", r"\bgame[- ]?changer\b",
)
_VALUE = _any(r"\bmatters?\s+(?:\w+\s+)?to\s+(?:me|us)\b", r"\bimportant\s+(?:to|for)\s+(?:me|us)\b",
               r"\bI\s+(?:really\s+)?(?:care|value)\b", r"\bwhat I (?:love|like|value|care about)\b")
# Asking the reader for something says nothing about the speaker: "Hoping you can help with something."
_ADDRESSING = _any(r"\b(?:hoping|hope|wondering if) (?:you|someone|anyone) (?:can|could|might)\b",
                   r"\b(?:any|some) (?:help|ideas|advice|tips) (?:would be|appreciated|welcome)\b",
                   r"^(?:please )?(?:let me know|see (?:attached|below)|thanks in advance)\b")
CLEARLY_POSITIVE = 0.3  # the rules' score above which praise without a reason word still says what they value
_QUESTION = re.compile(r"\?\s*[\"'\u201d\u2019)]*\s*$")


@dataclass(frozen=True)
class Cue:
    """What a sentence says about its speaker: a profile section, how strongly, and a role for `who`."""

    section: str  # "who", or one of synth.llm.schemas.FACETS
    strength: float
    stance: str
    role: str = ""


_LEADING = re.compile(
    r"^(?:re\b[^:]{1,30}:\s*)?(?P<lead>[A-Za-z][\w'-]*(?:\s+[\w'-]+){0,7})\s*[,:]\s+(?P<rest>.+)$", re.DOTALL
)
_ATTACHED = re.compile(r"^(?:\w+ing|with|and|so|who|since|for)\b", re.IGNORECASE)  # "..., trying to", "..., with 3 kids"
_FINITE = re.compile(
    rf"\b(?:is|are|was|were|am|has|have|had|do|does|did|can|could|will|would|should|\w+n{_A}t|\w+{_A}(?:s|re|ll|ve|d))\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(rf"\b(?:I|i|my|me|I{_A}m|i{_A}m)\b")
_TIME = re.compile(
    rf"\b(?:{_DAYS}|morning|afternoon|evening|night|tonight|today|yesterday|tomorrow|week|weekend|month|year|"
    r"lately|recently|now|then|update|edit|ps|tl;?dr|overall|also|plus|however|anyway|honestly|basically)\b",
    re.IGNORECASE,
)


def _leading_role(sentence: str) -> str | None:
    """A role written as a fragment before the sentence about them: "Part-time student, no car, so I ..."."""
    from synth.llm.text import STOPWORDS

    m = _LEADING.match(sentence.strip())
    if not m or not (_FIRST_PERSON.search(m.group("rest")) or _ATTACHED.match(m.group("rest"))):
        return None
    lead = m.group("lead")
    if _FINITE.search(lead) or _FIRST_PERSON.search(lead) or _TIME.search(lead):
        return None  # "Sunday morning, I ...": a time, not who someone is
    if any(w.lower() in _NOT_ROLES for w in lead.split()):
        return None  # "Small thing: ..."
    return _role_words(lead.split())


def _role_words(candidate: list[str]) -> str | None:
    """The role in the words someone used for themselves, cut where the noun phrase ends, or None."""
    from synth.llm.text import STOPWORDS

    words: list[str] = []
    for i, w in enumerate(candidate):  # "Young professional in a shared house" -> "young professional"
        w = w.strip("\"'\u2019\u201d").rstrip(".,")
        low = w.lower()
        joins = low in ("of", "and", "&") and words and i + 1 < len(candidate)  # "security and compliance lead"
        if not w or (low in STOPWORDS or low in _ROLE_STOP) and not joins:
            break
        if low.endswith("ing") and words:  # "Retiree living alone" -> "retiree"
            break
        words.append(w)
        if len(words) == 5:
            break
    while words and words[-1].lower() in ("of", "and", "&"):
        words.pop()
    low = [w.lower() for w in words]
    head = low[: low.index("of")] if "of" in low else low
    if not words or len(head) > 4 or low[0].endswith("ly") or low[0][:1].isdigit() or head[-1].endswith("ing"):
        return None
    if any(w in _NOT_ROLES for w in low) or (head[-1].endswith("s") and not head[-1].endswith(("ss", "us", "is"))):
        return None  # "I'm a big fan", "larder users: ..." (talking to others)
    if abs(polarity(" ".join(words))) >= 0.45 or polarity(words[-1]) != 0.0:
        return None  # "Great app, ...", "happy customer": a verdict, not who someone is
    return " ".join(w if sum(ch.isupper() for ch in w) > 1 else w.lower() for w in words)  # "PMs", "SQL"


def role_phrase(sentence: str) -> str | None:
    """The noun phrase someone uses for who they are ("data analyst", "mom of three"), else None."""
    leading = _leading_role(sentence)
    if leading:
        return leading
    for frame in _ROLE_FRAMES:
        m = frame.search(sentence)
        if not m:
            continue
        words = m.group("role").split()
        if frame is _ROLE_FRAMES[3] and len(words) > 4:
            continue  # "Genuine question for the people here": not a label someone gives themselves
        role = _role_words(words)
        if role:
            return role
    return None


def agrees_with(section: str, sentence: str, stance: str) -> bool:
    """synth.polarity.agrees, given the sentence's stance already: a frustration is a complaint; a goal or
    motivation a desire or a positive reason; other sections take any stance."""
    if section == "frustrations":
        return stance == "negative"
    if section in ("goals", "motivations"):
        return is_desire(sentence) or stance == "positive"
    return True


def cue(sentence: str, rating: float | None = None, stance: str | None = None) -> Cue | None:
    """The profile section a participant's sentence belongs to, or None when it is no statement about them.

    stance: the sentence's synth.polarity stance when the caller has it (stances come faster in a batch).
    """
    if _QUESTION.search(sentence) or _ADDRESSING.search(sentence):
        return None
    if stance is None:
        stance = stances([sentence], [rating])[0]
    score = polarity(sentence, rating)  # the rules' score: how strongly it is said, to rank statements
    role = role_phrase(sentence)
    if role is not None:
        return Cue("who", 3.0, stance, role)
    if _SITUATION.search(sentence) and stance != "negative":
        return Cue("context", 2.0, stance)
    if _VALUE.search(sentence) and agrees_with("motivations", sentence, stance):
        return Cue("motivations", 2.5, stance)  # "What matters to me is that nothing goes to waste"
    if _GOAL.search(sentence):
        found = Cue("goals", 2.5, stance)
    elif _NEED.search(sentence) or is_desire(sentence):
        found = Cue("needs", 2.5, stance)
    # Without a cue word, a sentence is a complaint or a reason only when the stance and the rules' own
    # score agree on its sign: the two err on different sentences.
    elif stance == "negative" and score <= 0.0:
        found = Cue("frustrations", 1.5 + abs(score), stance)
    elif _HABIT.search(sentence):
        found = Cue("behaviours", 2.0, stance)
    elif _REASON.search(sentence) and stance == "positive" and score >= 0.0:
        found = Cue("motivations", 2.0, stance)
    elif stance == "positive" and score >= CLEARLY_POSITIVE:
        found = Cue("motivations", 1.0 + score, stance)
    else:
        return None
    # A request is a need whatever its words weigh; complaints, goals and motivations must agree in polarity.
    if not agrees_with(found.section, sentence, stance):
        return None
    return found
