"""The `offline` backend: a deterministic, extractive drafter that needs no model and no network.

It fills the same structured outputs an LLM would, from the evidence itself; the outputs pass the
same validation. `draft_persona` and `extract_profile` live in synth.extractive; the other tasks are here.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

from synth.llm.base import ChatModel, Completion, Message
from synth.llm.errors import LLMConfigError, LLMError
from synth.llm.schemas import (
    AnswerInput, ChatAnswer, CitedSentence, Evidence, LabelThemeInput, QuoteRef, ThemeLabel,
)
from synth.llm.settings import LLMSettings
from synth.llm.text import (
    QUESTION_WORDS, STOPWORDS, WORD, clip_words, content_stems, drop_fillers, jaccard, split_sentences,
    stem, strip_fillers, upper_first, words,
)
from synth.substance import mostly_conversation


class OfflineModel(ChatModel):
    backend = "offline"
    model_id = "offline"
    is_local = True
    extractive = True

    def __init__(self, model: str = "", settings: LLMSettings | None = None):
        if model:
            raise LLMConfigError(f"offline takes no model name, got {model!r}", "use --llm offline")

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "base_url": None, "note": "extractive drafter: no model, no network"}

    def _complete(self, messages: list[Message], *, temperature: float, max_tokens: int | None,
                  response_format: dict[str, Any] | None) -> Completion:
        raise LLMError("the offline drafter fills synth's tasks only; for free text use --llm openai:<model>")


# label_theme ------------------------------------------------------------------------------------
def _sentence_case(phrase: list[str]) -> str:
    out = [w if w.isupper() and len(w) > 1 else w.lower() for w in phrase]
    return upper_first(" ".join(out))


def label_theme_offline(inputs: LabelThemeInput) -> ThemeLabel:
    """A readable label from the keywords and phrases the exemplars share; a description from the central one."""
    keywords = [k.strip() for k in inputs.keywords if k.strip()]
    if mostly_conversation(keywords):
        best = _central_sentence(inputs.exemplars, set()) or ""
        example = f', as in "{clip_words(strip_fillers(best), 25)}"' if best else ""
        return ThemeLabel(
            label="Small talk and asides",
            description=f"Greetings, sign-offs and asides with little to say about the product{example}.",
        )
    kw_stems = [tuple(stem(w) for w in words(k) if w not in STOPWORDS) for k in keywords]
    flat_kw = {s for ks in kw_stems for s in ks}
    doc_stems = [{stem(w) for w in words(e.text)} for e in inputs.exemplars]

    bigrams: Counter[tuple[str, str]] = Counter()  # in how many exemplars each content-word pair occurs
    surface: dict[tuple[str, str], Counter[str]] = {}
    for ex in inputs.exemplars:
        seen = set()
        for sentence in split_sentences(ex.text):
            raw = WORD.findall(sentence)
            low = [w.lower().replace("\u2019", "'").strip("'") for w in raw]
            for a, b, ra, rb in zip(low, low[1:], raw, raw[1:], strict=False):
                if a in STOPWORDS or b in STOPWORDS or len(a) < 3 or len(b) < 3:
                    continue
                key = (stem(a), stem(b))
                surface.setdefault(key, Counter())[f"{ra} {rb}"] += 1
                if key not in seen:
                    bigrams[key] += 1
                    seen.add(key)
    candidates = []
    for key, df in bigrams.items():
        hits = sum(1 for s in key if s in flat_kw)
        if (df >= 2 and hits) or hits == 2:
            candidates.append((df + 1.5 * hits, key))
    present = [(k, ks) for k, ks in zip(keywords, kw_stems, strict=True) if ks and any(set(ks) <= d for d in doc_stems)]
    phrase: list[str] = []
    if candidates:
        _, key = max(candidates, key=lambda c: (c[0], -min(_first_index(keywords, s) for s in c[1])))
        phrase = surface[key].most_common(1)[0][0].split()
        with_phrase = [d for d in doc_stems if set(key) <= d]
        for k, ks in present:  # one more keyword used alongside the phrase: "Shared list" + "sync"
            if len(ks) == 1 and ks[0] not in key and any(ks[0] in d for d in with_phrase):
                phrase.append(k)
                break
    else:
        picked = present[:2] or list(zip(keywords, kw_stems, strict=True))[:2]
        if len(picked) == 2:
            phrase = [*picked[0][0].split(), "and", *picked[1][0].split()]
        elif picked:
            phrase = picked[0][0].split()
    topic = " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in phrase) or "many different things"
    if len(phrase) == 1:
        phrase = ["Talk", "of", phrase[0]]
    label = _sentence_case(phrase[:6]) if phrase else "Miscellaneous comments"

    best = _central_sentence(inputs.exemplars, flat_kw)
    description = f"Participants talk about {topic}"
    if best:
        description += f', as in "{clip_words(strip_fillers(best), 25)}"'
    return ThemeLabel(label=label, description=description + ".")


def _first_index(keywords: list[str], s: str) -> int:
    for i, k in enumerate(keywords):
        if s in {stem(w) for w in words(k)}:
            return i
    return len(keywords)


def _central_sentence(exemplars: list[Evidence], kw: set[str]) -> str | None:
    sentences = [(e.n, i, s) for e in exemplars for i, s in enumerate(split_sentences(e.text)) if len(s.split()) >= 4]
    if not sentences:
        return None
    stems = [set(content_stems(s)) for _, _, s in sentences]

    def score(i: int) -> float:
        others = [jaccard(stems[i], o) for j, o in enumerate(stems) if j != i]
        return len(stems[i] & kw) + 2.0 * (sum(others) / len(others) if others else 0.0)

    best = max(range(len(sentences)), key=lambda i: (score(i), -sentences[i][0], -sentences[i][1]))
    return sentences[best][2]


# answer_as_persona ------------------------------------------------------------------------------
ANSWER_THRESHOLD = 0.3  # share of the question's (idf-weighted) content words a sentence must cover


def _question_stems(question: str) -> list[str]:
    return [s for s in dict.fromkeys(content_stems(question, QUESTION_WORDS))]


OPINION_VERBS = frozenset("think feel like love hate prefer want wish mind believe reckon find make".split())


def suggested_question(question: str) -> str:
    """An interview question that would collect evidence for an unanswerable chat question."""
    q = question.strip()
    doing = re.match(r"^(?:how|when|where|why|what)?\s*(?:do|did|can)\s+you\s+(.+?)[?.!]*$", q, re.IGNORECASE)
    about = re.search(r"\b(?:about|with|regarding)\s+(.+?)[?.!]*$", q, re.IGNORECASE)
    # "What do you think of X?" asks an opinion, not about something done: there is no last time to walk through.
    opinion = doing and doing.group(1).split()[0].lower() in OPINION_VERBS
    if doing and not about and not opinion:
        return f"Can you walk me through the last time you {doing.group(1)}?"
    m = re.search(r"\b(?:about|with|regarding|of|on)\s+(.+?)[?.!]*$", q, re.IGNORECASE) or re.search(
        r"\b((?:your|the|a|an)\s+.+?)[?.!]*$", q, re.IGNORECASE)
    if not m:
        if not _question_stems(q):
            return "Can you tell me more about that, and the last time it came up?"
        return f"In your own words: {q[:1].lower() + q[1:].rstrip('?.! ')}?"
    topic = m.group(1)
    return f"Can you tell me about {topic}, and the last time it came up?"


def answer_as_persona_offline(inputs: AnswerInput) -> ChatAnswer:
    """A first-person answer from the evidence sentences that best cover the question, or an honest no."""
    q = _question_stems(inputs.question)
    if not q:  # "why?" and friends: carry the topic of the previous question
        earlier = [t.text for t in inputs.history if t.role == "user"]  # the persona's own turns carry no topic
        q = _question_stems(earlier[-1]) if earlier else []
    pool = [(e.n, i, s) for e in inputs.evidence for i, s in enumerate(split_sentences(e.text))
            if not s.rstrip().endswith("?") and len(s.split()) >= 3]
    stems = [set(content_stems(s)) for _, _, s in pool]
    df = Counter(x for st in stems for x in st)
    idf = {w: math.log((len(pool) + 1) / (df.get(w, 0) + 1)) + 1.0 for w in q}
    total = sum(idf.values()) or 1.0
    scores = [sum(idf[w] for w in q if w in st) / total for st in stems]
    best = max(scores, default=0.0)
    if not q or best < ANSWER_THRESHOLD:
        return ChatAnswer(answerable=False, sentences=[], suggested_question=suggested_question(inputs.question))
    order = sorted(range(len(pool)), key=lambda i: (-scores[i], pool[i][0], pool[i][1]))
    picked: list[int] = []
    for i in order:
        if scores[i] < max(ANSWER_THRESHOLD, 0.5 * best) or len(picked) == 3:
            break
        if all(jaccard(stems[i], stems[j]) < 0.5 for j in picked):
            picked.append(i)
    sentences = []
    for i in picked:
        n, _, text = pool[i]
        spoken = upper_first(drop_fillers(strip_fillers(text)))
        spoken = spoken if spoken[-1:] in ".!?" else spoken + "."
        sentences.append(CitedSentence(text=spoken, citations=[QuoteRef(n=n, quote=text)]))
    return ChatAnswer(answerable=True, sentences=sentences, suggested_question=None)


# judge_support: the offline judge lives in synth.extractive.judge; these names stay importable from here.
from synth.extractive.judge import (  # noqa: E402,F401
    ANTONYMS, CLAIM_FRAME, SUPPORT_THRESHOLD, judge_support_lexical, judge_support_offline,
)
