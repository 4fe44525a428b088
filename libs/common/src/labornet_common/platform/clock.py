"""The platform's one clock: legal days are days in China, whatever the server's time zone.

A statutory period counts local calendar days (民诉法 Art. 85 counts days, and the day is the
day where the act took place), so an event at 23:30 UTC belongs to the next day in China. Every
service takes "today" and "the local date of a moment" from here. Pure: no I/O, no framework.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")  # UTC+8 all year (China keeps no daylight saving time)


def utc_now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return datetime.now(UTC)


def china_now() -> datetime:
    """The current instant on China's wall clock."""
    return datetime.now(CHINA)


def local_date(moment: datetime) -> date:
    """The calendar day in China on which ``moment`` falls (a naive moment is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(CHINA).date()


def china_today() -> date:
    """Today in China: statutory clocks run on local dates."""
    return china_now().date()
