"""Checking a year's holiday schedule as the State Council's notice gives it (pure rules).

The notice (国务院办公厅关于部分节假日安排的通知) lists, per festival, the days off (放假, which may
fall on weekdays or weekends) and the make-up working days (调休上班). What the calendar needs
from it, and what an operator must get right when typing it in:
- every listed day lies in the notice's year;
- a day off names its festival (元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 …);
- a make-up working day is a Saturday or Sunday (a weekday is a working day anyway);
- no day is listed twice (in particular not both off and a working day);
- the notice has at least one day off.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from labornet_common.contracts.calendar import ScheduleDay
from labornet_common.reference.calendar import HolidayNotice

FIRST_YEAR, LAST_YEAR = 2004, 2100  # the shipped data starts with 2004's notice
SATURDAY = 5

MESSAGES: dict[str, tuple[str, str]] = {
    "calendar.year_out_of_range": ("年份超出可录入范围（2004—2100）", "The year must lie between 2004 and 2100"),
    "calendar.day_outside_year": ("该日期不在本通知的年份内", "This day does not lie in the schedule's year"),
    "calendar.festival_required": ("放假日须注明节日名称", "A day off must name its festival"),
    "calendar.workday_not_weekend": (
        "调休上班日须为星期六或星期日",
        "A make-up working day must be a Saturday or Sunday",
    ),
    "calendar.day_listed_twice": (
        "同一日期重复列出（不能既放假又上班）",
        "This day is listed twice (it cannot be both off and a working day)",
    ),
    "calendar.no_holidays": ("通知中至少应有一个放假日", "The schedule must list at least one day off"),
}


def schedule_errors(year: int, days: Sequence[ScheduleDay]) -> list[tuple[str, str]]:
    """``(field, code)`` for every rule the schedule breaks; empty when it may be entered."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return [("year", "calendar.year_out_of_range")]
    errors: list[tuple[str, str]] = []
    seen: set[date] = set()
    for index, day in enumerate(days):
        errors.extend((f"days.{index}.{name}", code) for name, code in _day_errors(year, day, seen))
        seen.add(day.date)
    if not any(day.kind == "holiday" for day in days):
        errors.append(("days", "calendar.no_holidays"))
    return errors


def _day_errors(year: int, day: ScheduleDay, seen: set[date]) -> list[tuple[str, str]]:
    if day.date.year != year:
        return [("date", "calendar.day_outside_year")]
    if day.date in seen:
        return [("date", "calendar.day_listed_twice")]
    if day.kind == "holiday" and not day.festival.strip():
        return [("festival", "calendar.festival_required")]
    if day.kind == "workday" and day.date.weekday() < SATURDAY:
        return [("date", "calendar.workday_not_weekend")]
    return []


def notice_of(year: int, days: Sequence[ScheduleDay]) -> HolidayNotice:
    return HolidayNotice(
        year=year,
        holidays=frozenset(d.date for d in days if d.kind == "holiday"),
        workdays=frozenset(d.date for d in days if d.kind == "workday"),
    )
