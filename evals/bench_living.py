"""Living personas: do identities and review work survive adding data and re-running?

    python evals/bench_living.py [--corpus larder|beacon] [--keep-interviews N] [--hold-interviews N]
                                 [--rows N] [--hold-rows N] [--json out.json]

Default: the full larder corpus minus two interviews and the last 20 reviews and 20 posts. It builds
personas (real embedder, offline LLM), serves `synth review` on 127.0.0.1 and decides every claim over
HTTP (mostly accept, every fifth reject, every seventh an edit), adds the held-back files, re-runs while
the reviewer keeps clicking on the page loaded before the re-run, and prints:
  reattached      decisions carried to a claim of the new draft / decisions before the re-run   target >= 90%
  listed          orphaned decisions shown under "needs another look" / orphaned decisions       target 100%
  ids kept        segments whose earlier participants are exactly an earlier segment's that kept
                  that persona's id / such segments                                              target 100%
  late clicks     notes posted during the re-run (from the page loaded before it) found afterwards,
                  on a claim of the new draft or under "needs another look"                       target 100%
The exit code is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

CORPORA = {"larder": ROOT / "corpora" / "larder", "beacon": ROOT / "corpora" / "beacon"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="larder")
    ap.add_argument("--keep-interviews", type=int, default=11)
    ap.add_argument("--hold-interviews", type=int, default=2)
    ap.add_argument("--rows", type=int, default=300, help="review rows and posts in the first run")
    ap.add_argument("--hold-rows", type=int, default=20, help="review rows and posts added before the re-run")
    ap.add_argument("--root", type=Path, help="work folder (default: a temporary one)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()

    from evals.living import run_flow, split_corpus
    from synth.config import load_settings
    from synth.llm import open_llm

    root = args.root or Path(tempfile.mkdtemp(prefix="bench_living_"))
    study, added = split_corpus(CORPORA[args.corpus], root, args.keep_interviews, args.hold_interviews, args.rows,
                                args.hold_rows)
    settings = load_settings(root / ".synth")
    with open_llm(settings.workspace, llm="offline") as llm:
        out = run_flow(settings, study, added, llm)
    figures = {
        "reattached": out.reattached,
        "listed": out.orphans_listed / out.orphaned if out.orphaned else 1.0,
        "ids kept": out.unchanged_kept_id / out.unchanged_segments if out.unchanged_segments else None,
        "late clicks": out.concurrent_kept / out.concurrent_posted if out.concurrent_posted else None,
    }
    print(f"corpus {args.corpus}: first run {args.keep_interviews} interviews + {args.rows} reviews and posts; "
          f"added {args.hold_interviews} interviews + {args.hold_rows} reviews and posts")
    print(f"decisions before the re-run {out.decisions}: carried {out.carried} ({out.reattached:.1%}), "
          f"of which {out.recheck} to look at again ({out.kept} on approved claims the re-run did not draft again, "
          f"kept because their quotes still verify; without them {(out.carried - out.kept) / out.decisions:.1%}); "
          f"orphaned {out.orphaned}, listed in the app {out.orphans_listed}")
    print(f"personas: {out.continued} continued, {out.new} new, {out.retired} retired; segments unchanged "
          f"{out.unchanged_segments}, kept their id {out.unchanged_kept_id}")
    print(f"notes posted during the re-run {out.concurrent_posted}, found afterwards {out.concurrent_kept}")
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in out.seconds.items()))
    missed = [k for k, v, target in (("reattached", figures["reattached"], 0.9), ("listed", figures["listed"], 1.0),
                                     ("ids kept", figures["ids kept"], 1.0), ("late clicks", figures["late clicks"], 1.0))
              if v is not None and v < target]
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "outcome": dataclasses.asdict(out)}, indent=2))
    print("all targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
