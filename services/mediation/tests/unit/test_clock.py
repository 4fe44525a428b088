"""The 15-day mediation clock (LDA Art. 14) and the 30-day judicial confirmation window
(民诉法 Art. 205), counted with the 2026 State Council holiday notice: Mid-Autumn 09-25..27,
National Day 10-01..10-07, make-up working days Sunday 09-20 and Saturday 10-10."""

from __future__ import annotations

from datetime import date

import pytest

from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.clocks import clock_view, judicial_confirmation_due_on, mediation_due_on

CAL = LegalCalendar()


def test_the_holiday_notice_is_the_one_the_tests_assume() -> None:
    assert not any(CAL.is_workday(date(2026, 10, d)) for d in range(1, 8))
    assert not any(CAL.is_workday(date(2026, 9, d)) for d in (25, 26, 27))
    assert CAL.is_workday(date(2026, 9, 20)) and date(2026, 9, 20).weekday() == 6  # Sunday, 调休
    assert CAL.is_workday(date(2026, 10, 10)) and date(2026, 10, 10).weekday() == 5  # Saturday, 调休


@pytest.mark.parametrize(
    ("received", "due", "why"),
    [
        (date(2026, 9, 1), date(2026, 9, 16), "plain: day of receipt not counted, 15 days on"),
        (date(2026, 9, 16), date(2026, 10, 8), "day 15 is 10-01: National Day rolls it to 10-08"),
        (date(2026, 9, 22), date(2026, 10, 8), "day 15 is 10-07, the last holiday"),
        (date(2026, 9, 5), date(2026, 9, 20), "day 15 is the make-up Sunday: a working day, it stands"),
        (date(2026, 9, 25), date(2026, 10, 10), "day 15 is the make-up Saturday: it stands"),
        (date(2026, 9, 10), date(2026, 9, 28), "day 15 is Mid-Autumn 09-25: rolls past 09-27"),
        (date(2026, 9, 26), date(2026, 10, 12), "day 15 is Sunday 10-11: rolls to Monday"),
    ],
)
def test_mediation_period_ends_15_calendar_days_after_receipt(received: date, due: date, why: str) -> None:
    assert mediation_due_on(received, CAL) == due, why


def test_received_during_the_holiday_still_counts_calendar_days() -> None:
    # Days inside the holiday count ("日" = calendar days); only the last day moves.
    assert mediation_due_on(date(2026, 10, 1), CAL) == date(2026, 10, 16)


def test_judicial_confirmation_window_is_30_days_and_rolls_past_national_day() -> None:
    assert judicial_confirmation_due_on(date(2026, 9, 1), CAL) == date(2026, 10, 8)  # day 30 = 10-01
    assert judicial_confirmation_due_on(date(2026, 9, 10), CAL) == date(2026, 10, 10)  # make-up Saturday


@pytest.mark.parametrize(
    ("today", "days_left", "status"),
    [
        (date(2026, 9, 16), 22, "ok"),
        (date(2026, 10, 5), 3, "due_soon"),
        (date(2026, 10, 8), 0, "due_today"),
        (date(2026, 10, 9), -1, "overdue"),
    ],
)
def test_clock_view_counts_down_to_the_due_day(today: date, days_left: int, status: str) -> None:
    view = clock_view(date(2026, 10, 8), today, warn_days=3)
    assert (view.days_left, view.status, view.article) == (days_left, status, "LDA Art 14")
