"""LDA Art. 27's one year, counted with the legal calendar (民法典 Arts. 201-203)."""

from __future__ import annotations

from datetime import date

import pytest

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.reference.calendar import default_calendar
from labornet_intake.domain.limitation import assess

CALENDAR = default_calendar()


def _flag(claims, *, ended: date | None, received: date):
    return assess(claims, employment_ended_on=ended, received_on=received, calendar=CALENDAR)


WAGES = ClaimSummary(category="labor_remuneration", period_from=date(2025, 8, 1), period_to=date(2025, 9, 30))


@pytest.mark.parametrize(("received", "flagged"), [(date(2026, 10, 8), False), (date(2026, 10, 9), True)])
def test_a_year_ending_in_the_national_day_holiday_runs_to_the_next_working_day(received, flagged) -> None:
    # Ended 2025-10-01: the start day is not counted, the year ends on 2026-10-01, inside the
    # 2026 National Day holiday (10-01..10-07), so the last day is Thursday 2026-10-08.
    result = _flag([WAGES], ended=date(2025, 10, 1), received=received)
    assert result.warning is flagged
    assert ("2026年10月08日" in result.reason) is flagged


def test_a_year_ending_on_a_working_day_ends_on_the_corresponding_day() -> None:
    # Ended 2025-03-16: the year ends Monday 2026-03-16; the 17th is a day late.
    assert not _flag([WAGES], ended=date(2025, 3, 16), received=date(2026, 3, 16)).warning
    assert _flag([WAGES], ended=date(2025, 3, 16), received=date(2026, 3, 17)).warning


def test_wage_arrears_during_the_employment_are_not_time_barred() -> None:
    # LDA Art. 27 para 4: no limitation while the labor relationship lasts.
    old = ClaimSummary(category="labor_remuneration", period_from=date(2020, 1, 1), period_to=date(2020, 6, 30))
    assert not _flag([old], ended=None, received=date(2026, 11, 21)).warning


def test_other_claims_run_from_the_end_of_their_period() -> None:
    # LDA Art. 27 para 1: from when the worker knew or should have known (the period's end).
    overtime = ClaimSummary(category="rest_leave", period_from=date(2024, 1, 1), period_to=date(2025, 6, 30))
    result = _flag([overtime], ended=None, received=date(2026, 11, 21))
    assert result.warning and "休息休假" in result.reason and "2025年06月30日" in result.reason


def test_a_dismissal_runs_from_the_end_of_the_employment_and_unknown_dates_are_not_guessed() -> None:
    dismissal = ClaimSummary(category="dismissal")
    assert _flag([dismissal], ended=date(2025, 1, 10), received=date(2026, 11, 21)).warning
    assert not _flag([dismissal], ended=None, received=date(2026, 11, 21)).warning
