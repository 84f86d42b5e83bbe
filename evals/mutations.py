"""Plant one known defect at a time in good personas, and say where, so an evaluation can be scored on
whether it catches it (mutation testing of `synth eval`).

Each planter changes copies only: the personas list, and the sources (chunks, documents) when the defect
lives there (an interviewer's line that ingest took for a participant's, small talk in a transcript).
Shared by `evals/bench_mutations.py` (both sample corpora, real embedder) and `tests/test_mutations.py`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

from synth.evaluation.checks import claim_polarity
from synth.evaluation.coherence import CONTEXT_SECTIONS, attributes
from synth.evaluation.findings import FindingKind
from synth.evaluation.report import EvalReport
from synth.evaluation.sources import Sources
from synth.llm.offline import CLAIM_FRAME
from synth.llm.text import content_stems, to_third_person
from synth.records import Chunk, Citation, Claim, Document, Kind, Persona, Role, Turn, Verdict, stable_id
from synth.substance import sentence_spans
from synth.verify import locate_quote

KINDS = (
    "fabricated quote", "interviewer quote", "out-of-segment quote", "quote cut mid-word", "flipped polarity",
    "small-talk claim", "contradictory context claim", "wrong prevalence count", "duplicated claim",
)
# The gate metric each finding kind fails: a planted defect counts as caught only when its gate fails too.
GATE_METRIC = {
    FindingKind.fabricated: "unverified_citations", FindingKind.missing_source: "unverified_citations",
    FindingKind.out_of_segment: "unverified_citations", FindingKind.interviewer: "interviewer_citations",
    FindingKind.non_speech: "non_speech_citations", FindingKind.cut_quote: "cut_quotes",
    FindingKind.polarity: "polarity_conflicts", FindingKind.contradiction: "contradictions",
    FindingKind.prevalence: "prevalence_errors", FindingKind.duplicate: "duplicate_claims",
}
SUBSTANCE_SENTENCES = Path(__file__).with_name("substance_sentences.jsonl")
# Transcribers' notes, task prompts and masks, written for this benchmark (not used to tune any rule).
NOTES = (
    "(laughs)", "[inaudible]", "[crosstalk]", "(long pause)", "[REDACTED] [REDACTED].", "XXXX XXXX.",
    "3.a Please explain how you would plan a week with this.", "Task 2: find the settings page and change it.",
    "2. Describe the last time you used it.", "[00:12:03]", "(The participant reads the task again.)",
    "Scenario 3: you want to share this with a colleague.",
)
_FAKE_WORDS = ("always", "weekly", "expensive", "colleagues", "budget", "tablet", "evenings", "manager", "garden")
_INVENTED = ("Honestly it changed my whole life and I tell everyone about it.",
             "I would pay double for this without thinking twice.",
             "My whole team switched over last month and nobody looked back.",
             "It is the only app I open every single morning.")


def small_talk_pool(extra: Sequence[str] = NOTES) -> list[str]:
    """Held-out non-substantive sentences of evals/substance_sentences.jsonl (every 3rd line, never tuned on),
    and transcription notes and task prompts."""
    rows = [json.loads(line) for line in SUBSTANCE_SENTENCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    held_out = [r["text"] for i, r in enumerate(rows) if i % 3 == 2 and r["label"] != "substantive"
                and r["text"] not in SAYS_SOMETHING]
    return held_out + list(extra)


# Labelled "mask" there, but they say something about the participant's experience once the name is gone:
# a claim built on them is not built on small talk.
SAYS_SOMETHING = frozenset({"Dr. XXXX was very kind.", "Spoke with agent {name} on the phone."})


@dataclass
class Mutation:
    """One planted defect: the changed personas and sources, and where the defect is."""

    kind: str
    personas: list[Persona]
    sources: Sources
    target: str  # the persona evaluated
    claim_id: str
    citation: int | None  # 1-based; None: the claim as a whole
    expects: tuple[FindingKind, ...]
    detail: str


@dataclass
class Planter:
    """Plants defects in copies of good personas, at claims and citations the baseline evaluation found clean."""

    personas: list[Persona]
    sources: Sources
    baseline: EvalReport
    rng: Random
    small_talk: list[str] = field(default_factory=small_talk_pool)

    def __post_init__(self) -> None:
        flagged = {(p.persona_id, f.claim_id) for p in self.baseline.personas for f in p.findings}
        flagged |= {(p.persona_id, f.other_claim_id) for p in self.baseline.personas for f in p.findings}
        verified = {(p.persona_id, c.claim_id, c.chunk_id, c.quote) for p in self.baseline.personas for c in p.checks
                    if c.verdict == Verdict.verified and c.stored_verdict == Verdict.verified}
        self.clean: list[tuple[int, int]] = []  # (persona index, claim index) with every citation verified, no finding
        for pi, p in enumerate(self.personas):
            for ci, claim in enumerate(p.claims):
                if (p.id, claim.id) in flagged or not claim.citations:
                    continue
                if all((p.id, claim.id, c.chunk_id, c.quote) in verified for c in claim.citations):
                    self.clean.append((pi, ci))
        self.planters: dict[str, Callable[[], Mutation | None]] = dict(zip(KINDS, (
            self.fabricated, self.interviewer, self.out_of_segment, self.cut, self.polarity, self.small_talk_claim,
            self.contradiction, self.prevalence, self.duplicate), strict=True))

    def plant(self, kind: str, tries: int = 30) -> Mutation | None:
        for _ in range(tries):
            found = self.planters[kind]()
            if found is not None:
                return found
        return None

    # helpers ------------------------------------------------------------------------------------
    def _members(self, persona: Persona) -> set[str]:
        seg = self.sources.segments.get(persona.segment_id)
        return set(seg.participant_ids) if seg else set()

    def _pick_clean(self, where: Callable[[Persona, Claim], bool] = lambda p, c: True) -> tuple[int, int] | None:
        options = [(pi, ci) for pi, ci in self.clean if where(self.personas[pi], self.personas[pi].claims[ci])]
        return self.rng.choice(options) if options else None

    def _with_claim(self, pi: int, ci: int | None, claim: Claim) -> list[Persona]:
        """The personas with claim `ci` of persona `pi` replaced (None: `claim` added)."""
        persona = self.personas[pi]
        claims = list(persona.claims)
        if ci is None:
            claims.append(claim)
        else:
            claims[ci] = claim
        out = list(self.personas)
        out[pi] = persona.model_copy(update={"claims": claims})
        return out

    def _with_sources(self, chunks: Sequence[Chunk] = (), documents: Sequence[Document] = ()) -> Sources:
        changed = {d.id for d in documents}
        out = dataclasses.replace(self.sources, chunks={**self.sources.chunks, **{c.id: c for c in chunks}},
                                  documents={**self.sources.documents, **{d.id: d for d in documents}})
        out._speakers = {k: v for k, v in self.sources._speakers.items() if k not in changed}
        return out

    def _recite(self, citation: Citation, chunk: Chunk, quote: str) -> Citation:
        return citation.model_copy(update={"chunk_id": chunk.id, "quote": quote, "verdict": Verdict.verified,
                                           "participant_id": chunk.participant_id, "document_id": chunk.document_id})

    def _sentence(self, text: str, min_words: int = 4) -> str | None:
        spans = [text[s:e] for s, e in sentence_spans(text) if len(text[s:e].split()) >= min_words]
        return self.rng.choice(spans) if spans else None

    # the defects ----------------------------------------------------------------------------------
    def fabricated(self) -> Mutation | None:
        """A quote whose words are not in the passage it cites, still shown as verified."""
        pick = self._pick_clean()
        if pick is None:
            return None
        pi, ci = pick
        claim = self.personas[pi].claims[ci]
        i = self.rng.randrange(len(claim.citations))
        cite = claim.citations[i]
        chunk = self.sources.chunks[cite.chunk_id]
        words = cite.quote.split()
        how = self.rng.choice(("swap a word", "add a negation", "words from elsewhere", "invented"))
        if how == "swap a word" and len(words) >= 3:
            at = self.rng.choice([k for k, w in enumerate(words) if len(w) >= 3] or [0])
            words[at] = self.rng.choice(_FAKE_WORDS)
            quote = " ".join(words)
        elif how == "add a negation" and len(words) >= 3:
            at = self.rng.randrange(1, len(words))
            quote = " ".join([*words[:at], self.rng.choice(("never", "not", "no longer")), *words[at:]])
        elif how == "words from elsewhere":
            others = [c for c in self.sources.chunks.values() if c.role == Role.participant and c.id != chunk.id
                      and c.participant_id in self._members(self.personas[pi])]
            quote = self._sentence(self.rng.choice(others).text) if others else None
        else:
            quote = self.rng.choice(_INVENTED)
        if not quote or locate_quote(quote, chunk.text) is not None:
            return None
        citations = list(claim.citations)
        citations[i] = cite.model_copy(update={"quote": quote})
        return Mutation("fabricated quote", self._with_claim(pi, ci, claim.model_copy(update={"citations": citations})),
                        self.sources, self.personas[pi].id, claim.id, i + 1, (FindingKind.fabricated,), how)

    def interviewer(self) -> Mutation | None:
        """An interviewer's line cited as a participant's: mostly because ingest took the interviewer for a
        participant (the chunk and turn say participant), sometimes a citation of the interviewer's turn."""
        turns = [(d, t) for d in self.sources.documents.values() if d.kind == Kind.interview for t in d.turns
                 if t.role == Role.interviewer and len(d.text[t.start:t.end].split()) >= 4]
        if not turns:
            return None
        doc, turn = self.rng.choice(turns)
        speech = doc.text[turn.start:turn.end]
        quote = self._sentence(speech, 3) or speech
        interviewees = {c.participant_id for c in self.sources.chunks.values()
                        if c.document_id == doc.id and c.participant_id and c.role == Role.participant}
        homes = [pi for pi, p in enumerate(self.personas) if self._members(p) & interviewees]
        pi = self.rng.choice(homes) if homes else self.rng.randrange(len(self.personas))
        pick = self._pick_clean(lambda p, c: p.id == self.personas[pi].id)
        if pick is None:
            return None
        _, ci = pick
        claim = self.personas[pi].claims[ci]
        misroled = self.rng.random() < 0.7
        pid = next(iter(sorted(self._members(self.personas[pi]) & interviewees)), None) or \
            sorted(self._members(self.personas[pi]))[0]
        chunk = Chunk(document_id=doc.id, participant_id=pid if misroled else None, speaker=turn.speaker,
                      role=Role.participant if misroled else Role.interviewer, kind=doc.kind, text=speech,
                      start=turn.start, end=turn.end)
        docs = []
        if misroled:  # what ingest would have stored: the turn as the participant's
            turns2 = [t.model_copy(update={"role": Role.participant}) if t is turn else t for t in doc.turns]
            docs = [doc.model_copy(update={"turns": turns2})]
        i = self.rng.randrange(len(claim.citations))
        citations = list(claim.citations)
        citations[i] = self._recite(citations[i], chunk, quote)
        how = f"{'mis-roled' if misroled else 'interviewer turn'}: {turn.speaker}"
        return Mutation("interviewer quote",
                        self._with_claim(pi, ci, claim.model_copy(update={"citations": citations})),
                        self._with_sources([chunk], docs), self.personas[pi].id, claim.id, i + 1,
                        (FindingKind.interviewer,), how)

    def out_of_segment(self) -> Mutation | None:
        """Real words of a participant of another segment, cited as verified."""
        pick = self._pick_clean()
        if pick is None:
            return None
        pi, ci = pick
        members = self._members(self.personas[pi])
        others = [c for c in self.sources.chunks.values() if c.role == Role.participant and c.participant_id
                  and c.participant_id not in members and len(c.text.split()) >= 6]
        if not others:
            return None
        chunk = self.rng.choice(others)
        quote = self._sentence(chunk.text)
        if not quote:
            return None
        claim = self.personas[pi].claims[ci]
        i = self.rng.randrange(len(claim.citations))
        citations = list(claim.citations)
        citations[i] = self._recite(citations[i], chunk, quote)
        return Mutation("out-of-segment quote",
                        self._with_claim(pi, ci, claim.model_copy(update={"citations": citations})),
                        self.sources, self.personas[pi].id, claim.id, i + 1, (FindingKind.out_of_segment,), chunk.kind.value)

    def cut(self) -> Mutation | None:
        """A verified quote trimmed so that it starts or ends inside a word."""
        pick = self._pick_clean()
        if pick is None:
            return None
        pi, ci = pick
        claim = self.personas[pi].claims[ci]
        i = self.rng.randrange(len(claim.citations))
        cite = claim.citations[i]
        chunk = self.sources.chunks[cite.chunk_id]
        span = locate_quote(cite.quote, chunk.text)
        if span is None:
            return None
        s, e = span
        words = [(m.start() + s, m.end() + s) for m in re.finditer(r"[A-Za-z0-9]{3,}", chunk.text[s:e])]
        if len(words) < 3:
            return None
        if self.rng.random() < 0.5:
            ws, we = words[-1]
            quote, how = chunk.text[s:self.rng.randint(ws + 1, we - 1)], "end"
        else:
            ws, we = words[0]
            quote, how = chunk.text[self.rng.randint(ws + 1, we - 1):e], "start"
        citations = list(claim.citations)
        citations[i] = cite.model_copy(update={"quote": quote})
        return Mutation("quote cut mid-word", self._with_claim(pi, ci, claim.model_copy(update={"citations": citations})),
                        self.sources, self.personas[pi].id, claim.id, i + 1, (FindingKind.cut_quote,), how)

    def polarity(self) -> Mutation | None:
        """A frustration turned into something the persona loves, or a motivation into a frustration."""
        pick = self._pick_clean(lambda p, c: c.section not in ("quotes", "narrative") and claim_polarity(c) is not None)
        if pick is None:
            return None
        pi, ci = pick
        claim = self.personas[pi].claims[ci]
        body = _body(claim.text)
        if claim_polarity(claim) == "negative":
            section, text = "motivations", f"{self.rng.choice(('Loves that', 'Enjoys that', 'Values that'))} {body}"
        else:
            section, text = "frustrations", f"{self.rng.choice(('Gets frustrated that', 'Hates that'))} {body}"
        flipped = claim.model_copy(update={"section": section, "text": text})
        return Mutation("flipped polarity", self._with_claim(pi, ci, flipped), self.sources, self.personas[pi].id,
                        claim.id, None, (FindingKind.polarity,), f"{claim.section} -> {section}")

    def small_talk_claim(self) -> Mutation | None:
        """A claim built on small talk, a note or a task prompt said in a participant's transcript or post."""
        pi = self.rng.randrange(len(self.personas))
        persona = self.personas[pi]
        members = self._members(persona)
        chunks = [c for c in self.sources.chunks.values() if c.participant_id in members and c.role == Role.participant
                  and c.document_id in self.sources.documents]
        if not chunks:
            return None
        interviews = [c for c in chunks if c.kind == Kind.interview]
        host = self.rng.choice(interviews if interviews and self.rng.random() < 0.6 else chunks)
        doc = self.sources.documents[host.document_id]
        sentence = self.rng.choice(self.small_talk)
        start = len(doc.text) + 1 + (len(host.speaker) + 2 if doc.kind == Kind.interview else 0)
        line = f"\n{host.speaker}: {sentence}" if doc.kind == Kind.interview else f"\n{sentence}"
        turn = Turn(speaker=host.speaker, role=Role.participant, start=start, end=start + len(sentence))
        planted = doc.model_copy(update={"text": doc.text + line, "turns": [*doc.turns, turn]})
        chunk = Chunk(document_id=doc.id, participant_id=host.participant_id, speaker=host.speaker,
                      role=Role.participant, kind=doc.kind, text=sentence, start=start, end=start + len(sentence))
        assert planted.text[chunk.start:chunk.end] == sentence
        section = self.rng.choice(("behaviours", "context", "motivations", "needs", "goals"))
        claim = Claim(section=section, text=f"Says {to_third_person(sentence)}", citations=[
            Citation(chunk_id=chunk.id, quote=sentence, document_id=doc.id, participant_id=host.participant_id,
                     verdict=Verdict.verified)], support_count=1, verdict=Verdict.supported)
        claim = _with_prevalence(claim, persona, members)
        return Mutation("small-talk claim", self._with_claim(pi, None, claim), self._with_sources([chunk], [planted]),
                        persona.id, claim.id, 1, (FindingKind.non_speech,), f"{doc.kind.value}: {sentence}")

    def contradiction(self) -> Mutation | None:
        """A context claim that cannot hold beside one the persona already makes."""
        def spread(c: Claim) -> bool:  # "Students (15) and dads (3), of 34 who said who they are": no verb to deny
            prev = getattr(c, "prevalence", None)
            return prev is not None and (bool(prev.sides) or prev.base == "described")

        pick = self._pick_clean(lambda p, c: c.section != "quotes" and (bool(attributes(c.text)) or (
            any(k in c.section.lower() for k in CONTEXT_SECTIONS) and not spread(c) and _negate(c.text))))
        if pick is None:
            return None
        pi, ci = pick
        base = self.personas[pi].claims[ci]
        found = attributes(base.text)
        text = _opposite(self.rng.choice(found), self.rng) if found else _negate(base.text)
        if not text or text == base.text:
            return None
        claim = Claim(section="context", text=text, citations=list(base.citations), support_count=base.support_count,
                      verdict=Verdict.supported)
        claim = _with_prevalence(claim, self.personas[pi], self._members(self.personas[pi]))
        return Mutation("contradictory context claim", self._with_claim(pi, None, claim), self.sources,
                        self.personas[pi].id, claim.id, None, (FindingKind.contradiction,), f"{base.text!r} vs {text!r}")

    def prevalence(self) -> Mutation | None:
        """A prevalence figure (count, out of, who is counted, or the number in the text) made wrong."""
        pick = self._pick_clean(lambda p, c: c.section != "quotes")
        if pick is None:
            return None
        pi, ci = pick
        persona, claim = self.personas[pi], self.personas[pi].claims[ci]
        members = self._members(persona)
        prev = getattr(claim, "prevalence", None)
        k = self.rng.choice((1, 2, 3))
        if prev is None:
            count = claim.support_count + (k if claim.support_count < k or self.rng.random() < 0.5 else -k)
            return Mutation("wrong prevalence count",
                            self._with_claim(pi, ci, claim.model_copy(update={"support_count": count})), self.sources,
                            persona.id, claim.id, None, (FindingKind.prevalence,), f"support count -> {count}")
        options = ["out of", "support count", "add outsider"]
        ids = set(prev.participant_ids)
        figures = [m for m in re.finditer(r"\b(\d{1,6}) of (\d{1,6})\b", claim.text) if int(m.group(2)) == prev.of]
        if figures:
            options.append("text")
        cited = {c.participant_id for c in claim.citations if c.participant_id}
        if cited & ids and prev.base != "cited":
            options.append("drop a quoted participant")
        if self.sources.profiles is not None:
            silent = [p for p in members - ids if not self.sources.profiles.get(p)]
            if silent:
                options.append("add someone who said nothing")
        how = self.rng.choice(options)
        update: dict = {}
        if how == "out of":
            update["prevalence"] = prev.model_copy(update={"of": prev.of + self.rng.choice((-k, k)) if prev.of > k
                                                    else prev.of + k})
        elif how == "support count":
            update["support_count"] = claim.support_count + k
        elif how == "add outsider":
            outsiders = sorted({c.participant_id for c in self.sources.chunks.values() if c.participant_id} - members)
            if not outsiders:
                return None
            update["prevalence"] = prev.model_copy(update={"participant_ids": sorted(ids | {self.rng.choice(outsiders)})})
            update["support_count"] = claim.support_count + 1
        elif how == "text":
            m = self.rng.choice(figures)
            wrong = int(m.group(1)) + k
            update["text"] = claim.text[:m.start(1)] + str(wrong) + claim.text[m.end(1):]
        elif how == "drop a quoted participant":
            gone = self.rng.choice(sorted(cited & ids))
            update["prevalence"] = prev.model_copy(update={"participant_ids": sorted(ids - {gone})})
            update["support_count"] = max(0, claim.support_count - 1)
        else:
            extra = self.rng.choice(sorted(silent))
            update["prevalence"] = prev.model_copy(update={"participant_ids": sorted(ids | {extra})})
            update["support_count"] = claim.support_count + 1
        return Mutation("wrong prevalence count", self._with_claim(pi, ci, claim.model_copy(update=update)),
                        self.sources, persona.id, claim.id, None, (FindingKind.prevalence,), how)

    def duplicate(self) -> Mutation | None:
        """A claim of one persona repeated (word for word or nearly) in another, citing that persona's own words."""
        if len(self.personas) < 2:
            return None
        pick = self._pick_clean(lambda p, c: c.section != "quotes" and len(set(content_stems(c.text, CLAIM_FRAME))) >= 4)
        if pick is None:
            return None
        pa, ca = pick
        source = self.personas[pa].claims[ca]
        pb = self.rng.choice([i for i in range(len(self.personas)) if i != pa])
        own = self._pick_clean(lambda p, c: p.id == self.personas[pb].id)
        if own is None:
            return None
        cite = self.rng.choice(self.personas[pb].claims[own[1]].citations)
        how = self.rng.choice(("word for word", "pronouns changed", "a word dropped"))
        text = source.text
        if how == "pronouns changed":
            text = re.sub(r"\b(?:they|their|them)\b", lambda m: {"they": "this persona", "their": "this persona's",
                                                                   "them": "this persona"}[m.group(0)], text)
        elif how == "a word dropped":
            words = text.split()
            drop = [i for i, w in enumerate(words) if w.lower() in {"the", "a", "an", "really", "just", "very", "so"}]
            if drop:
                del words[self.rng.choice(drop)]
                text = " ".join(words)
        claim = Claim(section=source.section, text=text, citations=[cite], support_count=1, verdict=Verdict.supported)
        claim = claim.model_copy(update={"id": stable_id("clm", "planted", source.id, self.personas[pb].id, length=12)})
        claim = _with_prevalence(claim, self.personas[pb], self._members(self.personas[pb]))
        return Mutation("duplicated claim", self._with_claim(pb, None, claim), self.sources, self.personas[pb].id,
                        claim.id, None, (FindingKind.duplicate,), how)


def _with_prevalence(claim: Claim, persona: Persona, members: set[str]) -> Claim:
    """A claim drafted from its citations alone counts them, as the personas stage records it."""
    if not any(getattr(c, "prevalence", None) is not None for c in persona.claims):
        return claim
    from synth.records import Prevalence

    cited = sorted({c.participant_id for c in claim.citations if c.participant_id})
    return claim.model_copy(update={"prevalence": Prevalence(of=len(members), participant_ids=cited, base="cited"),
                                    "support_count": len(cited)})


_FRAME = re.compile(r"^(?:(?:gets|is|feels) (?:\w+ )?(?:frustrated|annoyed|upset|tired) (?:that|with|by|about)|"
                    r"hates that|hates|loves that|loves|enjoys that|enjoys|values that|values|likes that|likes|says that|"
                    r"says)\s+", re.IGNORECASE)


def _body(text: str) -> str:
    """The claim without its framing verb: what it is about, to frame the other way."""
    body = _FRAME.sub("", text.strip(), count=1)
    return body[:1].lower() + body[1:] if body[:2] != body[:2].upper() else body


_OPPOSITES = {
    ("household", "alone"): ("Lives with their partner and two kids.", "Shares a house with three roommates."),
    ("household", "company"): ("Lives alone.", "Lives on their own in a one-person household."),
    ("stage", "student"): ("Is retired after forty years of work.", "Is a retired teacher."),
    ("stage", "retired"): ("Is a full-time student at university.", "Works full-time as a manager."),
    ("stage", "employed"): ("Is retired and no longer works.", "Is unemployed and looking for work."),
    ("stage", "unemployed"): ("Works full-time as a manager.", "Is retired."),
    ("place", "city"): ("Lives in a small village in the countryside.",),
    ("place", "rural"): ("Lives in the city centre.",),
    ("company", "small"): ("Works at a large enterprise company with 20,000 employees.",),
    ("company", "large"): ("Runs a small startup of five people.", "Works at a tiny agency."),
}


def _opposite(attribute, rng: Random) -> str | None:
    """A claim stating an attribute of a life that cannot hold beside `attribute`."""
    if attribute.topic == "children":
        if attribute.value == 0:
            return rng.choice(("Has three kids at home.", "Is a mum of two."))
        return rng.choice(("Has no kids.", "Does not have any children."))
    if attribute.topic == "team":
        return "Leads a team of twelve engineers." if attribute.value == 1 else "Is a solo founder who works alone."
    if attribute.topic == "age":
        low = attribute.value[0]
        return f"Is {low + 30 if low < 50 else low - 30} years old."
    options = _OPPOSITES.get((attribute.topic, attribute.value))
    return rng.choice(options) if options else None


_AUX = re.compile(r"\b(is|are|was|were|can|will|does|do|did|has|have)\b(?! not)", re.IGNORECASE)
_FIGURE_IN_TEXT = re.compile(r"\s*\(\d+ of \d+[^)]*\)")


def _base_form(verb: str) -> str:
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("ches", "shes", "sses", "xes")):
        return verb[:-2]
    return verb[:-1]


def _negate(text: str) -> str | None:
    """The claim said the other way round: its first auxiliary or third-person verb negated."""
    text = _FIGURE_IN_TEXT.sub("", text)  # the planted claim states no figure of its own
    words = text.split()
    # "Lives alone", "Keira uses Beacon", "Keira gets frustrated that": the verb is the first or second word.
    for i in (0, 1)[: len(words) - 1]:
        w = words[i]
        if re.fullmatch(r"[A-Za-z]+s", w) and w.lower() not in ("is", "was", "has", "does", "this", "its", "his"):
            if i == 0 or words[0][:1].isupper():
                head = "Does" if i == 0 else f"{words[0]} does"
                return " ".join([head, "not", _base_form(w).lower(), *words[i + 1:]])
    m = _AUX.search(text)
    if m is None or len(text) - m.end() < 8:
        return None  # "... who they are." has nothing after the verb to deny
    low = m.group(1).lower()
    if low in ("has", "have"):
        out = text[:m.start()] + ("does not have" if low == "has" else "do not have") + text[m.end():]
        return out[:1].upper() + out[1:]
    return text[:m.end()] + " not" + text[m.end():]


# scoring ----------------------------------------------------------------------------------------
def _key(persona_id: str, f) -> tuple:
    return persona_id, f.kind, f.claim_id, f.citation, f.other_claim_id


def baseline_keys(report: EvalReport) -> set[tuple]:
    return {_key(p.persona_id, f) for p in report.personas for f in p.findings}


@dataclass
class Score:
    caught: bool
    how: str  # the finding that caught it, or why not
    collateral: int  # new findings elsewhere in the persona (not the planted defect, not "unsupported")


def score(mutation: Mutation, report: EvalReport, baseline: set[tuple]) -> Score:
    """Whether the evaluation found the planted defect where it was planted, and failed the persona's gate for it."""
    persona = next(p for p in report.personas if p.persona_id == mutation.target)
    failing = {f.metric for f in report.failures if f.persona_id == mutation.target}
    fresh = [f for f in persona.findings if _key(persona.persona_id, f) not in baseline]
    at = [f for f in fresh if mutation.claim_id in (f.claim_id, f.other_claim_id)
          and (mutation.citation is None or f.citation in (None, mutation.citation))]
    hit = next((f for f in at if f.kind in mutation.expects), None)
    planted = set(map(id, at))
    collateral = sum(1 for f in fresh if id(f) not in planted and f.kind != FindingKind.unsupported)
    if hit is None:
        kinds = ", ".join(sorted({f.kind.value for f in at})) or "nothing"
        return Score(False, f"found {kinds} at the planted claim", collateral)
    gate = GATE_METRIC[hit.kind]
    if gate not in failing and not (hit.kind == FindingKind.fabricated and "verified_display_fidelity" in failing):
        return Score(False, f"found {hit.kind.value} but no gate failed", collateral)
    return Score(True, f"{hit.kind.value}: {hit.message}", collateral)
