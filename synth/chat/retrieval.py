"""Retrieval for chat: only a segment's own participants' words, by meaning and by keywords, fused.

Two rankings are fused by reciprocal rank (RRF):
- vectors: a chromadb nearest-neighbour query. chromadb 1.5 applies `where` filters slowly at scale
  (measured at 100k chunks: ~100 ms for one participant, 300-400 ms for a 500-participant `$in`), so
  the segment filter is applied to an oversampled candidate list sized from the segment's share of
  the collection. A small segment (up to EXACT_MAX chunks) is searched exactly instead, over its own
  vectors, fetched once per retriever.
- keywords: BM25 over an SQLite FTS5 index of the same light stems the offline drafter matches on,
  keeping the segment's chunks from the ranked list. Terms so common that their postings would blow
  the latency budget are left out: their idf adds next to nothing to the ranking, and vectors see them.

The keyword index is `synth.chat.keywords.KeywordIndex`; a segment's sentences and vocabulary,
embedded once, are `synth.chat.segment_text`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from synth.chat.keywords import EVIDENCE, FTS_TABLE, INDEX_VERSION, POSTINGS_BUDGET, STATE_SCHEMA, KeywordIndex  # noqa: F401
from synth.config import Settings
from synth.embedders import Embedder, get_embedder
from synth.llm.text import QUESTION_WORDS, content_stems, split_sentences, stem, words
from synth.records import Chunk, Segment
from synth.search import open_store
from synth.store import Store
from synth.vectors import VectorStore, open_vectors

RRF_K = 60  # the usual reciprocal-rank constant: rank 1 and rank 5 differ, rank 40 and 45 hardly
EXACT_MAX = 2000  # segments up to this many chunks are searched exactly
OVERSAMPLE = 2.5  # candidates asked for per wanted in-segment hit, over the segment's share
SENTENCE_CHUNKS = 6  # nearest chunks whose sentences are compared with the question one by one
GENERIC_SHARE = 0.05  # a word in this share of the study's evidence chunks names no particular topic

# Sentence vectors of evidence chunks, filled as questions reach them; a chunk id names its text (a changed
# chunk gets a new id), so rows never go stale.
SENTENCE_SCHEMA = ("CREATE TABLE IF NOT EXISTS chat_sentence_vectors (chunk_id TEXT NOT NULL, embedder TEXT NOT NULL, "
                   "dim INTEGER NOT NULL, vectors BLOB NOT NULL, PRIMARY KEY (chunk_id, embedder));")


# Words that ask how someone feels about a topic rather than name it ("what frustrates you about ads?"):
# a segment that never said "frustrate" may still have plenty to say about ads.
ATTITUDE = frozenset(stem(w) for w in """frustrate frustrates frustrating annoy annoys annoying bother bothers like
    likes love loves hate hates enjoy enjoys prefer want wants wish worry worries struggle struggles matter matters
    important favourite favorite best worst most least problem problems challenge challenges hard easy biggest
    experience experiences""".split())


# How close in meaning (MiniLM cosine between two single words) a word somebody used must be to a question word
# nobody used to stand in for it: at or below COVER_LOW the two are unrelated, at or above COVER_HIGH they are
# near synonyms ("commercials" and "ads" 0.69, "organise" and "organize" 0.89; "dentist" and "doctor" 0.54
# are only half). Set from how this embedder scores word pairs in general, not fitted on any study.
COVER_LOW, COVER_HIGH = 0.4, 0.7
EXPAND_AT = 0.55  # a neighbour at least this close is also searched for by keyword


def cover(similarity: float) -> float:
    """How far a study word at this cosine stands in for a question word nobody used: 0 to 1."""
    return min(1.0, max(0.0, (similarity - COVER_LOW) / (COVER_HIGH - COVER_LOW)))


def question_stems(text: str) -> list[str]:
    """The stems a question is matched on, in order, without repeats or asking words."""
    return list(dict.fromkeys(content_stems(text, QUESTION_WORDS)))


class SegmentRetriever:
    """Hybrid retrieval over one segment's evidence. Build once per conversation; `close()` when done."""

    def __init__(
        self,
        settings: Settings,
        segment: Segment,
        *,
        store: Store | None = None,
        vectors: VectorStore | None = None,
        embedder: Embedder | None = None,
    ):
        self.settings = settings
        self.segment = segment
        self._own_store = store is None
        self.store = store or open_store(settings)
        self.participants = sorted(set(segment.participant_ids))
        self._rowids: dict[int, str] = dict(self.store.db.execute(
            f"SELECT rowid, id FROM chunks WHERE {EVIDENCE} AND participant_id IN (SELECT value FROM json_each(?))",
            (json.dumps(self.participants),),
        ))
        self.chunk_ids = set(self._rowids.values())
        # Near-duplicate copies (synth.dedupe) share their canonical chunk's vector: a segment member who
        # reposted a text is found through it, and cited as themselves.
        try:
            self._canonical = self.store.folds(sorted(self.chunk_ids)) if self.chunk_ids else {}
        except sqlite3.OperationalError:  # a read-only workspace from before folding: no copies
            self._canonical = {}
        self._copies: dict[str, list[str]] = defaultdict(list)
        for copy, canonical in sorted(self._canonical.items()):
            self._copies[canonical].append(copy)
        self.keywords = KeywordIndex(self.store)
        if not self.store.read_only:
            self.store.ensure_schema(SENTENCE_SCHEMA)
        self._vectors = vectors
        self._embedder = embedder
        self._total: int | None = None
        self._exact: tuple[list[str], np.ndarray] | None = None
        self._queries: dict[str, np.ndarray] = {}
        self._sentences: dict[str, np.ndarray] = {}  # sentence vectors of chunks near earlier questions
        self._segment_text: dict[str, Any] = {}  # SegmentSentences and Vocabulary, built on first use

    @property
    def vectors(self) -> VectorStore:
        """The vector store, opened on first use: a small segment's vectors usually come from chat's cache."""
        if self._vectors is None:
            self._vectors = open_vectors(self.settings)
        return self._vectors

    @property
    def total(self) -> int:
        if self._total is None:
            self._total = self.vectors.count()
        return self._total

    def close(self) -> None:
        if self._own_store:
            self.store.close()

    def __enter__(self) -> "SegmentRetriever":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the two rankings ---------------------------------------------------------------------------
    def embed(self, text: str) -> np.ndarray:
        """The question's vector; repeated questions (a follow-up, `synth ask` over personas) are not re-embedded."""
        if text not in self._queries:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedder)
            self._queries[text] = self._embedder.embed([text])[0]
        return self._queries[text]

    def vector_ranking(self, vector: np.ndarray, n: int) -> list[str]:
        """Up to `n` of the segment's chunk ids, nearest in meaning first."""
        return [cid for cid, _ in self.nearest(vector, n)]

    def nearest(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Up to `n` of the segment's (chunk id, cosine similarity), nearest in meaning first."""
        if not self.chunk_ids:
            return []
        vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if len(self.chunk_ids) <= EXACT_MAX:
            ids, matrix = self._segment_vectors()
            if not ids:
                return []
            sims = matrix @ vector
            return [(ids[i], float(sims[i])) for i in np.argsort(-sims, kind="stable")[:n]]
        if self.total == 0:
            return []
        share = len(self.chunk_ids) / self.total
        want = min(self.total, int(n / share * OVERSAMPLE) + 20)
        while True:
            res = self.vectors.collection.query(
                query_embeddings=vector.reshape(1, -1), n_results=want, include=["distances"]
            )
            # the collection's space is cosine: distance = 1 - similarity
            hits = [(own, 1.0 - float(d)) for cid, d in zip(res["ids"][0], res["distances"][0], strict=True)
                    for own in ([cid] if cid in self.chunk_ids else []) + self._copies.get(cid, [])]
            if len(hits) >= n or want >= self.total:
                return hits[:n]
            want = min(self.total, want * 4)  # the segment is under-represented near this question

    def _cache_file(self) -> Path | None:
        """Where this segment's vectors are kept between processes: keyed by the evidence, the embedder and
        the segment, so an ingest or a re-segmentation never reads stale vectors. None when read-only."""
        if self.store.read_only:
            return None
        key = hashlib.sha256("\n".join([self.keywords.signature(), self.settings.embedder,
                                         *sorted(self.chunk_ids)]).encode()).hexdigest()[:24]
        return Path(self.settings.workspace) / "chat-cache" / f"segment-{key}.npz"

    def _sibling(self, kind: str) -> Path | None:
        cache = self._cache_file()
        return None if cache is None else cache.with_name(cache.name.replace("segment-", f"{kind}-"))

    def segment_sentences(self) -> Any:
        """Every sentence of the segment's evidence embedded once (`SegmentSentences`), kept in chat's cache;
        None for a segment too large to embed whole."""
        if "sentences" not in self._segment_text:
            from synth.chat.segment_text import SegmentSentences

            found = None
            if len(self.chunk_ids) <= EXACT_MAX and self.chunk_ids:
                texts = {c.id: c.text for c in self.store.chunks(sorted(self.chunk_ids))}
                found = SegmentSentences.build(texts, self._embed_many, self._stored_sentences(sorted(texts)),
                                               self._sibling("sentences"))
                self._sentences.update(found.by_text)
            self._segment_text["sentences"] = found
        return self._segment_text["sentences"]

    def vocabulary(self) -> Any:
        """The words the segment's participants used, embedded once (`Vocabulary`); None for a large segment."""
        if "vocabulary" not in self._segment_text:
            from synth.chat.segment_text import Vocabulary

            found = None
            if len(self.chunk_ids) <= EXACT_MAX and self.chunk_ids:
                texts = [c.text for c in self.store.chunks(sorted(self.chunk_ids))]
                found = Vocabulary.build(texts, self._embed_many, self._sibling("vocabulary"))
            self._segment_text["vocabulary"] = found
        return self._segment_text["vocabulary"]

    def prepare(self) -> None:
        """Embed what the segment's turns compare questions with (its sentences, and in the calibrated space its
        vocabulary) now, or read them from chat's cache: the first turn pays, later turns embed only a question."""
        self.segment_sentences()
        if self._word_space():
            self.vocabulary()

    def _word_space(self) -> bool:
        from synth.chat.answerability import load_gate

        gate = load_gate()
        return gate is not None and gate.embedder == self.settings.embedder

    def _embed_many(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.embedder)
        return np.asarray(self._embedder.embed(texts), dtype=np.float32)

    def _stored_sentences(self, ids: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), 900):
            part = ids[i : i + 900]
            try:
                rows = self.store.db.execute(
                    "SELECT chunk_id, vectors, dim FROM chat_sentence_vectors WHERE embedder = ? AND chunk_id IN "
                    f"({','.join('?' * len(part))})", (self.settings.embedder, *part)).fetchall()
            except sqlite3.OperationalError:  # a read-only workspace that never had the table
                return out
            out.update({cid: np.frombuffer(blob, dtype=np.float32).reshape(-1, dim) for cid, blob, dim in rows})
        return out

    def _segment_vectors(self) -> tuple[list[str], np.ndarray]:
        if self._exact is None:
            cache = self._cache_file()
            if cache is not None and cache.exists():
                try:
                    with np.load(cache) as saved:
                        self._exact = (saved["ids"].tolist(), saved["matrix"])
                    return self._exact
                except (OSError, ValueError, KeyError):
                    pass  # unreadable: fetch again below and rewrite it
            wanted = sorted({self._canonical.get(c, c) for c in self.chunk_ids})
            found: dict[str, Any] = {}
            step = self.vectors.max_batch
            for i in range(0, len(wanted), step):
                got = self.vectors.collection.get(ids=wanted[i : i + step], include=["embeddings"])
                found.update(zip(got["ids"], got["embeddings"]))
            ids = [c for c in sorted(self.chunk_ids) if self._canonical.get(c, c) in found]
            rows = [found[self._canonical.get(c, c)] for c in ids]
            matrix = np.asarray(rows, dtype=np.float32).reshape(len(ids), -1)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True) if len(ids) else 1.0
            self._exact = (ids, matrix / np.where(norms == 0, 1.0, norms))
            if cache is not None and ids:
                cache.parent.mkdir(exist_ok=True)
                part = cache.with_suffix(f".{os.getpid()}.npz")
                np.savez(part, ids=np.array(ids), matrix=self._exact[1])
                os.replace(part, cache)  # whole or absent: a reader never sees half a file
        return self._exact

    def keyword_ranking(self, text: str, n: int) -> list[str]:
        """Up to `n` of the segment's chunk ids, best keyword match (BM25) first."""
        stems = question_stems(text)
        extra = [stem(w) for w, sim in self.expansions(text).values() if sim >= EXPAND_AT]
        return self.keywords.search(list(dict.fromkeys(stems + extra)), self._rowids, n)

    def unused_words(self, text: str) -> list[str]:
        """The question's stems that no participant of the segment ever used."""
        return self.keywords.unused(question_stems(text), self._rowids)

    def unused_share(self, text: str, expand: bool = False) -> float:
        """How much of the question (its stems weighted by idf over all evidence) the segment never said.

        An unknown specific word ("political") weighs much more than an unknown common one ("larder"). With
        `expand`, a word nobody used counts less the closer in meaning it is to a word somebody did use
        (`expansions`): "commercials" where participants wrote "ads"."""
        stems = [s for s in question_stems(text) if s not in ATTITUDE]
        if not stems:
            return 0.0
        total = self.keywords.size()
        idf = {s: math.log((total + 1) / (self.keywords.df(s) + 1)) + 1.0 for s in stems}
        unused = self.keywords.unused(stems, self._rowids)
        near = self.expansions(text, unused) if expand and unused else {}
        return sum(idf[s] * (1.0 - cover(near[s][1]) if s in near else 1.0) for s in unused) / sum(idf.values())

    def expansions(self, text: str, unused: list[str] | None = None) -> dict[str, tuple[str, float]]:
        """For each question word nobody in the segment used: the segment's own word nearest in meaning, and
        the cosine of the two (query expansion with the study's vocabulary; see `synth.chat.segment_text`)."""
        key = f"expansions:{text}"
        if key not in self._segment_text:
            unused = self.unused_words(text) if unused is None else unused
            # The cosine scale of COVER_LOW/HIGH is MiniLM's: another embedder's words are not expanded.
            vocabulary = self.vocabulary() if unused and self._word_space() else None
            found: dict[str, tuple[str, float]] = {}
            if vocabulary is not None and len(vocabulary.words):
                spelled: dict[str, str] = {}
                for word in words(text):
                    spelled.setdefault(stem(word), word)
                asked = {s: spelled[s] for s in unused if s in spelled}
                if asked:
                    vectors = self._embed_many(list(asked.values()))
                    found = {s: vocabulary.nearest(v) for s, v in zip(asked, vectors, strict=True)}
            self._segment_text[key] = found
        return self._segment_text[key]

    def sentence_similarity(self, vector: np.ndarray, near: list[tuple[str, float]], chunks: int = SENTENCE_CHUNKS) -> float:
        """The best cosine between the question and any sentence of its `chunks` nearest chunks: a long chunk
        that holds one sentence on the question is diluted as a whole, not sentence by sentence."""
        ids = [cid for cid, _ in near[:chunks]]
        whole = self.segment_sentences()
        if whole is not None and len(whole.texts):
            return float(whole.top(vector, 1)[0])
        matrix = self.chunk_sentence_vectors(ids)
        if not len(matrix):
            return max((s for _, s in near[:1]), default=0.0)
        return float((matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)).max())

    def sentence_figures(self, vector: np.ndarray, near: list[tuple[str, float]]) -> tuple[float, float, float]:
        """The best cosine between the question and a sentence of the segment, the mean of the best three, and
        how far those three stand out from the segment's sentences as a whole (0 when not measured)."""
        whole = self.segment_sentences()
        if whole is not None and len(whole.texts):
            top = whole.top(vector, 3)
            return float(top[0]), float(top.mean()), whole.contrast(vector)
        best = self.sentence_similarity(vector, near)
        return best, best, 0.0

    def chunk_sentence_vectors(self, ids: list[str]) -> np.ndarray:
        """The vectors of the chunks' sentences (three words or more), kept in table `chat_sentence_vectors`
        (chat's own, keyed by chunk id and embedder) so that later turns and later processes embed nothing."""
        found: dict[str, np.ndarray] = {}
        if ids:
            try:
                rows = self.store.db.execute(
                    "SELECT chunk_id, vectors, dim FROM chat_sentence_vectors WHERE embedder = ? AND chunk_id IN "
                    f"({','.join('?' * len(ids))})", (self.settings.embedder, *ids)).fetchall()
            except sqlite3.OperationalError:  # a read-only workspace that never had the table
                rows = []
            found = {cid: np.frombuffer(blob, dtype=np.float32).reshape(-1, dim) for cid, blob, dim in rows}
        todo = [c for c in self.store.chunks([i for i in ids if i not in found])]
        if todo:
            per = [[s for s in split_sentences(c.text) if len(s.split()) >= 3] for c in todo]
            flat = [s for group in per for s in group]
            vectors = self.sentence_vectors(flat) if flat else np.zeros((0, 1), dtype=np.float32)
            at = 0
            for chunk, group in zip(todo, per, strict=True):
                found[chunk.id] = vectors[at : at + len(group)].astype(np.float32)
                at += len(group)
            if not self.store.read_only:
                with self.store.transaction() as db:
                    db.executemany(
                        "INSERT OR REPLACE INTO chat_sentence_vectors (chunk_id, embedder, dim, vectors) VALUES (?,?,?,?)",
                        [(c.id, self.settings.embedder, int(found[c.id].shape[1]) if found[c.id].size else 0,
                          found[c.id].tobytes()) for c in todo if found[c.id].size])
        parts = [found[i] for i in ids if i in found and found[i].size]
        return np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)

    def sentence_vectors(self, sentences: list[str]) -> np.ndarray:
        """Vectors of sentences, kept for the conversation: later turns and the stance of quotes reuse them."""
        missing = [s for s in dict.fromkeys(sentences) if s not in self._sentences]
        if missing:
            if self._embedder is None:
                self._embedder = get_embedder(self.settings.embedder)
            self._sentences.update(zip(missing, self._embedder.embed(missing)))
        return np.stack([self._sentences[s] for s in sentences])

    def topic_stems(self, text: str) -> list[str]:
        """The question's specific words: not asking or attitude words, nor words most of the study uses
        (the product's name, "app"); none left means it asks about the segment's experience in general."""
        total = max(1, self.keywords.size())
        return [s for s in question_stems(text) if s not in ATTITUDE and self.keywords.df(s) < GENERIC_SHARE * total]

    # fused ----------------------------------------------------------------------------------------
    def search(self, text: str, k: int = 8, vector: np.ndarray | None = None) -> list[tuple[str, float]]:
        """(chunk id, fused score) for the `k` best chunks; pass `vector` to skip embedding `text`."""
        return self.ranked(text, k, vector)[0]

    def ranked(self, text: str, k: int = 8, vector: np.ndarray | None = None
               ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """The fused top `k` as in `search`, and the vector ranking behind it as (chunk id, cosine)."""
        if not self.chunk_ids:
            return [], []
        depth = max(3 * k, 24)
        near = self.nearest(self.embed(text) if vector is None else vector, depth)
        kw = self.keyword_ranking(text, depth)
        scores: dict[str, float] = defaultdict(float)
        for ranking in ([cid for cid, _ in near], kw):
            for rank, cid in enumerate(ranking, 1):
                scores[cid] += 1.0 / (RRF_K + rank)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k], near

    def retrieve(self, text: str, k: int = 8, vector: np.ndarray | None = None) -> list[Chunk]:
        """The `k` best evidence chunks of this segment for `text`, best first."""
        ids = [cid for cid, _ in self.search(text, k, vector)]
        return [c for c in self.store.chunks(ids) if c.id in self.chunk_ids]


def retrieve(settings: Settings, segment: Segment, question: str, k: int = 8) -> list[Chunk]:
    """The `k` chunks of the segment's participants that best answer `question` (vectors + BM25, fused)."""
    with SegmentRetriever(settings, segment) as retriever:
        return retriever.retrieve(question, k)
