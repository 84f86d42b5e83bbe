"""Reduce: a segment's participant profiles aggregated into claims that say how many of them share each one.

Statements are grouped by meaning: within a section, the embeddings of the words they cite are
clustered (average linkage on cosine distance), and a cluster is split by polarity, so a complaint
and praise never share a group. A group that enough participants share becomes a claim whose
prevalence counts them ("9 of 14"), worded by its most central statement and citing up to three
quotes from different participants, of different source kinds where the group has them
(interviewees first). Two groups on one topic with opposite polarity become one split claim
("5 of 14 find the ads tolerable; 9 of 14 say they drove them away"); two situations on one topic
("lives alone", "shares a house") become one spread claim, so a persona never holds incompatible
one-person details. "Who they are" is the segment's shared self-description, or the spread of them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from synth.extractive.wording import counted
from synth.llm.schemas import FACETS
from synth.llm.text import clip_words, content_stems, stem
from synth.profiles.contradictions import contradictions
from synth.profiles.records import WHO, AggregateClaim, ParticipantProfile, SegmentAggregate, Statement
from synth.profiles.vectors import TextVectors
from synth.records import Citation, Kind, Prevalence, Segment

__all__ = ["TextVectors", "aggregate_segment", "distinct_across"]

GROUP_DISTANCE = 0.65  # cosine distance (average linkage) under which statements say the same thing
ROLE_DISTANCE = 0.35  # the same, for the words people use for who they are
CONTEXT_DISTANCE = 0.35  # situations group tighter: "lives alone" and "shares a house" are different answers
# Mean similarity across two groups' quotes (average linkage, so a large vague group is never "close"):
SPREAD_SIMILARITY = 0.4  # two situation groups at least this close answer one question (a spread)
SPLIT_SIMILARITY = 0.5  # two groups of opposite polarity at least this close disagree on one topic (a split)
SIDE_WORDS = 30  # each side of a split, clipped
CONTEXT_SHARE = 0.05  # a situation becomes a context claim when at least this share of the profiled say it
PER_SECTION = 4  # claims per section before coverage adds more
MAX_CLAIMS = 30
COVERAGE = 0.6  # share of the segment's participants the claims try to count (at most all profiled ones)
MAX_CITATIONS = 3
KIND_ORDER = (Kind.interview, Kind.survey, Kind.ticket, Kind.review, Kind.social, Kind.document)
SECTION_ORDER = ("context", *[f for f in FACETS if f != "context"])

class _Group:
    def __init__(self, section: str, statements: list[Statement], vectors: np.ndarray):
        self.section = section
        self.statements = statements
        self.vectors = vectors
        centre = vectors.mean(axis=0)
        self.centroid = centre / (np.linalg.norm(centre) or 1.0)
        self.participants = {s.participant_id for s in statements}
        stances = Counter(s.stance for s in statements)
        self.stance = stances.most_common(1)[0][0]

    @property
    def count(self) -> int:
        return len(self.participants)

    def ranked(self) -> list[Statement]:
        """Statements nearest the group's centre first; clean wordings before quoted ones, short before long."""
        sims = self.vectors @ self.centroid
        def key(i: int) -> tuple:
            s = self.statements[i]
            quoted = s.text.startswith(("Says:", "Asks:"))
            vague = len(set(content_stems(s.citation.quote))) < 3  # "That would be so nice": says nothing alone
            return (-(float(sims[i]) - 0.15 * quoted - 0.2 * vague - 0.003 * len(s.text.split())), s.id)
        return [self.statements[i] for i in sorted(range(len(self.statements)), key=key)]


def _cluster(vectors: np.ndarray, distance: float) -> list[int]:
    if len(vectors) < 2:
        return [0] * len(vectors)
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance)
    return [int(x) for x in model.fit_predict(vectors)]


def _groups(statements: list[Statement], vectors: TextVectors) -> list[_Group]:
    """Statements grouped by section, meaning and polarity."""
    out: list[_Group] = []
    for section in SECTION_ORDER:
        own = sorted((s for s in statements if s.section == section), key=lambda s: s.id)
        if not own:
            continue
        vecs = vectors([s.citation.quote for s in own])
        labels = _cluster(vecs, CONTEXT_DISTANCE if section == "context" else GROUP_DISTANCE)
        for label in sorted(set(labels)):
            idx = [i for i, x in enumerate(labels) if x == label]
            for negative in (True, False):  # a complaint and praise never share a group
                part = [i for i in idx if (own[i].stance == "negative") == negative]
                if part:
                    out.append(_Group(section, [own[i] for i in part], vecs[part]))
    return out


def _pick_citations(ranked: Sequence[Statement], first: Statement | None = None, limit: int = MAX_CITATIONS,
                    taken: set[str] | None = None) -> list[Statement]:
    """Up to `limit` statements from different participants, each new source kind first (interviews first)."""
    chosen: list[Statement] = [first] if first else []
    people = {s.participant_id for s in chosen} | set(taken or ())
    while len(chosen) < limit:
        kinds = {s.kind for s in chosen}
        options = [s for s in ranked if s.participant_id not in people]
        if not options:
            break
        fresh = [s for s in options if s.kind not in kinds]
        pool = fresh or options
        best = min(pool, key=lambda s: (KIND_ORDER.index(s.kind) if fresh else 0, ranked.index(s)))
        chosen.append(best)
        people.add(best.participant_id)
    return chosen


def _cite(statements: Sequence[Statement]) -> list[Citation]:
    return [s.citation for s in statements]


def _shared(group: _Group, size: int) -> AggregateClaim:
    ranked = group.ranked()
    cited = _pick_citations(ranked, ranked[0])
    return AggregateClaim(
        section=group.section, text=ranked[0].text, stance=group.stance,
        prevalence=Prevalence(of=size, participant_ids=sorted(group.participants)),
        citations=_cite(cited), statement_ids=[s.id for s in group.statements])


def _combined(claims: Sequence[AggregateClaim], size: int, section: str, shape: str) -> AggregateClaim:
    """One claim over several on one topic: "5 of 14 find ...; 9 of 14 say ...", citing each side."""
    claims = sorted(claims, key=lambda c: (-c.prevalence.count, c.text))
    text = "; ".join(counted(c.prevalence.count, size, clip_words(c.text, SIDE_WORDS)) for c in claims)
    cited: list[Citation] = []
    for depth in range(MAX_CITATIONS):  # each side's best quote first, then their second ones
        for c in claims:
            if depth < len(c.citations) and len(cited) < MAX_CITATIONS and \
                    c.citations[depth].participant_id not in {x.participant_id for x in cited}:
                cited.append(c.citations[depth])
    people = sorted(set().union(*(c.prevalence.participant_ids for c in claims)))
    return AggregateClaim(
        section=section, shape=shape, text=text + ".", stance="mixed" if shape == "split" else "neutral",
        prevalence=Prevalence(of=size, participant_ids=people, sides=[c.prevalence.count for c in claims]),
        citations=cited, statement_ids=[i for c in claims for i in c.statement_ids])


def _similar(a: _Group, b: _Group) -> float:
    """Average linkage: the mean similarity of the two groups' quotes."""
    return float(np.mean(a.vectors @ b.vectors.T))


def _merge_conflicts(groups: list[_Group], size: int, min_side: int) -> tuple[list[AggregateClaim], set[int]]:
    """Splits (one topic, opposite polarity) and spreads (one situation topic, different answers)."""
    claims: list[AggregateClaim] = []
    used: set[int] = set()
    order = sorted(range(len(groups)), key=lambda i: (-groups[i].count, groups[i].section, groups[i].ranked()[0].id))
    for i in order:
        g = groups[i]
        if i in used or g.count < min_side:
            continue
        if g.section == "context":
            same = [j for j in order if j != i and j not in used and groups[j].section == "context"
                    and groups[j].count >= min_side and _similar(g, groups[j]) >= SPREAD_SIMILARITY]
            if same:
                claims.append(_combined([_shared(groups[k], size) for k in [i, *same]], size, "context", "spread"))
                used.update([i, *same])
            continue
        if g.stance == "neutral":
            continue
        opposite = [j for j in order if j != i and j not in used and groups[j].section != "context"
                    and groups[j].count >= min_side and groups[j].stance not in ("neutral", g.stance)
                    and _similar(g, groups[j]) >= SPLIT_SIMILARITY]
        if opposite:
            j = opposite[0]
            section = g.section if g.count >= groups[j].count else groups[j].section
            claims.append(_combined([_shared(g, size), _shared(groups[j], size)], size, section, "split"))
            used.update([i, j])
    return claims, used


def _resolve(claims: list[AggregateClaim], vectors: TextVectors, size: int) -> list[AggregateClaim]:
    """The claims with every contradicting pair left (synth.profiles.contradictions) made one split or spread."""
    claims = list(claims)
    while True:
        found = contradictions(claims, vectors)
        if not found:
            return claims
        a, b = claims[found[0].first], claims[found[0].second]
        shape = "spread" if a.section == b.section == "context" else "split"
        section = a.section if a.prevalence.count >= b.prevalence.count else b.section
        merged = _combined([a, b], size, section, shape) if a.prevalence.base == b.prevalence.base else None
        claims = [c for c in claims if c is not a and c is not b] + ([merged] if merged else [max(
            (a, b), key=lambda c: c.prevalence.count)])


def _head(role: str) -> str:
    """The noun a role is about: "grad student" -> "student", "mum of twins" -> "mum"."""
    words = role.split()
    if "of" in words[1:]:
        words = words[: words.index("of")]
    return stem(words[-1].lower())


def _who(members: list[ParticipantProfile], min_support: int) -> tuple[AggregateClaim | None, list[tuple[str, int]], int]:
    """The segment's self-descriptions, grouped by the noun they use: what most share ("Mostly students (6 of 11
    who said who they are)"), or the spread ("Students (4), parents (3) and nurses (2), of 11 who said ...")."""
    stated = sorted((s for p in members for s in p.who if s.role), key=lambda s: s.id)
    described = len({s.participant_id for p in members for s in p.who})  # said who they are, with a role or not
    if not stated:
        return None, [], 0
    by_head: dict[str, list[Statement]] = {}
    for s in stated:
        by_head.setdefault(_head(s.role), []).append(s)
    initials = {"".join(w[0] for w in g[0].role.lower().split() if w not in ("of", "and", "&")): h
                for h, g in by_head.items() if len(g[0].role.split()) > 1}
    for h in list(by_head):  # "PM" is "product manager": one group
        short = h.rstrip("s")
        if h in by_head and len(by_head[h][0].role.split()) == 1 and short in initials and initials[short] != h:
            by_head[initials[short]] += by_head.pop(h)

    def people(g: list[Statement]) -> set[str]:
        return {s.participant_id for s in g}

    groups = sorted(by_head.values(), key=lambda g: (-len(people(g)), min(s.id for s in g)))
    roles = [(_name(g), len(people(g))) for g in groups]
    top = groups[0]
    if len(people(top)) < min_support:
        return None, roles, described

    def label(g: list[Statement]) -> str:
        return _plural_noun(_name(g)) if len(people(g)) > 1 else _a(_name(g))

    if len(people(top)) * 2 > described or len(groups) == 1:
        listed = [top]
        most = "All" if len(people(top)) == described else "Mostly"
        text = (f"{most} {label(top)} ({len(people(top))} of {described} who said who they are)." if described > 1
                else f"Describes themselves as {_a(_name(top))} (the one participant who said who they are).")
    else:
        listed = [g for g in groups[:MAX_CITATIONS] if len(people(g)) >= min_support]  # each one cited
        parts = [f"{label(g)} ({len(people(g))})" for g in listed]
        joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        if len(listed) == 1:
            text = f"{label(top)[:1].upper()}{label(top)[1:]} ({len(people(top))} of {described} who said who they are)."
        else:
            text = f"{joined[:1].upper()}{joined[1:]}, of {described} who said who they are."
    cited: list[Statement] = []
    for g in listed:
        pick = next((x for x in sorted(g, key=lambda s: (KIND_ORDER.index(s.kind), s.id))
                     if x.participant_id not in {c.participant_id for c in cited}), None)
        if pick and len(cited) < MAX_CITATIONS:
            cited.append(pick)
    if len(listed) == 1:
        cited = _pick_citations(sorted(top, key=lambda s: s.id), cited[0], MAX_CITATIONS)
    claim = AggregateClaim(
        section="context", shape="shared" if len(listed) == 1 else "spread", text=text,
        prevalence=Prevalence(of=described, participant_ids=sorted(set().union(*(people(g) for g in listed))),
                              base="described", sides=[len(people(g)) for g in listed] if len(listed) > 1 else []),
        citations=_cite(cited), statement_ids=[s.id for g in listed for s in g])
    return claim, roles, described


def _name(group: list[Statement]) -> str:
    """What a group of roles is called: the phrase most of them use, else the noun they share."""
    counts = Counter(s.role for s in group)
    phrase, n = min(counts.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    if n * 2 > len(group):
        return phrase
    heads = Counter(w for s in group for w in s.role.split() if stem(w.lower()) == _head(s.role))
    return heads.most_common(1)[0][0] if heads else phrase


def _a(phrase: str) -> str:
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


_IRREGULAR = {"man": "men", "woman": "women", "person": "people", "child": "children", "wife": "wives"}


def _plural_noun(phrase: str) -> str:
    """"data analyst" -> "data analysts", "mum of twins" -> "mums of twins"."""
    words = phrase.split()
    i = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    w = words[i]
    if w.lower() in _IRREGULAR:
        words[i] = _IRREGULAR[w.lower()]
    elif w.endswith("y") and len(w) > 2 and w[-2] not in "aeiou":
        words[i] = w[:-1] + "ies"
    elif w.endswith(("s", "sh", "ch", "x", "z")):
        words[i] = w + "es"
    else:
        words[i] = w + "s"
    return " ".join(words)


def _select(candidates: list[AggregateClaim], profiled: int, size: int) -> list[AggregateClaim]:
    """The biggest claims per section, then those that count participants no claim counts yet."""
    ranked = sorted(candidates, key=lambda c: (-c.prevalence.count, SECTION_ORDER.index(c.section)
                                               if c.section in SECTION_ORDER else 99, c.text))
    chosen: list[AggregateClaim] = []
    per_section: Counter[str] = Counter()
    for c in ranked:
        if per_section[c.section] < PER_SECTION:
            chosen.append(c)
            per_section[c.section] += 1
    counted = set().union(*(c.prevalence.participant_ids for c in chosen)) if chosen else set()
    rest = [c for c in ranked if c not in chosen]
    while rest and len(chosen) < MAX_CLAIMS and len(counted) < min(COVERAGE * size, profiled):
        best = max(rest, key=lambda c: (len(set(c.prevalence.participant_ids) - counted), c.prevalence.count))
        if not set(best.prevalence.participant_ids) - counted:
            break
        chosen.append(best)
        rest.remove(best)
        counted |= set(best.prevalence.participant_ids)
    return chosen


def _with_interviewees(chosen: list[AggregateClaim], groups: list[_Group], kinds: dict[str, Kind],
                       size: int) -> list[AggregateClaim]:
    """When the segment holds interviewees and no claim cites one, cite them where a claim counts them."""
    if any(kinds.get(c.participant_id or "") == Kind.interview for claim in chosen for c in claim.citations):
        return chosen
    by_id = {s.id: s for g in groups for s in g.statements}
    for claim in sorted(chosen, key=lambda c: -c.prevalence.count):
        heard = [by_id[i] for i in claim.statement_ids if i in by_id and by_id[i].kind == Kind.interview]
        if heard and claim.shape == "shared":
            keep = claim.citations[: MAX_CITATIONS - 1]
            pick = next((s for s in sorted(heard, key=lambda s: s.id)
                         if s.participant_id not in {c.participant_id for c in keep}), None)
            if pick:
                claim.citations = [*keep, pick.citation]
                return chosen
    own = [g for g in groups if any(s.kind == Kind.interview for s in g.statements)]
    if own:
        best = max(own, key=lambda g: (g.count, -SECTION_ORDER.index(g.section)))
        chosen.append(_shared(best, size))
    return chosen


def _attributes(members: list[ParticipantProfile]) -> dict[str, dict[str, int]]:
    """Counts of each metadata value the segment's participants have on record (rating as whole stars)."""
    out: dict[str, Counter[str]] = {}
    for p in members:
        for key, value in p.attributes.items():
            if key == "rating":
                try:
                    value = f"{round(float(value))}"
                except ValueError:
                    continue
            out.setdefault(key, Counter())[value] += 1
    return {k: dict(v.most_common()) for k, v in sorted(out.items())}


def aggregate_segment(segment: Segment, profiles: dict[str, ParticipantProfile], vectors: TextVectors) -> SegmentAggregate:
    """The segment's claims, each counted over its participants' profiles, and who they are."""
    size = len(segment.participant_ids)
    members = [profiles[p] for p in segment.participant_ids if p in profiles]
    statements = [s for p in members for s in p.statements if s.section != WHO]
    profiled = len({s.participant_id for p in members for s in p.statements})
    # A claim speaks for several people: 2 in a small segment, 3 in a large one; a situation ("lives alone")
    # only when a fair share says so, never as one person's detail dressed up as the persona's.
    min_support = 1 if profiled < 6 else 2 if profiled < 60 else 3
    min_context = max(min_support, math.ceil(CONTEXT_SHARE * profiled))
    groups = _groups(statements, vectors)
    # A group whose most central statement says next to nothing ("I'm so tired") makes no claim.
    kept = [g for g in groups if g.count >= min_support and len(set(content_stems(g.ranked()[0].citation.quote))) >= 2]
    merged, used = _merge_conflicts(kept, size, min_support)
    candidates = merged + [_shared(g, size) for i, g in enumerate(kept) if i not in used
                           and not (g.section == "context" and g.count < min_context)]
    who, roles, described = _who(members, min_support)
    chosen = _resolve(_select(candidates, profiled, size), vectors, size)
    kinds = {p.participant_id: p.kind for p in members}
    if any(k == Kind.interview for k in kinds.values()):
        chosen = _with_interviewees(chosen, groups, kinds, size)
    if who is not None:
        chosen.insert(0, who)
    return SegmentAggregate(
        segment_id=segment.id, size=size, profiled=profiled, claims=chosen, roles=roles, described=described,
        attributes=_attributes(members), interviewees=sum(1 for k in kinds.values() if k == Kind.interview))


def distinct_across(aggregates: Sequence[SegmentAggregate]) -> list[SegmentAggregate]:
    """The aggregates with each claim worded alike in several segments kept only where the largest share of its
    segment says it: a persona says what sets its people apart, and no two personas repeat one claim."""
    def key(text: str) -> str:
        return " ".join(text.lower().split())

    best: dict[str, tuple[float, int]] = {}
    for i, agg in enumerate(aggregates):
        for c in agg.claims:
            share = c.prevalence.count / max(c.prevalence.of, 1)
            if share > best.get(key(c.text), (-1.0, -1))[0]:
                best[key(c.text)] = (share, i)
    return [agg.model_copy(update={"claims": [c for c in agg.claims if best[key(c.text)][1] == i]})
            for i, agg in enumerate(aggregates)]
