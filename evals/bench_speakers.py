"""Speaker roles against truth: role accuracy weighted by words, and interviewer words in evidence.

    python evals/bench_speakers.py                 # the layouts corpus (evals/speakers), parse only
    python evals/bench_speakers.py --personas      # also run ingest, themes and personas on it and on
                                                   # the sample corpora, and count interviewer words
                                                   # in verified persona citations (must be 0)
    python evals/bench_speakers.py --json

Every word of every truth item is aligned to the parsed document's words (difflib over word
tokens), and takes the role of the turn that holds it; `unknown` (nobody's) counts as `other`.
A truth word the parser lost counts as wrong for speech and right for non-speech (dropping a
stage direction keeps it out of evidence, which is the point).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synth.chunking import chunk_document  # noqa: E402
from synth.parsers import parse_file  # noqa: E402
from synth.participants import participants_for  # noqa: E402
from synth.records import Document, Role  # noqa: E402
from synth.speakers import normalise_label  # noqa: E402

SPEAKERS = ROOT / "evals" / "speakers"
SAMPLE_CORPORA = ((ROOT / "corpora" / "larder", ROOT / "evals" / "truth" / "interviews.json"),
                  (ROOT / "corpora" / "beacon", ROOT / "evals" / "truth" / "beacon" / "interviews.json"))
_WORD = re.compile(r"\w+")
ROLES = ("interviewer", "participant", "other")


def tokens(text: str) -> list[tuple[str, int]]:
    return [(m.group().casefold(), m.start()) for m in _WORD.finditer(text)]


def predicted_roles(doc: Document) -> list[str]:
    """The role of each character of the document text ("other" outside any speaker's turn)."""
    roles = ["other"] * len(doc.text)
    for turn in doc.turns:
        role = turn.role.value if turn.role in (Role.interviewer, Role.participant) else "other"
        roles[turn.start:turn.end] = [role] * (turn.end - turn.start)
    return roles


_NOTE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_MASK = re.compile(r"^\[[A-Z][A-Z _]*\]$")


def _truth_words(item: dict) -> list[tuple[str, str]]:
    """The item's words with its role; inside a speech item, an inline `(laughs)` or `[inaudible]` is `other`
    (an anonymisation mask such as `[REDACTED]` stays part of the sentence)."""
    text, role = item["text"], item["role"]
    notes = [m.span() for m in _NOTE.finditer(text) if not _MASK.match(m.group())]
    return [(word, "other" if any(a <= at < b for a, b in notes) else role) for word, at in tokens(text)]


def align(items: list[dict], doc: Document) -> list[tuple[str, str, int | None]]:
    """(truth role, predicted role or "missing", char offset in doc) for every truth word."""
    truth = [(word, role) for item in items for word, role in _truth_words(item)]
    found = tokens(doc.text)
    roles = predicted_roles(doc)
    out: list[tuple[str, str, int | None]] = [(role, "missing", None) for _, role in truth]
    matcher = SequenceMatcher(None, [w for w, _ in truth], [w for w, _ in found], autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            offset = found[block.b + k][1]
            out[block.a + k] = (truth[block.a + k][1], roles[offset], offset)
    return out


def score_layouts(with_chunks: bool = True) -> dict:
    """Per file and overall: word-weighted role accuracy, confusions, and interviewer words in chunks."""
    truth = json.loads((SPEAKERS / "truth.json").read_text(encoding="utf-8"))["files"]
    total = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    per_layout: dict[str, Counter] = defaultdict(Counter)
    files = []
    for name, entry in sorted(truth.items()):
        docs = parse_file(SPEAKERS / "corpus" / name)
        doc = docs[0]
        aligned = align(entry["items"], doc)
        right = sum(1 for t, p, _ in aligned if t == p or (t == "other" and p == "missing"))
        for t, p, _ in aligned:
            confusion[(t, p)] += 1
        leaked = 0
        if with_chunks:
            leaked = _non_participant_words_in_chunks(doc, aligned)
        total.update(words=len(aligned), right=right, leaked=leaked)
        per_layout[entry["layout"]].update(words=len(aligned), right=right)
        files.append({"file": name, "layout": entry["layout"], "words": len(aligned),
                      "accuracy": round(right / max(len(aligned), 1), 4), "non_participant_words_in_evidence": leaked})
    return {
        "files": files,
        "layouts": {k: round(v["right"] / max(v["words"], 1), 4) for k, v in sorted(per_layout.items())},
        "accuracy": round(total["right"] / max(total["words"], 1), 4),
        "words": total["words"],
        "non_participant_words_in_evidence": total["leaked"],
        "confusion": {f"{t}->{p}": n for (t, p), n in sorted(confusion.items()) if t != p},
    }


def _non_participant_words_in_chunks(doc: Document, aligned) -> int:
    """Truth-interviewer (and other-speech) words that ended up inside an evidence chunk."""
    _, ids = participants_for(doc)
    spans = [(c.start, c.end) for c in chunk_document(doc, ids)]
    bad = 0
    for truth_role, _, offset in aligned:
        if offset is not None and truth_role != "participant" and any(a <= offset < b for a, b in spans):
            bad += 1
    return bad


def score_corpus_roles(corpus: Path, truth_path: Path) -> dict:
    """Speaker-level truth (participants, interviewers, observers by file and label), weighted by words."""
    from synth.speakers import speaker_table

    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    expected: dict[tuple[str, str], str] = {}
    for key, role in (("participants", "participant"), ("interviewers", "interviewer"), ("observers", "other")):
        for person in truth.get(key, []):
            expected[(person["file"], normalise_label(person["speaker"]))] = role
    words = right = 0
    wrong: list[str] = []
    for rel in sorted({f for f, _ in expected}):
        for doc in parse_file(corpus / rel):
            for row in speaker_table(doc):
                want = expected.get((rel, normalise_label(row.speaker)))
                if want is None:
                    continue
                words += row.words
                right += row.words if row.role.value == want else 0
                if row.role.value != want:
                    wrong.append(f"{rel}: {row.speaker} is {row.role.value}, truth {want}")
    return {"corpus": str(corpus.relative_to(ROOT)), "words": words, "accuracy": round(right / max(words, 1), 4),
            "wrong": wrong}


# Persona citations ------------------------------------------------------------------------------


def citations_check(corpus: Path, interviewers: set[tuple[str, str]] | None, workdir: Path) -> dict:
    """Run ingest, themes and personas (offline) on `corpus`; count interviewer words in verified citations.

    interviewers: (file name, label) pairs from a truth file; None for the layouts corpus, where the
    word-level truth decides.
    """
    from synth.config import load_settings
    from synth.ingest import ingest
    from synth.llm import open_llm
    from synth.personas import build_personas
    from synth.personas.store import load_personas
    from synth.records import Verdict
    from synth.store import Store
    from synth.themes import build_themes

    settings = load_settings(workdir / "ws")
    ingest([corpus], settings)
    llm = open_llm(settings.workspace, llm="offline")
    build_themes(settings, llm=llm)
    build_personas(settings, llm)
    layout_truth = json.loads((SPEAKERS / "truth.json").read_text(encoding="utf-8"))["files"] if interviewers is None else {}
    aligned_cache: dict[str, list] = {}
    cited = bad = bad_words = 0
    examples = []
    with Store(settings.db_path) as store:
        personas = load_personas(store)
        chunks = {c.id: c for c in store.chunks()}
        for persona in personas:
            for claim in persona.claims:
                for citation in claim.citations:
                    if citation.verdict != Verdict.verified:
                        continue
                    cited += 1
                    chunk = chunks[citation.chunk_id]
                    doc = store.document(chunk.document_id)
                    name = Path(doc.path).name
                    if interviewers is not None:
                        wrong = (name, normalise_label(chunk.speaker)) in interviewers
                        words = len(citation.quote.split()) if wrong else 0
                    else:
                        if doc.id not in aligned_cache:
                            aligned_cache[doc.id] = align(layout_truth[name]["items"], doc) if name in layout_truth else []
                        start, end = citation.start or chunk.start, citation.end or chunk.end
                        words = sum(1 for t, _, off in aligned_cache[doc.id]
                                    if off is not None and start <= off < end and t != "participant")
                        wrong = words > 0
                    bad += wrong
                    bad_words += words
                    if wrong and len(examples) < 5:
                        examples.append(f"{persona.name}: {name} {chunk.speaker}: {citation.quote[:80]!r}")
    return {"corpus": str(corpus.relative_to(ROOT)), "personas": len(personas), "verified_citations": cited,
            "citations_with_interviewer_or_other_words": bad, "interviewer_or_other_words": bad_words,
            "examples": examples}


def _truth_interviewers(path: Path) -> set[tuple[str, str]]:
    """(file name, label) of everyone who is not a participant: interviewers and observers."""
    data = json.loads(path.read_text(encoding="utf-8"))
    people = data.get("interviewers", []) + data.get("observers", [])
    return {(Path(p["file"]).name, normalise_label(p["speaker"])) for p in people}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--personas", action="store_true", help="also check persona citations (real embedder, slow)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = {"layouts_corpus": score_layouts(), "sample_corpora": [
        score_corpus_roles(corpus, truth) for corpus, truth in SAMPLE_CORPORA if corpus.exists() and truth.exists()
    ]}
    if args.personas:
        checks = []
        with tempfile.TemporaryDirectory() as tmp:
            checks.append(citations_check(SPEAKERS / "corpus", None, Path(tmp) / "layouts"))
            for corpus, truth in SAMPLE_CORPORA:
                if corpus.exists() and truth.exists():
                    checks.append(citations_check(corpus, _truth_interviewers(truth), Path(tmp) / corpus.name))
        result["persona_citations"] = checks
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    scores = result["layouts_corpus"]
    print(f"layouts corpus: {len(scores['files'])} files, {len(scores['layouts'])} layouts, {scores['words']} words")
    for layout, acc in scores["layouts"].items():
        print(f"  {layout:<26} {acc:.3f}")
    worst = sorted(scores["files"], key=lambda f: f["accuracy"])[:5]
    print("worst files: " + ", ".join(f"{f['file']} {f['accuracy']:.3f}" for f in worst))
    print("confusions (truth->predicted, words): " + ", ".join(f"{k} {v}" for k, v in scores["confusion"].items()))
    print(f"ROLE ACCURACY (word-weighted): {scores['accuracy']:.4f}   (target >= 0.98)")
    print(f"non-participant words inside evidence chunks: {scores['non_participant_words_in_evidence']}")
    for corpus in result["sample_corpora"]:
        print(f"role accuracy on {corpus['corpus']} interviews (speaker truth, word-weighted): {corpus['accuracy']:.4f} "
              f"over {corpus['words']} words" + "".join(f"\n    {w}" for w in corpus["wrong"]))
    for check in result.get("persona_citations", []):
        print(f"persona citations, {check['corpus']}: {check['personas']} personas, {check['verified_citations']} verified "
              f"citations, {check['citations_with_interviewer_or_other_words']} with interviewer/other words "
              f"({check['interviewer_or_other_words']} words)   (target 0)")
        for example in check["examples"]:
            print(f"    {example}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
