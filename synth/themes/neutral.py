"""What, not who: take out of each chunk the names of who is addressed or speaking, before clustering and labelling.

Tweets to five airlines about delays should make one "delays" theme, not five airline themes. The
neutral text of a chunk drops:
  - URLs, @handles and anonymisation masks ("XXXX", "XXXX-XXXX", "[REDACTED]");
  - hashtags that name a corpus name ("#marlowe"); other hashtags keep their word ("#delay" -> "delay");
  - corpus names, found in the data itself (`find_names`): a word that is capitalised in most of its
    occurrences that do not start a sentence, across at least MIN_DOCS_SHARE of the documents (brands,
    products, companies, places: who or where, not what); the parts of the @handles the corpus uses
    ("@MarloweHotels" names "Marlowe"); product, brand and company values in document metadata; the
    names of speakers and participants.
Quotes always keep the original text: only the vectors, keywords and labels see the neutral text.
Nothing here knows a domain: the cues are typography (capitals, @, #, URLs) and the corpus's own
metadata and speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

VERSION = "neutral/2"  # part of the themes fingerprint
MIN_DOCS_SHARE = 0.01  # a corpus name recurs in at least this share of documents ...
MIN_DOCS = 3  # ... and in at least this many
CAPITALISED = 0.7  # ... and is capitalised in at least this share of its mid-sentence occurrences,
OFTEN_CAPITALISED = (0.4, 10)  # ... or in this share, at least this many times: a product whose name is also a word
# ("Larder", "Notion"), written in lower case by half its social posts; ordinary words are almost never
# capitalised mid-sentence (measured on both sample corpora: "team" 6%, "product" 10%, "manager" 39% as a title)
METADATA_KEYS = re.compile(r"(?i)^(product|product_name|brand|company|app|app_name|business|organi[sz]ation|vendor|"
                           r"service|account|handle|page|channel|airline|hotel|store|shop|venue)$")

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co|ly|io|net|org|app|me)/\S*")
_HANDLE = re.compile(r"(?<![\w@])@\w{2,}")
_HASHTAG = re.compile(r"(?<![\w#])#(\w+)")
_MASK = re.compile(r"(?i)(?<![\w])(?:x{3,}(?:[-/.]x+)*|\[(?:redacted|removed|name|email|phone|address)\]|\*{3,})(?![\w])")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“(\n]|\s[-–—])\s*$")
# Words capitalised by convention or by accident of position, never a name of who is addressed.
_ALWAYS_CAPITAL = frozenset("""i i'm i've i'd i'll ok okay monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december english""".split())


def _stopwords() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return ENGLISH_STOP_WORDS


class CorpusNames(BaseModel):
    """The names the neutral text drops, each with how it was found (for `synth themes --json` and tests)."""

    names: dict[str, str] = Field(default_factory=dict)  # lower-cased name -> "capitalised", "handle", ...

    def pattern(self) -> re.Pattern[str] | None:
        """Names found in the data match in any case ("the marlowe"); speaker names only capitalised, so a
        speaker called Will or Grace leaves "will" and "grace" in the text."""
        if not self.names:
            return None
        any_case = sorted((n for n, how in self.names.items() if how != "speaker"), key=len, reverse=True)
        capital = sorted((n for n, how in self.names.items() if how == "speaker"), key=len, reverse=True)
        alts = [f"(?i:{'|'.join(re.escape(n) for n in any_case)})"] if any_case else []
        alts += [re.escape(n[0].upper()) + f"(?i:{re.escape(n[1:])})" for n in capital]
        # a name, with a possessive, as a whole word
        return re.compile(rf"(?<![\w@#])(?:{'|'.join(alts)})(?:['’]s)?(?![\w])")


def _handle_parts(handle: str) -> list[str]:
    """'@MarloweHotels' -> ['marlowe', 'hotels', 'marlowehotels']; 'kinetiq_help' -> ['kinetiq', 'help', ...]."""
    body = handle.lstrip("@")
    parts = [p for p in re.split(r"_|(?<=[a-z])(?=[A-Z])|\d+", body) if p]
    return [p.lower() for p in parts] + [body.lower()]


def find_names(texts: Sequence[str], *, speakers: Iterable[str] = (), metadata: Iterable[dict] = ()) -> CorpusNames:
    """The corpus's names of who is addressed or speaking, found from the texts, speakers and metadata."""
    found: dict[str, str] = {}
    capital: Counter[str] = Counter()
    lower: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    handles: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()  # every word, sentence starts included
    for text in texts:
        text = _URL.sub(" ", text)
        for h in _HANDLE.findall(text):
            handles[h] += 1
        seen: set[str] = set()
        clean = _MASK.sub(" ", _HANDLE.sub(" ", text))
        anywhere.update(w.lower() for w in _WORD.findall(clean))
        for m in _WORD.finditer(clean):
            word = m.group(0).rstrip("'’-")
            key = re.sub(r"['’]s$", "", word.lower())
            if len(key) < 3 or key in _ALWAYS_CAPITAL or key in _stopwords():
                continue
            if word.isupper() and len(word) <= 5:
                continue  # acronyms (ATM, GPS, PIN) are what is said, not who
            if _SENTENCE_START.search(clean[: m.start()]):
                continue  # position explains a capital at a sentence start
            (capital if word[0].isupper() else lower)[key] += 1
            seen.add(key)
        docs.update(seen)
    n_docs = max(1, len(texts))
    floor = max(MIN_DOCS, MIN_DOCS_SHARE * n_docs)
    for key, n in capital.items():
        share = n / (n + lower[key])
        if docs[key] >= floor and (share >= CAPITALISED or (share >= OFTEN_CAPITALISED[0] and n >= OFTEN_CAPITALISED[1])):
            found[key] = "capitalised"
    # Handle parts that the texts also use as words ("@MarloweHotels" and "the Marlowe"): the part is a name.
    words = set(capital) | set(lower)
    for handle, n in handles.items():
        parts = _handle_parts(handle)
        for part in parts[:-1]:
            if len(part) >= 4 and part in capital and capital[part] >= lower[part]:
                found.setdefault(part, "handle")
        if n >= 2 and parts[-1] in words:
            found.setdefault(parts[-1], "handle")
        for i in range(len(parts) - 2):  # joined parts the texts use as a word: "@PulseFitApp" and "PulseFit"
            for j in range(i + 2, len(parts)):
                joined = "".join(parts[i:j])
                if len(joined) >= 5 and anywhere[joined] >= 2:
                    found.setdefault(joined, "handle")
    for meta in metadata:
        for key, value in meta.items():
            if METADATA_KEYS.match(str(key)) and isinstance(value, str) and 2 < len(value) <= 40:
                found.setdefault(value.strip().lstrip("@").lower(), "metadata")
    for speaker in speakers:
        for word in _WORD.findall(speaker or ""):
            if (len(word) >= 3 and word.isalpha() and word[0].isupper() and not word.isupper()
                    and word.lower() not in _ALWAYS_CAPITAL and word.lower() not in _stopwords()):
                found.setdefault(word.lower(), "speaker")
    return CorpusNames(names=dict(sorted(found.items())))


def neutral_text(text: str, names: CorpusNames, pattern: re.Pattern[str] | None = None) -> str:
    """The text without URLs, handles, masks, name hashtags and corpus names; whitespace tidied."""
    pattern = pattern if pattern is not None else names.pattern()
    out = _URL.sub(" ", text)
    out = _HANDLE.sub(" ", out)
    out = _MASK.sub(" ", out)
    out = _HASHTAG.sub(lambda m: " " if m.group(1).lower() in names.names else m.group(1), out)
    if pattern is not None:
        out = pattern.sub(" ", out)
    out = re.sub(r"\s+([,.!?;:])", r"\1", out)
    return " ".join(out.split())

