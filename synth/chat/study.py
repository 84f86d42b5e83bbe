"""Ask the whole study: one question put to every persona (or a chosen few), answered side by side.

Each persona answers from its own segment's words only, exactly as in `synth chat`, with its stance
groups and counts; `kind` narrows every segment to the participants heard in one kind of source
(interviews, reviews, social posts). One embedder and one model serve all personas.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from synth.chat.answer import Chat
from synth.chat.records import ChatTurnResult
from synth.config import Settings
from synth.llm import LLM
from synth.records import Kind, Persona, Segment
from synth.store import Store


class StudyAnswer(BaseModel):
    """A question and each persona's answer, in persona order."""

    question: str
    kind: str | None = None
    answers: list[ChatTurnResult] = Field(default_factory=list)
    segment_sizes: dict[str, int] = Field(default_factory=dict)  # persona id -> participants it speaks for

    def as_json(self) -> dict:
        return {"question": self.question, "kind": self.kind,
                "personas": [a.as_json() | {"participants": self.segment_sizes.get(a.persona_id, 0)}
                             for a in self.answers]}


def narrowed(store: Store, segment: Segment, kind: Kind | str | None) -> Segment:
    """The segment limited to participants with evidence from sources of `kind` (None: unchanged)."""
    if kind is None:
        return segment
    value = kind.value if isinstance(kind, Kind) else kind
    heard = {r[0] for r in store.db.execute(
        "SELECT DISTINCT c.participant_id FROM chunks c JOIN documents d ON d.id = c.document_id "
        "WHERE d.kind = ? AND c.participant_id IS NOT NULL", (value,))}
    return segment.model_copy(update={"participant_ids": [p for p in segment.participant_ids if p in heard]})


def ask_study(settings: Settings, question: str, personas: list[Persona], llm: LLM, *,
              kind: Kind | str | None = None, k: int = 8) -> StudyAnswer:
    """`question` answered by each of `personas`, from its own segment (narrowed to `kind`); nothing saved."""
    out = StudyAnswer(question=" ".join(question.split()), kind=kind.value if isinstance(kind, Kind) else kind)
    for persona in personas:
        with Chat(settings, persona, llm=llm, k=k, save=False, kind=kind) as chat:
            out.segment_sizes[persona.id] = len(chat.segment.participant_ids)
            out.answers.append(chat.ask(question))
    return out
