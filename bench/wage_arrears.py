"""Wage-arrears benchmark: rule-engine throughput and complaint-to-alert latency.

    python bench/wage_arrears.py [--cases N] [--employers E] [--alerts N] [--rate R] [--batch B]
                                 [--backends sqlite,postgresql]

1. Pure engine: the domain chain (facts, profiles, rules, alerts) in memory, events/s.
2. Consumer + database: the production EventConsumer (inbox, handlers, outbox) applying the
   same stream to a fresh database, record by record, without the broker: events/s; then in
   batches of ``--batch`` records a transaction, as it applies a backlog: events/s and the CPU
   per event of the consumer's process (steadier than a whole stack's on a shared machine).
3. Latency: a real Tansu broker and the consumer's Kafka loop; 110-linked complaints are
   published at a steady rate and each raises a red alert; the latency is from the producer's
   send to the alert row (and its outbox event) committed. The relay's publishing of the alert
   event is measured by bench/backbone.py, not here.

Everything is printed; nothing is asserted. PostgreSQL runs need LABORNET_TEST_POSTGRES_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
import uuid
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from aiokafka import AIOKafkaProducer

from labornet_common.contracts.events import utcnow
from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.platform.bus.consumer import EventConsumer, Settled
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.testing.databases import fresh_database, postgres_base_url
from labornet_common.testing.wage_arrears_support import T0, Stream, complaint, record_key, scenario
from labornet_wage_arrears.adapters.orm import messaging
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.engine import MemoryEngine
from labornet_wage_arrears.main import CASE_TOPICS, SPEC
from labornet_wage_arrears.service.handlers import event_handlers

WAIT_TIMEOUT_S = 120.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))] if ordered else float("nan")


def pure_engine(cases: int, employers: int) -> tuple[int, float, int]:
    events = scenario(cases, run="bench-", employers=employers)
    engine = MemoryEngine()
    started = time.perf_counter()
    for i, event in enumerate(events):
        outcome = engine.handle(record_key(event), event, T0 + timedelta(seconds=i))
        for alert in outcome.raised + outcome.updated:
            alert.pull_events()
    return len(events), time.perf_counter() - started, len(engine.alerts)


def _consumer(url: str, name: str) -> tuple[Any, EventConsumer]:
    engine = create_engine(url)
    consumer = EventConsumer(
        name=name,
        topics=CASE_TOPICS,
        handlers=event_handlers(RuleBook()),
        session_factory=session_factory(engine),
        tables=messaging,
        source=SPEC.source,
    )
    return engine, consumer


async def through_consumer(backend: str, cases: int, employers: int, batch: int = 0) -> tuple[int, float, float]:
    """The stream applied to a fresh database record by record (``batch`` 0), or ``batch``
    records a transaction, as the consumer applies a backlog (``EventConsumer.process_batch``).
    Events, seconds, and this process's CPU seconds (the consumer's own, not the database's)."""
    stream = Stream()
    records = [stream.record(e) for e in scenario(cases, run="bench-", employers=employers)]
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(backend, Path(tmp)) as url:
            engine, consumer = _consumer(url, "bench.wage-arrears")
            await upgrade_to_head(engine, SPEC.migrations_dir)
            cpu, started = time.process_time(), time.perf_counter()
            for start in range(0, len(records), max(batch, 1)):
                chunk = records[start : start + max(batch, 1)]
                if batch:
                    settled = await consumer.process_batch(
                        [SimpleNamespace(topic=t, key=r.key, value=r.value, headers=r.headers) for t, r in chunk]
                    )
                    assert settled is not None, "the batch was not applied whole"
                else:
                    ((topic, record),) = chunk
                    settled = [
                        await consumer.process(topic=topic, key=record.key, value=record.value, headers=record.headers)
                    ]
                assert {s.outcome for s in settled} == {"applied"}, settled
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            await engine.dispose()
    return len(records), elapsed, cpu


class TimedConsumer(EventConsumer):
    """Notes when each case's event has been applied (alert row and outbox row committed)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.applied_at: dict[bytes, float] = {}

    async def process(self, *, topic: str, key: Any, value: Any, headers: Any) -> Settled:
        settled = await super().process(topic=topic, key=key, value=value, headers=headers)
        self.applied_at[key] = time.perf_counter()
        return settled

    async def process_batch(self, records: Sequence[Any]) -> list[Settled] | None:
        # What a fetch brings is applied as a batch (a batch not applied whole goes record by
        # record, through ``process``, above).
        settled = await super().process_batch(records)
        if settled is not None:
            applied = time.perf_counter()
            self.applied_at.update((record.key, applied) for record in records)
        return settled


async def latency(backend: str, bootstrap: str, alerts: int, rate: float) -> list[float]:
    stream, sent = Stream(), {}
    with tempfile.TemporaryDirectory() as tmp:
        async with fresh_database(backend, Path(tmp)) as url:
            engine = create_engine(url)
            await upgrade_to_head(engine, SPEC.migrations_dir)
            consumer = TimedConsumer(
                name=f"bench-{uuid.uuid4().hex[:6]}",
                topics=CASE_TOPICS,
                handlers=event_handlers(RuleBook()),
                session_factory=session_factory(engine),
                tables=messaging,
                source=SPEC.source,
            )
            stop = asyncio.Event()
            task = asyncio.create_task(consumer.run(stop, bootstrap_servers=bootstrap, client_id="bench"))
            producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
            await producer.start()
            try:
                await _warm_up(producer, stream, consumer)
                for n in range(alerts):
                    event = complaint(f"lat-{n}", employer=f"延迟测试{n}", police=True, at=utcnow())
                    topic, record = stream.record(event)
                    sent[record.key] = time.perf_counter()
                    await producer.send(topic, value=record.value, key=record.key, headers=record.headers)
                    await asyncio.sleep(1 / rate)
                await _wait(lambda: all(k in consumer.applied_at for k in sent))
            finally:
                await producer.stop()
                stop.set()
                await task
                await engine.dispose()
    return [(consumer.applied_at[k] - t) * 1000 for k, t in sent.items()]


async def _warm_up(producer: AIOKafkaProducer, stream: Stream, consumer: TimedConsumer) -> None:
    """One event first: the consumer-group join is not part of an alert's latency."""
    topic, record = stream.record(complaint("warmup"))
    await producer.send_and_wait(topic, value=record.value, key=record.key, headers=record.headers)
    await _wait(lambda: record.key in consumer.applied_at)


async def _wait(done: Any) -> None:
    deadline = time.monotonic() + WAIT_TIMEOUT_S
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the consumer did not apply every event in time")
        await asyncio.sleep(0.005)


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.WARNING)
    count, elapsed, alerts = pure_engine(args.cases, args.employers)
    print(
        f"pure engine        : {count} events over {args.employers} employers in {elapsed:.2f}s "
        f"= {count / elapsed:,.0f} events/s ({alerts} alert patterns)"
    )
    backends = [b for b in args.backends.split(",") if b == "sqlite" or postgres_base_url()]
    if "postgresql" in args.backends and "postgresql" not in backends:
        print("postgresql         : skipped (set LABORNET_TEST_POSTGRES_URL)")
    for backend in backends:
        count, elapsed, _cpu = await through_consumer(backend, args.cases, args.employers)
        print(f"consumer+{backend:<10}: {count} events in {elapsed:.2f}s = {count / elapsed:,.0f} events/s")
        count, elapsed, cpu = await through_consumer(backend, args.cases, args.employers, args.batch)
        print(
            f"batches+{backend:<11}: {count} events, {args.batch} a transaction, in {elapsed:.2f}s "
            f"= {count / elapsed:,.0f} events/s, {1000 * cpu / count:.3f} CPU ms/event in the consumer's process"
        )
    for backend in backends:
        # A broker per backend, so each consumer group starts on empty topics.
        log = Path(tempfile.gettempdir()) / "bench-wa-broker.log"
        broker = EmbeddedBroker(port=free_port(), log_path=log).start()
        try:
            await ensure_topics(broker.bootstrap_servers)
            ms = await latency(backend, broker.bootstrap_servers, args.alerts, args.rate)
        finally:
            broker.stop()
        print(
            f"alert latency {backend:<10}: n={len(ms)} at {args.rate:.0f}/s  p50 {percentile(ms, 50):.1f} ms"
            f"  p95 {percentile(ms, 95):.1f} ms  p99 {percentile(ms, 99):.1f} ms  max {max(ms):.1f} ms"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--employers", type=int, default=200)
    parser.add_argument("--alerts", type=int, default=300, help="complaints in the latency phase")
    parser.add_argument("--rate", type=float, default=50.0, help="complaints per second in the latency phase")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--batch", type=int, default=100, help="records a transaction in the batched phase")
    asyncio.run(main(parser.parse_args()))
