"""What a running service holds: settings, database, broker clients, its context, relay,
consumers and periodic jobs.

``build_app(spec, settings)`` wires one service: the same code path in the embedded stack and
in production, only the settings differ. A service declares, in its ``ServiceSpec[C]``, a typed
context (``C``: its clients, registers and settings-derived values, built once per process and
read as ``runtime.context``), its consumers and its periodic jobs, as data. The relay runs where
``run_relay`` says; the consumers and the jobs run together where ``run_consumers`` says (the
API process, or ``labornet worker``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from aiokafka import AIOKafkaProducer
from sqlalchemy import MetaData
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from labornet_common.platform import tracing
from labornet_common.platform.bus.consumer import EventConsumer, Handler, Reader
from labornet_common.platform.bus.probe import BrokerProbe
from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.db import create_engine, database_unavailable, session_factory
from labornet_common.platform.outbox.relay import OutboxRelay
from labornet_common.platform.outbox.signal import job_signal, wait_for_work
from labornet_common.platform.outbox.tables import MessagingTables
from labornet_common.platform.outbox.watch import BrokerWatch
from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.platform.uow import UnitOfWork

log = logging.getLogger(__name__)

C = TypeVar("C")
UowFactory = Callable[[], UnitOfWork]


async def _no_context(_runtime: Runtime[Any]) -> None:
    return None


@dataclass(frozen=True)
class ReaderSpec(Generic[C]):
    """A further reader of a consumer group: its inbox name, its topics and its handlers."""

    name: str
    topics: Sequence[str]
    handlers: Callable[[C], Mapping[str, Handler]]


@dataclass(frozen=True)
class ConsumerSpec(Generic[C]):
    """One consumer group: its name, the topics it reads and its handlers, made from the context.

    ``also`` names further readers, each with its own inbox, topics and handlers: the group reads
    every reader's topics, fetches and decodes the records once and applies the effects of every
    reader of a record in one transaction per batch (see ``EventConsumer``). A service declares
    one group with all its readers, so it keeps one fetch loop (one set of fetches, heartbeats and
    broker checks) however many readers it has. ``group`` is the Kafka consumer group, the name
    unless given.
    """

    name: str
    topics: Sequence[str]
    handlers: Callable[[C], Mapping[str, Handler]]
    also: Sequence[ReaderSpec[C]] = ()
    group: str = ""


@dataclass(frozen=True)
class JobSpec(Generic[C]):
    """A periodic job: ``run(context, uow_factory)`` every ``interval_s(settings)`` seconds.

    Jobs run where the consumers run (``run_consumers``: the API process or the worker); an
    interval of 0 switches the job off. The first run starts at once; then one run per interval,
    measured from the start of the previous run (no jitter; a run longer than the interval is
    followed by the next at once). A failed run is logged and the loop goes on; it stops with the
    runtime.

    With ``idle_max_s``, a run that returns 0 (it found nothing to do) doubles the next wait,
    from the interval up to ``idle_max_s``; a run that did work sets it back to the interval.
    A commit that queued work for the job ends the wait at once: the code that queues it calls
    ``uow.after_commit(session, job_signal(name).notify)``. Work queued by another process is
    found within ``idle_max_s``.
    """

    name: str
    interval_s: Callable[[Any], float]  # (the service's settings) -> seconds
    run: Callable[[C, UowFactory], Awaitable[object]]
    idle_max_s: Callable[[Any], float] | None = None  # (the service's settings) -> seconds


@dataclass(frozen=True)
class ServiceSpec(Generic[C]):
    """Everything the platform needs to know to run, migrate and wire one service."""

    name: str
    settings_cls: type[BaseServiceSettings]
    metadata: MetaData
    tables: MessagingTables
    migrations_dir: Path
    default_port: int
    routers: Callable[[], Sequence[Any]]
    # async (runtime) -> the service's context, built once before on_startup, consumers and jobs.
    context: Callable[[Runtime[C]], Awaitable[C]] = _no_context  # type: ignore[assignment]
    consumers: Sequence[ConsumerSpec[C]] = ()
    jobs: Sequence[JobSpec[C]] = ()
    on_startup: Callable[[Runtime[C]], Awaitable[None]] | None = None  # after the context is built
    on_shutdown: Callable[[Runtime[C]], Awaitable[None]] | None = None  # async, before it closes
    # Adds service-specific middleware (the gateway's authentication and audit); it runs
    # inside the request-context middleware, so request ids and traces are already set.
    configure_app: Callable[[Any], None] | None = None
    # async (runtime): sets the service's business gauges from its tables (see metrics.py);
    # called when /metrics is scraped, on the API and on a worker alike.
    business_metrics: Callable[[Runtime[C]], Awaitable[None]] | None = None
    title: str = ""

    @property
    def source(self) -> str:
        return f"/labornet/{self.name}"


class ContextNotBuilt(RuntimeError):
    """``runtime.context`` read before ``open()`` built it."""


@dataclass
class Runtime(Generic[C]):
    spec: ServiceSpec[C]
    settings: BaseServiceSettings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    producer: AIOKafkaProducer | None = None
    producer_ready: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    _context: C | None = None
    _context_built: bool = False
    _probe: BrokerProbe | None = None

    @classmethod
    def create(cls, spec: ServiceSpec[C], settings: BaseServiceSettings) -> Runtime[C]:
        engine = create_engine(
            settings.database_url, pool_size=settings.database_pool_size, echo=settings.database_echo
        )
        tracing.instrument_engine(engine)
        return cls(spec=spec, settings=settings, engine=engine, session_factory=session_factory(engine))

    async def open(self) -> None:
        """Build the service's context (once), then run its ``on_startup``; while the database
        refuses connections both are tried again (up to ``startup_database_wait_s``), so that a
        process restarted during an outage comes up when the database does instead of exiting."""
        loop = asyncio.get_running_loop()
        give_up_at = loop.time() + self.settings.startup_database_wait_s
        delay = 0.2
        while True:
            try:
                await self._open_once()
                return
            except Exception as exc:
                # A missing file (a font, a register) is a fault of the deployment, not an outage.
                misconfigured = isinstance(exc, FileNotFoundError | PermissionError)
                if misconfigured or not database_unavailable(exc) or loop.time() + delay > give_up_at:
                    raise
                log.warning("%s: database unavailable while starting (%s); retrying", self.spec.name, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _open_once(self) -> None:
        if not self._context_built:
            self._context = await self.spec.context(self)
            self._context_built = True
        if self.spec.on_startup is not None:
            await self.spec.on_startup(self)

    @property
    def context(self) -> C:
        """The service's context, as its ``ServiceSpec`` built it."""
        if not self._context_built:
            raise ContextNotBuilt(f"{self.spec.name}: the runtime's context is read before open()")
        return self._context  # type: ignore[return-value]

    @property
    def tables(self) -> MessagingTables:
        return self.spec.tables

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.session_factory, self.tables, source=self.spec.source)

    # -- broker ---------------------------------------------------------------------------

    async def _connect_producer(self) -> None:
        s = self.settings
        delay = 0.2
        while not self.stop.is_set():
            producer = make_producer(
                s.kafka_bootstrap_servers,
                client_id=s.kafka_client_id,
                enable_idempotence=s.kafka_enable_idempotence,
            )
            try:
                await producer.start()
                await ensure_topics(
                    s.kafka_bootstrap_servers,
                    partitions=s.kafka_topic_partitions,
                    replication=s.kafka_topic_replication,
                )
            except Exception as exc:
                await producer.stop()
                log.warning("broker not reachable at %s (%s); retrying", s.kafka_bootstrap_servers, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            self.producer = producer
            self.producer_ready.set()
            return

    async def broker_ok(self, timeout_s: float = 2.0) -> bool:
        if self.producer is None:
            return False
        try:
            await asyncio.wait_for(self.producer.client.fetch_all_metadata(), timeout_s)
            return True
        except Exception:
            return False

    # -- workers --------------------------------------------------------------------------

    async def _ensure_topics(self) -> None:
        s = self.settings
        await ensure_topics(
            s.kafka_bootstrap_servers, partitions=s.kafka_topic_partitions, replication=s.kafka_topic_replication
        )

    async def _run_relay(self, *, writers_signal: bool) -> None:
        await self.producer_ready.wait()
        assert self.producer is not None
        s = self.settings
        probe = self.broker_probe()
        self.relay = OutboxRelay(
            engine=self.engine,
            tables=self.tables,
            producer=self.producer,
            service=self.spec.name,
            batch_size=s.relay_batch_size,
            poll_interval_s=s.relay_poll_interval_s,
            idle_max_s=s.relay_idle_max_s,
            lease_ttl_s=s.relay_lease_ttl_s,
            watch=BrokerWatch(probe=probe, engine=self.engine, tables=self.tables),
            watch_interval_s=s.broker_watch_interval_s,
            watch_idle_max_s=s.broker_watch_idle_max_s,
            ensure_topics=self._ensure_topics,
            writers_signal=writers_signal,
        )
        if s.republish_outbox_on_start:
            count = await self.relay.mark_all_unpublished()
            log.info("embedded broker: republishing %d outbox events", count)
        try:
            await self.relay.run(self.stop)
        finally:
            await self.relay.release_lease()

    def broker_probe(self) -> BrokerProbe:
        """The process's broker probe: the relay's and the consumers' broker checks share it."""
        if self._probe is None:
            s = self.settings
            self._probe = BrokerProbe(bootstrap_servers=s.kafka_bootstrap_servers, client_id=s.kafka_client_id)
        return self._probe

    async def _run_consumer(self, consumer: EventConsumer) -> None:
        await self.producer_ready.wait()
        consumer.dlq_producer = self.producer
        s = self.settings
        while not self.stop.is_set():
            try:
                await consumer.run(
                    self.stop,
                    bootstrap_servers=s.kafka_bootstrap_servers,
                    client_id=s.kafka_client_id,
                    fetch_max_wait_ms=s.consumer_fetch_max_wait_ms,
                    watch_interval_s=s.broker_watch_interval_s,
                    watch_idle_max_s=s.broker_watch_idle_max_s,
                    session_timeout_ms=s.consumer_session_timeout_ms,
                    probe=self.broker_probe(),
                    ensure_topics=self._ensure_topics,
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("consumer %s stopped; restarting", consumer.name)
                await asyncio.sleep(1.0)

    async def _run_job(self, job: JobSpec[C], interval_s: float) -> None:
        loop = asyncio.get_running_loop()
        idle_max_s = max(interval_s, job.idle_max_s(self.settings)) if job.idle_max_s else interval_s
        signal = job_signal(job.name)
        period_s = interval_s
        while not self.stop.is_set():
            started = loop.time()
            done: object = None
            try:
                done = await job.run(self.context, self.uow)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("periodic job %s failed; it runs again at the next interval", job.name)
            idle = isinstance(done, int) and done == 0  # the run reported no work
            period_s = min(period_s * 2, idle_max_s) if idle else interval_s
            if await wait_for_work(self.stop, signal, max(0.0, started + period_s - loop.time())):
                period_s = interval_s  # woken by queued work

    def event_consumer(self, spec: ConsumerSpec[C]) -> EventConsumer:
        """A declared consumer, its handlers made from the context."""
        return event_consumer(
            self,
            name=spec.name,
            topics=spec.topics,
            handlers=spec.handlers(self.context),
            also=[Reader(r.name, r.handlers(self.context), frozenset(r.topics)) for r in spec.also],
            group=spec.group,
        )

    async def start(self, *, relay: bool, consumers: bool, api: bool = False) -> None:
        """Producer always; the relay if ``relay``; consumers and periodic jobs if ``consumers``.
        ``api``: this process also serves the service's API (``labornet serve``)."""
        self.tasks.append(asyncio.create_task(self._connect_producer(), name="producer"))
        if relay:
            # Every writer of the outbox commits here (API, consumers, jobs): their commits
            # wake the relay, which then need not poll for them.
            writers_here = api and consumers
            self.tasks.append(asyncio.create_task(self._run_relay(writers_signal=writers_here), name="relay"))
        if consumers:
            self.consumers = [self.event_consumer(c) for c in self.spec.consumers]
            for c in self.consumers:
                self.tasks.append(asyncio.create_task(self._run_consumer(c), name=c.name))
            self.start_jobs()

    def start_jobs(self) -> list[asyncio.Task[None]]:
        """One task per declared periodic job whose interval is above 0 (start() calls it)."""
        started = []
        for job in self.spec.jobs:
            interval_s = job.interval_s(self.settings)
            if interval_s > 0:
                started.append(asyncio.create_task(self._run_job(job, interval_s), name=job.name))
        self.tasks.extend(started)
        return started

    async def close(self, grace_s: float = 10.0) -> None:
        self.stop.set()
        if self.tasks:
            _done, pending = await asyncio.wait(self.tasks, timeout=grace_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self.producer is not None:
            await self.producer.stop()
        if self._probe is not None:
            await self._probe.close()
        await self.engine.dispose()
        tracing.flush()


def event_consumer(
    runtime: Runtime[Any],
    *,
    name: str,
    topics: Sequence[str],
    handlers: Mapping[str, Handler],
    also: Sequence[Reader] = (),
    group: str = "",
) -> EventConsumer:
    """A consumer wired to the service's database and retry settings."""
    return EventConsumer(
        name=name,
        topics=topics,
        handlers=handlers,
        session_factory=runtime.session_factory,
        tables=runtime.tables,
        source=runtime.spec.source,
        max_attempts=runtime.settings.consumer_max_attempts,
        retry_backoff_s=runtime.settings.consumer_retry_backoff_s,
        batch_size=runtime.settings.consumer_batch_size,
        lanes=1
        if make_url(runtime.settings.database_url).get_backend_name() == "sqlite"
        else runtime.settings.consumer_lanes,
        also=also,
        group=group,
    )
