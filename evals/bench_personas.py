"""Persona benchmark: are the personas people, not collages? Both sample corpora, real embedder, offline LLM.

    python evals/bench_personas.py [--corpus larder|beacon|both] [--workspace-root DIR] [--json out.json]

For each corpus: ingest (into DIR/<corpus>/.synth, re-used when given, else a temporary folder), themes,
then the personas stage (participant profiles, segments, counted claims, names, verification). Per persona:
  prevalence   claims with a prevalence figure ("9 of 14") / all claims                       target 100%
  contra       contradicting claim pairs (synth.profiles.contradictions: one topic and opposite
               polarity, or two answers about who they are), context pairs in brackets       target 0
  small talk   claims whose words or every quote synth.substance sets aside                    target 0
  counted      segment participants counted by at least one supported claim / segment size     target >= 50%
  interviews   interviewees cited / interviewees in the segment (- when it has none)           target >= 1 when any
  by kind      share of claims citing each source kind (interview, review, social)
A target missed is listed at the end; the exit code is 1 when any was.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CORPORA = {"larder": ROOT / "corpora" / "larder", "beacon": ROOT / "corpora" / "beacon"}
EMBEDDER = "sentence-transformers:all-MiniLM-L6-v2"


def build(corpus: Path, workspace: Path) -> tuple[object, dict[str, float]]:
    """Ingest, themes and personas into `workspace`; the settings and the seconds each stage took."""
    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.llm import open_llm
    from synth.personas import build_personas
    from synth.themes import build_themes

    settings = load_settings(workspace, embedder=EMBEDDER)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    report = ingest([corpus], settings)
    if report.failed:
        raise SystemExit(f"ingest failed: {report.failed}")
    seconds["ingest"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    build_themes(settings)
    seconds["themes"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with open_llm(settings.workspace, llm="offline", command="bench personas") as llm:
        build_personas(settings, llm)
    seconds["personas"] = round(time.perf_counter() - started, 1)
    return settings, seconds


def small_talk(claim, language: str | None) -> bool:
    """A claim made of what synth.substance sets aside: its own words, or every quote it cites."""
    from synth.profiles.contradictions import statement
    from synth.substance import substance

    if claim.section == "quotes":
        words = claim.text
    else:
        words = statement(claim.text)
    if words and substance(words, study_language=language) is not None:
        return True
    quotes = [c.quote for c in claim.citations]
    return bool(quotes) and all(substance(q, study_language=language) is not None for q in quotes)


def measure(settings) -> list[dict]:
    """The figures above for every persona in the workspace."""
    from synth.embedders import get_embedder
    from synth.personas.store import load_personas, load_segments
    from synth.profiles.contradictions import contradictions
    from synth.profiles.store import StoredVectors
    from synth.profiles.vectors import TextVectors
    from synth.records import Kind, Role, Verdict
    from synth.store import Store
    from synth.substance import study_language

    with Store(settings.db_path) as store:
        personas = load_personas(store)
        segments = {s.id: s for s in load_segments(store)}
        kinds = {p.id: p.kind for p in store.participants()}
        texts = [c.text for c in store.chunks() if c.role == Role.participant]
        language = study_language(texts)
        vectors = TextVectors(get_embedder(settings.embedder).embed, StoredVectors(store, settings.embedder))
        rows = []
        for persona in personas:
            segment = segments[persona.segment_id]
            members = set(segment.participant_ids)
            claims = persona.claims
            found = contradictions(claims, vectors)
            counted = {p for c in claims if c.prevalence is not None and c.support_count
                       for p in c.prevalence.participant_ids} & members
            interviewees = {p for p in members if kinds.get(p) == Kind.interview}
            cited = {c.participant_id for claim in claims for c in claim.citations if c.verdict == Verdict.verified}
            rows.append({
                "persona": persona.name,
                "segment_size": len(members),
                "claims": len(claims),
                "prevalence": round(sum(1 for c in claims if c.prevalence is not None and c.prevalence.of > 0)
                                    / max(len(claims), 1), 3),
                "contradictions": len(found),
                "context_contradictions": sum(1 for f in found if claims[f.first].section == "context"
                                              or claims[f.second].section == "context"),
                "contradiction_pairs": [[claims[f.first].text, claims[f.second].text, f.reason] for f in found],
                "small_talk": sum(1 for c in claims if small_talk(c, language)),
                "counted": round(len(counted) / max(len(members), 1), 3),
                "interviewees": len(interviewees),
                "interviewees_cited": len(interviewees & cited),
                "by_kind": persona.figures.get("claims_by_kind", {}),
                "supported": persona.figures.get("claims_supported_share"),
            })
        return rows


def misses(corpus: str, rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        name = f"{corpus}: {r['persona']}"
        if r["prevalence"] < 1.0:
            out.append(f"{name}: {r['prevalence']:.0%} of claims state a prevalence")
        if r["contradictions"]:
            out.append(f"{name}: {r['contradictions']} contradicting pair(s)")
        if r["small_talk"]:
            out.append(f"{name}: {r['small_talk']} small-talk claim(s)")
        if r["counted"] < 0.5:
            out.append(f"{name}: counts {r['counted']:.0%} of its segment")
        if r["interviewees"] and not r["interviewees_cited"]:
            out.append(f"{name}: none of its {r['interviewees']} interviewees cited")
    return out


def table(corpus: str, rows: list[dict], seconds: dict[str, float]) -> str:
    head = (f"{'persona':<42} {'people':>6} {'claims':>6} {'preval':>6} {'contra':>7} {'talk':>4} {'counted':>7} "
            f"{'interv':>7}  by kind (share of claims citing)")
    lines = [f"== {corpus} ({', '.join(f'{k} {v}s' for k, v in seconds.items())})", head, "-" * len(head)]
    for r in rows:
        kinds = " ".join(f"{k} {v:.0%}" for k, v in r["by_kind"].items())
        interviews = f"{r['interviewees_cited']}/{r['interviewees']}" if r["interviewees"] else "-"
        lines.append(f"{r['persona'][:42]:<42} {r['segment_size']:>6} {r['claims']:>6} {r['prevalence']:>6.0%} "
                     f"{r['contradictions']:>3} ({r['context_contradictions']}) {r['small_talk']:>4} "
                     f"{r['counted']:>7.0%} {interviews:>7}  {kinds}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "both"], default="both")
    parser.add_argument("--workspace-root", type=Path, help="keep (and re-use) the workspaces here")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args(argv)
    chosen = list(CORPORA) if args.corpus == "both" else [args.corpus]
    with tempfile.TemporaryDirectory() as tmp:
        root = args.workspace_root or Path(tmp)
        results, missed = {}, []
        for corpus in chosen:
            settings, seconds = build(CORPORA[corpus], root / corpus / ".synth")
            rows = measure(settings)
            results[corpus] = {"seconds": seconds, "personas": rows}
            print(table(corpus, rows, seconds), flush=True)
            for r in rows:
                for a, b, why in r["contradiction_pairs"]:
                    print(f"   contradiction in {r['persona']}: {why}: {a!r} / {b!r}")
            missed += misses(corpus, rows)
            print()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print("all targets met" if not missed else "targets missed:\n  " + "\n  ".join(missed))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
