"""Near-duplicate folding: retweets, copy-pastes and bot repeats stored once, counted honestly.

Posts and reviews (chunks of kind social or review) are compared after normalisation: case, runs of
whitespace and punctuation, URLs, @handles and "RT @x:" prefixes do not count. Two chunks with the same
normalised text are exact duplicates; two whose word-bigram sets have a MinHash-estimated Jaccard of at
least `THRESHOLD` are near duplicates (MinHash signatures and LSH banding, candidates then checked on
the signatures). The first chunk seen is the canonical one: only it is embedded and clustered, with a
weight of its copies. Every copy keeps its own Document, Chunk and Participant (each author's words stay
verbatim evidence for that author), and `chunk_folds` maps it to its canonical chunk, so themes list
every copy and prevalence counts every author: a quote repeated by 300 accounts is one quote from 300
participants. Interview chunks are never folded: a person repeating themselves is not a repost.

MinHash and banding are done here in numpy (the textbook scheme datasketch also uses: universal hashes
h(x) = (a x + b) mod (2^61 - 1) over 32-bit shingle hashes, one minimum per permutation), because both
costs matter at a million posts: a whole batch is signed in a few array operations (datasketch's
MinHash.bulk took about 170 us a text here), and the index must remember every distinct text of a
run and of the workspace: per distinct text one exact key, one signature (NUM_PERM 32-bit values as
bytes) and one int per band, about 1.2 kB, where datasketch's MinHashLSH held about 4 kB. A bucket
keeps its first text only; with 10 bands a near duplicate still
meets its original in some band (95% at Jaccard 0.8, 99.9% at 0.9).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np
from pydantic import BaseModel, Field

from synth.records import Chunk, Kind, Role

FOLD_KINDS = frozenset({Kind.social.value, Kind.review.value})
THRESHOLD = 0.8  # estimated Jaccard of word bigrams at or above which two posts are one text
NUM_PERM = 64
LSH_BANDS = (10, 6)  # (bands, rows per band) over NUM_PERM values
MIN_SHINGLES = 4  # shorter texts (under 5 words) fold only when their normalised text is identical
BOT_COPIES = 5  # a text posted this many times or more is reported when ...
BOT_ACCOUNTS = 5  # ... this many accounts or more posted it, or ...
BOT_SAME_ACCOUNT = 3  # ... one account posted it this many times or more

_RT = re.compile(r"^\s*(?:rt|mt)\s+@\w+\s*:?\s*", re.I)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"(?<!\w)@\w+")
_NONWORD = re.compile(r"[\W_]+")


def normalize_text(text: str) -> str:
    """The text as compared: no RT prefix, URLs or handles; lower case; words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text)
    while True:
        stripped = _RT.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    text = _HANDLE.sub(" ", _URL.sub(" ", text))
    return _NONWORD.sub(" ", text.casefold()).strip()


def shingles(normalized: str) -> list[bytes]:
    """Word bigrams of a normalised text (its words when it has one)."""
    words = normalized.split()
    if len(words) < 2:
        return [w.encode() for w in words]
    return list({f"{a} {b}".encode() for a, b in zip(words, words[1:])})


_PRIME = (1 << 61) - 1
_rng = np.random.RandomState(1)
_A = _rng.randint(1, 1 << 31, size=NUM_PERM).astype(np.uint64)  # a, b < 2^31 and x < 2^32: a x + b < 2^63
_B = _rng.randint(0, 1 << 31, size=NUM_PERM).astype(np.uint64)


def signatures(grams: list[list[bytes]], block: int = 2048) -> np.ndarray:
    """MinHash signatures (len(grams), NUM_PERM) uint32 of non-empty shingle lists."""
    out = np.empty((len(grams), NUM_PERM), dtype=np.uint32)
    for lo in range(0, len(grams), block):  # bounded temporaries: a block of texts at a time
        part = grams[lo : lo + block]
        flat = [int.from_bytes(hashlib.blake2b(g, digest_size=4).digest(), "little") for gs in part for g in gs]
        hv = np.asarray(flat, dtype=np.uint64)[:, None]
        hashed = ((hv * _A + _B) % _PRIME).astype(np.uint32)
        starts = np.cumsum([0] + [len(gs) for gs in part[:-1]])
        out[lo : lo + len(part)] = np.minimum.reduceat(hashed, starts, axis=0)
    return out


def _key(normalized: str) -> int:
    return int.from_bytes(hashlib.blake2b(normalized.encode(), digest_size=8).digest(), "little")


def foldable(chunk: Chunk) -> bool:
    return chunk.kind.value in FOLD_KINDS and chunk.role == Role.participant


class Fold(BaseModel):
    """One chunk stored as a copy of another: it keeps its records, but has no vector of its own."""

    chunk_id: str
    canonical_id: str
    how: str  # "retweet" (an "RT @x:" copy), "exact" (same normalised text) or "near" (MinHash Jaccard >= THRESHOLD)
    similarity: float = 1.0


class FoldIndex:
    """The canonical texts seen so far: folds each new chunk onto one of them, or makes it canonical."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self.exact: dict[int, str] = {}
        # 10 bands of 6 rows: a pair at Jaccard 0.8 is a candidate 95% of the time, at 0.9 99.9%, at 0.5 15%;
        # candidates are then checked on their signatures, so recall is what the bands are for.
        self.bands: list[dict[int, int]] = [{} for _ in range(LSH_BANDS[0])]
        self.ids: list[str] = []  # canonical chunk ids with a signature, by position
        self.signatures: list[bytes] = []

    def __len__(self) -> int:
        return len(self.exact)

    def fold(self, chunks: Iterable[Chunk]) -> dict[str, Fold]:
        """Folds for the copies among `chunks` (in order); the others become canonical."""
        todo = [c for c in chunks if foldable(c)]
        norms = [normalize_text(c.text) for c in todo]
        keys = [_key(n) for n in norms]
        # Only texts no exact key matches yet need a signature (within a batch, the first of a text has one).
        seen: set[int] = set()
        near = []
        for i, n in enumerate(norms):
            if n and keys[i] not in self.exact and keys[i] not in seen:
                seen.add(keys[i])
                grams = shingles(n)
                if len(grams) >= MIN_SHINGLES:
                    near.append((i, grams))
        sigs = dict(zip([i for i, _ in near], signatures([g for _, g in near])))
        out: dict[str, Fold] = {}
        for i, chunk in enumerate(todo):
            if not norms[i]:
                continue  # nothing but links or handles: nothing to compare
            key = keys[i]
            retweet = bool(_RT.match(chunk.text))
            if key in self.exact:
                if self.exact[key] != chunk.id:
                    out[chunk.id] = Fold(chunk_id=chunk.id, canonical_id=self.exact[key],
                                         how="retweet" if retweet else "exact")
                continue
            sig = sigs.get(i)
            match = self._near(sig) if sig is not None else None
            if match:
                canonical, sim = match
                out[chunk.id] = Fold(chunk_id=chunk.id, canonical_id=canonical, how="retweet" if retweet else "near",
                                     similarity=sim)
                self.exact[key] = canonical  # the same wording again folds without MinHash
                continue
            self.exact[key] = chunk.id
            if sig is not None:
                n = len(self.ids)
                self.ids.append(chunk.id)
                self.signatures.append(sig.tobytes())
                for band, key in zip(self.bands, self._keys(sig)):
                    band.setdefault(key, n)
        return out

    @staticmethod
    def _keys(sig: np.ndarray) -> list[int]:
        rows = LSH_BANDS[1]
        return [hash(sig[b * rows : (b + 1) * rows].tobytes()) for b in range(LSH_BANDS[0])]

    def _near(self, sig: np.ndarray) -> tuple[str, float] | None:
        best: tuple[int, float] | None = None
        for n in {band[key] for band, key in zip(self.bands, self._keys(sig)) if key in band}:
            sim = float(np.mean(np.frombuffer(self.signatures[n], dtype=np.uint32) == sig))
            if sim >= self.threshold and (best is None or (sim, -n) > (best[1], -best[0])):
                best = (n, sim)
        return (self.ids[best[0]], best[1]) if best else None

    @classmethod
    def from_store(cls, store, batch: int = 20000) -> "FoldIndex":
        """The index of the canonical chunks already stored (a later file or a resumed run folds onto them)."""
        index = cls()
        kinds = sorted(FOLD_KINDS)
        query = (
            "SELECT id, document_id, text, kind FROM chunks WHERE role = ? AND kind IN (?, ?) "
            "AND id NOT IN (SELECT chunk_id FROM chunk_folds) ORDER BY rowid"
        )
        cursor = store.db.execute(query, (Role.participant.value, *kinds))
        while rows := cursor.fetchmany(batch):
            index.fold([
                Chunk(id=r[0], document_id=r[1], participant_id=None, speaker="", role=Role.participant,
                      kind=Kind(r[3]), text=r[2], start=0, end=len(r[2])) for r in rows
            ])
        return index


# what the folds say about repetition ---------------------------------------------------------------
class RepeatedText(BaseModel):
    """A text posted more than once: how often, by how many accounts, and the most by one account."""

    canonical_id: str
    text: str
    copies: int
    accounts: int
    most_by_one_account: int
    bot_like: list[str] = Field(default_factory=list)  # why it looks automated, in words


class Repetition(BaseModel):
    """Near-duplicate folding across the workspace, and the repetition that looks automated."""

    chunks: int  # foldable chunks (posts and reviews)
    canonical: int  # distinct texts among them (each embedded once)
    folded: int  # copies folded onto a canonical text
    top: list[RepeatedText] = Field(default_factory=list)  # most repeated texts first
    bot_like: list[RepeatedText] = Field(default_factory=list)


def copies_by_canonical(store) -> dict[str, list[str]]:
    """Canonical chunk id -> the chunk ids folded onto it."""
    out: dict[str, list[str]] = defaultdict(list)
    for chunk_id, canonical in store.db.execute("SELECT chunk_id, canonical_id FROM chunk_folds ORDER BY chunk_id"):
        out[canonical].append(chunk_id)
    return dict(out)


def repetition(store, top: int = 10) -> Repetition:
    """How much was folded, the most repeated texts, and those that look like bots (see BOT_*)."""
    kinds = sorted(FOLD_KINDS)
    total = store.db.execute("SELECT COUNT(*) FROM chunks WHERE role = ? AND kind IN (?, ?)",
                             (Role.participant.value, *kinds)).fetchone()[0]
    folded = store.db.execute("SELECT COUNT(*) FROM chunk_folds").fetchone()[0]
    per: dict[str, Counter] = defaultdict(Counter)
    pasted: dict[str, set] = defaultdict(set)  # accounts that posted the text as their own (not a retweet)
    rows = store.db.execute(
        "SELECT g.cid, c.participant_id, g.how FROM (SELECT canonical_id AS cid, chunk_id AS id, how FROM chunk_folds "
        "UNION ALL SELECT DISTINCT canonical_id, canonical_id, 'canonical' FROM chunk_folds) g JOIN chunks c ON c.id = g.id"
    )
    for cid, pid, how in rows:
        per[cid][pid or cid] += 1
        if how != "retweet":
            pasted[cid].add(pid or cid)
    groups = []
    for cid, authors in per.items():
        copies, most = sum(authors.values()), max(authors.values())
        why = []
        if copies >= BOT_COPIES and len(pasted[cid]) >= BOT_ACCOUNTS:  # retweeting a popular post is not a bot
            why.append(f"the same text posted as their own by {len(pasted[cid])} accounts")
        if most >= BOT_SAME_ACCOUNT:
            why.append(f"one account posted it {most} times")
        groups.append((copies, cid, len(authors), most, why))
    groups.sort(key=lambda g: (-g[0], g[1]))
    wanted = [g for g in groups[:top]] + [g for g in groups[top:] if g[4]][: top * 5]
    texts = dict(store.db.execute(
        f"SELECT id, text FROM chunks WHERE id IN ({','.join('?' * len(wanted))})", [g[1] for g in wanted]
    )) if wanted else {}
    made = {g[1]: RepeatedText(canonical_id=g[1], text=texts.get(g[1], ""), copies=g[0], accounts=g[2],
                               most_by_one_account=g[3], bot_like=g[4]) for g in wanted}
    return Repetition(
        chunks=total, canonical=total - folded, folded=folded, top=[made[g[1]] for g in groups[:top]],
        bot_like=[made[g[1]] for g in wanted if g[4]],
    )
