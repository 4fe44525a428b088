"""The mediation clock: 15 calendar days from the centre's receipt (LDA Art. 14)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from labornet_common.reference.calendar import ClockStatus, LegalCalendar, Period, clock_status, remaining_days

MEDIATION_PERIOD = Period.MEDIATION_15D  # LDA Art. 14: 15 days from receipt of the application
JUDICIAL_CONFIRMATION_PERIOD = Period.JUDICIAL_CONFIRM_30D  # 民诉法 Art. 205: 30 days from effect


def mediation_due_on(received_on: date, calendar: LegalCalendar) -> date:
    # 民诉法 Art. 85: the day of receipt is not counted; a last day on a holiday rolls forward.
    return calendar.deadline(MEDIATION_PERIOD, received_on).due


def judicial_confirmation_due_on(effective_on: date, calendar: LegalCalendar) -> date:
    return calendar.deadline(JUDICIAL_CONFIRMATION_PERIOD, effective_on).due


@dataclass(frozen=True)
class ClockView:
    due_on: date
    days_left: int
    status: ClockStatus
    article: str = MEDIATION_PERIOD.article


def clock_view(due_on: date, today: date, *, warn_days: int) -> ClockView:
    return ClockView(
        due_on=due_on,
        days_left=remaining_days(due_on, today),
        status=clock_status(due_on, today, warn_days),
    )
