"""Planted-defect test of `synth eval`: does it catch what a researcher would reject a persona for?

For each sample corpus, the whole pipeline runs in a workspace (real embedder, offline LLM); the personas it
makes are evaluated as they are (the baseline), then each known defect is planted, one at a time, many times,
at claims and citations the baseline found clean, and the evaluation is run again on the changed persona. A
defect counts as caught when a finding of its kind points at the planted claim (and citation) and the
persona fails the gate for it. Findings on the unmutated personas are listed: each is a false alarm or a real
defect of today's pipeline, to be read.

    python evals/bench_mutations.py                          # both corpora, 40 plants per kind, temp workspaces
    python evals/bench_mutations.py --workspaces /tmp/bm     # keep (and reuse) the workspaces
    python evals/bench_mutations.py --per-kind 10 --misses --baseline
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from random import Random

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evals.mutations import KINDS, Planter, baseline_keys, score  # noqa: E402
from synth.config import load_settings  # noqa: E402
from synth.evaluation import Judge, evaluate_loaded, load_sources  # noqa: E402

CORPORA = ("larder", "beacon")


def build(corpus: str, workspace: Path, log=print) -> None:
    """Run ingest, themes and personas on the corpus in `workspace`, unless its personas are already there."""
    from synth.ingest import ingest
    from synth.llm import open_llm
    from synth.personas import build_personas, load_personas
    from synth.store import Store
    from synth.themes import build_themes

    settings = load_settings(workspace / ".synth")
    if settings.db_path.exists():
        with Store(settings.db_path) as store:
            if load_personas(store):
                log(f"{corpus}: reusing the personas in {workspace}")
                return
    t = time.perf_counter()
    ingest([ROOT / "corpora" / corpus], settings)
    build_themes(settings)
    with open_llm(settings.workspace, llm="offline", command="bench") as llm:
        build_personas(settings, llm)
    log(f"{corpus}: pipeline {time.perf_counter() - t:.0f}s")


def bench(corpus: str, workspace: Path, per_kind: int, seed: int, log=print) -> dict:
    from synth.llm import open_llm
    from synth.personas import load_personas, load_segments
    from synth.store import Store

    settings = load_settings(workspace / ".synth")
    with Store(settings.db_path) as store:
        personas, segments = load_personas(store), load_segments(store)
        sources = load_sources(store, personas, segments, all_documents=True)
    out: dict = {"corpus": corpus, "personas": len(personas), "kinds": {}, "misses": {}}
    with open_llm(settings.workspace, llm="offline", command="bench") as llm:
        judge = Judge(llm)

        def evaluate(ps, src, chosen=None):
            return evaluate_loaded(ps, src, judge, chosen=chosen, find_counter_evidence=False, review_url=None)

        t = time.perf_counter()
        baseline = evaluate(personas, sources)
        out["baseline"] = [{"persona": p.name, "kind": f.kind.value, "claim": _claim_text(p, f.claim_id),
                            "message": f.message, "quote": f.quote} for p in baseline.personas for f in p.findings]
        out["baseline_failures"] = [f.message for f in baseline.failures]
        known = baseline_keys(baseline)
        planter = Planter(personas, sources, baseline, Random(seed))
        out["clean_claims"] = len(planter.clean)
        for kind in KINDS:
            caught = planted = collateral = 0
            misses, distinct = [], set()
            for _ in range(per_kind):
                m = planter.plant(kind)
                if m is None:
                    break
                target = next(p for p in m.personas if p.id == m.target)
                report = evaluate(m.personas, m.sources, [target])
                s = score(m, report, known)
                planted += 1
                caught += s.caught
                distinct.add((m.target, m.claim_id, m.citation, m.detail))
                collateral += s.collateral
                if not s.caught:
                    where = next((c.text for c in target.claims if c.id == m.claim_id), "")
                    misses.append(f"{m.detail} in {where[:120]!r} -> {s.how}")
            out["kinds"][kind] = {"planted": planted, "caught": caught, "collateral": collateral,
                                  "distinct": len(distinct)}
            out["misses"][kind] = misses
        out["seconds"] = round(time.perf_counter() - t, 1)
    log(f"{corpus}: {sum(k['planted'] for k in out['kinds'].values())} defects planted in {out['seconds']}s")
    return out


def _claim_text(persona, claim_id: str | None) -> str:
    return next((c.text for c in persona.claim_evals if c.id == claim_id), "")


def table(results: list[dict]) -> str:
    names = [r["corpus"] for r in results]
    lines = [f"{'defect kind':30}" + "".join(f"{n + ' (distinct)':>26}" for n in names) + f"{'all':>10}"]
    for kind in KINDS:
        cells, tp, tn = [], 0, 0
        for r in results:
            k = r["kinds"][kind]
            tp, tn = tp + k["caught"], tn + k["planted"]
            share = f"{k['caught'] / k['planted']:.0%}" if k["planted"] else "–"
            cells.append(f"{k['caught']:>5}/{k['planted']:<4}{share:>6} ({k['distinct']:>3})")
        lines.append(f"{kind:30}" + "".join(f"{c:>26}" for c in cells) + f"{(tp / tn if tn else 0):>10.0%}")
    lines.append("")
    for r in results:
        by_kind = Counter(f["kind"] for f in r["baseline"])
        collateral = sum(k["collateral"] for k in r["kinds"].values())
        lines.append(f"{r['corpus']}: unmutated personas {r['personas']}, findings {len(r['baseline'])} "
                     f"({', '.join(f'{k} {n}' for k, n in by_kind.most_common()) or 'none'}), gate failures "
                     f"{len(r['baseline_failures'])}; clean claims to plant in {r['clean_claims']}; new findings "
                     f"beside the planted defects {collateral}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", nargs="+", choices=CORPORA, default=list(CORPORA))
    ap.add_argument("--per-kind", type=int, default=40, help="defects planted per kind and corpus (default 40)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--workspaces", type=Path, help="keep the workspaces here (reused when their personas exist)")
    ap.add_argument("--misses", action="store_true", help="print each defect that was not caught")
    ap.add_argument("--baseline", action="store_true", help="print every finding on the unmutated personas")
    ap.add_argument("--json", type=Path, help="write all figures here")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="synth-mutations-") as tmp:
        root = args.workspaces or Path(tmp)
        results = []
        for corpus in args.corpus:
            build(corpus, root / corpus, log)
            results.append(bench(corpus, root / corpus, args.per_kind, args.seed, log))
    print(table(results))
    for r in results:
        if args.baseline:
            print(f"\n{r['corpus']}: findings on the unmutated personas")
            for f in r["baseline"]:
                print(f"  [{f['kind']}] {f['persona']}: {f['claim']!r}: {f['message']}")
        if args.misses:
            for kind, misses in r["misses"].items():
                for miss in misses:
                    print(f"  missed [{r['corpus']}] {kind}: {miss}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
