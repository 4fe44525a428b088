"""Masking of ID and phone numbers for display, and redaction of free text for logs.

The kept parts follow common practice for Chinese personal data on screens (first 6 and last
4 characters of an ID number, first 3 and last 4 digits of a mobile number): enough for a clerk
to match a record, not enough to identify a person (个人信息保护法 Art 51 security measures).
"""

from __future__ import annotations

import re

from labornet_common.standards.errors import StandardError
from labornet_common.standards.id_number import normalise_id_number
from labornet_common.standards.phone import is_mobile, normalise_phone

# Digit boundaries on both sides, and no decimal point touching the run, so that an
# 11-digit stretch inside a longer number or an amount like 13812341234.50 is left alone.
_BEFORE = r"(?<!\d)(?<!\d\.)"
_AFTER = r"(?!\d)(?!\.\d)"
# An 18-character ID shape: address, a 19xx/20xx birth date with plausible month and day,
# sequence and a digit or X check. The checksum is not required: a mistyped ID is still PII.
_ID_IN_TEXT = re.compile(
    _BEFORE + r"[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]" + _AFTER,
    re.ASCII,
)
# A mobile number, optionally with +86/0086/86 before it and spaces or hyphens in 3-4-4 groups.
_MOBILE_IN_TEXT = re.compile(
    _BEFORE + r"(?P<prefix>(?:\+|00)?86[\s-]?)?(?P<number>1[3-9]\d[\s-]?\d{4}[\s-]?\d{4})" + _AFTER,
    re.ASCII,
)
_ID_SHAPE = re.compile(r"\d{17}[\dX]", re.ASCII)


def mask_id_number(value: str) -> str:
    """``11010519491231002X`` -> ``110105********002X``."""
    number = normalise_id_number(value)
    if len(number) != 18:
        raise StandardError("id_number.length")
    if not _ID_SHAPE.fullmatch(number):
        raise StandardError("id_number.characters")
    return number[:6] + "*" * 8 + number[-4:]


def mask_phone(value: str) -> str:
    """``13812341234`` -> ``138****1234``; ``0379-65123456`` -> ``0379-****3456``."""
    number = normalise_phone(value)
    if is_mobile(number):
        return _mask_mobile_digits(number)
    area, subscriber, *extension = number.split("-")
    hidden = "*" * (len(subscriber) - 4) + subscriber[-4:]
    return "-".join([area, hidden, *extension])


def redact_pii(text: str) -> str:
    """Mask every ID number and mobile number found in free text (log lines, notes)."""
    without_ids = _ID_IN_TEXT.sub(lambda match: mask_id_number(match.group()), text)
    return _MOBILE_IN_TEXT.sub(_mask_mobile_match, without_ids)


def _mask_mobile_match(match: re.Match[str]) -> str:
    digits = re.sub(r"[\s-]", "", match.group("number"))
    return (match.group("prefix") or "") + _mask_mobile_digits(digits)


def _mask_mobile_digits(digits: str) -> str:
    return digits[:3] + "****" + digits[-4:]
