"""`synth match`: score new leads, customers or tickets against a workspace's personas.

Per row: the best persona, a calibrated score (synth.match.model), the runner-up, and why: the best
persona's claims whose cited words are nearest the row's text (with the citation), and the row's
attributes that the persona's segment holds more often than the whole study (synth.attributes).
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, Field

from synth.config import Settings
from synth.match.model import THRESHOLD, SegmentModel, build_model, person_vectors, sentence_floor
from synth.verify import verified

NO_FIT = "no persona fits"
_TEXT_NAMES = ("text", "message", "body", "description", "notes", "note", "comment", "content", "summary", "bio",
               "review", "answer", "feedback")
_ID_NAMES = ("id", "row_id", "lead_id", "customer_id", "email", "name")
WINDOW_WORDS = 120


class MatchError(Exception):
    """Matching cannot run (no personas, unreadable input); the message says what to do."""


class MatchedClaim(BaseModel):
    claim: str
    section: str
    quote: str
    chunk_id: str
    participant: str = ""
    similarity: float


class AttributeEvidence(BaseModel):
    name: str
    value: str
    segment_share: float  # share of the segment with this value (or inside its quartiles, for a number)
    overall_share: float


class MatchResult(BaseModel):
    """One input row scored against the personas."""

    row: int
    id: str = ""
    persona: str  # the best persona's name, or NO_FIT
    persona_id: str | None = None
    score: float  # calibrated probability that the best persona is this row's
    similarity: float
    runner_up: str | None = None
    runner_up_similarity: float | None = None
    fits: bool = True
    reason: str = ""  # why a row fits no persona
    claims: list[MatchedClaim] = Field(default_factory=list)
    attributes: list[AttributeEvidence] = Field(default_factory=list)


class MatchInput(BaseModel):
    row: int
    id: str = ""
    text: str = ""
    attributes: dict[str, Any] = Field(default_factory=dict)


class Matcher:
    """Personas, their segments' model and claim vectors of one workspace, loaded once for many rows."""

    def __init__(self, settings: Settings, threshold: float = THRESHOLD):
        from synth.personas.build import chunk_vectors
        from synth.personas.store import load_personas, load_segments
        from synth.search import open_store

        self.settings, self.threshold = settings, threshold
        with open_store(settings) as store:
            self.personas = load_personas(store)
            segments = {s.id: s for s in load_segments(store)}
            if not self.personas:
                raise MatchError("no personas yet; run `synth personas` first (or `synth run FOLDER`)")
            chunks = [c for c in store.chunks() if c.participant_id and c.role.value == "participant"]
            self.labels = {p.id: p.label for p in store.participants()}
            from synth.attributes.store import load_attributes

            self.attribute_values = load_attributes(store)
        by_person: dict[str, list[str]] = defaultdict(list)
        for c in chunks:
            by_person[c.participant_id].append(c.id)
        cited = {cit.chunk_id for p in self.personas for cl in p.claims for cit in verified(cl.citations)}
        vectors = chunk_vectors(settings, sorted({c.id for c in chunks} | cited))
        self.chunk_vectors = vectors
        self.persona_of = {p.segment_id: p for p in self.personas}
        members = {p.segment_id: segments[p.segment_id].participant_ids for p in self.personas
                   if p.segment_id in segments}
        self.members = members
        self.model: SegmentModel = build_model(members, person_vectors(by_person, vectors))
        floor = sentence_floor(self.model, [(c.participant_id, c.text, vectors[c.id]) for c in chunks if c.id in vectors])
        if floor is not None:
            self.model.calibration.floor = floor

    def match(self, rows: list[MatchInput], progress=None) -> list[MatchResult]:
        from synth.embedders import get_embedder

        embedder = get_embedder(self.settings.embedder)
        texted = [r for r in rows if r.text.strip()]
        out: dict[int, MatchResult] = {}
        for start in range(0, len(texted), 64):
            batch = texted[start : start + 64]
            vectors = _embed_rows(embedder, [r.text for r in batch])
            scores, order, probability = self.model.rank(vectors)
            for i, row in enumerate(batch):
                out[row.row] = self._result(row, vectors[i], scores[i], order[i], float(probability[i]))
            if progress:
                progress(len(batch))
        for row in rows:
            if row.row not in out:
                out[row.row] = self._attributes_only(row)
                if progress:
                    progress(1)
        return [out[r.row] for r in rows]

    def _result(self, row: MatchInput, vector: np.ndarray, scores: np.ndarray, order: np.ndarray,
                probability: float) -> MatchResult:
        seg_ids = self.model.segment_ids
        best, second = seg_ids[order[0]], seg_ids[order[1]] if len(order) > 1 else None
        persona = self.persona_of[best]
        similarity = float(scores[order[0]])
        floor = self.model.calibration.floor
        reason = ""
        if similarity < floor:
            reason = f"unlike anyone studied (similarity {similarity:.2f} < {floor:.2f})"
        elif probability < self.threshold:
            reason = f"no persona clearly ahead (score {probability:.2f} < {self.threshold:.2f})"
        result = MatchResult(
            row=row.row, id=row.id, persona=persona.name if not reason else NO_FIT,
            persona_id=persona.id if not reason else None, score=round(probability, 3), similarity=round(similarity, 3),
            runner_up=self.persona_of[second].name if second else None,
            runner_up_similarity=round(float(scores[order[1]]), 3) if second else None, fits=not reason, reason=reason,
        )
        if not reason:
            result.claims = self._claims(persona, vector)
            result.attributes = self._attributes(best, row.attributes)
        elif second is not None:
            result.runner_up = persona.name  # the nearest, shown as the runner-up of "no persona fits"
            result.runner_up_similarity = round(similarity, 3)
        return result

    def _attributes_only(self, row: MatchInput) -> MatchResult:
        """A row without text: the persona whose segment holds most of its attribute values (no calibration)."""
        ranked = sorted(((sum(a.segment_share - a.overall_share for a in self._attributes(seg, row.attributes, 0.0)),
                          seg) for seg in self.model.segment_ids), reverse=True)
        if not ranked or ranked[0][0] <= 0:
            return MatchResult(row=row.row, id=row.id, persona=NO_FIT, score=0.0, similarity=0.0, fits=False,
                               reason="no text, and no attribute the segments differ on")
        seg = ranked[0][1]
        persona = self.persona_of[seg]
        return MatchResult(row=row.row, id=row.id, persona=persona.name, persona_id=persona.id, score=0.0,
                           similarity=0.0, runner_up=self.persona_of[ranked[1][1]].name if len(ranked) > 1 else None,
                           reason="attributes only: the score is not calibrated",
                           attributes=self._attributes(seg, row.attributes))

    def _claims(self, persona, vector: np.ndarray, top: int = 3) -> list[MatchedClaim]:
        found = []
        for claim in persona.claims:
            if claim.section in ("narrative", "quotes"):
                continue
            best = None
            for cit in verified(claim.citations):  # only words checked against their source explain a match
                v = self.chunk_vectors.get(cit.chunk_id)
                if v is not None:
                    sim = float(np.dot(vector, v) / (np.linalg.norm(v) or 1.0))
                    if best is None or sim > best[0]:
                        best = (sim, cit)
            if best:
                sim, cit = best
                found.append(MatchedClaim(claim=claim.text, section=claim.section, quote=cit.quote, chunk_id=cit.chunk_id,
                                          participant=self.labels.get(cit.participant_id or "", ""),
                                          similarity=round(sim, 3)))
        return sorted(found, key=lambda m: -m.similarity)[:top]

    def _attributes(self, segment_id: str, given: dict[str, Any], lift: float = 0.05) -> list[AttributeEvidence]:
        from synth.attributes.profile import value_shares

        out = []
        members = set(self.members.get(segment_id, []))
        for name, value in given.items():
            shares = value_shares(self.attribute_values, members, name, value)
            if shares and shares[0] - shares[1] > lift:
                out.append(AttributeEvidence(name=name, value=str(value), segment_share=round(shares[0], 3),
                                             overall_share=round(shares[1], 3)))
        return out


def _embed_rows(embedder, texts: list[str]) -> np.ndarray:
    """One unit vector per text; a long text (a transcript, a thread) is the mean of its WINDOW_WORDS windows,
    as a participant is the mean of their chunks, since the embedder reads only its first few hundred words."""
    pieces, owner = [], []
    for i, text in enumerate(texts):
        words = text.split()
        for start in range(0, max(len(words), 1), WINDOW_WORDS):
            pieces.append(" ".join(words[start : start + WINDOW_WORDS]) or text)
            owner.append(i)
    embedded = embedder.embed(pieces)
    owner_arr = np.array(owner)
    out = np.stack([embedded[owner_arr == i].mean(axis=0) for i in range(len(texts))])
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def read_inputs(path: Path | None, text: str | None, text_column: str | None = None,
                id_column: str | None = None) -> list[MatchInput]:
    """Rows to match: one `--text`; a support-ticket or survey export (the customer's own words per ticket or
    response); or a CSV / JSONL file (a text column and/or attribute columns)."""
    if text is not None:
        return [MatchInput(row=1, text=text)]
    if path is None:
        raise MatchError("nothing to match: give a CSV or JSONL file, or --text")
    if not path.is_file():
        raise MatchError(f"{path}: no such file")
    exported = _export_rows(path) if not (text_column or id_column) else None
    if exported:
        return exported
    records = list(_records(path))
    if not records:
        raise MatchError(f"{path}: no rows")
    names = list(dict.fromkeys(k for r in records for k in r))
    text_col = _pick(names, text_column, _TEXT_NAMES, "--text-column")
    id_col = _pick(names, id_column, _ID_NAMES, "--id-column")
    rows = []
    for number, record in enumerate(records, start=1):
        attributes = {k: v for k, v in record.items() if k not in (text_col, id_col) and v not in (None, "")}
        rows.append(MatchInput(row=number, id=str(record.get(id_col) or "") if id_col else "",
                               text=str(record.get(text_col) or "") if text_col else "", attributes=attributes))
    return rows


def _export_rows(path: Path) -> list[MatchInput] | None:
    """A support-ticket or survey export as rows: per ticket or response, only the customer's or respondent's
    own words (agents, notes, quotes and questions left out), its id, and a survey's closed answers; None for
    any other file."""
    from synth.parsers import ParseError, parse_file
    from synth.records import Kind, Role

    if path.suffix.lower() not in (".json", ".csv", ".tsv", ".jsonl", ".xlsx"):
        return None
    try:
        docs = parse_file(path)
    except ParseError:
        return None
    if not docs or any(d.kind not in (Kind.ticket, Kind.survey) for d in docs):
        return None
    return [MatchInput(row=n, id=str(d.metadata.get("id") or d.metadata.get("author") or ""),
                       text="\n".join(d.text[t.start:t.end] for t in d.turns if t.role == Role.participant),
                       attributes=dict(d.metadata.get("attributes") or {}))
            for n, d in enumerate(docs, start=1)]


def _records(path: Path) -> Iterator[dict[str, Any]]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise MatchError(f"{path}: line {n} is not JSON ({exc.msg})") from None
                if isinstance(value, dict):
                    yield value
        return
    yield from csv.DictReader(text.splitlines())


def _pick(names: list[str], wanted: str | None, candidates: tuple[str, ...], flag: str) -> str | None:
    if wanted:
        if wanted not in names:
            raise MatchError(f"no column named {wanted!r} (columns: {', '.join(names)}); pick one with {flag}")
        return wanted
    lowered = {n.lower().replace(" ", "_"): n for n in names}
    return next((lowered[c] for c in candidates if c in lowered), None)


def write_csv(results: list[MatchResult], out: Path) -> None:
    """One line per row: id, persona, score, similarity, runner-up, fits, reason, top claim and its quote."""
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["row", "id", "persona", "score", "similarity", "runner_up", "fits", "reason", "top_claim",
                    "top_quote", "top_chunk", "attributes"])
        for r in results:
            top = r.claims[0] if r.claims else None
            w.writerow([r.row, r.id, r.persona, r.score, r.similarity, r.runner_up or "", r.fits, r.reason,
                        top.claim if top else "", top.quote if top else "", top.chunk_id if top else "",
                        "; ".join(f"{a.name}={a.value} ({a.segment_share:.0%} vs {a.overall_share:.0%})"
                                  for a in r.attributes)])
