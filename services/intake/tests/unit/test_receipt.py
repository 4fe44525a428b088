"""The clerk's record of receipt: what may be declared, and limitation (LDA Art. 27) assessed on
the day the complaint arrived rather than the day it was typed in, across the 2026 holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.reference.calendar import default_calendar
from labornet_intake.domain import receipt
from labornet_intake.domain.limitation import assess
from labornet_intake.domain.model import Complaint

CALENDAR = default_calendar()
TYPED = datetime(2026, 10, 9, 2, 30, tzinfo=UTC)  # Friday 2026-10-09, 10:30 in China
RECEIVED = datetime(2026, 9, 28, 0, 0, tzinfo=receipt.CHINA)  # Monday 2026-09-28 at the window


def test_a_date_means_that_day_in_china_and_a_time_needs_its_offset() -> None:
    assert receipt.parse_moment("2026-09-28") == RECEIVED
    assert receipt.parse_moment(date(2026, 9, 28)) == RECEIVED
    assert receipt.parse_moment("2026-09-28T10:00:00+08:00") == datetime(2026, 9, 28, 2, 0, tzinfo=UTC)
    assert receipt.parse_moment("2026-09-28T02:00:00Z") == datetime(2026, 9, 28, 2, 0, tzinfo=UTC)
    assert receipt.parse_moment(None) is None and receipt.parse_moment("  ") is None
    with pytest.raises(receipt.ReceiptError) as naive:
        receipt.parse_moment("2026-09-28T10:00:00")
    assert naive.value.code == "received_at.offset_required" and "时区" in naive.value.message_zh
    with pytest.raises(receipt.ReceiptError) as garbled:
        receipt.parse_moment("28/09/2026")
    assert garbled.value.code == "received_at.format"


@pytest.mark.parametrize("channel", ["window", "hotline_12333", "police_110", "referral"])
def test_staff_channels_may_declare_a_past_receipt(channel: str) -> None:
    assert receipt.problems(channel=channel, received_at=RECEIVED, now=TYPED) == []


def test_online_filings_are_received_when_submitted() -> None:
    assert receipt.problems(channel="online", received_at=RECEIVED, now=TYPED) == [
        ("received_at", "received_at.online")
    ]
    assert receipt.problems(channel="online", received_at=None, now=TYPED) == []


def test_a_receipt_in_the_future_is_refused_even_later_the_same_day() -> None:
    later_today = TYPED + timedelta(minutes=1)
    assert receipt.problems(channel="window", received_at=later_today, now=TYPED) == [
        ("received_at", "received_at.future")
    ]
    assert receipt.problems(channel="window", received_at=TYPED, now=TYPED) == []


def test_thirty_days_back_is_the_bound_counted_in_china_days() -> None:
    # Typed 2026-10-09 (China): 2026-09-09 is 30 days back, 2026-09-08 is 31.
    on_bound = datetime(2026, 9, 9, 0, 0, tzinfo=receipt.CHINA)
    assert receipt.problems(channel="window", received_at=on_bound, now=TYPED) == []
    assert receipt.problems(channel="window", received_at=on_bound - timedelta(seconds=1), now=TYPED) == [
        ("received_at", "received_at.too_old")
    ]
    wrong_year = RECEIVED.replace(year=2025)  # the slip the bound is for
    assert receipt.problems(channel="window", received_at=wrong_year, now=TYPED)[0][1] == "received_at.too_old"


WAGES = ClaimSummary(category="labor_remuneration", period_from=date(2025, 7, 1), period_to=date(2025, 9, 30))


@pytest.mark.parametrize(
    ("ended", "expired_on"),
    [
        (date(2025, 9, 30), "2026年09月30日"),  # a plain Wednesday between the two dates
        (date(2025, 10, 2), "2026年10月08日"),  # 10-02 is in the National Day holiday: rolls to 10-08
    ],
)
def test_a_year_ending_between_receipt_and_typing_is_not_flagged(ended: date, expired_on: str) -> None:
    # LDA Art. 27 para 4: wages, once the employment ended, within a year of its end.
    on_receipt = assess([WAGES], employment_ended_on=ended, received_on=date(2026, 9, 28), calendar=CALENDAR)
    on_typing = assess([WAGES], employment_ended_on=ended, received_on=date(2026, 10, 9), calendar=CALENDAR)
    assert on_receipt.warning is False
    assert on_typing.warning is True and expired_on in on_typing.reason


def test_a_year_ending_on_a_make_up_saturday_does_not_roll() -> None:
    # 2026-10-10 is a Saturday made a working day (调休): the year from 2025-10-10 ends on it.
    flag = assess([WAGES], employment_ended_on=date(2025, 10, 10), received_on=date(2026, 10, 12), calendar=CALENDAR)
    assert flag.warning is True and "2026年10月10日" in flag.reason
    assert not assess(
        [WAGES], employment_ended_on=date(2025, 10, 10), received_on=date(2026, 10, 10), calendar=CALENDAR
    ).warning


def _filed(**extra: object) -> Complaint:
    return Complaint.file(
        received_at=RECEIVED,
        access_code_hash="",
        channel="window",
        workplace_division="410311007",
        worker_name="王师傅",
        employer_name="洛阳某建筑工程有限公司",
        facts="工资未发放",
        claims=[WAGES],
        **extra,
    )


def test_the_events_carry_the_receipt_and_the_history_shows_both_moments() -> None:
    complaint = _filed(registered_at=TYPED, filed_by="demo:clerk.luoyang")
    (received,) = complaint.pull_events()
    assert received.data.received_at == RECEIVED
    assert complaint.pull_notes()[1] == "收件时间：2026年09月28日；录入时间：2026年10月09日 10:30"


def test_a_filing_typed_in_as_it_arrives_has_no_separate_receipt_line() -> None:
    complaint = _filed(registered_at=RECEIVED)
    assert len(complaint.pull_notes()) == 1
