"""A document's text, pure Python: title, date, paragraphs, and the Chinese forms they use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

_NUMERALS = "零一二三四五六七八九十"


@dataclass(frozen=True)
class DocumentDraft:
    """What a document says; ``kind`` names its template (e.g. ``award``, ``agreement``)."""

    kind: str
    title: str
    issued_on: date
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join((self.title, *self.paragraphs))


def numeral(n: int) -> str:
    """1 -> 一, 12 -> 十二, 21 -> 二十一 (item numbers of a Chinese document)."""
    if n <= 10:
        return _NUMERALS[n]
    tens, ones = divmod(n, 10)
    return f"{_NUMERALS[tens] if tens > 1 else ''}十{_NUMERALS[ones] if ones else ''}"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(fen: int) -> str:
    whole, cents = divmod(fen, 100)
    return f"{whole:,}.{cents:02d}元"
