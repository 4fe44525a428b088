"""Mainland China telephone numbers, normalised for storage and matching.

Mobile numbers are 11 digits ``1[3-9]x xxxx xxxx`` (MIIT numbering plan); a +86, 0086 or 86
country prefix is dropped. Fixed lines keep their trunk-prefixed area code: 3 digits for
Beijing (010) and the 02x cities, 4 digits elsewhere (0379 洛阳, 0631 威海, 0591 福州),
then a 7- or 8-digit subscriber number that never starts with 0 or 1.

Normalised forms: ``13812341234``, ``0379-65123456``, ``010-62345678-801`` (with extension).
"""

from __future__ import annotations

import re
import unicodedata

from labornet_common.standards.errors import StandardError

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_SUBSCRIBER = re.compile(r"[2-9]\d{6,7}", re.ASCII)
_COUNTRY_PREFIX = re.compile(r"(?:\+|00)86|86(?=1[3-9]\d{9}$)", re.ASCII)
# Extensions people write after a fixed line: 转801, 分机801, ext. 801, x801, #801, -801.
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|x|#|-)\s*(\d{1,6})$", re.ASCII | re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-()]")


def normalise_phone(value: str) -> str:
    text = _clean(value)
    number = _base_number(text)
    if number:
        return number
    extension = _EXTENSION.search(text)
    if extension:
        number = _base_number(text[: extension.start()])
        if number and not is_mobile(number):
            return f"{number}-{extension.group(1)}"
    raise StandardError("phone.invalid")


def is_mobile(normalised: str) -> bool:
    return bool(_MOBILE.fullmatch(normalised))


def _clean(value: str) -> str:
    if not isinstance(value, str):
        raise StandardError("phone.invalid")
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise StandardError("phone.invalid")
    return text


def _base_number(text: str) -> str | None:
    """The mobile or fixed-line number in ``text``, or None when it is neither."""
    digits = _SEPARATORS.sub("", text)
    international = _COUNTRY_PREFIX.match(digits)
    if international:
        digits = digits[international.end() :]
        if not _MOBILE.fullmatch(digits) and not digits.startswith("0"):
            digits = "0" + digits  # +86 379 6512 3456 is dialled 0379 6512 3456 at home
    if not digits.isascii() or not digits.isdigit():
        return None
    if _MOBILE.fullmatch(digits):
        return digits
    return _fixed_line(digits)


def _fixed_line(digits: str) -> str | None:
    if len(digits) < 10 or not digits.startswith("0"):
        return None
    area_length = 3 if digits[1] in "12" else 4  # 010 and 020-029 are the 3-digit codes
    area, subscriber = digits[:area_length], digits[area_length:]
    if area.startswith("01") and area != "010":
        return None
    if not _SUBSCRIBER.fullmatch(subscriber):
        return None
    return f"{area}-{subscriber}"
