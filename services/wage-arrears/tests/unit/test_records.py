"""Orders to pay, incidents and the blacklist rule (人社部令第45号 Art. 5), with the law's numbers;
alerts whose pattern stops holding (pure domain)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from labornet_common.contracts.wage_arrears import AlertUpdated
from labornet_common.platform.clock import local_date
from labornet_common.testing.wage_arrears_support import (
    T0,
    closed,
    complaint,
    incident,
    order,
    paid,
    record_key,
    served,
    wages,
)
from labornet_wage_arrears.domain.engine import MemoryEngine
from labornet_wage_arrears.domain.records import Order

AUG1, OCT31 = date(2026, 8, 1), date(2026, 10, 31)
# The order's limit is 2026-11-30: it is overdue from 00:00 on 1 December, China time.
LAST_DAY_NOON = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 12:00 in 北京
LAST_MINUTE = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 in 北京
FIRST_OVERDUE = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 00:00, 1 December, in 北京


def run(*events, at: datetime = T0, later: datetime | None = None) -> MemoryEngine:
    engine = MemoryEngine()
    for i, event in enumerate(events):
        engine.handle(record_key(event), event, at + timedelta(minutes=i))
    if later is not None:
        engine.tick(later)
    return engine


def rules(engine: MemoryEngine) -> dict[str, object]:
    return {a.rule: a for a in engine.alerts.values() if a.holds}


def crime_case(amount: int = 500_000):
    # One worker, three whole months, the Art. 3(一) floor of 5,000 yuan.
    return complaint("c1", claims=[wages(amount, AUG1, OCT31)])


def test_the_limit_ends_at_midnight_china_time() -> None:
    o = Order(order_id="o", issued_on="2026-11-16", due_on="2026-11-30", served_on="2026-11-17", amount_fen=1)
    assert local_date(LAST_MINUTE) == date(2026, 11, 30) and not o.lapsed(local_date(LAST_MINUTE))
    assert local_date(FIRST_OVERDUE) == date(2026, 12, 1) and o.lapsed(local_date(FIRST_OVERDUE))
    assert o.lapses_on == date(2026, 12, 1)


@pytest.mark.parametrize(("later", "fires"), [(LAST_DAY_NOON, False), (LAST_MINUTE, False), (FIRST_OVERDUE, True)])
def test_blacklist_once_a_served_order_is_unpaid_past_its_limit(later: datetime, fires: bool) -> None:
    engine = run(crime_case(), order("o1", amount_fen=500_000, case_ids=["c1"]), served("o1"), later=later)
    assert ("blacklist_eligible" in rules(engine)) is fires
    if fires:
        alert = rules(engine)["blacklist_eligible"]
        assert alert.severity == "red" and alert.action == "list:blacklist" and "第45号" in alert.source
        assert "逾期未支付5,000.00元" in alert.summary_zh and "（一）" in alert.summary_zh
        assert alert.case_ids == ["c1"] and alert.basis["orders_lapsed"][0]["order_id"] == "o1"


@pytest.mark.parametrize(("amount", "fires"), [(499_999, False), (500_000, True), (500_001, True)])
def test_ground_one_needs_the_crime_amount(amount: int, fires: bool) -> None:
    # Art. 5(一) reads the 拒不支付劳动报酬罪 figure: here the Art. 3(一) floor, one fen either side.
    engine = run(crime_case(amount), order("o1", amount_fen=amount), served("o1"), later=FIRST_OVERDUE)
    assert ("blacklist_eligible" in rules(engine)) is fires


@pytest.mark.parametrize(
    ("workers", "unpaid", "fires"),
    [
        (10, 2_999_999, False),
        (10, 3_000_000, True),
        (9, 5_000_000, False),
        (12, 3_000_001, True),
    ],
)
def test_ground_one_from_the_orders_own_figures(workers: int, unpaid: int, fires: bool) -> None:
    # Art. 3(二): ten or more workers owed 30,000 yuan in total; no case needed for the order's own figures.
    engine = run(order("o1", amount_fen=unpaid, workers=workers), served("o1"), later=FIRST_OVERDUE)
    assert ("blacklist_eligible" in rules(engine)) is fires
    if fires:
        profile = next(iter(engine.profiles.values()))
        assert profile.cases == 0 and profile.orders_unpaid_fen == unpaid


def test_an_unserved_order_never_counts() -> None:
    engine = run(crime_case(), order("o1", amount_fen=500_000), later=FIRST_OVERDUE + timedelta(days=30))
    assert "blacklist_eligible" not in rules(engine)


def test_paid_in_full_by_the_limit_is_not_listed_and_partly_paid_is() -> None:
    full = run(crime_case(), order("o1", amount_fen=500_000), served("o1"), paid("o1", 500_000), later=FIRST_OVERDUE)
    assert "blacklist_eligible" not in rules(full)
    part = run(crime_case(), order("o1", amount_fen=500_000), served("o1"), paid("o1", 300_000), later=FIRST_OVERDUE)
    assert rules(part)["blacklist_eligible"].amount_fen == 200_000


@pytest.mark.parametrize(("serious", "fires"), [(False, False), (True, True)])
def test_ground_two_a_mass_incident_with_serious_impact(serious: bool, fires: bool) -> None:
    # Art. 5(二): no crime amount, but a mass incident with a serious adverse social impact.
    events = [
        complaint("c1", claims=[wages(100_000)]),
        order("o1", amount_fen=100_000),
        served("o1"),
        incident("i1", serious=serious),
    ]
    engine = run(*events, later=FIRST_OVERDUE)
    assert ("blacklist_eligible" in rules(engine)) is fires
    if fires:
        assert "（二）" in rules(engine)["blacklist_eligible"].summary_zh
        assert next(p for s, p in engine.profiles.items() if not s.project_key).incidents == 1


def test_paying_after_listing_was_recommended_lapses_the_alert() -> None:
    engine = run(crime_case(), order("o1", amount_fen=500_000), served("o1"), later=FIRST_OVERDUE)
    alert = rules(engine)["blacklist_eligible"]
    alert.pull_events()
    engine.handle("o1", paid("o1", 500_000, on=date(2026, 12, 2)), FIRST_OVERDUE + timedelta(days=1))
    assert not alert.holds and alert.state == "open"
    [event] = [e.data for e in alert.pull_events()]
    assert isinstance(event, AlertUpdated) and event.pattern_holds is False


def test_the_criminal_referral_says_whether_the_order_went_unpaid() -> None:
    before = run(crime_case())
    assert "尚无逾期未付的责令支付文书" in rules(before)["criminal_referral"].summary_zh
    after = run(crime_case(), order("o1", amount_fen=500_000), served("o1", method="posted"), later=FIRST_OVERDUE)
    referral = rules(after)["criminal_referral"]
    assert "已责令限期支付、逾期未支付" in referral.summary_zh
    assert referral.basis["orders_lapsed"][0]["served_on"] == "2026-11-17"


def test_redelivered_and_repeated_records_change_nothing() -> None:
    engine = run(crime_case(), order("o1", amount_fen=500_000), served("o1"), paid("o1", 100_000), later=FIRST_OVERDUE)
    alerts = {k: (a.case_ids, a.amount_fen, a.summary_zh) for k, a in engine.alerts.items()}
    for event in (order("o1", amount_fen=500_000), served("o1", on=date(2026, 11, 20)), paid("o1", 50_000)):
        outcome = engine.handle("o1", event, FIRST_OVERDUE + timedelta(hours=1))
        assert not outcome.raised and not outcome.updated
    assert {k: (a.case_ids, a.amount_fen, a.summary_zh) for k, a in engine.alerts.items()} == alerts
    assert engine.records["o1"].served_on == "2026-11-17" and engine.records["o1"].paid_total_fen == 100_000


# -- a pattern that stops holding -----------------------------------------------------------------


def test_a_closed_complaint_lapses_its_alert_and_stops_its_clock() -> None:
    engine = run(complaint("c1", police=True))
    alert = rules(engine)["police_dispatch"]
    alert.pull_events()
    outcome = engine.handle("c1", closed("c1"), T0 + timedelta(minutes=30))
    assert outcome.updated == [alert] and not alert.holds and alert.state == "open"
    assert alert.history[-1]["state"] == "lapsed"
    assert not alert.overdue(T0 + timedelta(days=3))  # nothing left to escalate
    alert.close(by="demo:inspector.luoyang", reason="投诉已撤回", now=T0 + timedelta(hours=1))
    assert alert.state == "closed"


def test_a_pattern_that_returns_holds_again_on_the_same_alert() -> None:
    engine = run(
        complaint("c1", workers=10, claims=[wages(100_000)]), complaint("c2", workers=10, claims=[wages(100_000)])
    )
    alert = rules(engine)["collective_arrears"]
    for case_id in ("c1", "c2"):
        engine.handle(case_id, closed(case_id), T0 + timedelta(hours=1))
    assert not alert.holds
    engine.handle("c3", complaint("c3", workers=11, claims=[wages(100_000)]), T0 + timedelta(hours=2))
    assert alert.holds and alert.case_ids == ["c3"] and alert.occurrence == 1
    assert [a.rule for a in engine.alerts.values()].count("collective_arrears") == 1
