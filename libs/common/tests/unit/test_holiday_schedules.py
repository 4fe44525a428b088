"""Entering a year's holiday schedule: what the notice must look like, and the live calendar
that every service's deadlines read (民诉法 Art. 85 via Rules Art. 19: a last day on a holiday
rolls to the first working day after it; 调休 make-up days are working days).

The 2027 days are the clearly-labelled TEST schedule of labornet_common.testing.calendar_support
(the real notice is not in chinesecalendar 1.11.0)."""

from __future__ import annotations

from datetime import date

import pytest

from labornet_common.contracts.calendar import ScheduleDay
from labornet_common.platform.live_calendar import SharedCalendar, is_provisional, live_calendar, live_calendar_with
from labornet_common.reference.calendar import PACKAGE_YEARS, HolidayNotice, LegalCalendar, Period
from labornet_common.reference.holiday_schedules import notice_of, schedule_errors
from labornet_common.testing.calendar_support import TEST_2027_DAYS, restored_live_calendar

NOTICE_2027 = notice_of(2027, TEST_2027_DAYS)


def day(on: str, kind: str = "holiday", festival: str = "春节") -> ScheduleDay:
    return ScheduleDay(date=date.fromisoformat(on), kind=kind, festival=festival)  # type: ignore[arg-type]


def test_the_shipped_data_ends_with_2026_so_2027_needs_a_notice() -> None:
    assert 2026 in PACKAGE_YEARS and 2027 not in PACKAGE_YEARS


def test_the_test_schedule_is_a_valid_notice() -> None:
    assert schedule_errors(2027, TEST_2027_DAYS) == []


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([day("2028-01-01", festival="元旦")], [("days.0.date", "calendar.day_outside_year")]),
        ([day("2027-02-05", festival=" ")], [("days.0.festival", "calendar.festival_required")]),
        # 2027-02-08 is a Monday: a weekday is a working day anyway, so it cannot be a make-up day.
        ([day("2027-02-05"), day("2027-02-08", "workday")], [("days.1.date", "calendar.workday_not_weekend")]),
        # the same Sunday both off and worked
        ([day("2027-01-31"), day("2027-01-31", "workday")], [("days.1.date", "calendar.day_listed_twice")]),
        ([day("2027-01-31", "workday")], [("days", "calendar.no_holidays")]),
    ],
)
def test_a_schedule_that_breaks_a_rule_names_the_field(days, expected) -> None:
    assert schedule_errors(2027, days) == expected


def test_holidays_may_fall_on_weekdays_and_weekends_and_make_up_days_on_either_weekend_day() -> None:
    days = [day("2027-02-06"), day("2027-02-08"), day("2027-01-31", "workday"), day("2027-02-20", "workday")]
    assert schedule_errors(2027, days) == []  # Sat and Mon off; Sun and Sat worked


def test_the_year_is_checked() -> None:
    assert schedule_errors(1999, [day("1999-01-01", festival="元旦")]) == [("year", "calendar.year_out_of_range")]


def test_a_45_day_award_clock_lands_in_the_spring_festival_once_the_notice_is_in() -> None:
    # LDA Art. 43: accepted Tue 2026-12-22, day 45 is Fri 2027-02-05.
    shared = SharedCalendar()
    before = shared.deadline(Period.AWARD_45D, date(2026, 12, 22))
    assert (before.due, before.provisional) == (date(2027, 2, 5), True)  # weekends only: a Friday
    shared.install([NOTICE_2027])
    after = shared.deadline(Period.AWARD_45D, date(2026, 12, 22))
    # 02-05..02-12 off, Sat 02-13 and Sun 02-14 rest days: the last day is Monday 2027-02-15.
    assert (after.due, after.provisional) == (date(2027, 2, 15), False)


def test_a_make_up_sunday_is_a_working_day_so_a_period_may_end_on_it() -> None:
    # LDA Art. 14: received Sat 2027-01-16, day 15 is Sun 01-31.
    shared = SharedCalendar()
    assert shared.deadline(Period.MEDIATION_15D, date(2027, 1, 16)).due == date(2027, 2, 1)  # weekend rolls
    shared.install([NOTICE_2027])
    assert shared.deadline(Period.MEDIATION_15D, date(2027, 1, 16)).due == date(2027, 1, 31)  # 调休上班


def test_new_year_days_off_roll_a_deadline_and_working_days_skip_them() -> None:
    cal = SharedCalendar()
    cal.install([NOTICE_2027])
    # LDA Art. 29: received Sun 2026-12-27, day 5 is Fri 2027-01-01 (元旦) -> Mon 01-04.
    assert cal.deadline(Period.ACCEPTANCE_5D, date(2026, 12, 27)).due == date(2027, 1, 4)
    # 若干规定 Art. 18: 5 working days from Thu 2026-12-31: 01-04 .. 01-08.
    assert cal.deadline(Period.INSPECTION_ACCEPT_5WD, date(2026, 12, 31)).due == date(2027, 1, 8)


def test_preview_does_not_install_and_a_correction_replaces_the_year() -> None:
    cal = SharedCalendar()
    assert cal.preview([NOTICE_2027]).has_official_data(2027) and not cal.has_official_data(2027)
    cal.install([NOTICE_2027])
    corrected = HolidayNotice(2027, holidays=frozenset({date(2027, 1, 1)}))
    cal.install([corrected])
    assert cal.is_workday(date(2027, 2, 8)) and not cal.is_workday(date(2027, 1, 1))
    assert cal.entered_years == {2027}


def test_an_entered_schedule_wins_over_one_from_settings_for_its_year() -> None:
    with restored_live_calendar():
        cal = live_calendar_with({"2027": {"holidays": ["2027-02-08"]}})
        assert cal is live_calendar() and not cal.is_workday(date(2027, 2, 8))
        cal.install([HolidayNotice(2027, holidays=frozenset({date(2027, 1, 1)}))])
        assert cal.is_workday(date(2027, 2, 8))
        live_calendar_with({})


def test_provisional_follows_the_live_calendar() -> None:
    with restored_live_calendar():
        assert is_provisional(date(2027, 2, 5)) and not is_provisional(date(2026, 12, 31))
        live_calendar().install([NOTICE_2027])
        assert not is_provisional(date(2027, 2, 5))
        assert is_provisional(date(2028, 1, 3)) and not is_provisional(None)


def test_a_shared_calendar_answers_like_the_calendar_it_holds() -> None:
    cal, plain = SharedCalendar(roll_weekends=False), LegalCalendar(roll_weekends=False)
    start = date(2026, 9, 20)
    for rule in Period:
        assert cal.deadline(rule, start) == plain.deadline(rule, start)
    assert cal.roll_weekends is False
