"""Masking of personal data before text leaves the machine for a non-local model.

Each distinct value becomes a numbered placeholder (`[EMAIL_1]`, `[PHONE_2]`, `[HANDLE_1]`,
`[URL_1]`, `[NAME_3]`); the same value always gets the same placeholder within one request, and
`unmask` restores the originals in the reply so quotes still match the source verbatim.
"""

from __future__ import annotations

import re

from synth.llm.base import Message

URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'`]+", re.IGNORECASE)
EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HANDLE = re.compile(r"(?<![\w@/])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,}\d(?!\w)")
DATE = re.compile(r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")
PLACEHOLDER = re.compile(r"\[(?:EMAIL|PHONE|HANDLE|URL|NAME)_\d+\]")


class Masker:
    """Masks emails, phone numbers, @handles, URLs and the configured names, reversibly."""

    def __init__(self, names: list[str] | tuple[str, ...] = ()):
        names = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
        self.names = (
            re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE)
            if names
            else None
        )
        self.forward: dict[tuple[str, str], str] = {}
        self.back: dict[str, str] = {}

    def _token(self, kind: str, value: str) -> str:
        key = (kind, value)  # exact value, so unmasking restores the source verbatim
        if key not in self.forward:
            count = sum(1 for k in self.forward if k[0] == kind) + 1
            token = f"[{kind}_{count}]"
            self.forward[key] = token
            self.back[token] = value
        return self.forward[key]

    def _url(self, m: re.Match[str]) -> str:
        url = m.group(0)
        trimmed = url.rstrip(".,;:!?)]}")
        return self._token("URL", trimmed) + url[len(trimmed):]

    def _phone(self, m: re.Match[str]) -> str:
        text = m.group(0)
        digits = sum(c.isdigit() for c in text)
        if digits < 7 or digits > 15 or DATE.match(text.strip()):
            return text
        return self._token("PHONE", text)

    def mask(self, text: str) -> str:
        """Text with personal data replaced by placeholders."""
        text = URL.sub(self._url, text)
        text = EMAIL.sub(lambda m: self._token("EMAIL", m.group(0)), text)
        text = HANDLE.sub(lambda m: self._token("HANDLE", m.group(0)), text)
        text = PHONE.sub(self._phone, text)
        if self.names is not None:
            text = self.names.sub(lambda m: self._token("NAME", m.group(0)), text)
        return text

    def unmask(self, text: str) -> str:
        """Text with this masker's placeholders turned back into the original values."""
        return PLACEHOLDER.sub(lambda m: self.back.get(m.group(0), m.group(0)), text)

    def mask_messages(self, messages: list[Message]) -> list[Message]:
        return [{"role": m["role"], "content": self.mask(m["content"])} for m in messages]


def mask_text(text: str, names: list[str] | tuple[str, ...] = ()) -> str:
    """One-shot masking, for previews and tests."""
    return Masker(names).mask(text)
