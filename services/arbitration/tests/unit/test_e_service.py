"""Electronic service's rules: consent, the service date from the receipt (a day in China), retries,
and the award's periods counted from the receipt with the law's numbers across a holiday."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from labornet_arbitration.domain import clocks, e_service
from labornet_arbitration.domain.model import CaseRuleError
from labornet_common.reference.calendar import LegalCalendar


def test_consent_needs_a_channel_the_party_can_be_reached_on() -> None:
    assert e_service.consent(party="worker", channel="sms", email=None, phone_on_file="13812341234").address == (
        "13812341234"
    )
    assert e_service.consent(party="employer", channel="email", email="hr@example.com", phone_on_file=None).address == (
        "hr@example.com"
    )
    with pytest.raises(CaseRuleError) as no_phone:  # SMS only to the phone on file
        e_service.consent(party="employer", channel="sms", email=None, phone_on_file=None)
    assert no_phone.value.field == "channel"
    for bad in (None, "", "hr@", "hr example.com", "@example.com"):
        with pytest.raises(CaseRuleError) as invalid:
            e_service.consent(party="worker", channel="email", email=bad, phone_on_file="13812341234")
        assert invalid.value.field == "email"
    with pytest.raises(CaseRuleError):  # an SMS consent takes no e-mail address
        e_service.consent(party="worker", channel="sms", email="a@example.com", phone_on_file="13812341234")


def test_service_date_is_the_day_of_receipt_in_china() -> None:
    assert e_service.service_date(datetime(2026, 9, 19, 15, 59, tzinfo=UTC)) == date(2026, 9, 19)
    assert e_service.service_date(datetime(2026, 9, 19, 16, 0, tzinfo=UTC)) == date(2026, 9, 20)  # 00:00 Beijing


def test_retries_double_then_fall_back() -> None:
    now = datetime(2026, 9, 20, tzinfo=UTC)
    assert e_service.next_attempt_at(1, now, max_attempts=3, backoff_s=30) == now + timedelta(seconds=30)
    assert e_service.next_attempt_at(2, now, max_attempts=3, backoff_s=30) == now + timedelta(seconds=60)
    assert e_service.next_attempt_at(3, now, max_attempts=3, backoff_s=30) is None


def test_a_partys_service_day_is_its_first_receipt_or_manual_service() -> None:
    sms = {"status": "received", "received_at": datetime(2026, 9, 20, 2, 0, tzinfo=UTC)}
    late_night = {"status": "received", "received_at": datetime(2026, 9, 18, 17, 0, tzinfo=UTC)}  # 09-19 01:00
    assert e_service.party_served_on([sms]) == date(2026, 9, 20)
    assert e_service.party_served_on([sms, late_night]) == date(2026, 9, 19)  # the first receipt counts
    assert e_service.party_served_on([{"status": "sent", "received_at": None}]) is None
    assert e_service.party_served_on([{"status": "failed", "received_at": None}]) is None
    manual = {"status": "manual", "received_at": None, "served_on": date(2026, 9, 22)}
    assert e_service.party_served_on([manual, {"status": "failed", "received_at": None}]) == date(2026, 9, 22)
    assert e_service.party_served_on([]) is None


def test_periods_from_the_receipt_across_national_day() -> None:
    """Received 2026-09-20: LDA Art. 48 / 50 fifteen days end 10-05, a holiday (10-01..10-07), so the
    period ends 10-08 (民诉法 Art. 85); LDA Art. 49 thirty days end 10-20 (a Tuesday)."""
    calendar = LegalCalendar()
    received = e_service.service_date(datetime(2026, 9, 20, 2, 0, tzinfo=UTC))
    assert clocks.final_suit_due(calendar, received) == date(2026, 10, 8)
    assert clocks.nonfinal_suit_due(calendar, received) == date(2026, 10, 8)
    assert clocks.set_aside_due(calendar, received) == date(2026, 10, 20)
    # One day later by the receipt, one day later by the law (10-06 -> still 10-08; 10-21).
    assert clocks.set_aside_due(calendar, received + timedelta(days=1)) == date(2026, 10, 21)


def test_the_app_is_the_workers_channel_addressed_by_the_case() -> None:
    given = e_service.consent(party="worker", channel="app", email=None, phone_on_file=None, app_case_id="case-1")
    assert (given.channel, given.address) == ("app", "case-1")
    for party, email in (("employer", None), ("worker", "a@example.com")):
        with pytest.raises(CaseRuleError):
            e_service.consent(party=party, channel="app", email=email, phone_on_file=None, app_case_id="case-1")
