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
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any

from synth.records import Chunk, Theme
from synth.substance import mostly_conversation, sentence_reasons, study_language

MOSTLY = 0.5  # a theme is non-substantive when more than this share of its chunks is set aside
VERSION = "substance/3"  # part of the themes fingerprint: new rules re-mark stored runs


@dataclass
class ChunkSubstance:
    """Per chunk: characters set aside by reason, characters in all, and the reason it is set aside whole."""

    language: str | None
    aside: dict[str, Counter] = field(default_factory=dict)
    length: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str | None] = field(default_factory=dict)  # None: substantive (clustered)
    kept: dict[str, str] = field(default_factory=dict)  # the substantive sentences only: what labels are made of


def judge_chunks(ids: Sequence[str], texts: Sequence[str]) -> ChunkSubstance:
    """Judge each chunk's (neutral) text sentence by sentence; a chunk with nothing substantive is set aside whole."""
    out = ChunkSubstance(language=study_language(texts))
    for cid, text in zip(ids, texts):
        spans = sentence_reasons(text, study_language=out.language)
        weights: Counter[str] = Counter()
        for (start, end), reason in spans:
            if reason is not None:
                weights[reason] += end - start
        out.aside[cid] = weights
        out.length[cid] = sum(end - start for (start, end), _ in spans)
        out.kept[cid] = " ".join(text[start:end] for (start, end), reason in spans if reason is None)
        whole = spans and all(reason is not None for _, reason in spans)
        out.reasons[cid] = max(weights, key=lambda r: weights[r]) if whole else (None if spans else "too short")
    return out


def mark_themes(judged: ChunkSubstance, themes: Sequence[Theme]) -> dict[str, Any]:
    """Set `substantive` and provenance["set_aside"] on each theme; return the run's set-aside stats."""
    aside, length = judged.aside, judged.length
    for theme in themes:
        chars = sum(length.get(cid, 0) for cid in theme.chunk_ids)
        share = sum(sum(aside.get(cid, Counter()).values()) for cid in theme.chunk_ids) / chars if chars else 0.0
        conversation = mostly_conversation(theme.keywords)
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
