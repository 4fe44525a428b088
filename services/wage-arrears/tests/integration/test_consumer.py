"""The desk's consumer on a real database: case events become facts, profiles and alerts, and
their events leave through the outbox in the same transaction; redelivery changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.event import listen

from labornet_common.platform.db import create_engine
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.testing.databases import fresh_database
from labornet_common.testing.wage_arrears_support import (
    T0,
    USCC,
    agreement,
    breached,
    complaint,
    joined,
    order,
    wages,
)
from labornet_wage_arrears.adapters.orm import wa_cases
from labornet_wage_arrears.main import SPEC
from labornet_wage_arrears.service.commands import escalate_overdue

from ..conftest import Desk

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


@dataclass
class Batched:
    desk: Desk
    statements: list[str]
    outcomes: list[str]

    def count(self, start: str) -> int:
        return len([sql for sql in self.statements if sql.startswith(start)])


@asynccontextmanager
async def _as_one_batch(
    desk: Desk, events: list[Any], db_backend: str, tmp_path: Any, *, before: tuple[Any, ...] = ()
) -> AsyncIterator[Batched]:
    """``events`` delivered to ``desk`` one transaction each, and the same events as one consumer
    batch on a database of its own: that desk, the statements the batch ran, and its outcomes.
    ``before``: events both desks were given first, one transaction each."""
    await desk.deliver(*before, *events)  # one transaction per event
    async with fresh_database(db_backend, tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade_to_head(engine, SPEC.migrations_dir)
            batched = Desk(engine=engine, book=desk.book)
            await batched.deliver(*before)
            records = [batched.stream.record(e) for e in events]
            seen: list[str] = []
            listen(engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(" ".join(a[2].split())))
            settled = await batched.consumer().process_batch(
                [SimpleNamespace(topic=t, key=r.key, value=r.value, headers=r.headers) for t, r in records]
            )
            assert settled is not None
            yield Batched(batched, seen, [s.outcome for s in settled])
        finally:
            await engine.dispose()


async def test_a_batch_of_one_employers_events_refreshes_its_picture_once_and_ends_where_one_by_one_ends(
    desk, db_backend: str, tmp_path
) -> None:
    events = [
        complaint("c1", workers=3, uscc=USCC, project="洛龙安置房二期", claims=[wages(600_000)]),
        complaint("c2", uscc=USCC, at=T0 + timedelta(hours=1)),
        joined("c1", workers=12, claims=[wages(900_000)]),
        complaint("c3", uscc=USCC, at=T0 + timedelta(hours=2)),
        joined("c3", workers=2, claims=[wages(300_000)]),
    ]
    async with _as_one_batch(desk, events, db_backend, tmp_path) as one:
        assert one.outcomes == ["applied"] * 5
        # One refresh for the batch (the picture's lock row is taken once), not one per event.
        assert one.count("INSERT INTO wa_picture_locks") == 1
        # Every case's facts read at once (one statement for the batch) and each written once,
        # however many of its events the batch holds.
        assert one.count("SELECT wa_cases.case_id, wa_cases.facts") == 1
        assert one.count("SELECT wa_cases.facts") == 0
        # The batch's three new cases written together, in one statement.
        assert (one.count("INSERT INTO wa_cases"), one.count("UPDATE wa_cases")) == (1, 0)

        async def facts(of: Any) -> list[tuple]:
            async with of.connect() as conn:
                rows = await conn.execute(select(wa_cases.c.case_id, wa_cases.c.facts).order_by(wa_cases.c.case_id))
                return [tuple(r) for r in rows]

        assert await facts(one.desk.engine) == await facts(desk.engine)

        def kept(alerts: list[dict]) -> list[tuple]:
            return [(a["rule"], a["severity"], a["state"], a["worker_count"], a["amount_fen"]) for a in alerts]

        assert kept(await one.desk.alerts()) == kept(await desk.alerts()) != []
        figures = ("kind", "project_key", "cases", "complaints", "workers_involved", "claimed_fen")
        assert [[p[f] for f in figures] for p in await one.desk.profiles()] == [
            [p[f] for f in figures] for p in await desk.profiles()
        ]


async def test_a_batch_of_several_employers_events_refreshes_their_pictures_together_and_ends_where_one_by_one_ends(
    desk, db_backend: str, tmp_path
) -> None:
    other = "91410300MA9K5XYT1E"  # GB 32100 check digit verified
    events = [
        complaint("a1", workers=12, uscc=USCC, claims=[wages(2_000_000)]),
        complaint("b1", employer="洛阳乙劳务有限公司", claims=[wages(300_000)]),
        complaint("b2", employer="洛阳乙劳务有限公司", at=T0 + timedelta(hours=1)),
        complaint("c1", employer="洛阳丙建设有限公司", uscc=other, workers=12, claims=[wages(1_500_000)]),
        order("o1", amount_fen=500_000, employer="洛阳丙建设有限公司", uscc=other, case_ids=["c1"]),
        complaint("d1", employer="偃师丁商贸有限公司", region="410381", workers=2),
        joined("a1", workers=15, claims=[wages(2_600_000)]),
    ]
    async with _as_one_batch(desk, events, db_backend, tmp_path) as one:
        assert set(one.outcomes) == {"applied"}
        # Four pictures (two counties), refreshed together: one statement for their locks, one
        # for their cases, one for their records, one for their alerts, one delete and one
        # insert of their profiles.
        assert one.count("INSERT INTO wa_picture_locks") == 1
        assert one.count("SELECT wa_cases.case_id, wa_cases.employer_key") == 1
        assert one.count("SELECT wa_records.employer_key") == 1
        assert one.count("SELECT wa_alerts.") == 1
        assert (one.count("DELETE FROM wa_profiles"), one.count("INSERT INTO wa_profiles")) == (1, 1)
        # The alerts every picture raised, in one statement.
        assert one.count("INSERT INTO wa_alerts") == 1

        def kept(alerts: list[dict]) -> list[tuple]:
            return sorted(
                (a["employer_key"], a["region_code"], a["rule"], a["severity"], a["worker_count"], a["amount_fen"])
                for a in alerts
            )

        assert kept(await one.desk.alerts()) == kept(await desk.alerts()) != []
        assert len({alert[:2] for alert in kept(await one.desk.alerts())}) > 1  # several pictures' alerts
        figures = ("kind", "employer_key", "region_code", "cases", "workers_involved", "claimed_fen")
        assert sorted(tuple(p[f] for f in figures) for p in await one.desk.profiles()) == sorted(
            tuple(p[f] for f in figures) for p in await desk.profiles()
        )
        assert len({(p["employer_key"], p["region_code"]) for p in await one.desk.profiles()}) == 4


async def test_a_batch_takes_its_own_cases_as_it_wrote_them_and_reads_only_the_pictures_other_cases(
    desk, db_backend: str, tmp_path
) -> None:
    """The picture's cases: those the batch wrote, as written (not read back and decoded again),
    and the employer's others from the database; the picture ends where one by one ends."""
    stored = (
        complaint("s1", uscc=USCC, workers=4, claims=[wages(800_000)]),
        complaint("s2", uscc=USCC, at=T0 + timedelta(hours=1), claims=[wages(100_000)]),
    )
    events = [
        complaint("n1", uscc=USCC, workers=3, at=T0 + timedelta(hours=2), claims=[wages(600_000)]),
        joined("s1", workers=9, claims=[wages(1_500_000)]),
    ]
    async with _as_one_batch(desk, events, db_backend, tmp_path, before=stored) as one:
        assert one.outcomes == ["applied"] * 2
        [cases] = [sql for sql in one.statements if sql.startswith("SELECT wa_cases.case_id, wa_cases.employer_key")]
        assert "NOT IN" in cases  # the batch's own cases are not read again
        figures = ("kind", "cases", "complaints", "workers_involved", "claimed_fen", "wages_claimed_fen")
        mine = [[p[f] for f in figures] for p in await one.desk.profiles()]
        assert mine == [[p[f] for f in figures] for p in await desk.profiles()]
        # s1 with the nine workers and both its claims (written by the batch), s2 as stored, n1 new.
        assert ["employer", 3, 3, 9 + 1 + 3, 800_000 + 1_500_000 + 100_000 + 600_000] == mine[0][:5]

        def kept(alerts: list[dict]) -> list[tuple]:
            return sorted((a["rule"], a["severity"], a["worker_count"], a["amount_fen"]) for a in alerts)

        assert kept(await one.desk.alerts()) == kept(await desk.alerts()) != []
