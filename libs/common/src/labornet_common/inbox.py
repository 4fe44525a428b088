"""Inbox: what a consumer has applied, so redelivered events change nothing twice.

For each (consumer, source, case) stream the inbox keeps the last applied sequence. An event
is applied only when it is the next one of its stream: an earlier or equal sequence is a
duplicate, a later one means an earlier event has not arrived yet (the relay re-sends a case's
whole tail after a failure), so it is left for the redelivery. Effects and inbox rows commit in
one transaction with the handler's own writes.
"""

from __future__ import annotations

import enum

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.db import rows_matched
from labornet_common.events import Envelope, utcnow
from labornet_common.outbox.tables import MessagingTables


class Arrival(enum.Enum):
    NEXT = "next"
    DUPLICATE = "duplicate"
    EARLY = "early"  # a gap: an earlier event of the stream has not been applied yet


async def classify(
    session: AsyncSession, tables: MessagingTables, *, consumer: str, envelope: Envelope
) -> tuple[Arrival, int]:
    streams = tables.inbox_streams
    last = await session.scalar(
        select(streams.c.last_sequence).where(
            streams.c.consumer == consumer,
            streams.c.source == envelope.source,
            streams.c.stream_id == envelope.subject,
        )
    )
    last = int(last or 0)
    return arrival_after(last, envelope.sequence), last


def arrival_after(last: int, sequence: int) -> Arrival:
    """How an event of ``sequence`` arrives on a stream whose last applied sequence is ``last``."""
    if sequence <= last:
        return Arrival.DUPLICATE
    if sequence == last + 1:
        return Arrival.NEXT
    return Arrival.EARLY


async def record(
    session: AsyncSession,
    tables: MessagingTables,
    *,
    consumer: str,
    envelope: Envelope,
    previous: int,
    outcome: str,
    error: str | None = None,
) -> None:
    """Advance the stream and keep the inbox row, inside the caller's transaction."""
    streams = tables.inbox_streams
    key = (
        (streams.c.consumer == consumer)
        & (streams.c.source == envelope.source)
        & (streams.c.stream_id == envelope.subject)
    )
    if previous == 0:
        await session.execute(
            insert(streams).values(
                consumer=consumer,
                source=envelope.source,
                stream_id=envelope.subject,
                last_sequence=envelope.sequence,
            )
        )
    else:
        # Guarded update: if another worker advanced the stream meanwhile, nothing matches and
        # the caller's transaction is rolled back (see StreamMoved).
        result = await session.execute(
            update(streams).where(key & (streams.c.last_sequence == previous)).values(last_sequence=envelope.sequence)
        )
        if rows_matched(result) != 1:
            raise StreamMoved(envelope.subject)
    await session.execute(
        insert(tables.inbox).values(
            consumer=consumer,
            event_id=envelope.id,
            event_type=envelope.type,
            source=envelope.source,
            stream_id=envelope.subject,
            sequence=envelope.sequence,
            outcome=outcome,
            error=error,
            processed_at=utcnow(),
        )
    )


class StreamMoved(RuntimeError):
    """Another consumer instance applied this stream's event first; treat as duplicate."""
