"""The desk on a real database: migrated schema, the real consumer (inbox and all), a clock
the test moves, and readers for what the desk stored and published."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import Envelope, EventData, to_kafka
from labornet_common.platform.bus.consumer import EventConsumer, Settled
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.testing.wage_arrears_support import T0, Stream
from labornet_wage_arrears.adapters.orm import messaging, wa_alerts, wa_cases, wa_profiles
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.main import CONSUMER, SPEC
from labornet_wage_arrears.service.handlers import event_handlers


@dataclass
class Desk:
    engine: AsyncEngine
    book: RuleBook
    now: datetime = T0
    stream: Stream = field(default_factory=Stream)
    sent: list[tuple[str, Any]] = field(default_factory=list)  # every record delivered, for replays

    def uow(self) -> UnitOfWork:
        return UnitOfWork(session_factory(self.engine), messaging, source=SPEC.source)

    def consumer(self, name: str = CONSUMER) -> EventConsumer:
        return EventConsumer(
            name=name,
            topics=[],
            handlers=event_handlers(self.book, lambda: self.now),
            session_factory=session_factory(self.engine),
            tables=messaging,
            source=SPEC.source,
        )

    async def deliver(self, *events: EventData) -> list[Settled]:
        consumer, outcomes = self.consumer(), []
        for event in events:
            topic, record = self.stream.record(event)
            self.sent.append((topic, record))
            outcomes.append(
                await consumer.process(topic=topic, key=record.key, value=record.value, headers=record.headers)
            )
        return outcomes

    async def redeliver_all(self) -> list[str]:
        consumer = self.consumer()
        return [
            (await consumer.process(topic=t, key=r.key, value=r.value, headers=r.headers)).outcome for t, r in self.sent
        ]

    async def redeliver_published(self, *, kind: str) -> list[str]:
        """The desk's own published events whose type contains ``kind``, delivered back to it as
        they come from its topic (its orders and incidents are inputs of its picture too)."""
        outbox, consumer, outcomes = messaging.outbox, self.consumer(), []
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(select(outbox).where(outbox.c.event_type.contains(kind)).order_by(outbox.c.id))
            ).all()
        for row in rows:
            envelope = Envelope(
                id=row.event_id,
                type=row.event_type,
                source=row.source,
                subject=row.partition_key,
                data=row.data,
                sequence=row.sequence,
            )
            record = to_kafka(envelope)
            outcomes.append(
                (
                    await consumer.process(topic=row.topic, key=record.key, value=record.value, headers=record.headers)
                ).outcome
            )
        return outcomes

    async def rows(self, table: Any, *order: Any) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            return [dict(r._mapping) for r in await conn.execute(select(table).order_by(*order))]

    async def alerts(self) -> list[dict[str, Any]]:
        return await self.rows(wa_alerts, wa_alerts.c.alert_key, wa_alerts.c.occurrence)

    async def profiles(self) -> list[dict[str, Any]]:
        return await self.rows(wa_profiles, wa_profiles.c.profile_id)

    async def cases(self) -> list[dict[str, Any]]:
        return await self.rows(wa_cases, wa_cases.c.case_id)

    async def published(self) -> list[dict[str, Any]]:
        return await self.rows(messaging.outbox, messaging.outbox.c.id)


@pytest.fixture
async def desk(database_url: str) -> AsyncIterator[Desk]:
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    try:
        yield Desk(engine=engine, book=RuleBook())
    finally:
        await engine.dispose()


@pytest.fixture
async def served(db_backend: str, broker: str, tmp_path) -> AsyncIterator[tuple[str, Desk]]:
    """The service over real HTTP (relay and consumers off) and a desk on its database."""
    from labornet_common.testing.inprocess import running_services

    async with running_services(["wage-arrears"], backend=db_backend, broker=broker, workdir=tmp_path) as svc:
        engine = create_engine(svc.databases["wage-arrears"])
        try:
            yield svc.urls["wage-arrears"], Desk(engine=engine, book=RuleBook())
        finally:
            await engine.dispose()
