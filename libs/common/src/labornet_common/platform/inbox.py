"""Inbox: what a consumer has applied, so redelivered events change nothing twice.

For each (consumer, source, case) stream the inbox keeps the last applied sequence. An event
is applied only when it is the next one of its stream: an earlier or equal sequence is a
duplicate, a later one means an earlier event has not arrived yet (the relay re-sends a case's
whole tail after a failure), so it is left for the redelivery. Effects and inbox rows commit in
one transaction with the handler's own writes.

A transaction keeps its inbox work in a ``Ledger``: the streams of a consumer batch are read in
one statement before its first event (every reader's, every case's), and the advanced streams
and the inbox rows are written once, at the end: one guarded update of every advanced stream,
one insert of the new streams, one insert of all the rows, however many events and cases the
batch held; on PostgreSQL the three are one statement.
"""

from __future__ import annotations

import enum
import functools
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import TextClause, insert, select, text, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import Envelope, utcnow
from labornet_common.platform.db import dialect_name, json_param, rows_matched
from labornet_common.platform.outbox.tables import MessagingTables
from labornet_common.platform.uow import after_commit


class Arrival(enum.Enum):
    NEXT = "next"
    DUPLICATE = "duplicate"
    EARLY = "early"  # a gap: an earlier event of the stream has not been applied yet


def arrival_after(last: int, sequence: int) -> Arrival:
    """How an event of ``sequence`` arrives on a stream whose last applied sequence is ``last``."""
    if sequence <= last:
        return Arrival.DUPLICATE
    if sequence == last + 1:
        return Arrival.NEXT
    return Arrival.EARLY


PREFETCH_KEYS = 200  # streams per read: a batch's cases, bounded in bind parameters
KNOWN_STREAMS_MAX = 20_000  # streams a consumer remembers where it left (least recently used out)


class StreamMoved(RuntimeError):
    """Another consumer instance applied this stream's event first; treat as duplicate."""


StreamKey = tuple[str, str, str]  # (consumer, source, stream id)


class KnownStreams:
    """Where a consumer's committed transactions left its streams, so that the next event of a
    stream it applied before arrives without a read.

    A stream's stored sequence only ever grows, so what a commit left is a floor of it: an event
    at or below it is a duplicate for sure. The next one is applied on the word of this memory,
    and the write's guard (the stream still where it was read) catches a stream another instance
    of the consumer moved meanwhile: ``StreamMoved``, the stream forgotten, the transaction
    rolled back and the event looked at again from the database. An event that looks early is
    looked up in the database before it is left for redelivery. Learnt only after a commit;
    bounded, least recently used out first.
    """

    def __init__(self, limit: int = KNOWN_STREAMS_MAX) -> None:
        self.limit = limit
        self._last: OrderedDict[StreamKey, int] = OrderedDict()

    def get(self, key: StreamKey) -> int | None:
        last = self._last.get(key)
        if last is not None:
            self._last.move_to_end(key)
        return last

    def learn(self, positions: Mapping[StreamKey, int]) -> None:
        for key, last in positions.items():
            if last > 0:  # 0: no stored row, which the next writer inserts (never taken on trust)
                self._last[key] = last
                self._last.move_to_end(key)
        while len(self._last) > self.limit:
            self._last.popitem(last=False)

    def forget(self, keys: Iterable[StreamKey]) -> None:
        for key in keys:
            self._last.pop(key, None)


@dataclass
class Ledger:
    """The inbox work of one transaction: streams read once, written once by ``write``.

    ``consumers`` are the readers of the transaction: the first look at a case's stream reads
    every one of theirs in one statement. With ``known`` (the consumer's ``KnownStreams``) a
    stream it remembers is not read at all, and the commit teaches it where the streams are.
    """

    consumers: Sequence[str] = ()
    read: dict[StreamKey, int] = field(default_factory=dict)  # last sequence as read
    last: dict[StreamKey, int] = field(default_factory=dict)  # last sequence as advanced
    rows: list[dict[str, Any]] = field(default_factory=list)
    known: KnownStreams | None = None
    remembered: set[StreamKey] = field(default_factory=set)  # read from ``known``, not the database

    def _recall(self, keys: Sequence[StreamKey]) -> bool:
        """Take ``keys`` from ``known`` when it holds every one of them."""
        if self.known is None:
            return False
        found = [self.known.get(key) for key in keys]
        if any(last is None for last in found):
            return False
        for key, last in zip(keys, found, strict=True):
            self.read[key] = self.last[key] = int(last or 0)
            self.remembered.add(key)
        return True

    async def prefetch(self, session: AsyncSession, tables: MessagingTables, envelopes: Sequence[Envelope]) -> None:
        """Read the streams of ``envelopes`` for every consumer of the ledger, in one statement
        (per PREFETCH_KEYS cases): a batch's events then arrive without a read each."""
        if not self.consumers:
            return
        pairs = sorted({(e.source, e.subject) for e in envelopes} - {(s, i) for _, s, i in self.last})
        pairs = [(s, i) for s, i in pairs if not self._recall([(name, s, i) for name in self.consumers])]
        streams = tables.inbox_streams
        for start in range(0, len(pairs), PREFETCH_KEYS):
            chunk = pairs[start : start + PREFETCH_KEYS]
            rows = await session.execute(
                select(streams.c.consumer, streams.c.source, streams.c.stream_id, streams.c.last_sequence).where(
                    streams.c.consumer.in_(self.consumers),
                    tuple_(streams.c.source, streams.c.stream_id).in_(chunk),
                )
            )
            found = {(row.consumer, row.source, row.stream_id): row.last_sequence for row in rows}
            for source, stream_id in chunk:
                for name in self.consumers:
                    key = (name, source, stream_id)
                    self.read[key] = self.last[key] = int(found.get(key) or 0)

    async def arrival(
        self, session: AsyncSession, tables: MessagingTables, *, consumer: str, envelope: Envelope
    ) -> tuple[Arrival, int]:
        """How ``envelope`` arrives for ``consumer``, counting what this transaction applied."""
        key = (consumer, envelope.source, envelope.subject)
        if key not in self.last and not self._recall([key]):
            names = [consumer, *(c for c in self.consumers if c != consumer)]
            found = await _stored(session, tables, names, envelope.source, envelope.subject)
            for name in names:
                other = (name, envelope.source, envelope.subject)
                if other not in self.last:
                    self.read[other] = self.last[other] = int(found.get(name) or 0)
        previous = self.last[key]
        arrival = arrival_after(previous, envelope.sequence)
        if arrival is Arrival.EARLY and key in self.remembered and self.read[key] == previous:
            # Early by this process's memory only: another instance may have applied the events
            # between. The database says.
            self.remembered.discard(key)
            found = await _stored(session, tables, [consumer], envelope.source, envelope.subject)
            self.read[key] = self.last[key] = previous = int(found.get(consumer) or 0)
            arrival = arrival_after(previous, envelope.sequence)
        return arrival, previous

    def settle(self, *, consumer: str, envelope: Envelope, outcome: str, error: str | None = None) -> None:
        """``envelope`` (the next of its stream, per ``arrival``) is settled with ``outcome``."""
        self.last[(consumer, envelope.source, envelope.subject)] = envelope.sequence
        self.rows.append(
            {
                "consumer": consumer,
                "event_id": envelope.id,
                "event_type": envelope.type,
                "source": envelope.source,
                "stream_id": envelope.subject,
                "sequence": envelope.sequence,
                "outcome": outcome,
                "error": error,
                "processed_at": utcnow(),
            }
        )

    async def write(self, session: AsyncSession, tables: MessagingTables) -> None:
        """Advance the streams and keep the rows, inside the caller's transaction. A stream that
        another worker advanced meanwhile raises ``StreamMoved`` (the caller rolls back)."""
        streams = tables.inbox_streams
        fresh = []
        moved: list[tuple[StreamKey, int, int]] = []  # (stream, as read, as advanced)
        for key, last in self.last.items():
            read = self.read[key]
            if last == read:
                continue
            consumer, source, stream_id = key
            if read == 0:
                fresh.append({"consumer": consumer, "source": source, "stream_id": stream_id, "last_sequence": last})
            else:
                moved.append((key, read, last))
        try:
            if dialect_name(session) == "postgresql":
                if moved or fresh or self.rows:
                    await _write_postgresql(session, tables, moved, fresh, self.rows)
            else:
                if moved:
                    await _advance_sqlite(session, streams, moved)
                if fresh:  # a worker that inserted the same stream first makes this fail (rolled back)
                    await session.execute(insert(streams), fresh)
                if self.rows:
                    await session.execute(insert(tables.inbox), self.rows)
        except StreamMoved:
            if self.known is not None:  # the next look reads them from the database
                self.known.forget(key for key, _, _ in moved)
            raise
        self.read.update(self.last)
        self.rows = []
        if self.known is not None:
            known, positions = self.known, dict(self.last)
            after_commit(session, lambda: known.learn(positions))


async def _stored(
    session: AsyncSession, tables: MessagingTables, names: Sequence[str], source: str, stream_id: str
) -> dict[str, int]:
    """The stored last sequence of each of ``names`` on one stream (absent: none stored)."""
    streams = tables.inbox_streams
    rows = await session.execute(
        select(streams.c.consumer, streams.c.last_sequence).where(
            streams.c.consumer.in_(names), streams.c.source == source, streams.c.stream_id == stream_id
        )
    )
    return {row.consumer: int(row.last_sequence) for row in rows}


def _moved_json(moved: Sequence[tuple[StreamKey, int, int]]) -> str:
    fields = ("consumer", "source", "stream_id", "read", "last")
    return json_param([dict(zip(fields, (*key, read, last), strict=True)) for key, read, last in moved])


async def _write_postgresql(
    session: AsyncSession,
    tables: MessagingTables,
    moved: Sequence[tuple[StreamKey, int, int]],
    fresh: Sequence[dict[str, Any]],
    rows: Sequence[dict[str, Any]],
) -> None:
    """The guarded update of the moved streams, the insert of the new ones and the insert of the
    inbox rows in one statement (three data-modifying parts of one ``WITH``): one round trip per
    transaction instead of up to three. Every part travels as one JSON parameter, so the text is
    the same whatever the batch held. A stream another worker advanced raises ``StreamMoved``; a
    stream or an inbox row another worker inserted first fails the statement (rolled back)."""
    statement = _write_statement(tables.inbox_streams.name, tables.inbox.name)
    result = await session.execute(
        statement,
        {
            "moved": _moved_json(moved),
            "fresh": json_param(fresh),
            "rows": json_param(rows),
        },
    )
    if int(result.scalar_one()) != len(moved):
        raise StreamMoved(", ".join(k[2] for k, _, _ in moved))


@functools.cache
def _write_statement(streams: str, inbox: str) -> TextClause:
    return text(_WRITE_POSTGRESQL.format(streams=streams, inbox=inbox))


_WRITE_POSTGRESQL = """
WITH advanced AS (
    UPDATE {streams} AS s SET last_sequence = j.last
    FROM json_to_recordset(CAST(:moved AS json))
        AS j(consumer text, source text, stream_id text, read bigint, last bigint)
    WHERE s.consumer = j.consumer AND s.source = j.source AND s.stream_id = j.stream_id
      AND s.last_sequence = j.read
    RETURNING 1
), fresh AS (
    INSERT INTO {streams} (consumer, source, stream_id, last_sequence)
    SELECT consumer, source, stream_id, last_sequence
    FROM json_to_recordset(CAST(:fresh AS json))
        AS f(consumer text, source text, stream_id text, last_sequence bigint)
), kept AS (
    INSERT INTO {inbox} (consumer, event_id, event_type, source, stream_id, sequence, outcome, error, processed_at)
    SELECT consumer, event_id, event_type, source, stream_id, sequence, outcome, error, processed_at
    FROM json_to_recordset(CAST(:rows AS json)) AS r(
        consumer text, event_id text, event_type text, source text, stream_id text, sequence bigint,
        outcome text, error text, processed_at timestamptz
    )
)
SELECT count(*) FROM advanced
"""


async def _advance_sqlite(session: AsyncSession, streams: Any, moved: Sequence[tuple[StreamKey, int, int]]) -> None:
    """Advance the streams in one guarded update: each only from the sequence this transaction
    read. Fewer rows than streams means another worker advanced one meanwhile: StreamMoved.

    The streams travel as one JSON parameter, so the statement is the same text whatever their
    number (prepared once, nothing to build per stream)."""
    result = await session.execute(_advance_statement(streams.name), {"rows": _moved_json(moved)})
    if rows_matched(result) != len(moved):
        raise StreamMoved(", ".join(k[2] for k, _, _ in moved))


@functools.cache
def _advance_statement(table: str) -> TextClause:
    return text(_ADVANCE_SQLITE.format(table=table))


# SQLite 3.33 or later (UPDATE ... FROM).
_ADVANCE_SQLITE = """
UPDATE {table} SET last_sequence = j.last
FROM (
    SELECT json_extract(value, '$.consumer') AS consumer, json_extract(value, '$.source') AS source,
           json_extract(value, '$.stream_id') AS stream_id, json_extract(value, '$.read') AS read,
           json_extract(value, '$.last') AS last
    FROM json_each(:rows)
) AS j
WHERE {table}.consumer = j.consumer AND {table}.source = j.source AND {table}.stream_id = j.stream_id
  AND {table}.last_sequence = j.read
"""
