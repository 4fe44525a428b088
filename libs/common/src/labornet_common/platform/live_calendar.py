"""The process-wide legal calendar: the shipped notices plus the holiday schedules entered later.

``default_calendar()`` is the shipped ``chinesecalendar`` data only and never changes. A service
that counts deadlines reads ``live_calendar()`` instead: one ``SharedCalendar`` per process whose
notices are replaced by ``install()`` when a schedule arrives (at start, from the service's own
database, and on each ``cn.labornet.calendar.schedule.entered.v1`` event).

Replacement is explicit and safe: ``install()`` builds a new immutable ``LegalCalendar`` and swaps
one reference, so every question (a whole ``deadline()`` computation included) is answered by
one consistent calendar, never by half of an old and half of a new one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import date

from labornet_common.reference.calendar import Deadline, HolidayNotice, LegalCalendar, NoticeYear, Period


class SharedCalendar(LegalCalendar):
    """A ``LegalCalendar`` whose entered notices can be replaced while the service runs."""

    def __init__(self, *, configured: Iterable[HolidayNotice] = (), roll_weekends: bool = True) -> None:
        self._configured = tuple(configured)  # from settings; an entered schedule of a year wins
        self._roll = roll_weekends
        self._entered: dict[int, HolidayNotice] = {}
        self._lock = threading.Lock()
        self._current = self._build(self._entered)

    @property
    def current(self) -> LegalCalendar:
        return self._current

    @property
    def roll_weekends(self) -> bool:  # type: ignore[override]
        return self._roll

    @property
    def entered_years(self) -> frozenset[int]:
        return frozenset(self._entered)

    def configure(self, *, configured: Iterable[HolidayNotice]) -> None:
        """Notices from settings (older deployments); entered schedules still take precedence."""
        with self._lock:
            self._configured = tuple(configured)
            self._current = self._build(self._entered)

    def preview(self, notices: Iterable[HolidayNotice]) -> LegalCalendar:
        """The calendar ``install(notices)`` would make, without installing it."""
        return self._build({n.year: n for n in notices})

    def install(self, notices: Iterable[HolidayNotice]) -> None:
        """Replace the entered notices (all of them: the latest version of every year)."""
        with self._lock:
            entered = {n.year: n for n in notices}
            self._current, self._entered = self._build(entered), entered

    def _build(self, entered: dict[int, HolidayNotice]) -> LegalCalendar:
        kept = [n for n in self._configured if n.year not in entered]
        return LegalCalendar(notices=[*kept, *entered.values()], roll_weekends=self._roll)

    # Every question goes to one snapshot of the current calendar.
    def has_official_data(self, year: int) -> bool:
        return self._current.has_official_data(year)

    def is_workday(self, day: date) -> bool:
        return self._current.is_workday(day)

    def is_public_holiday(self, day: date) -> bool:
        return self._current.is_public_holiday(day)

    def is_rest_day(self, day: date) -> bool:
        return self._current.is_rest_day(day)

    def roll_forward(self, day: date) -> date:
        return self._current.roll_forward(day)

    def add_calendar_days(self, start: date, days: int) -> date:
        return self._current.add_calendar_days(start, days)

    def add_working_days(self, start: date, days: int) -> date:
        return self._current.add_working_days(start, days)

    def add_months(self, start: date, months: int) -> date:
        return self._current.add_months(start, months)

    def add_years(self, start: date, years: int) -> date:
        return self._current.add_years(start, years)

    def latest_before(self, event: date, days: int) -> date:
        return self._current.latest_before(event, days)

    def deadline(self, rule: Period | str, start: date) -> Deadline:
        return self._current.deadline(rule, start)


_LIVE = SharedCalendar()


def live_calendar() -> SharedCalendar:
    """The process-wide calendar every deadline rule of a running service reads."""
    return _LIVE


def is_provisional(day: date | None, *, calendar: LegalCalendar | None = None) -> bool:
    """A deadline on ``day`` is provisional while its year has no official holiday notice."""
    return day is not None and not (calendar or _LIVE).has_official_data(day.year)


def live_calendar_with(configured: Mapping[NoticeYear, Mapping[str, Iterable[str | date]]]) -> SharedCalendar:
    """The process-wide calendar, with notices from settings (``{"2027": {"holidays": [...]}}``)
    under the entered schedules."""
    _LIVE.configure(configured=[HolidayNotice.from_dict(year, data) for year, data in configured.items()])
    return _LIVE
