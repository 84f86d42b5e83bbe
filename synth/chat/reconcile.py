"""Answers that reconcile: the evidence for a question grouped by stance, participants counted once each.

"Most (7) of us who spoke to this complain about it; 2 speak well of it." A persona speaks for several
people who need not agree: the evidence that speaks to a question is grouped by the stance of each
participant's words (`synth.polarity`: complaint, praise or neither), each participant counted once, by
their words nearest the question. A yes/no question gets a stance with its count: praise leans yes and
complaint no, unless the question itself asks about a problem ("Does it crash?"), where complaint is yes.

The tally is synth's own sentence, built from the groups and cited with one quote per counted participant,
so its counts are checked by construction; the model (or the offline drafter here) adds sentences quoting
participants of different groups, and any count it states must be one of the groups' counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel, Field

from synth.llm.schemas import AnswerInput, ChatAnswer, CitedSentence, QuoteRef, StanceGroup
from synth.llm.text import QUESTION_WORDS, content_stems, drop_fillers, split_sentences, strip_fillers, upper_first, words
from synth.records import Chunk

RELATED = 0.85  # a chunk speaks to the question when its similarity is at least this share of the nearest one's
MAX_EVIDENCE = 16  # evidence blocks shown to the model, the fused top-k first
_YES_NO = re.compile(r"^(?:(?:so|and|but|ok|okay|honestly|be honest|well|hey|tbh)[,\s]+)*"
                     r"(?:would|will|do|does|did|is|are|was|were|can|could|should|have|has|had|am|may|might|"
                     r"won't|don't|doesn't|didn't|isn't|aren't|wasn't|can't|couldn't|wouldn't|shouldn't)\b",
                     re.IGNORECASE)
_NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve "
                                             "thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
                                             .split())}
_NUMBER = re.compile(r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)


class Voice(BaseModel):
    """One participant's words nearest the question, and their stance."""

    participant_id: str
    chunk_id: str
    n: int  # the evidence number of the chunk
    quote: str  # a verbatim sentence of the chunk: the one nearest the question's words
    stance: str
    similarity: float


class Grouping(BaseModel):
    """The evidence for one question by stance: who spoke to it, the groups, the tally sentence."""

    yes_no: bool
    voices: list[Voice] = Field(default_factory=list)
    groups: list[StanceGroup] = Field(default_factory=list)  # largest first
    tally: str = ""

    @property
    def spoke(self) -> int:
        return len(self.voices)

    def counts(self) -> set[int]:
        return {self.spoke} | {g.participants for g in self.groups}


def is_yes_no(question: str) -> bool:
    """Whether a question asks yes or no ("Would you pay for Plus?", "so is the free version any good?")."""
    return bool(_YES_NO.match(question.strip().lstrip("\"'“(")))


def key_sentence(text: str, question: str) -> str:
    """The chunk's sentence that shares most of the question's words (a substantive statement), verbatim."""
    from synth.chat.guard import instruction_reasons
    from synth.substance import is_substantive

    wanted = set(content_stems(question, QUESTION_WORDS))
    # an instruction to an AI inside a source is never a participant's view on the question
    candidates = [s for s in split_sentences(text) if not s.rstrip().endswith("?") and len(s.split()) >= 3
                  and not instruction_reasons(s)]
    candidates = [s for s in candidates if is_substantive(s)] or candidates
    if not candidates:
        return text.strip()
    return max(candidates, key=lambda s: (len(wanted & set(content_stems(s))), min(len(s.split()), 25)))


def related(near: Sequence[tuple[str, float]], answers_at: float | None = None) -> list[tuple[str, float]]:
    """The (chunk id, similarity) of the vector ranking that speak to the question, nearest first: close to
    the nearest one, or close enough that the answerability gate would take that chunk alone as an answer."""
    if not near:
        return []
    floor = max(near[0][1], 0.0) * RELATED
    if answers_at is not None:
        floor = min(floor, answers_at)
    return [(cid, s) for cid, s in near if s >= floor]


def group_evidence(question: str, chunks: Sequence[Chunk], similarity: dict[str, float],
                   stance_of=None) -> Grouping:
    """Each participant once, by their chunk nearest the question; grouped by stance, largest group first.

    chunks: the evidence in the order it is numbered (n = position + 1); similarity: chunk id -> cosine,
    for the chunks that speak to the question (others are shown as evidence but not counted).
    stance_of: texts -> stances (defaults to synth.polarity.stances).
    """
    yes_no = is_yes_no(question)
    best: dict[str, tuple[float, int, Chunk]] = {}
    for n, chunk in enumerate(chunks, 1):
        if chunk.id not in similarity or not chunk.participant_id:
            continue
        seen = best.get(chunk.participant_id)
        if seen is None or similarity[chunk.id] > seen[0]:
            best[chunk.participant_id] = (similarity[chunk.id], n, chunk)
    picked = sorted(best.values(), key=lambda item: (-item[0], item[1]))
    quotes = [key_sentence(c.text, question) for _, _, c in picked]
    if stance_of is None:
        from synth.polarity import stances as stance_of
    found = list(stance_of(quotes)) if quotes else []
    voices = [Voice(participant_id=c.participant_id or "", chunk_id=c.id, n=n, quote=q, stance=st, similarity=round(s, 4))
              for (s, n, c), q, st in zip(picked, quotes, found, strict=True)]
    yes = "negative" if yes_no and _asks_about_a_problem(question, stance_of) else "positive"
    groups = []
    for stance in ("negative", "positive", "neutral"):
        members = [v for v in voices if v.stance == stance]
        if members:
            groups.append(StanceGroup(stance=stance, says=_says(stance, yes_no, yes), participants=len(members),
                                      evidence=sorted({v.n for v in members})))
    groups.sort(key=lambda g: -g.participants)  # stable: ties keep complaint, praise, neither
    grouping = Grouping(yes_no=yes_no, voices=voices, groups=groups)
    grouping.tally = tally_sentence(grouping, yes)
    return grouping


def _asks_about_a_problem(question: str, stance_of) -> bool:
    return list(stance_of([question]))[0] == "negative"


def _says(stance: str, yes_no: bool, yes: str) -> str:
    if yes_no:
        if stance == "neutral":
            return "don't say either way"
        return "lean yes" if stance == yes else "lean no"
    return {"negative": "complain about it", "positive": "speak well of it",
            "neutral": "mention it without praise or complaint"}[stance]


def tally_sentence(grouping: Grouping, yes: str = "positive") -> str:
    """The counts in words: "Of the 9 of us who spoke to this, most (7) complain about it; 2 speak well of it."."""
    groups, n = grouping.groups, grouping.spoke
    if not groups:
        return ""
    if n == 1:
        return f"Only one of us spoke to this, and they {groups[0].says}."
    first, rest = groups[0], groups[1:]
    if not rest:
        lead = f"All {n} of us who spoke to this {first.says}"
    elif first.participants * 2 > n:
        lead = f"Of the {n} of us who spoke to this, most ({first.participants}) {first.says}"
    else:
        lead = f"Of the {n} of us who spoke to this, {first.participants} {_verb(first.says, first.participants)}"
    parts = [lead] + [f"{g.participants} {_verb(g.says, g.participants)}" for g in rest]
    text = "; ".join(parts) + "."
    if grouping.yes_no:
        lean = {g.says: g.participants for g in groups}
        y, no = lean.get("lean yes", 0), lean.get("lean no", 0)
        verdict = "Mostly yes" if y > no and y * 2 >= n else "Mostly no" if no > y and no * 2 >= n else (
            "We are split" if y and no else "It is unclear")
        text = f"{verdict}: {text[0].lower()}{text[1:]}"
    return text


def _verb(says: str, count: int) -> str:
    if count != 1:
        return says
    head, _, rest = says.partition(" ")
    head = {"don't": "doesn't"}.get(head, head if head.endswith("s") else head + "s")
    return f"{head} {rest}".strip()


def stated_counts(text: str) -> list[int]:
    """The numbers a sentence states, in digits or words up to twenty."""
    return [int(m) if m.isdigit() else _NUMBER_WORDS[m.lower()] for m in _NUMBER.findall(text)]


def foreign_counts(text: str, allowed: set[int], quotes: Sequence[str]) -> list[int]:
    """The numbers a sentence states that are neither a group's count nor in the quotes it cites."""
    quoted = {x for q in quotes for x in stated_counts(q)}
    return [x for x in stated_counts(text) if x not in allowed and x not in quoted]


# the offline drafter, group-aware ------------------------------------------------------------------
def answer_as_persona_offline(inputs: AnswerInput) -> ChatAnswer:
    """Sentences quoting a different participant of each stance group, largest group first (up to three).

    Without groups (a caller that did not group the evidence), the extractive drafter of synth.llm.offline."""
    from synth.llm.offline import answer_as_persona_offline as ungrouped

    if not inputs.groups:
        return ungrouped(inputs)
    by_n = {e.n: e for e in inputs.evidence}
    question = inputs.question
    if not content_stems(question, QUESTION_WORDS):  # "why?": the topic of the previous question
        earlier = [t.text for t in inputs.history if t.role == "user"]
        question = f"{earlier[-1]} {question}" if earlier else question
    used: set[str] = set()
    said: list[str] = []  # the words of each quote spoken so far
    sentences: list[CitedSentence] = []
    rounds = max(1, 3 // len(inputs.groups))  # one quote per group, more from the larger ones when few
    for _ in range(rounds):
        for group in inputs.groups:
            if len(sentences) == 3:
                break
            for n in group.evidence:
                e = by_n.get(n)
                if e is None or (e.participant_id or e.chunk_id) in used:
                    continue
                quote = key_sentence(e.text, question)
                plain = f" {' '.join(words(quote))} "  # padded: whole words only
                if plain.strip() and any(plain in earlier or earlier in plain for earlier in said):
                    continue  # the same words from another participant (a repost, a copied survey answer)
                spoken = upper_first(drop_fillers(strip_fillers(quote))) or quote
                spoken = spoken if spoken[-1:] in ".!?" else spoken + "."
                sentences.append(CitedSentence(text=spoken, citations=[QuoteRef(n=n, quote=quote)]))
                used.add(e.participant_id or e.chunk_id)
                said.append(plain)
                break
    if not sentences:
        return ungrouped(inputs)
    return ChatAnswer(answerable=True, sentences=sentences, suggested_question=None)
