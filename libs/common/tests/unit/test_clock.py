"""The platform clock: legal days are days in China."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from labornet_common.platform import clock


def test_a_moment_late_in_the_utc_evening_falls_on_the_next_day_in_china() -> None:
    assert clock.local_date(datetime(2026, 9, 30, 15, 59, tzinfo=UTC)) == date(2026, 9, 30)
    assert clock.local_date(datetime(2026, 9, 30, 16, 0, tzinfo=UTC)) == date(2026, 10, 1)  # 00:00 in Beijing
    assert clock.local_date(datetime(2026, 9, 30, 23, 30, tzinfo=UTC)) == date(2026, 10, 1)


def test_a_moment_in_another_zone_is_counted_on_china_s_calendar() -> None:
    new_york = timezone(timedelta(hours=-5))
    assert clock.local_date(datetime(2026, 1, 1, 12, 0, tzinfo=new_york)) == date(2026, 1, 2)  # 01:00 next day


def test_a_naive_moment_is_taken_as_utc() -> None:
    assert clock.local_date(datetime(2026, 9, 30, 16, 0)) == date(2026, 10, 1)


def test_china_keeps_one_offset_all_year() -> None:
    for month in (1, 7):
        assert clock.CHINA.utcoffset(datetime(2026, month, 1)) == timedelta(hours=8)


def test_today_in_china_is_the_local_date_of_now() -> None:
    before = clock.local_date(clock.utc_now())
    today = clock.china_today()
    after = clock.local_date(clock.utc_now())
    assert today in (before, after)
    assert clock.china_now().utcoffset() == timedelta(hours=8)
