"""Who is speaking: one speaker per person, and each speaker's role with how it was decided.

Label variants are one person (`Interviewer1` = `Interviewer 1`, `INTERVIEWER` = `interviewer`),
and a rare near-miss of a frequent label (`Particpant` for `Participant`) is merged onto it; both
are recorded in the document's metadata so `synth speakers` can show them. Roles follow a fixed
precedence: the user's explicit choice > role words in the label > behaviour.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from pydantic import BaseModel

from synth.records import Document, Kind, Role, Turn

UNKNOWN_SPEAKER = "unknown"  # what parsers call speech whose speaker the source does not name
UNLABELLED_SPEAKER = "Unlabelled speaker"  # the unlabelled side of a one-side-labelled transcript

_QUESTION_OPENERS = re.compile(
    r"^(?:(?:so|okay|ok|and|right|great|cool|alright|now)[,.]?\s+)*"
    r"(?:what|how|why|when|where|which|who|can you|could you|would you|do you|did you|have you|"
    r"are you|is there|tell me|walk me)\b",
    re.IGNORECASE,
)
# Role words, matched on normalised labels ("interviewer 1", "p 3", "priya (larder ux)").
_INTERVIEWER_WORDS = re.compile(r"\b(?:interviewers?|moderator|researcher|facilitator|host|ux|int \d+|i \d+)\b")
_PARTICIPANT_WORDS = re.compile(r"\b(?:participant|interviewee|respondent|customer|user|guest|p \d+|resp \d+)\b")
# "R" and "R2" are respondents beside an interviewer's "I:", researchers beside participants' "P1:".
_AMBIGUOUS_R = re.compile(r"^r(?: \d+)?$")
# Single letters are role words only as the whole label: "Q:", "I:", "A:", "P:" (not "Speaker A").
_LETTER_ROLES = {"q": "interviewer", "i": "interviewer", "int": "interviewer", "mod": "interviewer",
                 "a": "participant", "p": "participant", "resp": "participant"}
# Not a person in the conversation: observers, note-takers, and role-like labels of software.
_OTHER_WORDS = re.compile(
    r"\b(?:observer|note ?taker|note-taker|scribe|transcriber|system|assistant|ai|bot|chatbot|gpt|"
    r"operator|narrator|recording)\b"
)
# "Priya is also on the call, she's taking notes": the introduced person is talked about, not to.
_THIRD_PERSON = frozenset("is he she they who he's she's they're he’s she’s they’re will".split())
_OBSERVER_WINDOW = 15  # words between a name and "taking notes" for the name to be the note-taker
# How an interviewer introduces someone who is not interviewed: "she's taking notes", "just observing".
_OBSERVING = re.compile(
    r"\b(?:notes?|note-?tak\w*|observ\w*|listening in|sitting in|shadow\w*|stay(?:ing)? quiet)\b", re.IGNORECASE
)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|/|\band\b)\s*", re.IGNORECASE)

# Heuristic weights; a label hint outweighs everything else, asking questions comes next.
_W_HINT = 3.0
_W_QUESTIONS = 2.0
_W_BREVITY = 1.0
_W_FIRST = 0.5
# A further interviewer by behaviour: asks at least this share of questions, and this much more
# than the participants do (a participant who asks one question back stays a participant).
_SECOND_INTERVIEWER_QUESTIONS = 0.4
_SECOND_INTERVIEWER_MARGIN = 0.25
# Near-miss typos: a label used at most this often, this similar to one used at least 3x as often.
_TYPO_MAX_USES = 2
_TYPO_RATIO = 0.8
_TYPO_MIN_LENGTH = 5


class SpeakerDecision(BaseModel):
    """A speaker of one document, their role and how it was decided."""

    speaker: str
    role: Role
    how: str  # "set by you", "label", "behaviour: ...", "unlabelled lines", ...
    variants: list[str] = []  # other spellings merged onto this speaker
    turns: int = 0
    words: int = 0
    questions: float = 0.0  # share of turns that are questions
    first_line: str = ""


# Labels ------------------------------------------------------------------------------------------


def normalise_label(label: str) -> str:
    """`Interviewer1`, `INTERVIEWER 1`, `**interviewer  1**` -> `interviewer 1`."""
    label = label.replace("**", "").replace("__", "").strip().rstrip(":").strip()
    label = re.sub(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])", " ", label)
    return " ".join(label.casefold().split())


def normalise_speakers(segments) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Rename segment speakers in place to one spelling per person.

    Returns (variants, typos): for each kept speaker the other spellings merged onto it, and each
    near-miss label with the label it was merged onto.
    """
    uses: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    for seg in segments:
        if seg.speaker and seg.speaker != UNLABELLED_SPEAKER:
            key = normalise_label(seg.speaker)
            uses[key] += 1
            spellings.setdefault(key, Counter())[seg.speaker] += 1
    target = {key: key for key in uses}
    typos: dict[str, str] = {}
    for rare, n in uses.items():
        frequent = _typo_of(rare, n, uses)
        if frequent is not None:
            target[rare] = frequent
    display: dict[str, str] = {}
    for key in uses:
        if target[key] == key:
            merged = sum((spellings[k] for k in uses if target[k] == key), Counter())
            # The most used spelling of the person's own label; on a tie the spaced one ("Interviewer 1").
            display[key] = max(merged, key=lambda s: (spellings[key][s], merged[s], " " in s))
    variants: dict[str, list[str]] = {}
    for key in uses:
        name = display[target[key]]
        for spelling in spellings[key]:
            if spelling != name:
                variants.setdefault(name, []).append(spelling)
                if target[key] != key:
                    typos[spelling] = name
    for seg in segments:
        if seg.speaker and seg.speaker != UNLABELLED_SPEAKER:
            seg.speaker = display[target[normalise_label(seg.speaker)]]
    return variants, typos


def _typo_of(rare: str, n: int, uses: Counter[str]) -> str | None:
    if n > _TYPO_MAX_USES or len(rare) < _TYPO_MIN_LENGTH:
        return None
    digits = re.sub(r"\D", "", rare)
    best, best_ratio = None, _TYPO_RATIO
    for other, m in uses.items():
        if other == rare or m < max(3, 3 * n) or re.sub(r"\D", "", other) != digits:
            continue
        ratio = SequenceMatcher(None, rare, other).ratio()
        if ratio >= best_ratio:
            best, best_ratio = other, ratio
    return best


def label_role(label: str) -> Role | None:
    """The role a label's own words give (`Interviewer 2`, `Q`, `P3`, `Observer`, `SYSTEM`), else None."""
    key = normalise_label(re.sub(r"[()\[\]]", " ", label))
    if key in _LETTER_ROLES:
        return Role(_LETTER_ROLES[key])
    if _OTHER_WORDS.search(key):
        return Role.other
    if _INTERVIEWER_WORDS.search(key):
        return Role.interviewer
    if _PARTICIPANT_WORDS.search(key):
        return Role.participant
    return None


def label_hint(label: str) -> int:
    """+1 for interviewer-like labels ("Moderator", "Q", "Priya (Larder UX)"), -1 for participant-like."""
    role = label_role(label)
    return 1 if role == Role.interviewer else -1 if role == Role.participant else 0


def names_match(label: str, name: str) -> bool:
    """"Priya" matches "Priya", "priya", "Priya (Larder UX)" and "Priya Shah", not "Priyanka"."""
    label, name = " ".join(label.casefold().split()), " ".join(name.casefold().split())
    if not label or not name:
        return False
    if label == name or normalise_label(label) == normalise_label(name):
        return True
    # A label that starts with the name, or a first-name label for a full name ("Sam" for "Sam Lee").
    longer, shorter = (label, name) if len(label) > len(name) else (name, label)
    return longer.startswith(shorter) and not longer[len(shorter)].isalnum()


def apply_merges(doc: Document, merges: dict[str, str]) -> None:
    """Rename the speakers the user merged (`synth speakers merge FILE KEEP OTHER`): other -> keep."""
    if not merges:
        return
    keys = {normalise_label(other): keep for other, keep in merges.items()}
    current = {normalise_label(t.speaker): t.speaker for t in doc.turns}
    variants = doc.metadata.setdefault("label_variants", {})
    for turn in doc.turns:
        keep = keys.get(normalise_label(turn.speaker))
        if keep is not None and turn.speaker != UNKNOWN_SPEAKER:
            name = current.get(normalise_label(keep), keep)
            if turn.speaker != name:
                moved = [turn.speaker, *variants.pop(turn.speaker, [])]
                variants[name] = list(dict.fromkeys([*variants.get(name, []), *moved]))
                turn.speaker = name


# Roles -------------------------------------------------------------------------------------------


def assign_roles(doc: Document, interviewers: list[str], overrides: dict[str, Role] | None = None) -> None:
    """Set each turn's role in place; record `interviewers` and `speaker_roles` in the metadata.

    Transcripts, by precedence: `overrides` (speaker -> role, from `synth speakers set`), names in
    `interviewers` or an `Interviewer:` header line; then role words in the label (Interviewer 2,
    Moderator, Q, P3, Observer, SYSTEM); then behaviour (who asks the questions, in short turns).
    Notes and other non-speech turns stay `other`. Prose documents: every turn unknown. Reviews
    and posts: their author is a participant.
    """
    if doc.kind in (Kind.ticket, Kind.survey):
        return  # their readers set each turn's role from the export's own fields (synth.parsers.tickets, .survey)
    if doc.kind in (Kind.review, Kind.social):
        for turn in doc.turns:
            turn.role = Role.participant
        return
    if doc.kind == Kind.document:
        for turn in doc.turns:
            turn.role = Role.other if turn.role == Role.other else Role.unknown
        doc.metadata["interviewers"] = []
        return
    decided = decide_roles(doc, interviewers, overrides or {})
    for turn in doc.turns:
        if turn.role == Role.other and turn.speaker == UNKNOWN_SPEAKER:
            continue  # a note, a prompt, a mask: context
        turn.role = decided[turn.speaker][0] if turn.speaker in decided else Role.unknown
    doc.metadata["interviewers"] = [s for s, (role, _) in decided.items() if role == Role.interviewer]
    doc.metadata["speaker_roles"] = {s: {"role": role.value, "how": how} for s, (role, how) in decided.items()}


def decide_roles(doc: Document, interviewers: list[str], overrides: dict[str, Role]) -> dict[str, tuple[Role, str]]:
    """speaker -> (role, how it was decided) for every named speaker of a transcript."""
    said = _speech_by_speaker(doc)
    decided: dict[str, tuple[Role, str]] = {}
    named = list(interviewers) + _split_names(doc.metadata.get("interviewer"))
    header_participants = _split_names(doc.metadata.get("participant"))
    header_observers = _split_names(doc.metadata.get("observer"))
    keys = {normalise_label(k): role for k, role in overrides.items()}
    for speaker in said:
        if normalise_label(speaker) in keys:
            decided[speaker] = (keys[normalise_label(speaker)], "set by you")
        elif any(names_match(speaker, name) for name in named):
            decided[speaker] = (Role.interviewer, "named as interviewer")
        elif any(names_match(speaker, name) for name in header_participants):
            decided[speaker] = (Role.participant, "named as participant in the header")
        elif any(names_match(speaker, name) for name in header_observers):
            decided[speaker] = (Role.other, "named as observer or note-taker in the header")
        elif speaker != UNLABELLED_SPEAKER and (role := label_role(speaker)) is not None:
            decided[speaker] = (role, f"label says {role.value}")
    labelled = {role for role, _ in decided.values()}
    for speaker in said:
        if speaker not in decided and _AMBIGUOUS_R.match(normalise_label(speaker)):
            if Role.participant in labelled and Role.interviewer not in labelled:
                decided[speaker] = (Role.interviewer, "label R beside participant labels: the researcher")
            elif Role.interviewer in labelled and Role.participant not in labelled:
                decided[speaker] = (Role.participant, "label R beside the interviewer's: the respondent")
    if UNLABELLED_SPEAKER in said and UNLABELLED_SPEAKER not in decided:
        sides = {role for s, (role, _) in decided.items() if role in (Role.interviewer, Role.participant)}
        others = [s for s in said if s != UNLABELLED_SPEAKER and s not in decided]
        if sides == {Role.interviewer} and not others:
            decided[UNLABELLED_SPEAKER] = (Role.participant, "unlabelled lines; only interviewers are labelled")
        elif sides == {Role.participant} and not others:
            decided[UNLABELLED_SPEAKER] = (Role.interviewer, "unlabelled lines; only participants are labelled")
    _decide_by_behaviour(said, decided)
    _introduced_observers(said, decided)
    return decided


def _introduced_observers(said: dict[str, list[str]], decided: dict[str, tuple[Role, str]]) -> None:
    """A speaker the interviewer introduces as taking notes or observing ("and this is Tom, he's just
    writing notes") is `other`, unless the user or a label said otherwise: the name closest before
    the words about notes, at most _OBSERVER_WINDOW words before them, is the one introduced."""
    firsts = {s: re.split(r"[\s(]", s.strip(), maxsplit=1)[0].casefold() for s in said}
    firsts = {s: f for s, f in firsts.items() if len(f) >= 2 and s != UNLABELLED_SPEAKER}
    interviewers = [s for s, (role, _) in decided.items() if role == Role.interviewer]
    observers: set[str] = set()
    for speaker in interviewers:
        for text in said[speaker]:
            for cue in _OBSERVING.finditer(text):
                before = re.findall(r"[\w'’]+", text[:cue.start()].casefold())[-_OBSERVER_WINDOW:]
                named = [(len(before) - i, s) for i, word in enumerate(before) for s, f in firsts.items() if word == f]
                if not named:
                    continue
                distance, observer = min(named)
                third_person = _THIRD_PERSON.intersection(before[len(before) - distance + 1:])
                if third_person and observer != speaker and decided[observer][1].startswith("behaviour"):
                    observers.add(observer)
    for observer in observers - ({interviewers[0]} if len(interviewers) == 1 else set()):
        decided[observer] = (Role.other, "introduced by the interviewer as taking notes or observing")


def _decide_by_behaviour(said: dict[str, list[str]], decided: dict[str, tuple[Role, str]]) -> None:
    undecided = [s for s in said if s not in decided]
    if not undecided:
        return
    if len(said) == 1:
        decided[undecided[0]] = (Role.participant, "the only speaker")
        return
    questions = {s: sum(map(is_question, texts)) / len(texts) for s, texts in said.items()}
    if not any(role == Role.interviewer for role, _ in decided.values()):
        scores = _interviewer_scores(said)
        best = max(undecided, key=lambda s: scores[s])  # max keeps the first of equals: the earliest speaker
        decided[best] = (Role.interviewer, f"behaviour: asks {questions[best]:.0%} questions, short turns")
        undecided.remove(best)
    # Compare with the main participant: the one who says most (a one-line title misread as a
    # speaker, or a quiet observer, must not set the bar).
    answering = [s for s, (role, _) in decided.items() if role == Role.participant] or undecided
    main = max(answering, key=lambda s: sum(len(t.split()) for t in said[s]))
    baseline = questions[main]
    for speaker in undecided:
        q = questions[speaker]
        if q >= _SECOND_INTERVIEWER_QUESTIONS and q - baseline >= _SECOND_INTERVIEWER_MARGIN and len(said[speaker]) >= 2:
            decided[speaker] = (Role.interviewer, f"behaviour: asks {q:.0%} questions")
        else:
            decided[speaker] = (Role.participant, f"behaviour: answers ({q:.0%} questions)")


def _speech_by_speaker(doc: Document) -> dict[str, list[str]]:
    said: dict[str, list[str]] = {}
    for turn in doc.turns:
        if turn.speaker != UNKNOWN_SPEAKER:  # notes, prompts and preambles are nobody's turns
            said.setdefault(turn.speaker, []).append(doc.text[turn.start:turn.end])
    return said


def _interviewer_scores(said: dict[str, list[str]]) -> dict[str, float]:
    mean_words = {s: sum(len(t.split()) for t in texts) / len(texts) for s, texts in said.items()}
    shortest = max(min(mean_words.values()), 1.0)
    first = next(iter(said))
    scores: dict[str, float] = {}
    for speaker, texts in said.items():
        questions = sum(1 for t in texts if is_question(t)) / len(texts)
        brevity = shortest / max(mean_words[speaker], 1.0)
        scores[speaker] = (
            _W_HINT * label_hint(speaker)
            + _W_QUESTIONS * questions
            + _W_BREVITY * brevity
            + _W_FIRST * (speaker == first)
        )
    return scores


def detect_interviewer(turns: list[Turn], text: str) -> str | None:
    """The speaker most likely to be the interviewer, or None with fewer than two speakers.

    Each speaker scores: 3 x a label hint (+1 for Interviewer, Moderator, Researcher, Facilitator,
    Host, Q, UX; -1 for Participant, Respondent, P07, A), 2 x the share of their turns that are
    questions (ending in "?" or opening with what / how / why / when / can you / could you / tell
    me / walk me ...), 1 x brevity (the shortest mean words per turn scores 1, longer means score
    proportionally less), and 0.5 for speaking first. The highest score wins; ties go to whoever
    spoke first.
    """
    said: dict[str, list[str]] = {}
    for turn in turns:
        if turn.speaker != UNKNOWN_SPEAKER:
            said.setdefault(turn.speaker, []).append(text[turn.start:turn.end])
    if len(said) < 2:
        return None
    scores = _interviewer_scores(said)
    return max(said, key=lambda s: scores[s])


def is_question(utterance: str) -> bool:
    """Ends in a question mark, or opens like a question ("So, how do you ...")."""
    text = utterance.strip().rstrip("\"'”’)] ")
    return text.endswith("?") or bool(_QUESTION_OPENERS.match(text))


def speaker_table(doc: Document) -> list[SpeakerDecision]:
    """Each speaker of a stored document with role, how it was decided, and what they said."""
    said = _speech_by_speaker(doc)
    roles = doc.metadata.get("speaker_roles") or {}
    variants = doc.metadata.get("label_variants") or {}
    rows: list[SpeakerDecision] = []
    for speaker, texts in said.items():
        role = next((t.role for t in doc.turns if t.speaker == speaker), Role.unknown)
        rows.append(SpeakerDecision(
            speaker=speaker,
            role=role,
            how=(roles.get(speaker) or {}).get("how", ""),
            variants=variants.get(speaker, []),
            turns=len(texts),
            words=sum(len(t.split()) for t in texts),
            questions=sum(map(is_question, texts)) / len(texts),
            first_line=" ".join(texts[0].split())[:120],
        ))
    return rows


def _split_names(value: object) -> list[str]:
    if not isinstance(value, str):
        return []
    return [name for name in _NAME_SEPARATORS.split(value) if name.strip()]


def speaker_warnings(doc: Document) -> list[tuple[str, str]]:
    """One (problems, fix) line for a transcript whose speakers look wrong, for the ingest report."""
    if doc.kind == Kind.document and doc.metadata.get("layout") == "prose":
        return [("no speaker labels found: read as one author's notes", _FIX)]
    if doc.kind != Kind.interview:
        return []
    rows = speaker_table(doc)
    problems: list[str] = []
    roles = Counter(row.role for row in rows)
    if not roles[Role.participant]:
        problems.append("no participant speech")
    if len(rows) == 1:
        problems.append(f"only one speaker ({rows[0].speaker})")
    if roles[Role.interviewer] > 2:
        problems.append(f"{roles[Role.interviewer]} interviewers")
    once = [row.speaker for row in rows if row.turns == 1 and row.speaker != UNLABELLED_SPEAKER]
    if once and len(rows) > 1:
        problems.append("label used once: " + ", ".join(once[:3]))
    typos = doc.metadata.get("label_typos") or {}
    if typos:
        problems.append("merged near-miss labels: " + ", ".join(f"{a} → {b}" for a, b in list(typos.items())[:3]))
    unknown = sum(len(doc.text[t.start:t.end].split()) for t in doc.turns
                  if t.speaker == UNKNOWN_SPEAKER and t.role != Role.other)
    unlabelled = unknown + sum(row.words for row in rows if row.speaker == UNLABELLED_SPEAKER)
    if unlabelled > 0.5 * (unknown + sum(row.words for row in rows)):
        side = next((row.role.value for row in rows if row.speaker == UNLABELLED_SPEAKER), "nobody's")
        problems.append(f"most of its text is unlabelled (read as {side} speech)")
    return [("; ".join(problems), _FIX)] if problems else []


_FIX = "check who speaks with `synth speakers FILE`; fix with `synth speakers set` or `merge`"
