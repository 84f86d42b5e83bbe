"""The clustering core: unit vectors in, a partition with explicit outliers out (no database, no LLM).

Stages, each a small function so any one can be swapped:
  units      the points themselves (up to EXACT_MAX), else MiniBatchKMeans micro-clusters
             (MICRO_UNITS of them) over a seeded PCA reduction: memory stays O(N * d).
  graph      a symmetric k-nearest-neighbour graph over units, cosine-weighted; micro-cluster
             edges are scaled by sqrt(size_i * size_j) so big micro-clusters pull as hard as
             the points they stand for.
  spectral   the top eigenvectors of the normalized adjacency D^-1/2 A D^-1/2 (Ng-Jordan-Weiss).
  choose k   for each k in [2, k_max]: k-means (10 seeded restarts) on the row-normalized first
             k eigenvectors, scored by the modularity of the induced partition on a kNN graph of
             (a seeded sample of at most SAMPLE_MAX) points; the fewest themes within one
             standard deviation (across restarts) of the best score win.
  assign     clusters under `min_size` dissolve into the nearest surviving centroid; then a
             point farther from its own centroid than that cluster's Tukey fence
             (Q3 + 1.5 IQR of its members' cosine distances) is unassigned, and keeps its nearest
             centroid and distance. Only genuine outliers are left out (about 1-3% on real corpora).
Everything is seeded; the same vectors in the same order give the same partition.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

EXACT_MAX = 4000  # up to this many points, the graph is built over the points themselves
MICRO_UNITS = 2000  # micro-clusters above EXACT_MAX
REDUCE_DIMS = 64  # PCA dimensions for the micro-cluster path
SAMPLE_MAX = 3000  # points in the graph that scores each k
NEIGHBORS = 10
DEFAULT_MAX_THEMES = 30
# How the automatic count is chosen: the fewest themes whose modularity is within this many standard
# deviations (across k-means restarts) of the best. coarse: Breiman's one-standard-error rule; fine: the
# best-scoring count itself; auto: tuned on the train rows of the labelled sets (evals/bench_themes.py).
# fine: the most themes within one standard deviation of the best.
GRANULARITY = {"coarse": (1.0, "fewest"), "auto": (0.0, "fewest"), "fine": (1.0, "most")}
FENCE = 1.5  # Tukey's fence multiplier
RESTARTS = 10  # k-means runs per candidate k
BLOCK = 2048  # rows per block in all-pairs work, to bound memory


def default_min_size(n: int) -> int:
    """Half a percent of the chunks, at least 3."""
    return max(3, math.ceil(0.005 * n))


@dataclass
class Clustering:
    """A partition of the input rows: `labels[i]` is a cluster index, or -1 when unassigned."""

    labels: np.ndarray  # (n,) int
    nearest: np.ndarray  # (n,) int: own cluster when assigned, nearest centroid when not (-1: no clusters)
    distance: np.ndarray  # (n,) float: cosine distance to that centroid
    centroids: np.ndarray  # (k, d) unit vectors in the input space
    stats: dict = field(default_factory=dict)

    @property
    def k(self) -> int:
        return int(self.centroids.shape[0])


def normalize(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def cluster_vectors(
    vectors: np.ndarray,
    min_size: int | None = None,
    max_themes: int | None = None,
    *,
    seed: int = 0,
    neighbors: int = NEIGHBORS,
    k: int | None = None,
    granularity: str = "auto",
    sample_weight: np.ndarray | None = None,
) -> Clustering:
    """Partition unit vectors into an automatically chosen number of clusters, with explicit outliers.

    k: exactly this many clusters (no cluster dissolves; outliers are still listed); granularity: how the
    automatic count is chosen (GRANULARITY); sample_weight: how many chunks each row stands for (e.g.
    folded near-duplicates), 1 each by default.
    """
    if granularity not in GRANULARITY:
        raise ValueError(f"granularity must be one of {', '.join(GRANULARITY)}, not {granularity!r}")
    import sklearn.cluster  # noqa: F401 - load its OpenMP runtime first, so the limit below reaches it
    from threadpoolctl import threadpool_limits

    # Many small k-means fits: OpenMP thread start-up and spin-waiting cost far more than they
    # save here, and on a busy machine they cost 10-40x. BLAS keeps its threads.
    with threadpool_limits(limits=1, user_api="openmp"):
        return _cluster(vectors, min_size, max_themes, seed, neighbors, k, granularity, sample_weight)


def _cluster(vectors, min_size, max_themes, seed, neighbors, k, granularity, sample_weight) -> Clustering:
    x = normalize(vectors)
    n = x.shape[0]
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    total = int(round(w.sum()))  # chunks the rows stand for: sizes and min_size count folded copies
    min_size = 1 if k else max(1, min_size or default_min_size(total))
    stats: dict = {"chunks": total, "min_size": min_size, "granularity": f"exactly {k}" if k else granularity}
    if total != n:
        stats["distinct"] = n
    if n < 2 or total < min_size:
        return _empty(x, stats)
    space, units, weights, unit_of = build_units(x, seed, sample_weight)
    stats["units"] = int(units.shape[0])
    if k == 1 or (k and units.shape[0] < 3):
        stats.update(k_chosen=1, scores={})
        return assign(x, np.zeros(n, dtype=np.int64), min_size, stats, w)
    if k:
        k = min(k, units.shape[0] - 1)
        graph = knn_graph(units, neighbors, weights)
        eigvecs = spectral_embedding(graph, k, seed)
        sample, sample_graph = _scoring_graph(space, units, graph, unit_of, neighbors, seed)
        unit_labels, scores = choose_partition(eigvecs, weights, unit_of, sample, sample_graph, k, seed, k_min=k)
        labels = unit_labels[unit_of]
        stats.update(k_chosen=int(labels.max() + 1), scores=scores)
        return assign(x, labels, min_size, stats, w)
    k_max = min(max_themes or DEFAULT_MAX_THEMES, units.shape[0] - 1, total // min_size)
    if k_max < 2:
        labels = np.zeros(n, dtype=np.int64)
        stats.update(k_chosen=1, scores={})
    else:
        graph = knn_graph(units, neighbors, weights)
        eigvecs = spectral_embedding(graph, k_max, seed)
        sample, sample_graph = _scoring_graph(space, units, graph, unit_of, neighbors, seed)
        unit_labels, scores = choose_partition(eigvecs, weights, unit_of, sample, sample_graph, k_max, seed,
                                               rule=GRANULARITY[granularity])
        labels = unit_labels[unit_of]
        stats.update(k_chosen=int(labels.max() + 1), scores=scores)
    return assign(x, labels, min_size, stats, w)


# units -------------------------------------------------------------------------------------------
def build_units(x: np.ndarray, seed: int, sample_weight: np.ndarray | None = None):
    """(space, units, weights, unit_of): the points as they are, or micro-clusters of a PCA reduction."""
    n = x.shape[0]
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    if n <= EXACT_MAX:
        return x, x, w, np.arange(n)
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import PCA

    space = x
    if x.shape[1] > REDUCE_DIMS:
        pca = PCA(REDUCE_DIMS, svd_solver="randomized", random_state=seed)
        pca.fit(x[np.random.RandomState(seed).choice(n, min(n, 20000), replace=False)])
        space = normalize(_blocks(x, pca.transform))
    # Random init: k-means++ over 2000 centres costs a minute and buys nothing for over-clustering.
    km = MiniBatchKMeans(
        n_clusters=min(MICRO_UNITS, n // 5), init="random", batch_size=4096, n_init=1, max_no_improvement=20,
        reassignment_ratio=0.0, random_state=seed,
    ).fit(space, sample_weight=None if np.all(w == 1) else w)
    unit_of = km.labels_.astype(np.int64)
    counts = np.bincount(unit_of, weights=w, minlength=km.n_clusters)
    used = np.flatnonzero(counts)  # drop empty micro-clusters, renumber the rest
    remap = np.full(km.n_clusters, -1, dtype=np.int64)
    remap[used] = np.arange(used.size)
    return space, normalize(km.cluster_centers_[used]), counts[used].astype(float), remap[unit_of]


def _blocks(x: np.ndarray, fn) -> np.ndarray:
    return np.vstack([fn(x[i : i + BLOCK * 8]) for i in range(0, x.shape[0], BLOCK * 8)])


# graph and spectrum ------------------------------------------------------------------------------
def knn_graph(units: np.ndarray, neighbors: int, weights: np.ndarray | None = None):
    """Symmetric sparse kNN graph with cosine weights (floored just above zero so no row is empty)."""
    import scipy.sparse as sp

    n = units.shape[0]
    nn = max(1, min(neighbors, n - 1))
    rows, cols, vals = [], [], []
    for start in range(0, n, BLOCK):
        sims = units[start : start + BLOCK] @ units.T
        local = np.arange(sims.shape[0])
        sims[local, start + local] = -np.inf  # no self-loops
        idx = np.argpartition(-sims, nn - 1, axis=1)[:, :nn]
        rows.append(np.repeat(start + local, nn))
        cols.append(idx.ravel())
        vals.append(sims[np.repeat(local, nn), idx.ravel()])
    w = np.maximum(np.concatenate(vals), 0.0) + 1e-3
    a = sp.csr_matrix((w, (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    a = a.maximum(a.T)
    if weights is not None and not np.all(weights == 1):
        s = sp.diags(np.sqrt(weights))
        a = s @ a @ s
    return a.tocsr()


def spectral_embedding(graph, k_max: int, seed: int) -> np.ndarray:
    """The k_max + 1 leading eigenvectors of D^-1/2 A D^-1/2, largest eigenvalue first."""
    import scipy.sparse as sp
    from scipy.linalg import eigh
    from scipy.sparse.linalg import eigsh

    n = graph.shape[0]
    deg = np.asarray(graph.sum(axis=1)).ravel()
    inv = sp.diags(1.0 / np.sqrt(deg))
    m = (inv @ graph @ inv).astype(np.float64)
    count = min(k_max + 1, n)
    if n <= 600 or count >= n - 1:
        vals, vecs = eigh(m.toarray(), subset_by_index=[n - count, n - 1])
    else:
        v0 = np.random.RandomState(seed).uniform(0.5, 1.5, n)  # fixed start: a deterministic Lanczos run
        vals, vecs = eigsh(m, k=count, which="LA", v0=v0, tol=1e-8)
    order = np.argsort(-vals, kind="stable")
    vecs = vecs[:, order]
    signs = np.sign(vecs[np.argmax(np.abs(vecs), axis=0), np.arange(vecs.shape[1])])
    return vecs * np.where(signs == 0, 1.0, signs)  # eigenvector signs are arbitrary: fix them


# choosing k --------------------------------------------------------------------------------------
def _scoring_graph(space, units, graph, unit_of, neighbors, seed):
    """The points that score each k, and their kNN graph (the unit graph itself when units are points)."""
    n = unit_of.shape[0]
    if units.shape[0] == n:
        return np.arange(n), graph
    sample = np.sort(np.random.RandomState(seed).choice(n, min(n, SAMPLE_MAX), replace=False))
    return sample, knn_graph(space[sample], neighbors)


def modularity(graph, labels: np.ndarray) -> float:
    """Newman modularity of a partition of a weighted undirected graph."""
    import scipy.sparse as sp

    k = int(labels.max()) + 1
    h = sp.csr_matrix((np.ones(labels.size), (np.arange(labels.size), labels)), shape=(labels.size, k))
    inside = (h.T @ graph @ h).diagonal()
    degree = np.asarray(h.T @ graph.sum(axis=1)).ravel()
    total = float(graph.sum())
    return float(inside.sum() / total - np.sum((degree / total) ** 2))


def choose_partition(eigvecs, weights, unit_of, sample, sample_graph, k_max, seed, *, k_min: int = 2,
                     rule: tuple[float, str] = (1.0, "fewest")):
    """Unit labels for the fewest themes whose modularity is within `rule` standard errors of the best.

    Each k gets RESTARTS k-means runs; its score is the best run's modularity, its noise the spread
    of modularity across runs. Differences inside that noise are ties, and ties go to fewer themes
    (Breiman's one-standard-error rule): a split the data does not clearly support is not made.
    """
    from sklearn.cluster import KMeans

    found: dict[int, tuple[float, float, np.ndarray]] = {}
    for k in range(max(2, k_min), k_max + 1):
        emb = normalize(eigvecs[:, :k])
        runs = []
        for restart in range(RESTARTS):
            labels = _compact(KMeans(k, n_init=1, random_state=seed + restart).fit_predict(emb, sample_weight=weights))
            runs.append((modularity(sample_graph, _compact(labels[unit_of[sample]])), restart, labels))
        q, _, labels = max(runs, key=lambda r: (r[0], -r[1]))
        found[k] = (q, float(np.std([r[0] for r in runs])), labels)
    best = max(found, key=lambda k: (found[k][0], -k))
    floor = found[best][0] - rule[0] * found[best][1]
    within = [k for k in found if found[k][0] >= floor]
    chosen = min(within) if rule[1] == "fewest" else max(within)
    scores = {k: round(q, 4) for k, (q, _, _) in found.items()}
    return found[chosen][2], {"modularity": scores, "best_k": best, "tie_floor": round(floor, 4)}


def _compact(labels: np.ndarray) -> np.ndarray:
    """Renumber labels 0..m-1 in order of first appearance."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")
    return rank[inverse].astype(np.int64)


# assignment --------------------------------------------------------------------------------------
def assign(x: np.ndarray, labels: np.ndarray, min_size: int, stats: dict, weight: np.ndarray | None = None) -> Clustering:
    """Dissolve small clusters, order clusters by size, and unassign points beyond their Tukey fence.

    weight: chunks each row stands for (folded copies): sizes, centroids and counts are weighted."""
    w = np.ones(x.shape[0]) if weight is None else weight
    sizes = np.bincount(labels, weights=w)

    def mean(mask):
        return (x[mask] * w[mask, None]).sum(axis=0)

    keep = np.flatnonzero(sizes >= min_size)
    if keep.size == 0:
        return _empty(x, stats)
    centroids = normalize(np.vstack([mean(labels == c) for c in keep]))
    own = np.searchsorted(keep, labels)
    kept = np.isin(labels, keep)
    moved = ~kept
    if moved.any():  # members of dissolved clusters join the nearest surviving centroid
        own[moved] = np.argmax(x[moved] @ centroids.T, axis=1)
    centroids = normalize(np.vstack([mean(own == c) for c in range(keep.size)]))
    dist = 1.0 - np.einsum("ij,ij->i", x, centroids[own])
    fence = np.empty(keep.size)
    for c in range(keep.size):
        q1, q3 = np.percentile(dist[own == c], [25, 75])
        fence[c] = q3 + FENCE * (q3 - q1)
    outlier = dist > fence[own]
    nearest = own.copy()
    rehomed = 0
    if outlier.any():
        rows = np.flatnonzero(outlier)
        sims = x[rows] @ centroids.T
        nearest[rows] = np.argmax(sims, axis=1)
        dist[rows] = 1.0 - sims.max(axis=1)
        # Beyond its own fence but inside the fence of a closer theme: it belongs there.
        fits = (nearest[rows] != own[rows]) & (dist[rows] <= fence[nearest[rows]])
        own[rows[fits]] = nearest[rows[fits]]
        outlier[rows[fits]] = False
        rehomed = int(fits.sum())
    # Final order: by assigned size (outliers set aside can reorder near-equal clusters).
    kept_counts = np.bincount(own[~outlier], weights=w[~outlier], minlength=keep.size)
    order = np.lexsort((np.arange(keep.size), -kept_counts))
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    own, nearest, centroids = rank[own], rank[nearest], centroids[order]
    labels_out = np.where(outlier, -1, own)
    stats.update(
        themes=int(keep.size), dissolved=int(sizes.size - keep.size), moved=int(moved.sum()), rehomed=rehomed,
        unassigned=int(round(w[outlier].sum())), unassigned_share=round(float(w[outlier].sum() / w.sum()), 4),
    )
    return Clustering(labels_out.astype(np.int64), nearest.astype(np.int64), dist.astype(np.float64), centroids, stats)


def _empty(x: np.ndarray, stats: dict) -> Clustering:
    n = x.shape[0]
    stats.update(themes=0, unassigned=n, unassigned_share=1.0 if n else 0.0)
    return Clustering(
        np.full(n, -1, dtype=np.int64), np.full(n, -1, dtype=np.int64), np.ones(n),
        np.zeros((0, x.shape[1]), dtype=np.float32), stats,
    )
