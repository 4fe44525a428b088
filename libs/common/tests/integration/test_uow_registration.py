"""Repositories register aggregates with the unit of work that owns their session; the unit of
work collects their events on commit, once each, and a session no unit of work owns keeps none
(SQLite and PostgreSQL through ``database_url``)."""

from __future__ import annotations

from sqlalchemy import select

from labornet_common.contracts.events import PendingEvent
from labornet_common.platform.db import session_factory
from labornet_common.platform.uow import register
from labornet_common.testing.messaging import Ping, case_ids, count, engine_for, tables, uow_for


class _Case:
    """A stand-in aggregate: it records one Ping per ``act``."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self._events: list[PendingEvent] = []

    def act(self, n: int) -> None:
        self._events.append(PendingEvent(self.case_id, Ping(case_id=self.case_id, n=n)))

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events


async def test_registered_aggregates_events_enter_the_outbox_once_each(database_url: str) -> None:
    a, b = case_ids(2)
    async with engine_for(database_url) as engine:
        async with uow_for(engine) as uow:
            first, second = _Case(a), _Case(b)
            register(uow.session, first)  # as a repository's load would
            first.act(1)
            first.act(2)
            second.act(1)
            register(uow.session, second)  # as a repository's add would, after the act
            register(uow.session, first)  # saved: registered again, still collected once
            await uow.commit()
        async with engine.connect() as conn:
            rows = (await conn.execute(select(tables.outbox).order_by(tables.outbox.c.id))).all()
    assert [(r.partition_key, r.sequence, r.data["n"]) for r in rows] == [(a, 1, 1), (a, 2, 2), (b, 1, 1)]


async def test_a_session_no_unit_of_work_owns_keeps_nothing(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        async with session_factory(engine)() as session:
            case = _Case(a)
            register(session, case)  # a read outside any unit of work
            case.act(1)
        async with uow_for(engine) as uow:
            await uow.commit()
        assert await count(engine, tables.outbox) == 0
