"""Themes made of small talk: the share of each theme's chunks that synth.substance sets aside.

A theme is marked `substantive=False` when most of what its member chunks say (more than half of
their characters, sentence by sentence) is greetings, fillers, audio checks, masks or another language
than the study's, or when its keywords are mostly the words of conversation itself ("yeah", "sorry",
"thanks": `synth.substance.mostly_conversation`, the same test that labels a theme "Small talk and
asides"). It stays visible in `synth themes`, but never defines a segment or names a persona.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from synth.records import Chunk, Theme
from synth.substance import mostly_conversation, sentence_reasons, study_language

MOSTLY = 0.5  # a theme is non-substantive when more than this share of its chunks is set aside
VERSION = "substance/2"  # part of the themes fingerprint: new rules re-mark stored runs


def mark_themes(chunks: Sequence[Chunk], themes: Sequence[Theme], folds: dict[str, str] | None = None) -> dict[str, Any]:
    """Set `substantive` and provenance["set_aside"] on each theme; return the run's set-aside stats.

    folds: copy -> canonical chunk id (synth.dedupe); a copy is read as its canonical chunk reads.
    """
    folds = folds or {}
    language = study_language(c.text for c in chunks)
    # Per chunk: characters set aside by reason, and characters in all; a chunk is set aside whole when
    # nothing in it is substantive (its reason the one with the most characters).
    aside: dict[str, Counter[str]] = {}
    length: dict[str, int] = {}
    reasons: dict[str, str | None] = {}
    for c in chunks:
        if c.id in folds:
            continue
        spans = sentence_reasons(c.text, study_language=language)
        weights: Counter[str] = Counter()
        for (start, end), reason in spans:
            if reason is not None:
                weights[reason] += end - start
        aside[c.id] = weights
        length[c.id] = sum(end - start for (start, end), _ in spans)
        whole = spans and all(reason is not None for _, reason in spans)
        reasons[c.id] = max(weights, key=lambda r: weights[r]) if whole else (None if spans else "too short")
    for copy, canonical in folds.items():
        aside[copy], length[copy], reasons[copy] = aside[canonical], length[canonical], reasons[canonical]
    for theme in themes:
        counts = Counter(reasons[cid] for cid in theme.chunk_ids if reasons.get(cid))
        chars = sum(length.get(cid, 0) for cid in theme.chunk_ids)
        share = sum(sum(aside.get(cid, Counter()).values()) for cid in theme.chunk_ids) / chars if chars else 0.0
        conversation = mostly_conversation(theme.keywords)
        theme.substantive = share <= MOSTLY and not conversation
        theme.provenance["set_aside"] = {
            "share": round(share, 3), "substantive": theme.substantive, "reasons": dict(counts.most_common()),
            **({"keywords": "mostly the words of conversation"} if conversation else {}),
        }
    by_reason = Counter(r for r in reasons.values() if r)
    return {
        "study_language": language,
        "set_aside": dict(by_reason.most_common()),
        "set_aside_chunks": sum(by_reason.values()),
        "non_substantive_themes": [t.id for t in themes if not t.substantive],
    }


def set_aside_line(stats: dict[str, Any], chunks: int) -> str | None:
    """One line for `synth themes`: how much small talk was set aside, and which themes it made."""
    if "set_aside" not in stats:
        return None  # a run stored before substance was measured
    n = stats.get("set_aside_chunks", 0)
    reasons = ", ".join(f"{reason} {count}" for reason, count in stats["set_aside"].items())
    line = f"set aside as not substantive: {n} of {chunks:,} chunks" + (f" ({reasons})" if reasons else "")
    themes = stats.get("non_substantive_themes") or []
    if themes:
        line += f"; {len(themes)} theme{'s' if len(themes) != 1 else ''} mostly small talk, kept out of segments"
    language = stats.get("study_language")
    return line + (f"; study language {language}" if language else "")
