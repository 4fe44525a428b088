"""Reference events (topic reference.calendar.v1): the State Council's holiday schedule for one
year (国务院办公厅关于部分节假日安排的通知), entered by an administrator at the gateway.

Each year is its own stream (``calendar-2027``); a correction is a later version of the same
stream, so every service applies the versions of a year in order and keeps the latest.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import CALENDAR

DayKind = Literal["holiday", "workday"]  # 放假 | 调休上班 (a make-up working day)


def calendar_stream(year: int) -> str:
    return f"calendar-{year}"


class ScheduleDay(BaseModel):
    date: date
    kind: DayKind
    festival: str = Field(default="", max_length=40, description="节日名称, e.g. 春节")


class HolidayScheduleEntered(EventData, type="cn.labornet.calendar.schedule.entered.v1", topic=CALENDAR):
    """A year's holiday schedule, or a correction of it (a higher version replaces a lower)."""

    year: int
    version: int = Field(ge=1)
    notice: str = Field(default="", max_length=200, description="the notice's document number")
    days: list[ScheduleDay]
    entered_by: str
    entered_at: datetime
