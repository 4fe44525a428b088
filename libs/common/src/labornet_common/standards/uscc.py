"""Unified social credit codes (统一社会信用代码) of employers and other organisations.

# GB 32100-2015: authority 1 + category 1 + division 6 + organisation code 9 (GB 11714) + check 1.
Two check characters are verified: the organisation code's own (GB 11714, MOD 11) and the
code's final one (MOD 31 over the 31-character alphabet without I, O, S, V, Z).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from labornet_common.standards.errors import StandardError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 Table 3: w_i = 3^(i-1) mod 31.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997: weights of the first 8 characters of the organisation code.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_DIGITS = "0123456789"


@dataclass(frozen=True)
class Uscc:
    code: str
    registration_authority: str  # 登记管理部门码, e.g. 9 = market regulation (工商)
    organisation_category: str  # 机构类别码 within that authority, e.g. 91 = enterprise
    division_code: str  # GB/T 2260 code of the registering authority
    org_code: str  # 主体标识码 = the 9-character GB 11714 organisation code

    @property
    def category(self) -> str:
        """Authority and category together, the usual way of naming a kind of entity."""
        return self.registration_authority + self.organisation_category


def normalise_uscc(value: str) -> str:
    if not isinstance(value, str):
        raise StandardError("uscc.character")
    text = unicodedata.normalize("NFKC", value)
    return "".join(text.split()).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    if len(first17) != 17:
        raise StandardError("uscc.length")
    values = (_alphabet_value(char) for char in first17)
    total = sum(value * weight for value, weight in zip(values, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """The GB 11714 check character: C = 11 - (S mod 11); 10 is written X and 11 is 0."""
    if len(first8) != 8:
        raise StandardError("uscc.length")
    values = (_org_value(char) for char in first8)
    total = sum(value * weight for value, weight in zip(values, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_uscc(value: str) -> Uscc:
    code = normalise_uscc(value)
    if len(code) != 18:
        raise StandardError("uscc.length")
    for position, char in enumerate(code, start=1):
        if char not in ALPHABET:
            raise StandardError("uscc.character", position=position)
    if not all(char in _DIGITS for char in code[2:8]):
        raise StandardError("uscc.division_code")
    org_code = code[8:17]
    if org_code_check_char(org_code[:8]) != org_code[8]:
        raise StandardError("uscc.org_check")
    if uscc_check_char(code[:17]) != code[17]:
        raise StandardError("uscc.check_digit")
    return Uscc(
        code=code,
        registration_authority=code[0],
        organisation_category=code[1],
        division_code=code[2:8],
        org_code=org_code,
    )


def is_valid_uscc(value: str) -> bool:
    try:
        validate_uscc(value)
    except StandardError:
        return False
    return True


def _alphabet_value(char: str) -> int:
    index = ALPHABET.find(char)
    if index < 0:
        raise StandardError("uscc.character")
    return index


def _org_value(char: str) -> int:
    # GB 11714: digits keep their value, letters count from A = 10 to Z = 35.
    if char in _DIGITS:
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise StandardError("uscc.character")
