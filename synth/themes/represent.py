"""How a theme is shown: distinctive keywords (class-based TF-IDF), central distinct exemplar quotes,
a label and one-sentence description through the LLM layer, and top-level groups."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from synth.records import Chunk

MAX_KEYWORDS = 8
MAX_EXEMPLARS = 5
NEAR_DUPLICATE = 0.9  # cosine above which two quotes say the same thing
MIN_QUOTE_WORDS = 6  # shorter chunks ("Sounds good.") are exemplars only when nothing else is left
GROUP_ABOVE = 6  # a theme tree (broad themes over these) when there are more than this many
GROUP_RANGE = range(2, 7)

# Spoken filler and interview chatter: frequent in transcripts, never what a theme is about.
DISFLUENCY_PHRASES = re.compile(
    r"\b(you know|i mean|sort of|kind of|i guess|i think|a bit|a lot|to be honest|at the end of the day)\b", re.I
)
DISFLUENCIES = frozenset(
    """um umm uh uhh erm er hmm mm mhm mmhm uh-huh like yeah yep yup yes no nope nah okay ok oh ah well right so
    kinda sorta gonna wanna gotta really just actually basically literally honestly totally pretty stuff thing
    things lot lots got get gets getting know knew mean think thought say said says go goes going went come
    want wanted need needed make made use used way bit sure maybe probably guess feel felt look looks good
    great nice thanks thank hi hello lol laughs laughter crosstalk inaudible pause don't i'm it's that's
    can't i've didn't doesn't isn't wasn't won't i'd i'll you're they're we're there's what's let's ve ll
    re dont im ive cant didnt doesnt isnt wasnt wont youre theyre thats whats lets also even still
    one two three time times day days week weeks something anything everything""".split()
)
_TOKEN = r"(?u)\b[^\W\d_][\w'\-]*[^\W_]\b"


def _stopwords() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(set(ENGLISH_STOP_WORDS) | DISFLUENCIES)


def _clean(text: str) -> str:
    return DISFLUENCY_PHRASES.sub(" ", text.lower().replace("\u2019", "'"))


def class_keywords(texts: Sequence[str], labels: np.ndarray, n_classes: int, top: int = MAX_KEYWORDS) -> list[list[str]]:
    """Top class-based TF-IDF terms (unigrams and bigrams) per class; rows with label -1 only shape the vocabulary.

    c-TF-IDF (as in BERTopic): tf of term t in class c, normalized by the class's length, times
    log(1 + A / f_t), where A is the mean class length and f_t the term's frequency in all classes.
    """
    if n_classes == 0 or not len(texts):
        return [[] for _ in range(n_classes)]
    found = class_term_scores(texts, labels, n_classes, ngram_range=(1, 2), stop_words=_stopwords(),
                              token_pattern=_TOKEN, preprocessor=_clean)
    if found is None:  # nothing but stop words
        return [[] for _ in range(n_classes)]
    vocab, scores = found
    return [_distinct_terms(ranked_terms(vocab, scores[c], top * 6), top) for c in range(n_classes)]


def class_term_scores(texts: Sequence[str], labels: np.ndarray, n_classes: int, **counting
                      ) -> tuple[np.ndarray, np.ndarray] | None:
    """The terms a CountVectorizer (`counting`: its arguments) finds in `texts`, and each class's c-TF-IDF score
    of each; once there are 50 texts a term must be in two of them. None when no term is found at all."""
    from sklearn.feature_extraction.text import CountVectorizer

    vectorizer = CountVectorizer(min_df=2 if len(texts) >= 50 else 1, dtype=np.float64, **counting)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # no term at all
        return None
    return vectorizer.get_feature_names_out(), class_tfidf(counts, labels, n_classes)


def ranked_terms(vocab: np.ndarray, scores: np.ndarray, n: int) -> list[str]:
    """Up to `n` terms with a positive score, best first; ties broken alphabetically, so it is deterministic."""
    ranked = np.lexsort((vocab, -scores))
    return [vocab[i] for i in ranked[:n] if scores[i] > 0]


def class_tfidf(counts, labels: np.ndarray, n_classes: int) -> np.ndarray:
    """Class-based TF-IDF (BERTopic's c-TF-IDF): a term's share of a class's words times
    log(1 + mean class size / the term's count in all classes). counts: documents x terms; labels: class per
    document (-1: none). Returns classes x terms."""
    import scipy.sparse as sp

    rows = np.flatnonzero(labels >= 0)
    member = sp.csr_matrix((np.ones(rows.size), (labels[rows], rows)), shape=(n_classes, counts.shape[0]))
    per_class = np.asarray((member @ counts).todense())
    sizes = per_class.sum(axis=1, keepdims=True)
    tf = per_class / np.where(sizes > 0, sizes, 1.0)
    totals = per_class.sum(axis=0)
    return tf * np.log1p(sizes.mean() / np.where(totals > 0, totals, np.inf))


def _distinct_terms(terms: list[str], top: int) -> list[str]:
    """Skip terms whose words are all covered by terms already chosen ("list" after "shared list")."""
    chosen: list[str] = []
    covered: set[str] = set()
    for term in terms:
        words = set(term.split())
        if words <= covered:
            continue
        if len(words) == 2 and any(c in words for c in chosen):  # "shared list" after "list": replace it
            chosen = [c for c in chosen if c not in words]
        chosen.append(term)
        covered |= words
        if len(chosen) == top:
            break
    return chosen


def pick_exemplars(
    vectors: np.ndarray, chunks: Sequence[Chunk], centroid: np.ndarray, k: int = MAX_EXEMPLARS
) -> list[int]:
    """Indexes of up to k chunks nearest the centroid, no two near-duplicates, distinct participants first."""
    order = np.argsort(-(vectors @ centroid), kind="stable")
    chosen: list[int] = []
    people: set[str | None] = set()
    passes = (
        lambda i: _words(chunks[i]) >= MIN_QUOTE_WORDS and chunks[i].participant_id not in people,
        lambda i: _words(chunks[i]) >= MIN_QUOTE_WORDS,
        lambda i: True,
    )
    for allowed in passes:
        for i in order:
            if len(chosen) == k:
                return chosen
            if i in chosen or not allowed(i):
                continue
            if chosen and float(np.max(vectors[chosen] @ vectors[i])) > NEAR_DUPLICATE:
                continue
            chosen.append(int(i))
            people.add(chunks[i].participant_id)
    return chosen


def _words(chunk: Chunk) -> int:
    return len(chunk.text.split())


def label_themes(keywords: list[list[str]], exemplars: list[list[Chunk]], llm) -> list[tuple[str, str, dict]]:
    """(label, description, provenance) per theme through the LLM layer's `label_theme` task."""
    from synth.llm import Evidence, LabelThemeInput, run_tasks

    inputs = [
        LabelThemeInput(keywords=kw, exemplars=Evidence.from_chunks(ex)) for kw, ex in zip(keywords, exemplars)
    ]
    results = run_tasks("label_theme", inputs, llm)
    return [(out.label, out.description, prov.model_dump(mode="json", exclude={"usage"})) for out, prov in results]


def group_themes(centroids: np.ndarray, seed: int = 0) -> np.ndarray | None:
    """Group labels (0..g-1) for theme centroids when there are more than GROUP_ABOVE themes, else None.

    Ward agglomeration of the (unit-length) centroids, with the number of groups in 2..6, and at most
    half the themes, chosen by silhouette. Average linkage was tried first: it split one outlying theme
    (small talk) from all the rest, which is no tree at all.
    """
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import silhouette_score

    n = centroids.shape[0]
    if n <= GROUP_ABOVE:
        return None
    best: tuple[float, np.ndarray] | None = None
    for g in GROUP_RANGE:
        if g > n // 2:
            break
        labels = AgglomerativeClustering(n_clusters=g, linkage="ward").fit_predict(centroids)
        score = silhouette_score(centroids, labels, metric="cosine")
        if best is None or score > best[0] + 1e-9:
            best = (score, labels)
    return None if best is None else best[1]
