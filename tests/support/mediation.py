"""Test support for services/mediation: a migrated, seeded database, principals of the seed
regions, events as they arrive from Kafka, and what reached the outbox."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from labornet_common.contracts.events import Envelope, EventData, to_kafka, utcnow
from labornet_common.platform.bus.consumer import EventConsumer, Settled
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role
from labornet_mediation.adapters.mediators import seed as seed_mediators
from labornet_mediation.adapters.orm import messaging
from labornet_mediation.main import SPEC

# Staff act for their own centre (the directory's id); tests of another centre's cases use staff_of.
LUOYANG_MEDIATOR = Principal(
    subject="demo:mediator.luoyang",
    name="洛阳 演示调解员",
    roles=frozenset({Role.mediator}),
    region_scopes=("4103",),
    org_id="med-410311007",
)
GULOU_MEDIATOR = Principal(
    subject="demo:mediator.gulou",
    name="鼓楼 演示调解员",
    roles=frozenset({Role.mediator}),
    region_scopes=("350102",),
    org_id="med-350102",
)
LUOYANG_CLERK = Principal(
    subject="demo:clerk.luoyang", roles=frozenset({Role.clerk}), region_scopes=("4103",), org_id="med-410311007"
)


def staff_of(principal: Principal, centre_id: str) -> Principal:
    """The same kind of staff member, working at ``centre_id``."""
    return principal.model_copy(update={"org_id": centre_id, "subject": f"{principal.subject}@{centre_id}"})


class MediationDb:
    """One migrated and seeded mediation database, with units of work on it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self._factory = session_factory(self.engine)
        self.tables = messaging

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self._factory, self.tables, source="/labornet/mediation")

    async def events(self, case_id: str, event_type: str | None = None) -> list[dict[str, Any]]:
        """The outbox rows of one case, oldest first: (type, data) as written."""
        outbox = self.tables.outbox
        query = select(outbox.c.event_type, outbox.c.data).where(outbox.c.partition_key == case_id)
        if event_type:
            query = query.where(outbox.c.event_type == event_type)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query.order_by(outbox.c.id))).all()
        return [{"type": r.event_type, **r.data} for r in rows]

    def consumer(self, name: str, handlers: dict[str, Callable[..., Any]]) -> EventConsumer:
        return EventConsumer(
            name=name,
            topics=[],  # every topic: the tests hand each record over themselves
            handlers=handlers,
            session_factory=self._factory,
            tables=self.tables,
            source="/labornet/mediation",
            max_attempts=1,
            retry_backoff_s=0,
        )


@asynccontextmanager
async def mediation_db(url: str, *, seed: bool = True) -> AsyncIterator[MediationDb]:
    from labornet_common.reference import organisation_directory

    db = MediationDb(url)
    await upgrade_to_head(db.engine, SPEC.migrations_dir)
    if seed:
        await seed_mediators(db.engine, organisation_directory())
    try:
        yield db
    finally:
        await db.engine.dispose()


def kafka_record(
    data: EventData,
    *,
    case_id: str,
    event_id: str | None = None,
    sequence: int = 1,
    source: str = "/labornet/intake",
    time: datetime | None = None,
) -> SimpleNamespace:
    """``data`` as the Kafka record a producer would have sent (topic, key, value, headers)."""
    envelope = Envelope(
        id=event_id or str(uuid.uuid4()),
        type=data.event_type,
        source=source,
        subject=case_id,
        data=data.model_dump(mode="json"),
        sequence=sequence,
        time=time or utcnow(),
    )
    record = to_kafka(envelope)
    return SimpleNamespace(topic=data.topic, key=record.key, value=record.value, headers=record.headers)


async def deliver(consumer: EventConsumer, data: EventData, **record: Any) -> Settled:
    """Hand ``data`` to ``consumer`` as the Kafka record a producer would have sent (``record``:
    ``kafka_record``'s case_id, event_id, sequence, source, time); the same ``event_id`` again is
    a redelivery."""
    return await consumer.process(**vars(kafka_record(data, **record)))


def fixed_today(day: date) -> Callable[[], date]:
    return lambda: day
