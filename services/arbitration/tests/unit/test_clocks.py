"""Every clock with the law's numbers, across 2026's Mid-Autumn (09-25..27) and National Day
(10-01..10-07) holidays, make-up workdays Sun 2026-09-20 and Sat 2026-10-10 (chinesecalendar)."""

from __future__ import annotations

from datetime import date

import pytest

from labornet_arbitration.domain import clocks
from labornet_common.reference.calendar import LegalCalendar

CAL = LegalCalendar()


def test_the_calendar_knows_2026s_autumn_holidays() -> None:
    assert all(CAL.is_public_holiday(date(2026, 10, d)) for d in range(1, 8))
    assert all(CAL.is_public_holiday(date(2026, 9, d)) for d in (25, 26, 27))
    assert CAL.is_workday(date(2026, 9, 20)) and CAL.is_workday(date(2026, 10, 10))


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 9, 14), date(2026, 9, 20)),  # 5th day Sat 09-19 rolls to make-up workday Sun 09-20
        (date(2026, 9, 22), date(2026, 9, 28)),  # 5th day 09-27 (Mid-Autumn) -> Mon 09-28
        (date(2026, 9, 28), date(2026, 10, 8)),  # 5th day 10-03 (National Day) -> Thu 10-08
        (date(2026, 10, 5), date(2026, 10, 10)),  # 5th day Sat 10-10 is a make-up workday: it stays
        (date(2026, 10, 6), date(2026, 10, 12)),  # 5th day Sun 10-11 -> Mon 10-12
    ],
)
def test_acceptance_is_due_5_days_after_receipt_lda_29(received: date, due: date) -> None:
    assert clocks.acceptance_due(CAL, received) == due


def test_a_make_up_workday_ends_a_period_on_it() -> None:
    # 09-15 + 5 = Sun 09-20, a 调休 working day: the period ends that Sunday, no roll
    assert clocks.acceptance_due(CAL, date(2026, 9, 15)) == date(2026, 9, 20)


def test_correction_notice_within_5_days_rules_29() -> None:
    assert clocks.correction_notice_due(CAL, date(2026, 9, 28)) == date(2026, 10, 8)


def test_service_of_the_copy_within_5_days_of_acceptance_lda_30() -> None:
    assert clocks.serve_copy_due(CAL, date(2026, 9, 29)) == date(2026, 10, 8)  # 10-04 holiday -> 10-08


def test_defence_within_10_days_of_receipt_of_the_copy_lda_30() -> None:
    assert clocks.defence_due(CAL, date(2026, 9, 24)) == date(2026, 10, 8)  # 10-04 -> 10-08
    assert clocks.defence_due(CAL, date(2026, 9, 30)) == date(2026, 10, 10)  # make-up Saturday


def test_tribunal_notice_within_5_days_of_acceptance_lda_32() -> None:
    assert clocks.tribunal_notice_due(CAL, date(2026, 9, 30)) == date(2026, 10, 8)  # 10-05 -> 10-08


def test_hearing_notice_at_least_5_days_before_lda_35() -> None:
    assert clocks.latest_hearing_notice(CAL, date(2026, 10, 19)) == date(2026, 10, 14)
    # 10-13 - 5 = 10-08 is a workday; 10-12 - 5 = 10-07 (holiday): the notice must go out 09-30
    assert clocks.latest_hearing_notice(CAL, date(2026, 10, 13)) == date(2026, 10, 8)
    assert clocks.latest_hearing_notice(CAL, date(2026, 10, 12)) == date(2026, 9, 30)


def test_award_within_45_days_plus_15_by_approval_lda_43() -> None:
    accepted = date(2026, 8, 19)
    assert clocks.award_due(CAL, accepted) == date(2026, 10, 8)  # 45th day 10-03 -> 10-08
    assert clocks.award_due(CAL, date(2026, 8, 26)) == date(2026, 10, 10)  # make-up Saturday
    assert clocks.award_due(CAL, accepted, extension_days=15) == date(2026, 10, 19)  # 10-18 Sun -> 10-19
    with pytest.raises(ValueError):
        clocks.award_due(CAL, accepted, extension_days=16)


def test_suspension_days_push_the_award_back_rules_45() -> None:
    # 10 days of 中止: 45 + 10 from 08-09 is 10-03 -> 10-08
    assert clocks.award_due(CAL, date(2026, 8, 9), paused_days=10) == date(2026, 10, 8)


def test_non_final_award_suit_window_15_days_lda_50() -> None:
    assert clocks.nonfinal_suit_due(CAL, date(2026, 9, 18)) == date(2026, 10, 8)  # 10-03 -> 10-08
