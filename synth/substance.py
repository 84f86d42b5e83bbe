"""Substance: tell what a participant says from the conventions of talk around it.

Greetings, thanks, goodbyes, audio checks, apologies, backchannels, scheduling asides,
anonymisation masks and text in another language than the study's are set aside before they
can become claims, names or leading themes. The rules are conversational conventions only,
never words of a product or domain: a sentence is set aside when, once its conventional
phrases and glue words are taken out, nothing is left. "Sorry, but the app logs me out" keeps
"app logs me out"; "Sorry, I just got back from the gym" keeps nothing.

Language detection uses lingua (n-gram models shipped in the wheel, no download), imported
lazily so that `synth --help` stays instant: a low-accuracy screen over every language proposes
(~50 MB), and a high-accuracy detector of just the study's and the proposed language confirms,
loading those two languages' full models only. Text too short for a sure call is never flagged.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

REASONS = (
    "greeting",
    "thanks",
    "goodbye",
    "audio check",
    "apology",
    "filler",
    "logistics",
    "mask",
    "other language",
    "too short",
)

# When a sentence holds phrases of several kinds, the first kind here names it:
# "Hi, can you hear me?" is an audio check, "Sorry, I'm parked outside" an apology.
_PRIORITY = ("audio check", "apology", "logistics", "goodbye", "thanks", "greeting", "filler")

_W = r"[\w'’-]+"  # one word
_TAIL = rf"(?: {_W}){{1,4}}"  # a short free tail: "from the gym", "in the school pickup line"

_PHRASES: dict[str, list[str]] = {
    "audio check": [
        r"(?:can|could|do) you (?:still )?hear me(?: (?:okay|ok|alright|all right|well|now|fine|clearly))?",
        r"(?:i )?(?:can|can't|cannot|could|couldn't) (?:not )?(?:hear|see) you(?: (?:now|well|very well|okay|ok))?",
        r"(?:can|could) you see (?:me|my (?:screen|video|camera|face))(?: (?:okay|ok|now))?",
        r"(?:you'?re|you are|i'?m|i am|i was|you were) (?:still )?(?:on )?mute[d]?",
        r"(?:un)?mute (?:yourself|myself)",
        r"you'?re (?:breaking|cutting) up",
        r"(?:you|it|the audio|the sound|your audio|your voice|the line|the call|my audio) (?:cut|cuts|is cutting|keeps cutting|was cutting|dropped|froze|is frozen|was frozen)(?: out| off)?(?: there)?(?: for a (?:second|sec|moment|bit|minute))?",
        r"(?:you|i) (?:froze|dropped off|dropped out|got disconnected|lost you|lost connection)(?: there)?(?: for a (?:second|sec|moment|bit|minute))?",
        r"(?:i )?lost you(?: (?:there|for a (?:second|moment|bit)))?",
        r"(?:my|your) (?:connection|internet|wifi|wi-fi|audio|video|sound|mic|microphone|camera|headset|signal) (?:is|was|keeps|seems|isn't|wasn't)(?: (?:a bit|really|very|so|kind of|being))? (?:bad|poor|slow|weak|terrible|awful|unstable|spotty|patchy|dropping|cutting out|acting up|not great|not working|off|on|echoing|lagging|frozen|glitchy|choppy)",
        r"(?:bad|poor|weak|unstable|spotty|patchy) (?:connection|internet|wifi|wi-fi|signal|reception)",
        r"(?:i|we) (?:have|had|'?m having|am having|are having|was having|keep having) (?:some |a few |a bit of )?(?:connection|connectivity|internet|wifi|wi-fi|audio|technical|tech|sound) (?:problems?|issues?|troubles?|difficulties)",
        r"(?:connection|connectivity|audio|technical) (?:problems?|issues?|troubles?|difficulties)",
        r"(?:can|could|would) you (?:please )?(?:repeat|rephrase|say) (?:that|the question|it|the last part)(?: again)?(?: please)?",
        r"(?:say|repeat) (?:that|it) again",
        r"(?:i )?(?:didn't|did not|couldn't|could not) (?:quite )?(?:catch|hear) (?:that|you|the (?:last )?(?:part|question|bit))",
        r"(?:is|can) (?:my|the) (?:camera|video|audio|sound|mic|microphone) (?:on|working|okay|ok|coming through)",
        r"there'?s (?:an |a bit of an? |a bit of |some |a lot of |a little )?(?:echo|lag|delay|feedback|static)(?: on (?:your|my) (?:end|side|line))?",
        r"(?:i'?ll|i will|i'?m going to|let me|i'?d rather) keep (?:my )?(?:camera|video|mic|microphone) (?:off|on)",
        r"(?:are you|you) (?:still )?there",
        r"(?:let me|i'?ll|i will|i need to|i have to) (?:quickly |just )?(?:rejoin|reconnect|restart (?:my|the) (?:audio|video|camera)|switch (?:to )?(?:my )?(?:headphones|headset|phone|audio))",
        r"(?:let me|i'?ll|i will) (?:turn|switch) (?:on|off) (?:my )?(?:camera|video|mic|microphone)",
        r"(?:let me|i'?ll|i will) (?:turn|switch) (?:my )?(?:camera|video|mic|microphone) (?:on|off)",
        r"(?:what was|sorry what was) the question",
        r"the question again",
    ],
    "apology": [
        r"(?:i'?m |i am )?(?:so |very |really |terribly )?sorry(?: about that| for that| for the (?:wait|delay|noise|interruption|confusion)| to keep you waiting| for being late| i'?m late| to interrupt| for interrupting| about the (?:noise|background noise|delay))?",
        r"(?:my )?apologies",
        r"(?:excuse|pardon) (?:me|the (?:noise|interruption|mess|background noise|background))",
        r"pardon",
        r"my bad",
        r"forgive me",
        r"(?:i|i'?ve) (?:just )?(?:got|came|come|am|'m|have got) back(?: (?:from|home from)" + _TAIL + ")?",
        r"(?:i'?m|i am|i was) (?:running )?(?:a (?:bit|little|few minutes|couple of minutes|couple minutes) )?late",
        r"(?:i )?(?:had|have|need|needed) to take (?:another|a|this|an urgent|a quick) call",
        r"(?:i'?m|i am|i was) (?:a bit |a little |slightly |just )?(?:distracted|multitasking|in a rush)",
        r"(?:my|the) (?:kids?|children|baby|dog|partner|husband|wife) (?:is|are) (?:just )?(?:home|here|back)",
        r"(?:excuse|pardon|ignore|sorry about|sorry for) (?:the|my) (?:noise|mess|background noise|background|dog|cat|kids|interruption|outfit|hair|appearance)(?: behind me| in the background)?",
        r"(?:i was|i'?m|i am) (?:just )?(?:on|in) (?:another|a|the other) (?:call|meeting)",
        r"(?:my|the) (?:previous|last|other) (?:call|meeting) (?:ran|went) (?:over|long)",
    ],
    "logistics": [
        r"(?:i'?m|i am|we'?re|we are) (?:currently |just |still )?(?:parked|driving|in the car|in my car|on the train|on the bus|on the road|walking|outside|at the airport|on my phone|between (?:meetings|calls))(?: (?:in|at|outside|near|on|by|behind)" + _TAIL + r")?(?: (?:right now|at the moment|now))?",
        r"(?:can|could) you see my screen",
        r"(?:let me|i'?ll|i will|i'?m going to|can i|could i|i can|can you|could you|would you) (?:just )?(?:share|stop sharing|unshare|present) (?:my |your |the )?screen",
        r"(?:screen ?share|sharing (?:my|your) screen)",
        r"(?:is it|would it be) (?:ok|okay|alright|all right|fine)(?: with you)? if (?:i|we) record(?: (?:this|the|our) (?:call|session|interview|conversation|chat))?",
        r"(?:i'?m|we'?re|i am|we are|i'?ll|we'?ll|i will|we will|let me|let's) (?:going to )?(?:start|stop|begin|end|pause) (?:the )?recording(?: now)?",
        r"(?:are we|we are|we'?re|is this|this is) (?:being )?recording|(?:are we|is this|is it) being recorded",
        r"(?:i|we) (?:have|got|'ve got) (?:a )?hard stop(?: at" + _TAIL + r"| in" + _TAIL + r")?",
        r"(?:i|we) (?:only |just )?(?:have|got|'ve got) (?:about |around |like )?(?:\d+|a few|five|ten|fifteen|twenty|thirty) (?:more )?minutes(?: left)?",
        r"(?:we'?re|we are) (?:almost |nearly |just about |about )?(?:at|out of|over) time",
        r"(?:let'?s|let us|shall we|should we|we can|we could) (?:go ahead and )?(?:get started|begin|start|dive in|jump in|kick off|wrap up|move on|get going)",
        r"shall we|should we",
        r"(?:so )?(?:i )?(?:might|may|will|'ll|need to|have to|'d have to|got to|gotta) (?:have to )?(?:leave|go|run|drop off|hop off|jump off)(?: (?:in|at) (?:about |like )?(?:\d+|a few|five|ten|fifteen|twenty|thirty|a couple of) minutes| soon| early| a bit early| at \d+)?(?: to (?:pick up|get|collect|fetch)" + _TAIL + ")?",
        r"(?:so |and )?(?:there )?(?:might|may|could) be (?:some )?(?:noise|announcements|interruptions|background noise)(?: in the background)?",
        r"(?:sorry )?if (?:i|you) (?:freeze|drop|drop off|cut out|get interrupted|lose me|hear (?:noise|kids|a dog))",
        r"(?:so )?you can see (?:what i mean|it)|(?:if )?you (?:know|see) what i mean",
        r"before we (?:start|begin|get started|dive in|wrap up|finish)",
        r"(?:let'?s|let us|i'?ll|i will|let me) (?:move on to|go to|jump to) (?:the )?next (?:question|section|topic|part)",
        r"(?:my |the )?next question",
        r"(?:(?:give me|wait|hold on|hang on|bear with me|just) )?(?:a|one|just a) (?:quick )?(?:sec|second|moment|minute|tick)",
        r"hold on|hang on|bear with me|one moment please|just a moment|(?:i'?ll )?be right back|brb|i'?m back",
        r"(?:let me|i'?ll|i will|i need to|i have to) (?:just |quickly )?(?:find|move to|go to|switch to|step into) (?:a )?(?:quiet|quieter|better|different|another) (?:room|place|spot)",
        r"(?:let me|i'?ll|i will|i need to|i have to|need to|got to|gotta) (?:just |quickly )?(?:grab|get|fetch|refill) (?:a|my|some)(?: (?:glass|cup|mug|bottle) of)? (?:coffee|water|tea|drink|charger|headphones|headset|glasses|pen)",
        r"(?:someone|somebody|there'?s someone|the (?:delivery|courier|post|mail)(?: ?(?:guy|man|woman|person|driver))?)(?:'s| is)? (?:at|knocking at) the door|(?:the )?door ?bell(?: (?:just )?(?:rang|is ringing))?",
        r"(?:can|could|shall) we (?:reschedule|move this|push this|do this another time)",
        r"(?:i'?ll|i will|we'?ll|we will) send (?:you )?(?:over )?(?:the|a|your) (?:link|invite|calendar invite|consent form|gift card|voucher|incentive|thank you)(?: (?:later|by email|tomorrow|today|after (?:the|this|our) (?:call|session|interview)))?",
        r"calendar invite|consent form",
        r"(?:do you have|have you got) (?:any )?questions (?:for me |before we (?:start|begin|finish|wrap up))?",
        r"(?:any|do you have any) (?:other |more |last |final )?questions(?: for me| before we (?:start|begin|finish|wrap up))?",
        r"(?:the )?(?:dog|dogs|baby|kids|kid) (?:is|are) (?:barking|crying|screaming|yelling)(?: in the background)?",
        r"(?:in|from) the background",
    ],
    "goodbye": [
        r"(?:bye|good ?bye)(?: bye)?(?: now| for now| everyone| all| guys| folks)?",
        r"see (?:you|ya)(?: (?:later|soon|next time|then|around|tomorrow))?",
        r"later|laters|cya|peace out|catch you",
        r"take care",
        r"talk (?:to you )?(?:soon|later)",
        r"(?:have|enjoy) (?:a|the|your) (?:good|great|nice|lovely|wonderful|fantastic)? ?(?:rest of (?:the|your) )?(?:day|one|evening|weekend|afternoon|night|week|morning)",
        r"all the best",
        r"good luck(?: with (?:the|your) (?:research|study|project|interviews|work))?",
        r"(?:i think )?(?:that'?s|that is|this is) (?:all|everything|it)(?: (?:from me|for me|for today|i have|we have|i had|my questions|on my (?:side|end)|then))?",
        r"(?:i think )?(?:we'?re|we are) (?:done|all set|all done|good to go|finished)(?: (?:here|for today|then|now))?",
        r"until next time|catch you later|signing off(?: for (?:today|now|the day))?|over and out",
        r"(?:it was|it'?s been|that was) (?:a )?(?:real )?pleasure",
        r"au revoir|à bientôt|à plus|bonne (?:journée|soirée)|adiós|adios|hasta (?:luego|pronto|mañana)|chao|tschüss|tschüs|auf wiedersehen|bis (?:bald|später|dann)|arrivederci|a presto|tchau|até (?:logo|mais)",
        r"(?:it was|it'?s been|that was) (?:a )?(?:real )?(?:pleasure|nice|great|lovely|good|fun)(?: (?:talking|chatting|speaking) (?:to|with) you| meeting you)",
    ],
    "thanks": [
        r"(?:thank you|thanks|thank u|thx|ty)(?: (?:so|very) much| a lot| a bunch| a million| again| so much again| heaps| loads| everyone| all| both)*",
        r"(?:thank you|thanks)(?: (?:so|very) much| a lot| again)? for (?:your time|having me|joining|coming|doing this|taking the time|the (?:opportunity|invite|invitation|chance|question|questions|time|call|chat|conversation|interview|session)|that|this|it|asking|sharing(?: that| this)?|participating|talking (?:with|to) (?:me|us)|your (?:help|patience|insights|feedback|answers|input|honesty|thoughts|participation))(?: today| again)?",
        r"many thanks|much appreciated|cheers",
        r"merci(?: beaucoup| bien)?|(?:muchas )?gracias|danke(?: schön| sehr)?|vielen dank|grazie(?: mille)?|obrigad[oa]",
        r"(?:i |we )?(?:really |truly |very much |greatly )?appreciate (?:it|that|you|your time|you taking the time|the (?:time|opportunity|chance))",
        r"(?:you'?re|you are) (?:very |so |most )?welcome",
        r"no thank you|no thanks|thanks for asking",
    ],
    "greeting": [
        r"(?:hi|hello|hey|hiya|howdy|yo|greetings|heya)(?: (?:there|everyone|all|guys|folks|team|again|both|you))?",
        r"(?:good )?(?:morning|afternoon|evening)(?: (?:everyone|all|to you))?",
        r"(?:i'?m|i am|i'?ll be) (?:the|a|your) (?:note ?taker|interviewer|moderator|facilitator|observer|researcher|host)(?: (?:today|for today|for this (?:session|call)))?",
        r"(?:nice|good|great|lovely|pleased) to (?:meet|see|talk to|chat with|speak with|e-?meet) you(?: too| as well| again)?",
        r"(?:it'?s )?(?:nice|good|great|lovely|a pleasure) to (?:meet|see|talk to|chat with|speak with) you(?: too| as well| again)?",
        r"(?:nice|pleased|good|glad) (?:to )?meet(?:ing)? you(?: too)?",
        r"how (?:are|r) (?:you|u|things)(?: doing)?(?: today)?",
        r"how'?s it going|how is it going|how have you been|how'?s your (?:day|week|morning)(?: going)?",
        r"(?:i'?m|i am|doing|all) (?:good|fine|great|well|very well|really well|doing well|doing good|not bad|alright|all right|ok|okay|pretty good)(?: thanks?| thank you)?(?: (?:and|how about|what about) (?:you|yourself))?",
        r"(?:and )?(?:you|yourself|how about you|what about you)",
        r"welcome(?: back)?(?: to (?:the|this|our) (?:session|call|interview|study|chat|conversation))?",
        r"thanks for having me|thank you for having me",
        r"my name is(?: " + _W + ")?",
        r"(?:let me|i'?ll|i will) (?:quickly |just )?introduce (?:myself|ourselves)",
        r"(?:happy|glad) to (?:be here|join|help|be part of this|take part)",
        # Short conventional phrases of the languages a study is most often run in.
        r"bonjour|salut|hola|buenos d[ií]as|buenas tardes|hallo|guten (?:tag|morgen|abend)|ciao|buongiorno|ol[aá]|bom dia|hoi|goedemorgen",
    ],
    "filler": [
        r"okay|ok|okey|k|alright|all right|right|yeah|yes|yep|yup|yea|ya|no|nope|nah|sure|true|indeed|agreed|exactly|absolutely|totally|definitely|certainly|precisely|correct|fine|good|great|perfect|nice|cool|awesome|lovely|brilliant|wonderful|excellent|fantastic|neat|wow|interesting|fair|understood|noted|gotcha|got it|i see|i get it|i got it|makes sense|fair enough|of course|for sure|sure thing|no problem(?: at all)?|not a problem|no worries|no prob|sounds good|sounds great|sounds fine|sounds perfect|that works|will do",
        r"mm+|mhm+|mm+-?hm+|m+hm+|uh-?huh|uh+|um+|umm+|erm+|er+|ah+|oh+|ooh+|aha|ha(?:ha)*|hah|heh|lol|lmao|hmm+|hm+|huh|eh|meh|whoa|yikes|oops|phew",
        r"(?:i )?(?:understand|hear you|agree|know)",
        r"you know|i mean|i guess|i suppose|i think|i believe|well|so|anyway|anyways|basically|actually|literally|kind of|sort of|you see|let me think|let me see|let'?s see|how do i put (?:it|this)|what else|what was i saying|where was i|where were we|go ahead|please go ahead|go on|carry on|continue|please|yes please|of course",
        r"(?:go|going) for it|fire away|ask away|shoot|(?:you )?go first",
        r"(?:that'?s|that is|it'?s|it is|this is) (?:a )?(?:good|great|interesting|fair|tough|hard|difficult|big) question",
        r"good question|great question|interesting question",
        r"what do you mean(?: by that)?|what does that mean|in what sense|how do you mean",
        r"(?:that'?s|that is|it'?s|it is)(?: (?:so|very|really|pretty))? (?:great|good|fine|cool|perfect|awesome|fair|right|true|interesting|nice|helpful|correct)",
        r"(?:yeah|yes|no) (?:no|yeah|yes)",
        r"oui|ouais|d'accord|voilà|euh+|bah|ben|bref|sí|si|vale|claro|bueno|vale vale|ja|genau|nein|stimmt|also|na ja|sì|certo|va bene|sim|não|tá|pois",
        r"not (?:really|sure|much)",
        r"oh (?:wow|okay|ok|right|nice|cool|really)",
        r"really",
        r"me too|same here|same",
        r"(?:i'?m|i am) not sure|i don'?t know|no idea|who knows|hard to say|difficult to say",
        r"n a|na|tbd|idk|nvm",
    ],
}

# Words that carry no claim of their own; a sentence left with only these says nothing.
_GLUE = frozenset(
    """a an the and but or so then just really very quite pretty too also now again still
    i me my mine you your yours we us our it its it's that that's this these those there here
    is are was were be been being am 'm 's 're 've 'll 'd i'm you're we're it's there's
    do does did to of in on at for with about from by as if up out over um uh er
    everyone everybody all both guys folks one bit little lot
    """.split()
)

# Terms of address: what is left of "Thanks, man" or "That's fine, dear" once the phrase is taken out.
_ADDRESS = frozenset("dear man mate buddy pal dude bro babe hun honey sweetie guys folks everyone all".split())

# Stage directions in transcripts and anonymisation placeholders.
_STAGE = re.compile(
    r"[\[(](?:laugh\w*|chuckl\w*|inaudible|unintelligible|indiscernible|crosstalk|cross-talk|"
    r"pause\w*|silence|cough\w*|sigh\w*|music|applause|overlapping\w*|overtalk|background noise|"
    r"noise|static|break|end of recording|recording (?:starts|stops|ends)|audio cuts? out|\w+ (?:joins|leaves|left|joined))[^\])]{0,30}[\])]",
    re.IGNORECASE,
)
_MASK = re.compile(
    r"\[[^\]\n]{1,40}\]"  # [REDACTED], [NAME], [company name]
    r"|<[A-Za-z_ ]{1,30}>"  # <NAME>
    r"|\{[A-Za-z_ ]{1,30}\}"  # {name}
    r"|\b[Xx]{2,}\b"  # XXXX, xx
    r"|\*{3,}|#{3,}|█+"  # ***, ###, blacked out
    r"|\b(?:REDACTED|ANONYMI[SZ]ED|PII|NAME_\d+|PERSON_?\d+|PARTICIPANT_?\d+)\b"
)

_ABBREVIATIONS = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|mr|mrs|ms|dr|prof|st|approx|no|cf)\.)$", re.IGNORECASE)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")

_MIN_LANGUAGE_WORDS = 4
_MIN_LANGUAGE_LETTERS = 24


def _alternatives(pattern: str) -> list[str]:
    """Top-level alternatives of a regex: "a|b(?:c|d)" -> ["a", "b(?:c|d)"]."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(pattern):
        if ch == "(" and (i == 0 or pattern[i - 1] != "\\"):
            depth += 1
        elif ch == ")" and pattern[i - 1] != "\\":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
    parts.append(pattern[start:])
    return parts


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    """One regex per kind of phrase, compiled on first use (import stays instant)."""
    compiled = []
    for reason in _PRIORITY:
        # Longer alternatives first, so "no problem" is taken whole before "no".
        branches = sorted((a for p in _PHRASES[reason] for a in _alternatives(p)), key=len, reverse=True)
        alternatives = "|".join(f"(?:{b})" for b in branches)
        compiled.append((reason, re.compile(rf"(?<![\w'’-])(?:{alternatives})(?![\w'’-])")))
    return compiled


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Char spans of the sentences in `text`, whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group() != "\n" and _ABBREVIATIONS.search(text[start : match.end()].rstrip("\"'”’)]")):
            continue
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"[,;:]+", " , ", text)  # clause marks stay, so a free tail stops at them
    text = re.sub(r"[^\w'\-, ]+", " ", text)
    text = re.sub(r"(?<!\w)['-]+|['-]+(?!\w)", " ", text)
    return " ".join(text.split())


def _conventional(sentence: str) -> tuple[str | None, list[str]]:
    """(kind of conventional phrase found, words left that may carry substance) for one sentence."""
    original_words = sentence.split()
    norm = _normalise(sentence)
    found: dict[str, int] = {}
    rest = norm
    for reason, pattern in _compiled():
        rest, n = pattern.subn(" ", rest)
        if n:
            found[reason] = n
    left = [w for w in rest.split() if w != "," and w not in _GLUE and (len(w) > 1 or w.isdigit())]
    reason = next((r for r in _PRIORITY if r in found), None)
    if left and reason and all(w in _ADDRESS for w in left):
        left = []  # only a term of address is left: "Thanks, man", "That's fine, dear", "Bye, guys"
    if left and len(left) == 1 and reason in {"greeting", "thanks", "goodbye"}:
        # A name after a greeting or thanks: "Hi Sarah", "Thanks, Tom!"
        capitalised = {w.strip(".,!?;:\"'").lower() for w in original_words if w[:1].isupper()}
        if left[0] in capitalised:
            left = []
    return reason, left


@lru_cache(maxsize=1)
def _screen():
    # Every language, low-accuracy mode (trigram models only, ~50 MB, loaded on first use).
    # It is a screen, not a verdict: on short English it can answer Danish or Tagalog.
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


@lru_cache(maxsize=16)
def _confirmer(study: str, other: str):
    # High accuracy between the study's language and the suspected one only: loads the full
    # models of just those languages (tens of MB each) instead of all 75 (~1 GB).
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(_language(study), _language(other)).build()


def _language(code: str):
    from lingua import IsoCode639_1, Language

    return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))


def _supported(code: str) -> bool:
    try:
        _language(code)
    except (AttributeError, ValueError):
        return False
    return True


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, relative confidence) from the fast screen; (None, 0.0) when too short to tell."""
    letters = sum(ch.isalpha() for ch in text)
    if letters < _MIN_LANGUAGE_LETTERS or len(text.split()) < _MIN_LANGUAGE_WORDS:
        return None, 0.0
    values = _screen().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    return values[0].language.iso_code_639_1.name.lower(), float(values[0].value)


def _other_language(text: str, study_language: str | None) -> str | None:
    """The language `text` is confidently written in when it is not `study_language`, else None."""
    if not study_language or not _supported(study_language):
        return None
    code, _ = detect_language(text)
    if code is None or code == study_language:
        return None
    if _confirmer(study_language, code).compute_language_confidence(text, _language(code)) >= 0.8:
        return code
    return None


def _sentence_in(sentence: str, study_language: str, other: str) -> bool:
    """Whether one sentence of a passage in `other` is in `other` too (short ones are)."""
    letters = sum(ch.isalpha() for ch in sentence)
    if letters < _MIN_LANGUAGE_LETTERS or len(sentence.split()) < _MIN_LANGUAGE_WORDS:
        return True
    return _confirmer(study_language, other).compute_language_confidence(sentence, _language(other)) >= 0.5


def _sentence_reason(sentence: str) -> str | None:
    stage = _STAGE.search(sentence) is not None
    masks = len(_MASK.findall(sentence))
    bare = _MASK.sub(" ", _STAGE.sub(" ", sentence))
    if not any(ch.isalnum() for ch in bare):
        return "mask" if masks else ("filler" if stage else "too short")
    reason, left = _conventional(bare)
    if not left:
        if reason:
            return reason
        if masks:
            return "mask"
        return "filler" if stage else "too short"
    if masks and masks / (masks + len(left)) >= 0.4:
        # Mostly placeholders: "I work at [COMPANY] in [CITY]" says little once names are gone.
        return "mask"
    return None


def substantive_sentences(text: str, *, study_language: str | None = None) -> list[tuple[int, int]]:
    """Char spans of the sentences in `text` that say something substantive."""
    return [span for span, reason in sentence_reasons(text, study_language=study_language) if reason is None]


def sentence_reasons(text: str, *, study_language: str | None = None) -> list[tuple[tuple[int, int], str | None]]:
    """Each sentence's span with its set-aside reason (None when substantive)."""
    spans = sentence_spans(text)
    # Language is screened once per passage (the slow part, and surer on more text), then
    # confirmed sentence by sentence only inside a passage in another language.
    other = _other_language(text, study_language)
    out = []
    for start, end in spans:
        sentence = text[start:end]
        reason = _sentence_reason(sentence)
        if reason is None and other and (len(spans) == 1 or _sentence_in(sentence, study_language, other)):
            reason = "other language"
        out.append(((start, end), reason))
    return out


def substance(text: str, *, study_language: str | None = None) -> str | None:
    """None when `text` says something substantive, else why it is set aside ("greeting", ...)."""
    reasons = sentence_reasons(text, study_language=study_language)
    if not reasons:
        return "too short"
    weights: Counter[str] = Counter()
    for (start, end), reason in reasons:
        if reason is None:
            return None
        weights[reason] += end - start
    return max(weights, key=lambda r: (weights[r], -REASONS.index(r)))


def is_substantive(text: str, *, study_language: str | None = None) -> bool:
    """Whether `text` holds at least one substantive sentence."""
    return substance(text, study_language=study_language) is None


def study_language(texts: Iterable[str], *, sample: int = 200) -> str | None:
    """The main language (ISO 639-1) of a sample of `texts`, weighted by length; None if unknown."""
    texts = list(texts)
    picked = texts[:: max(1, len(texts) // sample)][:sample]
    # Short texts are joined into blocks of a few hundred characters: the screen is reliable
    # on paragraphs even where it stumbles on a single short sentence.
    votes: Counter[str] = Counter()
    block: list[str] = []
    for n, text in enumerate(picked, 1):
        block.append(text)
        if sum(map(len, block)) >= 400 or n == len(picked):
            joined = " ".join(block)[:1000]
            code, confidence = detect_language(joined)
            if code and confidence >= 0.3:
                votes[code] += len(joined)
            block = []
    return votes.most_common(1)[0][0] if votes else None


def set_aside_report(texts: Iterable[str], *, study_language: str | None = None) -> dict[str, int]:
    """How many of `texts` are set aside, by reason."""
    counts: Counter[str] = Counter()
    for text in texts:
        reason = substance(text, study_language=study_language)
        if reason is not None:
            counts[reason] += 1
    return dict(counts)


# Words of conversation itself (greetings, sign-offs, back-channel, the call): a theme whose keywords are
# mostly these is the small talk every interview has, however its chunks were cut.
CONVERSATION_WORDS = frozenset(
    "alright okay ok bye cool fine hear hi hello sorry thanks thank yeah yes sure great man gotta "
    "right awesome cheers wait hold sec minute talk later see nice lol haha ha laughs mute muted "
    "froze frozen connection recording".split()
)


def keyword_words(keywords: Iterable[str], top: int = 8) -> list[str]:
    """The lower-cased words of the first `top` keywords ("shared list" gives two)."""
    return [w.lower() for k in list(keywords)[:top] for w in re.findall(r"[\w']+", k)]


def mostly_conversation(keywords: Iterable[str], top: int = 8) -> bool:
    """Whether at least half the words of the first `top` keywords are words of conversation itself."""
    said = keyword_words(keywords, top)
    return bool(said) and sum(w in CONVERSATION_WORDS for w in said) >= 0.5 * len(said)
