"""Lay one conversation out as a transcript tool would, keeping the truth of every item written.

A layout function takes a Conversation and Options and returns a Page: the blocks to write
(paragraph strings, or table rows) and, in the same order, one truth item per thing said or noted.
Writing the Page as txt, docx or pdf is `render.py`'s job; nothing here touches a file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from dialogues import Conversation, NonSpeech, Turn

ASR_SKIPS = frozenset({"note", "prompt", "timestamp"})  # what an automatic transcript never contains


@dataclass(frozen=True)
class Options:
    labels: dict[str, str | None] = field(default_factory=dict)  # speaker id -> label; None = unlabelled
    case: str = ""  # "upper" | "lower": applied to every label
    first_names: bool = False  # "Dan" rather than "Dan Kowalski"
    generic: bool = False  # "Speaker 1", "Speaker 2" in order of first turn (diarised, unnamed)
    header: bool = False  # title, Date:, Interviewer: lines at the top
    blank: bool = True  # a blank line between items
    skip: frozenset[str] = frozenset()  # non-speech kinds the tool would not have written
    style: str = ""  # a variant within a layout (numbering, stamp position, cue split)
    crlf: bool = False


@dataclass
class Page:
    blocks: list = field(default_factory=list)  # str paragraphs, or tuples (table rows)
    items: list[dict] = field(default_factory=list)
    title_block: str | None = None  # a block docx writes in the Title style

    def line(self, text: str = "") -> None:
        self.blocks.append(text)

    def note(self, text: str, kind: str) -> dict:
        item = {"label": None, "speaker": None, "role": "other", "text": text, "kind": kind}
        self.items.append(item)
        return item

    def said(self, label: str | None, speaker: str, role: str, text: str) -> dict:
        item = {"label": label, "speaker": speaker, "role": role, "text": text, "kind": "speech"}
        self.items.append(item)
        return item


# -- time -----------------------------------------------------------------------------------


def timeline(conv: Conversation, start: float = 3.0) -> list[tuple[float, float]]:
    """Start and end seconds of every item: a steady, deterministic speaking rate."""
    out, t = [], start
    for it in conv.items:
        if isinstance(it, Turn):
            dur = max(1.2, len(it.text.split()) / 2.3)
            out.append((t, t + dur))
            t += dur + 1.1
        else:
            out.append((t, t))
            t += 4.0 if it.kind == "note" else 0.0
    return out


def hms(s: float) -> str:
    s = int(s)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def short(s: float) -> str:
    """Otter / Teams / Rev style: m:ss under an hour, h:mm:ss after."""
    s = int(s)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def cue_time(s: float, sep: str) -> str:
    ms = int(round(s * 1000))
    return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d}{sep}{ms % 1000:03d}"


def long_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year}"


# -- labels ---------------------------------------------------------------------------------


def make_labeller(conv: Conversation, o: Options):
    order = {sid: n for n, sid in enumerate(dict.fromkeys(t.speaker for t in conv.turns()), 1)}

    def label(turn: Turn) -> str | None:
        spk = conv.speakers[turn.speaker]
        if spk.id in o.labels:
            lab = o.labels[spk.id]
        elif o.generic:
            lab = f"Speaker {order[spk.id]}"
        else:
            lab = turn.label or (spk.name.split()[0] if o.first_names else spk.name)
        if lab and o.case == "upper":
            lab = lab.upper()
        elif lab and o.case == "lower":
            lab = lab.lower()
        return lab

    return label


def header(conv: Conversation, page: Page, md: bool = False) -> None:
    """Metadata lines as a researcher's template has them; `Interviewer: Name` is not a turn."""
    names = lambda role: ", ".join(s.name for s in conv.speakers.values() if s.role == role)  # noqa: E731
    n_int = sum(1 for s in conv.speakers.values() if s.role == "interviewer")
    lines = [
        ("# " if md else "") + conv.title,
        f"Date: {conv.date}",
        f"{'Interviewers' if n_int > 1 else 'Interviewer'}: {names('interviewer')}",
        f"Project: {conv.domain}",
    ]
    for n, text in enumerate(lines):
        page.note(text[2:] if md and n == 0 else text, "header")
        page.line(text)
        if md and n == 0:
            page.line()
    page.line()


def _nonspeech(page: Page, it: NonSpeech, t: float) -> str:
    text = hms(t) if it.kind == "timestamp" else it.text
    page.note(text, it.kind)
    return text


# -- layouts --------------------------------------------------------------------------------


def colon(conv: Conversation, o: Options) -> Page:
    """`Name: text` lines, with optional numbering, timestamps or markdown bold (style)."""
    page, label, times = Page(), make_labeller(conv, o), timeline(conv)
    if o.header:
        header(conv, page, md=o.style == "bold")
    n = 0
    for it, (t, _) in zip(conv.items, times):
        if isinstance(it, NonSpeech):
            if it.kind in o.skip:
                continue
            page.line(_nonspeech(page, it, t))
        else:
            n += 1
            spk = conv.speakers[it.speaker]
            lab = label(it)
            page.said(lab, spk.id, spk.role, it.text)
            page.line(_prefix(o.style, lab, n, t) + it.text)
        if o.blank:
            page.line()
    return page


def _prefix(style: str, lab: str | None, n: int, t: float) -> str:
    if lab is None:
        return ""
    return {
        "": f"{lab}: ",
        "bold": f"**{lab}:** ",
        "num_brackets": f"[{n}] {lab}: ",
        "num_dot": f"{n}. {lab}: ",
        "num_parens": f"({n}) {lab}: ",
        "stamp_first": f"[{hms(t)}] {lab}: ",
        "stamp_after_name": f"{lab} ({hms(t)}): ",
        "descript": f"{lab}: [{hms(t)}] ",
    }[style]


def inline(conv: Conversation, o: Options) -> Page:
    """Speaker changes inside a paragraph: `... right. Interviewer: And then? P: Yeah ...`."""
    page, label = Page(), make_labeller(conv, o)
    para: list[str] = []

    def flush() -> None:
        if para:
            page.line(" ".join(para))
            page.line()
            para.clear()

    for it in conv.items:
        if isinstance(it, NonSpeech):
            if it.kind in o.skip:
                continue
            flush()
            page.line(_nonspeech(page, it, 0.0))
            page.line()
            continue
        words = sum(len(p.split()) for p in para)
        if para and (words > 45 or len(it.text.split()) > 25):
            flush()
        spk = conv.speakers[it.speaker]
        lab = label(it)
        page.said(lab, spk.id, spk.role, it.text)
        para.append(f"{lab}: {it.text}")
    flush()
    return page


def stacked(conv: Conversation, o: Options) -> Page:
    """The label (with a time) on its own line, the words on the next: Otter, Rev, Teams .docx."""
    page, label, times = Page(), make_labeller(conv, o), timeline(conv)
    head = {
        "otter": lambda lab, t: f"{lab}  {short(t)}",
        "rev": lambda lab, t: f"{lab} ({hms(t) if t >= 3600 else hms(t)[3:]}):",
        "teams": lambda lab, t: f"{lab}   {short(t)}",
    }[o.style]
    if o.style == "teams":
        end = times[-1][1]
        first = next(s.name for s in conv.speakers.values() if s.role == "interviewer")
        for text in (conv.title, f"{long_date(conv.date)}, 2:03PM", f"{int(end) // 60}m {int(end) % 60}s"):
            page.note(text, "header")
            page.line(text)
        page.line()
        page.note(f"{first} started transcription", "header")
        page.line(f"{first} started transcription")
        page.line()
    for it, (t, _) in zip(conv.items, times):
        if isinstance(it, NonSpeech):
            if it.kind in o.skip:
                continue
            page.line(_nonspeech(page, it, t))
        else:
            spk = conv.speakers[it.speaker]
            lab = label(it)
            page.said(lab, spk.id, spk.role, it.text)
            page.line(head(lab, t))
            page.line(it.text)
        page.line()
    if o.style == "teams":
        page.note(f"{first} stopped transcription", "footer")
        page.line(f"{first} stopped transcription")
    if o.style == "otter":
        page.note("Transcribed by https://otter.ai", "footer")
        page.line("Transcribed by https://otter.ai")
    return page


def meet(conv: Conversation, o: Options) -> Page:
    """A Google Meet transcript document: title, Attendees, then `Name: text` under timestamp lines."""
    page, label, times = Page(), make_labeller(conv, o), timeline(conv)
    attendees = ", ".join(s.name for s in conv.speakers.values() if s.role != "other")
    title = f"{conv.title} ({conv.date} 10:30 GMT+1) - Transcript"
    page.title_block = title
    for text in (title, "Attendees", attendees, "Transcript"):
        page.note(text, "header")
        page.line(text)
    last = None
    for it, (t, _) in zip(conv.items, times):
        if isinstance(it, NonSpeech):
            continue  # Meet writes speech only; its own timestamps come below
        if last is None or t - last >= 120:
            page.line(page.note(hms(t), "timestamp")["text"])
            last = t
        spk = conv.speakers[it.speaker]
        lab = label(it)
        page.said(lab, spk.id, spk.role, it.text)
        page.line(f"{lab}: {it.text}")
    end = f"Meeting ended after {hms(times[-1][1])} \N{WAVING HAND SIGN}"
    page.line(page.note(end, "footer")["text"])
    return page


def table(conv: Conversation, o: Options) -> Page:
    """A docx table: Speaker | Text, or Time | Speaker | Text (style "time")."""
    page, label, times = Page(), make_labeller(conv, o), timeline(conv)
    timed = o.style == "time"
    page.blocks.append(("Time", "Speaker", "Text") if timed else ("Speaker", "Text"))
    for it, (t, _) in zip(conv.items, times):
        if isinstance(it, NonSpeech):
            if it.kind in o.skip:
                continue
            text = _nonspeech(page, it, t)
            row = (hms(t), "", text) if timed else ("", text)
        else:
            spk = conv.speakers[it.speaker]
            lab = label(it)
            page.said(lab, spk.id, spk.role, it.text)
            row = (hms(t), lab, it.text) if timed else (lab, it.text)
        page.blocks.append(row)
    return page


def _chunks(text: str, size: int) -> list[str]:
    words = text.split()
    n = max(1, -(-len(words) // size))
    per = -(-len(words) // n)
    return [" ".join(words[i : i + per]) for i in range(0, len(words), per)]


def vtt(conv: Conversation, o: Options) -> Page:
    """WebVTT. style: "voice" (`<v Name>`), "teams" (id `uuid/n-0`, `<v Name>...</v>`), "prefix" (`Name:`)."""
    page, label, times = Page(), make_labeller(conv, o), timeline(conv)
    page.line("WEBVTT")
    page.line()
    cue = 0
    for it, (t0, t1) in zip(conv.items, times):
        if isinstance(it, NonSpeech):
            if it.kind in o.skip:
                continue
            chunks, lab, spk = [_nonspeech(page, it, t0)], None, None
            t1 = t0 + 2.0
        else:
            spk = conv.speakers[it.speaker]
            lab = label(it)
            page.said(lab, spk.id, spk.role, it.text)
            chunks = _chunks(it.text, 14)
        step = (t1 - t0) / len(chunks)
        for k, chunk in enumerate(chunks):
            cue += 1
            if o.style == "teams":
                page.line(f"{_uuid(conv.id)}/{cue + 11}-0")
            elif o.style == "voice":
                page.line(str(cue))
            page.line(f"{cue_time(t0 + k * step, '.')} --> {cue_time(t0 + (k + 1) * step, '.')}")
            if lab is None:
                page.line(chunk)
            elif o.style == "teams":
                page.line(f"<v {lab}>{chunk}</v>")
            elif o.style == "voice":
                page.line(f"<v {lab}>{chunk}")
            else:
                page.line(f"{lab}: {chunk}" if k == 0 else chunk)
            page.line()
    return page


def _uuid(seed: str) -> str:
    h = hashlib.md5(seed.encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def srt(conv: Conversation, o: Options) -> Page:
    """SRT with `NAME:` at each change of speaker. style "dash" / "inline": two short turns share a cue."""
    page, label, times = Page(), make_labeller(conv, o), timeline(conv)
    cues: list[tuple[float, float, list[str]]] = []
    items = [(it, tt) for it, tt in zip(conv.items, times) if not (isinstance(it, NonSpeech) and it.kind in o.skip)]
    i = 0
    while i < len(items):
        it, (t0, t1) = items[i]
        if isinstance(it, NonSpeech):
            cues.append((t0, t0 + 2.0, [_nonspeech(page, it, t0)]))
            i += 1
            continue
        spk, lab = conv.speakers[it.speaker], label(it)
        nxt = items[i + 1] if i + 1 < len(items) else None
        short_pair = nxt and isinstance(nxt[0], Turn) and len(it.text.split()) <= 8 and len(nxt[0].text.split()) <= 14
        if o.style and short_pair:
            spk2, lab2 = conv.speakers[nxt[0].speaker], label(nxt[0])
            if o.style == "dash":  # subtitle convention: a dash per speaker, the first unnamed
                page.said(None, spk.id, spk.role, it.text)
                text = [f"- {it.text}", f"- {lab2}: {nxt[0].text}"]
            else:
                page.said(lab, spk.id, spk.role, it.text)
                text = [f"{lab}: {it.text} {lab2}: {nxt[0].text}"]
            page.said(lab2, spk2.id, spk2.role, nxt[0].text)
            cues.append((t0, nxt[1][1], text))
            i += 2
            continue
        page.said(lab, spk.id, spk.role, it.text)
        chunks = _chunks(it.text, 12)
        step = (t1 - t0) / len(chunks)
        for k, chunk in enumerate(chunks):
            cues.append((t0 + k * step, t0 + (k + 1) * step, [f"{lab}: {chunk}" if k == 0 else chunk]))
        i += 1
    for n, (a, b, text) in enumerate(cues, 1):
        page.line(str(n))
        page.line(f"{cue_time(a, ',')} --> {cue_time(b, ',')}")
        page.blocks.extend(text)
        page.line()
    return page


LAYOUTS = {"colon": colon, "inline": inline, "stacked": stacked, "meet": meet, "table": table, "vtt": vtt, "srt": srt}
