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

RESERVE_STREAMS = 200  # streams per reservation statement, bounded in bind parameters


async def _reserve_sequences(session: AsyncSession, tables: MessagingTables, counts: dict[str, int]) -> dict[str, int]:
    """Reserve ``counts[stream]`` sequence numbers for each stream, in one statement; returns
    the first number of each.

    The upsert takes each stream's row lock (PostgreSQL, in the order of ``counts``: callers
    sort it, so two transactions touching the same cases cannot deadlock) or runs under the
    write lock (SQLite), so concurrent writers to one case are serialised and their outbox ids
    follow their sequences.
    """
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    streams = tables.streams
    upsert = dialect.insert(streams).values([{"stream_id": k, "version": n} for k, n in counts.items()])
    stmt = upsert.on_conflict_do_update(
        index_elements=[streams.c.stream_id],
        set_={"version": streams.c.version + upsert.excluded.version},
    ).returning(streams.c.stream_id, streams.c.version)
    last = {row.stream_id: int(row.version) for row in await session.execute(stmt)}
    return {stream_id: last[stream_id] - count + 1 for stream_id, count in counts.items()}


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
    if not by_stream:
        return []
    # Lock streams in a fixed order so two transactions touching the same cases cannot deadlock.
    ordered = sorted(by_stream.items())
    firsts: dict[str, int] = {}
    for start in range(0, len(ordered), RESERVE_STREAMS):
        chunk = ordered[start : start + RESERVE_STREAMS]
        firsts |= await _reserve_sequences(session, tables, {k: len(evs) for k, evs in chunk})
    for stream_id, stream_events in ordered:
        first = firsts[stream_id]
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
