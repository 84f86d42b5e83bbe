"""One-line explanations for degenerate studies: no participant speech, participants with nothing quotable,
a segment that got no persona, a thin persona. Each line names the people and files, and the fix."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from synth.personas.draft import MIN_WORDS
from synth.records import Chunk, Kind, Participant, Persona, Role, Segment
from synth.store import Store

SPEAKERS_FIX = "check who speaks with `synth speakers {file}`"


def listing(items: Sequence[str], limit: int = 4) -> str:
    """'a, b, c and 2 more'."""
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


def _people(n: int) -> str:
    return f"{n} participant{'s' if n != 1 else ''}"


def no_speech(store: Store) -> str | None:
    """The line naming the files and the fix when the workspace holds no participant speech, else None."""
    found = store.db.execute("SELECT 1 FROM chunks WHERE role = ? AND participant_id IS NOT NULL LIMIT 1",
                             (Role.participant.value,)).fetchone()
    if found:
        return None
    paths = store.file_paths()
    if not paths:
        return "the workspace holds no documents; run `synth ingest FOLDER` first"
    files = listing([Path(p).name for p in paths])
    return f"no participant speech in {files}: {SPEAKERS_FIX.format(file='FILE')}"


def unquotable(chunks: Iterable[Chunk]) -> list[str]:
    """Participants none of whose chunks is long enough to cite, in id order."""
    chunks = list(chunks)
    quotable = {c.participant_id for c in chunks if len(c.text.split()) >= MIN_WORDS}
    return sorted({c.participant_id for c in chunks if c.participant_id} - quotable)


class Who:
    """Says who participants are for a one-line message: 'Sam in group.txt ('Okay, no problem.')'."""

    def __init__(self, store: Store, chunks: Iterable[Chunk], participants: dict[str, Participant]):
        self.store, self.participants = store, participants
        self.first: dict[str, Chunk] = {}
        for c in sorted(chunks, key=lambda c: (c.document_id, c.start)):
            if c.participant_id:
                self.first.setdefault(c.participant_id, c)

    def __call__(self, pids: Sequence[str], limit: int = 3) -> tuple[str, str]:
        """The first few participants (in file order), and a speakers hint naming a transcript ('' if none)."""
        firsts = {p: self.first[p] for p in pids if p in self.first}
        docs = {d: self.store.document(d) for d in {c.document_id for c in firsts.values()}}
        path = {p: docs[c.document_id].path if docs[c.document_id] else c.document_id for p, c in firsts.items()}
        described = []
        for pid in sorted(firsts, key=lambda p: (path[p], firsts[p].start))[:limit]:
            label = self.participants[pid].label if pid in self.participants else firsts[pid].speaker
            words = " ".join(firsts[pid].text.split())
            words = words if len(words) <= 40 else words[:39] + "…"
            described.append(f"{label} in {Path(path[pid]).name} ({words!r})")
        more = len(pids) - len(described)
        transcripts = sorted(d.path for d in docs.values() if d is not None and d.kind == Kind.interview)
        hint = "; " + SPEAKERS_FIX.format(file=Path(transcripts[0]).name) if transcripts else ""
        return ", ".join(described) + (f" and {more} more" if more > 0 else ""), hint


def nothing_quotable(who: Who, silent: Sequence[str]) -> str:
    """Every participant has nothing quotable: the error line."""
    people, hint = who(silent)
    return f"nothing quotable: every participant said only lines under {MIN_WORDS} words: {people}{hint}"


def some_unquotable(who: Who, silent: Sequence[str]) -> str:
    people, hint = who(silent)
    many = len(silent) > 1
    return (f"{_people(len(silent))} with nothing quotable (every line under {MIN_WORDS} words) "
            f"{'join' if many else 'joins'} the nearest segment but {'are' if many else 'is'} never quoted: "
            f"{people}{hint}")


def no_persona(number: int, segment: Segment, reason: str) -> str:
    return f"segment {number} ({segment.label}, {_people(len(segment.participant_ids))}) got no persona: {reason}"


def no_persona_at_all(who: Who, segments: Sequence[Segment], reason: str) -> str:
    people, hint = who([p for s in segments for p in s.participant_ids])
    return f"no persona could be drafted: {reason} (participants: {people}){hint}"


def thin(number: int, persona: Persona, segment: Segment, who: Who, silent: Sequence[str]) -> str:
    """Why persona `number` stands on thin evidence (figures["thin"] says that it does)."""
    if persona.figures["thin"] == "no verified citation":
        return (f"persona {number} ({persona.name}): no citation verified against the sources, so every claim is "
                f"flagged for review; see `synth show {number}`")
    person, _ = who([p for p in segment.participant_ids if p not in set(silent)], limit=1)
    return (f"persona {number} ({persona.name}) speaks for one participant only, {person}: "
            "one person's case, not a segment")


def profiles(run) -> list[str]:
    """What the profile stage set aside and where the extractive rules stood in for the model (a ProfileRun)."""
    lines = []
    total = sum(run.set_aside.values())
    if total:
        reasons = ", ".join(f"{n} {reason}" for reason, n in run.set_aside.items())
        lines.append(f"{total} sentence(s) set aside before profiling ({reasons}): they never become claims or names")
    if run.fell_back:
        who = listing([run.profiles[p].label for p in run.fell_back if p in run.profiles])
        lines.append(f"the model's reply was no valid profile for {_people(len(run.fell_back))} ({who}): "
                     "their profiles come from the extractive rules")
    return lines


def names_in_study(store: Store, participants: Iterable[Participant]) -> set[str]:
    """Every name word a participant or speaker in the study carries: a persona is never named after one."""
    # A handle ("recipes_and_rants", "kids4ever") is not a name: its words are ordinary words a
    # descriptor may use. Names are the capitalised words of labels written like names, and speakers.
    labels = [p.label for p in participants if not re.search(r"[_@\d/]", p.label)]
    for (meta,) in store.db.execute("SELECT metadata FROM documents WHERE kind = ?", (Kind.interview.value,)):
        try:
            labels += [str(s) for s in json.loads(meta or "{}").get("speakers", [])]
        except (ValueError, AttributeError):
            continue
    return {w.lower() for label in labels for w in re.findall(r"[A-Z][A-Za-z'\-]+", label)}


NO_THEMES = ("no themes (too few or too scattered chunks to group): segments and personas come from what each "
             "participant said, without theme labels")
