"""Themes made of small talk: the share of each theme's chunks that synth.substance sets aside.

Chunks with nothing substantive at all are set aside before clustering (`judge_chunks`) and counted
by reason; they join no theme. A theme is marked `substantive=False` when most of what its member chunks say (more than half of
their characters, sentence by sentence) is greetings, fillers, audio checks, masks or another language
than the study's, or when its keywords are mostly the words of conversation itself ("yeah", "sorry",
"thanks": `synth.substance.mostly_conversation`, the same test that labels a theme "Small talk and
asides"). It stays visible in `synth themes`, but never defines a segment or names a persona.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from dataclasses import dataclass, field
from collections.abc import Callable, Sequence
from typing import Any

import synth.substance
from synth.records import Theme, source_hash
from synth.substance import CONVERSATION_WORDS, keyword_words, mostly_conversation, sentence_reasons, study_language

MOSTLY = 0.5  # a theme is non-substantive when more than this share of its chunks is set aside
# Part of the themes fingerprint: new rules (here or in synth.substance) re-run.
VERSION = f"substance/4-{source_hash(Path(synth.substance.__file__), Path(__file__), length=10)}"


@dataclass
class ChunkSubstance:
    """Per chunk: characters set aside by reason, characters in all, and the reason it is set aside whole."""

    language: str | None
    aside: dict[str, Counter] = field(default_factory=dict)
    length: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str | None] = field(default_factory=dict)  # None: substantive (clustered)
    kept: dict[str, str] = field(default_factory=dict)  # the substantive sentences only: what labels are made of


def judge_chunks(ids: Sequence[str], texts: Sequence[str],
                 neutral: Callable[[str], str] | None = None) -> ChunkSubstance:
    """Judge each chunk's text sentence by sentence; a chunk with nothing substantive is set aside whole.

    neutral: how a kept sentence reads once names are out (synth.themes.neutral); the judging reads the
    original, because taking names out first can hide another language: "Das Frühstück war leider
    kalt" lost its capitalised nouns as names and, at three words, was too short to tell apart.
    """
    out = ChunkSubstance(language=study_language(texts))
    for cid, text in zip(ids, texts):
        spans = sentence_reasons(text, study_language=out.language)
        weights: Counter[str] = Counter()
        for (start, end), reason in spans:
            if reason is not None:
                weights[reason] += end - start
        out.aside[cid] = weights
        out.length[cid] = sum(end - start for (start, end), _ in spans)
        kept = (text[start:end] for (start, end), reason in spans if reason is None)
        out.kept[cid] = " ".join(neutral(k) for k in kept) if neutral else " ".join(kept)
        whole = spans and all(reason is not None for _, reason in spans)
        out.reasons[cid] = max(weights, key=lambda r: weights[r]) if whole else (None if spans else "too short")
    return out


def said_keywords(themes: Sequence[Theme], texts: dict[str, str]) -> list[list[str]]:
    """Each theme's distinctive words in everything its chunks say, small talk included.

    A theme's own keywords come from its substantive sentences only, so a theme of goodbyes and "sorry,
    my camera" shows the few topic words left ("audio", "numbers"); read whole, it is conversation.
    """
    import numpy as np

    from synth.themes.represent import class_keywords

    rows = [(n, texts[cid]) for n, t in enumerate(themes) for cid in t.chunk_ids if cid in texts]
    if not rows:
        return [[] for _ in themes]
    return class_keywords([t for _, t in rows], np.array([n for n, _ in rows]), len(themes))


SHORT_REMARKS = 12  # median substantive words per chunk under which a theme is one of short remarks ...
ASIDE_WORDS = 2  # ... and asides when this many of its 8 distinctive words are neutral words of conversation


def _short_asides(theme: Theme, judged: ChunkSubstance, said: list[str]) -> bool:
    """Short remarks whose distinctive words, read in full, are the words of conversation ("sorry", "hear",
    "okay"): the camera, the kitchen, the kids and the goodbyes of interviews. Words of praise ("great",
    "nice") do not count, so a theme of short praise ("Great app!") stays a theme."""
    kept = sorted(len(judged.kept.get(cid, "").split()) for cid in theme.chunk_ids)
    if not kept or kept[len(kept) // 2] >= SHORT_REMARKS:
        return False
    return sum(w in CONVERSATION_WORDS and w not in _VERDICTS for w in keyword_words(said)) >= ASIDE_WORDS


_VERDICTS = frozenset("great nice cool awesome fine sure right".split())  # words of conversation that also judge


def mark_themes(judged: ChunkSubstance, themes: Sequence[Theme], texts: dict[str, str] | None = None) -> dict[str, Any]:
    """Set `substantive` and provenance["set_aside"] on each theme; return the run's set-aside stats.

    texts: each chunk's whole (neutral) text, for the test of conversation on what the theme says in full.
    """
    aside, length = judged.aside, judged.length
    said = said_keywords(themes, texts) if texts else [[] for _ in themes]
    for theme, whole in zip(themes, said):
        chars = sum(length.get(cid, 0) for cid in theme.chunk_ids)
        share = sum(sum(aside.get(cid, Counter()).values()) for cid in theme.chunk_ids) / chars if chars else 0.0
        conversation = (mostly_conversation(theme.keywords) or mostly_conversation(whole)
                        or _short_asides(theme, judged, whole))
        theme.substantive = share <= MOSTLY and not conversation
        theme.provenance["set_aside"] = {
            "share": round(share, 3), "substantive": theme.substantive,
            **({"keywords": "mostly the words of conversation"} if conversation else {}),
        }
    by_reason = Counter(r for r in judged.reasons.values() if r)
    return {
        "study_language": judged.language,
        "set_aside": dict(by_reason.most_common()),
        "set_aside_chunks": sum(by_reason.values()),
        "set_aside_before_clustering": True,
        "non_substantive_themes": [t.id for t in themes if not t.substantive],
    }


SMALL_TALK = "Small talk and asides"


def name_small_talk(themes: Sequence[Theme]) -> None:
    """A theme found to be mostly conversation is called what it is, unless a person named it; so is a broad
    theme holding nothing else. Its topic phrases stay in the description."""
    chatter = [t for t in themes if not t.substantive and t.label_source != "user"]
    for n, theme in enumerate(chatter):
        theme.provenance["label"] = {**theme.provenance.get("label", {}), "replaced": theme.label}
        theme.label = SMALL_TALK if len(chatter) == 1 else f"{SMALL_TALK} ({n + 1})"
        theme.label_source = "offline"
    groups: dict[str, list[Theme]] = {}
    for theme in themes:
        if theme.group:
            groups.setdefault(theme.group, []).append(theme)
    for members in groups.values():
        if all(not t.substantive for t in members):
            for t in members:
                t.group = SMALL_TALK


def set_aside_line(stats: dict[str, Any], chunks: int) -> str | None:
    """One line for `synth themes`: how much small talk was set aside, and which themes it made."""
    if "set_aside" not in stats:
        return None  # a run stored before substance was measured
    n = stats.get("set_aside_chunks", 0)
    reasons = ", ".join(f"{reason} {count}" for reason, count in stats["set_aside"].items())
    what = "set aside before clustering" if stats.get("set_aside_before_clustering") else "set aside"
    line = f"{what} as not substantive: {n} of {chunks:,} chunks" + (f" ({reasons})" if reasons else "")
    themes = stats.get("non_substantive_themes") or []
    if themes:
        line += f"; {len(themes)} theme{'s' if len(themes) != 1 else ''} mostly small talk, kept out of segments"
    language = stats.get("study_language")
    return line + (f"; study language {language}" if language else "")
