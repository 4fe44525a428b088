"""Case numbers (案号): one sequence per commission per calendar year, in a local format.

Formats vary by locality (domain-rules §6 and §8.8), so the format is a setting; the default
gives 洛劳人仲案字〔2026〕第12号 from the register's short name 洛劳人仲.
"""

from __future__ import annotations

import string

PLACEHOLDERS = frozenset({"short_name", "year", "seq"})


def check_format(fmt: str) -> None:
    """A usable format names {seq} (else numbers collide) and only known placeholders."""
    names = {field for _, field, _, _ in string.Formatter().parse(fmt) if field is not None}
    if "seq" not in names or not names <= PLACEHOLDERS:
        raise ValueError(f"case number format needs {{seq}} and only {sorted(PLACEHOLDERS)}: {fmt!r}")


def case_number(fmt: str, *, short_name: str, year: int, seq: int) -> str:
    return fmt.format(short_name=short_name, year=year, seq=seq)
