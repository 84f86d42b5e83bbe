"""The rule score: VADER plus domain-free cues, for what a lexicon alone misreads.

VADER (`vaderSentiment`) scores the words, with its negation and boosters; on top
of it come domain-free problem cues VADER has no entry for ("keeps logging me out", "takes
forever", "gave up", "doesn't sync") with their own negation ("never crashes" is praise), reducers
("far less stressful" is relief, not stress), speech fillers and slang VADER misreads ("honestly",
discourse "like", "this is fire"), a star rating as a prior that the sentence's own words outweigh
when they are strong, and wishes read as counterfactuals ("I wish it didn't crash" says it crashes).

Mixed sentences: the text is cut into clauses at contrast words. The clause after "but",
"however", "otherwise", "yet" dominates, as does a main clause over its "although" clause and the
present over "used to"; whatever follows "except" is the exception to the praise, so a problem.
Inside one clause a stated problem outweighs generic praise ("great, another update that logs me
out" is a complaint).

The rules see sentence structure that an embedding misses, but their word lists were written while
reading calibration sentences and generalise less well to new phrasing; `synth.polarity.head` uses
their score as one feature among others, and `rule_stance` is the fallback when it cannot load.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Stance = Literal["negative", "positive", "neutral"]

# Fitted on the train split of evals/polarity_sentences.jsonl when these rules were the whole classifier.
NEGATIVE_BELOW = -0.325
POSITIVE_ABOVE = 0.3
RATING_WEIGHT = 0.3  # how far a 1- or 5-star rating moves a plain sentence; kept below -NEGATIVE_BELOW so that
#                     a rating alone never makes a sentence a complaint

_MINOR = 0.2  # share of a subordinate clause ("Love the app" in "Love the app but the sync is broken")
_PROBLEM_WEIGHT, _WEAK_WEIGHT, _HEDGE_WEIGHT, _PRAISE_WEIGHT = -0.55, -0.35, -0.3, 0.45

_NEGATORS = {"not", "no", "never", "without", "hardly", "barely", "rarely", "less", "fewer", "zero", "nothing", "none",
             "nobody", "nor", "neither", "cannot", "fixed", "solved", "resolved", "avoids", "avoid", "stop", "stops",
             "stopped", "longer", "single"}  # "no longer" and "not a single glitch" reach the cue through their last word
_CONTRACTED = re.compile(r"(?:n['’]t|^(?:dont|cant|wont|isnt|doesnt|didnt|wasnt|arent|couldnt|wouldnt|havent|hasnt|aint))$")


def _rx(*patterns: str) -> list[re.Pattern]:
    return [re.compile(p) for p in patterns]


# Problems stated without opinion words, or with a form VADER lacks (it has "crash", not "crashes").
_PROBLEM = _rx(
    r"\bcrash(?:es|ed|ing)?\b", r"\bfr(?:eez(?:es|ing|e)|oze|ozen)\b", r"\blag(?:s|gy|ging|ged)?\b",
    r"\bglitch(?:es|y|ing)?\b", r"\bbug(?:s|gy)?\b", r"\berrors?\b", r"\bbroken\b", r"\bbreaks\b",
    r"\bslow(?:er|ly|s)?\b", r"\bsluggish\b", r"\bconfus(?:ing|ed)\b", r"\bclunky\b", r"\bunreliable\b",
    r"\bunusable\b", r"\bunresponsive\b", r"\bunclear\b", r"\bcluttered\b", r"\bbloated\b", r"\btedious\b",
    r"\bhassle\b", r"\bworkarounds?\b", r"\bwork around\b", r"\bfail(?:s|ed|ing|ure)?\b", r"\btimed? ?out\b",
    r"\b(?:log|logs|logged|logging|kick|kicks|kicked) (?:me|us|you) out\b", r"\bstuck\b", r"\bnag(?:s|ging)?\b",
    r"\btak(?:es?|ing) (?:forever|ages)\b", r"\btook (?:forever|ages)\b", r"\bg(?:ave|ive|iving) up\b",
    r"\blost (?:my|all|our|the|everything|a|an)\b", r"\blose (?:my|all|our|your|the)\b", r"\bdisappear(?:s|ed)?\b",
    r"\bwiped\b", r"\bmissing\b", r"\bmiss(?:ed|es)?\b", r"\bforg[eo]t\w*\b(?! (?:it['’]?s|that it['’]?s|its) there)", r"\bmis(?:hear|heard|read|count|"
    r"label|calculat|understand|understood|direct|plac)\w*\b", r"\boverpriced\b", r"\bpricey\b", r"\bexpensive\b",
    r"\bovercharg\w*\b", r"\bcharged (?:me |us )?twice\b", r"\bhidden (?:fees|charges|costs)\b",
    r"\b(?:prices?|costs?|fees?|subscription) (?:\w+ )?(?:went|go|goes|going|gone|keeps? going) up\b",
    r"\bprice (?:increase|hike|rise)\b", r"\bdelay(?:s|ed)?\b", r"\bdeclined\b", r"\bspam(?:s|my)?\b",
    r"\bdrains?\b", r"\bstopped working\b", r"\b(?:stop|quit)(?:s|ped)? (?!worrying|stressing|crashing|freezing|"
    r"lagging|failing|forgetting)\w+ing\b", r"\bfell apart\b",
    r"\bfalling apart\b", r"\briddled\b", r"\bnightmare\b", r"\bimpossible\b", r"\bissues?\b", r"\bon hold\b",
    r"\btoo (?:slow|long|many|much|small|hard|complicated|expensive|confusing|often|late|busy|few|big)\b",
    r"\ba bit much\b", r"\bkeeps? (?!getting better|improving)\w+ing\b", r"\bkept \w+ing\b", r"\bno way to\b",
    r"\b(?:is|are|was|were|been|went|goes|go) down\b", r"\b(?:is|are|was|were|been|all) (?:\w+ )?gone\b",
    r"\b(?:nobody|no one|no-one) (?:\w+ ){0,4}(?:\w+ed|\w+s|knew|told|came|got|could|would|can|does|did|even)\b",
    r"\b(?:calls?|connection|signal|wifi|line|frame ?rate|fps)\w* (?:\w+ )?drop(?:s|ped|ping)?\b",
    r"\btank(?:s|ed)\b", r"\bwithout (?:any |a )?(?:warning|notice|notification|asking|telling|consent|reason)\b",
    r"\bfor no reason\b", r"\b(?:way|wildly|completely|totally|always|often) off\b", r"\buninstall\w*\b",
    r"\b(?:need|have|had|has) to (?:\w+ ){0,5}(?:every|each) (?:single )?time\b", r"\bcharg(?:e|es|ed|ing) (?:me|us|you|"
    r"for|extra|a fee)\b",
    r"\b(?:incorrect|inaccurate|outdated|defective|faulty|damaged|cracked|unstable|unavailable|unsupported)\b",
    r"\b(?:overcomplicated|complicated|buffering|pixelated|blurry|overheat\w*|noisy|paywall\w*|upsell\w*|rip-?off)\b",
    r"\bdisconnect(?:s|ed|ing)?\b", r"\bresets? (?:itself|randomly|every|on its own)\b", r"\bstart(?:ed)? (?:over|again) from scratch\b",
    r"\b(?:lacks?|lacking|lack of)\b", r"\b(?:out of stock|sold out|overbooked)\b", r"\bpop-?ups?\b",
    r"\b(?:too many|constant|so many|endless) (?:ads|adverts|notifications|emails|steps|clicks)\b",
    r"\b(?:hard|difficult|tricky|a pain) to\b", r"\b(?:fed up|sick of|tired of|done with|had enough)\b",
    r"\b(?:a|total|complete|hot|such a) mess\b", r"\bnever again\b", r"\b(?:gone|went) downhill\b", r"\bworse\b",
    r"\bused to be (?:\w+ )?(?:better|good|great|nice|reliable|fast|easy|free|cheap|simple|my favou?rite)\b", r"\bstill waiting\b",
    r"\b(?:refused|ignored|ignores)\b", r"\blike (?:pulling teeth|talking to a (?:brick )?wall|watching paint dry)\b",
    r"\b(?:works?|worked|loads?|syncs?|connects?|responds?) (?:\w+ ){0,2}half (?:the|of the) time\b",
    r"\bbehind a (?:paywall|subscription|premium|pro plan)\b", r"\b(?:drags?|dragged|repetitive|expired|hog)\b",
    r"\b(?:needs|wants|asks|makes me|forces me|requires)\b.*\bevery (?:single )?time\b", r"\bsteep learning curve\b",
    r"\bevery (?:single )?time\b.*\b(?:needs|wants|asks|makes me|forces me|requires)\b",
    r"\b(?:can['’]?t|can never|couldn['’]?t|never) tell (?:if|whether|what|when)\b",
    r"\b(?:tinny|muffled|grainy|cramped|wobbly|squeaky|choppy|crackly|underpowered|unintuitive|convoluted)\b",
    r"\b(?:won['’]?t|will not|never) (?:be )?\w+(?: \w+){0,3} again\b", r"\bput(?:ting)? up with\b",
    r"\brather\b.*\bthan (?:deal|put up|wait|sit)\b", r"\b(?:patchy|spotty|flaky|fiddly|finicky|janky|sketchy|dodgy|shoddy|flimsy)\b",
    r"\b(?:junk|garbage|trash|rubbish)\b", r"\b(?:feels?|felt|looks?|looked) (?:\w+ ){0,2}cheap\b|\bcheaply\b", r"\b(?:a|such a|total|complete) (?:maze|joke|chore|headache|gamble|lottery|"
    r"minefield|circus|disaster)\b", r"\b(?:arrived|was|were|is|are|always|still|running|came) (?:\w+ ){0,2}late\b", r"\b(?:removed|got rid of) (?:the|my|our|a) \w+ (?:feature|option|button)\b", r"\b(?:barely|hardly) (?!any\b|ever\b)\w+", r"^\W*why (?:does|do|is|are|would|can['’]?t)\b",
)
_WEAK = _rx(r"\bhad to\b", r"\bhave to\b", r"\bhas to\b", r"\bswitch(?:ed|ing)? to\b", r"\bend(?:ed)? up\b",
            r"\bwaited\b", r"\bcancel+ed\b", r"\bsteep\b", r"\bunderwhelming\b", r"\b(?:could|should) (?:be|have been) (?:\w+ )?(?:better|improved|clearer)\b",
            r"\b(?:needs|could use|could do with) (?:\w+ )?(?:work|improvement|improving)\b|\broom for improvement\b"
            r"|\bleaves? (?:a lot|much) to be desired\b", r"\bbring (?:\w+ ){0,3}back\b", r"\bnothing (?:more|special)\b",
            r"\b(?:took|takes|needed|required|after) (?:\w+ )?(?:calls|attempts|tries|emails|visits|phone calls)\b", r"\bonly (?:works|lets|allows|supports|shows)\b",
            r"\b(?:took|takes|taking|take) (?:\w+ ){0,2}(?:hours|days|weeks|months|while|an hour)\b", r"\b(?:yet )?again\b(?=.*(?:🙄|😒|😤|😡))")
# "A bit basic", "a little tinny": a hedged criticism, unless the word itself is praise or a comparison.
_HEDGE = re.compile(r"\b(?:a (?:little|bit|tad)|slightly|somewhat|kind of|kinda) (?!of\b|more\b|less\b)([a-z]+)\b")
# Functions a product is expected to perform: negated, they are a problem ("doesn't sync").
_FUNCTION = re.compile(
    r"\b(?:works?|working|worked|loads?|loading|loaded|sync(?:s|ing|ed)?|saves?|saved|opens?|opened|connects?|"
    r"connected|arrive[sd]?|respond(?:s|ed)?|repl(?:y|ies|ied)|answer(?:s|ed)?|updated?|show(?:s|ed)? up|"
    r"find|found|remember(?:s|ed)?|recogni[sz]e[sd]?|let me|lets me|register(?:s|ed)?|pair(?:s|ed)?|"
    r"download(?:s|ed)?|upload(?:s|ed)?|refund(?:s|ed)?|get back|got back|help(?:s|ed)?|came|go through|"
    r"went through|log in|sign in|hear(?:d)? back|turn(?:s|ed)? on|understand(?:s)?|fix(?:ed)?)\b")
# Qualities VADER has no entry for; negated, they are a problem ("not exactly fast").
_QUALITY = re.compile(r"\b(?:fast|faster|quick|quicker|quickly|simple|intuitive|reliable|reliably|smooth|"
                      r"smoothly|seamless|seamlessly|accurate|snappy|effortless|straightforward|handy|"
                      r"affordable|cheaper|automatic|gem|decent|obvious|user[- ]friendly|instant|instantly|a fan|fix(?:es|ed)|reasonabl[ey]|fair|generous)\b")
_PRAISE = _rx(r"\bsaves? (?:me|us)\b", r"\bsaved (?:me|us)\b",
              r"\bsaves? (?:a lot of|so much|loads of|a good)\b", r"\bsaves? (?:\w+ ){0,2}(?:hours|time|money|minutes|days)\b",
              r"\bforget (?:it['’]?s|that it['’]?s|its) there\b",
              r"\b(?:without|no|zero|not a single) (?:a |any |single |one )*(?:\w+ )?(?:hitch|hiccup|ticket|complaint)e?s?\b",
              r"\b(?:lower|cheaper|better|faster|easier) than (?:anywhere|any|most|the rest|others?|my old|the old|before)\b",
              r"\b(?:was|is|works like) a (?:breeze|doddle|dream|joy|charm)\b|\bpiece of cake\b|\bno-?brainer\b", r"\bno more\b", r"\bgame ?changer\b",
              r"\blife ?saver\b", r"\bcan['’]?t live without\b", r"\bwhat i['’]?d do without\b",
              r"\bcan['’]?t recommend\b.*\benough\b", r"\bcouldn['’]?t be happier\b", r"\bcan['’]?t wait\b",
              r"\bdoes (?:the|its) job\b", r"\bdoes what it says\b", r"\bjust works\b", r"\bworth (?:it|every)\b",
              r"\bno questions asked\b", r"\bmakes? up for\b", r"\b(?:takes?|in) (?:a few )?seconds\b",
              r"\bwithin (?:an|a|the) (?:hour|day|minute)\b", r"\b(?:straight|right) away\b", r"\bpeace of mind\b",
              r"\bin a good way\b", r"\b(?:as described|as advertised|exceeded (?:my |all )?expectations)\b",
              r"\b(?:would|will|['’]ll|['’]d) (?:definitely |happily |100% )?(?:buy|use|book|fly|order|come back|stay|shop)"
              r"\b(?: \w+){0,3} again\b", r"\b(?:five|5) stars?\b", r"\b10/10\b", r"\bno notes\b", r"\bfor once\b", r"\bspot on\b", r"\b(?:works|does (?:\w+ ){0,3})well\b",
              r"\b(?:wish|if only) i['’]?d? (?:had )?(?:found|known|started|switched|discovered)\b.*"
              r"\b(?:sooner|earlier|ago)\b")
_EMOJI = {"🙄": -0.45, "😒": -0.45, "😤": -0.45, "😡": -0.45, "😠": -0.45, "🤬": -0.45, "🤦": -0.45,
          "👎": -0.5, "🙃": -0.2, "🙏": 0.3, "👍": 0.4, "💯": 0.3, "🔥": 0.35, "🙌": 0.4, "🥰": 0.4, "❤": 0.4}
# Words VADER scores that speech and posts use for something else: fillers, hedges, topic nouns
# ("customer support", "heart rate", "play"), slang and idioms. Applied before cues and VADER.
_SPEECH = [(re.compile(p, re.IGNORECASE), r) for p, r in (
    (r"^\W*(?:(?:(?:okay|ok|yeah|alright|so|um+|uh+|hmm+|oh)\b|(?:right|yes|no|well|sure|sorry)[,.!?]+)[\s,.!?]*)+", ""),
    (r"\b(can|don|won|doesn|didn|isn|wasn|aren|weren|couldn|shouldn|wouldn|haven|hasn|hadn)t\b", r"\1't"),  # "cant"
    (r",\s*sorry\s*,", ","), (r"\b(?:honestly|lol|lmao|haha\w*|tbh|ngl|please|i mean|you know|not gonna lie)\b", " "),
    (r"(?<!\bi )(?<!\bwe )(?<!\byou )(?<!\bthey )(?<!\bto )(?<!\bd )(?<!\bdo )(?<!\bdon't )(?<!\breally )"
     r"(?<!\bwould )(?<!\bdidn't )(?<!\bdoesn't )(?<!\bjust )\blike\b", " "),  # filler "like", not "I like"
    (r"\b(?:not|never) once (?:has|have|did|does) (\w+)", r"\1 has never"),
    (r"\b(?:(?:customer|tech|technical|the|their|our|your) )?(?:support|help|care)(?= (?:desk|centre|center|line|team|"
     r"page|section|ticket|chat|agent|staff|forum|email)\b)|\b(?:customer|tech|technical) (?:support|help|care)\b"
     r"|\b(?:health|child|day|self|primary|urgent|skin|pet) ?care\b", "service"),
    (r"\b(?:heart|interest|credit|emergency|cancer)(?= ?(?:rate|rates|score|card|cards|fund|monitor|health|room|"
     r"screening|history|limit)\b)|\bfree(?= (?:plan|version|tier|trial|account|app|edition)\b)|\bplay(?:s|ing|ed)?\b|\bfriends?\b|\bthird[- ]party\b", "x"),
    (r"\b(is|are|was|so|actually|lowkey|straight|pure) fire\b", r"\1 great"), (r"\bgo(?:es)? hard\b", " great"),
    (r"\bslaps\b", "is great"), (r"\bobsessed with\b", "love"), (r"\bkill(?:ing)? time\b", "pass time"),
    (r"\b(?:(?:is|so|kinda|pretty) mid(?: at best)?|mid at best)\b", " disappointing"),
)]
_REDUCER = re.compile(r"\b(?:less|fewer|no longer|no more|stop|stops|stopped)\b", re.IGNORECASE)  # for VADER: "less stressful"


def _normalise(clause: str) -> str:
    for pattern, replacement in _SPEECH:
        clause = pattern.sub(replacement, clause)
    return clause


_DESIRE = re.compile(
    r"\b(?:i|we|i['’]m|we['’]re|i am|we are)\s*(?:just |really |only |simply |still |honestly |kind of |kinda )?"
    r"(?:want|wanna|need|wish|hope|hoping|['’]d like|would like|['’]d love|would love|['’]d prefer|would prefer|"
    r"trying to|try to|looking for|aiming to|aim to|plan to|planning to|would pay|['’]d pay)\b"
    r"|^\W*(?:(?:just|kinda|kind of|really|honestly|so|still) )?(?:want|need|wish|looking for|hoping)\b"
    r"|\b(?:i['’]?d|we['’]?d|i would|we would) (?:really |so |just |much )?(?:like|love|prefer)\b|\bif only\b"
    r"|\bmy (?:main |big |biggest |real |only )?(?:goal|aim|priority|dream)\b|\bthe (?:goal|aim|dream) is\b"
    r"|\b(?:main|biggest|most important|only) thing (?:for me |i want |i need )?is\b"
    r"|(?:\b(?:it|that) ?)?(?:\bwould|['’]d) be (?:so |really |very )?(?:great|nice|good|helpful|awesome|amazing|ideal|"
    r"useful|lovely|brilliant|perfect|handy|a game ?changer)\b(?: if| to)"
    r"|\bideally\b|\bplease (?:add|make|bring|let|fix|give)\b|\bwhat i(?:['’]d| would)? (?:really )?(?:want|need|love)"
    r" is\b|\ball i (?:want|need|ask)(?: for)? is\b|\b(?:should|could) (?:really )?(?:let|allow|have|be able)\b"
    r"|\bneeds? to be able to\b", re.IGNORECASE)
_NOT_DESIRE = re.compile(r"\b(?:what|everything|anything|all|things?) (?:i|we) (?:need|want)(?!\w| is\b)|\b(?:need|have) to (?:\w+ ){0,4}(?:every|each) time\b|\bno need\b|\bdidn['’]?t need\b|"
                         r"\bdon['’]?t need (?:to|a|an|the|any)\b|\bwish i['’]?d? (?:had )?(?:found|known|started|"
                         r"switched|discovered)\b", re.IGNORECASE)
# Counterfactual wishes: what follows describes the opposite of how things are.
_WISH = re.compile(r"\b(?:i wish|we wish|wish (?:it|they|the|this|i|there|we|you)|if only|would be (?:so |really )?(?:great|nice|"
                   r"good|helpful|awesome|ideal|lovely|amazing|handy) if|['’]d be (?:so |really )?(?:great|nice|good) "
                   r"if|(?:just|only|simply) want(?:s|ed)? (?:it|this|them|things|the \w+) to)\b", re.IGNORECASE)
_SARCASM = re.compile(r"^\W*(?:oh,? )?(?:great|perfect|wonderful|fantastic|brilliant|awesome|nice|cool|lovely|thanks)"
                      r"\b[\s,.!]+(?=.*\b(?:another|again|now i have to|now i need to)\b)|\blove that for me\b",
                      re.IGNORECASE)

_CONTRAST = re.compile(r"\s*(?:\bbut\b|\bhowever\b|,\s*yet\b|,\s*otherwise\b|\bthat said\b|\bon the other hand\b|"
                       r"(?<=[,;])\s*now\b|\band now\b|\bthen (?=(?:it |they |the \w+ )?(?:died|broke|stopped|quit|froze|crashed|"
                       r"failed)\b))\s*,?\s*", re.IGNORECASE)
_EXCEPT = re.compile(r"\s*\bexcept(?: for| that)?\b\s*", re.IGNORECASE)
_CONCESSIVE_LEAD = re.compile(r"^\s*(?:although|though|even though|even if|while)\b([^,]+),(.+)$",
                              re.IGNORECASE | re.DOTALL)
_CONCESSIVE_TAIL = re.compile(r"^(.+?),?\s*\b(?:although|even though|though)\b(.+)$", re.IGNORECASE | re.DOTALL)


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # lazy: keeps `synth --help` fast

    analyzer = SentimentIntensityAnalyzer()
    for word in _DESCRIPTIVE:
        analyzer.lexicon.pop(word, None)
    return analyzer


# Words VADER scores as sentiment that, in talk about a product or service, mostly name things: a shared
# list or dashboard, the free tier, saved items, the support team, store credit, "please" in a request,
# "yeah"/"okay" as backchannel, "pretty" as in "pretty slow". Kept, they make complaints read as praise
# ("the shared list duplicated every item"). Not tied to any one product or domain.
_DESCRIPTIVE = frozenset(
    "share shared shares sharing free save saved support supported supports credit join please yes yeah ok okay "
    "pretty".split()
)


def _negated(text: str, start: int) -> bool:
    """Whether one of the three words before `start`, in the same phrase, negates what follows."""
    before = re.findall(r"[\w'’]+", re.split(r"[,.;:!?]", text[:start])[-1].lower())[-3:]  # not across a comma
    return any(w in _NEGATORS or _CONTRACTED.search(w) for w in before)


def _cues(clause: str) -> tuple[float, bool]:
    """(Score of what VADER misses, whether an un-negated problem is stated).

    Where a problem is stated, the clause's generic praise ("a simple question", "instant") is dropped.
    """
    low = clause.lower()
    good, bad, problem = 0.0, 0.0, False
    for patterns, weight in ((_PROBLEM, _PROBLEM_WEIGHT), (_WEAK, _WEAK_WEIGHT)):
        for pattern in patterns:
            for m in pattern.finditer(low):
                if _negated(low, m.start()):
                    good -= 0.6 * weight
                else:
                    bad += weight
                    problem = True
    for m in _FUNCTION.finditer(low):
        if _negated(low, m.start()) and not re.search(r"\bnot only\b", low[max(0, m.start() - 12):m.start()]):
            bad += _PROBLEM_WEIGHT
            problem = True
    for m in _QUALITY.finditer(low):
        if _negated(low, m.start()):
            bad += _PROBLEM_WEIGHT
            problem = True
        else:
            good += 0.35
    lexicon = _analyzer().lexicon
    for m in _HEDGE.finditer(low):
        word = m.group(1)
        if word not in lexicon and not word.endswith("er") and not _QUALITY.fullmatch(word):
            bad += _HEDGE_WEIGHT  # VADER already scores its own words
    good += sum(_PRAISE_WEIGHT for p in _PRAISE if p.search(low))
    for emoji, value in _EMOJI.items():
        if emoji in clause:
            good, bad = (good + value, bad) if value > 0 else (good, bad + value)
    return (bad if problem else good + bad), problem


def _vader(clause: str) -> float:
    """VADER's compound score of a normalised clause, reducers read as negation, cue emoji left to `_cues`."""
    text = "".join(ch for ch in _REDUCER.sub("not", clause) if ch not in _EMOJI)
    return _analyzer().polarity_scores(text)["compound"] if text.strip(" ,.!?") else 0.0


def _clause_score(clause: str) -> float:
    clause = _normalise(clause)
    sarcasm = _SARCASM.search(clause)
    if sarcasm:
        clause = _SARCASM.sub(" ", clause)
    wish = None if _NOT_DESIRE.search(clause) else _WISH.search(clause)  # "wish I'd found it sooner" is praise
    desire = None if _NOT_DESIRE.search(clause) else _DESIRE.search(clause)
    frame = wish or desire
    if frame:  # "I need the reports to match, otherwise nobody trusts them": the tail is hypothetical
        clause = re.split(r",?\s*\b(?:otherwise|or else)\b", clause, maxsplit=1, flags=re.IGNORECASE)[0]
    body = clause[frame.end():] if frame else clause
    if desire and not wish:  # "My goal is to stop paying for three services": the user's own stopping
        body = re.sub(r"^\W*(?:is )?(?:to )?(?:stop|quit)\s+", " ", body, flags=re.IGNORECASE)
    cues, problem = _cues(body if frame else clause)
    vader = _vader(body)
    if problem:
        vader = min(vader, 0.0)
    score = max(-1.0, min(1.0, vader + cues))
    if wish:
        # "I wish it didn't crash": the wished-for state is good, so the present one is bad.
        score = -score if score > 0.1 else min(score, 0.0)
    elif desire and not problem:
        score *= 0.3  # "I'm trying to build an emergency fund": a goal, not an opinion
    return score - 0.5 if sarcasm else score


def _clauses(text: str) -> list[tuple[str, bool, bool]]:
    """(clause, dominant?, exception?) pieces of a sentence, per the mixed-sentence rule above."""
    if _DESIRE.search(text):  # "…, otherwise nobody trusts them" after a need is a consequence, not a contrast
        text = re.sub(r",\s*(otherwise|or else)\b", r" \1", text, flags=re.IGNORECASE)
    parts = [p for p in _CONTRAST.split(text) if p and p.strip(" ,.;")]
    out: list[tuple[str, bool, bool]] = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        lead, tail = _CONCESSIVE_LEAD.match(part), _CONCESSIVE_TAIL.match(part)
        if lead:
            out += [(lead.group(1), False, False), (lead.group(2), last, False)]
        elif tail and len(tail.group(2).split()) >= 2:
            out += [(tail.group(1), last, False), (tail.group(2), False, False)]
        else:
            pieces = _EXCEPT.split(part, maxsplit=1)
            if len(pieces) == 2 and pieces[1].strip(" .!"):
                out += [(pieces[0], False, False), (pieces[1], last, True)]
            else:
                out.append((part, last, False))
    return out or [(text, True, False)]


def _text_polarity(text: str) -> float:
    dominant, minor, previous = [], 0.0, 0.0
    for clause, main, exception in _clauses(text):
        score = _clause_score(clause)
        if exception and abs(score) < 0.3:
            # "Great app except for the sync": an exception to praise is a problem, and vice versa.
            score = -0.5 if previous >= 0 else 0.5
        if main:
            dominant.append(score)
        else:
            minor += _MINOR * score
        previous = score
    base = sum(dominant) / len(dominant) if dominant else 0.0
    return max(-1.0, min(1.0, base + minor))


def rating_lean(rating: float, scale: float = 5.0) -> float:
    """A star rating on 1..`scale` as a lean in [-1, 1]: -1 the lowest, 0 the middle, 1 the highest."""
    if scale <= 1:
        return 0.0
    return max(-1.0, min(1.0, (rating - (scale + 1) / 2) / ((scale - 1) / 2)))


def polarity(text: str, rating: float | None = None, scale: float = 5.0, *,
             rating_weight: float = RATING_WEIGHT) -> float:
    """The rule score in [-1, 1]: negative is a complaint or problem, positive praise or satisfaction.

    rating: the star rating of the review the sentence comes from, on 1..`scale`; it leans the
    sentence towards the review's verdict, less so the more the sentence's own words say.
    """
    score = _text_polarity(text)
    if rating is not None:
        score += rating_weight * rating_lean(rating, scale) * (1 - abs(score))
    return max(-1.0, min(1.0, score))


# Review forms (G2, Capterra, Glassdoor, app stores, surveys) ask for the good and the bad apart: text under
# "Cons:" is a complaint whatever its words weigh ("New users come in as members by default"), under "Pros:"
# praise. The label is the reviewer's own statement of stance.
_LABELLED = re.compile(r"^\W*(?:(?P<neg>cons?|dislikes?|downsides?|the bad|what (?:do )?(?:you |i )?dislike(?: most)?"
                       r"|what (?:could|should|can) be (?:better|improved))|(?P<pos>pros?|likes?|upsides?|the good"
                       r"|what (?:do )?(?:you |i )?like(?: best| most)?))\s*(?:\?|:|-|\u2013|\u2014)\s*\S",
                       re.IGNORECASE)


def labelled_stance(text: str) -> Stance | None:
    """The stance a review form's label gives the text ("Cons: …" negative, "Pros: …" positive), or None."""
    m = _LABELLED.match(text)
    if m is None:
        return None
    return "negative" if m.group("neg") else "positive"


def rule_stance(text: str, rating: float | None = None, scale: float = 5.0) -> Stance:
    """'negative', 'positive' or 'neutral' by the rules alone: thresholds on `polarity`."""
    labelled = labelled_stance(text)
    if labelled is not None:
        return labelled
    score = polarity(text, rating, scale)
    if score <= NEGATIVE_BELOW:
        return "negative"
    if score >= POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def is_desire(text: str) -> bool:
    """Whether the text states a want, need, wish or goal, whatever its sentiment words."""
    return bool(_DESIRE.search(text)) and not _NOT_DESIRE.search(text)
