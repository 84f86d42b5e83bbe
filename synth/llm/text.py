"""Plain-text helpers for the offline drafter: sentences, light stemming, stopwords, first to third person."""

from __future__ import annotations

import re
from collections.abc import Collection

WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*")
_BREAK = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+|\n\s*")
_ABBREV = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "approx", "no"}

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't
    down during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her
    here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its
    itself let's me more most mustn't my myself no nor not of off on once only or other ought our ours
    ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll they're they've
    this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
    what's when when's where where's which while who who's whom why why's with won't would wouldn't you
    you'd you'll you're you've your yours yourself yourselves um uh yeah yes okay ok oh like just really
    actually basically kind sort thing things stuff lot lots gonna wanna got get gets getting go going
    know mean guess maybe pretty much well even still probably definitely literally anyway something
    anything everything one ones way bit little back would'nt will""".split()
)
# Words that ask rather than carry a topic, for chat questions.
QUESTION_WORDS = frozenset("think feel tell describe explain say opinion view thoughts usually typically".split())
NEGATIONS = frozenset(
    """not no never nothing nobody none nowhere neither nor without cannot hardly barely can't won't don't
    doesn't didn't isn't wasn't aren't weren't haven't hasn't hadn't shouldn't wouldn't couldn't""".split()
)


def words(text: str) -> list[str]:
    """Lower-cased word tokens with straight apostrophes."""
    return [w.lower().replace("\u2019", "'").strip("'") for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A light suffix-stripping stem, enough to match plan/plans/planned/planning."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.replace("'", "")
    if len(w) <= 3:
        return w
    for suffix, repl, min_len in (("ies", "y", 5), ("sses", "ss", 5), ("ing", "", 6), ("ed", "", 5), ("ly", "", 6)):
        if w.endswith(suffix) and len(w) >= min_len:
            w = w[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) > 2 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]
            break
    else:
        if w.endswith("es") and w[-3:-2] in ("s", "x", "z") or w.endswith(("ches", "shes")):
            w = w[:-2]
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def content_stems(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    """Stems of the words that carry meaning, in order (duplicates kept)."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and w not in extra_stop and len(w) > 1]


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def split_sentences(text: str) -> list[str]:
    """Sentences as verbatim substrings of `text` (whitespace-trimmed), in order."""
    out, start = [], 0
    for m in _BREAK.finditer(text):
        end = m.end()
        rest = text[end : end + 1]
        head = text[start : m.start()].rstrip()
        last = head.split()[-1].lower().rstrip(".") if head.split() else ""
        is_newline = "\n" in m.group(0) and not m.group(0).strip(" \t\n")
        if not is_newline and (not rest or not (rest.isupper() or rest.isdigit() or rest in "\"'\u201c(")):
            continue
        if not is_newline and last in _ABBREV:
            continue
        piece = text[start:end].strip()
        if piece:
            out.append(piece)
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


_FILLER = re.compile(
    r"^(?:(?:so|and|but|well|yeah|yes|oh|um+|uh+|like|honestly|basically|actually|okay|ok|right|"
    r"i mean|you know|to be honest)\b[\s,.\u2026-]*)+",
    re.IGNORECASE,
)


def strip_fillers(sentence: str) -> str:
    """Drop leading fillers ("So, um, ...") and trailing punctuation."""
    s = _FILLER.sub("", sentence.strip()).strip()
    return s.rstrip(" .!?,;:\u2026-\"'\u201d") or sentence.strip()


_PRONOUNS = {
    "i": "they", "me": "them", "my": "their", "mine": "theirs", "myself": "themselves",
    "i'm": "they're", "i've": "they've", "i'd": "they'd", "i'll": "they'll",
    "we": "they", "us": "them", "our": "their", "ours": "theirs", "ourselves": "themselves",
    "we're": "they're", "we've": "they've", "we'd": "they'd", "we'll": "they'll",
}
_SINGULAR_BE = re.compile(r"\b(I|we)\s+(am|was)\b", re.IGNORECASE)
_PRONOUN = re.compile(
    r"\b(?:I['\u2019](?:m|ve|d|ll)|[Ww]e['\u2019](?:re|ve|d|ll)|I|[Ww]e|[Mm]yself|[Mm]ine|[Mm]y|[Mm]e|us|"
    r"[Oo]urselves|[Oo]urs?)\b"
)


def to_third_person(text: str) -> str:
    """First person to third person plural: "I was" -> "they were", "my kids" -> "their kids"."""
    text = _SINGULAR_BE.sub(lambda m: "they " + ("are" if m.group(2).lower() == "am" else "were"), text)
    return _PRONOUN.sub(lambda m: _PRONOUNS.get(m.group(0).lower().replace("\u2019", "'"), m.group(0)), text)


_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "be": "is", "am": "is", "are": "is"}
_PAST = frozenset(
    """was were went got had made took bought found thought felt kept left said saw spent told came gave
    became began brought built chose drove ate forgot gave heard knew lost met paid put ran sat sent
    sold stood taught understood woke wore wrote""".split()
)
_PRESENT_ED = frozenset("need feed bleed breed speed seed shed wed proceed succeed exceed embed heed weed".split())
_ADVERBS = frozenset(
    """usually always often never really just also still sometimes mostly normally generally typically
    basically actually honestly definitely probably rarely only even already constantly""".split()
)
_MODALS = {"can": "Can", "could": "Could", "would": "Would", "will": "Will", "should": "Should", "might": "Might",
           "may": "May", "must": "Must", "can't": "Can't", "cannot": "Cannot", "couldn't": "Couldn't",
           "wouldn't": "Wouldn't", "won't": "Won't", "shouldn't": "Shouldn't", "don't": "Doesn't",
           "didn't": "Didn't", "do": "Does", "did": "Did"}


def conjugate(verb: str) -> str:
    """Third person singular of a present-tense verb; past forms unchanged."""
    v = verb.lower()
    if v in _IRREGULAR:
        return _IRREGULAR[v]
    if v in _PAST or (v.endswith("ed") and v not in _PRESENT_ED):
        return v
    if v.endswith("s") and not v.endswith(("ss", "sh", "ch")):
        return v
    if v.endswith(("ch", "sh", "ss", "x", "z", "o")):
        return v + "es"
    if v.endswith("y") and len(v) > 2 and v[-2] not in "aeiou":
        return v[:-1] + "ies"
    return v + "s"


def lower_first(text: str) -> str:
    """Lower-case the first letter (of text synth wrote itself) unless the first word is "I" or an acronym."""
    first = text.split(" ", 1)[0]
    if first in ("I",) or first.startswith(("I'", "I\u2019")) or first.isupper() and len(first) > 1:
        return text
    return text[:1].lower() + text[1:]


# Capitalized only because they start a sentence; any other capitalized first word may be a name.
_COMMON_STARTERS = frozenset(
    """every sometimes usually last lately nowadays today yesterday tomorrow later now plus everyone everybody
    anyone anybody nobody someone somebody people honestly probably mostly often always never normally half many
    next first second two three four five since though although unless whenever sure weekends weekdays mornings
    evenings nights time something nothing everything anything none lots apps app they're they've they'd
    they'll""".split()
)


def lower_start(sentence: str, common: Collection[str] = ()) -> str:
    """Lower-case a participant sentence's first letter only when its first word is a common word, not a name.

    common: words the speaker wrote in lower case elsewhere ("dinner"), so a capital on them only starts a sentence.
    """
    first = sentence.split(" ", 1)[0]
    key = first.lower().replace("\u2019", "'").strip(",.;:!?\"'")
    if key in STOPWORDS or key in _COMMON_STARTERS or (key.endswith("ing") and not first.isupper()) or \
            (key in common and first[1:] == first[1:].lower()):
        return sentence[:1].lower() + sentence[1:]
    return sentence


_INNER_FILLER = re.compile(
    r",\s*(?:you know|I mean|like|sort of|kind of|uh+|um+)\s*,|\b(?:uh+|um+)\b,?\s*", re.IGNORECASE
)


def drop_fillers(text: str) -> str:
    """Remove spoken fillers inside a sentence (", you know,", "uh"), for wording that is not a quote."""
    return re.sub(r"\s{2,}", " ", _INNER_FILLER.sub(lambda m: "," if m.group(0).startswith(",") else "", text)).strip()


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def clip_words(text: str, limit: int) -> str:
    """At most `limit` words, cut at a clause boundary when one is near."""
    parts = text.split()
    if len(parts) <= limit:
        return text
    head = " ".join(parts[:limit])
    cut = max(head.rfind(","), head.rfind(";"), head.rfind(" but "), head.rfind(" and "))
    return head[:cut].rstrip(" ,;") if cut > len(head) // 2 else head
