"""The desk's consumer on a real database: case events become facts, profiles and alerts, and
their events leave through the outbox in the same transaction; redelivery changes nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from labornet_common.testing.wage_arrears_support import (
    T0,
    USCC,
    agreement,
    breached,
    complaint,
    joined,
    wages,
)
from labornet_wage_arrears.service.commands import escalate_overdue

RAISED = "cn.labornet.wage_arrears.alert.raised.v1"
UPDATED = "cn.labornet.wage_arrears.alert.updated.v1"
STATE = "cn.labornet.wage_arrears.alert.state_changed.v1"
REFERRAL = "cn.labornet.wage_arrears.referral.recommended.v1"


async def test_a_collective_complaint_raises_one_alert_and_more_workers_update_it(desk) -> None:
    outcomes = await desk.deliver(
        complaint("c1", workers=10, uscc=USCC, project="洛龙安置房二期", claims=[wages(2_000_000)])
    )
    assert [o.outcome for o in outcomes] == ["applied"]
    [alert] = await desk.alerts()
    assert (alert["rule"], alert["severity"], alert["state"], alert["subject_kind"]) == (
        "collective_arrears",
        "orange",
        "open",
        "project",
    )
    assert alert["region_code"] == "410311" and alert["worker_count"] == 10 and alert["project"] == "洛龙安置房二期"
    await desk.deliver(joined("c1", workers=14, claims=[wages(800_000)]))
    [alert] = await desk.alerts()
    assert alert["worker_count"] == 14 and alert["amount_fen"] == 2_800_000
    events = await desk.published()
    assert [e["event_type"] for e in events] == [RAISED, UPDATED]
    assert {e["partition_key"] for e in events} == {alert["alert_id"]}
    assert events[0]["data"]["region_code"] == "410311" and "第七条" in events[0]["data"]["source"]


async def test_redelivering_the_whole_stream_changes_nothing(desk) -> None:
    await desk.deliver(
        complaint("c1", police=True, claims=[wages(600_000, T0.date() - timedelta(days=120), T0.date())]),
        complaint("c2", at=T0 + timedelta(days=1)),
        complaint("c3", at=T0 + timedelta(days=2)),
        agreement("c2", "a1", 300_000),
        breached("c2", "a1", 300_000),
    )
    before = (await desk.alerts(), await desk.profiles(), await desk.cases(), await desk.published())
    assert {a["rule"] for a in before[0]} == {
        "police_dispatch",
        "criminal_referral",
        "repeated_complaints",
        "agreement_unpaid",
    }
    assert set(await desk.redeliver_all()) == {"duplicate"}
    assert (await desk.alerts(), await desk.profiles(), await desk.cases(), await desk.published()) == before
    assert sum(e["event_type"] == REFERRAL for e in before[3]) == 1


async def test_the_profile_adds_up_the_employers_cases(desk) -> None:
    await desk.deliver(
        complaint("c1", uscc=USCC, workers=3, claims=[wages(900_000)]),
        complaint("c2", employer="别名公司", uscc=USCC, workers=2, claims=[wages(100_000)]),
        agreement("c2", "a1", 100_000),
        breached("c2", "a1", 40_000),
    )
    [profile] = await desk.profiles()
    assert (profile["kind"], profile["employer_uscc"], profile["open_complaints"], profile["workers_involved"]) == (
        "employer",
        USCC,
        2,
        5,
    )
    assert (profile["wages_claimed_fen"], profile["agreed_fen"], profile["unpaid_agreements_fen"]) == (
        1_000_000,
        100_000,
        40_000,
    )


async def test_an_employer_without_uscc_is_known_by_name_and_county(desk) -> None:
    await desk.deliver(
        complaint("c1", employer="洛阳（某）建筑 公司"),
        complaint("c2", employer="洛阳(某)建筑公司"),
        complaint("c3", employer="洛阳某建筑公司", region="350102"),
    )
    profiles = await desk.profiles()
    assert sorted(p["cases"] for p in profiles) == [1, 2]


async def test_the_scanner_escalates_what_is_overdue_and_only_that(desk) -> None:
    await desk.deliver(complaint("c1", police=True))  # red: acknowledge within 2 hours
    [alert] = await desk.alerts()
    raised_at = alert["raised_at"]
    assert (
        await escalate_overdue(uow_factory=desk.uow, now=T0 + timedelta(hours=2) - timedelta(seconds=1), book=desk.book)
        == []
    )
    assert await escalate_overdue(uow_factory=desk.uow, now=T0 + timedelta(hours=2), book=desk.book) == [
        alert["alert_id"]
    ]
    [after] = await desk.alerts()
    assert after["escalation_level"] == 1 and after["severity"] == "red" and after["state"] == "open"
    assert after["raised_at"] == raised_at
    assert await escalate_overdue(uow_factory=desk.uow, now=T0 + timedelta(hours=3), book=desk.book) == []
    assert (await desk.published())[-1]["event_type"] == STATE
    assert (await desk.published())[-1]["data"]["state"] == "escalated"


async def test_unknown_event_types_are_ignored(desk) -> None:
    from labornet_common.contracts.mediation import MediatorAssigned

    [settled] = await desk.deliver(
        MediatorAssigned(case_id="c9", division_code="410311", mediator_id="m", mediator_name="李")
    )
    assert settled.outcome == "ignored" and await desk.cases() == []


async def test_events_of_one_employer_applied_at_once_lose_nothing(desk) -> None:
    # Cases of one employer sit on different partitions (or replicas) and are applied at once:
    # each refresh must see the cases committed before it, so the last picture holds them all.
    consumers = [desk.consumer() for _ in range(8)]
    events = [complaint(f"p{n}", uscc=USCC, workers=2, claims=[wages(400_000)]) for n in range(8)]
    records = [desk.stream.record(e) for e in events]
    settled = await asyncio.gather(
        *(
            c.process(topic=topic, key=r.key, value=r.value, headers=r.headers)
            for c, (topic, r) in zip(consumers, records, strict=True)
        )
    )
    assert {s.outcome for s in settled} == {"applied"}
    [profile] = await desk.profiles()
    assert (profile["cases"], profile["workers_involved"], profile["wages_claimed_fen"]) == (8, 16, 3_200_000)
    alerts = {a["rule"]: a for a in await desk.alerts()}
    assert alerts["repeated_complaints"]["occurrence"] == 1
    assert sorted(alerts["criminal_referral"]["case_ids"]) == [f"p{n}" for n in range(8)]
    raised = [e for e in await desk.published() if e["event_type"] == RAISED]
    assert sorted(e["data"]["rule"] for e in raised) == ["criminal_referral", "repeated_complaints"]
