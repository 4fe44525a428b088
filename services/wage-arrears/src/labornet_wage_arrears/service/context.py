"""Wage-arrears' context: the alert rules in force (from the settings). Built once per process
by main.py and handed to the consumer's handlers and the scanner."""

from __future__ import annotations

from dataclasses import dataclass, field

from labornet_wage_arrears.domain.config import RuleBook


@dataclass(frozen=True)
class WageArrearsContext:
    book: RuleBook = field(default_factory=RuleBook)
