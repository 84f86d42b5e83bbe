"""Segments of people, not topics: profile each participant, cluster the profiles, describe each cluster.

A participant's profile joins four blocks, each L2-normalized, then weighted (WEIGHTS):
  - theme mix: chunks per theme, TF-IDF weighted (a theme everyone mentions says little);
  - vocabulary: a 10-dimension LSA of the TF-IDF of everything they said. Who someone is shows
    in the words around the topic ("my kids", "on a budget", "my macros"), which theme labels and
    sentence embeddings (both about the topic) mostly miss; on the sample corpus this block
    more than doubles agreement with the segment truth (evals/bench_segments.py);
  - meaning: the mean embedding of their chunks, which places one-line reviewers too;
  - metadata, lightly: star-rating bucket and product, where present. Not the kind of source:
    a segment is people, whatever they wrote.
Clustering is k-means with fixed seeds. The count is chosen in 2..8 by stability: how much
clusterings of seeded 80% subsamples agree (ARI), among the counts where every segment holds at
least MIN_SHARE of the participants; `n` forces it. Same inputs, same segments. Participants with
nothing quotable (every line a "Right.") are left out of the fit and join the nearest segment, so
none founds a segment of its own.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from synth.records import Chunk, Participant, Role, Segment, Theme, stable_id

K_RANGE = (2, 8)
MIN_SHARE = 0.05  # every automatic segment holds at least this share of the participants
WEIGHTS = {"themes": 0.5, "words": 1.0, "meaning": 0.25, "meta": 0.25}
LSA_DIMENSIONS = 10
SUBSAMPLES = 10  # seeded 80% subsamples per k for the stability score
K2_MARGIN = 0.1
SEED = 0


@dataclass
class Profiles:
    """One row per participant: the profile matrix and what it was built from."""

    participant_ids: list[str]
    matrix: np.ndarray
    theme_ids: list[str]
    theme_counts: np.ndarray  # participants x themes: chunk counts
    chunk_ids: dict[str, list[str]] = field(default_factory=dict)


def _l2(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return np.divide(rows, norms, out=np.zeros_like(rows, dtype=np.float64), where=norms > 0)


def _theme_block(counts: np.ndarray) -> np.ndarray:
    if counts.shape[1] == 0:
        return counts
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(counts)) / (1 + df)) + 1.0
    return _l2(np.log1p(counts) * idf)


def _words_block(texts: list[str]) -> np.ndarray:
    """LSA of the participants' words; empty when the vocabulary is too small to say anything."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n < 4:
        return np.zeros((n, 0))
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2, max_df=0.3 if n >= 20 else 1.0)
    try:
        tfidf = vectorizer.fit_transform(texts)
    except ValueError:  # no word occurs twice: nothing shared to profile by
        return np.zeros((n, 0))
    dims = min(LSA_DIMENSIONS, tfidf.shape[1] - 1, n - 1)
    if dims < 2:
        return _l2(tfidf.toarray())
    return _l2(TruncatedSVD(dims, algorithm="arpack", random_state=SEED).fit_transform(tfidf))


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
) -> Profiles:
    """Profiles for every participant with at least one evidence chunk, in participant-id order."""
    ratings = ratings or {}
    themes = [t for t in themes if t.substantive]  # small-talk themes never define a segment (synth.substance)
    by_person: dict[str, list[Chunk]] = defaultdict(list)
    for c in chunks:
        if c.participant_id and c.role == Role.participant:
            by_person[c.participant_id].append(c)
    people = sorted((p for p in participants if p.id in by_person), key=lambda p: p.id)
    ids = [p.id for p in people]
    themes_of: dict[str, list[int]] = defaultdict(list)
    for t_index, theme in enumerate(themes):
        for cid in theme.chunk_ids:
            themes_of[cid].append(t_index)
    counts = np.zeros((len(ids), len(themes)))
    for row, pid in enumerate(ids):
        for c in by_person[pid]:
            for t_index in themes_of.get(c.id, ()):
                counts[row, t_index] += 1
    dim = len(next(iter(vectors.values()))) if vectors else 0
    meaning = np.zeros((len(ids), dim))
    for row, pid in enumerate(ids):
        got = [vectors[c.id] for c in by_person[pid] if c.id in vectors]
        if got:
            meaning[row] = np.mean(got, axis=0)
    blocks = {
        "themes": _theme_block(counts),
        "words": _words_block([" ".join(c.text for c in by_person[pid]) for pid in ids]),
        "meaning": _l2(meaning),
        "meta": _meta_block(people, ratings),
    }
    matrix = np.hstack([WEIGHTS[name] * block for name, block in blocks.items() if block.shape[1]])
    if matrix.shape[1] == 0:
        matrix = np.ones((len(ids), 1))
    return Profiles(ids, matrix, [t.id for t in themes], counts, {pid: [c.id for c in by_person[pid]] for pid in ids})


def _kmeans(matrix: np.ndarray, k: int, seed: int = SEED, n_init: int = 10) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.cluster import KMeans

    km = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(matrix)
    return km.labels_, km.cluster_centers_


def _stability(matrix: np.ndarray, k: int) -> float:
    """Mean pairwise agreement (ARI) of clusterings fitted on seeded 80% subsamples, scored on everyone."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score

    rng = np.random.default_rng(SEED)
    n = len(matrix)
    labelings = []
    for b in range(SUBSAMPLES):
        rows = np.sort(rng.choice(n, max(k + 1, int(0.8 * n)), replace=False))
        km = KMeans(n_clusters=k, n_init=4, random_state=b).fit(matrix[rows])
        labelings.append(km.predict(matrix))
    return float(np.mean([adjusted_rand_score(a, b) for a, b in itertools.combinations(labelings, 2)]))


def cluster_profiles(
    matrix: np.ndarray, n: int | None = None, fit_rows: np.ndarray | None = None
) -> tuple[np.ndarray, dict]:
    """Labels 0..k-1 and how k was chosen: forced, or the most stable k with every segment big enough.

    fit_rows: a mask of the rows the segments are found on (default: all); every other row joins the
    segment whose centre is nearest, so it can never make a segment of its own.
    """
    from threadpoolctl import threadpool_limits

    # One thread: for a few thousand rows thread start-up costs more than it saves, many times over
    # on a busy machine.
    with threadpool_limits(1):
        if fit_rows is None or fit_rows.all():
            return _cluster(matrix, n)
        fitted, choice = _cluster(matrix[fit_rows], n)
        found = np.unique(fitted)
        centres = np.array([matrix[fit_rows][fitted == k].mean(axis=0) for k in found])
        rest = matrix[~fit_rows]
        nearest = np.argmin(((rest[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
        labels = np.empty(len(matrix), dtype=int)
        labels[fit_rows], labels[~fit_rows] = fitted, found[nearest]
        return labels, {**choice, "joined_nearest": int((~fit_rows).sum())}


def _cluster(matrix: np.ndarray, n: int | None) -> tuple[np.ndarray, dict]:
    count = len(matrix)
    if n is not None:
        k = max(1, min(n, count))
        labels = np.zeros(count, dtype=int) if k == 1 else _kmeans(matrix, k)[0]
        return labels, {"k": k, "method": "forced"}
    lo, hi = K_RANGE
    hi = min(hi, count // 2)
    if count < 4 or hi < lo:
        return np.zeros(count, dtype=int), {"k": 1, "method": "too few participants to split"}
    floor = max(2, int(np.ceil(MIN_SHARE * count)))
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    for k in range(lo, hi + 1):
        labels = _kmeans(matrix, k)[0]
        if np.bincount(labels, minlength=k).min() < floor:
            continue
        fits[k] = labels
        scores[k] = round(_stability(matrix, k), 4)
    if not scores:
        return _kmeans(matrix, lo)[0], {"k": lo, "method": f"no k in {lo}..{hi} keeps every segment >= {floor}"}
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
