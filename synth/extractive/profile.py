"""The offline `extract_profile`: a participant's profile read off their own sentences by domain-free rules.

Each substantive sentence (synth.substance sets greetings, fillers, small talk, masks and other
languages aside) gets a section from its cues and polarity (synth.extractive.cues), a third-person
wording (synth.extractive.wording) and a citation of exactly that sentence. A participant who said a
lot (an interviewee) keeps their strongest, mutually distinct statements per section.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from synth.extractive.cues import cue
from synth.extractive.wording import lowercase_words, self_description, third_person
from synth.llm.schemas import ExtractProfileInput, ProfileDraft, ProfileStatement, QuoteRef, SelfDescription
from synth.llm.text import content_stems, jaccard
from synth.polarity import stances
from synth.records import source_hash
from synth.substance import sentence_reasons

# The rules' source: part of every stored profile's fingerprint, so new rules re-extract.
RULES_VERSION = source_hash(*(Path(__file__).parent / name for name in ("cues.py", "wording.py", "profile.py")))
MIN_WORDS = 4
MIN_WHO_WORDS = 2  # "Student here."
MAX_WORDS = 60
PER_SECTION = 6  # statements kept per section and participant (interviewees say many alike)
NEAR_DUPLICATE = 0.5  # Jaccard of content stems at or above which two sentences say the same thing


def rating_of(attributes: dict[str, str]) -> float | None:
    try:
        return float(attributes["rating"])
    except (KeyError, ValueError):
        return None


@lru_cache(maxsize=50_000)
def sentence_parts(text: str, study_language: str | None) -> tuple[tuple[str, str | None], ...]:
    """Each sentence of `text` with the reason synth.substance sets it aside (None: substantive); memoized,
    since the profile stage counts what was set aside and the extractor reads the same chunks."""
    return tuple((text[start:end], reason)
                 for (start, end), reason in sentence_reasons(text, study_language=study_language))


def profile_sentences(inputs: ExtractProfileInput) -> list[tuple[int, str]]:
    """(evidence number, sentence) for every substantive sentence, verbatim, in order."""
    return [(e.n, sentence) for e in inputs.evidence
            for sentence, reason in sentence_parts(e.text, inputs.study_language) if reason is None]


def extract_profile_offline(inputs: ExtractProfileInput) -> ProfileDraft:
    """The participant's self-descriptions and statements, each citing one of their own sentences."""
    rating = rating_of(inputs.attributes)
    found: dict[str, list[tuple[float, int, int, str, object]]] = {}
    sentences = [(n, s) for n, s in profile_sentences(inputs) if MIN_WHO_WORDS <= len(s.split()) <= MAX_WORDS]
    said = stances([s for _, s in sentences], [rating] * len(sentences))  # one batch per participant
    for pos, ((n, sentence), stance) in enumerate(zip(sentences, said, strict=True)):
        count = len(sentence.split())
        c = cue(sentence, rating, stance)
        if c is None or (c.section != "who" and count < MIN_WORDS):
            continue
        length = 0.5 if 6 <= count <= 30 else 0.0
        found.setdefault(c.section, []).append((c.strength + length, pos, n, sentence, c))
    who: list[SelfDescription] = []
    statements: list[ProfileStatement] = []
    common = lowercase_words(e.text for e in inputs.evidence)
    for section, items in found.items():
        kept: list[tuple[int, int, str, object]] = []
        stems: list[set[str]] = []
        for _score, pos, n, sentence, c in sorted(items, key=lambda x: (-x[0], x[1])):
            own = set(content_stems(sentence))
            if any(jaccard(own, s) >= NEAR_DUPLICATE for s in stems):
                continue
            kept.append((pos, n, sentence, c))
            stems.append(own)
            if len(kept) == PER_SECTION:
                break
        for _pos, n, sentence, c in sorted(kept, key=lambda x: x[0]):
            ref = [QuoteRef(n=n, quote=sentence)]
            if section == "who":
                who.append(SelfDescription(text=self_description(c.role), role=c.role, citations=ref))
            else:
                statements.append(ProfileStatement(section=section, text=third_person(sentence, section, common=common),
                                                   stance=c.stance, citations=ref))
    return ProfileDraft(who=who, statements=statements)
