"""What a running service holds: settings, database, broker clients, relay and consumers.

``build_app(spec, settings)`` wires one service: the same code path in the embedded stack and
in production, only the settings differ. The relay and the consumers run as background tasks
of the API process (``run_relay``/``run_consumers``) or in a separate worker process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from labornet_common import tracing
from labornet_common.bus.consumer import EventConsumer
from labornet_common.bus.probe import BrokerProbe
from labornet_common.bus.producer import make_producer
from labornet_common.bus.topics import ensure_topics
from labornet_common.db import create_engine, session_factory
from labornet_common.outbox.relay import OutboxRelay
from labornet_common.outbox.tables import MessagingTables
from labornet_common.outbox.watch import BrokerWatch
from labornet_common.settings import BaseServiceSettings
from labornet_common.uow import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServiceSpec:
    """Everything the platform needs to know to run, migrate and wire one service."""

    name: str
    settings_cls: type[BaseServiceSettings]
    metadata: MetaData
    tables: MessagingTables
    migrations_dir: Path
    default_port: int
    routers: Callable[[], Sequence[Any]]
    consumers: Callable[[Runtime], Sequence[EventConsumer]] = lambda _rt: ()
    on_startup: Callable[[Runtime], Any] | None = None  # async, after the runtime is built
    on_shutdown: Callable[[Runtime], Any] | None = None  # async, before it closes
    # Adds service-specific middleware (the gateway's authentication and audit); it runs
    # inside the request-context middleware, so request ids and traces are already set.
    configure_app: Callable[[Any], None] | None = None
    # async (runtime): sets the service's business gauges from its tables (see metrics.py);
    # called when /metrics is scraped, on the API and on a worker alike.
    business_metrics: Callable[[Runtime], Any] | None = None
    title: str = ""

    @property
    def source(self) -> str:
        return f"/labornet/{self.name}"


@dataclass
class Runtime:
    spec: ServiceSpec
    settings: BaseServiceSettings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    producer: AIOKafkaProducer | None = None
    producer_ready: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)
    relay: OutboxRelay | None = None
    consumers: list[EventConsumer] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)  # service-owned clients (e.g. httpx)

    @classmethod
    def create(cls, spec: ServiceSpec, settings: BaseServiceSettings) -> Runtime:
        engine = create_engine(
            settings.database_url, pool_size=settings.database_pool_size, echo=settings.database_echo
        )
        tracing.instrument_engine(engine)
        return cls(spec=spec, settings=settings, engine=engine, session_factory=session_factory(engine))

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

    async def _run_relay(self) -> None:
        await self.producer_ready.wait()
        assert self.producer is not None
        s = self.settings
        probe = BrokerProbe(bootstrap_servers=s.kafka_bootstrap_servers, client_id=s.kafka_client_id)
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
            ensure_topics=self._ensure_topics,
        )
        if s.republish_outbox_on_start:
            count = await self.relay.mark_all_unpublished()
            log.info("embedded broker: republishing %d outbox events", count)
        try:
            await self.relay.run(self.stop)
        finally:
            await self.relay.release_lease()
            await probe.close()

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
                )
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("consumer %s stopped; restarting", consumer.name)
                await asyncio.sleep(1.0)

    async def start(self, *, relay: bool, consumers: bool) -> None:
        self.tasks.append(asyncio.create_task(self._connect_producer(), name="producer"))
        if relay:
            self.tasks.append(asyncio.create_task(self._run_relay(), name="relay"))
        if consumers:
            self.consumers = list(self.spec.consumers(self))
            for c in self.consumers:
                self.tasks.append(asyncio.create_task(self._run_consumer(c), name=c.name))

    async def close(self, grace_s: float = 10.0) -> None:
        self.stop.set()
        if self.tasks:
            _done, pending = await asyncio.wait(self.tasks, timeout=grace_s)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self.producer is not None:
            await self.producer.stop()
        await self.engine.dispose()
        tracing.flush()


def event_consumer(runtime: Runtime, *, name: str, topics: Sequence[str], handlers: Any) -> EventConsumer:
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
    )
