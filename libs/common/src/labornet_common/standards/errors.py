"""Why a value fails a data standard, in Chinese and English, under a stable machine code.

``StandardError`` is a ``ValueError`` so that pydantic validators can raise it directly; the
API layer reads ``code``, ``message_zh`` and ``message_en`` from it to build the RFC 9457
problem entry for the offending field. All the texts live in ``STANDARD_MESSAGES`` below.
Messages never repeat the rejected value: it is usually personal data (ID or phone number).
"""

from __future__ import annotations

from typing import Any

STANDARD_MESSAGES: dict[str, tuple[str, str]] = {
    # GB 11643-1999 citizen identity number
    "id_number.length": (
        "身份证号码应为18位",
        "The ID number must have 18 characters",
    ),
    "id_number.characters": (
        "身份证号码前17位应为数字，最后一位应为数字或X",
        "The ID number must be 17 digits followed by a digit or X",
    ),
    "id_number.birth_date": (
        "身份证号码中的出生日期不是有效日期",
        "The birth date inside the ID number is not a real date",
    ),
    "id_number.birth_date_range": (
        "身份证号码中的出生日期不能早于1900年或晚于今天",
        "The birth date inside the ID number is before 1900 or in the future",
    ),
    "id_number.check_digit": (
        "身份证号码校验位错误，请核对号码",
        "The ID number check digit is wrong; please check the number",
    ),
    # GB 32100-2015 unified social credit code
    "uscc.length": (
        "统一社会信用代码应为18位",
        "The unified social credit code must have 18 characters",
    ),
    "uscc.character": (
        "统一社会信用代码含有不允许的字符（只允许数字和除I、O、S、V、Z以外的大写字母）",
        "The unified social credit code has a character that is not allowed "
        "(digits and capital letters except I, O, S, V, Z)",
    ),
    "uscc.division_code": (
        "统一社会信用代码第3至8位应为行政区划代码（6位数字）",
        "Characters 3 to 8 of the unified social credit code must be a 6-digit division code",
    ),
    "uscc.org_check": (
        "统一社会信用代码中的组织机构代码校验位错误",
        "The organisation code inside the unified social credit code has a wrong check character",
    ),
    "uscc.check_digit": (
        "统一社会信用代码校验位错误，请核对代码",
        "The unified social credit code check character is wrong; please check the code",
    ),
    # mainland telephone numbers
    "phone.invalid": (
        "电话号码格式不正确，请填写11位手机号码或带区号的固定电话",
        "The phone number is not valid; give an 11-digit mobile number or a fixed line with its area code",
    ),
    # GB/T 2260 and statistical division codes
    "division.malformed": (
        "行政区划代码格式不正确，应为2、4、6、9或12位数字",
        "The division code is malformed; it must have 2, 4, 6, 9 or 12 digits",
    ),
    "division.unknown": (
        "行政区划代码不存在",
        "The division code does not exist",
    ),
    "division.level": (
        "行政区划代码的级别不符合要求",
        "The division code is not at an accepted level",
    ),
}


class StandardError(ValueError):
    """A value broke a data standard. ``details`` carries safe, machine-readable context."""

    def __init__(self, code: str, **details: Any) -> None:
        message_zh, message_en = STANDARD_MESSAGES[code]
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.details = details
