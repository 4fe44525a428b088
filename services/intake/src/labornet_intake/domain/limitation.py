"""Does a complaint look outside the one-year arbitration limitation period? (pure)

Intake only flags: interruption and suspension (LDA Art. 27 paras 2-3) depend on facts a form
does not hold (a demand on the employer, an earlier request to an authority), so staff advise
the worker and the commission decides. The clock follows 民法典 Arts. 201-203 through the
legal calendar: the start day is not counted, the period ends on the corresponding day, and a
last day on a holiday moves to the next working day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from labornet_common.contracts.claims import CATEGORY_NAMES_ZH, ClaimCategory, ClaimSummary
from labornet_common.reference.calendar import LegalCalendar, Period


@dataclass(frozen=True)
class LimitationFlag:
    warning: bool
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def _start(claim: ClaimSummary, employment_ended_on: date | None) -> date | None:
    """When the worker knew or should have known of the infringement (LDA Art. 27 para 1)."""
    if claim.category == ClaimCategory.labor_remuneration:
        # LDA Art. 27 para 4: arrears during the labor relationship are not time-barred; once
        # it ends, the year runs from the day it ended.
        return employment_ended_on
    # A claim over a period was known at the latest when the period ended; otherwise the
    # end of the employment is when a dismissal, compensation or contract claim was known.
    return claim.period_to or employment_ended_on


def assess(
    claims: Iterable[ClaimSummary],
    *,
    employment_ended_on: date | None,
    received_on: date,
    calendar: LegalCalendar,
) -> LimitationFlag:
    reasons = []
    for claim in claims:
        start = _start(claim, employment_ended_on)
        if start is None:
            continue
        # LDA Art. 27: one year, counted with the legal calendar (民法典 Arts. 201-203).
        expired_on = calendar.deadline(Period.LIMITATION_1Y, start).due
        if received_on > expired_on:
            name = CATEGORY_NAMES_ZH.get(ClaimCategory(claim.category), claim.category)
            reasons.append(
                f"“{name}”请求自{start:%Y年%m月%d日}起算的一年仲裁时效已于{expired_on:%Y年%m月%d日}届满"
                "（劳动争议调解仲裁法第二十七条），请核实是否有中断、中止事由"
            )
    return LimitationFlag(warning=bool(reasons), reasons=tuple(dict.fromkeys(reasons)))
