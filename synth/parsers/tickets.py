"""Support tickets: Zendesk, Intercom, Freshdesk and Help Scout exports, as JSON threads or CSV rows.

One Document (kind `ticket`) per ticket or conversation, laid out as a thread (`Name: words` lines).
The role model is the interviews' one: the customer's own words are evidence (role participant); agents'
replies and macros are context (role interviewer); internal notes, quoted earlier mail and signatures
are context too (role other, synth.parsers.messages). A message whose author cannot be told from the
export's own fields is context: nothing is guessed into evidence. The customer's key (email, else their
user id, else their name) is `person_key`, so every ticket of one customer is one participant.

Three layouts are read:
  - threads: a JSON record per ticket with its messages in a list (`comments` in Zendesk, Intercom's
    `source` and `conversation_parts`, Freshdesk's `description_text` and `conversations`, Help Scout's
    `_embedded.threads`);
  - message rows: a CSV (or JSON list) with one row per message, a ticket id column and an author type;
  - ticket rows: one row per ticket (Zendesk's and Freshdesk's CSV exports: requester, status, priority,
    subject and a description that holds the customer's first message).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from synth.parsers.base import Segment, layout_thread
from synth.parsers.clock import iso_date
from synth.parsers.columns import normalize_name
from synth.parsers.messages import html_text, split_message
from synth.records import Document, Kind, Role

# Where a thread's messages sit in a flattened record (see tabular._flatten), per vendor.
_THREAD_KEYS = ("comments", "conversation_parts.conversation_parts", "conversation_parts", "conversations",
                "_embedded.threads", "threads", "messages", "thread")
# Columns that only a help desk export has (normalized names); two of them make a file a ticket export.
_TICKET_COLUMNS = frozenset(
    "requester requesteremail requestername requesterid ticketid ticketnumber ticket ticketstatus priority status "
    "assignee assigneename agent group via channel ticketform ticketsubject satisfaction satisfactionrating "
    "conversationid firstresponsetime resolutiontime".split()
)
_STRONG_TICKET_COLUMNS = frozenset(
    "requester requesteremail requestername requesterid ticketid ticketnumber ticket assignee assigneename priority "
    "via ticketform ticketstatus conversationid".split()
)
_TICKET_ID = ("ticket_id", "ticket", "ticket_number", "conversation_id", "ticket id", "thread_id")
_MESSAGE_BODY = ("body_text", "body", "message", "text", "content", "comment", "plain_body", "html_body")
_AUTHOR_TYPE = ("author_type", "sender_type", "author_role", "from_type", "user_type", "role", "author.type",
                "author.role", "created_by_type", "direction", "incoming", "type")
_CUSTOMER_WORDS = frozenset({"user", "lead", "contact", "customer", "enduser", "requester", "visitor", "client",
                             "incoming", "inbound", "true"})
_AGENT_WORDS = frozenset({"admin", "agent", "bot", "operator", "teammate", "team", "staff", "support", "message",
                          "outgoing", "outbound", "false", "assistant"})
_NOTE_WORDS = frozenset({"note", "internalnote", "private", "privatenote"})
AGENT = "Agent"


@dataclass
class TicketLayout:
    """How an export holds its tickets: `threads`, `messages` (one row per message) or `tickets` (one per ticket)."""

    shape: str
    thread_key: str = ""
    ticket_id: str = ""


def ticket_layout(names: list[str], rows: list[dict[str, Any]]) -> TicketLayout | None:
    """The ticket layout of an export from its column names and first rows; None when it is no ticket export."""
    for key in _THREAD_KEYS:
        if key in names and any(isinstance(r.get(key), list) and any(isinstance(m, dict) for m in r[key])
                                for r in rows):
            return TicketLayout("threads", thread_key=key)
    normalized = {normalize_name(n): n for n in names}
    ticket_id = next((normalized[normalize_name(k)] for k in _TICKET_ID if normalize_name(k) in normalized), "")
    has_body = any(normalize_name(k) in normalized for k in _MESSAGE_BODY)
    has_type = any(normalize_name(k) in normalized for k in _AUTHOR_TYPE)
    if ticket_id and has_body and has_type and _repeats(rows, ticket_id):
        return TicketLayout("messages", ticket_id=ticket_id)
    found = set(normalized) & _TICKET_COLUMNS
    if len(found) >= 2 and found & _STRONG_TICKET_COLUMNS:
        return TicketLayout("tickets")
    return None


def _repeats(rows: list[dict[str, Any]], column: str) -> bool:
    values = [str(r.get(column)) for r in rows if r.get(column) not in (None, "")]
    return len(set(values)) < len(values)


def _get(record: dict[str, Any], *keys: str) -> Any:
    """The first non-blank value among `keys`, compared ignoring case, spaces, "_" and "-"."""
    by_name = {normalize_name(k): v for k, v in record.items()}
    for key in keys:
        value = by_name.get(normalize_name(key))
        if value not in (None, "", [], {}):
            return value
    return None


def _flat(value: Any) -> dict[str, Any]:
    from synth.parsers.tabular import _flatten

    return _flatten(value) if isinstance(value, dict) else {}


@dataclass
class Customer:
    """Who filed a ticket, as the export says: the person key is their email, else their id, else their name."""

    name: str = ""
    email: str = ""
    id: str = ""

    @property
    def key(self) -> str:
        return (self.email or (f"id:{self.id}" if self.id else "") or self.name).strip().lower()

    @property
    def label(self) -> str:
        return self.name or self.email or (f"customer {self.id}" if self.id else "customer")

    def is_author(self, message: dict[str, Any]) -> bool | None:
        """True or False when the message's author fields name or exclude this customer; None when they cannot."""
        email = str(_get(message, "author.email", "createdBy.email", "from_email", "from.email", "user.email",
                         "author_email", "email", "from") or "").strip().lower()
        if email and "@" in email and self.email:
            return email == self.email.lower() or email.endswith(f"<{self.email.lower()}>")
        author_id = str(_get(message, "author_id", "author.id", "user_id", "createdBy.id", "sender_id") or "")
        if author_id and self.id:
            return author_id == self.id
        return None


def _customer(record: dict[str, Any]) -> Customer:
    first = _get(record, "primaryCustomer.first", "customer.first", "customer.firstName")
    last = _get(record, "primaryCustomer.last", "customer.last", "customer.lastName")
    joined = " ".join(str(p) for p in (first, last) if p)
    name = _get(record, "requester.name", "requester_name", "requester", "source.author.name", "customer.name",
                "contact.name", "user.name", "customer_name", "contact_name", "full_name", "contact", "author",
                "from_name", "name") or joined
    email = _get(record, "requester.email", "requester_email", "source.author.email", "primaryCustomer.email",
                 "customer.email", "contact.email", "user.email", "customer_email", "email", "from_email")
    cid = _get(record, "requester_id", "requester.id", "source.author.id", "primaryCustomer.id", "customer.id",
               "customer_id", "contact_id", "user_id", "user.id")
    return Customer(str(name or "").strip(), str(email or "").strip(), str(cid or "").strip())


def message_role(message: dict[str, Any], customer: Customer) -> Role | None:
    """participant (the customer), interviewer (an agent), other (a note, or an author that cannot be told);
    None for a system event with nothing said (an assignment, a status change)."""
    if _get(message, "private") is True or _get(message, "public") is False:
        return Role.other
    kind = normalize_name(str(_get(message, "part_type", "type") or ""))
    if kind in _NOTE_WORDS:
        return Role.other
    if kind in ("lineitem", "assignment", "open", "close", "snoozed", "unsnoozed", "awaymodeassignment"):
        return None
    incoming = _get(message, "incoming")
    if isinstance(incoming, bool):
        return Role.participant if incoming else Role.interviewer
    if (who := customer.is_author(message)) is not None:
        return Role.participant if who else Role.interviewer
    # Help Scout's `createdBy.type` says "user" for a mailbox user, i.e. an agent; elsewhere "user" is the customer.
    created = normalize_name(str(_get(message, "createdBy.type") or ""))
    if created:
        return Role.participant if created == "customer" else Role.interviewer
    if kind == "customer":
        return Role.participant
    author = normalize_name(str(_get(message, "author.type", "author_type", "sender_type", "author_role",
                                     "from_type", "user_type", "role", "direction", "author.role") or ""))
    if author in _CUSTOMER_WORDS:
        return Role.participant
    if author in _AGENT_WORDS or kind in _AGENT_WORDS:
        return Role.interviewer
    return Role.other  # unknown author: context, never evidence


def _author_label(message: dict[str, Any], role: Role, customer: Customer) -> str:
    if role == Role.participant:
        return customer.label
    first = _get(message, "createdBy.first")
    name = _get(message, "author.name", "author_name", "from.name", "user.name", "sender_name", "sender", "name")
    name = str(name or (f"{first} {_get(message, 'createdBy.last') or ''}".strip() if first else "") or AGENT)
    return f"{name} (internal note)" if role == Role.other else name


def _body(message: dict[str, Any]) -> str:
    return str(_get(message, *_MESSAGE_BODY) or "")


def _segments_of(body: str, role: Role, speaker: str) -> list[Segment]:
    if role != Role.participant:
        text = html_text(body).strip()
        return [Segment(speaker, text, role=role)] if text else []
    return [Segment(speaker if own else "", text, role=Role.participant if own else Role.other)
            for text, own in split_message(body)]


def ticket_document(path: Path, fmt: str, number: int, record: dict[str, Any],
                    messages: list[dict[str, Any]], opening: str = "") -> Document | None:
    """One ticket as a thread Document; None when its customer said nothing."""
    customer = _customer(record)
    segments: list[Segment] = []
    first_bodies = {" ".join(_body(messages[0]).split())} if messages else set()
    if opening and " ".join(opening.split()) not in first_bodies:  # Zendesk repeats the description as comment 1
        segments += _segments_of(opening, Role.participant, customer.label)
    for message in messages:
        role = message_role(message, customer)
        if role is not None:
            segments += _segments_of(_body(message), role, _author_label(message, role, customer))
    if not any(s.role == Role.participant and s.text.strip() for s in segments):
        return None
    text, turns = layout_thread(segments)
    for turn in turns:
        turn.line = number
    metadata = _ticket_metadata(record, customer, number, fmt)
    return Document(path=str(path), kind=Kind.ticket, format=fmt, title=metadata.get("title", ""), metadata=metadata,
                    text=text, turns=turns)


def _ticket_metadata(record: dict[str, Any], customer: Customer, number: int, fmt: str) -> dict[str, Any]:
    meta: dict[str, Any] = {"row": number, "format": fmt, "author": customer.label, "person_key": customer.key}
    if customer.email:
        meta["email"] = customer.email
    if customer.id:
        meta["user_id"] = customer.id
    ticket_id = _get(record, "id", "ticket_id", "ticket id", "number", "conversation_id")
    if ticket_id is not None:
        meta["id"] = str(ticket_id)
    subject = _get(record, "subject", "title", "source.subject", "raw_subject")
    if subject:
        meta["title"] = " ".join(str(subject).split())
    date = _get(record, "created_at", "created at", "createdAt", "created", "created time", "date")
    if isinstance(date, (int, float)) and not isinstance(date, bool) and date > 1e9:  # Intercom: Unix seconds
        from datetime import datetime, timezone

        date = datetime.fromtimestamp(date, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    if date is not None:
        meta["date"] = iso_date(str(date)) or str(date)
    for name in ("status", "priority", "state", "plan", "organization", "via", "via.channel", "channel", "tags"):
        value = _get(record, name)
        if isinstance(value, (str, int, float)) or isinstance(value, list) and all(isinstance(v, str) for v in value):
            meta.setdefault("extra", {})[name] = value
    return meta


def thread_documents(path: Path, fmt: str, layout: TicketLayout,
                     rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Document | None]]:
    """(row number, Document) per ticket of an export in `layout`."""
    if layout.shape == "messages":
        yield from _message_rows(path, fmt, layout, rows)
        return
    for number, record in rows:
        if layout.shape == "threads":
            messages = [_flat(m) for m in (record.get(layout.thread_key) or []) if isinstance(m, dict)]
            opening = _get(record, "description_text", "description", "source.body", "body", "preview") or ""
            yield number, ticket_document(path, fmt, number, record, messages, _text(opening))
        else:
            opening = _get(record, "description", "description_text", "body", "message", "comment", "text",
                           "content") or ""
            yield number, ticket_document(path, fmt, number, record, [], str(opening))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _message_rows(path: Path, fmt: str, layout: TicketLayout,
                  rows: Iterator[tuple[int, dict[str, Any]]]) -> Iterator[tuple[int, Document | None]]:
    """Consecutive rows of one ticket id are one ticket (exports list a ticket's messages together)."""
    current: list[dict[str, Any]] = []
    key, last = None, 0
    for number, row in rows:
        ticket = row.get(layout.ticket_id)
        if current and ticket != key:
            yield last, _ticket_of_rows(path, fmt, last, current)
            current = []
        key, last = ticket, number
        current.append(row)
    if current:
        yield last, _ticket_of_rows(path, fmt, last, current)


def _ticket_of_rows(path: Path, fmt: str, number: int, rows: list[dict[str, Any]]) -> Document | None:
    record = dict(rows[0])
    customer_row = next((r for r in rows if normalize_name(str(_get(r, *_AUTHOR_TYPE[:-1]) or "")) in _CUSTOMER_WORDS),
                        rows[0])
    record.setdefault("customer_name", _get(customer_row, "author_name", "author", "from_name", "name", "sender"))
    record.setdefault("customer_email", _get(customer_row, "author_email", "from_email", "email"))
    record.setdefault("customer_id", _get(customer_row, "author_id", "user_id", "sender_id"))
    return ticket_document(path, fmt, number, record, rows)
