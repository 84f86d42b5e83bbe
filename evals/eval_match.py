"""`synth match` accuracy on held-out participants of the sample corpora.

    python evals/eval_match.py --workspace larder=/tmp/ws3/larder/.synth --workspace beacon=/tmp/ws3/beacon/.synth

For each workspace (ingested and themed; the segments stored by `synth personas` are the study's own):
participants are split into FOLDS seeded folds; for each fold, segments are rebuilt without its
participants (the same profiles and k-means as `synth personas`, the same segment count), a match model
(synth.match.model) is built and calibrated on the others only, and each held-out participant's words
(their evidence chunks' embeddings, as `synth match` embeds a row) are matched. Printed per corpus:
  - own:   the rebuilt segment chosen maps (by majority of its members) to the participant's segment in
           the full study;
  - truth: it maps (by majority) to the participant's true segment in evals/truth;
  - one message: their longest single evidence chunk matched alone (a lead's note, one ticket), "own" sense;
  - both over every held-out participant (forced: best segment always taken) and over those the model
    says fit (calibrated score >= threshold), with the share labelled "no persona fits", the mean
    calibrated score against the observed accuracy, and the majority-class baseline.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

FOLDS = 5
SEED = 0


def evaluate(name: str, workspace: Path) -> dict:
    from evals.truth import truth_labels
    from synth.config import load_settings
    from synth.match.model import THRESHOLD, build_model, person_vectors
    from synth.personas.build import chunk_vectors, load_themes
    from synth.personas.segments import build_profiles, cluster_profiles
    from synth.personas.store import load_segments, participant_ratings, participant_sources
    from synth.store import Store

    settings = load_settings(workspace)
    with Store(settings.db_path, read_only=True) as store:
        chunks = [c for c in store.chunks() if c.participant_id and c.role.value == "participant"]
        participants = store.participants()
        ratings, sources = participant_ratings(store), participant_sources(store)
        full = {p: s.id for s in load_segments(store) for p in s.participant_ids}
        truth = truth_labels(store, name)[0]
    themes = load_themes(settings)
    vectors = chunk_vectors(settings, [c.id for c in chunks])
    by_person: dict[str, list[str]] = defaultdict(list)
    for c in chunks:
        by_person[c.participant_id].append(c.id)
    people_vectors = person_vectors(by_person, vectors)
    longest = {}  # participant -> their longest evidence chunk's vector: one message, as a lead or ticket row is
    for c in sorted(chunks, key=lambda c: len(c.text)):
        if c.id in vectors:
            longest[c.participant_id] = vectors[c.id]
    profiles = build_profiles(participants, chunks, themes, vectors, ratings, sources)
    ids = profiles.participant_ids
    k = len(set(full.values())) or None
    rng = np.random.default_rng(SEED)
    fold_of = rng.permutation(len(ids)) % FOLDS
    rows = []
    for fold in range(FOLDS):
        held = fold_of == fold
        kept = ~held
        fit = profiles.fit_rows([p for p, h in zip(ids, held) if h])[kept]
        labels, _ = cluster_profiles(profiles.matrix[kept], k, fit, profiles.weights[kept])
        kept_ids = [p for p, h in zip(ids, kept) if h]
        members: dict[str, list[str]] = defaultdict(list)
        for p, label in zip(kept_ids, labels):
            members[f"new{label}"].append(p)
        model = build_model(members, {p: people_vectors[p] for p in kept_ids if p in people_vectors})
        own_of = {s: Counter(full[p] for p in ps if p in full).most_common(1) for s, ps in members.items()}
        truth_of = {s: Counter(truth[p] for p in ps if p in truth).most_common(1) for s, ps in members.items()}
        test = [p for p, h in zip(ids, held) if h and p in people_vectors]
        if not test:
            continue
        _, order, prob = model.rank(np.array([people_vectors[p] for p in test]))
        _, one_order, _ = model.rank(np.array([longest[p] for p in test]))
        for p, o, pr, oo in zip(test, order, prob, one_order):
            seg = model.segment_ids[o[0]]
            one = model.segment_ids[oo[0]]
            rows.append({"own": bool(own_of[seg]) and p in full and own_of[seg][0][0] == full[p],
                         "truth": (p in truth and bool(truth_of[seg]) and truth_of[seg][0][0] == truth[p])
                         if p in truth else None, "score": float(pr), "fits": pr >= THRESHOLD,
                         "one_own": bool(own_of[one]) and p in full and own_of[one][0][0] == full[p]})
    own = np.array([r["own"] for r in rows])
    score = np.array([r["score"] for r in rows])
    fits = np.array([r["fits"] for r in rows])
    truthy = [r for r in rows if r["truth"] is not None]
    t_all = np.array([r["truth"] for r in truthy])
    t_fit = np.array([r["truth"] for r in truthy if r["fits"]])
    base_own = max(Counter(full.values()).values()) / max(len(full), 1)
    base_truth = max(Counter(truth.values()).values()) / max(len(truth), 1) if truth else 0.0
    out = {"corpus": name, "participants": len(rows), "segments": k,
           "one_message_own": float(np.mean([r["one_own"] for r in rows])),
           "own_forced": float(own.mean()), "own_fit": float(own[fits].mean()) if fits.any() else 0.0,
           "truth_forced": float(t_all.mean()) if len(t_all) else 0.0,
           "truth_fit": float(t_fit.mean()) if len(t_fit) else 0.0, "truth_n": len(t_all),
           "no_fit_share": float(1 - fits.mean()), "mean_score": float(score.mean()),
           "baseline_own": base_own, "baseline_truth": base_truth}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--workspace", action="append", required=True, metavar="NAME=DIR",
                    help="corpus name (larder, beacon) = its workspace folder (.synth); repeat for each")
    args = ap.parse_args(argv)
    print(f"{'corpus':8} {'n':>5} {'k':>3} {'own forced':>11} {'own fit':>8} {'truth forced':>13} {'truth fit':>10} "
          f"{'no fit':>7} {'mean score':>11} {'baseline own/truth':>19} {'one message own':>16}")
    for spec in args.workspace:
        name, _, folder = spec.partition("=")
        r = evaluate(name, Path(folder))
        print(f"{r['corpus']:8} {r['participants']:>5} {r['segments']:>3} {r['own_forced']:>11.1%} {r['own_fit']:>8.1%} "
              f"{r['truth_forced']:>13.1%} {r['truth_fit']:>10.1%} {r['no_fit_share']:>7.1%} {r['mean_score']:>11.2f} "
              f"{r['baseline_own']:>9.1%}/{r['baseline_truth']:.1%} {r['one_message_own']:>16.1%}")


if __name__ == "__main__":
    main()
