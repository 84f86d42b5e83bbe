"""Who is behind each document's words: stable participant ids for speakers and authors."""

from __future__ import annotations

from pathlib import Path

from synth.records import Chunk, Document, Kind, Participant, Role, stable_id


def participants_for(doc: Document) -> tuple[list[Participant], dict[str, str | None]]:
    """Participants of one document and a map from speaker label to participant id.

    Interviewees are keyed by source file name and speaker label, so fixing a typo in a
    transcript keeps their id. Review and post authors are keyed by kind and author name, so an
    author's several reviews are one participant; rows without an author are one each.
    Interviewers get no participant: their words are context, never evidence.
    """
    people: dict[str, Participant] = {}
    ids: dict[str, str | None] = {}
    source = Path(doc.path).name
    for turn in doc.turns:
        if turn.speaker in ids:
            continue
        if turn.role in (Role.interviewer, Role.other) or (doc.kind == Kind.interview and turn.role == Role.unknown):
            # Interviewers are context; unlabeled lines in a transcript (a title, a note) are nobody.
            ids[turn.speaker] = None
            continue
        if doc.kind in (Kind.ticket, Kind.survey):
            # The customer or respondent behind every ticket or response their key (email, user id) names:
            # one participant however many tickets they filed. Agents and questions have no participant.
            key = str(doc.metadata.get("person_key") or doc.id).strip().lower()
            pid = stable_id("p", doc.kind.value, key)
            label = str(doc.metadata.get("author") or turn.speaker)
            meta = {k: doc.metadata[k] for k in ("email", "user_id", "attributes") if doc.metadata.get(k)}
        elif doc.kind in (Kind.review, Kind.social):
            author = str(doc.metadata.get("author") or "").strip()
            if author:
                pid = stable_id("p", doc.kind.value, author.lower())
                label = author
            else:
                pid = stable_id("p", doc.kind.value, "anonymous", doc.id)
                label = f"anonymous ({source} {doc.location(turn)})".replace(" )", ")")
            meta = {k: doc.metadata[k] for k in ("platform", "product") if doc.metadata.get(k)}
        elif doc.kind == Kind.document:
            pid = stable_id("p", "document", source)
            label = f"author of {source}"
            meta = {}
        else:
            pid = stable_id("p", doc.kind.value, source, turn.speaker.lower())
            label = turn.speaker
            meta = {"source": source}
        meta["kind_of_source"] = doc.kind.value
        ids[turn.speaker] = pid
        people[pid] = Participant(id=pid, label=label, kind=doc.kind, metadata=meta)
    return list(people.values()), ids


def evidence_of(documents: list[Document], max_tokens: int) -> tuple[list[Chunk], list[Participant]]:
    """The evidence chunks of parsed documents and the participants behind them."""
    from synth.chunking import chunk_document

    chunks: list[Chunk] = []
    people: dict[str, Participant] = {}
    for doc in documents:
        found, speaker_ids = participants_for(doc)
        people.update({p.id: p for p in found})
        chunks += chunk_document(doc, speaker_ids, max_tokens)
    return chunks, list(people.values())
