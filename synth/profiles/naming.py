"""Persona names from the data: a memorable first name and what distinguishes the segment.

"Maya, the SQL-first analyst": the first name comes from a fixed, culturally mixed list, chosen
deterministically per segment, unique in a run, never a name a participant or interviewer carries;
the descriptor joins the phrase that most sets the segment's participants apart from the others'
(what they say, counted per participant, with the segment's substantive themes weighing in) with the
role most of them give themselves (or have on record). No word of any domain is written here.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from synth.llm.text import STOPWORDS, stem
from synth.profiles.records import WHO, ParticipantProfile, SegmentAggregate
from synth.records import Segment, Theme

FIRST_NAMES = (
    "Maya", "Kofi", "Aiko", "Mateo", "Amara", "Lars", "Yusuf", "Ines", "Wen", "Olu", "Sofia", "Ravi", "Noa", "Tomas",
    "Leila", "Dmitri", "Zanele", "Hana", "Diego", "Freya", "Arjun", "Nia", "Emil", "Farah", "Kenji", "Lucia", "Tariq",
    "Ingrid", "Chidi", "Mei", "Pablo", "Anya", "Idris", "Saoirse", "Hamid", "Elif", "Joon", "Marisol", "Bongani",
    "Astrid", "Rohan", "Yara", "Malik", "Keira", "Thanh", "Oskar", "Zainab", "Luca", "Imani", "Sven", "Paloma",
    "Akira", "Nadia", "Kwame", "Greta", "Suki", "Rafael", "Esi", "Viktor", "Amaya",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
MIN_PHRASE_PEOPLE = 2
_GLUE = frozenset("per via etc yet ago lol tbh imo".split())  # short words no descriptor is made of


def first_names(keys: Sequence[str], avoid: Iterable[str] = ()) -> list[str]:
    """One first name per key: chosen by the key's hash, unique among the keys, never one in `avoid`."""
    taken = {a.lower() for a in avoid}
    out: list[str] = []
    for key in keys:
        start = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % len(FIRST_NAMES)
        for step in range(len(FIRST_NAMES)):
            name = FIRST_NAMES[(start + step) % len(FIRST_NAMES)]
            if name.lower() not in taken:
                break
        else:  # more personas than names: number them
            name = f"{FIRST_NAMES[start]} {len(out) + 1}"
        taken.add(name.lower())
        out.append(name)
    return out


def _phrases(text: str) -> set[tuple[str, ...]]:
    """Content words and adjacent content-word pairs, as stem tuples."""
    words = [w.lower().replace("\u2019", "'").strip("'-") for w in _WORD.findall(text)]
    keep = [w if (w not in STOPWORDS and w not in _GLUE and len(w) > 2) else None for w in words]
    out: set[tuple[str, ...]] = {(stem(w),) for w in keep if w}
    out |= {(stem(a), stem(b)) for a, b in zip(keep, keep[1:], strict=False) if a and b}
    return out


def _surface(text: str, key: tuple[str, ...], forms: dict[tuple[str, ...], Counter[str]]) -> None:
    raw = _WORD.findall(text)
    for i in range(len(raw)):
        for n in (1, 2):
            part = raw[i : i + n]
            if len(part) == n and tuple(stem(w.lower().strip("'-")) for w in part) == key:
                forms.setdefault(key, Counter())[" ".join(part)] += 1


def _noun_phrase(key: tuple[str, ...], quotes: Sequence[str]) -> tuple[str, ...]:
    """A modifier grows into the phrase it usually starts: "free" said as "free tier" -> ("free", "tier").

    A word that is mostly followed by a content word ("free tier", "free version") modifies it, and
    "the free student" would misread it; a word mostly followed by a function word or the end of a
    clause ("my kids are", "meal prep.") heads its phrase and stands alone. No part-of-speech list needed.
    """
    followers: Counter[str] = Counter()
    seen = 0
    for quote in quotes:
        for clause in re.split(r"[.,;:!?()\"\u201c\u201d]+", quote):
            words = [w.lower().replace("\u2019", "'").strip("'-") for w in _WORD.findall(clause)]
            for i, w in enumerate(words):
                if stem(w) != key[0]:
                    continue
                seen += 1
                nxt = words[i + 1] if i + 1 < len(words) else ""
                if nxt and nxt not in STOPWORDS and nxt not in _GLUE and len(nxt) > 2:
                    followers[stem(nxt)] += 1
    if not seen or sum(followers.values()) * 2 < seen:
        return key
    word, n = followers.most_common(1)[0]
    if _takes_object(word, quotes):
        return key  # "funnel explains itself": the follower is the verb of a clause, not the head of a phrase
    return (key[0], word) if n * 100 >= seen * 15 and n >= 2 and word != key[0] else key


_OBJECTS = frozenset("it itself them themselves me myself us ourselves him her the a an this that these those".split())


def _takes_object(word_stem: str, quotes: Sequence[str]) -> bool:
    """Whether the word is mostly followed by an object ("explains itself", "shows the"): a verb, whatever the
    domain, where a noun heading a descriptor is followed by a verb, a preposition or nothing ("free tier is")."""
    followed = objects = 0
    for quote in quotes:
        words = [w.lower().replace("\u2019", "'").strip("'-") for w in _WORD.findall(quote)]
        for w, nxt in zip(words, words[1:]):
            if stem(w) == word_stem:
                followed += 1
                objects += nxt in _OBJECTS
    return followed >= 2 and objects * 2 >= followed


def distinctive_phrases(segments: Sequence[Segment], profiles: dict[str, ParticipantProfile],
                        themes: dict[str, Theme], avoid: Iterable[str] = ()) -> list[str]:
    """Per segment, the phrase its participants use far more than everyone else's ("" when none stands out)."""
    banned = {stem(a.lower()) for a in avoid}
    per_segment: list[Counter[tuple[str, ...]]] = []
    sizes: list[int] = []
    for seg in segments:
        counts: Counter[tuple[str, ...]] = Counter()
        people = 0
        for pid in seg.participant_ids:
            p = profiles.get(pid)
            if p is None or not p.statements:
                continue
            people += 1
            counts.update(set().union(*(_phrases(s.citation.quote) for s in p.statements if s.section != WHO)))
        per_segment.append(counts)
        sizes.append(max(people, 1))
    total = Counter()
    for c in per_segment:
        total.update(c)
    everyone = sum(sizes)
    seg_quotes = [[s.citation.quote for pid in seg.participant_ids for s in (profiles[pid].statements
                   if pid in profiles else []) if s.section != WHO] for seg in segments]
    out: list[str] = []
    for i, seg in enumerate(segments):
        theme_stems = {stem(w.lower()) for t in seg.theme_ids[:3] if t in themes and themes[t].substantive
                       for k in themes[t].keywords[:6] for w in _WORD.findall(k)}
        def shares(key: tuple[str, ...]) -> tuple[float, float]:
            n = per_segment[i][key]
            return n / sizes[i], (total[key] - n) / max(everyone - sizes[i], 1)

        scores: dict[tuple[str, ...], float] = {}
        for key, n in per_segment[i].items():
            if n < min(MIN_PHRASE_PEOPLE, sizes[i]) or any(k in banned for k in key):
                continue
            if len(key) == 2 and any(shares((w,))[1] >= shares((w,))[0] for w in key):
                continue  # "sync breaks" where everyone says "breaks": only half of it sets them apart
            if len(key) == 2 and _takes_object(key[1], seg_quotes[i]):
                continue  # "funnel explains itself": a subject and its verb, no descriptor
            share, rest = shares(key)
            score = share * math.log2((share + 0.02) / (rest + 0.02))  # common here, rare elsewhere
            score *= 1.5 if len(key) == 2 else 1.0
            scores[key] = score * (1.25 if set(key) & theme_stems else 1.0)
        best = min((k for k in scores if scores[k] > 0), key=lambda k: (-scores[k], k), default=None)
        if best is not None and len(best) == 1:  # "list" said mostly as "shared list": the pair says more
            pairs = [k for k in scores if len(k) == 2 and best[0] in k and scores[k] > 0
                     and per_segment[i][k] * 3 >= per_segment[i][best]]
            best = max(pairs, key=lambda k: (scores[k], k)) if pairs else best
        if best is None:
            out.append("")
            continue
        quotes = [s.citation.quote for pid in seg.participant_ids for s in (profiles[pid].statements
                  if pid in profiles else []) if s.section != WHO]
        if len(best) == 1:
            best = _noun_phrase(best, quotes)
        forms: dict[tuple[str, ...], Counter[str]] = {}
        for quote in quotes:
            _surface(quote, best, forms)
        form = forms.get(best, Counter({" ".join(best): 1})).most_common()
        lower = Counter()
        for text, n in form:
            lower[text if any(ch.isupper() for ch in text[1:]) or text.isupper() else text.lower()] += n
        out.append(lower.most_common(1)[0][0])
    return out


def _role(aggregate: SegmentAggregate, profiles: Sequence[ParticipantProfile]) -> str:
    """The role most of the segment gives itself, or has on record; "" when none is shared."""
    if aggregate.roles:
        role, count = aggregate.roles[0]
        if (count >= 2 and count * 10 >= aggregate.described) or (count == 1 and aggregate.profiled <= 3):
            return role
    recorded = Counter(p.attributes["role"] for p in profiles if p.attributes.get("role"))
    if recorded:
        role, count = recorded.most_common(1)[0]
        if count >= 2 and count * 3 >= sum(recorded.values()):
            return role.lower() if not role.isupper() else role
    return ""


def _fallback_role(aggregate: SegmentAggregate) -> str:
    stances = Counter(c.stance for c in aggregate.claims for _ in range(c.prevalence.count) if c.shape == "shared")
    negative, positive = stances.get("negative", 0), stances.get("positive", 0)
    if negative > 1.5 * positive:
        return "critic"
    if positive > 1.5 * negative:
        return "fan"
    return "regular"


def persona_names(segments: Sequence[Segment], aggregates: Sequence[SegmentAggregate],
                  profiles: dict[str, ParticipantProfile], themes: dict[str, Theme],
                  avoid: Iterable[str] = ()) -> list[str]:
    """"<First name>, the <phrase> <role>" per segment, in segment order."""
    avoid = list(avoid)
    firsts = first_names([s.id for s in segments], avoid)
    phrases = distinctive_phrases(segments, profiles, themes, avoid)
    out = []
    for seg, agg, first, phrase in zip(segments, aggregates, firsts, phrases, strict=True):
        members = [profiles[p] for p in seg.participant_ids if p in profiles]
        role = _role(agg, members) or _fallback_role(agg)
        if len(role.split()) > 3 and "of" not in role.split():
            role = " ".join(role.split()[-2:])  # "security and compliance lead" -> "compliance lead"
        role_stems = {stem(w.lower()) for w in role.split()}
        if phrase and not ({stem(w.lower()) for w in phrase.split()} & role_stems):
            out.append(f"{first}, the {phrase.replace(' ', '-')} {role}")
        else:
            out.append(f"{first}, the {role}")
    return out
