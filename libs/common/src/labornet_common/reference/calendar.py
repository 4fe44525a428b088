"""The legal calendar behind every statutory deadline (domain-rules §0 and §1).

Counting rules:
- 民诉法 Art 85, applied to arbitration by Rules Art 19: the start day is not counted; when the
  last day is a 法定休假日, the period ends on the first day after it.
- 民法典 Arts 201-203: a month or year period ends on the corresponding day of the last month,
  or that month's last day when it has none; then the same holiday rule.
- "日" means calendar days; 工作日 periods count working days only.

Day kinds come from the State Council's annual holiday notice, through the ``chinesecalendar``
package (2004-2026 in 1.11). Operators can enter a later (or corrected) notice as a
``HolidayNotice``; for a year with neither, weekends are the only rest days and deadlines
touching that year are marked ``provisional``.

Weekends: Art 85 names only 法定休假日. By default (``roll_weekends=True``) a deadline that
ends on a Saturday or Sunday also moves to the next working day, as court practice is
understood to do; this is unconfirmed (domain-rules §8.3), hence the switch. A 调休 make-up
working day is never a rest day, whichever way the switch is set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from typing import Literal, TypeVar

import chinese_calendar

# The year keying a notice in settings: "2027" from JSON, 2027 from Python.
NoticeYear = TypeVar("NoticeYear", str, int)

Kind = Literal["calendar", "working"]
ClockStatus = Literal["ok", "due_soon", "due_today", "overdue"]
_ONE_DAY = timedelta(days=1)
# Years whose State Council notice is in the installed chinesecalendar package.
PACKAGE_YEARS = frozenset(day.year for day in chinese_calendar.holidays)


class Period(Enum):
    """Statutory periods. Persist a rule by its member name (``Period["AWARD_45D"]``)."""

    article: str
    kind: Kind
    days: int  # calendar or working days, by kind
    months: int  # month and year periods (民法典 Arts 201-203)
    before: bool  # counted back from the event (a notice due before a hearing)

    # LDA Art 14: a mediation organisation has 15 days to reach an agreement
    MEDIATION_15D = ("LDA Art 14", "calendar", 15)
    # Rules Art 29: a one-time list of missing items, on the spot or within 5 days of receipt
    CORRECTION_NOTICE_5D = ("Rules Art 29", "calendar", 5)
    # LDA Art 29: decide on acceptance within 5 days of receiving the application
    ACCEPTANCE_5D = ("LDA Art 29", "calendar", 5)
    # LDA Art 30: serve a copy of the application on the respondent within 5 days of acceptance
    SERVE_COPY_5D = ("LDA Art 30", "calendar", 5)
    # LDA Art 30: the respondent defends within 10 days of receiving the copy
    DEFENCE_10D = ("LDA Art 30", "calendar", 10)
    # LDA Art 32: tell the parties who sits on the tribunal within 5 days of acceptance
    TRIBUNAL_NOTICE_5D = ("LDA Art 32", "calendar", 5)
    # LDA Art 35: notify the hearing at least 5 days before it (counted back from the hearing)
    HEARING_NOTICE_5D = ("LDA Art 35", "calendar", 5, 0, True)
    # LDA Art 43: award within 45 days of acceptance
    AWARD_45D = ("LDA Art 43", "calendar", 45)
    # LDA Art 43: the chair may extend by at most 15 days, with written notice
    AWARD_EXTENSION_15D = ("LDA Art 43", "calendar", 15)
    # LDA Art 48: the worker may sue on a final award within 15 days of receiving it
    FINAL_AWARD_SUIT_15D = ("LDA Art 48", "calendar", 15)
    # LDA Art 49: the employer may apply to set a final award aside within 30 days of receipt
    SET_ASIDE_30D = ("LDA Art 49", "calendar", 30)
    # LDA Art 50: a party may sue on a non-final award within 15 days of receipt
    NONFINAL_SUIT_15D = ("LDA Art 50", "calendar", 15)
    # Rules ch. 4 §2: arbitral review of a mediation agreement within 15 days
    ARB_REVIEW_15D = ("Rules ch. 4 §2", "calendar", 15)
    # 民诉法 Art 205: apply for judicial confirmation within 30 days of the agreement taking effect
    JUDICIAL_CONFIRM_30D = ("民诉法 Art 205", "calendar", 30)
    # 若干规定 Art 18: decide whether to accept an inspection complaint within 5 working days
    INSPECTION_ACCEPT_5WD = ("若干规定 Art 18", "working", 5)
    # Ordinance Art 17: investigate within 60 working days of 立案
    INSPECTION_INVESTIGATE_60WD = ("Ordinance Art 17", "working", 60)
    # Ordinance Art 17: complex cases may be extended by at most 30 working days
    INSPECTION_EXTEND_30WD = ("Ordinance Art 17", "working", 30)
    # 人社部发〔2021〕65号: pay the wage deposit within 20 working days
    WAGE_DEPOSIT_20WD = ("人社部发〔2021〕65号", "working", 20)
    # LDA Art 27: one-year limitation period
    LIMITATION_1Y = ("LDA Art 27", "calendar", 0, 12)
    # Ordinance Art 20: violations undiscovered for 2 years are no longer pursued
    INSPECTION_LOOKBACK_2Y = ("Ordinance Art 20", "calendar", 0, 24)
    # 民诉法 Art 250: apply for enforcement within 2 years of the last day of performance
    ENFORCEMENT_2Y = ("民诉法 Art 250", "calendar", 0, 24)

    def __new__(cls, article: str, kind: Kind, days: int, months: int = 0, before: bool = False) -> Period:
        # Numbered values (the enum docs' AutoNumber recipe) keep rules of one article distinct.
        member = object.__new__(cls)
        member._value_ = len(cls.__members__) + 1
        member.article = article
        member.kind = kind
        member.days = days
        member.months = months
        member.before = before
        return member


@dataclass(frozen=True)
class Deadline:
    due: date
    rule: str  # the Period member name
    article: str
    kind: Kind
    start: date
    days: int  # length in calendar or working days; 0 for month and year periods
    months: int = 0
    provisional: bool = False  # touches a year without an official holiday notice


@dataclass(frozen=True)
class HolidayNotice:
    """One year's 国务院办公厅关于部分节假日安排的通知, entered by an operator."""

    year: int
    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()  # 调休 make-up working days

    def __post_init__(self) -> None:
        if self.holidays & self.workdays:
            raise ValueError("a day cannot be both a holiday and a make-up working day")

    @classmethod
    def from_dict(cls, year: int | str, data: Mapping[str, Iterable[str | date]]) -> HolidayNotice:
        """``{"holidays": ["2027-01-01", "2027-02-06..2027-02-12"], "workdays": [...]}``."""
        return cls(
            year=int(year),
            holidays=_parse_days(data.get("holidays", ())),
            workdays=_parse_days(data.get("workdays", ())),
        )


class LegalCalendar:
    def __init__(self, *, notices: Iterable[HolidayNotice] = (), roll_weekends: bool = True):
        notices = tuple(notices)
        self.roll_weekends = roll_weekends
        self._notice_years = frozenset(notice.year for notice in notices)
        self._holidays = frozenset().union(*(notice.holidays for notice in notices))
        self._workdays = frozenset().union(*(notice.workdays for notice in notices))
        if self._holidays & self._workdays:
            raise ValueError("the notices disagree on whether a day is a holiday")

    @classmethod
    def from_mapping(
        cls,
        overrides: Mapping[NoticeYear, Mapping[str, Iterable[str | date]]],
        *,
        roll_weekends: bool = True,
    ) -> LegalCalendar:
        """Build from settings: ``{"2027": {"holidays": [...], "workdays": [...]}}``."""
        notices = [HolidayNotice.from_dict(year, data) for year, data in overrides.items()]
        return cls(notices=notices, roll_weekends=roll_weekends)

    def has_official_data(self, year: int) -> bool:
        return year in PACKAGE_YEARS or year in self._notice_years

    def is_workday(self, day: date) -> bool:
        day = _as_date(day)
        if day in self._workdays:
            return True
        if day in self._holidays:
            return False
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5  # no notice for this year: weekends are the only rest days

    def is_public_holiday(self, day: date) -> bool:
        """A day of a notice's 放假 period: the 法定休假日 of 民诉法 Art 85 in its narrow sense."""
        day = _as_date(day)
        if day in self._workdays:
            return False
        return day in self._holidays or day in chinese_calendar.holidays

    def is_rest_day(self, day: date) -> bool:
        """A day on which a period may not end."""
        if self.roll_weekends:
            return not self.is_workday(day)
        return self.is_public_holiday(day)

    def roll_forward(self, day: date) -> date:
        # 民诉法 Art 85 / 民法典 Art 203: a last day that is a holiday moves to the day after it.
        while self.is_rest_day(day):
            day += _ONE_DAY
        return day

    def add_calendar_days(self, start: date, days: int) -> date:
        # 民诉法 Art 85: the start day is not counted.
        return self.roll_forward(_as_date(start) + timedelta(days=_length(days)))

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start``; make-up working days count."""
        day, remaining = _as_date(start), _length(days)
        while remaining:
            day += _ONE_DAY
            if self.is_workday(day):
                remaining -= 1
        return day

    def add_months(self, start: date, months: int) -> date:
        # 民法典 Arts 201-203: corresponding day, else the last day of that month; then roll.
        return self.roll_forward(_corresponding_day(_as_date(start), _length(months)))

    def add_years(self, start: date, years: int) -> date:
        return self.add_months(start, 12 * _length(years))

    def latest_before(self, event: date, days: int) -> date:
        """Last day to act when at least ``days`` days must pass before ``event`` (LDA Art 35).

        A rest day moves the answer earlier, never later, so the notice period is never cut.
        """
        day = _as_date(event) - timedelta(days=_length(days))
        while self.is_rest_day(day):
            day -= _ONE_DAY
        return day

    def deadline(self, rule: Period | str, start: date) -> Deadline:
        period = Period[rule] if isinstance(rule, str) else rule
        due = self._due(period, _as_date(start))
        years = range(min(start, due).year, max(start, due).year + 1)
        return Deadline(
            due=due,
            rule=period.name,
            article=period.article,
            kind=period.kind,
            start=start,
            days=period.days,
            months=period.months,
            provisional=not all(self.has_official_data(year) for year in years),
        )

    def _due(self, period: Period, start: date) -> date:
        if period.before:
            return self.latest_before(start, period.days)
        if period.months:
            return self.add_months(start, period.months)
        if period.kind == "working":
            return self.add_working_days(start, period.days)
        return self.add_calendar_days(start, period.days)


@lru_cache(maxsize=1)
def default_calendar() -> LegalCalendar:
    """The package's notices only, rolling weekends; services build their own from settings."""
    return LegalCalendar()


def remaining_days(deadline: Deadline | date, today: date) -> int:
    """Calendar days left: 0 on the due date (which runs to 24:00), negative once overdue."""
    due = deadline.due if isinstance(deadline, Deadline) else deadline
    return (_as_date(due) - _as_date(today)).days


def clock_status(deadline: Deadline | date, today: date, warn_days: int = 3) -> ClockStatus:
    left = remaining_days(deadline, today)
    if left < 0:
        return "overdue"
    if left == 0:
        return "due_today"
    return "due_soon" if left <= warn_days else "ok"


def _corresponding_day(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    return (first_of_next - _ONE_DAY).day


def _length(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("a period length must be a non-negative whole number")
    return value


def _as_date(value: date) -> date:
    # A datetime's calendar date depends on its time zone; make the caller pick the local date.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError("expected a datetime.date (the local date in Asia/Shanghai)")
    return value


def _parse_days(items: Iterable[str | date]) -> frozenset[date]:
    days: set[date] = set()
    for item in items:
        if isinstance(item, date):
            days.add(_as_date(item))
            continue
        first, _, last = item.partition("..")
        day, end = date.fromisoformat(first.strip()), date.fromisoformat((last or first).strip())
        while day <= end:
            days.add(day)
            day += _ONE_DAY
    return frozenset(days)
