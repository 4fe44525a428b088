"""Outbox relay: publishes committed events to Kafka in order per case, at least once.

Crash safety: a row is marked published only after the broker acknowledged it, so a relay
killed at any point re-sends what it had not marked (consumers absorb the duplicates). Order:
one relay per database holds a lease; it reads rows in id order, which within a case is
sequence order; if a row fails, no later row of that case is marked, so the whole tail is
re-sent in order on the next pass.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common import metrics
from labornet_common.bus.producer import OutgoingRecord, send_all
from labornet_common.events import Envelope, to_kafka, utcnow
from labornet_common.outbox.lease import Lease
from labornet_common.outbox.tables import MessagingTables

log = logging.getLogger(__name__)


def _aware(dt: Any) -> Any:
    # SQLite returns naive datetimes; every stored time is UTC.
    return dt.replace(tzinfo=utcnow().tzinfo) if dt is not None and dt.tzinfo is None else dt


class OutboxRelay:
    def __init__(
        self,
        *,
        engine: AsyncEngine,
        tables: MessagingTables,
        producer: AIOKafkaProducer,
        service: str,
        batch_size: int = 500,
        poll_interval_s: float = 0.05,
        lease_ttl_s: float = 15.0,
    ) -> None:
        self.engine = engine
        self.tables = tables
        self.producer = producer
        self.service = service
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.lease_ttl = timedelta(seconds=lease_ttl_s)
        self.lease = Lease(
            engine=engine,
            table=tables.leases,
            name="outbox",
            ttl_s=lease_ttl_s,
            owner=f"{service}-{uuid.uuid4().hex[:12]}",
        )
        self.published_total = 0

    async def acquire_lease(self) -> bool:
        """Take or renew the single-publisher lease for this database."""
        return await self.lease.acquire()

    async def release_lease(self) -> None:
        await self.lease.release()

    async def mark_all_unpublished(self) -> int:
        """After the embedded broker restarts empty, publish everything again."""
        outbox = self.tables.outbox
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(outbox).where(outbox.c.published_at.is_not(None)).values(published_at=None)
            )
        return result.rowcount or 0

    async def publish_batch(self) -> int:
        """Publish one batch of pending rows; returns how many were marked published."""
        outbox = self.tables.outbox
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(outbox)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self.batch_size)
                )
            ).all()
        if not rows:
            return 0
        results = await send_all(self.producer, [_outgoing(r) for r in rows])
        sent, failed = _settle(rows, results)
        now = utcnow()
        async with self.engine.begin() as conn:
            if sent:
                await conn.execute(
                    update(outbox).where(outbox.c.id.in_(sent)).values(published_at=now)
                )
            for row_id, error in failed:
                await conn.execute(
                    update(outbox)
                    .where(outbox.c.id == row_id)
                    .values(attempts=outbox.c.attempts + 1, last_error=error[:2000])
                )
        metrics.OUTBOX_PUBLISHED.labels(self.service).inc(len(sent))
        if failed:
            metrics.OUTBOX_FAILURES.labels(self.service).inc(len(failed))
            log.warning("relay: %d events failed to publish; will retry", len(failed))
        self.published_total += len(sent)
        return len(sent)

    async def backlog(self) -> tuple[int, float]:
        """(pending events, age in seconds of the oldest pending one)."""
        outbox = self.tables.outbox
        async with self.engine.connect() as conn:
            oldest = await conn.scalar(
                select(outbox.c.created_at)
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.id)
                .limit(1)
            )
            pending = await conn.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        age = (utcnow() - _aware(oldest)).total_seconds() if oldest is not None else 0.0
        metrics.OUTBOX_OLDEST_PENDING.labels(self.service).set(max(age, 0.0))
        metrics.OUTBOX_PENDING.labels(self.service).set(pending or 0)
        return int(pending or 0), max(age, 0.0)

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; survives broker and database hiccups."""
        backoff = self.poll_interval_s
        idle_loops = 0
        while not stop.is_set():
            try:
                if not await self.acquire_lease():
                    await _wait(stop, self.lease_ttl.total_seconds() / 3)
                    continue
                published = await self.publish_batch()
                backoff = self.poll_interval_s
                if published == 0:
                    idle_loops += 1
                    if idle_loops % 20 == 1:
                        await self.backlog()
                    await _wait(stop, self.poll_interval_s)
                else:
                    idle_loops = 0
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("relay: publishing failed; retrying in %.1fs", backoff)
                await _wait(stop, backoff)
                backoff = min(backoff * 2, 5.0)
        await self.backlog()


def _outgoing(row: Any) -> OutgoingRecord:
    envelope = Envelope(
        id=row.event_id,
        type=row.event_type,
        source=row.source,
        subject=row.partition_key,
        data=row.data,
        sequence=row.sequence,
        time=_aware(row.created_at),
        traceparent=row.traceparent,
    )
    return OutgoingRecord(topic=row.topic, record=to_kafka(envelope))


def _settle(rows: list[Any], results: list[BaseException | None]) -> tuple[list[int], list[Any]]:
    """Rows safe to mark published: acknowledged, with no earlier failure in the same case."""
    broken_streams: set[str] = set()
    sent: list[int] = []
    failed: list[tuple[int, str]] = []
    for row, error in zip(rows, results, strict=True):
        if row.partition_key in broken_streams or error is not None:
            broken_streams.add(row.partition_key)
            failed.append((row.id, repr(error) if error else "earlier event of the case failed"))
        else:
            sent.append(row.id)
    return sent, failed


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        pass
