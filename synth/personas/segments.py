"""Segments of people, not topics: profile each participant, cluster the profiles, describe each cluster.

A participant's profile is built from their substantive sentences only (synth.substance: greetings,
thanks, fillers and small talk say nothing about who someone is), and joins these blocks, each
L2-normalized, then weighted (WEIGHTS):
  - vocabulary: an LSA of the TF-IDF of words and word pairs, function words kept in pairs only, so
    "for one", "my kids" and "our team" count; words and pairs used by more than half the participants
    are dropped (they are about the product, which everyone shares). Sentences in which
    people say who they are or what their situation is ("I'm a...", "as a...", "my team...") count
    twice. Each source's mean is taken out (an export of SOURCE_MIN participants or more; smaller files,
    such as transcripts, pooled by kind), so an export's template ("Pros:", "Hi support,") and the
    register of spoken interviews never make a segment of their own;
  - theme mix and meaning (the mean chunk embedding): off by default. Both are about the topic, and
    topics cut across people; measured on both sample corpora, neither helps (evals/bench_segments.py);
  - metadata, lightly: star-rating bucket and product, where present.
Clustering is weighted k-means with fixed seeds: a profile weighs the square root of its words, as a
mean's precision grows with its sample, so a one-line review pulls a centre less than an interview.
Participants with one substantive sentence or less are left out of the fit (while FIT_MIN others
remain) and join the segment whose centre is nearest, so a one-liner never founds a segment. The count
is chosen in 2..8 by stability: how much clusterings of seeded 80% subsamples agree (ARI), among the
counts where every segment holds at least MIN_SHARE of the fitted participants; `n` forces it. Same
inputs, same segments.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from synth.records import Chunk, Participant, Role, Segment, Theme, stable_id

K_RANGE = (2, 8)
MIN_SHARE = 0.05  # every automatic segment holds at least this share of the fitted participants
WEIGHTS = {"words": 1.0, "themes": 0.0, "meaning": 0.0, "meta": 0.25, "attributes": 0.5}  # attributes: when asked
LSA_DIMENSIONS = 20
MAX_SHARE = 0.5  # a word or pair used by more than half the participants says nothing about who they are
SOURCE_MIN = 10  # a file with this many participants is a source of its own; smaller ones pool by kind
FIT_MIN = 10  # one-liners sit out the fit only while at least this many others remain
SUBSAMPLES = 10  # seeded 80% subsamples per k for the stability score
K2_MARGIN = 0.1
SEED = 0
# Grammar, not vocabulary: a sentence in which the speaker says who they are or what their situation is.
SELF_DESCRIPTION = re.compile(
    r"\b(?:i['’]m|i am|i was|i['’]ve been|i have been|i work|i live|i run|i have|i['’]ve got|"
    r"we['’]re|we are|we have|we['’]ve got|as an?|my|our)\b",
    re.IGNORECASE,
)


@dataclass
class Profiles:
    """One row per participant: the profile matrix and what it was built from."""

    participant_ids: list[str]
    matrix: np.ndarray
    theme_ids: list[str]
    theme_counts: np.ndarray  # participants x themes: chunk counts
    chunk_ids: dict[str, list[str]] = field(default_factory=dict)
    words: np.ndarray | None = None  # substantive words per participant
    sentences: np.ndarray | None = None  # substantive sentences per participant

    @property
    def weights(self) -> np.ndarray:
        """How hard each profile pulls a segment centre: the square root of its substantive words."""
        words = self.words if self.words is not None else np.ones(len(self.participant_ids))
        return np.sqrt(np.maximum(words, 1.0))

    def fit_rows(self, leave_out: Sequence[str] = ()) -> np.ndarray:
        """The participants segments are found on: not `leave_out`, and more than one substantive sentence
        while at least FIT_MIN such remain (else everyone not left out)."""
        kept = np.array([p not in set(leave_out) for p in self.participant_ids], dtype=bool)
        if self.sentences is None:
            return kept
        rich = kept & (self.sentences > 1)
        return rich if rich.sum() >= FIT_MIN else kept


def _l2(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows, dtype=np.float64), where=norms > 0)


def _theme_block(counts: np.ndarray) -> np.ndarray:
    if counts.shape[1] == 0:
        return counts
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(counts)) / (1 + df)) + 1.0
    return _l2(np.log1p(counts) * idf)


def profile_text(chunks: Sequence[Chunk], language: str | None) -> tuple[str, int, int]:
    """A participant's substantive sentences, self-descriptions twice; with their word and sentence counts."""
    from synth.substance import substantive_sentences

    kept: list[str] = []
    words = sentences = 0
    for chunk in chunks:
        for start, end in substantive_sentences(chunk.text, study_language=language):
            sentence = chunk.text[start:end]
            kept += [sentence] * (2 if SELF_DESCRIPTION.search(sentence) else 1)
            words += len(sentence.split())
            sentences += 1
    return " ".join(kept), words, sentences


def _centre_by_source(rows: np.ndarray, groups: Sequence[str] | None) -> np.ndarray:
    """Rows less their group's mean; a group of one (nothing to tell its register from its person) less the
    overall mean."""
    out = rows - rows.mean(axis=0)
    if groups is None:
        return out
    labels = np.array(groups, dtype=object)
    for group, size in Counter(groups).items():
        if size >= 2:
            members = labels == group
            out[members] = rows[members] - rows[members].mean(axis=0)
    return out


_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def _terms(text: str) -> list[str]:
    """Words that are not function words, and word pairs with at least one such word: "for one", "my kids" and
    "our team" say who someone is, where "for" and "my" alone say nothing."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as FUNCTION_WORDS

    tokens = _TOKEN.findall(text.lower())
    words = [t for t in tokens if t not in FUNCTION_WORDS]
    pairs = [f"{a} {b}" for a, b in itertools.pairwise(tokens) if a not in FUNCTION_WORDS or b not in FUNCTION_WORDS]
    return words + pairs


def _words_block(texts: list[str], groups: Sequence[str] | None = None) -> np.ndarray:
    """LSA of the participants' words and word pairs; empty when the vocabulary is too small to say anything."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n < 4:
        return np.zeros((n, 0))
    vectorizer = TfidfVectorizer(analyzer=_terms, sublinear_tf=True, min_df=2, max_df=MAX_SHARE if n >= 20 else 1.0)
    try:
        tfidf = vectorizer.fit_transform(texts)
    except ValueError:  # no word occurs twice: nothing shared to profile by
        return np.zeros((n, 0))
    dims = min(LSA_DIMENSIONS, tfidf.shape[1] - 1, n - 1)
    if dims < 2:
        return _l2(tfidf.toarray())
    reduced = TruncatedSVD(dims, algorithm="arpack", random_state=SEED).fit_transform(tfidf)
    empty = np.asarray(tfidf.sum(axis=1)).ravel() == 0
    centred = _centre_by_source(reduced, groups)
    centred[empty] = 0.0  # nothing substantive: no position, rather than minus the mean
    return _l2(centred)


def _one_hot_filled(values: list[str | None]) -> np.ndarray:
    """One-hot rows; a participant without the value gets the average row, so absence is not a trait."""
    levels = sorted({v for v in values if v is not None})
    if len(levels) < 2:
        return np.zeros((len(values), 0))
    rows = np.array([[1.0 if v == level else 0.0 for level in levels] for v in values])
    known = np.array([v is not None for v in values])
    rows[~known] = rows[known].mean(axis=0)
    return rows


def _meta_block(participants: Sequence[Participant], ratings: dict[str, float]) -> np.ndarray:
    """Star-rating bucket and product. Not the kind of source: a segment is people, whatever they wrote."""
    def bucket(r: float | None) -> str | None:
        return None if r is None else ("low" if r <= 2 else "mid" if r < 4 else "high")

    products = [str(p.metadata["product"]) if p.metadata.get("product") else None for p in participants]
    blocks = [_one_hot_filled([bucket(ratings.get(p.id)) for p in participants]), _one_hot_filled(products)]
    return _l2(np.hstack(blocks))


def build_profiles(
    participants: Sequence[Participant],
    chunks: Sequence[Chunk],
    themes: Sequence[Theme],
    vectors: dict[str, np.ndarray],
    ratings: dict[str, float] | None = None,
    sources: Mapping[str, str] | None = None,
    attributes: Mapping[str, Mapping] | None = None,
) -> Profiles:
    """Profiles for every participant with at least one evidence chunk, in participant-id order.

    sources: participant id -> the file their words come from (personas.store.participant_sources); without
    it, the kind of source stands in. attributes: participant id -> customer attributes (synth.attributes),
    a block of their own when given (`synth personas --use-attributes`).
    """
    from synth.substance import study_language

    themes = [t for t in themes if t.substantive]  # small-talk themes never define a segment (synth.substance)
    by_person: dict[str, list[Chunk]] = defaultdict(list)
    for c in chunks:
        if c.participant_id and c.role == Role.participant:
            by_person[c.participant_id].append(c)
    people = sorted((p for p in participants if p.id in by_person), key=lambda p: p.id)
    ids = [p.id for p in people]
    counts = _theme_counts([by_person[pid] for pid in ids], themes)
    language = study_language(c.text for pid in ids for c in by_person[pid][:3])
    texts, words, sentences = zip(*(profile_text(by_person[pid], language) for pid in ids)) if ids else ((), (), ())
    groups = _source_groups(people, sources or {})
    blocks = {"words": _words_block(list(texts), groups), "meta": _meta_block(people, ratings or {})}
    if WEIGHTS["themes"]:
        blocks["themes"] = _theme_block(counts)
    weights = dict(WEIGHTS)
    if not blocks["words"].shape[1]:  # too few people or words to share a vocabulary: the embedding places them
        weights["meaning"] = weights["words"]
    if attributes:
        from synth.attributes.profile import attribute_block

        blocks["attributes"] = attribute_block(ids, attributes)
    if weights["meaning"]:
        blocks["meaning"] = _meaning_block([by_person[pid] for pid in ids], vectors, groups)
    parts = [weights[name] * block for name, block in blocks.items() if block.shape[1]]
    matrix = np.hstack(parts) if parts else np.ones((len(ids), 1))
    return Profiles(ids, matrix, [t.id for t in themes], counts, {pid: [c.id for c in by_person[pid]] for pid in ids},
                    np.array(words, dtype=float), np.array(sentences, dtype=int))


def _theme_counts(chunks_by_row: list[list[Chunk]], themes: Sequence[Theme]) -> np.ndarray:
    """Rows x themes: how many of each row's chunks each theme holds."""
    themes_of: dict[str, list[int]] = defaultdict(list)
    for t_index, theme in enumerate(themes):
        for cid in theme.chunk_ids:
            themes_of[cid].append(t_index)
    counts = np.zeros((len(chunks_by_row), len(themes)))
    for row, own in enumerate(chunks_by_row):
        for c in own:
            for t_index in themes_of.get(c.id, ()):
                counts[row, t_index] += 1
    return counts


def _source_groups(people: Sequence[Participant], sources: Mapping[str, str]) -> list[str]:
    """Each person's source for centring: their export, or their kind when the file holds fewer than SOURCE_MIN
    participants (a transcript), so interviews are centred together and a two-person transcript is never
    pulled apart."""
    files = [sources.get(p.id) or p.kind.value for p in people]
    size = Counter(files)
    return [f if size[f] >= SOURCE_MIN else p.kind.value for f, p in zip(files, people, strict=True)]


def _meaning_block(chunks_by_row: list[list[Chunk]], vectors: dict[str, np.ndarray], groups: list[str]) -> np.ndarray:
    dim = len(next(iter(vectors.values()))) if vectors else 0
    meaning = np.zeros((len(chunks_by_row), dim))
    for row, own in enumerate(chunks_by_row):
        got = [vectors[c.id] for c in own if c.id in vectors]
        if got:
            meaning[row] = np.mean(got, axis=0)
    return _l2(_centre_by_source(meaning, groups))


def _kmeans(matrix: np.ndarray, k: int, weights: np.ndarray | None = None, seed: int = SEED,
            n_init: int = 10) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(matrix, sample_weight=weights)
    return km.labels_, km.cluster_centers_


def _stability(matrix: np.ndarray, k: int, weights: np.ndarray | None = None) -> float:
    """Mean pairwise agreement (ARI) of clusterings fitted on seeded 80% subsamples, scored on everyone."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(SEED)
    n = len(matrix)
    labelings = []
    for b in range(SUBSAMPLES):
        rows = np.sort(rng.choice(n, max(k + 1, int(0.8 * n)), replace=False))
        km = KMeans(n_clusters=k, n_init=4, random_state=b).fit(
            matrix[rows], sample_weight=None if weights is None else weights[rows])
        labelings.append(km.predict(matrix))
    return float(np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2)]))


def cluster_profiles(
    matrix: np.ndarray, n: int | None = None, fit_rows: np.ndarray | None = None, weights: np.ndarray | None = None,
    init: np.ndarray | None = None,
) -> tuple[np.ndarray, dict]:
    """Labels 0..k-1 and how k was chosen: forced, the most stable k with every segment big enough, or, with
    `init` (k starting centres: the previous run's segments, see synth.personas.lineage), continued from them.

    fit_rows: a mask of the rows the segments are found on (default: all); every other row joins the
    segment whose centre is nearest, so it can never make a segment of its own. weights: how hard each
    row pulls its centre (Profiles.weights); default all equal.
    """
    from threadpoolctl import threadpool_limits

    # One thread: for a few thousand rows thread start-up costs more than it saves, many times over
    # on a busy machine.
    with threadpool_limits(1):
        if fit_rows is None or fit_rows.all():
            return _cluster(matrix, n, weights, init)
        fitted, choice = _cluster(matrix[fit_rows], n, None if weights is None else weights[fit_rows], init)
        found = np.unique(fitted)
        centres = np.array([_centre(matrix[fit_rows], fitted == k, weights, fit_rows) for k in found])
        rest = matrix[~fit_rows]
        nearest = np.argmin(((rest[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
        labels = np.empty(len(matrix), dtype=int)
        labels[fit_rows], labels[~fit_rows] = fitted, found[nearest]
        return labels, {**choice, "joined_nearest": int((~fit_rows).sum())}


def _centre(rows: np.ndarray, members: np.ndarray, weights: np.ndarray | None, fit_rows: np.ndarray) -> np.ndarray:
    w = None if weights is None else weights[fit_rows][members]
    return np.average(rows[members], axis=0, weights=w)


def _cluster(matrix: np.ndarray, n: int | None, weights: np.ndarray | None = None,
             init: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    count = len(matrix)
    if init is not None and n is None and 1 < len(init) <= len(np.unique(matrix, axis=0)):
        from sklearn.cluster import KMeans

        km = KMeans(n_clusters=len(init), init=init, n_init=1, random_state=SEED).fit(matrix, sample_weight=weights)
        return km.labels_, {"k": len(init), "method": "continued from the previous run's segments"}
    if n is not None:
        k = max(1, min(n, count))
        labels = np.zeros(count, dtype=int) if k == 1 else _kmeans(matrix, k, weights)[0]
        return labels, {"k": k, "method": "forced"}
    lo, hi = K_RANGE
    hi = min(hi, count // 2)
    if count < 4 or hi < lo:
        return np.zeros(count, dtype=int), {"k": 1, "method": "too few participants to split"}
    floor = max(2, int(np.ceil(MIN_SHARE * count)))
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    for k in range(lo, hi + 1):
        labels = _kmeans(matrix, k, weights)[0]
        if np.bincount(labels, minlength=k).min() < floor:
            continue
        fits[k] = labels
        scores[k] = round(_stability(matrix, k, weights), 4)
    if not scores:
        why = f"no k in {lo}..{hi} keeps every segment >= {floor}"
        return _kmeans(matrix, lo, weights)[0], {"k": lo, "method": why}
    # Two-way splits agree with each other far more often than finer ones even on structureless data,
    # so k=2 has to beat every finer count by K2_MARGIN; otherwise the most stable finer count wins.
    finer = {k: v for k, v in scores.items() if k > 2}
    if not finer or scores.get(2, -1.0) >= max(finer.values()) + K2_MARGIN:
        k = min(scores)
    else:
        k = max(sorted(finer), key=lambda k: finer[k])
    return fits[k], {"k": k, "method": "stability", "stability": scores, "min_size": floor}


def theme_lift(counts: np.ndarray, members: np.ndarray, min_participants: int = 2) -> list[tuple[int, float]]:
    """Themes by lift (share of the segment's themed chunks / share overall), most distinctive first.

    A theme needs `min_participants` members mentioning it (fewer when the segment is tiny).
    """
    seg = counts[members]
    seg_total, all_total = seg.sum(), counts.sum()
    if seg_total == 0 or all_total == 0:
        return []
    need = min(min_participants, max(1, int(members.sum())))
    people = (seg > 0).sum(axis=0)
    out = []
    for t in range(counts.shape[1]):
        if people[t] < need or seg[:, t].sum() == 0:
            continue
        lift = (seg[:, t].sum() / seg_total) / (counts[:, t].sum() / all_total)
        out.append((t, round(float(lift), 3)))
    return sorted(out, key=lambda x: (-x[1], x[0]))


def describe_segments(
    profiles: Profiles,
    labels: np.ndarray,
    themes: Sequence[Theme],
    participants: dict[str, Participant],
    ratings: dict[str, float],
    choice: dict,
) -> list[Segment]:
    """Segment records, largest first: members, themes by lift, attributes and a label."""
    label_of = {t.id: t.label for t in themes}
    segments = []
    total = len(profiles.participant_ids)
    for cluster in sorted(set(labels.tolist()), key=lambda c: (-int((labels == c).sum()), c)):
        members = labels == cluster
        pids = [p for p, m in zip(profiles.participant_ids, members, strict=True) if m]
        lifted = theme_lift(profiles.theme_counts, members)
        # Defining themes: those the segment mentions more than everyone does (at least two, when it has two).
        defining = [t for t, lift in lifted if lift >= 1.0] or [t for t, _ in lifted[:2]]
        theme_ids = [profiles.theme_ids[t] for t in defining]
        kinds = Counter(participants[p].kind.value for p in pids)
        rated = [ratings[p] for p in pids if p in ratings]
        products = Counter(str(participants[p].metadata["product"]) for p in pids
                           if participants[p].metadata.get("product"))
        attributes = {
            "participants": len(pids),
            "share": round(len(pids) / total, 3) if total else 0.0,
            "kinds": dict(sorted(kinds.items())),
            "chunks": sum(len(profiles.chunk_ids[p]) for p in pids),
            "theme_lift": {profiles.theme_ids[t]: lift for t, lift in lifted[:8]},
            "k_choice": choice,
        }
        if rated:
            attributes["mean_rating"] = round(float(np.mean(rated)), 2)
            attributes["rated"] = len(rated)
        if products:
            attributes["products"] = dict(products.most_common(5))
        label = " + ".join(label_of[t] for t in theme_ids[:2]) or f"Segment {len(segments) + 1}"
        segments.append(Segment(id=stable_id("seg", *sorted(pids)), label=label, participant_ids=pids,
                                theme_ids=theme_ids, attributes=attributes))
    return segments
