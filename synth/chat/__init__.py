"""Chat with a persona: grounded, in-character answers that cite the segment's participants, verified,
or an honest "no participant in this segment spoke to that"."""

from synth.chat.answer import Chat, ChatError, ask, salvage, segment_of
from synth.chat.guard import Guard, SourceInstruction, inspect_question, source_instructions
from synth.chat.records import (
    FLAG_INSTRUCTION, NOBODY, REFUSAL, ChatCitation, ChatSentence, ChatSession, ChatTurnResult,
)
from synth.chat.retrieval import KeywordIndex, SegmentRetriever, retrieve
from synth.chat.study import StudyAnswer, ask_study
from synth.chat.sessions import (
    SessionNotFound, append_turn, export_session, list_sessions, load_session, new_session,
)

__all__ = [
    "FLAG_INSTRUCTION", "NOBODY", "REFUSAL", "Chat", "ChatCitation", "ChatError", "ChatSentence", "ChatSession",
    "ChatTurnResult", "Guard", "KeywordIndex", "SegmentRetriever", "SessionNotFound", "SourceInstruction", "StudyAnswer",
    "append_turn", "ask", "ask_study", "export_session", "inspect_question", "list_sessions", "load_session", "new_session",
    "retrieve", "salvage", "segment_of", "source_instructions",
]
