"""Writing events into the outbox inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import PendingEvent, new_event_id, utcnow
from labornet_common.platform.db import dialect_name
from labornet_common.platform.outbox.tables import MessagingTables


async def _reserve_sequences(session: AsyncSession, tables: MessagingTables, stream_id: str, count: int) -> int:
    """Reserve ``count`` sequence numbers for a stream; returns the first one.

    The upsert takes a row lock (PostgreSQL) or runs under the write lock (SQLite), so
    concurrent writers to one case are serialised and their outbox ids follow their sequences.
    """
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    streams = tables.streams
    stmt = (
        dialect.insert(streams)
        .values(stream_id=stream_id, version=count)
        .on_conflict_do_update(
            index_elements=[streams.c.stream_id],
            set_={"version": streams.c.version + count},
        )
        .returning(streams.c.version)
    )
    last = (await session.execute(stmt)).scalar_one()
    return int(last) - count + 1


async def append_events(
    session: AsyncSession,
    tables: MessagingTables,
    *,
    source: str,
    events: Sequence[PendingEvent],
) -> list[str]:
    """Number the events per stream and insert them into the outbox; returns their ids."""
    by_stream: dict[str, list[PendingEvent]] = {}
    for ev in events:
        by_stream.setdefault(ev.stream_id, []).append(ev)
    rows: list[dict[str, Any]] = []
    now = utcnow()
    # Lock streams in a fixed order so two transactions touching the same cases cannot deadlock.
    for stream_id, stream_events in sorted(by_stream.items()):
        first = await _reserve_sequences(session, tables, stream_id, len(stream_events))
        for offset, ev in enumerate(stream_events):
            rows.append(
                {
                    "event_id": new_event_id(),
                    "topic": ev.data.topic,
                    "partition_key": stream_id,
                    "event_type": ev.data.event_type,
                    "sequence": first + offset,
                    "source": source,
                    "traceparent": ev.traceparent,
                    "data": ev.data.model_dump(mode="json"),
                    "created_at": now,
                }
            )
    if rows:
        await session.execute(insert(tables.outbox), rows)
    return [r["event_id"] for r in rows]
