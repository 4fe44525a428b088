"""Writing events into the outbox inside the caller's transaction."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import TextClause, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import PendingEvent, new_event_id, utcnow
from labornet_common.platform.db import dialect_name, json_param
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
    """Number the events per stream and insert them into the outbox; returns their ids.

    On PostgreSQL the reservation and the insert are one statement (one round trip for every
    transaction that records events); elsewhere one reservation per RESERVE_STREAMS streams,
    then one insert."""
    by_stream: dict[str, list[PendingEvent]] = {}
    for ev in events:
        by_stream.setdefault(ev.stream_id, []).append(ev)
    if not by_stream:
        return []
    # Lock streams in a fixed order so two transactions touching the same cases cannot deadlock.
    ordered = sorted(by_stream.items())
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "event_id": new_event_id(),
            "topic": ev.data.topic,
            "partition_key": stream_id,
            "event_type": ev.data.event_type,
            "sequence": offset,  # within the stream's events here; numbered once reserved
            "source": source,
            "traceparent": ev.traceparent,
            "data": ev.data.model_dump(mode="json"),
            "created_at": now,
        }
        for stream_id, stream_events in ordered
        for offset, ev in enumerate(stream_events)
    ]
    counts = {stream_id: len(stream_events) for stream_id, stream_events in ordered}
    if dialect_name(session) == "postgresql":
        await _append_postgresql(session, tables, counts, rows)
    else:
        firsts: dict[str, int] = {}
        for start in range(0, len(ordered), RESERVE_STREAMS):
            chunk = ordered[start : start + RESERVE_STREAMS]
            firsts |= await _reserve_sequences(session, tables, {k: counts[k] for k, _ in chunk})
        for row in rows:
            row["sequence"] += firsts[row["partition_key"]]
        await session.execute(insert(tables.outbox), rows)
    return [r["event_id"] for r in rows]


async def _append_postgresql(
    session: AsyncSession, tables: MessagingTables, counts: dict[str, int], rows: list[dict[str, Any]]
) -> None:
    """Reserve every stream's numbers (the upsert locks the streams in the order of ``counts``,
    sorted) and insert the rows numbered from them, in one statement. Each part travels as one
    JSON parameter, so the text is the same whatever the transaction recorded. The rows go in
    in their order (``ord``), so within a case the outbox ids follow the sequences."""
    statement = _append_statement(tables.streams.name, tables.outbox.name)
    await session.execute(
        statement,
        {
            "streams": json_param([{"stream_id": k, "n": n} for k, n in counts.items()]),
            "rows": json_param(
                [
                    {**row, "ord": i, "from_end": counts[row["partition_key"]] - 1 - row["sequence"]}
                    for i, row in enumerate(rows)
                ]
            ),
        },
    )


@functools.cache
def _append_statement(streams: str, outbox: str) -> TextClause:
    return text(_APPEND_POSTGRESQL.format(streams=streams, outbox=outbox))


_APPEND_POSTGRESQL = """
WITH reserved AS (
    INSERT INTO {streams} AS s (stream_id, version)
    SELECT stream_id, n FROM json_to_recordset(CAST(:streams AS json)) AS w(stream_id text, n bigint)
    ON CONFLICT (stream_id) DO UPDATE SET version = s.version + excluded.version
    RETURNING s.stream_id, s.version
)
INSERT INTO {outbox} (event_id, topic, partition_key, event_type, sequence, source, traceparent, data, created_at)
SELECT r.event_id, r.topic, r.partition_key, r.event_type, reserved.version - r.from_end, r.source, r.traceparent,
       r.data, r.created_at
FROM json_to_recordset(CAST(:rows AS json)) AS r(
    ord int, event_id text, topic text, partition_key text, event_type text, from_end bigint, source text,
    traceparent text, data json, created_at timestamptz
)
JOIN reserved ON reserved.stream_id = r.partition_key
ORDER BY r.ord
"""
