"""A made-up 2027 holiday schedule for tests, and helpers to send it as the gateway would.

TEST DATA, NOT THE STATE COUNCIL'S NOTICE: the 2027 notice is not published in the installed
``chinesecalendar`` (1.11.0 ends with 2026). The days below follow the usual pattern (元旦 three
days, 春节 eight days from 除夕 with two make-up weekend days) so the rules can be checked with real
holidays and make-up working days; replace nothing in production with them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from labornet_common.contracts.calendar import HolidayScheduleEntered, ScheduleDay, calendar_stream
from labornet_common.platform.live_calendar import live_calendar

TEST_2027_NOTICE = "测试用 2027 年节假日安排（非国务院正式通知）"


def _span(first: str, last: str, festival: str) -> list[ScheduleDay]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [
        ScheduleDay(date=start + timedelta(days=i), kind="holiday", festival=festival)
        for i in range((end - start).days + 1)
    ]


TEST_2027_DAYS: list[ScheduleDay] = [
    *_span("2027-01-01", "2027-01-03", "元旦"),  # Fri..Sun
    *_span("2027-02-05", "2027-02-12", "春节"),  # Fri (除夕) .. Fri
    ScheduleDay(date=date(2027, 1, 31), kind="workday", festival="春节"),  # Sunday, worked
    ScheduleDay(date=date(2027, 2, 20), kind="workday", festival="春节"),  # Saturday, worked
]


def schedule_body_2027() -> dict[str, Any]:
    """The PUT body an administrator would send for the test schedule."""
    return {"notice": TEST_2027_NOTICE, "days": [d.model_dump(mode="json") for d in TEST_2027_DAYS]}


def schedule_event(
    *, year: int = 2027, version: int = 1, days: list[ScheduleDay] | None = None
) -> HolidayScheduleEntered:
    return HolidayScheduleEntered(
        year=year,
        version=version,
        notice=TEST_2027_NOTICE,
        days=TEST_2027_DAYS if days is None else days,
        entered_by="demo:admin",
        entered_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
    )


def stream_of(year: int = 2027) -> str:
    return calendar_stream(year)


@contextmanager
def restored_live_calendar() -> Iterator[None]:
    """Leave the process-wide calendar as it was (no entered schedules) after a test."""
    live_calendar().install([])
    try:
        yield
    finally:
        live_calendar().install([])
