"""The legal calendar, checked with the law's own numbers across the 2025/2026 holiday notices.

Schedules used (国办发明电〔2024〕12号 for 2025, 国办发明电〔2025〕7号 for 2026), as printed by
chinesecalendar 1.11 and asserted in test_package_data_matches_the_notices below:
- 2025 Spring Festival 01-28..02-04 (make-up Sun 01-26, Sat 02-08); Labour Day 05-01..05
  (make-up Sun 04-27); Dragon Boat 05-31..06-02; National Day + Mid-autumn 10-01..10-08
  (make-up Sun 09-28, Sat 10-11).
- 2026 New Year 01-01..03 (make-up Sun 01-04); Spring Festival 02-15..02-23 (make-up Sat 02-14,
  Sat 02-28); Labour Day 05-01..05 (make-up Sat 05-09); Mid-autumn 09-25..27; National Day
  10-01..07 (make-up Sun 09-20, Sat 10-10).
Each expected date below is counted by hand in its comment.
"""

from datetime import date, datetime, timedelta

import pytest

from labornet_common.reference.calendar import (
    PACKAGE_YEARS,
    Deadline,
    HolidayNotice,
    LegalCalendar,
    Period,
    clock_status,
    default_calendar,
    remaining_days,
)


@pytest.fixture(scope="module")
def cal() -> LegalCalendar:
    return LegalCalendar()


@pytest.fixture(scope="module")
def strict() -> LegalCalendar:
    """Rolls only over notice holidays, not plain weekends (domain-rules §8.3 alternative)."""
    return LegalCalendar(roll_weekends=False)


def d(text: str) -> date:
    return date.fromisoformat(text)


def days_between(first: str, last: str) -> list[date]:
    start, end = d(first), d(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def test_package_data_matches_the_notices(cal):
    assert all(cal.is_public_holiday(day) for day in days_between("2026-10-01", "2026-10-07"))
    assert all(cal.is_public_holiday(day) for day in days_between("2026-02-15", "2026-02-23"))
    for make_up in ("2026-01-04", "2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"):
        assert d(make_up).weekday() >= 5 and cal.is_workday(d(make_up)), make_up
    for make_up in ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"):
        assert cal.is_workday(d(make_up)), make_up
    assert not cal.is_workday(d("2025-10-08"))  # Wednesday inside the 2025 National Day break
    assert cal.is_workday(d("2026-10-08"))  # Thursday after the 2026 National Day break


def test_day_kinds(cal):
    assert cal.is_workday(d("2026-09-18"))  # an ordinary Friday
    assert not cal.is_workday(d("2026-09-13"))  # an ordinary Sunday
    assert not cal.is_public_holiday(d("2026-09-13"))  # ... is not a notice holiday
    assert cal.is_public_holiday(d("2026-10-03"))  # a Saturday inside the National Day break
    assert not cal.is_public_holiday(d("2026-09-20"))  # a make-up Sunday is a working day
    assert cal.is_rest_day(d("2026-09-13")) and not cal.is_rest_day(d("2026-09-20"))


def test_mediation_15_days_from_a_make_up_sunday_into_national_day(cal):
    # Start 2026-09-20 not counted; day 15 = 10-05 (National Day); 10-06, 10-07 holidays too;
    # 民诉法 Art 85 moves the end to the first day after the holiday: Thursday 10-08.
    deadline = cal.deadline(Period.MEDIATION_15D, d("2026-09-20"))
    assert deadline == Deadline(
        due=d("2026-10-08"),
        rule="MEDIATION_15D",
        article="LDA Art 14",
        kind="calendar",
        start=d("2026-09-20"),
        days=15,
        months=0,
        provisional=False,
    )


def test_acceptance_ending_in_spring_festival_rolls_past_it(cal, strict):
    # 2026-02-12 + 5 = 02-17 (Spring Festival 02-15..23) -> first day after: Tuesday 02-24.
    assert cal.deadline(Period.ACCEPTANCE_5D, d("2026-02-12")).due == d("2026-02-24")
    assert strict.deadline("ACCEPTANCE_5D", d("2026-02-12")).due == d("2026-02-24")


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        ("2026-09-15", 5, "2026-09-20"),  # make-up Sunday before National Day
        ("2025-12-30", 5, "2026-01-04"),  # make-up Sunday after New Year
        ("2026-02-09", 5, "2026-02-14"),  # make-up Saturday before Spring Festival
        ("2026-02-13", 15, "2026-02-28"),  # make-up Saturday after Spring Festival
        ("2025-09-13", 15, "2025-09-28"),  # make-up Sunday, 2025
    ],
)
def test_a_deadline_on_a_make_up_day_stays(cal, strict, start, days, due):
    assert cal.add_calendar_days(d(start), days) == d(due)
    assert strict.add_calendar_days(d(start), days) == d(due)


def test_weekend_roll_forward_is_an_option(cal, strict):
    # 2026-09-08 + 5 = Sunday 09-13, an ordinary rest day.
    assert cal.add_calendar_days(d("2026-09-08"), 5) == d("2026-09-14")
    assert strict.add_calendar_days(d("2026-09-08"), 5) == d("2026-09-13")
    # 2026-09-14 + 5 = Saturday 09-19; Sunday 09-20 is a make-up working day, so it ends there.
    assert cal.add_calendar_days(d("2026-09-14"), 5) == d("2026-09-20")


def test_start_day_is_not_counted(cal):
    assert cal.add_calendar_days(d("2026-03-02"), 1) == d("2026-03-03")
    assert cal.add_calendar_days(d("2026-03-02"), 0) == d("2026-03-02")


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # 08-20 + 11 = 08-31, + 30 = 09-30, + 4 = 10-04 (holiday to 10-08) -> Thursday 10-09.
        ("2025-08-20", "2025-10-09"),
        # 09-15 + 15 = 09-30, + 30 = 10-30 (Thursday): holidays inside a period do not extend it.
        ("2025-09-15", "2025-10-30"),
    ],
)
def test_award_45_days_spanning_national_day(cal, start, due):
    deadline = cal.deadline(Period.AWARD_45D, d(start))
    assert (deadline.due, deadline.article, deadline.days) == (d(due), "LDA Art 43", 45)


def test_award_extension_15_days(cal):
    # 2025-10-09 + 15 = Friday 10-24.
    assert cal.deadline(Period.AWARD_EXTENSION_15D, d("2025-10-09")).due == d("2025-10-24")


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # From Wed 09-30: 10-01..07 off; 10-08 (1), 10-09 (2), make-up Sat 10-10 (3),
        # 10-12 (4), 10-13 (5).
        ("2026-09-30", "2026-10-13"),
        # From Thu 02-12: 02-13 (1), make-up Sat 02-14 (2), 02-15..23 off, 02-24 (3),
        # 02-25 (4), 02-26 (5).
        ("2026-02-12", "2026-02-26"),
    ],
)
def test_inspection_acceptance_5_working_days_across_a_holiday(cal, start, due):
    deadline = cal.deadline(Period.INSPECTION_ACCEPT_5WD, d(start))
    assert (deadline.due, deadline.kind, deadline.days) == (d(due), "working", 5)


def test_inspection_investigation_60_plus_30_working_days(cal):
    # From Mon 2025-09-01: September gives 20 WD up to make-up Sun 09-28, 22 by 09-30;
    # 10-01..08 off; 10-09, 10-10, make-up Sat 10-11 -> 25; five full weeks from 10-13
    # -> 50 by 11-14; 11-17..21 -> 55; 11-24..28 -> 60: Friday 2025-11-28.
    investigation = cal.deadline(Period.INSPECTION_INVESTIGATE_60WD, d("2025-09-01"))
    assert investigation.due == d("2025-11-28")
    assert investigation.article == "Ordinance Art 17"
    # Extension from 11-28: December gives 23 WD (12-01..31); 2026-01-01..03 off; make-up Sun 01-04
    # (24); 01-05..09 (29); Monday 01-12 (30).
    assert cal.deadline(Period.INSPECTION_EXTEND_30WD, d("2025-11-28")).due == d("2026-01-12")


def test_working_days_never_land_on_rest_days(cal):
    start = d("2025-01-01")
    for n in range(1, 120):
        assert cal.is_workday(cal.add_working_days(start, n))
    assert cal.add_working_days(start, 0) == start


@pytest.mark.parametrize(
    ("rule", "start", "due"),
    [
        ("LIMITATION_1Y", "2025-02-28", "2026-02-28"),  # corresponding day is a make-up Saturday
        ("LIMITATION_1Y", "2024-02-29", "2025-02-28"),  # no 02-29 in 2025: month end (民法典 202)
        ("LIMITATION_1Y", "2025-10-01", "2026-10-08"),  # 2026-10-01 is National Day: roll
        ("ENFORCEMENT_2Y", "2024-02-29", "2026-02-28"),  # month end, a make-up Saturday
        ("ENFORCEMENT_2Y", "2024-01-31", "2026-02-02"),  # Sat 2026-01-31 -> Monday
    ],
)
def test_year_periods(cal, rule, start, due):
    deadline = cal.deadline(rule, d(start))
    assert deadline.due == d(due)
    assert deadline.months in (12, 24) and deadline.days == 0


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        ("2025-01-31", 1, "2025-02-28"),  # Friday, month end
        ("2024-01-31", 1, "2024-02-29"),  # leap year month end, a Thursday
        ("2026-01-31", 1, "2026-02-28"),  # month end is a make-up Saturday: stays
        ("2025-01-31", 3, "2025-04-30"),  # Wednesday
        ("2025-12-31", 2, "2026-02-28"),  # across the year end
        ("2025-03-31", 6, "2025-09-30"),  # Tuesday
        ("2026-04-30", 1, "2026-06-01"),  # 05-30 Sat, 05-31 Sun -> Monday
        ("2025-01-15", 12, "2026-01-15"),  # corresponding day, Thursday
    ],
)
def test_add_months(cal, start, months, due):
    assert cal.add_months(d(start), months) == d(due)


def test_add_years(cal):
    assert cal.add_years(d("2024-02-29"), 1) == d("2025-02-28")
    assert cal.add_years(d("2024-02-29"), 2) == d("2026-02-28")


@pytest.mark.parametrize(
    ("hearing", "latest_notice"),
    [
        ("2026-10-12", "2026-09-30"),  # 10-07 is a holiday: move back past 10-01..07 to Wed 09-30
        ("2026-09-24", "2026-09-18"),  # 09-19 is a plain Saturday: back to Friday
        ("2026-09-25", "2026-09-20"),  # 09-20 is a make-up Sunday: a working day, it stays
    ],
)
def test_hearing_notice_is_counted_back_from_the_hearing(cal, hearing, latest_notice):
    deadline = cal.deadline(Period.HEARING_NOTICE_5D, d(hearing))
    assert deadline.due == d(latest_notice)
    assert (d(hearing) - deadline.due).days >= 5


def test_years_beyond_the_package_fall_back_to_weekends(cal):
    assert cal.has_official_data(2004) and cal.has_official_data(2026)
    assert not cal.has_official_data(2003)
    assert not cal.has_official_data(2099)
    # 2099-01-01 is a Thursday; with no notice it is treated as a working day.
    assert cal.add_calendar_days(d("2098-12-27"), 5) == d("2099-01-01")
    assert cal.add_calendar_days(d("2098-12-29"), 5) == d("2099-01-05")  # Sat 01-03 -> Mon
    deadline = cal.deadline(Period.INSPECTION_ACCEPT_5WD, d("2099-01-02"))
    assert (deadline.due, deadline.provisional) == (d("2099-01-09"), True)


def test_an_operator_notice_covers_a_new_year():
    notices = {"2099": {"holidays": ["2099-01-01..2099-01-03"], "workdays": ["2099-01-04"]}}
    cal = LegalCalendar.from_mapping(notices)
    assert cal.has_official_data(2099)
    # 01-01 holiday, 01-02 and 01-03 too; Sunday 01-04 is the make-up working day: it stays.
    assert cal.add_calendar_days(d("2098-12-27"), 5) == d("2099-01-04")
    # 5 WD from Fri 01-02: make-up Sun 01-04 (1), 01-05 (2) .. 01-08 (5).
    deadline = cal.deadline(Period.INSPECTION_ACCEPT_5WD, d("2099-01-02"))
    assert (deadline.due, deadline.provisional) == (d("2099-01-08"), False)


def test_a_notice_overrides_the_package_for_a_covered_year():
    extra_holiday = LegalCalendar(notices=[HolidayNotice(2026, holidays=frozenset({d("2026-03-02")}))])
    assert extra_holiday.add_calendar_days(d("2026-02-25"), 5) == d("2026-03-03")
    corrected = LegalCalendar(notices=[HolidayNotice(2026, workdays=frozenset({d("2026-10-07")}))])
    assert corrected.deadline(Period.MEDIATION_15D, d("2026-09-20")).due == d("2026-10-07")


def test_deadline_across_a_year_end_is_provisional_only_without_data():
    start = d("2026-12-20")
    plain = LegalCalendar().deadline(Period.MEDIATION_15D, start)
    assert plain.provisional is (2027 not in PACKAGE_YEARS)
    noticed = LegalCalendar.from_mapping({2027: {"holidays": ["2027-01-01"]}})
    assert noticed.deadline(Period.MEDIATION_15D, start).provisional is False


def test_notice_validation():
    with pytest.raises(ValueError):
        HolidayNotice(2099, holidays=frozenset({d("2099-01-01")}), workdays=frozenset({d("2099-01-01")}))
    with pytest.raises(ValueError):
        LegalCalendar.from_mapping({2099: {"holidays": ["2099-01-01"]}, 2098: {"workdays": ["2099-01-01"]}})
    with pytest.raises(ValueError):
        HolidayNotice.from_dict(2099, {"holidays": ["2099-13-01"]})
    assert HolidayNotice.from_dict("2099", {"holidays": ["2099-01-30..2099-02-02"]}).holidays == frozenset(
        days_between("2099-01-30", "2099-02-02")
    )


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_period_lengths_must_be_whole_and_non_negative(cal, bad):
    with pytest.raises(ValueError):
        cal.add_calendar_days(d("2026-03-02"), bad)
    with pytest.raises(ValueError):
        cal.add_working_days(d("2026-03-02"), bad)


def test_datetimes_are_refused(cal):
    with pytest.raises(TypeError):
        cal.add_calendar_days(datetime(2026, 3, 2, 23, 30), 5)


def test_period_catalogue():
    assert len(Period) == 21
    assert len({rule.name for rule in Period}) == len({rule.value for rule in Period}) == 21
    for rule in Period:
        assert rule.article and rule.kind in ("calendar", "working")
        assert (rule.days > 0) != (rule.months > 0), rule.name
    assert Period["ACCEPTANCE_5D"].article == "LDA Art 29"
    assert (Period.SERVE_COPY_5D.article, Period.DEFENCE_10D.days) == ("LDA Art 30", 10)
    assert (Period.SET_ASIDE_30D.days, Period.JUDICIAL_CONFIRM_30D.article) == (
        30,
        "民诉法 Art 205",
    )
    assert Period.INSPECTION_INVESTIGATE_60WD.kind == "working"
    assert Period.ENFORCEMENT_2Y.months == 24


def test_remaining_days_and_clock_status(cal):
    deadline = cal.deadline(Period.MEDIATION_15D, d("2026-09-20"))  # due 2026-10-08
    assert remaining_days(deadline, d("2026-10-01")) == 7
    assert clock_status(deadline, d("2026-10-01")) == "ok"
    assert clock_status(deadline, d("2026-10-01"), warn_days=7) == "due_soon"
    assert clock_status(deadline, d("2026-10-05"), 3) == "due_soon"
    assert clock_status(deadline, d("2026-10-08")) == "due_today"
    assert remaining_days(deadline, d("2026-10-09")) == -1
    assert clock_status(deadline, d("2026-10-09")) == "overdue"
    assert clock_status(d("2026-10-08"), d("2026-10-04")) == "ok"


def test_default_calendar_is_shared():
    assert default_calendar() is default_calendar()
    assert default_calendar().roll_weekends is True
