"""The sample corpus truth, mapped onto a workspace: who belongs to which segment, which chunk to which theme.

Interviewees are matched by transcript file name and speaker label (evals/truth/interviews.json);
review and post authors by the item their words come from (evals/truth/reviews_social.json), so
anonymous rows get their segment too. Shared by the benchmarks and the tests that score against it.
"""

from __future__ import annotations

import json
from pathlib import Path

from synth.records import Kind
from synth.store import Store

TRUTH = Path(__file__).resolve().parent / "truth"


def _load(name: str) -> dict:
    return json.loads((TRUTH / name).read_text(encoding="utf-8"))


def truth_labels(store: Store) -> tuple[dict[str, str], dict[str, str]]:
    """Participant id -> true segment, and review/post chunk id -> true theme."""
    interviews = _load("interviews.json")["participants"]
    items = _load("reviews_social.json")
    by_speaker = {(Path(p["file"]).name, p["speaker"]): p["segment"] for p in interviews}
    by_item = {x["id"]: x for kind in ("reviews", "social") for x in items[kind]}
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
            seg = by_speaker.get((Path(doc.path).name, chunk.speaker))
        else:
            item = by_item.get(str(doc.metadata.get("id")))
            seg = item["segment"] if item else None
            if item:
                themes[chunk.id] = item["theme"]
        if seg:
            segments.setdefault(chunk.participant_id, seg)
    return segments, themes


def segment_members(store: Store) -> dict[str, list[str]]:
    """True segment id (S1..S4) -> its participant ids, in id order."""
    members: dict[str, list[str]] = {}
    for pid, seg in sorted(truth_labels(store)[0].items()):
        members.setdefault(seg, []).append(pid)
    return members


def taxonomy_segments() -> dict[str, dict]:
    """Segment id -> its name, description and themes, from larder_taxonomy.json."""
    return {s["id"]: s for s in _load("larder_taxonomy.json")["segments"]}
