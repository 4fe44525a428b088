"""Idempotent Kafka consumer: inbox row + handler effect in one transaction, offset after.

- The records a fetch brings are applied up to ``batch_size`` per transaction, in order (one
  BEGIN/COMMIT and one inbox read per case for the lot, not per event). A batch that fails is
  rolled back whole and its records are settled one by one, as below.
- With ``lanes`` above 1 a fetch's records are split by subject (case) into lanes applied side
  by side, each in transactions of its own (``lanes_of``): a case's events stay in one lane, in
  their order; the offsets are committed when every lane is done.

- Auto-commit is off; offsets are committed only after the events before them are settled
  (applied, found to be duplicates, or dead-lettered), so a crash anywhere re-delivers.
- A rebalance that moves a partition mid-batch makes the offset commit fail; the new owner
  re-delivers, and the inbox turns the repeat into a no-op.
- Poison messages (undecodable, invalid payload, a handler that keeps failing) go to
  ``<topic>.dlq`` with the error, are recorded as dead-lettered, and the consumer moves on.
  Database outages are not poison: those are retried until the database is back.
- A broker that lost the log being read is read again from the start of each partition (see
  rewind.py): one restarted empty (another cluster id) by a Kafka consumer started afresh, a
  log truncated under the consumer's positions by a seek; the inbox turns the repeats into no-ops.
- Before each join the consumer makes its topics (the service's configured partitions), so one
  that starts afresh on a broker that restarted empty does not join before they exist or have
  the broker make them at its own count; and it refreshes what it knows of their partitions
  every METADATA_MAX_AGE_MS, so a topic made after the join is read within that.
- One consumer group (``group``) may feed several readers (``also``): each reader keeps its own inbox
  streams under its own name and its own handlers, and reads its own topics (the group reads
  them all), and a batch applies every reader's effects in the same transaction, so the records
  are fetched and decoded once and a service keeps one fetch loop however many readers it has.
  A record of a topic a reader does not read leaves no trace in that reader's inbox. The offset
  is committed once every reader has settled the records before it. When a batch cannot be
  applied whole, each reader settles each record in a transaction of its own, with its own
  retries and dead letters, exactly as a consumer group of its own would.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from labornet_common.contracts.events import (
    Envelope,
    EventData,
    MalformedEvent,
    UnknownEventType,
    from_kafka,
)
from labornet_common.platform import inbox, metrics, tracing
from labornet_common.platform.bus.lag import LagReporter
from labornet_common.platform.bus.probe import FETCHER_IDLE_WAKE_MS, BrokerProbe
from labornet_common.platform.bus.rewind import BrokerReplaced, Rewinder
from labornet_common.platform.bus.topics import dead_letter_topic
from labornet_common.platform.context import case_id_var, traceparent_var
from labornet_common.platform.db import database_unavailable
from labornet_common.platform.outbox.tables import MessagingTables
from labornet_common.platform.uow import UnitOfWork, transaction_state

log = logging.getLogger(__name__)

Handler = Callable[[UnitOfWork, Envelope, Any], Awaitable[None]]
T = TypeVar("T")
ANY_EVENT = "*"  # handler key for every event type without a handler of its own
STOP_GRACE_S = 1.0  # how long a stopping consumer waits to leave its group
# How long a consumer trusts what it knows of its topics' partitions: a topic created after it
# joined (a broker that restarted empty, its topics made again after the join) is read within
# this, not after the client's five-minute default. One small metadata request per interval.
METADATA_MAX_AGE_MS = 15_000
TOPICS_TIMEOUT_S = 10.0  # how long a consumer starting afresh waits for its topics to be made
# Records per lane a fetch must bring for each lane beyond the first (``lanes_of``).
LANE_LEAST_RECORDS = 16


_BATCH = "labornet.consumer.batch"  # per transaction: the consumer batch it applies


def batch_subjects(uow: UnitOfWork) -> list[str]:
    """The subjects (case ids) of the consumer batch ``uow`` applies, each once, in order: a
    handler that reads a row per case may read the whole batch's rows in one statement at its
    first miss. Empty outside a batch (a record settled on its own)."""
    return list(transaction_state(uow.session, _BATCH).get("subjects", ()))


@dataclass(frozen=True)
class Reader:
    """What one inbox applies: its name (the inbox's consumer column) and its handlers."""

    name: str
    handlers: Mapping[str, Handler]
    topics: frozenset[str] = frozenset()  # the topics it reads; empty: every topic of its group

    def reads(self, topic: str) -> bool:
        return not self.topics or topic in self.topics


class PoisonEvent(Exception):
    """Raised by a handler for an event that can never be applied (no retry)."""


@dataclass
class Settled:
    outcome: str  # applied | ignored | duplicate | early | dead_lettered
    error: str | None = None


class EventConsumer:
    def __init__(
        self,
        *,
        name: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler],
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        source: str,
        max_attempts: int = 5,
        retry_backoff_s: float = 0.2,
        batch_size: int = 100,
        lanes: int = 1,
        also: Sequence[Reader] = (),
        group: str = "",
    ) -> None:
        self.name = name
        self.group = group or name  # the Kafka consumer group: the consumer's name unless named
        self.handlers = dict(handlers)
        # The consumer's own reader first (its inbox is named after the consumer), then the others.
        self.readers = [Reader(name, self.handlers, frozenset(topics)), *also]
        # The group reads every reader's topics, its own first.
        self.topics = list(dict.fromkeys([*topics, *(t for reader in also for t in sorted(reader.topics))]))
        self.session_factory = session_factory
        self.tables = tables
        self.source = source
        self.max_attempts = max_attempts
        self.retry_backoff_s = retry_backoff_s
        # Records applied per transaction; 1 applies each on its own.
        self.batch_size = max(1, batch_size)
        # Transactions a fetch is applied in side by side, each over the records of its own
        # cases (see ``lanes_of``); 1 applies the fetch in one lane.
        self.lanes = max(1, lanes)
        self.dlq_producer: AIOKafkaProducer | None = None
        # Where this consumer's commits left its streams: their next events need no read.
        self.known_streams = inbox.KnownStreams()

    # -- processing one record (usable without Kafka, for tests of pure handling) ---------

    async def process(self, *, topic: str, key: Any, value: Any, headers: Any) -> Settled:
        """Settle one record for every reader of its topic, each in its own transaction; the
        consumer's own reader's outcome is returned ("ignored" when it does not read the topic)."""
        readers = [reader for reader in self.readers if reader.reads(topic)]
        try:
            envelope = from_kafka(key=key, value=value, headers=headers)
        except MalformedEvent as exc:
            await self._dead_letter(self.name, topic, key, value, headers, str(exc))
            for reader in readers:
                self._count(reader, Settled("dead_lettered", str(exc)))
            return Settled("dead_lettered", str(exc))
        own = Settled("ignored")
        for reader in readers:
            settled = await self._process_for(reader, topic, key, value, headers, envelope)
            own = settled if reader is self.readers[0] else own
        return own

    async def _process_for(
        self, reader: Reader, topic: str, key: Any, value: Any, headers: Any, envelope: Envelope
    ) -> Settled:
        with tracing.consuming(
            consumer=reader.name,
            topic=topic,
            event_id=envelope.id,
            event_type=envelope.type,
            subject=envelope.subject,
            sequence=envelope.sequence,
            traceparent=envelope.traceparent,
        ) as traceparent:
            token_trace = traceparent_var.set(traceparent)
            token_case = case_id_var.set(envelope.subject)
            try:
                settled = await self._process_envelope(reader, topic, key, value, headers, envelope)
                tracing.annotate(**{"labornet.outcome": settled.outcome, "labornet.error": settled.error})
                return self._count(reader, settled)
            finally:
                traceparent_var.reset(token_trace)
                case_id_var.reset(token_case)

    async def _process_envelope(
        self, reader: Reader, topic: str, key: Any, value: Any, headers: Any, envelope: Envelope
    ) -> Settled:
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._apply(reader, envelope)
            except inbox.StreamMoved:
                continue  # another instance applied it first; the next look sees a duplicate
            except Exception as exc:
                if database_unavailable(exc):
                    log.warning("consumer %s: database unavailable, retrying: %s", reader.name, exc)
                    await asyncio.sleep(min(self.retry_backoff_s * attempt, 5.0))
                    attempt = 0
                    continue
                error = f"{type(exc).__name__}: {exc}"
                if isinstance(exc, PoisonEvent | ValidationError | UnknownEventType):
                    attempt = self.max_attempts
                log.warning("consumer %s: handler failed (attempt %d): %s", reader.name, attempt, error)
            if attempt >= self.max_attempts:
                await self._dead_letter(reader.name, topic, key, value, headers, error)
                return await self._record_dead(reader, envelope, error)
            await asyncio.sleep(self.retry_backoff_s * attempt)

    async def _apply(self, reader: Reader, envelope: Envelope) -> Settled:
        async with UnitOfWork(self.session_factory, self.tables, source=self.source) as uow:
            ledger = inbox.Ledger(known=self.known_streams)
            settled = await self._apply_in(uow, reader, envelope, ledger)
            if settled.outcome in ("applied", "ignored"):
                await ledger.write(uow.session, self.tables)
                await uow.commit()
            return settled

    async def _apply_in(self, uow: UnitOfWork, reader: Reader, envelope: Envelope, ledger: inbox.Ledger) -> Settled:
        """Apply one event for one reader inside ``uow``; its inbox work goes to ``ledger``,
        which the caller writes before it commits."""
        arrival, previous = await ledger.arrival(uow.session, self.tables, consumer=reader.name, envelope=envelope)
        if arrival is inbox.Arrival.DUPLICATE:
            return Settled("duplicate")
        if arrival is inbox.Arrival.EARLY:
            log.warning(
                "consumer %s: %s seq %d arrived before seq %d; awaiting redelivery",
                reader.name,
                envelope.subject,
                envelope.sequence,
                previous + 1,
            )
            return Settled("early")
        handler = reader.handlers.get(envelope.type)
        outcome = "ignored"
        if handler is not None:
            await handler(uow, envelope, envelope.payload())
            outcome = "applied"
        elif (catch_all := reader.handlers.get(ANY_EVENT)) is not None:
            # Handlers of every event (webhook fan-out, risk picture) take the raw data.
            await catch_all(uow, envelope, envelope.data)
            outcome = "applied"
        uow.collect()  # the events it caused, in its trace
        ledger.settle(consumer=reader.name, envelope=envelope, outcome=outcome)
        return Settled(outcome)

    async def process_batch(self, records: Sequence[ConsumerRecord]) -> list[Settled] | None:
        """Apply consecutive records of one partition in one transaction (inbox rows, effects and
        the events they cause commit together), in their order, so a case's events keep theirs;
        every reader applies each record before the next. The consumer's own reader's outcomes are
        returned, one per record.

        None when the batch could not be applied as a whole (an undecodable record, a handler
        that failed, the database away, another instance ahead on a stream): nothing of it was
        committed, and the caller settles the records one by one, with the retries, dead letters
        and outage waits of ``process``.
        """
        try:
            envelopes = [from_kafka(key=r.key, value=r.value, headers=r.headers) for r in records]
        except MalformedEvent:
            return None
        settled: list[tuple[Reader, Settled]] = []
        own = self.readers[0]
        own_outcomes: list[Settled] = []
        try:
            async with UnitOfWork(self.session_factory, self.tables, source=self.source) as uow:
                transaction_state(uow.session, _BATCH)["subjects"] = list(dict.fromkeys(e.subject for e in envelopes))
                topics = {record.topic for record in records}
                readers = [reader for reader in self.readers if any(reader.reads(t) for t in topics)]
                ledger = inbox.Ledger(consumers=[reader.name for reader in readers], known=self.known_streams)
                await ledger.prefetch(uow.session, self.tables, envelopes)
                for record, envelope in zip(records, envelopes, strict=True):
                    own_outcomes.append(Settled("ignored"))
                    for reader in readers:
                        if not reader.reads(record.topic):
                            continue
                        outcome = await self._apply_traced(uow, reader, record.topic, envelope, ledger)
                        settled.append((reader, outcome))
                        if reader is own:
                            own_outcomes[-1] = outcome
                await ledger.write(uow.session, self.tables)
                await uow.commit()
        except Exception as exc:
            log.info("consumer %s: a batch of %d was not applied whole (%s); one by one", self.name, len(records), exc)
            return None
        for reader, outcome in settled:
            self._count(reader, outcome)
        return own_outcomes

    async def _apply_traced(
        self, uow: UnitOfWork, reader: Reader, topic: str, envelope: Envelope, ledger: inbox.Ledger
    ) -> Settled:
        with tracing.consuming(
            consumer=reader.name,
            topic=topic,
            event_id=envelope.id,
            event_type=envelope.type,
            subject=envelope.subject,
            sequence=envelope.sequence,
            traceparent=envelope.traceparent,
        ) as traceparent:
            token_trace = traceparent_var.set(traceparent)
            token_case = case_id_var.set(envelope.subject)
            try:
                settled = await self._apply_in(uow, reader, envelope, ledger)
                tracing.annotate(**{"labornet.outcome": settled.outcome, "labornet.error": settled.error})
                return settled
            finally:
                traceparent_var.reset(token_trace)
                case_id_var.reset(token_case)

    async def _record_dead(self, reader: Reader, envelope: Envelope, error: str) -> Settled:
        while True:
            try:
                async with UnitOfWork(self.session_factory, self.tables, source=self.source) as uow:
                    ledger = inbox.Ledger()
                    arrival, _ = await ledger.arrival(uow.session, self.tables, consumer=reader.name, envelope=envelope)
                    if arrival is inbox.Arrival.NEXT:
                        ledger.settle(
                            consumer=reader.name, envelope=envelope, outcome="dead_lettered", error=error[:2000]
                        )
                        await ledger.write(uow.session, self.tables)
                        await uow.commit()
                return Settled("dead_lettered", error)
            except (inbox.StreamMoved, IntegrityError):
                continue
            except Exception as exc:
                if not database_unavailable(exc):
                    raise
                await asyncio.sleep(self.retry_backoff_s)

    async def _dead_letter(self, consumer: str, topic: str, key: Any, value: Any, headers: Any, error: str) -> None:
        metrics.CONSUMER_DEAD_LETTERS.labels(consumer).inc()
        log.error("consumer %s: dead-lettering a record of %s: %s", consumer, topic, error)
        if self.dlq_producer is None:
            return
        extra = [
            ("x-labornet-error", error[:4000].encode()),
            ("x-labornet-consumer", consumer.encode()),
            ("x-labornet-original-topic", topic.encode()),
        ]
        await (
            await self.dlq_producer.send(
                dead_letter_topic(topic), value=value, key=key, headers=[*(headers or ()), *extra]
            )
        )

    def _count(self, reader: Reader, settled: Settled) -> Settled:
        metrics.CONSUMER_EVENTS.labels(reader.name, settled.outcome).inc()
        return settled

    # -- the Kafka loop --------------------------------------------------------------------

    async def run(
        self,
        stop: asyncio.Event,
        *,
        bootstrap_servers: str,
        client_id: str,
        fetch_max_wait_ms: int = 100,
        watch_interval_s: float = 1.0,
        watch_idle_max_s: float | None = None,  # None: every watch_interval_s, idle or not
        session_timeout_ms: int = 6000,  # consumer_session_timeout_ms
        probe: BrokerProbe | None = None,  # the process's (runtime.py); else one of its own
        ensure_topics: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """Read until ``stop``. ``ensure_topics`` makes the topics (with the configured partitions)
        before each join: a consumer that starts afresh on a broker that restarted empty joins
        knowing every topic it reads, rather than joining before they exist (and being assigned
        none of theirs) or having the broker make them with its own partition count."""
        own_probe = probe is None
        if probe is None:
            probe = BrokerProbe(bootstrap_servers=bootstrap_servers, client_id=client_id)
        try:
            while not stop.is_set():
                if ensure_topics is not None:
                    await _topics_made(self.name, ensure_topics, stop)
                # The Kafka consumer, started afresh when the broker turns out to be another
                # one (restarted empty): nothing it knew of the old one (the topics' partitions,
                # its group generation, its positions) holds there.
                consumer = AIOKafkaConsumer(
                    bootstrap_servers=bootstrap_servers,
                    client_id=client_id,
                    group_id=self.group,
                    enable_auto_commit=False,
                    auto_offset_reset="earliest",
                    max_poll_records=500,
                    consumer_timeout_ms=FETCHER_IDLE_WAKE_MS,
                    # Bounds event latency on brokers that hold a fetch when data arrives (Tansu
                    # answers at half the wait); Apache Kafka answers as soon as data is there.
                    # See ``consumer_fetch_max_wait_ms``: long enough that an idle consumer costs little.
                    fetch_max_wait_ms=fetch_max_wait_ms,
                    session_timeout_ms=session_timeout_ms,
                    heartbeat_interval_ms=max(100, session_timeout_ms // 3),
                    metadata_max_age_ms=METADATA_MAX_AGE_MS,
                )
                consumer.subscribe(self.topics, listener=_Assignment(self.group))
                rewinder = Rewinder(
                    name=self.group, probe=probe, interval_s=watch_interval_s, idle_max_s=watch_idle_max_s
                )
                lag = LagReporter(self.group, interval_s=watch_interval_s, idle_max_s=watch_idle_max_s)
                if not await self._consume(consumer, rewinder, lag, stop):
                    return
        finally:
            if own_probe:
                await probe.close()

    async def _consume(
        self, consumer: AIOKafkaConsumer, rewinder: Rewinder, lag: LagReporter, stop: asyncio.Event
    ) -> bool:
        """Read until ``stop``; True when the broker was replaced and the consumer must start afresh."""
        stopping = asyncio.ensure_future(stop.wait())
        try:
            # The broker's identity before the join: a broker replaced while it held the join
            # (the consumer then joins the new one knowing the old one's partitions) is noticed.
            if await _unless_stopped(rewinder.start(), stopping) is None:
                return False
            # Starting joins the group, which the broker may hold for seconds; a stop meanwhile
            # stops waiting for it (and ``finally`` leaves the join within STOP_GRACE_S).
            if await _unless_stopped(consumer.start(), stopping) is None:
                return False
            # The fetcher long-polls the broker by itself; this loop only waits for what it
            # brings, and wakes when the next broker check is due to make it.
            while not stop.is_set():
                wait_ms = max(50, int(rewinder.pace.remaining() * 1000))
                # A stop ends the wait at once (a shutdown does not sit out the fetch wait);
                # what a cancelled wait had fetched is not committed, so it is fetched again.
                fetched = await _unless_stopped(consumer.getmany(timeout_ms=wait_ms), stopping)
                if fetched is None:
                    break
                batches = fetched.result()
                if batches:
                    await self._settle_fetch(consumer, batches)
                # A broker that lost the log: read it again.
                await rewinder.check(consumer, fetched=bool(batches))
                await lag.report(consumer, fetched=bool(batches))
            return False
        except BrokerReplaced as exc:
            log.warning("consumer %s: %s; starting afresh, reading every partition from its start", self.name, exc)
            metrics.CONSUMER_REWINDS.labels(self.group).inc(len(consumer.assignment()))
            return True
        finally:
            stopping.cancel()
            if stop.is_set():
                # Shutting down: leaving the group takes milliseconds, but a join the broker
                # still holds would be waited out (aiokafka lets the join round finish); past
                # a moment it is abandoned, and the broker drops the member at its timeout.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(consumer.stop(), STOP_GRACE_S)
            else:
                await consumer.stop()

    async def _settle_fetch(
        self, consumer: AIOKafkaConsumer, batches: Mapping[TopicPartition, list[ConsumerRecord]]
    ) -> None:
        """Settle what one fetch brought, its lanes side by side, then commit each partition's
        offset past its last record: a crash before the commit re-delivers the whole fetch."""
        lanes = lanes_of([record for records in batches.values() for record in records], self.lanes)
        if len(lanes) == 1:
            await self.settle_records(lanes[0])
        else:
            # A lane that fails stops the others (the fetch is fetched again after a restart).
            async with asyncio.TaskGroup() as group:
                for lane in lanes:
                    group.create_task(self.settle_records(lane))
        try:
            await consumer.commit({tp: records[-1].offset + 1 for tp, records in batches.items()})
        except (CommitFailedError, KafkaError) as exc:
            # A partition moved to another member; it will re-deliver and the inbox dedupes.
            log.warning("consumer %s: offset commit for %s failed: %s", self.name, sorted(batches), exc)

    async def settle_records(self, records: Sequence[ConsumerRecord]) -> None:
        """Apply records in their order, up to ``batch_size`` per transaction; a batch that
        cannot be applied whole is settled one record at a time."""
        for start in range(0, len(records), self.batch_size):
            chunk = records[start : start + self.batch_size]
            # A lone record too: its readers apply it in one transaction, not one each.
            if await self.process_batch(chunk) is not None:
                continue
            for rec in chunk:
                await self.process(topic=rec.topic, key=rec.key, value=rec.value, headers=rec.headers)


class _Assignment(ConsumerRebalanceListener):  # type: ignore[misc]
    """Logs what the group gave this consumer to read, after each rebalance: a consumer that
    reads nothing (or not every topic) says so."""

    def __init__(self, group: str) -> None:
        self.group = group

    async def on_partitions_revoked(self, revoked: Any) -> None:
        return None

    async def on_partitions_assigned(self, assigned: Any) -> None:
        topics: dict[str, int] = {}
        for tp in assigned:
            topics[tp.topic] = topics.get(tp.topic, 0) + 1
        read = ", ".join(f"{topic} ({n})" for topic, n in sorted(topics.items())) or "nothing"
        log.info("consumer %s: the group gave it %s to read", self.group, read)


async def _topics_made(name: str, ensure_topics: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    """The topics made before a join; a broker that cannot make them now does not hold the
    consumer up (it joins, and learns of topics made later within METADATA_MAX_AGE_MS), nor
    does it hold up a stop."""
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await _unless_stopped(asyncio.wait_for(ensure_topics(), TOPICS_TIMEOUT_S), stopping)
    except Exception as exc:
        log.info("consumer %s: topics not made before the join: %s", name, exc)
    finally:
        stopping.cancel()


async def _unless_stopped(work: Awaitable[T], stopping: asyncio.Future[Any]) -> asyncio.Future[T] | None:
    """``work`` run to its end (its result or error in the returned future), or None, ``work``
    cancelled, when ``stopping`` completes first."""
    task = asyncio.ensure_future(work)
    await asyncio.wait([task, stopping], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # an error of the work is raised here
        return task
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    return None


def lanes_of(
    records: Sequence[ConsumerRecord], lanes: int, *, least: int = LANE_LEAST_RECORDS
) -> list[list[ConsumerRecord]]:
    """A fetch's records in up to ``lanes`` lanes, each applied in transactions of its own, the
    lanes side by side: while one waits for the database the process works on another, and the
    database on two transactions at once. Every record of one subject (the case, whose inbox
    stream it advances) goes to the same lane, in the order fetched, so a case's events are
    applied one after the other as they would be in one lane; a lane holds each partition's
    records in their order. Empty lanes are left out.

    A lane is opened per ``least`` records only: a fetch of a few events (no backlog) is
    applied in one transaction, which costs fewer statements than two and is no slower."""
    lanes = min(lanes, len(records) // max(1, least))
    if lanes <= 1:
        return [list(records)]
    out: list[list[ConsumerRecord]] = [[] for _ in range(lanes)]
    for record in records:
        out[zlib.crc32(_subject_of(record)) % lanes].append(record)
    return [lane for lane in out if lane]


def _subject_of(record: ConsumerRecord) -> bytes:
    """The record's subject as its CloudEvents header carries it, else its key. Every event of
    this network is keyed by its subject; the header decides for a record keyed otherwise, so
    that two events of one stream never go to two lanes (the second would find the first not
    yet committed and be left for a redelivery)."""
    for name, value in record.headers or ():
        if name == "ce_subject":
            return bytes(value)
    key = record.key
    return key if isinstance(key, bytes) else str(key or "").encode()


def handles(payload: type[EventData]) -> str:
    """The CloudEvent type a payload class is registered under (for handler maps)."""
    return payload.event_type
