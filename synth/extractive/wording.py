"""Third-person wording of a participant's sentence ("I usually shop on Sundays" -> "Usually shops on Sundays.").

A rewording must read as a clean sentence about the participant; when the rules cannot make one
(a fragment, a quotation inside the sentence, a question, first-person words left over), the
statement quotes the participant instead: 'Says: "Worst predictions ever."'. Garbled paraphrase
is worse than a quote.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

from synth.llm.text import STOPWORDS, clip_words, conjugate, drop_fillers, lower_start, strip_fillers, to_third_person, upper_first

_A = "['\u2019]"
# Pictographs, dingbats, variation selectors and joiners: no place in a paraphrase.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D\u20E3]+")
_LOWER_I = re.compile(rf"(?<![\w'\u2019])i(?=(?:{_A}(?:m|ve|d|ll))?(?![\w'\u2019]))")
_BARE_I = {"im": "I'm", "ive": "I've"}  # typed without the apostrophe
_TAGS = re.compile(r"(?:(?<=\s)|^)#\w+|^\s*(?:@[\w.]+[\s,:]*)+")
_LABEL = re.compile(r"^[A-Z][\w'-]*(?: [\w'-]+)?:\s+(?=\S)")  # a review's "Pros:", "Cons:", "Overall:"
# "..., check the list and buy what's missing": a verb after a coordinator, with an object after it.
_COORDINATED = re.compile(r"(\band|\bor|\bthen|,) ([a-z]{3,}) (it|them|their|the|a|an|back|out|up|everything|all|"
                          r"stuff|this|that|these|those|what|some|every|each|any)\b")
_VERB_STOPWORDS = frozenset("own do have get".split())  # function words that are also verbs: "and own the piece"
_TAG_QUESTION = re.compile(r",?\s*\b(?:you know|right|yeah|eh|no|isn't it|don't you think)\s*\?$", re.IGNORECASE)
_LEAD_IN = re.compile(r"^(?:that said|having said that|to be fair|in fairness|for context|for the record|tbh|ngl|tl;?dr|"
                      r"not gonna lie|fwiw|side note|all in all)\b[\s,:-]*", re.IGNORECASE)
_QUOTE_MARKS = re.compile('["\u201c\u201d\u201e\u00ab\u00bb]')
_ADVERBS = frozenset(
    """usually always often never really just also still sometimes mostly normally generally typically
    basically actually honestly definitely probably rarely only even already constantly literally totally
    barely hardly simply personally seriously absolutely""".split()
)
_MODALS = {"can": "Can", "could": "Could", "would": "Would", "will": "Will", "should": "Should", "might": "Might",
           "may": "May", "must": "Must", "can't": "Can't", "cannot": "Cannot", "couldn't": "Couldn't",
           "wouldn't": "Wouldn't", "won't": "Won't", "shouldn't": "Shouldn't", "don't": "Doesn't",
           "didn't": "Didn't", "do": "Does", "did": "Did", "was": "Was", "wasn't": "Wasn't", "had": "Had",
           "hadn't": "Hadn't", "haven't": "Hasn't", "am": "Is", "have": "Has"}
_CONTRACTED = {"m": "Is", "ve": "Has", "d": "Would", "ll": "Will"}
_I_CONTRACTION = re.compile(rf"^I{_A}(m|ve|d|ll)\s+(.*)$", re.IGNORECASE | re.DOTALL)
_I_WORD = re.compile(r"^I\s+([A-Za-z'\u2019-]+)\s*(.*)$", re.DOTALL)
# Words that can open a clause as its subject: "Says the list never syncs" reads; "Says are worst" does not.
_SUBJECTS = frozenset(
    """the a an this that these those it its they them their there he she his her everything nothing everyone
    everybody someone somebody nobody anyone anything something people some most all every each no any one both
    half many few several our your my we you what whoever whatever another other others none neither either
    which""".split()
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|am|has|have|had|do|does|did|can|could|will|would|should|shall|may|might|must|"
    r"[a-z]+n[\'\u2019]t|[a-z]+[\'\u2019](?:s|re|ll|ve|d))\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself|we|us|our|ours|ourselves)\b|\bI[\'\u2019]", re.IGNORECASE)
_BAD_AGREEMENT = re.compile(r"\bthey (?:is|was|has|am|does|doesn't|isn't|wasn't|hasn't)\b", re.IGNORECASE)
_ANNOYED = re.compile(
    rf"^(?:it|this|that)(?:{_A}s| is| was| gets)\s+(?:(?:so|really|just|very|super|kind of|a bit)\s+)*"
    r"(?:annoying|frustrating|irritating|maddening|infuriating|a pain|a hassle|stressful|confusing)\s*,?\s+"
    r"(when|that|how|because)\s+(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_WOULD_BE_GOOD = re.compile(
    r"^it(?:'d| would) be (?:so |really |very )?(?:great|nice|helpful|amazing|perfect|useful|good|awesome|better)"
    r" if\s+(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_REQUEST_VERBS = frozenset(
    "keep let make give add allow show stop fix bring put include sync support remember offer send split tag warn "
    "change remove restore update improve".split()
)
_DETERMINERS = frozenset(
    "the a an this that these those some most all every each no any both half many few several another my our your "
    "their his her its one".split()
)
_PAST = frozenset(
    """was were went got had made took bought found thought felt kept left said saw spent told came gave became began
    brought built chose drove ate forgot heard knew lost met paid put ran sat sent sold stood taught understood woke
    wore wrote froze broke threw hid shook stole swore sank stuck fell held""".split()
)
_SUBORDINATE = frozenset("which because cause before after when whenever if unless until while since although though "
                         "whereas".split())
_NUMBERS = frozenset("two three four five six seven eight nine ten twenty hundred".split())
_OBJECTS = frozenset("my the a an it me us back more all this some our your them its people everyone".split())
_NOT_VERBS = frozenset("and or but nor the a an to too as in on at for with of from so if then than".split())
# Verbs people write without their "I" ("love this app", "tried it twice"): the sentence is about them.
_DROPPED_I = frozenset(
    """love loved hate hated like liked enjoy enjoyed need needed want wanted wish miss missed prefer tried bought
    paid switched cancelled canceled started stopped deleted uninstalled downloaded recommend recommended appreciate
    appreciated regret regretted rely relied""".split()
)
# Participles that take a clause of their own: "Hoping the next update sorts it out" is about the speaker,
# while "Planning on Sunday means one big shop" has "planning" as its subject.
_PARTICIPLES = frozenset("hoping trying looking waiting thinking wondering wishing".split())
_PRONOUN_SUBJECTS = frozenset("they we you he she it people everyone everybody someone somebody nobody".split())
_HERE = re.compile(r"^(?P<who>[A-Za-z][\w' -]{1,40}?)\s+here\b[\s,:;.!-]*(?P<rest>.*)$", re.DOTALL)


def tidy(sentence: str) -> str:
    """The sentence without emoji, with a lone lowercase "i" capitalized and whitespace collapsed."""
    s = _EMOJI.sub(" ", sentence)
    s = _TAGS.sub(" ", s)  # "#brokelife", a leading "@larderapp": addressing, not content
    s = _LOWER_I.sub("I", s)
    s = re.sub(r"\b(im|ive)\b", lambda m: _BARE_I[m.group(1)], s)
    s = _TAG_QUESTION.sub(".", s.rstrip())  # "..., you know?" asks nothing
    return " ".join(s.split())


def quoted(sentence: str, max_words: int = 30) -> str:
    """'Says: "<the sentence>"': the participant's own words where a paraphrase would not be clean."""
    s = tidy(sentence).replace('"', "'").replace("\u201c", "'").replace("\u201d", "'")
    s = clip_words(s, max_words)
    if len(s.split()) < len(tidy(sentence).split()):
        s = s.rstrip(" ,;:") + "\u2026"
    verb = "Asks" if s.rstrip().endswith("?") else "Says"
    return f'{verb}: "{upper_first(s)}"'


def _verb(word: str) -> str | None:
    """The third-person form of the word after "I", or None when it is no verb we can conjugate."""
    key = word.lower().replace("\u2019", "'")
    if key in _MODALS:
        return _MODALS[key]
    if key in _ADVERBS or key in _NOT_VERBS or key.endswith("ly") or not key.isalpha():
        return None
    return upper_first(conjugate(key))


def _from_i(s: str) -> str | None:
    """`I usually shop on Sundays` -> `Usually shops on Sundays`; None when the sentence is not about "I"."""
    m = _I_CONTRACTION.match(s)
    if m:
        return f"{_CONTRACTED[m.group(1).lower()]} {to_third_person(m.group(2))}"
    m = _I_WORD.match(s)
    if not m:
        return None
    word, rest = m.group(1), m.group(2)
    key = word.lower().replace("\u2019", "'")
    if key in _ADVERBS or (key.endswith("ly") and key not in _MODALS):
        inner = _I_WORD.match("I " + rest)
        if not inner:
            return None
        verb = _verb(inner.group(1))
        if verb is None:
            return None
        return f"{upper_first(key)} {verb[:1].lower() + verb[1:]} {to_third_person(inner.group(2))}".strip()
    verb = _verb(word)
    if not verb:
        return None
    rest = to_third_person(rest)
    if verb.lower() == conjugate(key):  # "export it ... and email it": the second verb agrees too
        rest = _coordinated_verbs(rest)
    return f"{verb} {rest}".strip().replace(" ,", ",")


def _coordinated_verbs(rest: str) -> str:
    """The verbs coordinated with the first one agree with it: "..., check the list and buy milk" -> "checks ... buys".

    A comma opens a coordinated verb only in a list that an "and"/"or" verb closes ("open it, check it and buy"),
    so "..., including the" or "..., plus the" stay as they are.
    """
    def verb_like(word: str) -> bool:
        return (word not in STOPWORDS or word in _VERB_STOPWORDS) and not word.endswith(("ly", "ing"))

    found = [m for m in _COORDINATED.finditer(rest) if verb_like(m.group(2))]
    closing = [m for m in found if m.group(1) != ","]
    if not closing:
        return rest
    last = closing[-1].start()
    out, pos = [], 0
    for m in found:
        if m.group(1) == "," and m.start() > last:
            continue
        out.append(rest[pos:m.start(2)] + conjugate(m.group(2)))
        pos = m.end(2)
    return "".join(out) + rest[pos:]


def _patterned(s: str) -> str | None:
    m = _ANNOYED.match(s)
    if m:
        link = {"how": "by how"}.get(m.group(1).lower(), m.group(1).lower())
        return f"Gets frustrated {link} {to_third_person(m.group(2))}"
    m = _WOULD_BE_GOOD.match(s)
    if m:
        return f"Would like it if {to_third_person(m.group(1))}"
    return None


def _request(s: str) -> str | None:
    """"Keep my list saved offline" -> "Wants it to keep their list saved offline"."""
    parts = s.split()
    if len(parts) < 3:
        return None
    if parts[0].strip(",").lower() == "please":
        parts = parts[1:]
    first = parts[0].strip(",.;:!?").lower()
    takes_object = parts[1].lower() in _OBJECTS
    if first in _REQUEST_VERBS and (takes_object or s.lower().startswith("please")):
        return f"Wants it to {first} {to_third_person(' '.join(parts[1:]))}"
    return None


_LOWER_WORD = re.compile(r"(?<![\w'\u2019])[a-z][a-z'\u2019-]+")


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """The words written in lower case somewhere in `texts`: common words, whatever the domain."""
    return frozenset(w for text in texts for w in _LOWER_WORD.findall(text))


def self_description(role: str) -> str:
    """"data analyst" -> "Describes themselves as a data analyst."."""
    return f"Describes themselves as {_article(role)}."


def _article(phrase: str) -> str:
    first = phrase.split(" ", 1)[0].lower()
    if first in _SUBJECTS or first.endswith("s") or first[:1].isdigit():
        return phrase
    return ("an " if first[:1] in "aeiou" else "a ") + phrase


def _self_description(s: str) -> str | None:
    """"Student here, ..." -> "Describes themselves as a student"."""
    m = _HERE.match(s)
    if m and m.group("who").split()[0].lower() not in ("i", "me", "we", "us") and \
            not _FINITE.search(m.group("who")) and m.group("who").split()[0].lower() not in _SUBJECTS:
        return f"Describes themselves as {_article(lower_start(m.group('who')).lower())}"
    return None


def _clause(s: str, common: Collection[str] = ()) -> str | None:
    """`s` as a clause that can follow "Says" or "Gets frustrated that", or None when it is a fragment."""
    body = lower_start(to_third_person(s))
    words = body.split()
    first = words[0].strip(",.;:").lower()
    if first in _SUBORDINATE:
        return None  # "Which means they need ...": leans on a sentence before it
    if first in _PRONOUN_SUBJECTS and len(words) >= 3:
        return body
    comma = next((i for i, w in enumerate(words) if w.endswith((",", ";"))), len(words))
    verbish = [i for i, w in enumerate(words[1:7], 1) if i <= comma and _verbish(w, words[i - 1])]
    if not verbish:
        return None
    if any(w.lower() in _SUBORDINATE for w in words[1 : verbish[0]]):
        return None  # "A month before we had a board": the verb belongs to a clause inside a fragment
    if first in _DETERMINERS:  # "The best analytics they've used": a noun and its relative clause, no sentence
        clause = next((i for i, w in enumerate(words[1:8], 1)
                       if re.match(r"(?:they|we|you|he|she)(?:['\u2019]|\s|$)", w.lower())), None)
        if clause is not None and not any(_FINITE.fullmatch(w.strip(",.;:!").lower()) for w in words[1:clause]):
            return None
    if first in _SUBJECTS or first.endswith("ing"):
        return body
    # A capitalized first word opens a subject when a short, comma-free noun phrase leads to the verb:
    # "Rob works shifts", "Nutrition data is wrong"; not "Solid and stable, never had a crash".
    lead = words[: verbish[0]]
    plain = all(w.lower() not in STOPWORDS and not w.endswith(",") for w in lead)
    finite = _FINITE.fullmatch(words[verbish[0]].strip(",.;:!")) is not None
    if len(lead) == 1 and lead[0].lower().endswith("s") and not finite:
        return None  # "Needs dislikes per kid": no subject at all
    if body[:1].isupper() and plain and (len(lead) == 1 or (finite and len(lead) <= 3)):
        return lower_start(body, common)  # "Dinner is late" -> "dinner is late" where they write "dinner"
    return None


def _verbish(word: str, before: str) -> bool:
    """Whether `word` may be the sentence's verb ("crashes", "deleted", "isn't"), judged without a lexicon."""
    w = word.strip(",.;:!").lower()
    if _FINITE.fullmatch(w):
        return True
    if len(w) <= 3 or w in STOPWORDS or before.lower() in _DETERMINERS or before.lower() in _NUMBERS:
        return False  # "a few months", "the best features": nouns after a determiner
    return w in _PAST or (w.endswith(("s", "ed")) and not w.endswith(("ss", "us", "is")))


def _clean(claim: str) -> bool:
    inner = claim.split(":", 1)[1] if claim.startswith(("Says:", "Asks:")) else claim
    return not _FIRST_PERSON.search(inner) and not _BAD_AGREEMENT.search(inner) and len(inner.split()) >= 2


def third_person(sentence: str, section: str = "", max_words: int = 28, common: Collection[str] = ()) -> str:
    """A short, clean third-person statement of a participant's sentence, or their words quoted.

    section: the profile section ("frustrations" words a plain clause as "Gets frustrated that ...").
    common: words the participant wrote in lower case elsewhere (see `lowercase_words`): "Dinner is ..." then
    reads "Says dinner is ...", while a name they always capitalise keeps its capital.
    """
    raw = _LABEL.sub("", tidy(sentence))  # "Pros: Easy to set up." -> "Easy to set up."
    if raw.rstrip().endswith("?") or _QUOTE_MARKS.search(raw) or ":" in raw.rstrip(":"):
        return quoted(raw)  # a question, a quotation, a title ("Larder: allergy filter missed nuts")
    s = drop_fillers(strip_fillers(_LEAD_IN.sub("", raw)))
    if not s or len(s.split()) < 2:
        return quoted(raw)
    s = re.sub(r"^me and\b", "I and", s, flags=re.IGNORECASE)
    s = re.sub(r"\b(I|we) (?:kind of|sort of|kinda|sorta) ", r"\1 ", s)
    first = s.split(" ", 1)[0].lower()
    words = s.split()
    if (first in _PARTICIPLES or first.endswith("ing")) and not any(
            _verbish(w, b) for b, w in zip(words, words[1:]) if first not in _PARTICIPLES or b.lower() in _OBJECTS):
        s = "I am " + s[:1].lower() + s[1:]  # "Hoping the next update sorts it out": about the speaker
    if s.split(" ", 1)[0].lower() in _DROPPED_I:
        s = "I " + s[:1].lower() + s[1:]
    claim = _from_i(s) or _patterned(s) or _request(s) or _self_description(s)
    if claim is None:
        body = _clause(s, common)
        if body is None:
            return quoted(raw)
        claim = f"Gets frustrated that {body}" if section == "frustrations" else f"Says {body}"
    claim = " ".join(claim.split())
    if len(claim.split()) > max_words:
        clipped = clip_words(claim, max_words).rstrip(" ,;:-")
        if len(clipped.split()) < 4:
            return quoted(raw)
        claim = clipped
    claim = upper_first(claim.rstrip(" .!,;:-\u2026"))
    if not _clean(claim):
        return quoted(raw)
    return claim + "."


_PLURAL_FIRST = {"is": "are", "has": "have", "was": "were", "does": "do", "doesn't": "don't", "isn't": "aren't",
                 "wasn't": "weren't", "hasn't": "haven't", "describes": "describe"}


def plural(statement: str) -> str:
    """A third-person-singular statement for several people: "Gets frustrated ..." -> "get frustrated ..."."""
    if statement.startswith(("Says:", "Asks:")):
        verb, rest = statement.split(":", 1)
        return f"{verb[:-1].lower()}:{rest}"
    words = statement.split(" ")
    i = 1 if words and words[0].lower() in _ADVERBS and len(words) > 1 else 0
    head = words[i].lower()
    if head in _PLURAL_FIRST:
        words[i] = _PLURAL_FIRST[head]
    elif head.lower() in {m.lower() for m in _MODALS.values()}:
        words[i] = head
    elif head.endswith("ies") and len(head) > 4:
        words[i] = head[:-3] + "y"
    elif head.endswith(("sses", "ches", "shes", "xes", "zes", "oes")):
        words[i] = head[:-2]
    elif head.endswith("s") and not head.endswith("ss"):
        words[i] = head[:-1]
    else:
        words[i] = head
    out = " ".join(words)
    return out[:1].lower() + out[1:] if i == 0 else out[:1].lower() + out[1:]


def counted(count: int, of: int, statement: str) -> str:
    """"9 of 14 get frustrated that ...", "1 of 14 gets frustrated that ..." (no final stop)."""
    text = statement if count == 1 else plural(statement)
    text = text[:1].lower() + text[1:] if count == 1 else text
    return f"{count} of {of} {text.rstrip('.,;: ')}"
