"""Checks that do not trust the pipeline: every finding is re-derived from the sources themselves.

Per citation: is the quote in its source, is it a participant's speech (read again from the transcript's
speaker labels, questions and introductions, whatever role ingest gave), does it say anything (greetings,
fillers, audio checks, masks, stage directions and task prompts say nothing), is it cut mid-word. Per claim:
does its polarity match its quotes (a frustration cannot be made of praise), does its prevalence figure
recount. Contradictions within a persona and duplicates across personas are in `synth.evaluation.coherence`.
"""

from __future__ import annotations

import re

from synth.evaluation.findings import Finding, FindingKind
from synth.evaluation.report import CitationCheck
from synth.evaluation.sources import Sources, researcher_introduction
from synth.parsers.nonspeech import is_nonspeech_line
from synth.polarity import is_desire, stances
from synth.records import Chunk, Claim, Persona, Verdict
from synth.speakers import is_question
from synth.substance import substance
from synth.verify import locate_quote


# citations --------------------------------------------------------------------------------------
def citation_findings(claim: Claim, checks: list[CitationCheck], sources: Sources) -> list[Finding]:
    """Findings for each citation of a claim, re-derived from its chunk and document."""
    out: list[Finding] = []
    for i, (citation, check) in enumerate(zip(claim.citations, checks, strict=True), 1):
        def add(kind: FindingKind, message: str) -> None:
            out.append(Finding(kind=kind, claim_id=claim.id, citation=i, message=message, quote=citation.quote))

        shown = " (shown as verified)" if check.stored_verdict == Verdict.verified else ""
        if check.verdict == Verdict.missing_source:
            add(FindingKind.missing_source, f"cites a passage that is not in the workspace{shown}")
            continue
        if check.verdict == Verdict.fabricated:
            add(FindingKind.fabricated, f"these words are not in the passage it cites{shown}")
            continue
        chunk = sources.chunks[citation.chunk_id]
        if check.verdict == Verdict.out_of_segment:
            add(FindingKind.out_of_segment, f"said by {chunk.speaker or 'someone'}, who is not in this persona's "
                                            f"segment{shown}")
        if check.verdict == Verdict.interviewer:
            add(FindingKind.interviewer, f"the words of {chunk.speaker or 'a non-participant'}, not a participant{shown}")
        else:
            why = interviewer_reason(citation.quote, chunk, sources)
            if why:
                add(FindingKind.interviewer, why)
        why = non_speech_reason(citation.quote, sources.study_language) or call_talk_reason(citation.quote, chunk, sources)
        if why:
            add(FindingKind.non_speech, why)
        cut = cut_reason(citation.quote, chunk, sources)
        if cut:
            add(FindingKind.cut_quote, cut)
    return out


def _quote_start(quote: str, chunk: Chunk) -> tuple[int, int] | None:
    span = locate_quote(quote, chunk.text)
    return (chunk.start + span[0], chunk.start + span[1]) if span else None


def interviewer_reason(quote: str, chunk: Chunk, sources: Sources) -> str | None:
    """Why these words look like an interviewer's, read from the transcript itself, else None."""
    intro = researcher_introduction(quote, first=False)
    if intro:
        return f"introduces the speaker as the researcher ({intro!r})"
    speakers = sources.speakers(chunk.document_id)
    if speakers is None or not speakers.conversation:
        return None
    span = _quote_start(quote, chunk)
    turn = speakers.turn_at(span[0]) if span else None
    if turn is None:
        return None
    why = speakers.interviewer_reason(turn.speaker)
    if why:
        return why
    said = speakers.doc.text[turn.start:turn.end]
    if is_question(quote) and is_question(said):
        return f"a question {turn.speaker} asks, not something they say about themselves"
    return None


def non_speech_reason(quote: str, study_language: str | None = None) -> str | None:
    """Why the quote says nothing a persona could claim (small talk, filler, mask, note, task prompt), else None."""
    if is_nonspeech_line(quote):
        return "a transcriber's note, task prompt, timestamp or mask, not speech"
    if not any(ch.isalpha() for ch in quote):
        return "says nothing about the participant (no words)"
    reason = substance(quote, study_language=study_language)
    if reason is None:
        return None
    if reason == "other language":
        return "in another language than the study's"
    return f"says nothing about the participant ({reason})"


_CLAUSE = re.compile(r"[,;:–—]\s+|\.\s+|\s+(?:so|but|and)\s+", re.IGNORECASE)
_ABOUT_THE_CALL = ("audio check", "apology", "logistics", "goodbye", "greeting", "thanks")
_WHEN = re.compile(r"\s*\b(?:today|tonight|right now|just now|now|at the moment|this (?:morning|afternoon|evening)|"
                   r"again|for some reason|as usual)\b[.!?]*\s*$", re.IGNORECASE)
OPENING_TURNS = 3  # named turns at each end of a transcript where greetings and audio checks happen


def call_talk_reason(quote: str, chunk: Chunk, sources: Sources) -> str | None:
    """Talk about the call itself ("Sorry, I'm parked, so if I vanish it's the line moving") at an interview's
    opening or close, or in reply to small talk: a clause of the quote is an apology, audio check, logistics or
    goodbye, and the quote sits where the conversation is about the call, not the study."""
    speakers = sources.speakers(chunk.document_id)
    if speakers is None or not speakers.conversation:
        return None
    clauses = [c for c in _CLAUSE.split(quote) if c.strip()]
    clauses += [bare for c in clauses if (bare := _WHEN.sub("", c)) != c]  # "my wifi is bad today": not about today
    reason = next((r for clause in clauses
                   if (r := substance(clause, study_language=sources.study_language)) in _ABOUT_THE_CALL), None)
    if reason is None:
        return None
    span = _quote_start(quote, chunk)
    turns = [t for t in speakers.doc.turns if t.speaker in speakers.stats]
    at = next((i for i, t in enumerate(turns) if span and t.start <= span[0] < t.end), None)
    if at is None:
        return None
    before = next((t for t in reversed(turns[:at]) if t.speaker != turns[at].speaker), None)
    replies_to_small_talk = before is not None and substance(
        speakers.doc.text[before.start:before.end], study_language=sources.study_language) is not None
    if at < OPENING_TURNS or at >= len(turns) - OPENING_TURNS or replies_to_small_talk:
        return f"talk about the call itself ({reason}), not about the participant"
    return None


def _mid_word(text: str, at: int) -> bool:
    """Whether position `at` falls inside a word of `text` (letters or digits on both sides)."""
    if at <= 0 or at >= len(text):
        return False
    before, after = text[at - 1], text[at]
    if before.isalnum() and after.isalnum():
        return True
    # "don" + "'t": an apostrophe that continues the word
    return before.isalpha() and after in "'’" and at + 1 < len(text) and text[at + 1].isalpha()


def cut_reason(quote: str, chunk: Chunk, sources: Sources) -> str | None:
    """Why the quote is cut mid-word at its start or end, else None."""
    doc = sources.documents.get(chunk.document_id)
    text, offset = (doc.text, 0) if doc is not None else (chunk.text, chunk.start)
    span = _quote_start(quote, chunk)
    if span is None:
        return None
    start, end = span[0] - offset, span[1] - offset
    if _mid_word(text, start):
        word = re.search(r"[\w'’]*$", text[max(0, start - 30):start]).group(0) + text[start:start + 12].split(" ")[0]
        return f"starts in the middle of a word ({word!r})"
    if _mid_word(text, end):
        word = text[max(0, end - 12):end].split(" ")[-1] + re.match(r"[\w'’]*", text[end:end + 30]).group(0)
        return f"ends in the middle of a word ({word!r})"
    return None


# polarity ---------------------------------------------------------------------------------------
_LEAD = re.compile(r"^(?:(?:day to day|at the same time|underneath it all|what would help|above all|"
                   r"most of all|in short|overall)\s*[,:]\s*)?(?:(?:this|the) persona|the [\w' -]{1,40}?|they|"
                   r"he|she)?\s*", re.IGNORECASE)
_NEGATIVE_FRAME = re.compile(
    r"^(?:(?:gets|get|is|are|feels|feel|becomes|grows|is getting) (?:\w+ )?(?:frustrated|annoyed|irritated|upset|"
    r"fed up|tired|sick|disappointed|stressed|angry|worried|anxious|confused|overwhelmed|let down|bothered)|"
    r"hates|dislikes|resents|dreads|complains|struggles|can't stand|cannot stand|is unhappy|"
    r"finds? (?:it )?(?:hard|difficult|frustrating|annoying|confusing|painful))\b",
    re.IGNORECASE,
)
_POSITIVE_FRAME = re.compile(
    r"^(?:loves|likes|enjoys|values|appreciates|adores|praises|(?:is|are|feels) (?:\w+ )?(?:happy|glad|pleased|"
    r"delighted|satisfied|grateful|thrilled|relieved|excited)|finds? (?:it )?(?:easy|helpful|useful|great|"
    r"delightful))\b",
    re.IGNORECASE,
)
NEGATIVE_SECTIONS = ("frustration", "pain", "challenge", "problem", "complaint", "barrier", "obstacle", "dislike")
POSITIVE_SECTIONS = ("motivation", "like", "delight", "love")
DESIRE_SECTIONS = ("goal", "need", "desire", "want", "aspiration", "job")


def framing(claim: Claim) -> tuple[str | None, str | None]:
    """(polarity, what it is said of): from the claim's own framing ("Gets frustrated that X", "Loves X"), else
    (its section's polarity, None); (None, None) for sections that take any stance, desires and splits."""
    prevalence = getattr(claim, "prevalence", None)
    if prevalence is not None and getattr(prevalence, "sides", None):
        return None, None  # a split states both sides on purpose
    body = _LEAD.sub("", claim.text.strip(), count=1)
    for polarity, frame in (("negative", _NEGATIVE_FRAME), ("positive", _POSITIVE_FRAME)):
        m = frame.match(body)
        if m:
            return polarity, re.sub(r"^\s*(?:that|about|with|by|when|how)\b\s*", "", body[m.end():], flags=re.I) or None
    section = claim.section.lower()
    if any(k in section for k in NEGATIVE_SECTIONS):
        return "negative", None
    if any(k in section for k in POSITIVE_SECTIONS):
        return "positive", None
    return None, None


def claim_polarity(claim: Claim) -> str | None:
    """'negative' or 'positive' as the claim frames itself (see `framing`), else None."""
    return framing(claim)[0]


def polarity_finding(claim: Claim, checks: list[CitationCheck], sources: Sources) -> Finding | None:
    """A finding when the claim's quotes say the opposite of what the claim says of them.

    Opposite, not merely neutral: a frustration more of whose quotes are praise than complaints; a positive claim
    more of whose quotes are complaints than praise or wishes (a majority, so that one misread quote neither
    hides nor makes a conflict). When every quote is neutral, a claim that frames its own words the other way
    ("Loves that the UI changes too often") is one.
    """
    expected, framed = framing(claim)
    if expected is None or claim.section == "quotes":
        return None
    quotes = [(c.quote, sources.chunks.get(c.chunk_id)) for c in checks if c.verbatim]
    if not quotes:
        return None
    texts = [q for q, _ in quotes] + ([framed] if framed else [])
    found = stances(texts, [sources.rating(chunk) if chunk else None for _, chunk in quotes] + [None] * bool(framed))
    said = list(zip(texts, found, strict=True))[:len(quotes)]
    if expected == "negative":
        agree = [q for q, s in said if s == "negative"]
        opposite = [q for q, s in said if s == "positive"]
        what = "a complaint or problem", "praise"
    else:
        agree = [q for q, s in said if s == "positive" or is_desire(q)]
        opposite = [q for q, s in said if s == "negative"]
        what = "praise, a positive reason or a wish", "a complaint"
    if len(opposite) > len(agree):
        most = "none" if not agree else f"only {len(agree)} of {len(said)}"
        return Finding(kind=FindingKind.polarity, claim_id=claim.id, quote=opposite[0],
                       message=f"a {expected} claim ({claim.section}) whose quotes are {what[1]}, {most} {what[0]}")
    if not agree and not opposite and framed and found[-1] == ("positive" if expected == "negative" else "negative"):
        return Finding(kind=FindingKind.polarity, claim_id=claim.id, quote=quotes[0][0],
                       message=f"frames {what[1]} ({framed!r}) as a {expected} claim; its quotes say neither")
    return None


# prevalence -------------------------------------------------------------------------------------
_FIGURE = re.compile(r"\b(\d{1,6})\s*(?:of|out of|/)\s*(?:the\s+)?(\d{1,6})\b")
_CONTEXT = ("context", "who", "narrative")
WHO = "who"


def _statement_fits(claim_section: str, statement_section: str) -> bool:
    """Whether a profile statement of this section can be one a claim of that section aggregates."""
    claim_section, statement_section = claim_section.lower(), statement_section.lower()
    if claim_section == "narrative":
        return True  # a narrative sentence restates claims of any section
    if claim_section in _CONTEXT:
        return statement_section in _CONTEXT or statement_section == claim_section
    return statement_section == claim_section


def recount(claim: Claim, checks: list[CitationCheck], sources: Sources, members: set[str] | None) -> list[str]:
    """What does not recount in the claim's prevalence ("9 of 14"), each said in words; empty when it does.

    Recounted from the sources: who its verified quotes are by, the segment's size, and, when participant
    profiles are stored, whether each participant it counts has a statement it can aggregate (and, for a
    "described" base, how many of the segment said who they are).
    """
    cited = {c.participant_id for c in checks if c.verdict == Verdict.verified and c.participant_id}
    prevalence = getattr(claim, "prevalence", None)
    wrong: list[str] = []
    if prevalence is None:
        if claim.section != "quotes" and claim.support_count != len(cited):
            wrong.append(f"its support count is {claim.support_count}, but its verified quotes are by {len(cited)} "
                         f"participant(s)")
        return wrong
    ids = set(prevalence.participant_ids)
    base = getattr(prevalence, "base", "segment")
    profiles = sources.profiles
    if base == "cited":
        if ids != cited:
            wrong.append(f"it counts {len(ids)}, but its verified quotes are by {len(cited)} participant(s)")
    else:
        if members is not None and ids - members:
            wrong.append(f"it counts {len(ids - members)} participant(s) outside the segment")
        if cited - ids:
            wrong.append(f"{len(cited - ids)} of the participants it quotes are not among those it counts")
        if profiles is not None:
            # A split or a spread ("5 of 14 find ...; 9 of 14 say ...") may join statements of several sections.
            any_section = bool(getattr(prevalence, "sides", None))
            unbacked = [p for p in ids & (members or ids) if not any(
                any_section or _statement_fits(claim.section, st.section) for st in profiles.get(p, []))]
            if unbacked:
                wrong.append(f"{len(unbacked)} of the participants it counts have no profile statement it could "
                             f"aggregate")
    if members is not None:
        if base == "described" and profiles is not None:
            expected = sum(1 for p in members if any(st.section.lower() == WHO for st in profiles.get(p, [])))
            what = "segment participants who said who they are"
        elif base == "described":
            expected, what = None, ""
        else:
            expected, what = len(members), "segment participants"
        if expected is not None and prevalence.of != expected:
            wrong.append(f"it is out of {prevalence.of}, but there are {expected} {what}")
    # Nobody counts without one verified quote of the claim (synth.personas.verify does the same).
    expected_support = (len(cited) if base == "cited" else len(ids & members if members is not None else ids)) \
        if cited else 0
    if claim.support_count != expected_support:
        wrong.append(f"its support count is {claim.support_count}, but {expected_support} recount")
    sides = list(getattr(prevalence, "sides", []) or [])
    if sides and (max(sides) > len(ids) or sum(sides) < len(ids)):
        wrong.append(f"its sides {sides} do not add up to the {len(ids)} participants it counts")
    for m in _FIGURE.finditer(claim.text):
        count, of = int(m.group(1)), int(m.group(2))
        if of != prevalence.of and (members is None or of != len(members)):
            continue  # not a prevalence figure ("4 out of 5 stars")
        if of != prevalence.of:
            wrong.append(f"the text says {m.group(0)!r}, but the figure is out of {prevalence.of}")
        elif count not in {len(ids), *sides}:
            wrong.append(f"the text says {m.group(0)!r}, but it counts {len(ids)}"
                         + (f" (sides {sides})" if sides else ""))
    return wrong


def prevalence_findings(claim: Claim, checks: list[CitationCheck], sources: Sources,
                        members: set[str] | None) -> list[Finding]:
    """One finding for a claim whose prevalence figure does not recount from the sources."""
    wrong = recount(claim, checks, sources, members)
    if not wrong:
        return []
    return [Finding(kind=FindingKind.prevalence, claim_id=claim.id, message="prevalence: " + "; ".join(wrong))]


def counted_participants(claim: Claim, checks: list[CitationCheck], members: set[str] | None) -> set[str]:
    """The segment participants a claim speaks for: those its prevalence counts, else those its quotes verify."""
    cited = {c.participant_id for c in checks if c.verdict == Verdict.verified and c.participant_id}
    prevalence = getattr(claim, "prevalence", None)
    if prevalence is None or getattr(prevalence, "base", "segment") == "cited" or not cited:
        return cited
    ids = set(prevalence.participant_ids)
    return ids & members if members is not None else ids


def claim_findings(persona: Persona, claim: Claim, checks: list[CitationCheck], sources: Sources,
                   members: set[str] | None) -> list[Finding]:
    """Every citation and claim finding for one claim."""
    out = citation_findings(claim, checks, sources)
    found = polarity_finding(claim, checks, sources)
    if found:
        out.append(found)
    out += prevalence_findings(claim, checks, sources, members)
    return out
