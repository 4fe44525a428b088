"""Inbox: what a consumer has applied, so redelivered events change nothing twice.

For each (consumer, source, case) stream the inbox keeps the last applied sequence. An event
is applied only when it is the next one of its stream: an earlier or equal sequence is a
duplicate, a later one means an earlier event has not arrived yet (the relay re-sends a case's
whole tail after a failure), so it is left for the redelivery. Effects and inbox rows commit in
one transaction with the handler's own writes.

A transaction keeps its inbox work in a ``Ledger``: each stream is read once (for every reader of
the transaction together), and the advanced streams and the inbox rows are written once, at the
end (one guarded update or insert per stream, one insert of all the rows), however many events
of the stream it applied.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import Envelope, utcnow
from labornet_common.platform.db import rows_matched
from labornet_common.platform.outbox.tables import MessagingTables


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


class StreamMoved(RuntimeError):
    """Another consumer instance applied this stream's event first; treat as duplicate."""


StreamKey = tuple[str, str, str]  # (consumer, source, stream id)


@dataclass
class Ledger:
    """The inbox work of one transaction: streams read once, written once by ``write``.

    ``consumers`` are the readers of the transaction: the first look at a case's stream reads
    every one of theirs in one statement.
    """

    consumers: Sequence[str] = ()
    read: dict[StreamKey, int] = field(default_factory=dict)  # last sequence as read
    last: dict[StreamKey, int] = field(default_factory=dict)  # last sequence as advanced
    rows: list[dict[str, Any]] = field(default_factory=list)

    async def arrival(
        self, session: AsyncSession, tables: MessagingTables, *, consumer: str, envelope: Envelope
    ) -> tuple[Arrival, int]:
        """How ``envelope`` arrives for ``consumer``, counting what this transaction applied."""
        key = (consumer, envelope.source, envelope.subject)
        if key not in self.last:
            names = [consumer, *(c for c in self.consumers if c != consumer)]
            streams = tables.inbox_streams
            rows = await session.execute(
                select(streams.c.consumer, streams.c.last_sequence).where(
                    streams.c.consumer.in_(names),
                    streams.c.source == envelope.source,
                    streams.c.stream_id == envelope.subject,
                )
            )
            found = {row.consumer: row.last_sequence for row in rows}
            for name in names:
                other = (name, envelope.source, envelope.subject)
                if other not in self.last:
                    self.read[other] = self.last[other] = int(found.get(name) or 0)
        previous = self.last[key]
        return arrival_after(previous, envelope.sequence), previous

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
        for key, last in self.last.items():
            read = self.read[key]
            if last == read:
                continue
            consumer, source, stream_id = key
            if read == 0:
                fresh.append({"consumer": consumer, "source": source, "stream_id": stream_id, "last_sequence": last})
                continue
            result = await session.execute(
                update(streams)
                .where(
                    (streams.c.consumer == consumer)
                    & (streams.c.source == source)
                    & (streams.c.stream_id == stream_id)
                    & (streams.c.last_sequence == read)
                )
                .values(last_sequence=last)
            )
            if rows_matched(result) != 1:
                raise StreamMoved(stream_id)
        if fresh:  # a worker that inserted the same stream first makes this fail (rolled back)
            await session.execute(insert(streams), fresh)
        if self.rows:
            await session.execute(insert(tables.inbox), self.rows)
        self.read.update(self.last)
        self.rows = []
