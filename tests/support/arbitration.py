"""Shared arrangements for arbitration tests: a migrated database, principals, events encoded as
the Kafka records a consumer receives, and a case built in memory for unit tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_arbitration.adapters.orm import messaging
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.main import SPEC
from labornet_arbitration.service.context import ArbitrationContext
from labornet_arbitration.service.handlers import event_handlers
from labornet_common.contracts.events import Envelope, EventData, to_kafka
from labornet_common.platform.bus.consumer import EventConsumer
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal, Role

ARBITRATION_SOURCE = "/labornet/arbitration"


@dataclass
class ArbitrationDb:
    engine: AsyncEngine
    uow: Callable[[], UnitOfWork]

    async def outbox(self, event_type: str | None = None) -> list[dict[str, Any]]:
        """Event data in the outbox, in commit order, optionally of one CloudEvent type."""
        query = select(messaging.outbox.c.event_type, messaging.outbox.c.data).order_by(messaging.outbox.c.id)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [dict(r.data) for r in rows if event_type is None or r.event_type == event_type]


@asynccontextmanager
async def arbitration_db(database_url: str) -> AsyncIterator[ArbitrationDb]:
    engine = create_engine(database_url, pool_size=40)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    try:
        yield ArbitrationDb(engine, lambda: UnitOfWork(factory, messaging, source=ARBITRATION_SOURCE))
    finally:
        await engine.dispose()


def cases_consumer(db: ArbitrationDb, ctx: ArbitrationContext) -> EventConsumer:
    """The service's consumer of case events on ``db``: one record at a time (``process``) or a
    batch (``process_batch``), as the running service applies them."""
    return EventConsumer(
        name="arbitration.cases",
        topics=[],
        handlers=event_handlers(ctx),
        session_factory=session_factory(db.engine),
        tables=SPEC.tables,
        source=SPEC.source,
    )


def staff(role: Role, scope: str, subject: str | None = None, *, org: str | None = "") -> Principal:
    """Staff of the commission seated in ``scope`` (arb-4103 for 4103), as the directory names it;
    ``org`` names another body, or None for a token naming no organisation."""
    if org == "":
        from labornet_common.reference import organisation_directory

        org = f"arb-{scope}" if organisation_directory().commission(f"arb-{scope}") else None
    return Principal(
        subject=subject or f"{role.value}@{scope}", roles=frozenset({role}), region_scopes=(scope,), org_id=org
    )


def record_of(
    event: EventData, *, source: str, sequence: int, subject: str | None = None, at: datetime | None = None
) -> dict[str, Any]:
    """The keyword arguments of ``EventConsumer.process`` for one event, as Kafka carries it."""
    envelope = Envelope(
        id=str(uuid.uuid4()),
        type=event.event_type,
        source=source,
        subject=subject or event.case_id,  # type: ignore[attr-defined]
        data=event.model_dump(mode="json"),
        sequence=sequence,
        time=at or datetime.now(UTC),
    )
    rec = to_kafka(envelope)
    return {"topic": event.topic, "key": rec.key, "value": rec.value, "headers": rec.headers}


def arbitration_case(**overrides: Any) -> ArbitrationCase:
    """An application received by the Luoyang commission (arb-4103) on 28 September 2026, not yet
    accepted; ``overrides`` set any other field (status, dates, claims, the award…)."""
    values: dict[str, Any] = {
        "application_id": "app-1",
        "case_id": "case-1",
        "source": "direct",
        "source_key": "direct:1",
        "division_code": "410311",
        "commission_id": "arb-4103",
        "commission_division": "4103",
        "received_on": date(2026, 9, 28),
        "acceptance_due_on": date(2026, 10, 9),
        "created_at": datetime(2026, 9, 28, tzinfo=UTC),
        "worker_name": "王师傅",
        "employer_name": "洛阳某建筑工程有限公司",
        "status": "SUBMITTED",
    }
    return ArbitrationCase(**{**values, **overrides})
