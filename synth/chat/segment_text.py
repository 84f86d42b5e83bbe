"""A segment's own text, embedded once: its sentences, and the words its participants used.

Both are built the first time a conversation needs them and kept beside the segment's chunk vectors under
`<workspace>/chat-cache/` (keyed like them by the evidence, the embedder and the segment), so that a later
turn or a later `synth chat --ask` embeds only its question:

- sentences: every sentence (three words or more) of the segment's evidence chunks, with the chunk it comes
  from. Answerability compares the question with the sentences of its nearest chunks, and the stance head
  reads quotes' vectors: both become lookups and one matrix product.
- vocabulary: every word the segment's participants used (letters only, three or more, once per stem, its
  commonest spelling). A question word nobody in the segment used is compared with these by meaning: a
  participant who wrote "ads" spoke to a question about "commercials", one who wrote "quota" to one about an
  "allowance". That is query expansion with the study's own words, not a synonym list: it works in any
  domain the embedder knows.

Segments larger than `EXACT_MAX` chunks are not embedded whole (the cost grows with the segment); they keep
the per-question path of `SegmentRetriever`.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import numpy as np

from synth.llm.text import split_sentences, stem, words

MIN_SENTENCE_WORDS = 3


def _save(path: Path, **arrays: np.ndarray) -> None:
    path.parent.mkdir(exist_ok=True)
    part = path.with_suffix(f".{os.getpid()}.npz")
    np.savez(part, **arrays)
    os.replace(part, path)  # whole or absent: a reader never sees half a file


def _load(path: Path | None, *names: str) -> list[np.ndarray] | None:
    if path is None or not path.exists():
        return None
    try:
        with np.load(path) as saved:
            return [saved[n] for n in names]
    except (OSError, ValueError, KeyError):
        return None  # unreadable: rebuilt and rewritten


def sentences_of(text: str) -> list[str]:
    """The sentences of a chunk that are compared with questions (three words or more)."""
    return [s for s in split_sentences(text) if len(s.split()) >= MIN_SENTENCE_WORDS]


class SegmentSentences:
    """Every sentence of a segment's evidence, its vector, and the chunk it comes from."""

    def __init__(self, texts: list[str], owners: list[str], matrix: np.ndarray):
        self.texts = texts
        self.owners = np.asarray(owners)
        self.matrix = matrix
        self.by_text = {t: matrix[i] for i, t in enumerate(texts)}

    @classmethod
    def build(cls, chunks: dict[str, str], embed, stored: dict[str, np.ndarray], path: Path | None
              ) -> "SegmentSentences":
        """From the chunks' texts (id -> text); `stored` holds vectors already kept per chunk (used when the
        count matches), `embed` embeds the rest in one batch; saved to `path` when given."""
        cached = _load(path, "texts", "owners", "matrix")
        if cached is not None:
            texts, owners, matrix = cached
            return cls(texts.tolist(), owners.tolist(), matrix)
        texts, owners, parts, todo = [], [], [], []
        for cid in sorted(chunks):
            group = sentences_of(chunks[cid])
            have = stored.get(cid)
            if have is not None and len(have) == len(group):
                parts.append((len(texts), have))
            elif group:
                todo.append((len(texts), group))
            texts += group
            owners += [cid] * len(group)
        matrix = np.zeros((len(texts), 0), dtype=np.float32)
        flat = [s for _, group in todo for s in group]
        fresh = embed(flat) if flat else None
        dim = fresh.shape[1] if fresh is not None else parts[0][1].shape[1] if parts else 0
        matrix = np.zeros((len(texts), dim), dtype=np.float32)
        for at, vectors in parts:
            matrix[at : at + len(vectors)] = vectors
        done = 0
        for at, group in todo:
            matrix[at : at + len(group)] = fresh[done : done + len(group)]
            done += len(group)
        if path is not None and texts:
            _save(path, texts=np.array(texts), owners=np.array(owners), matrix=matrix)
        return cls(texts, owners, matrix)

    def per_chunk(self) -> dict[str, np.ndarray]:
        """Each chunk's sentence vectors (for the shared per-chunk table)."""
        out: dict[str, list[int]] = {}
        for i, cid in enumerate(self.owners.tolist()):
            out.setdefault(cid, []).append(i)
        return {cid: self.matrix[rows] for cid, rows in out.items()}

    def top(self, vector: np.ndarray, n: int) -> np.ndarray:
        """The `n` best cosines between `vector` and the segment's sentences, best first."""
        sims = self.matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        n = min(n, len(sims))
        return np.sort(np.partition(sims, len(sims) - n)[len(sims) - n :])[::-1]

    def contrast(self, vector: np.ndarray, n: int = 3) -> float:
        """How many standard deviations the `n` nearest sentences' mean cosine stands above the mean cosine
        of all of the segment's sentences to `vector`."""
        sims = self.matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        if len(sims) < 2:
            return 0.0
        return float((self.top(vector, n).mean() - sims.mean()) / max(float(sims.std()), 1e-6))

    def best(self, vector: np.ndarray, chunk_ids: list[str]) -> float | None:
        """The best cosine between `vector` and a sentence of the given chunks; None when they hold none."""
        mask = np.isin(self.owners, chunk_ids)
        if not mask.any():
            return None
        return float((self.matrix[mask] @ np.asarray(vector, dtype=np.float32).reshape(-1)).max())


class Vocabulary:
    """The words a segment's participants used, one spelling per stem, with their vectors."""

    def __init__(self, used: list[str], matrix: np.ndarray):
        self.words = used
        self.matrix = matrix

    @classmethod
    def build(cls, texts: list[str], embed, path: Path | None) -> "Vocabulary":
        cached = _load(path, "words", "matrix")
        if cached is not None:
            return cls(cached[0].tolist(), cached[1])
        spellings: dict[str, Counter] = {}
        for text in texts:
            for word in words(text):
                if len(word) < 3 or not word.isalpha():
                    continue
                spellings.setdefault(stem(word), Counter())[word] += 1
        used = sorted(c.most_common(1)[0][0] for c in spellings.values())
        matrix = embed(used) if used else np.zeros((0, 0), dtype=np.float32)
        if path is not None and used:
            _save(path, words=np.array(used), matrix=matrix)
        return cls(used, matrix)

    def nearest(self, vector: np.ndarray) -> tuple[str, float]:
        """The segment's word closest in meaning to a word's vector, and its cosine."""
        if not self.words:
            return "", 0.0
        sims = self.matrix @ np.asarray(vector, dtype=np.float32).reshape(-1)
        i = int(np.argmax(sims))
        return self.words[i], float(sims[i])
