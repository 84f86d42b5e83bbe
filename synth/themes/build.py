"""The themes stage: participant chunks and their vectors in, stable named themes out (see synth.themes)."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from synth.config import Settings
from synth.records import Chunk, Role, Theme, Unassigned, stable_id
from synth.search import WorkspaceError, open_store
from synth.store import Store
from synth.themes.cluster import GRANULARITY, Clustering, cluster_vectors, normalize
from synth.themes.labels import describe, offline_labels
from synth.themes.labels import VERSION as LABELS
from synth.themes.neutral import VERSION as NEUTRAL
from synth.themes.neutral import CorpusNames, find_names, neutral_text
from synth.themes.represent import class_keywords, group_themes, label_themes, pick_exemplars
from synth.themes.set_aside import VERSION as SUBSTANCE
from synth.themes.set_aside import judge_chunks, mark_themes, name_small_talk
from synth.themes.statements import count_kinds, statement_kinds
from synth.themes.stable import Edit, ThemeChanges, apply_edits, diff_sizes, fresh_id, match_clusters
from synth.themes.store import RawClusters, ThemeStore, fetch_vectors

METHOD = "knn-spectral-modularity/2"  # part of the fingerprint: a new method re-clusters
GROUP_KEYWORDS = 3


class ThemesError(WorkspaceError):
    """Themes cannot be built or edited as asked; the message says what to do."""


class UnknownTheme(ThemesError):
    """A theme id that matches no theme (or several): a usage error."""

    exit_code = 2


class ThemeRun(BaseModel):
    """The result of `synth themes`: themes, unassigned chunks and what changed since the last run."""

    themes: list[Theme]
    unassigned: list[Unassigned] = Field(default_factory=list)
    changes: ThemeChanges = Field(default_factory=ThemeChanges)
    stats: dict[str, Any] = Field(default_factory=dict)
    skipped_edits: list[str] = Field(default_factory=list)  # edits naming themes that are gone
    quotes: dict[str, dict[str, Any]] = Field(default_factory=dict)  # exemplar chunk id -> text, speaker, ...
    cached: bool = False  # nothing changed: the stored run was returned as is
    stale: bool = False  # (load_themes) chunks were added or removed since this run

    def __iter__(self):  # type: ignore[override] - `list(run)` is its themes, as later stages expect
        return iter(self.themes)

    def __len__(self) -> int:
        return len(self.themes)

    @property
    def unassigned_share(self) -> float:
        total = sum(t.size for t in self.themes) + len(self.unassigned)
        return len(self.unassigned) / total if total else 0.0


def build_themes(
    settings: Settings, min_size: int | None = None, max_themes: int | None = None, llm=None, *, force: bool = False,
    themes: int | None = None, granularity: str | None = None,
) -> ThemeRun:
    """Cluster the workspace's participant chunks into themes, keep ids stable, replay edits, store the run.

    min_size: smallest theme in chunks (default: 0.5% of chunks, at least 3); max_themes: upper
    bound on the number of themes (default 30); themes: exactly this many themes (before merges);
    granularity: "coarse", "auto" (default) or "fine" for the automatic count; llm: a synth.llm.LLM
    (default: the configured one, offline unless set); force: recompute even when nothing changed.
    """
    for name, value in (("min_size", min_size), ("max_themes", max_themes), ("themes", themes)):
        if value is not None and value < 1:
            raise ThemesError(f"{name} must be at least 1, not {value}")
    if granularity is not None and granularity not in GRANULARITY:
        raise UnknownTheme(f"granularity must be one of {', '.join(GRANULARITY)}, not {granularity!r}")
    if themes is not None and granularity is not None:
        raise UnknownTheme("give either --themes N or --granularity, not both")
    with open_store(settings) as store:  # first: a missing workspace is an error, not a new database
        own_llm = llm is None
        if own_llm:
            from synth.llm import open_llm

            llm = open_llm(settings.workspace, command="themes")
        try:
            options = {"min_size": min_size, "max_themes": max_themes, "themes": themes,
                       "granularity": granularity or "auto"}
            return _build(store, settings, options, llm, force)
        finally:
            if own_llm:
                llm.close()


def load_themes(settings: Settings | Store) -> ThemeRun:
    """The stored themes of the last run, with its change report; `stale` when chunks changed since.

    Takes settings, or a workspace Store that is already open. A ThemeRun iterates over its themes.
    """
    if isinstance(settings, Store):
        return _load(settings)
    with open_store(settings) as store:
        return _load(store)


def _load(store: Store) -> ThemeRun:
    ts = ThemeStore(store.db)
    stale = bool(ts.meta("fingerprint")) and set(_participant_ids(store)) != ts.raw().universe
    return _stored_run(store, ts, stale=stale)


def rename_theme(settings: Settings, theme_id: str, label: str) -> Theme:
    """Give a theme a user label; it survives re-runs for as long as the theme keeps its id."""
    label = " ".join(label.split())
    if not label:
        raise ThemesError("the new label is empty; give a few words, e.g. \"Shared list sync\"")
    with open_store(settings) as store:
        ts = ThemeStore(store.db)
        themes = ts.themes()
        tid = _resolve(themes, theme_id)
        edits = ts.edits()
        meta: dict[str, str] = {}
        cfp, model = ts.meta("cluster_fingerprint") or "", ts.meta("llm_model") or ""
        if ts.meta("fingerprint") == _fingerprint(cfp, edits, model):  # stored run is current: keep it so
            meta["fingerprint"] = _fingerprint(cfp, [*edits, Edit(seq=0, action="rename", theme_id=tid, value=label)], model)
        ts.rename(tid, label, meta)
        return next(t for t in ts.themes() if t.id == tid)


def merge_themes(settings: Settings, keep_id: str, other_ids: list[str], llm=None) -> ThemeRun:
    """Merge themes into `keep_id` (which keeps its id and any user label); re-applied after every run."""
    with open_store(settings) as store:
        ts = ThemeStore(store.db)
        themes = ts.themes()
        keep = _resolve(themes, keep_id)
        others = [_resolve(themes, o) for o in other_ids]
        if not others or keep in others or len(set(others)) != len(others):
            raise ThemesError("merge needs a theme to keep and one or more different themes to merge into it")
        for other in others:
            ts.add_edit("merge", keep, other)
        options = json.loads(ts.meta("options") or "{}")
    return build_themes(settings, options.get("min_size"), options.get("max_themes"), llm,
                        themes=options.get("themes"), granularity=options.get("granularity"))


# the run -----------------------------------------------------------------------------------------
def _build(store, settings: Settings, options: dict, llm, force: bool) -> ThemeRun:
    started = time.perf_counter()
    ts = ThemeStore(store.db)
    chunks = sorted((c for c in store.chunks() if c.role == Role.participant), key=lambda c: c.id)
    if not chunks:
        raise ThemesError("the workspace has no participant chunks to cluster; run `synth ingest FOLDER` first")
    ids = [c.id for c in chunks]
    folds = _folds(store, ids)  # near-duplicate copies (synth.dedupe): read, judged and embedded once
    cfp = _cluster_fingerprint(settings, ids, options, folds)
    edits = ts.edits()
    fp = _fingerprint(cfp, edits, llm.model_id)
    if not force and ts.meta("fingerprint") == fp:
        run = _stored_run(store, ts)
        run.cached, run.changes = True, ThemeChanges(unchanged=[t.id for t in run.themes])
        run.stats["seconds"] = round(time.perf_counter() - started, 3)
        return run

    from synth.embedders import get_embedder
    from synth.vectors import open_vectors

    vectors = open_vectors(settings)
    every, chunks = chunks, [c for c in chunks if c.id not in folds]  # from here on: distinct texts only
    ids = [c.id for c in chunks]
    weight = Counter(folds.get(c.id, c.id) for c in every)  # chunks each distinct text stands for
    x, missing = fetch_vectors(vectors, ids)
    if missing:
        raise ThemesError(
            f"{len(missing)} of {len(ids)} chunks have no vector for {settings.embedder}; "
            "run `synth ingest` on the same folders again to embed them"
        )
    # What, not who: names of who is addressed or speaking leave the text that is clustered and labelled.
    names = find_names([c.text for c in chunks], speakers={c.speaker for c in chunks}, metadata=_metadata(store))
    pattern = names.pattern()

    def neutral(text: str) -> str:
        return neutral_text(text, names, pattern)

    texts = [neutral(c.text) for c in chunks]
    judged = judge_chunks(ids, [c.text for c in chunks], neutral)
    kinds = dict(zip(ids, statement_kinds(texts)))
    embedder = get_embedder(settings.embedder)
    changed = [i for i, c in enumerate(chunks) if texts[i] != c.text and texts[i] and judged.reasons[c.id] is None]
    for start in range(0, len(changed), 256):
        part = changed[start : start + 256]
        x[part] = embedder.embed([texts[i] for i in part])
    x = normalize(x)
    keep = [i for i, c in enumerate(chunks) if judged.reasons[c.id] is None]
    kept = [chunks[i] for i in keep]
    xk, tk = x[keep], [judged.kept[chunks[i].id] for i in keep]  # labels: substantive sentences of neutral text
    previous = ts.raw()
    prev_sizes, prev_labels = ts.sizes()
    if not force and ts.meta("cluster_fingerprint") == cfp and previous.universe == {c.id for c in every}:
        raw, stats = previous, json.loads(ts.meta("cluster_stats") or "{}")  # only edits or the model changed
    else:
        if options.get("themes") and options["themes"] > len(kept):
            raise ThemesError(f"--themes {options['themes']} asks for more themes than the {len(kept)} substantive "
                              "chunks there are; ask for fewer")
        clustering = cluster_vectors(xk, options.get("min_size"), options.get("max_themes"), k=options.get("themes"),
                                     granularity=options.get("granularity") or "auto",
                                     sample_weight=np.array([weight[c.id] for c in kept], dtype=float) if folds else None)
        raw, stats = _identify(clustering, [c.id for c in kept], previous), clustering.stats
        raw.set_aside = {cid: r for cid, r in judged.reasons.items() if r}
        _expand(raw, folds)
    _expand_judged(judged, kinds, folds)
    copies: dict[str, list[Chunk]] = {}
    for c in every:
        if c.id in folds:
            copies.setdefault(folds[c.id], []).append(c)
    final, user_labels, skipped = apply_edits(sorted(raw.centroids), edits)
    themes, centroids = _represent(kept, xk, tk, raw, final, user_labels, llm, embedder, kinds, names, copies)
    said = {c.id: texts[i] for i, c in enumerate(chunks)}  # whole neutral texts: small talk included
    set_aside = mark_themes(judged, themes, said)  # small-talk themes stay listed but define no segment
    name_small_talk(themes)
    unassigned = _unassigned(kept, xk, raw, themes, centroids, folds)
    changes = diff_sizes(prev_sizes, {t.id: t.size for t in themes}, {t.id: t.label for t in themes}, prev_labels)
    run_stats = {
        **stats, "method": METHOD, "chunks": len(every), "distinct": len(ids), "folded": len(folds),
        "clustered": sum(weight[c.id] for c in kept), "themes": len(themes),
        "unassigned": len(unassigned),
        "unassigned_share": round(len(unassigned) / max(1, sum(weight[c.id] for c in kept)), 4), **set_aside,
        "names_neutralised": names.names, "re_embedded": len(changed),
        "statements": count_kinds(list(kinds.values())), "seconds": round(time.perf_counter() - started, 3),
    }
    ts.save(themes, centroids, raw, unassigned, {
        "cluster_fingerprint": cfp, "fingerprint": fp, "llm_model": llm.model_id, "options": json.dumps(options),
        "cluster_stats": json.dumps(stats), "stats": json.dumps(run_stats), "skipped": json.dumps(skipped),
        "changes": changes.model_dump_json(),
    }, kinds)
    from synth.history import record_themes_version

    record_themes_version(store, themes)  # every themes run is a version `synth diff` can compare
    by_id = {c.id: c for c in every}
    return ThemeRun(themes=themes, unassigned=unassigned, changes=changes, stats=run_stats, skipped_edits=skipped,
                    quotes=_quotes([by_id[i] for t in themes for i in t.exemplar_ids], kinds))


def _metadata(store) -> list[dict]:
    """Distinct document metadata (product, brand, ... values name who is addressed)."""
    rows = store.db.execute("SELECT DISTINCT metadata FROM documents")
    return [json.loads(r[0]) for r in rows if r[0]]


def _identify(clustering: Clustering, ids: list[str], previous: RawClusters) -> RawClusters:
    """Name this run's clusters: previous ids where they continue a previous cluster, fresh ids otherwise."""
    k = clustering.k
    rows = [np.flatnonzero(clustering.labels == c) for c in range(k)]
    members = [{ids[i] for i in r} for r in rows]
    matched = match_clusters(previous.members(), previous.centroids, previous.universe, members,
                             clustering.centroids, set(ids))
    taken = set(previous.centroids) | {m for m in matched if m}
    names: list[str] = []
    for c in range(k):
        if matched[c] is None:
            central = rows[c][np.argsort(clustering.distance[rows[c]], kind="stable")]
            matched[c] = fresh_id([ids[i] for i in central[:3]], taken)
            taken.add(matched[c])
        names.append(matched[c])
    raw = RawClusters(centroids={names[c]: clustering.centroids[c] for c in range(k)})
    for i, chunk_id in enumerate(ids):
        label = int(clustering.labels[i])
        raw.distance[chunk_id] = float(clustering.distance[i])
        if label >= 0:
            raw.cluster_of[chunk_id] = names[label]
        else:
            nearest = int(clustering.nearest[i])
            raw.nearest[chunk_id] = names[nearest] if nearest >= 0 else None
    return raw


def _expand(raw: RawClusters, folds: dict[str, str]) -> None:
    """Give every folded copy its distinct text's cluster (or nearest cluster, or set-aside reason) and distance."""
    for copy, canonical in folds.items():
        if canonical in raw.cluster_of:
            raw.cluster_of[copy] = raw.cluster_of[canonical]
        elif canonical in raw.set_aside:
            raw.set_aside[copy] = raw.set_aside[canonical]
            continue
        else:
            raw.nearest[copy] = raw.nearest.get(canonical)
        raw.distance[copy] = raw.distance[canonical]


def _expand_judged(judged, kinds: dict[str, str], folds: dict[str, str]) -> None:
    """A copy reads as its distinct text reads: same substance and statement kind."""
    for copy, canonical in folds.items():
        judged.aside[copy], judged.length[copy] = judged.aside[canonical], judged.length[canonical]
        judged.reasons[copy], judged.kept[copy] = judged.reasons[canonical], judged.kept[canonical]
        kinds[copy] = kinds[canonical]


def _represent(chunks: list[Chunk], x: np.ndarray, texts: list[str], raw: RawClusters, final: dict[str, list[str]],
               user_labels: dict[str, str], llm, embedder, kinds: dict[str, str],
               names: CorpusNames, copies: dict[str, list[Chunk]] | None = None) -> tuple[list[Theme], dict[str, np.ndarray]]:
    """Themes from the clusters of distinct texts; `copies` (distinct chunk id -> its folded copies) join their
    text's theme as members, so chunk and people counts are honest, while exemplars stay distinct texts."""
    copies = copies or {}
    row_of = {c.id: i for i, c in enumerate(chunks)}
    final_of = {cid: tid for tid, cids in final.items() for cid in cids}
    rows_by: dict[str, list[int]] = {tid: [] for tid in final}
    for chunk_id, cid in raw.cluster_of.items():
        if chunk_id in row_of:  # a copy is counted with its distinct text below
            rows_by[final_of[cid]].append(row_of[chunk_id])
    size = {tid: sum(1 + len(copies.get(chunks[i].id, ())) for i in rows) for tid, rows in rows_by.items()}
    order = sorted((tid for tid in final if rows_by[tid]), key=lambda t: (-size[t], t))
    labels = np.full(len(chunks), -1, dtype=np.int64)
    for n, tid in enumerate(order):
        labels[rows_by[tid]] = n
    keywords = class_keywords(texts, labels, len(order))
    centroids: dict[str, np.ndarray] = {}
    drafts: list[dict[str, Any]] = []
    for n, tid in enumerate(order):
        rows = np.array(sorted(rows_by[tid]))
        centroid = normalize(x[rows].mean(axis=0, keepdims=True))[0]
        centroids[tid] = centroid
        rows = rows[np.argsort(-(x[rows] @ centroid), kind="stable")]  # most central first
        distinct = [chunks[i] for i in rows]
        picks = pick_exemplars(x[rows], distinct, centroid)
        members = [m for c in distinct for m in (c, *copies.get(c.id, ()))]  # each copy right after its text
        drafts.append({
            "id": tid, "keywords": keywords[n], "chunk_ids": [c.id for c in members],
            "exemplars": [distinct[i] for i in picks], "neutral": [texts[rows[i]] for i in picks],
            "participant_count": len({c.participant_id for c in members if c.participant_id}),
            "kinds": dict(sorted(Counter(c.kind.value for c in members).items())),
            "statements": count_kinds([kinds[c.id] for c in members]),
        })
    matrix = np.vstack([centroids[t] for t in order]) if order else np.zeros((0, x.shape[1]))
    offline, phrases = offline_labels(texts, labels, matrix, embedder) if order else ([], [])
    named = _llm_labels(drafts, offline, names, llm) if drafts and not llm.model.extractive else None
    themes = []
    for n, d in enumerate(drafts):
        if named and named[n] is not None:
            label, description, prov, source = *named[n], "llm"
        else:
            label, source = offline[n], "offline"
            description = describe(phrases[n] or d["keywords"][:3], d["participant_count"], d["statements"])
            prov = {"method": "c-tf-idf phrases + keybert mmr", "phrases": phrases[n]}
        user = user_labels.get(d["id"])
        themes.append(Theme(
            id=d["id"], label=user or label, description=description, keywords=d["keywords"],
            chunk_ids=d["chunk_ids"], exemplar_ids=[c.id for c in d["exemplars"]],
            participant_count=d["participant_count"], kinds=d["kinds"], statements=d["statements"],
            label_source="user" if user else source,
            provenance={"label": prov, "clusters": sorted(final[d["id"]]), "method": METHOD,
                        "statements": d["statements"]},
        ))
    _group(themes, texts, labels, centroids, embedder)
    return themes, centroids


def _llm_labels(drafts, offline: list[str], names: CorpusNames, llm) -> list[tuple[str, str, dict] | None]:
    """The configured model's `label_theme` over neutral exemplars; a label that names who is addressed,
    repeats another, or is not a short phrase is replaced by the offline label (None here)."""
    exemplars = [[c.model_copy(update={"text": t}) for c, t in zip(d["exemplars"], d["neutral"])] for d in drafts]
    named = label_themes([d["keywords"] for d in drafts], exemplars, llm)
    pattern = names.pattern()
    out: list[tuple[str, str, dict] | None] = []
    seen: set[str] = set()
    for (label, description, prov), fallback in zip(named, offline):
        words = label.split()
        bad = (not 1 <= len(words) <= 8 or re.search(r"[@#]|https?://|\bx{3,}\b", label, re.I)
               or (pattern is not None and pattern.search(label)))
        if not bad and label.lower() in seen:  # two themes, one name: the offline phrase tells them apart
            label = f"{label} ({fallback[0].lower() + fallback[1:]})"
        out.append(None if bad else (label, description, prov))
        seen.add(label.lower())
    return out


def _group(themes: list[Theme], texts: list[str], labels: np.ndarray, centroids: dict[str, np.ndarray],
           embedder) -> None:
    """The upper level of the theme tree: Theme.group is its broad theme's label when there are enough themes."""
    groups = group_themes(np.vstack([centroids[t.id] for t in themes])) if themes else None
    if groups is None:
        return
    chunk_groups = np.where(labels >= 0, groups[np.maximum(labels, 0)], -1)
    n = int(groups.max()) + 1
    broad = normalize(np.vstack([np.mean([centroids[t.id] for t, g in zip(themes, groups) if g == k], axis=0)
                                 for k in range(n)]))
    names, _ = offline_labels(texts, chunk_groups, broad, embedder)
    for theme, g in zip(themes, groups):
        theme.group = names[g] or f"group {g + 1}"


def _unassigned(chunks, x, raw: RawClusters, themes: list[Theme], centroids,
                folds: dict[str, str] | None = None) -> list[Unassigned]:
    """Each unassigned chunk (folded copies with their distinct text) with its nearest final theme and distance."""
    if not raw.nearest:
        return []
    row_of = {c.id: i for i, c in enumerate(chunks)}
    row_of.update({copy: row_of[k] for copy, k in (folds or {}).items() if k in row_of})
    ids = sorted(raw.nearest)
    if not themes:
        return [Unassigned(chunk_id=cid, nearest_theme_id=None, distance=1.0) for cid in ids]
    matrix = np.vstack([centroids[t.id] for t in themes])
    sims = x[[row_of[cid] for cid in ids]] @ matrix.T
    best = np.argmax(sims, axis=1)
    out = [Unassigned(chunk_id=cid, nearest_theme_id=themes[b].id, distance=round(float(1 - s[b]), 6))
           for cid, b, s in zip(ids, best, sims)]
    return sorted(out, key=lambda u: (-u.distance, u.chunk_id))


# helpers -----------------------------------------------------------------------------------------
def _participant_ids(store) -> list[str]:
    rows = store.db.execute("SELECT id FROM chunks WHERE role = ? ORDER BY id", (Role.participant.value,))
    return [r[0] for r in rows]


def _folds(store, ids: list[str]) -> dict[str, str]:
    """Copy -> distinct chunk among `ids` (near-duplicates folded at ingest, synth.dedupe)."""
    wanted = set(ids)
    return {c: k for c, k in store.folds().items() if c in wanted and k in wanted}


def _cluster_fingerprint(settings: Settings, ids: list[str], options: dict, folds: dict[str, str] | None = None) -> str:
    folded = ["\n".join(f"{c}>{k}" for c, k in sorted(folds.items()))] if folds else []  # unfolded: as before
    return stable_id("tfp", METHOD, NEUTRAL, SUBSTANCE, settings.embedder, options.get("min_size") or "auto",
                     options.get("max_themes") or "auto", options.get("themes") or "auto",
                     options.get("granularity") or "auto", len(ids), "\n".join(ids), *folded)


def _fingerprint(cluster_fp: str, edits: list[Edit], model_id: str) -> str:
    return stable_id("tfp", cluster_fp, model_id, SUBSTANCE, LABELS, *[f"{e.action}\x1e{e.theme_id}\x1e{e.value}" for e in edits])


def _quotes(chunks: list[Chunk], statements: dict[str, str]) -> dict[str, dict[str, Any]]:
    return {
        c.id: {"text": c.text, "speaker": c.speaker, "participant_id": c.participant_id, "kind": c.kind.value,
               "document_id": c.document_id, "statement": statements.get(c.id)}
        for c in chunks
    }


def _stored_run(store, ts: ThemeStore, stale: bool = False) -> ThemeRun:
    changes = ts.meta("changes")
    themes = ts.themes()
    return ThemeRun(
        themes=themes, unassigned=ts.unassigned(),
        quotes=_quotes(store.chunks([i for t in themes for i in t.exemplar_ids]), ts.statements()),
        changes=ThemeChanges.model_validate_json(changes) if changes else ThemeChanges(),
        stats=json.loads(ts.meta("stats") or "{}"), skipped_edits=json.loads(ts.meta("skipped") or "[]"),
        cached=True, stale=stale,
    )


def _resolve(themes: list[Theme], theme_id: str) -> str:
    """A theme id from an id or a unique prefix of one (with or without `thm_`)."""
    if not themes:
        raise ThemesError("there are no themes yet; run `synth themes` first")
    ids = [t.id for t in themes]
    if theme_id in ids:
        return theme_id
    wanted = theme_id if theme_id.startswith("thm_") else f"thm_{theme_id}"
    hits = [i for i in ids if i.startswith(wanted)]
    if len(hits) == 1:
        return hits[0]
    what = "matches several themes" if hits else "is not a theme"
    raise UnknownTheme(f"{theme_id!r} {what}; `synth themes` lists the ids")
