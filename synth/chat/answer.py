"""Ask a persona a question: retrieve its segment's evidence, answer in character, verify every citation.

    with Chat(settings, persona) as chat:
        result = chat.ask("How do you plan the week's dinners?")

Answers are verified like persona claims (synth.personas.verify): a sentence counts as verified only
when it cites at least one quote, every quote is verified by `synth.verify.verify_citation` against
the persona's segment, and the support judge (the configured model, or the offline lexical judge)
finds that the quotes say what the sentence says. Anything else is kept, flagged with the same words
persona reviews use, and never shown as verified.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
from typing import Any

from synth.chat.guard import SourceInstruction, inspect_question, reproduces, source_instructions
from synth.chat.records import (
    FLAG_INSTRUCTION, FLAG_REPEATS_INSTRUCTION, NOBODY, REFUSAL, ChatCitation, ChatSentence, ChatSession,
    ChatTurnResult,
)
from synth.chat.answerability import decide, load_gate, relevance_of
from synth.chat.reconcile import MAX_EVIDENCE, Grouping, foreign_counts, group_evidence, related
from synth.chat.retrieval import SegmentRetriever, question_stems
from synth.chat.sessions import append_turn, load_session, new_session
from synth.config import Settings
from synth.llm import (
    LLM, AnswerInput, ChatAnswer, Evidence, JudgeSupportInput, StructuredOutputError, open_llm, run_task, run_tasks,
)
from synth.llm.offline import suggested_question
from synth.personas.store import load_segments
from synth.personas.verify import FLAG_MISSING, FLAG_NO_CITATION, FLAG_UNSUPPORTED, QuoteLocator, check_citation
from synth.records import Chunk, Citation, Document, Persona, Segment, Verdict
from synth.search import open_store
from synth.store import Store

FLAG_COUNT = "states a count the evidence groups do not hold"


class ChatError(Exception):
    """A chat that cannot start: the persona's segment is missing, or the question is empty."""


class Chat:
    """One conversation with one persona: a retriever, a model and a session. Close it when done."""

    def __init__(
        self,
        settings: Settings,
        persona: Persona,
        *,
        llm: LLM | None = None,
        session: ChatSession | str | None = None,
        k: int = 8,
        save: bool = True,
        kind: str | None = None,
    ):
        self.settings = settings
        self.persona = persona
        self.k = k
        self.save = save
        self.store: Store = open_store(settings)
        self.save = save and not self.store.read_only  # a read-only workspace answers, but keeps no session
        self._own_llm = llm is None
        self.llm = llm
        try:
            self.segment = segment_of(self.store, persona)
            if kind is not None:  # only the participants heard in this kind of source
                from synth.chat.study import narrowed

                self.segment = narrowed(self.store, self.segment, kind)
            self.llm = llm or open_llm(settings.workspace, command="chat")
            if isinstance(session, str):
                session = load_session(self.store, session)
                if session.persona_id != persona.id:
                    raise ChatError(f"session {session.id} is with {session.persona_name}, not {persona.name}")
            self.session = session or new_session(persona, self.llm.model_id)
            self.session.model_id = self.llm.model_id
            self.retriever = SegmentRetriever(settings, self.segment, store=self.store)
            self.members = set(self.segment.participant_ids)
            self.locator = QuoteLocator(self.store)  # where misquoted words really are; loads only on a miss
        except BaseException:
            if self._own_llm and self.llm is not None:
                self.llm.close()
            self.store.close()
            raise
        self._docs: dict[str, Document | None] = {}

    def close(self) -> None:
        if self._own_llm:
            self.llm.close()
        self.store.close()

    def __enter__(self) -> "Chat":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the turn -------------------------------------------------------------------------------------
    def ask(self, question: str) -> ChatTurnResult:
        """Answer one question in character, from the segment's evidence only; saved to the session."""
        question = " ".join(question.split())
        problem = question_problem(question)
        if problem:
            raise ChatError(problem)
        guard = inspect_question(question)
        base = dict(session_id=self.session.id, turn=len(self.session.turns) + 1, persona_id=self.persona.id,
                    persona_name=self.persona.name, question=question, guarded=guard.manipulative,
                    guard_reasons=guard.reasons)
        if guard.topic is None:  # nothing left but the manipulation
            result = ChatTurnResult(**base, answerable=False, answer=REFUSAL, provenance={"model_id": None})
        else:
            result = self._answer(guard.topic, base)
            if guard.manipulative:
                result.answer = f"{REFUSAL} {result.answer}"
        self.session.turns.append(result)
        if self.save:
            append_turn(self.store, self.session, result)
        return result

    def _answer(self, question: str, base: dict[str, Any]) -> ChatTurnResult:
        text = self._retrieval_text(question)
        self.retriever.prepare()  # the first turn embeds the segment's sentences and words (or reads the cache)
        fused, near = self.retriever.ranked(text, self.k)
        vector = self.retriever.embed(text)
        best, best3, contrast = self.retriever.sentence_figures(vector, near)
        relevance = relevance_of(np.array([sim for _, sim in near[:3]]), self.retriever.unused_share(text), best,
                                 self.retriever.unused_share(text, expand=True), best3)
        relevance.contrast = round(contrast, 4)
        decision = decide(relevance,
                          self.settings.embedder, extractive=self.llm.model.extractive,
                          general=bool(near) and not self.retriever.topic_stems(text))
        # Counted as speaking to it: chunks near the question in meaning; without a calibrated embedder, the top k.
        gate = load_gate()
        calibrated = gate is not None and gate.embedder == self.settings.embedder
        close = dict(related(near, gate.similarity_floor())) if calibrated else {cid: 1.0 for cid, _ in fused}
        ids = [cid for cid, _ in fused]
        ids += [cid for cid in close if cid not in ids][: max(0, MAX_EVIDENCE - len(ids))]
        by_id = {c.id: c for c in self.store.chunks(ids) if c.id in self.retriever.chunk_ids}
        chunks = [by_id[cid] for cid in ids if cid in by_id]
        evidence = Evidence.from_chunks(chunks)
        provenance: dict[str, Any] = {"model_id": self.llm.model_id, "answerability": decision.model_dump()}
        flags: list[str] = []
        grouping = None
        # A refusal the gate is unsure of goes to a language model, which reads the evidence and refuses what it
        # does not answer; the offline drafter can't read, so for it the gate's word stands.
        consult = decision.uncertain and not self.llm.model.extractive
        if not evidence or not (decision.answerable or consult):
            output = ChatAnswer(answerable=False, suggested_question=suggested_question(question))
        else:
            grouping = group_evidence(text, chunks, {cid: s for cid, s in close.items() if cid in by_id},
                                      stance_of=self._stances)
            inputs = AnswerInput(persona_name=self.persona.name, persona_summary=self.persona.summary,
                                 question=question, history=self.session.history(), evidence=evidence,
                                 groups=grouping.groups, tally=grouping.tally, yes_no=grouping.yes_no)
            try:
                output, prov = run_task("answer_as_persona", inputs, self.llm)
                provenance |= prov.model_dump(mode="json")
            except StructuredOutputError as exc:  # keep what it said, flagged, so nothing passes as verified
                output = salvage(exc.last_output)
                flags = [f"the model's reply broke the answer rules: {'; '.join(exc.errors[:2])}"]
        sentences = self._verify(output, evidence, chunks, flags, grouping)
        quoted = [s for s in sentences if s.instruction]  # a source's instructions: quoted, never spoken
        answerable = output.answerable and len(quoted) < len(sentences)
        if not answerable:
            suggestion = output.suggested_question or suggested_question(question)
            return ChatTurnResult(**base, answerable=False, answer=" ".join([NOBODY, *map(_shown, quoted)]),
                                  sentences=quoted, suggested_question=suggestion,
                                  evidence_ids=[c.id for c in chunks], provenance=provenance)
        if grouping is not None and grouping.tally:
            sentences = [self._tally(grouping, chunks, sentences), *sentences]
        answer = " ".join(map(_shown, sentences))
        return ChatTurnResult(**base, answerable=True, answer=answer, sentences=sentences,
                              evidence_ids=[c.id for c in chunks], provenance=provenance,
                              stances=grouping.groups if grouping else [])

    def _stances(self, texts: list[str]) -> list[str]:
        # The stance head reads MiniLM vectors: with that embedder, the conversation's own sentence vectors.
        from synth.polarity import EMBEDDER, stances

        same = self.settings.embedder == EMBEDDER
        return stances(texts, vectors=self.retriever.sentence_vectors(texts) if same and texts else None)

    def _retrieval_text(self, question: str) -> str:
        # A follow-up ("why?", "how often?") carries the topic of the previous question.
        if len(question_stems(question)) < 2:
            earlier = [t.question for t in self.session.turns if not t.guarded]
            if earlier:
                return f"{earlier[-1]} {question}"
        return question

    def _tally(self, grouping: Grouping, chunks: list[Chunk], after: list[ChatSentence]) -> ChatSentence:
        """synth's own sentence of counts, citing one quote per counted participant; verified when every quote
        is, and the cited participants of each group are exactly as many as the sentence says."""
        pool = {c.id: c for c in chunks}
        taken = {(c.chunk_id, c.quote): c.n for s in after for c in s.citations}
        cited, flags = [], []
        for voice in grouping.voices:
            checked, flag = check_citation(Citation(chunk_id=voice.chunk_id, quote=voice.quote), pool, self.members,
                                           self.locator)
            n = taken.setdefault((voice.chunk_id, voice.quote), len(taken) + 1)
            cited.append(self._located(n, checked, pool))
            if flag:
                flags.append(f"[{n}] {flag}")
        for group in grouping.groups:
            people = {v.participant_id for v in grouping.voices if v.stance == group.stance}
            if len(people) != group.participants:
                flags.append(f"the tally says {group.participants} {group.says}, the quotes show {len(people)}")
        return ChatSentence(text=grouping.tally, citations=cited, verified=not flags, flags=flags, tally=True)

    # verification ---------------------------------------------------------------------------------
    def _verify(self, output: ChatAnswer, evidence: list[Evidence], chunks: list[Chunk],
                flags: list[str], grouping: Grouping | None = None) -> list[ChatSentence]:
        """Each sentence with its citations checked and, when they all hold, its support judged."""
        by_n = {e.n: e.chunk_id for e in evidence}
        pool = {c.id: c for c in chunks}
        numbers: dict[tuple[str | None, str], int] = {}
        sentences: list[ChatSentence] = []
        injected = {c.id: found for c in chunks if (found := source_instructions(c.text))}
        followed: list[tuple[str, list[tuple[str, SourceInstruction]]]] = []
        for sentence in output.sentences:
            hits = _instructions_used(sentence.text, [(by_n.get(r.n), r.quote) for r in sentence.citations], injected)
            if hits is not None:  # it says or carries out a source's instruction: quote the source instead
                followed.append((sentence.text, hits))
                continue
            cited, own = [], list(flags)
            for ref in sentence.citations:
                chunk_id = by_n.get(ref.n)
                n = numbers.setdefault((chunk_id, ref.quote), len(numbers) + 1)
                if chunk_id is None:  # a number the model made up: no evidence was shown under it
                    checked, flag = Citation(chunk_id="", quote=ref.quote, verdict=Verdict.missing_source), FLAG_MISSING
                else:
                    checked, flag = check_citation(Citation(chunk_id=chunk_id, quote=ref.quote), pool, self.members,
                                                   self.locator)
                cited.append(self._located(n, checked, pool))
                if flag:
                    own.append(f"[{n}] {flag}")
            if not cited:
                own.append(FLAG_NO_CITATION)
            if grouping is not None:  # a count the model states must be a group's count
                wrong = foreign_counts(sentence.text, grouping.counts(), [r.quote for r in sentence.citations])
                if wrong:
                    own.append(f"{FLAG_COUNT}: {', '.join(map(str, wrong))}")
            sentences.append(ChatSentence(text=sentence.text, citations=cited, flags=own))
        quoted: dict[tuple[str, str], ChatSentence] = {}
        for text, hits in followed:  # numbered after the persona's own sources
            self._quote_instructions(text, hits, pool, numbers, quoted)
        return self._judged(sentences) + list(quoted.values())

    def _quote_instructions(self, text: str, hits: list[tuple[str, SourceInstruction]], pool: dict[str, Chunk],
                            numbers: dict, quoted: dict[tuple[str, str], ChatSentence]) -> None:
        """Each source instruction an answer sentence used, once, as a flagged quote of the participant who wrote it."""
        for chunk_id, instruction in hits:
            key = (chunk_id, instruction.text)
            if key in quoted:
                continue
            checked, _ = check_citation(Citation(chunk_id=chunk_id, quote=instruction.text), pool, self.members,
                                        self.locator)
            cited = self._located(numbers.setdefault(key, len(numbers) + 1), checked, pool)
            quoted[key] = ChatSentence(text=f'{cited.speaker or "A participant"} wrote: "{instruction.text}"',
                                       citations=[cited], flags=[FLAG_INSTRUCTION], instruction=True)
        if not hits:  # an instruction of the model's own making, not found in any source: shown, never spoken
            quoted[("", text)] = ChatSentence(text=f'"{text}"', flags=[FLAG_REPEATS_INSTRUCTION], instruction=True)

    def _judged(self, sentences: list[ChatSentence]) -> list[ChatSentence]:
        # The same judge as persona claims: the configured model, or the offline lexical judge.
        todo = [s for s in sentences if s.citations and not s.flags]
        inputs = [JudgeSupportInput(claim=s.text, quotes=[c.quote for c in s.citations]) for s in todo]
        for sentence, (verdict, _prov) in zip(todo, run_tasks("judge_support", inputs, self.llm), strict=True):
            sentence.support = round(float(verdict.score), 3)
            if verdict.supported:
                sentence.verified = True
            else:
                sentence.flags.append(f"{FLAG_UNSUPPORTED}: {verdict.rationale}")
        return sentences

    def _located(self, n: int, checked: Citation, pool: dict[str, Chunk]) -> ChatCitation:
        """The citation for display: who said the quote, in which file, and where in it."""
        found = ChatCitation(n=n, chunk_id=checked.chunk_id or None, quote=checked.quote, verdict=checked.verdict,
                             participant_id=checked.participant_id, document_id=checked.document_id,
                             span=(checked.start, checked.end) if checked.start is not None else None)
        chunk = pool.get(checked.chunk_id) or next(iter(self.store.chunks([checked.chunk_id])), None)
        doc_id = checked.document_id or (chunk.document_id if chunk else None)
        doc = self._docs.setdefault(doc_id, self.store.document(doc_id)) if doc_id else None
        if doc is None:
            return found
        at = checked.start if checked.start is not None else chunk.start if chunk else 0
        turn = next((t for t in doc.turns if t.start <= at < t.end), None)
        found.file = Path(doc.path).name
        found.speaker = turn.speaker if turn else (chunk.speaker if chunk else "")
        found.location = doc.location(turn) if turn else ""
        return found


def _shown(sentence: ChatSentence) -> str:
    return f"{sentence.text} {''.join(f'[{c.n}]' for c in sentence.citations)}".strip()


def _instructions_used(
    text: str, refs: list[tuple[str | None, str]], injected: dict[str, list[SourceInstruction]]
) -> list[tuple[str, SourceInstruction]] | None:
    """The source instructions an answer sentence quotes or carries out, as (chunk id, instruction); an empty
    list when it gives instructions that no source holds; None when it is an ordinary sentence."""
    hits: list[tuple[str, SourceInstruction]] = []
    for chunk_id, quote in refs:
        said = " ".join(quote.split()).casefold()
        for instruction in injected.get(chunk_id or "", []):
            own = " ".join(instruction.text.split()).casefold()
            if said and (said in own or own in said or reproduces(quote, instruction)):
                hits.append((chunk_id, instruction))
    for chunk_id, instructions in injected.items():
        hits += [(chunk_id, i) for i in instructions if (chunk_id, i) not in hits and reproduces(text, i)]
    if hits or source_instructions(text):
        return hits
    return None


def question_problem(question: str) -> str | None:
    """Why `question` can't be asked, in one line, or None. A question with no word in it ("🙃 ???") names no
    topic, yet is not one about experience in general either: it would be answered with whatever is nearest."""
    if not question.strip():
        return "ask a question: an empty one has no answer"
    if not any(ch.isalnum() for ch in question):
        return f"ask a question in words: {question.strip()!r} has none"
    return None


def segment_of(store: Store, persona: Persona) -> Segment:
    """The segment a persona speaks for; ChatError when it is gone (personas re-drafted since)."""
    for segment in load_segments(store):
        if segment.id == persona.segment_id:
            return segment
    raise ChatError(f"persona {persona.name} has no segment {persona.segment_id} in this workspace; "
                    "re-run `synth personas`")


def salvage(raw: str) -> ChatAnswer:
    """What an invalid reply tried to say, as unchecked sentences: shown flagged, never dropped silently."""
    data: Any = None
    match = re.search(r"\{.*\}", raw, re.DOTALL)
    if match:
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            data = None
    sentences = []
    if isinstance(data, dict):
        for item in data.get("sentences") if isinstance(data.get("sentences"), list) else []:
            if not isinstance(item, dict) or not str(item.get("text", "")).strip():
                continue
            refs = [r for r in item.get("citations") or [] if isinstance(r, dict)]
            sentences.append({"text": str(item["text"]).strip(), "citations": [
                {"n": r["n"], "quote": str(r.get("quote") or "?")} for r in refs
                if isinstance(r.get("n"), int) and r["n"] >= 1]})
        if not sentences:
            suggestion = data.get("suggested_question")
            return ChatAnswer(answerable=False, suggested_question=suggestion if isinstance(suggestion, str) else None)
    elif raw.strip():
        sentences = [{"text": " ".join(raw.split())[:400], "citations": []}]
    # Built without validation: these sentences may lack citations, which is exactly what gets flagged.
    from synth.llm.schemas import CitedSentence, QuoteRef

    built = [CitedSentence.model_construct(text=s["text"], citations=[QuoteRef(**r) for r in s["citations"]])
             for s in sentences]
    return ChatAnswer.model_construct(answerable=bool(built), sentences=built, suggested_question=None)


def ask(
    settings: Settings,
    persona: Persona,
    question: str,
    session: ChatSession | str | None = None,
    llm: LLM | None = None,
    k: int = 8,
) -> ChatTurnResult:
    """Answer one question as `persona` (continuing `session` when given) and save the turn."""
    with Chat(settings, persona, llm=llm, session=session, k=k) as chat:
        return chat.ask(question)
