"""The offline `draft_persona`: a persona assembled from evidence sentences, every line citing its source.

Sentences are sorted into facets by cue words (synth.llm.facets), ranked within a facet by cue
strength, overlap with the segment's theme keywords and centrality (word overlap with the other
sentences of the facet), then chosen to cover distinct participants without near-duplicates.
Each claim is a third-person rewording of its sentence, and cites that sentence verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from synth.llm.facets import PRIORITY, classify, third_person_claim
from synth.llm.schemas import FACETS, CitedSentence, DraftClaim, DraftPersonaInput, Evidence, PersonaDraft, QuoteRef
from synth.llm.text import (
    STOPWORDS, content_stems, jaccard, lower_first, split_sentences, stem, strip_fillers, words,
)

_FRAGMENT = re.compile(r"^(?:because|'cause|cause|which)\b", re.IGNORECASE)  # leans on the sentence before
MAX_CLAIMS = 4  # per facet
MAX_QUOTES = 3
NEAR_DUPLICATE = 0.5  # Jaccard of content stems at or above which two sentences say the same thing
SUPPORTING = 0.3  # Jaccard at or above which another participant's sentence also supports a claim

ROLES: list[tuple[str, str, str]] = [  # role, its root (skipped when the name's head has it), vocabulary
    ("Planner", "plan", "plan planning list lists schedule organize prep calendar menu"),
    ("Budgeter", "budget", "budget price prices cost costs cheap expensive save saving deal deals coupon money afford"),
    ("Home Cook", "cook", "cook cooking recipe recipes kitchen bake dinner ingredient ingredients"),
    ("Parent", "parent", "kid kids child children son daughter school baby toddler"),
    ("Professional", "work", "work job office client shift shifts meeting career"),
    ("Shopper", "shop", "shop shopping store grocery groceries buy cart order delivery"),
    ("Sharer", "share", "share shared sharing partner roommate roommates sync together household"),
    ("Health Seeker", "health", "health healthy diet nutrition calorie calories allergy allergies"),
    ("Waste Cutter", "waste", "waste wasting leftover leftovers expire expired fridge spoil spoiled"),
]
FACET_ROLES = {"frustrations": "Skeptic", "needs": "Seeker", "goals": "Striver", "behaviours": "Regular",
               "motivations": "Enthusiast", "context": "Insider"}
NARRATIVE = [  # facet, frame for a later sentence (the first one always opens with the persona's name)
    ("context", "{claim}"), ("behaviours", "Day to day, this persona {claim}"),
    ("goals", "Above all, this persona {claim}"), ("frustrations", "At the same time, this persona {claim}"),
    ("needs", "What would help: this persona {claim}"), ("motivations", "Underneath it all, this persona {claim}"),
]


@dataclass(frozen=True)
class Sentence:
    n: int
    pos: int
    who: str  # participant id, else speaker, else the evidence number
    text: str
    stems: frozenset[str]
    facet: str | None
    cue: int


def evidence_sentences(evidence: list[Evidence], min_words: int = 4, max_words: int = 60) -> list[Sentence]:
    """Candidate sentences (statements of a usable length) with their facet, in evidence order."""
    out = []
    for e in evidence:
        who = e.participant_id or e.speaker or f"n{e.n}"
        for pos, text in enumerate(split_sentences(e.text)):
            count = len(text.split())
            if text.endswith("?") or not min_words <= count <= max_words or text[:1].islower():
                continue
            if _FRAGMENT.match(strip_fillers(text)):
                continue
            found = classify(text)
            facet, cue = found if found else (None, 0)
            out.append(Sentence(e.n, pos, who, text, frozenset(content_stems(text)), facet, cue))
    return out


def _rank(sentences: list[Sentence], theme_stems: set[str]) -> list[Sentence]:
    def score(s: Sentence) -> float:
        others = [jaccard(s.stems, o.stems) for o in sentences if o is not s]
        centrality = sum(others) / len(others) if others else 0.0
        length = 0.5 if 8 <= len(s.text.split()) <= 30 else 0.0
        return s.cue + 0.5 * min(len(s.stems & theme_stems), 3) + 2.0 * centrality + length

    scored = {id(s): score(s) for s in sentences}
    return sorted(sentences, key=lambda s: (-scored[id(s)], s.n, s.pos))


def _choose(ranked: list[Sentence], limit: int) -> list[Sentence]:
    chosen: list[Sentence] = []
    for distinct in (True, False):  # first one sentence per participant, then fill up to two
        for s in ranked:
            if len(chosen) >= (limit if distinct else min(limit, 2)):
                break
            if s in chosen or any(jaccard(s.stems, c.stems) >= NEAR_DUPLICATE for c in chosen):
                continue
            if distinct and any(c.who == s.who for c in chosen):
                continue
            chosen.append(s)
    return chosen


def _claim(s: Sentence, facet: str, pool: list[Sentence], primaries: set[tuple[int, int]]) -> DraftClaim:
    cites = [QuoteRef(n=s.n, quote=s.text)]
    support = [
        o for o in pool
        if o.who != s.who and (o.n, o.pos) not in primaries and jaccard(o.stems, s.stems) >= SUPPORTING
    ]
    seen = {s.who}
    for o in sorted(support, key=lambda o: (-jaccard(o.stems, s.stems), o.n, o.pos)):
        if o.who not in seen and len(cites) < 3:
            cites.append(QuoteRef(n=o.n, quote=o.text))
            seen.add(o.who)
    return DraftClaim(text=third_person_claim(s.text, facet), citations=cites)


def _label_head(label: str) -> str:
    kept = [w for w in label.split() if w.lower() not in STOPWORDS][:2]
    return "-".join(w[:1].upper() + w[1:] for w in kept)


def persona_name(themes: list, stems: Counter, dominant: str) -> str:
    """`The <top theme head> <role>`, e.g. "The Shared-List Planner"."""
    head = _label_head(themes[0].label) if themes else ""
    head_stems = {stem(w) for w in words(head.replace("-", " "))}
    best, best_hits = "", 1
    for role, root, vocab in ROLES:
        if stem(root) in head_stems:
            continue  # "The Meal-Planning Planner" says the same thing twice
        vocab_stems = {stem(w) for w in vocab.split()}
        hits = sum(stems[v] for v in vocab_stems)
        if hits > best_hits:
            best, best_hits = role, hits
    role = best or FACET_ROLES.get(dominant, "Participant")
    return f"The {head} {role}" if head else f"The {role}"


def _summary(inputs: DraftPersonaInput, sections: dict[str, list[DraftClaim]]) -> str:
    labels = [lower_first(t.label) for t in inputs.themes[:3]]
    if labels:
        lead = "Talks most about " + (labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1])
    else:
        first = split_sentences(inputs.segment_summary)
        lead = first[0].rstrip(".") if first else "Speaks for the participants in this segment"
    for facet in ("goals", "needs", "frustrations"):
        if sections.get(facet):
            return f"{lead}; {lower_first(sections[facet][0].text.rstrip('.'))}."
    return lead + "."


def draft_persona_offline(inputs: DraftPersonaInput) -> PersonaDraft:
    """A complete persona draft from the evidence alone: deterministic, no model, no network."""
    sentences = evidence_sentences(inputs.evidence)
    theme_words = [w for t in inputs.themes for w in words(" ".join([t.label, *t.keywords]))]
    theme_stems = {stem(w) for w in theme_words if w not in STOPWORDS}
    by_facet = {f: [s for s in sentences if s.facet == f] for f in FACETS}
    chosen = {f: _choose(_rank(by_facet[f], theme_stems), MAX_CLAIMS) for f in FACETS}
    primaries = {(s.n, s.pos) for group in chosen.values() for s in group}
    sections = {f: [_claim(s, f, by_facet[f], primaries) for s in chosen[f]] for f in FACETS}

    counts = Counter(stem_ for s in sentences for stem_ in s.stems)
    for rank, t in enumerate(inputs.themes):  # the top theme's keywords weigh most
        counts.update({stem(w): 3 if rank == 0 else 1 for w in words(" ".join(t.keywords)) if w not in STOPWORDS})
    dominant = max(FACETS, key=lambda f: (len(by_facet[f]), -FACETS.index(f)))
    name = persona_name(inputs.themes, counts, dominant)

    narrative: list[CitedSentence] = []
    for facet, frame in NARRATIVE:
        if sections[facet]:
            claim = sections[facet][0]
            body = lower_first(claim.text)
            text = f"{name} {body}" if not narrative else frame.format(claim=body)
            narrative.append(CitedSentence(text=text, citations=claim.citations[:1]))
    if len(narrative) < 2:  # too few cue words: fall back on the most central statements
        for s in _choose(_rank([s for s in sentences if s.facet is None], theme_stems), 3 - len(narrative)):
            subject = name if not narrative else "This persona"
            text = f"{subject} {lower_first(third_person_claim(s.text, 'context'))}"
            narrative.append(CitedSentence(text=text, citations=[QuoteRef(n=s.n, quote=s.text)]))

    quotes: list[QuoteRef] = []
    quoted_by: set[str] = set()
    for facet in PRIORITY:
        for s in chosen[facet][:1]:
            if s.who not in quoted_by and len(quotes) < MAX_QUOTES and 6 <= len(s.text.split()) <= 40:
                quotes.append(QuoteRef(n=s.n, quote=s.text))
                quoted_by.add(s.who)
    summary = _summary(inputs, sections)
    return PersonaDraft(name=name, summary=summary, narrative=narrative, sections=sections, quotes=quotes)
