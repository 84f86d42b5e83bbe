"""Text from research data on its way to a terminal: never markup, never control sequences.

Quotes, speaker names, file names and queries are data. Printed through rich, a `[/]` in a quote
is read as markup (and crashes it); an ANSI escape in a transcript would recolour, move or clear
the user's terminal. Every terminal view passes data through `markup()` (inside rich markup) or
`printable()` (plain text), so this file is the one place that decides what reaches the screen.
"""

from __future__ import annotations

import re

# CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST) and two-character escapes: dropped whole.
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def escape_surrogates(text: str) -> str:
    """Undecodable file-name bytes (lone surrogates, as Python keeps them) shown as \\xNN; others as \\uXXXX."""
    return _SURROGATE.sub(_surrogate, text)


def _surrogate(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _control(m: re.Match) -> str:
    code = ord(m.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture": ␛ for ESC, ␇ for BEL
    return "\u2421" if code == 0x7F else "\ufffd"


def printable(text: object) -> str:
    """`text` safe to print as plain text: escape sequences dropped, other controls shown as symbols.

    Newlines and tabs stay; a carriage return becomes a newline (it would overwrite the line).
    """
    s = text if isinstance(text, str) else str(text)
    if s.isprintable():
        return s
    s = _ANSI.sub("", s).replace("\r\n", "\n").replace("\r", "\n")
    return escape_surrogates(_CONTROL.sub(_control, s))


def markup(text: object) -> str:
    """`text` safe to embed in rich markup: printable, with `[` escaped so data is never read as a tag."""
    from rich.markup import escape

    return escape(printable(text))


def whole_column(table, header: str, values, cap: int = 48, **options) -> None:
    """Add a column for ids and file names: never split across lines (they are copied and typed back), as wide as
    the longest value up to `cap` characters, past which the end is cut with an ellipsis."""
    width = min(max((len(str(v)) for v in values), default=0), cap)
    width = max(width, len(header))
    table.add_column(header, no_wrap=True, overflow="ellipsis", min_width=width, max_width=width, **options)


def clip_left(text: str, cap: int) -> str:
    """`text` cut to `cap` characters from the left ("…/interviews/p07.txt"): a path keeps its file name."""
    return text if len(text) <= cap else "…" + text[len(text) - cap + 1:]
