"""The judge behind support and citation metrics, ALCE-style citation recall and precision, and a
lexical contradiction check for counter-evidence.

Support goes through the `judge_support` task, so it is the configured LLM when there is one and
the offline (lexical) judge otherwise. Verdicts are memoized per (claim, quotes) for one run: the
leave-one-out checks of citation precision ask many overlapping questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from synth.llm import LLM, JudgeSupportInput, SupportVerdict, run_task
from synth.llm.offline import ANTONYMS, CLAIM_FRAME
from synth.llm.text import NEGATIONS, content_stems, stem, words

_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _OPPOSITE.setdefault(stem(_a), set()).add(stem(_b))
    _OPPOSITE.setdefault(stem(_b), set()).add(stem(_a))


class Judge:
    """Support verdicts from the configured model, memoized for the run."""

    def __init__(self, llm: LLM):
        self.llm = llm
        self._memo: dict[tuple[str, tuple[str, ...]], SupportVerdict] = {}
        self.calls = 0

    @property
    def model_id(self) -> str:
        return self.llm.model_id

    def support(self, claim: str, quotes: Sequence[str]) -> SupportVerdict:
        quotes = tuple(q for q in quotes if q.strip())
        if not quotes:
            return SupportVerdict(supported=False, score=0.0, rationale="no quote to check against")
        key = (claim, quotes)
        if key not in self._memo:
            verdict, _ = run_task("judge_support", JudgeSupportInput(claim=claim, quotes=list(quotes)), self.llm)
            self._memo[key] = verdict
            self.calls += 1
        return self._memo[key]

    def entails(self, claim: str, quotes: Sequence[str]) -> bool:
        return self.support(claim, quotes).supported


@dataclass(frozen=True)
class CitationScores:
    """ALCE figures for one claim: whether its citations jointly entail it, and which ones are relevant."""

    recall_supported: bool
    relevant: list[bool]  # one per quote, in order


def alce_scores(judge: Judge, claim: str, quotes: Sequence[str]) -> CitationScores:
    """Citation recall and precision in the sense of ALCE (Gao et al., 2023).

    Recall: the claim is entailed by the union of its quotes. Precision: a quote is irrelevant when
    it does not entail the claim alone and the claim stays entailed without it; when the union does
    not entail the claim, no quote counts as relevant (as in ALCE's scorer). A single quote is
    relevant exactly when it entails the claim.
    """
    quotes = list(quotes)
    if not quotes:
        return CitationScores(False, [])
    joint = judge.entails(claim, quotes)
    if not joint:
        return CitationScores(False, [False] * len(quotes))
    if len(quotes) == 1:
        return CitationScores(True, [True])
    relevant = []
    for i, quote in enumerate(quotes):
        if judge.entails(claim, [quote]):
            relevant.append(True)
            continue
        rest = quotes[:i] + quotes[i + 1 :]
        relevant.append(not judge.entails(claim, rest))
    return CitationScores(True, relevant)


# contradiction ----------------------------------------------------------------------------------
TOPIC_OVERLAP = 0.6  # share of the claim's (non-polar) content words a sentence must share to be "about" it


NEGATION_SCOPE = 4  # words after a negation that it applies to


def _negated(text: str, targets: set[str]) -> bool:
    """A negation ("not", "never", "don't") shortly before one of the `targets` stems."""
    tokens = words(text)
    for i, w in enumerate(tokens):
        if w in NEGATIONS or w.endswith("n't"):
            if any(stem(t) in targets for t in tokens[i + 1 : i + 1 + NEGATION_SCOPE]):
                return True
    return False


def contradicts(claim: str, quote: str) -> str | None:
    """Why `quote` says the opposite of `claim` (same topic, flipped negation or an antonym), else None.

    Lexical, like the offline judge: it finds candidates for a researcher to read, not proof.
    """
    claim_stems = set(content_stems(claim, CLAIM_FRAME))
    quote_stems = set(content_stems(quote))
    topic = {s for s in claim_stems if s not in _OPPOSITE}
    if len(topic) < 3 or not quote_stems:  # "finds a recipe" is too vague to contradict
        return None
    shared = topic & quote_stems
    if len(shared) < 2 or len(shared) / len(topic) < TOPIC_OVERLAP:
        return None
    flipped = sorted(w for w in claim_stems if w not in quote_stems and _OPPOSITE.get(w, set()) & quote_stems)
    if flipped:
        return f"says the opposite of {', '.join(flipped)}"
    claim_neg, quote_neg = _negated(claim, shared), _negated(quote, shared)
    if claim_neg != quote_neg:
        return "negation differs" + (" (the claim is negated)" if claim_neg else " (the quote is negated)")
    return None


_LOOSE_BREAK = re.compile(r"(?<=[.!?])\s+|\n+")


def _sentences(text: str) -> list[str]:
    """Sentences for contradiction checks: split after any end mark or line break, whatever the case of the
    next word (posts are often all lower case), so a long post is never read as one "sentence"."""
    return [s.strip() for s in _LOOSE_BREAK.split(text) if s and s.strip()]


def contradicting_sentences(claim: str, text: str) -> list[tuple[str, str]]:
    """(sentence, reason) for each sentence of `text` that contradicts `claim`; sentences are verbatim."""
    out = []
    for sentence in _sentences(text):
        if sentence.endswith("?"):
            continue  # a question asserts nothing
        reason = contradicts(claim, sentence)
        if reason:
            out.append((sentence, reason))
    return out
