"""Readable offline theme labels: short key phrases, proposed by class-based TF-IDF and chosen by KeyBERT.

1. Candidates: phrases of one to three words that run between stop words, fillers and punctuation in a
   theme's neutral texts (synth.themes.neutral: no handles, brands or speaker names), scored by
   class-based TF-IDF so a phrase says what sets this theme apart. A candidate may not start or end on
   a stop word or filler, end on an adverb ("-ly") or a past form ("-ed"), or end on a word of pure
   sentiment ("excellent", "love": VADER valence >= 1.5), so labels name a thing, not a verdict.
2. Choice: KeyBERT's Maximal Marginal Relevance (maintained, MIT; github.com/MaartenGr/KeyBERT) ranks the
   candidates by cosine to the theme's centroid, keeping them diverse; the candidates are embedded with
   the workspace's own embedder (the local MiniLM by default; nothing is downloaded). We chose KeyBERT over YAKE because YAKE scores
   phrases inside one document by position and frequency, and cannot see what separates one theme
   from its neighbours nor use our embedder; KeyBERT takes our candidates and our vectors as they are.
3. Label: the best phrase, joined with the second ("Refund and hidden fees") when the second adds
   words of its own; a label already used gets the next distinct phrase. A one-sentence description
   names the top phrases and the theme's leading statement kind.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

VERSION = "labels/5"  # part of the themes fingerprint: new label rules re-label a stored run
TOP_CANDIDATES = 15
DIVERSITY = 0.5
_RUN_SPLIT = re.compile(r"[^\w'’\- ]+|\s[-–—]\s")


@lru_cache(maxsize=1)
def _blocked() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from synth.substance import CONVERSATION_WORDS
    from synth.themes.represent import DISFLUENCIES

    # the words of conversation itself ("alright", "sorry", "man") say nothing about what a theme is about
    return (frozenset(ENGLISH_STOP_WORDS) | DISFLUENCIES | CONVERSATION_WORDS
            | frozenset({"i'm", "it's", "don't", "can't", "won't"}))


@lru_cache(maxsize=1)
def _sentiment() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer().lexicon


def _word_ok(word: str) -> bool:
    return len(word) > 2 and word.isalpha() and word not in _blocked()


# Common irregular past forms: a phrase ending on one is a clause ("refund took"), not a thing.
_PAST = frozenset("""took got made came went said gave kept left felt found told thought saw knew ran sent paid put
set stood brought bought became began broke chose drove ate fell forgot held lost met meant rode sat slept spent
spoke taught understood woke wore won wrote did does doesn done gone seen been""".split())


def _adverb_or_past(word: str) -> bool:
    """"quickly", "fixed"; not "bed", "speed" or "feed", which only look like it."""
    return word.endswith("ly") or (word.endswith("ed") and len(word) >= 5 and not word.endswith("eed"))


def _edge_ok(words: list[str]) -> bool:
    last = words[-1]
    if _adverb_or_past(last) or words[0].endswith("ly") or last in _PAST or words[0] in _PAST:  # "shared list" ok
        return False
    return abs(_sentiment().get(last, 0.0)) < 1.5


def phrases(text: str) -> list[str]:
    """Candidate phrases of 1-3 words in a text: runs of content words, and their sub-runs."""
    out: list[str] = []
    for part in _RUN_SPLIT.split(text.lower().replace("’", "'")):
        run: list[str] = []
        for word in part.split() + [""]:
            if word and _word_ok(word):
                run.append(word)
                continue
            for size in (1, 2, 3):
                for i in range(len(run) - size + 1):
                    words = run[i : i + size]
                    if _edge_ok(words):
                        out.append(" ".join(words))
            run = []
    return out


_SUBJECT_OR_MODAL = frozenset("to i we they you can could will would should must might don't didn't doesn't "
                              "won't can't cannot".split())
_DETERMINER = frozenset("the a an my our your their this that these those its his her every each some any no".split())


_FIELD = re.compile(r"(?:^|[\n.!?]\s*)([A-Za-z]{2,20})\s*:")


def field_labels(texts: Sequence[str], min_docs: int = 5) -> set[str]:
    """Words that mostly open a field of the export or form ("Pros: ...", "Cons: ...", "Answer: ..."), used so
    in at least `min_docs` texts: the form's words, not what people said."""
    labelled: dict[str, int] = {}
    used: dict[str, int] = {}
    for text in texts:
        for word in {m.group(1).lower() for m in _FIELD.finditer(text)}:
            labelled[word] = labelled.get(word, 0) + 1
    if not labelled:
        return set()
    for text in texts:
        for word in set(re.findall(r"[a-z]+", text.lower())) & labelled.keys():
            used[word] = used.get(word, 0) + 1
    return {w for w, n in labelled.items() if n >= min_docs and n >= 0.5 * used[w]}


def verb_forms(texts: Sequence[str], words: set[str]) -> set[str]:
    """Of `words`, the "-s" forms used in these texts as verbs ("explains", "shows"), not as plurals ("funnels").

    The texts tell: the stem follows "to", a modal or a subject ("to explain", "I show") more often than a
    determiner ("the explain"), and the word itself never follows a determiner ("the shows"). No lexicon.
    """
    ending = {w for w in words if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is"))}
    if not ending:
        return set()
    # the stems a "-s" form may have: "explains" -> "explain"; "pushes" -> "pushe", "push"
    stems = {w: {w[:-1], w[:-2]} if w.endswith("es") else {w[:-1]} for w in ending}
    wanted = set().union(*stems.values()) | ending
    after_verbish: Counter[str] = Counter()
    after_det: Counter[str] = Counter()
    for text in texts:
        tokens = re.findall(r"[a-z']+", text.lower().replace("’", "'"))
        for prev, word in zip(tokens, tokens[1:]):
            if word in wanted:
                if prev in _SUBJECT_OR_MODAL:
                    after_verbish[word] += 1
                elif prev in _DETERMINER:
                    after_det[word] += 1
    out = set()
    for word, forms in stems.items():
        verbish = sum(after_verbish[f] for f in forms)
        nounish = sum(after_det[f] for f in forms) + after_det[word]
        if verbish >= 2 and verbish > 2 * nounish:
            out.add(word)
    return out


def candidates(texts: Sequence[str], labels: np.ndarray, n_classes: int, top: int = TOP_CANDIDATES) -> list[list[str]]:
    """Per class, the top phrases by class-based TF-IDF (tf in the class x log(1 + mean class size / frequency))."""
    from synth.themes.represent import class_term_scores, ranked_terms

    if n_classes == 0:
        return []
    found = class_term_scores(texts, labels, n_classes, analyzer=phrases)
    if found is None:  # no phrase at all
        return [[] for _ in range(n_classes)]
    vocab, scores = found
    # Longer phrases read better and are rarer: a phrase of n words counts sqrt(n) times.
    scores = scores * np.sqrt(np.array([len(v.split()) for v in vocab]))[None, :]
    verbs = verb_forms(texts, {v.split()[-1] for v in vocab})
    scores[:, [i for i, v in enumerate(vocab) if v.split()[-1] in verbs]] = 0.0  # "funnel explains": a clause
    fields = field_labels(texts)
    scores[:, [i for i, v in enumerate(vocab) if fields & set(v.split())]] = 0.0  # "Pros:", "Cons:": the form's
    return [ranked_terms(vocab, scores[c], top) for c in range(n_classes)]


def choose(cands: list[list[str]], centroids: np.ndarray, embedder, top: int = 4) -> list[list[str]]:
    """Per theme, up to `top` candidates chosen by KeyBERT's MMR against the theme centroid."""
    from keybert._mmr import mmr

    flat = sorted({p for c in cands for p in c})
    if not flat:
        return [[] for _ in cands]
    vectors = embedder.embed(flat)
    row = {p: i for i, p in enumerate(flat)}
    out = []
    for c, centroid in zip(cands, centroids):
        if not c:
            out.append([])
            continue
        picked = mmr(centroid[None, :], vectors[[row[p] for p in c]], c, top_n=min(top, len(c)), diversity=DIVERSITY)
        out.append([p for p, _ in picked])
    return out


def compose(chosen: list[list[str]], fallback: list[list[str]]) -> list[str]:
    """A label per theme from its chosen phrases, no two alike."""
    used: set[str] = set()
    labels = []
    for n, (phrases_, backup) in enumerate(zip(chosen, fallback)):
        pool = [p for p in phrases_ + backup if p]
        label = ""
        for i, first in enumerate(pool):
            second = next((p for p in pool[i + 1 :] if not set(p.split()) & set(first.split())), None)
            for option in ([f"{first} and {second}"] if second and len(first.split()) + len(second.split()) <= 4 else []) + [first]:
                if option not in used:
                    label = option
                    break
            if label:
                break
        label = label or f"theme {n + 1}"
        used.add(label)
        labels.append(label[0].upper() + label[1:])
    return labels


def describe(chosen: list[str], people: int, kinds: dict[str, int]) -> str:
    """One sentence: who, about what, saying what kind of thing most."""
    about = ", ".join(chosen[:3]) if chosen else "assorted topics"
    line = f"{people} {'person' if people == 1 else 'people'} on {about}"
    total = sum(kinds.values())
    if total:
        kind, n = max(sorted(kinds.items()), key=lambda kv: kv[1])
        line += f"; mostly {kind} ({n / total:.0%} of passages)"
    return line + "."


def offline_labels(texts: Sequence[str], labels: np.ndarray, centroids: np.ndarray, embedder) -> tuple[list[str], list[list[str]]]:
    """(label, chosen phrases) per class: c-TF-IDF candidates, KeyBERT choice, composed and disambiguated."""
    n = centroids.shape[0]
    cands = candidates(texts, labels, n)
    chosen = choose(cands, centroids, embedder) if embedder is not None else [c[:4] for c in cands]
    return compose(chosen, cands), chosen
