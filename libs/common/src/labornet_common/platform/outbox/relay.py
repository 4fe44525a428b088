"""Outbox relay: publishes committed events to Kafka in order per case, at least once.

Crash safety: a row is marked published only after the broker acknowledged it, so a relay
killed at any point re-sends what it had not marked (consumers absorb the duplicates). Order:
one relay per database holds a lease; it reads rows in id order, which within a case is
sequence order; if a row fails, no later row of that case is marked, so the whole tail is
re-sent in order on the next pass.

Broker loss: rows are kept after publishing. Before publishing, and every ``watch_interval_s``
while it publishes (backing off to ``watch_idle_max_s`` while it has nothing to send, pace.py),
the relay's ``BrokerWatch`` checks the broker still holds what was published (see watch.py);
what it lost is marked unpublished and sent again, and until that is done ``lost_backlog``
is non-zero (readiness reports it).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import Envelope, to_kafka, utcnow
from labornet_common.platform import metrics, tracing
from labornet_common.platform.bus.producer import OutgoingRecord, send_all
from labornet_common.platform.outbox.lease import Lease
from labornet_common.platform.outbox.signal import outbox_signal, wait_for_work
from labornet_common.platform.outbox.tables import MessagingTables
from labornet_common.platform.outbox.watch import BrokerWatch, Loss
from labornet_common.platform.pace import IdlePace

log = logging.getLogger(__name__)
WATCH_TIMEOUT_S = 10.0
GAUGES_EVERY_S = 5.0  # an idle relay refreshes its backlog gauges this often


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
        idle_max_s: float = 1.0,
        lease_ttl_s: float = 15.0,
        watch: BrokerWatch | None = None,
        watch_interval_s: float = 1.0,
        watch_idle_max_s: float | None = None,  # None: every watch_interval_s, idle or not
        watch_full_interval_s: float = 10.0,
        ensure_topics: Callable[[], Awaitable[None]] | None = None,
        writers_signal: bool = False,
    ) -> None:
        self.engine = engine
        self.tables = tables
        self.producer = producer
        self.service = service
        self.batch_size = batch_size
        self.poll_interval_s = poll_interval_s
        self.idle_max_s = max(idle_max_s, poll_interval_s)
        self.signal = outbox_signal(tables.outbox)
        # True when every writer of this outbox commits in this process (the embedded default:
        # API, consumers and jobs beside the relay): each commit wakes the relay, so it need not
        # look again soon after publishing. A relay in ``labornet worker`` polls sooner after
        # work, for the API pods' commits it is not told of.
        self.writers_signal = writers_signal
        self._retrying = False  # the last pass left rows that failed to publish
        self._renew_at = 0.0  # monotonic time the lease is next renewed; 0: at the next pass
        self.lease_ttl = timedelta(seconds=lease_ttl_s)
        self.lease = Lease(
            engine=engine,
            table=tables.leases,
            name="outbox",
            ttl_s=lease_ttl_s,
            owner=f"{service}-{uuid.uuid4().hex[:12]}",
        )
        self.published_total = 0
        self.watch = watch
        self.watch_interval_s = watch_interval_s
        self.watch_full_interval_s = max(watch_full_interval_s, watch_interval_s)
        self._next_full_watch = 0.0  # monotonic time the full broker check is due at the latest
        self.ensure_topics = ensure_topics
        # When the next broker check is due (forced: before the next batch). An idle wait lasts
        # until then at most, and until the lease is due for renewal (hold_lease).
        self._watch_pace = IdlePace(watch_interval_s, watch_idle_max_s)
        self.lost_through: int | None = None  # highest outbox id being sent again after a loss
        self.lost_total = 0  # events marked for sending again since start
        # The relay's fixed statements, built once: it asks every second when idle and for every
        # batch under load, and a select built anew has its cache key computed anew each time.
        outbox = tables.outbox
        pending = outbox.c.published_at.is_(None)
        self._next_batch = select(outbox).where(pending).order_by(outbox.c.id).limit(batch_size)
        self._oldest_pending = select(outbox.c.created_at).where(pending).order_by(outbox.c.id).limit(1)
        self._pending_count = select(func.count()).select_from(outbox).where(pending)

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
        async with self.engine.connect() as conn:
            rows = (await conn.execute(self._next_batch)).all()
        if not rows:
            return 0
        # One producer span per row (tracing on): its context is the traceparent the event carries.
        spans = [
            tracing.start_publish(
                topic=r.topic,
                event_id=r.event_id,
                event_type=r.event_type,
                subject=r.partition_key,
                sequence=r.sequence,
                traceparent=r.traceparent,
            )
            for r in rows
        ]
        results = await send_all(
            self.producer,
            [
                _outgoing(r, tracing.traceparent_of(span) if span is not None else None)
                for r, span in zip(rows, spans, strict=True)
            ],
        )
        for span, result in zip(spans, results, strict=True):
            tracing.end_publish(span, result if isinstance(result, BaseException) else None)
        if self.watch is not None:
            self.watch.acknowledged(results)
        sent, failed = _settle(rows, results)
        self._retrying = bool(failed)
        now = utcnow()
        outbox = self.tables.outbox
        async with self.engine.begin() as conn:
            if sent:
                await conn.execute(update(outbox).where(outbox.c.id.in_(sent)).values(published_at=now))
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
            self._watch_pace.force()  # the broker may be another one when it answers again
        self.published_total += len(sent)
        return len(sent)

    async def watch_broker(self) -> Loss | None:
        """When due, check the broker still holds what was published; mark what it lost.

        Every ``watch_interval_s`` while it publishes, the relay checks; while it has nothing to
        publish the checks back off, doubling up to ``watch_idle_max_s``. The full check (every
        topic's partitions and the log ends of what was published) runs when something was
        published since the last one, when it was asked for (forced: at start, after a failure), when
        the cluster id changed, and at least every ``watch_full_interval_s``; otherwise the check
        is the cluster id alone (one small metadata request), which catches a broker that
        restarted empty. A topic deleted or a log truncated on a cluster that kept its id while
        nothing was published is seen by the next full check. Nothing is lost in between: the
        rows stay in the outbox until they are sent again.
        """
        if self.watch is None:
            return None
        now = time.monotonic()
        pace = self._watch_pace
        forced = pace.forced
        if not pace.due(now):
            return None
        if not (forced or self.watch.sent_since_check or now >= self._next_full_watch):
            # Raises while the broker cannot be asked (bounded), as the full check does. An
            # answer the process's consumers had from the probe within the interval serves.
            same = self.watch.same_cluster(max_age_s=pace.period_s)
            if await asyncio.wait_for(same, WATCH_TIMEOUT_S):
                return None
        pace.force()  # until the full check has answered
        # Raises while the broker cannot be asked (bounded): nothing is sent until it answers.
        loss = await asyncio.wait_for(self.watch.check(), WATCH_TIMEOUT_S)
        pace.defer()
        self._next_full_watch = time.monotonic() + self.watch_full_interval_s
        if loss is None:
            return None
        if (loss.everything or loss.topics) and self.ensure_topics is not None:
            await self.ensure_topics()  # unless a client's metadata request auto-created them first
        # The producer may still map keys over the lost topics' partitions (Tansu even accepts a
        # record for a partition the topic no longer has): learn the topics as they are now.
        await self.producer.client.force_metadata_update()
        count = await self.mark_lost(loss)
        self.watch.accept(loss)
        self.lost_total += count
        log.log(
            logging.WARNING if count else logging.INFO,
            "relay: the broker lost published events (%s); sending %d again",
            loss.reason,
            count,
        )
        metrics.OUTBOX_REPUBLISHED.labels(self.service).inc(count)
        return loss

    async def mark_lost(self, loss: Loss) -> int:
        """Mark the published rows the loss covers as unpublished (kept in id order)."""
        outbox = self.tables.outbox
        published = outbox.c.published_at.is_not(None)
        async with self.engine.begin() as conn:
            if loss.everything:
                ids = (await conn.execute(select(outbox.c.id).where(published))).scalars().all()
            else:
                rows = await conn.execute(select(outbox.c.id, outbox.c.topic, outbox.c.partition_key).where(published))
                ids = [r.id for r in rows if loss.covers(r.topic, r.partition_key)]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                await conn.execute(update(outbox).where(outbox.c.id.in_(chunk)).values(published_at=None))
        if ids:
            self.lost_through = max(max(ids), self.lost_through or 0)
        return len(ids)

    async def lost_backlog(self) -> int:
        """Events the broker lost that are not yet sent again (0 when there are none)."""
        if self.lost_through is None:
            return 0
        outbox = self.tables.outbox
        async with self.engine.connect() as conn:
            pending = await conn.scalar(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.published_at.is_(None), outbox.c.id <= self.lost_through)
            )
        if not pending:
            self.lost_through = None
        return int(pending or 0)

    async def backlog(self) -> tuple[int, float]:
        """(pending events, age in seconds of the oldest pending one)."""
        async with self.engine.connect() as conn:
            oldest = await conn.scalar(self._oldest_pending)
            pending = await conn.scalar(self._pending_count)
        age = (utcnow() - _aware(oldest)).total_seconds() if oldest is not None else 0.0
        metrics.OUTBOX_OLDEST_PENDING.labels(self.service).set(max(age, 0.0))
        metrics.OUTBOX_PENDING.labels(self.service).set(pending or 0)
        return int(pending or 0), max(age, 0.0)

    async def hold_lease(self) -> bool:
        """The lease, renewed once a third of its time has passed (not on every pass)."""
        if time.monotonic() < self._renew_at:
            return True
        if not await self.acquire_lease():
            self._renew_at = 0.0
            return False
        self._renew_at = time.monotonic() + self.lease_ttl.total_seconds() / 3
        return True

    async def run(self, stop: asyncio.Event) -> None:
        """Publish until ``stop`` is set; survives broker and database hiccups.

        With nothing to publish it waits for a commit's signal (signal.py), or for a poll
        interval that doubles after each empty pass up to ``idle_max_s``: an idle relay costs
        next to nothing, and one woken by a commit publishes at once. When every writer signals
        (``writers_signal``), a pass that published less than a batch does not look again at
        once: it waits for a commit until the next broker check is due (every
        ``watch_interval_s`` after work, backing off to ``watch_idle_max_s`` while idle). No
        wait outlasts the next broker check.
        """
        backoff = self.poll_interval_s
        idle = self.poll_interval_s
        next_gauges = 0.0
        signal = self.signal
        pace = self._watch_pace
        while not stop.is_set():
            try:
                if not await self.hold_lease():
                    await _wait(stop, self.lease_ttl.total_seconds() / 3)
                    continue
                await self.watch_broker()
                published = await self.publish_batch()
                backoff = self.poll_interval_s
                told = self.writers_signal and not self._retrying
                if published:
                    pace.busy()
                    if published >= self.batch_size or not told:
                        idle = self.poll_interval_s
                        continue
                if time.monotonic() >= next_gauges:
                    await self.backlog()
                    next_gauges = time.monotonic() + GAUGES_EVERY_S
                now = time.monotonic()
                until_watch = pace.remaining(now) if self.watch is not None else self.idle_max_s
                until = min(until_watch, self._renew_at - now)
                wait = until if told else min(idle, self.idle_max_s, until)
                woken = await wait_for_work(stop, signal, max(wait, self.poll_interval_s))
                idle = self.poll_interval_s if woken else min(max(idle * 2, self.poll_interval_s), self.idle_max_s)
            except asyncio.CancelledError:
                raise
            except Exception:
                pace.force()
                self._renew_at = 0.0
                log.exception("relay: publishing failed; retrying in %.1fs", backoff)
                await _wait(stop, backoff)
                backoff = min(backoff * 2, 5.0)
        await self.backlog()


def _outgoing(row: Any, traceparent: str | None = None) -> OutgoingRecord:
    envelope = Envelope(
        id=row.event_id,
        type=row.event_type,
        source=row.source,
        subject=row.partition_key,
        data=row.data,
        sequence=row.sequence,
        time=_aware(row.created_at),
        traceparent=traceparent or row.traceparent,
    )
    return OutgoingRecord(topic=row.topic, record=to_kafka(envelope))


def _settle(rows: Sequence[Any], results: list[Any]) -> tuple[list[int], list[Any]]:
    """Rows safe to mark published: acknowledged, with no earlier failure in the same case."""
    broken_streams: set[str] = set()
    sent: list[int] = []
    failed: list[tuple[int, str]] = []
    for row, error in zip(rows, results, strict=True):
        error = error if isinstance(error, BaseException) else None  # else: where it was put
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
