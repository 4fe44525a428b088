"""Entering a year's holiday schedule at the gateway: checked, kept version by version, and
announced once per version on reference.calendar.v1 through the outbox (same transaction).

The 2027 days are the clearly-labelled TEST schedule (not the State Council's notice)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import select

from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_common.testing.calendar_support import TEST_2027_DAYS, TEST_2027_NOTICE
from labornet_common.testing.refusals import refusal
from labornet_gateway.adapters import calendar_tables as _calendar_tables  # noqa: F401  (registers the table)
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.service import calendar as schedules

ADMIN = Principal(subject="demo:admin", roles=frozenset({Role.admin}), region_scopes=("*",))


@pytest.fixture
async def uow(database_url: str) -> AsyncIterator[Callable[[], UnitOfWork]]:
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        yield lambda: UnitOfWork(session_factory(engine), messaging, source="/labornet/gateway")
    finally:
        await engine.dispose()


async def _outbox(uow) -> list:
    async with uow() as u:
        return (await u.session.execute(select(messaging.outbox).order_by(messaging.outbox.c.id))).all()


async def test_versions_are_kept_and_each_is_announced_once(uow) -> None:
    row, new = await schedules.enter(
        uow=uow(), principal=ADMIN, year=2027, notice=TEST_2027_NOTICE, days=TEST_2027_DAYS
    )
    assert (row["version"], new, row["entered_by"]) == (1, True, "demo:admin")
    again, new = await schedules.enter(
        uow=uow(), principal=ADMIN, year=2027, notice=TEST_2027_NOTICE, days=list(reversed(TEST_2027_DAYS))
    )
    assert (again["version"], new) == (1, False)  # the same schedule in another order: nothing new
    fewer = [d for d in TEST_2027_DAYS if d.festival == "元旦"]
    corrected, new = await schedules.enter(uow=uow(), principal=ADMIN, year=2027, notice="更正", days=fewer)
    assert (corrected["version"], new) == (2, True)

    current = await schedules.get(uow=uow(), year=2027)
    assert current is not None and current["version"] == 2 and len(current["days"]) == 3
    assert [v["version"] for v in current["versions"]] == [1, 2]
    first = await schedules.get(uow=uow(), year=2027, version=1)
    assert first is not None and len(first["days"]) == len(TEST_2027_DAYS)  # never lost
    overview = await schedules.overview(uow=uow())
    assert [(i["year"], i["version"]) for i in overview["items"]] == [(2027, 2)] and 2026 in overview["shipped_years"]

    rows = await _outbox(uow)
    assert [(r.topic, r.partition_key, r.sequence, r.data["version"]) for r in rows] == [
        ("reference.calendar.v1", "calendar-2027", 1, 1),
        ("reference.calendar.v1", "calendar-2027", 2, 2),
    ]
    assert rows[0].event_type == "cn.labornet.calendar.schedule.entered.v1"


async def test_a_schedule_that_breaks_a_rule_is_refused_and_nothing_is_stored(uow) -> None:
    bad = [*TEST_2027_DAYS, TEST_2027_DAYS[0].model_copy(update={"kind": "workday"})]
    with refusal() as caught:
        await schedules.enter(uow=uow(), principal=ADMIN, year=2027, notice="", days=bad)
    assert caught.value.status == 422
    assert [(e.field, e.code) for e in caught.value.errors] == [
        (f"days.{len(bad) - 1}.date", "calendar.day_listed_twice")
    ]
    assert caught.value.errors[0].message_zh == "同一日期重复列出（不能既放假又上班）"
    assert await schedules.get(uow=uow(), year=2027) is None and await _outbox(uow) == []
