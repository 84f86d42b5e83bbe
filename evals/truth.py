"""A sample corpus's truth, mapped onto a workspace: who belongs to which segment, which chunk to which theme.

Each corpus in corpora/ has its truth in evals/truth/ (CORPORA says where):
  - interviewees are matched by transcript file name and speaker label (an interviews file with
    `participants: [{file, speaker, segment}]`);
  - rows of reviews, posts and tickets by their row id (an items file whose lists hold
    `{id, author, segment, theme}`), so anonymous rows get their segment too; a row whose id is
    not in the truth falls back to its author's segment (`authors`), through `aliases` where the same
    person signs differently in two exports (Beacon: "Adaeze P." on G2 is the requester "Adaeze Pereira").
Shared by the benchmarks and the tests that score against it. `corpus` is a name ("larder",
"beacon") or a corpus folder (corpora/beacon); the default is Larder, the first sample corpus.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from synth.records import Kind
from synth.store import Store

TRUTH = Path(__file__).resolve().parent / "truth"


@dataclass(frozen=True)
class CorpusTruth:
    """Where one corpus's truth files are, relative to evals/truth/."""

    interviews: str
    items: str
    taxonomy: str
    extra: str = ""  # survey respondents and ticket threads: {respondents: [{response_id, segment}], tickets: [{id, segment}]}


CORPORA = {
    "larder": CorpusTruth("interviews.json", "reviews_social.json", "larder_taxonomy.json"),
    "beacon": CorpusTruth("beacon/interviews.json", "beacon/tickets_reviews.json", "beacon/taxonomy.json",
                          "beacon/surveys_threads.json"),
}
DEFAULT = "larder"


class UnknownCorpus(ValueError):
    """A corpus with no truth files in evals/truth/."""


def corpus_name(corpus: str | Path | None = None) -> str:
    """'larder' for None, "larder", "corpora/larder" or its absolute path; UnknownCorpus when no truth exists."""
    name = Path(str(corpus)).name.lower() if corpus else DEFAULT
    if name not in CORPORA:
        raise UnknownCorpus(f"no truth for corpus {corpus!r}; known: {', '.join(sorted(CORPORA))}")
    return name


@cache
def _load(path: str) -> dict:
    return json.loads((TRUTH / path).read_text(encoding="utf-8"))


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class _Lookup:
    by_speaker: dict[tuple[str, str], str]  # (file name, speaker) -> segment
    by_item: dict[str, dict]  # row id -> {id, author, segment, theme}
    by_author: dict[str, str]  # author (aliases resolved) -> segment


@cache
def _lookup(name: str) -> _Lookup:
    files = CORPORA[name]
    by_speaker = {(Path(p["file"]).name, _key(p["speaker"])): p["segment"]
                  for p in _load(files.interviews)["participants"]}
    items = _load(files.items)
    by_item: dict[str, dict] = {}
    for value in items.values():
        if not (isinstance(value, list) and value and isinstance(value[0], dict) and "id" in value[0]):
            continue
        for item in value:
            if str(item["id"]) in by_item:
                raise ValueError(f"{files.items}: row id {item['id']!r} occurs twice; ids must be unique")
            by_item[str(item["id"])] = item
    if files.extra:
        extra = _load(files.extra)
        for row in extra.get("respondents", []):
            by_item[str(row["response_id"])] = {"id": row["response_id"], "segment": row["segment"]}
        for row in extra.get("tickets", []):
            by_item[str(row["id"])] = {"id": row["id"], "segment": row["segment"]}
    authors = {_key(a): s for a, s in items.get("authors", {}).items() if a}
    for alias, name_ in items.get("aliases", {}).items():
        if _key(name_) in authors:
            authors.setdefault(_key(alias), authors[_key(name_)])
    return _Lookup(by_speaker, by_item, authors)


def truth_labels(store: Store, corpus: str | Path | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Participant id -> true segment, and review/post/ticket chunk id -> true theme."""
    truth = _lookup(corpus_name(corpus))
    segments: dict[str, str] = {}
    themes: dict[str, str] = {}
    docs: dict = {}
    for chunk in store.chunks():
        if not chunk.participant_id:
            continue
        doc = docs.setdefault(chunk.document_id, store.document(chunk.document_id))
        if doc is None:
            continue
        if doc.kind == Kind.interview:
            seg = truth.by_speaker.get((Path(doc.path).name, _key(chunk.speaker)))
        else:
            item = truth.by_item.get(str(doc.metadata.get("id")))
            if item:
                seg = item["segment"]
                if "theme" in item:
                    themes[chunk.id] = item["theme"]
            else:
                seg = truth.by_author.get(_key(doc.metadata.get("author") or ""))
        if seg:
            segments.setdefault(chunk.participant_id, seg)
    return segments, themes


def segment_members(store: Store, corpus: str | Path | None = None) -> dict[str, list[str]]:
    """True segment id (S1, S2, ...) -> its participant ids, in id order."""
    members: dict[str, list[str]] = {}
    for pid, seg in sorted(truth_labels(store, corpus)[0].items()):
        members.setdefault(seg, []).append(pid)
    return members


def taxonomy_segments(corpus: str | Path | None = None) -> dict[str, dict]:
    """Segment id -> its name, description and themes, from the corpus's taxonomy file."""
    return {s["id"]: s for s in _load(CORPORA[corpus_name(corpus)].taxonomy)["segments"]}
