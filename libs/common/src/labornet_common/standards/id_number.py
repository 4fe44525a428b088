"""Citizen identity numbers (公民身份号码).

# GB 11643-1999: address code 6 + birth date YYYYMMDD 8 + sequence 3 (odd = male) + check 1.
The check character is ISO 7064 MOD 11-2: S = sum(digit * weight), check = "10X98765432"[S mod 11].
First-generation 15-digit numbers expired in 2013 and are refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from labornet_common.standards.errors import StandardError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
_SHAPE = re.compile(r"\d{17}[\dX]", re.ASCII)

Sex = Literal["M", "F"]


@dataclass(frozen=True, repr=False)
class IdNumber:
    number: str
    division_code: str
    birth_date: date
    sex: Sex

    def __repr__(self) -> str:
        # Never let a full ID number reach a log line through a repr.
        return f"IdNumber({self.number[:6]}********{self.number[-4:]})"


def normalise_id_number(value: str) -> str:
    """Full-width digits, spaces and a lower-case x are common in typed input."""
    if not isinstance(value, str):
        raise StandardError("id_number.characters")
    text = unicodedata.normalize("NFKC", value)
    return "".join(text.split()).upper()


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise StandardError("id_number.characters")
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def validate_id_number(value: str, *, today: date | None = None) -> IdNumber:
    number = normalise_id_number(value)
    if len(number) != 18:
        raise StandardError("id_number.length")
    if not _SHAPE.fullmatch(number):
        raise StandardError("id_number.characters")
    birth_date = _birth_date(number[6:14], today=today or date.today())
    if id_check_char(number[:17]) != number[17]:
        raise StandardError("id_number.check_digit")
    sex: Sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdNumber(number=number, division_code=number[:6], birth_date=birth_date, sex=sex)


def is_valid_id_number(value: str, *, today: date | None = None) -> bool:
    try:
        validate_id_number(value, today=today)
    except StandardError:
        return False
    return True


def _birth_date(yyyymmdd: str, *, today: date) -> date:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        raise StandardError("id_number.birth_date") from None
    if not EARLIEST_BIRTH_DATE <= born <= today:
        raise StandardError("id_number.birth_date_range")
    return born


def age_on(id_number: IdNumber | str, on: date) -> int:
    """Completed years (周岁) on ``on``; a 29 February birthday is reached on 1 March."""
    person = id_number if isinstance(id_number, IdNumber) else validate_id_number(id_number)
    born = person.birth_date
    if on < born:
        raise ValueError("the date is before the birth date")
    had_birthday = (on.month, on.day) >= (born.month, born.day)
    return on.year - born.year - (0 if had_birthday else 1)
