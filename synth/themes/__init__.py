"""Themes: what participants talk about, as named, stable clusters of their chunks with exemplar quotes.

    run = build_themes(settings)                   # cluster, name, store; a re-run on unchanged data is free
    run.themes, run.unassigned, run.changes        # Theme / Unassigned records; new, grown, shrunk, removed
    rename_theme(settings, "thm_1a2b", "Shared list sync")
    merge_themes(settings, "thm_1a2b", ["thm_9f8e"])
    load_themes(settings)                          # the stored run, for later stages

Method (each stage a function in synth.themes.cluster / represent / stable):
1. Input: every chunk spoken by a participant (interviewer turns never become chunks, and chunks of
   unknown role are left out), ordered by chunk id, with its L2-normalized embedding from the
   workspace's vector store. Nothing is re-embedded.
2. Units: up to 4,000 chunks are clustered directly. Above that, a seeded PCA to 64 dimensions and
   MiniBatchKMeans over-clustering into 2,000 micro-clusters stand in for the points, so memory is
   O(N * d) and 100k chunks cluster in seconds.
3. Graph: a symmetric 10-nearest-neighbour graph over the units with cosine weights (micro-cluster
   edges scaled by their sizes).
4. Spectral partition with automatic k: the leading eigenvectors of the normalized adjacency;
   for every k from 2 to min(max_themes [30], N / min_size), k-means (10 seeded restarts) on the
   row-normalized first k eigenvectors, each partition scored by its modularity on the chunk kNN
   graph (a seeded sample of 3,000 chunks at scale). The fewest themes whose score is within one
   standard deviation across restarts of the best score win (the one-standard-error rule: a split
   the data does not clearly support is not made). Graph clustering follows the shape of the data
   the way UMAP + HDBSCAN does, but every chunk is placed.
5. Assignment: clusters under min_size [0.5% of chunks, at least 3] dissolve into the nearest
   surviving centroid. A chunk farther from its centroid than that cluster's Tukey fence
   (Q3 + 1.5 IQR of member cosine distances) is unassigned, listed with its nearest theme and
   distance: an explicit list, typically 1-3% of chunks, never a silent outlier bucket.
6. Stable ids: new clusters take the id of the previous run's cluster they overlap most (Jaccard
   over chunks present in both runs, Hungarian matching, >= 0.3; then centroid cosine >= 0.85);
   others get ids hashed from their most central chunk ids. User renames and merges are stored as
   edits and replayed after every run; the report lists themes that are new, grew, shrank or went.
7. Representation: keywords by class-based TF-IDF over unigrams and bigrams, with stop words and
   spoken filler ("um", "like", "you know", "kinda") removed; 3-5 exemplars nearest the centroid,
   no two with cosine > 0.9, distinct participants first; size in chunks and participants and the
   source kinds that feed it; label and one-sentence description from the LLM layer's `label_theme`
   task (the offline drafter unless a model is configured); over 12 themes, average-linkage groups
   of theme centroids (3-6, by silhouette) named by their top keywords.
8. Substance: each chunk is judged by synth.substance (greetings, fillers, audio checks, masks,
   another language than the study's); a theme more than half made of such chunks is marked
   `substantive=False`: listed, but never a segment's defining theme. The run's stats count what
   was set aside, by reason.
Deterministic throughout: fixed seeds, fixed Lanczos start vector, sorted inputs, stable tie-breaks.
A run is cached on a fingerprint of the chunk ids, embedder, options, edits and model id.
"""

from synth.themes.build import ThemeRun, ThemesError, build_themes, load_themes, merge_themes, rename_theme
from synth.themes.cluster import Clustering, cluster_vectors
from synth.themes.stable import Edit, SizeChange, ThemeChanges

__all__ = [
    "Clustering", "Edit", "SizeChange", "ThemeChanges", "ThemeRun", "ThemesError", "build_themes",
    "cluster_vectors", "load_themes", "merge_themes", "rename_theme",
]
