"""One support message's own words apart from what it carries along: quoted earlier mail and signatures.

Mail clients append the message being answered ("On Tue, 3 Mar, Ana wrote:", "> ..." lines, Outlook's
"-----Original Message-----" or "From: ... Sent: ..." block) and a signature ("-- ", "Sent from my
phone", a closing such as "Thanks," and a few short lines of name and title). Those are context, never a
customer's evidence: the words are quoted from someone else, or are the same on every message.
Help desks store bodies as HTML too; `html_text` makes plain text of them, blockquotes marked as quotes.
"""

from __future__ import annotations

import html
import re

_QUOTE_HEADER = re.compile(
    r"^(?:On\s.{3,200}\swrote:|Le\s.{3,200}\sa\s+écrit\s*:|Am\s.{3,200}\sschrieb.{0,60}:|El\s.{3,200}\sescribió:"
    r"|-{2,}\s*Original Message\s*-{2,}|-{2,}\s*Forwarded message\s*-{2,}|_{8,})\s*$",
    re.IGNORECASE,
)
_OUTLOOK_FROM = re.compile(r"^From:\s.+$", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^(?:Sent|Date|To|Subject):\s", re.IGNORECASE)
_SIGNATURE_LINE = re.compile(
    r"^(?:--\s?|Sent from my\b.*|Sent from (?:Mail|Outlook)\b.*|Get Outlook for\b.*|Sent via\b.*)$", re.IGNORECASE
)
# Valedictions of email in general (not of any product): a closing line, then only a short name block.
_CLOSING = re.compile(
    r"^(?:thanks|thank you|many thanks|thanks again|thx|cheers|best|best regards|kind regards|regards|"
    r"warm regards|all the best|sincerely|br|talk soon|speak soon)[\s,.!]*(?:[A-Z][\w.'-]*)?[\s,.!]*$",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"(?i)</?(?:p|br|div|span|blockquote|a|b|i|u|em|strong|ul|ol|li|table|tr|td|h\d|img|font)\b[^>]*>")
_NAME_BLOCK_LINES = 5
_NAME_LINE_WORDS = 7


def html_text(body: str) -> str:
    """Plain text of an HTML message body: paragraphs and breaks as newlines, blockquote lines as "> "."""
    if "<" not in body or not _HTML_TAG.search(body):
        return html.unescape(body)
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", "", body)
    text = re.sub(r"(?is)<blockquote\b[^>]*>(.*?)</blockquote>", lambda m: _quoted_block(m.group(1)), text)
    text = re.sub(r"(?i)<br\s*/?>", "\n", text)
    text = re.sub(r"(?i)</(p|div|li|h\d|tr)>", "\n", text)
    text = re.sub(r"(?i)<li\b[^>]*>", "- ", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def _quoted_block(inner: str) -> str:
    plain = html_text(inner)
    return "\n" + "\n".join(f"> {line}" for line in plain.split("\n") if line.strip()) + "\n"


def split_message(body: str) -> list[tuple[str, bool]]:
    """(text, own) pieces of a message in order: own=True for the writer's words, False for quotes and signature."""
    lines = html_text(body).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = _quote_start(lines)
    own_lines, quoted = lines[:cut], lines[cut:]
    sig = _signature_start(own_lines)
    pieces: list[tuple[str, bool]] = []
    block: list[str] = []
    block_own = True

    def flush() -> None:
        text = "\n".join(block).strip()
        if text:
            pieces.append((text, block_own))
        block.clear()

    for i, line in enumerate(own_lines):
        own = i < sig and not line.lstrip().startswith(">")
        if own != block_own:
            flush()
            block_own = own
        block.append(line.lstrip("> ") if not own and line.lstrip().startswith(">") else line)
    flush()
    rest = "\n".join(quoted).strip()
    if rest:
        pieces.append((rest, False))
    return _merge(pieces)


def _merge(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    out: list[tuple[str, bool]] = []
    for text, own in pieces:
        if out and out[-1][1] == own:
            out[-1] = (out[-1][0] + "\n" + text, own)
        else:
            out.append((text, own))
    return out


def _quote_start(lines: list[str]) -> int:
    """Where the quoted earlier message begins (len(lines) when there is none)."""
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _QUOTE_HEADER.match(stripped):
            return i
        if _OUTLOOK_FROM.match(stripped) and any(_OUTLOOK_NEXT.match(n.strip()) for n in lines[i + 1 : i + 4]):
            return i
        # "On Tue, Mar 3, 2026 at 10:02 AM Ana Ruiz <ana@x.com>" often wraps before "wrote:"
        if stripped.lower().startswith("on ") and i + 1 < len(lines) and lines[i + 1].strip().lower().endswith("wrote:"):
            return i
    # A trailing run of "> " lines with nothing of the writer's after it is a quote too.
    i = len(lines)
    while i > 0 and (lines[i - 1].lstrip().startswith(">") or not lines[i - 1].strip()):
        i -= 1
    return i if i < len(lines) and any(line.lstrip().startswith(">") for line in lines[i:]) else len(lines)


def _signature_start(lines: list[str]) -> int:
    """Where the signature begins in the writer's own lines (len(lines) when there is none)."""
    for i, line in enumerate(lines):
        if _SIGNATURE_LINE.match(line.strip()) and i > 0:
            return i
    content = [i for i, line in enumerate(lines) if line.strip()]
    for i in content[-(_NAME_BLOCK_LINES + 1):]:
        if _CLOSING.match(lines[i].strip()) and i != content[0]:
            after = [lines[j].strip() for j in content if j > i]
            if len(after) <= _NAME_BLOCK_LINES and all(_looks_like_name_line(a) for a in after):
                return i
    return len(lines)


def _looks_like_name_line(line: str) -> bool:
    """A signature line: a name, a title, a company, a phone number; not a sentence."""
    return len(line.split()) <= _NAME_LINE_WORDS and not re.search(r"[.?!]\s*$", line.rstrip(")"))
