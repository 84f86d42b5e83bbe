"""The hand-written conversations behind the speaker-role corpus, loaded as structured records.

Each conversation lives in `dialogues/<id>.dlg`, a small line format that is easier to write and
review than nested literals:

    id: hospital-rota                       header keys: id, domain, title, date, place
    speaker: dana | interviewer | Dana Whitfield
    ---
    dana: Can you hear me okay?             a turn: speaker id, colon, the words
    joy [Particpant]: Yes.                  a turn whose label is spelled differently in this file
    ~ (The participant reads the task)      a stage direction or observer note (non-speech)
    > Task 2: Find the next free slot.      a task-sheet prompt read out (non-speech)
    @                                       a timestamp alone on a line (time filled in by render.py)

Lines starting with `#` are comments. Text is ASCII so the PDF core fonts can hold it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "dialogues"
ROLES = ("interviewer", "participant", "other")


@dataclass(frozen=True)
class Speaker:
    id: str
    role: str  # interviewer | participant | other
    name: str  # display name: the label a name-based layout writes


@dataclass(frozen=True)
class Turn:
    speaker: str
    text: str
    label: str | None = None  # a spelling other than the speaker's name, used by name-based layouts


@dataclass(frozen=True)
class NonSpeech:
    kind: str  # note | prompt | timestamp
    text: str  # empty for a timestamp: the renderer writes the time


Item = Turn | NonSpeech


@dataclass(frozen=True)
class Conversation:
    id: str
    domain: str
    title: str
    date: str
    speakers: dict[str, Speaker]
    items: tuple[Item, ...]

    def turns(self) -> list[Turn]:
        return [i for i in self.items if isinstance(i, Turn)]


class DialogueError(ValueError):
    """A `.dlg` file does not follow the format described in this module's docstring."""


_TURN = re.compile(r"^([a-z][a-z0-9_]*)(?: \[([^\]]+)\])?: (.+)$")


def parse_dialogue(text: str, source: str = "<string>") -> Conversation:
    """Parse one `.dlg` text into a Conversation; raise DialogueError naming the bad line."""
    meta: dict[str, str] = {}
    speakers: dict[str, Speaker] = {}
    items: list[Item] = []
    in_body = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{n}"
        if not in_body:
            if line == "---":
                in_body = True
                continue
            key, sep, value = line.partition(": ")
            if not sep:
                raise DialogueError(f"{where}: expected 'key: value' in the header, got {line!r}")
            if key == "speaker":
                parts = [p.strip() for p in value.split("|")]
                if len(parts) != 3 or parts[1] not in ROLES:
                    raise DialogueError(f"{where}: speaker must be 'id | role | Name', role in {ROLES}")
                speakers[parts[0]] = Speaker(parts[0], parts[1], parts[2])
            else:
                meta[key] = value.strip()
            continue
        if not line.isascii():
            raise DialogueError(f"{where}: non-ASCII text (the PDF core fonts cannot hold it)")
        if line == "@":
            items.append(NonSpeech("timestamp", ""))
        elif line.startswith("~ "):
            items.append(NonSpeech("note", line[2:]))
        elif line.startswith("> "):
            items.append(NonSpeech("prompt", line[2:]))
        else:
            m = _TURN.match(line)
            if not m or m.group(1) not in speakers:
                raise DialogueError(f"{where}: not a turn of a declared speaker: {line!r}")
            prev = next((i for i in reversed(items) if not (isinstance(i, NonSpeech) and i.kind == "timestamp")), None)
            if isinstance(prev, Turn) and prev.speaker == m.group(1):
                # layouts that label only a change of speaker could not show the boundary
                raise DialogueError(f"{where}: two turns in a row by {m.group(1)!r}: merge them")
            items.append(Turn(m.group(1), m.group(3).strip(), m.group(2)))
    for key in ("id", "domain", "title", "date"):
        if key not in meta:
            raise DialogueError(f"{source}: header lacks '{key}:'")
    return Conversation(meta["id"], meta["domain"], meta["title"], meta["date"], speakers, tuple(items))


def load_conversations(folder: Path = SOURCE) -> dict[str, Conversation]:
    """Every conversation in `folder`, by id, in file-name order."""
    out: dict[str, Conversation] = {}
    for path in sorted(folder.glob("*.dlg")):
        conv = parse_dialogue(path.read_text(encoding="utf-8"), path.name)
        if conv.id in out:
            raise DialogueError(f"{path.name}: duplicate conversation id {conv.id!r}")
        out[conv.id] = conv
    return out
