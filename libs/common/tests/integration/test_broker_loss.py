"""A broker that loses what it held strands no event (each test has its own Tansu process).

- restarted empty (kill -9, a fresh one on the same port): the relay sees the new cluster id,
  sends its outbox again; a running consumer (sharing the relay's broker probe and its cached
  cluster id, as in a service process) reads the new log from the start, one started afterwards
  gets everything; every event applied once, in order per case;
- a topic deleted and re-created (same cluster id): the relay that published sees high
  watermarks below what the broker acknowledged, a relay started afterwards sees them below
  what its outbox says was published; both send the partitions again;
- a consumer whose position is past the end of the re-created log reads it from the start;
- a consumer whose join the broker took down with it, joining the new broker with what it knew
  of the old one, starts afresh and reads the partitions it did not know.
- a consumer starting on a broker without its topics makes them (the configured partitions)
  before it joins, and reads every partition.

And a broker that holds a consumer's group join (Tansu holds one for half the session timeout)
does not hold a shutdown: a consumer told to stop meanwhile ends within ``STOP_GRACE_S``.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import KafkaError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.platform.bus.consumer import STOP_GRACE_S, EventConsumer, handles
from labornet_common.platform.bus.probe import BrokerProbe, partition_of
from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.db import session_factory
from labornet_common.platform.outbox.relay import OutboxRelay
from labornet_common.platform.outbox.watch import BrokerWatch
from labornet_common.testing.messaging import (
    TEST_TOPIC,
    Ping,
    case_ids,
    effects,
    engine_for,
    read_topic,
    record_effect,
    tables,
    uow_for,
)

pytestmark = pytest.mark.slow
CASES, PER_CASE = 6, 10


async def _write(engine: AsyncEngine, cases: list[str], numbers: range) -> None:
    for n in numbers:
        for case in cases:
            async with uow_for(engine) as uow:
                uow.record(case, Ping(case_id=case, n=n))
                await uow.commit()


async def _eventually(predicate: Callable[[], Awaitable[bool]], what: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


async def _applied(engine: AsyncEngine, consumer: str) -> list[tuple[str, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(effects.c.case_id, effects.c.n).where(effects.c.consumer == consumer).order_by(effects.c.id)
        )
        return [(r.case_id, r.n) for r in rows]


def _tally(applied: list[tuple[str, int]], cases: list[str], per_case: int) -> dict[str, int]:
    expected = {(c, n) for c in cases for n in range(1, per_case + 1)}
    last: dict[str, int] = {}
    reordered = 0
    for case, n in applied:
        reordered += n != last.get(case, 0) + 1
        last[case] = max(n, last.get(case, 0))
    return {
        "lost": len(expected - set(applied)),
        "duplicated": len(applied) - len(set(applied)),
        "reordered": reordered,
    }


def _relay(engine: AsyncEngine, producer, bootstrap: str, *, watch: bool = True) -> OutboxRelay:
    probe = BrokerProbe(bootstrap_servers=bootstrap, client_id="test-relay")
    return OutboxRelay(
        engine=engine,
        tables=tables,
        producer=producer,
        service="test",
        batch_size=25,
        watch=BrokerWatch(probe=probe, engine=engine, tables=tables) if watch else None,
        watch_interval_s=0.2,
        ensure_topics=lambda: ensure_topics(bootstrap, [TEST_TOPIC], partitions=3),
    )


def _consumer(engine: AsyncEngine, name: str) -> EventConsumer:
    async def apply(uow, _env, ping: Ping) -> None:
        await record_effect(uow, name, ping)

    return EventConsumer(
        name=name,
        topics=[TEST_TOPIC],
        handlers={handles(Ping): apply},
        session_factory=session_factory(engine),
        tables=tables,
        source="/labornet/loss-consumer",
    )


@asynccontextmanager
async def _tasks(stop: asyncio.Event) -> AsyncIterator[list[asyncio.Task]]:
    tasks: list[asyncio.Task] = []
    try:
        yield tasks
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 20)


@asynccontextmanager
async def _broker() -> AsyncIterator[EmbeddedBroker]:
    broker = EmbeddedBroker(port=free_port()).start()
    try:
        await ensure_topics(broker.bootstrap_servers, [TEST_TOPIC], partitions=3)
        yield broker
    finally:
        broker.stop()


async def test_a_broker_restarted_empty_strands_no_event(database_url: str) -> None:
    cases = case_ids(CASES)
    async with _broker() as broker, engine_for(database_url) as engine:
        bootstrap = broker.bootstrap_servers
        producer = make_producer(bootstrap, client_id="test-relay")
        await producer.start()
        stop = asyncio.Event()
        relay = _relay(engine, producer, bootstrap)
        before = broker.cluster_id
        async with _tasks(stop) as tasks:
            tasks.append(asyncio.create_task(relay.run(stop)))
            early = _consumer(engine, "early")
            tasks.append(
                asyncio.create_task(
                    early.run(
                        stop,
                        bootstrap_servers=bootstrap,
                        client_id="early",
                        watch_interval_s=0.2,
                        probe=relay.watch.probe,  # type: ignore[union-attr]
                    )
                )
            )
            await _write(engine, cases, range(1, PER_CASE // 2 + 1))

            async def first_half() -> bool:
                return len(await _applied(engine, "early")) >= CASES * PER_CASE // 2

            await _eventually(first_half, "the first half to be applied")
            broker.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            broker.process.wait()  # type: ignore[union-attr]
            broker.start()  # same port, empty, a new cluster id
            assert broker.cluster_id != before
            await _write(engine, cases, range(PER_CASE // 2 + 1, PER_CASE + 1))
            late = _consumer(engine, "late")  # knows nothing but what the new broker holds
            tasks.append(
                asyncio.create_task(late.run(stop, bootstrap_servers=bootstrap, client_id="late", watch_interval_s=0.2))
            )

            async def complete() -> bool:
                done = [len(set(await _applied(engine, c))) >= CASES * PER_CASE for c in ("early", "late")]
                return all(done) and await relay.lost_backlog() == 0

            # The early consumer starts afresh and joins its group again on the new broker, which
            # holds the join until the member it had before the restart times out (about 11 s on
            # a quiet machine; the full suite's load has stretched this past 45 s).
            await _eventually(complete, "every event applied by both consumers", timeout_s=90)
        await producer.stop()
        await relay.watch.probe.close()  # type: ignore[union-attr]
        for name in ("early", "late"):
            tally = _tally(await _applied(engine, name), cases, PER_CASE)
            print(f"broker restarted empty, consumer {name}: {tally}; sent again: {relay.lost_total}")
            assert tally == {"lost": 0, "duplicated": 0, "reordered": 0}
        assert relay.lost_total >= CASES * PER_CASE // 2  # the first half, which the broker lost


async def _delete_topic(bootstrap: str) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.delete_topics([TEST_TOPIC])
    finally:
        await admin.close()
    await ensure_topics(bootstrap, [TEST_TOPIC], partitions=3)


async def _sequences(bootstrap: str, cases: list[str], expected: int) -> dict[str, list[int]]:
    from labornet_common.contracts.events import from_kafka

    seen: dict[str, list[int]] = {}
    for key, headers, value in await read_topic(bootstrap, TEST_TOPIC, keys=set(cases), expected=expected):
        envelope = from_kafka(key=key.encode(), value=value, headers=list(headers.items()))
        seen.setdefault(key, []).append(envelope.sequence)
    return seen


async def test_lower_high_watermarks_are_published_again(database_url: str) -> None:
    cases = case_ids(4)
    async with _broker() as broker, engine_for(database_url) as engine:
        bootstrap = broker.bootstrap_servers
        producer = make_producer(bootstrap, client_id="test-relay")
        await producer.start()
        try:
            await _write(engine, cases, range(1, 11))
            publisher = _relay(engine, producer, bootstrap)
            assert await publisher.acquire_lease()
            assert await publisher.watch_broker() is None  # nothing published, nothing lost
            while await publisher.publish_batch():
                pass
            publisher._next_watch = 0.0
            assert await publisher.watch_broker() is None  # the broker holds all 40
            await _delete_topic(bootstrap)  # same cluster id, empty partitions

            # A relay started now knows only its outbox: 40 published rows, none on the broker.
            restarted = _relay(engine, producer, bootstrap)
            loss = await restarted.watch_broker()
            assert loss is not None and not loss.everything and loss.partitions, loss
            assert restarted.lost_total == 40 and await restarted.lost_backlog() == 40
            # The relay that published knows the offsets the broker acknowledged.
            publisher._next_watch = 0.0
            again = await publisher.watch_broker()
            assert again is not None and "ends at 0" in again.reason, again
            while await restarted.publish_batch():
                pass
            assert await restarted.lost_backlog() == 0
            seen = await _sequences(bootstrap, cases, expected=40)
            assert seen == {c: list(range(1, 11)) for c in cases}, seen
        finally:
            await producer.stop()
            for relay in (publisher, restarted):
                await relay.watch.probe.close()  # type: ignore[union-attr]


async def test_a_consumer_past_the_end_of_the_log_reads_it_from_the_start(database_url: str) -> None:
    old, new = case_ids(4), case_ids(2)
    async with _broker() as broker, engine_for(database_url) as engine:
        bootstrap = broker.bootstrap_servers
        producer = make_producer(bootstrap, client_id="test-relay")
        await producer.start()
        stop = asyncio.Event()
        relay = _relay(engine, producer, bootstrap, watch=False)  # only the consumer's side here
        assert await relay.acquire_lease()
        async with _tasks(stop) as tasks:
            reader = _consumer(engine, "reader")
            tasks.append(
                asyncio.create_task(
                    reader.run(stop, bootstrap_servers=bootstrap, client_id="reader", watch_interval_s=0.2)
                )
            )
            await _write(engine, old, range(1, 11))
            while await relay.publish_batch():
                pass

            async def old_applied() -> bool:
                return len(await _applied(engine, "reader")) == 40

            await _eventually(old_applied, "the first 40 events")
            await _delete_topic(bootstrap)
            await _write(engine, new, range(1, 3))  # 4 events: far below the consumer's positions
            while await relay.publish_batch():
                pass

            async def new_applied() -> bool:
                return len(await _applied(engine, "reader")) == 44

            await _eventually(new_applied, "the events written after the log was lost", timeout_s=15)
        await producer.stop()
        assert _tally(await _applied(engine, "reader"), new, 2) == {"lost": 0, "duplicated": 0, "reordered": 0}


async def test_a_stop_while_the_broker_holds_the_join_ends_the_consumer(database_url: str) -> None:
    async with _broker() as broker, engine_for(database_url) as engine:
        stop = asyncio.Event()
        # A 20 s session: the broker holds this join for about 10 s.
        run = asyncio.create_task(
            _consumer(engine, "stopping").run(
                stop, bootstrap_servers=broker.bootstrap_servers, client_id="stopping", session_timeout_ms=20000
            )
        )
        await asyncio.sleep(1.5)
        assert not run.done()  # still joining
        stop.set()
        # The join still had ~8.5 s to go; the stop waits for it at most STOP_GRACE_S.
        await asyncio.wait_for(run, timeout=STOP_GRACE_S + 4)
        assert await _applied(engine, "stopping") == []


async def test_the_process_s_probe_asks_the_broker_once_for_callers_within_the_age_they_accept() -> None:
    async with _broker() as broker:
        probe = BrokerProbe(bootstrap_servers=broker.bootstrap_servers, client_id="test-shared")
        try:
            admin = await probe._admin_client()
            real = admin._get_cluster_metadata
            asked: list[object] = []

            async def counted(*args: object, **kwargs: object) -> object:
                asked.append(kwargs.get("topics"))
                return await real(*args, **kwargs)

            admin._get_cluster_metadata = counted  # type: ignore[method-assign]
            first = await probe.cluster_id(max_age_s=5.0)  # the relay's check
            assert await probe.cluster_id(max_age_s=5.0) == first  # the consumer's, within the age
            assert len(asked) == 1
            assert await probe.cluster_id() == first  # no age accepted: the broker is asked
            await asyncio.sleep(0.3)
            await probe.cluster_id(max_age_s=0.2)  # the last answer is older than that
            assert len(asked) == 3
            await probe.view()  # the full view's answer serves the cheap checks too
            assert await probe.cluster_id(max_age_s=5.0) == first and len(asked) == 4

            broker.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            broker.process.wait()  # type: ignore[union-attr]
            broker.start()  # same port, empty, a new cluster id
            assert await probe.cluster_id(max_age_s=60.0) == first  # an answer that recent is given again

            async def answers_new_id() -> bool:
                try:  # the connection to the killed broker fails first; checks ask again
                    return await probe.cluster_id() == broker.cluster_id != first
                except KafkaError:
                    return False

            await _eventually(answers_new_id, "the restarted broker's cluster id", timeout_s=20)
        finally:
            await probe.close()


async def test_a_consumer_whose_join_the_broker_took_down_reads_all_of_the_new_one(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The broker dies while it holds the consumer's join, and an empty one takes its place.
    The consumer's join then completes there with what it knew of the old broker (3 partitions),
    while the topic comes back with the count the new broker gives a topic a client's metadata
    request names (Tansu: 4), and the broker keeps the stale assignment through later rejoins.
    Started afresh, the consumer reads every partition, those it did not know included."""
    caplog.set_level(logging.INFO, logger="labornet_common.platform.bus.consumer")
    async with _broker() as broker, engine_for(database_url) as engine:
        bootstrap = broker.bootstrap_servers
        stop = asyncio.Event()
        async with _tasks(stop) as tasks:
            # A 6 s session: the broker holds each join for about 3 s.
            run = _consumer(engine, "joining").run(
                stop, bootstrap_servers=bootstrap, client_id="c", watch_interval_s=0.2
            )
            tasks.append(asyncio.create_task(run))
            await asyncio.sleep(1.0)
            assert not tasks[0].done()  # still joining
            broker.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
            broker.process.wait()  # type: ignore[union-attr]
            await asyncio.sleep(1.0)
            broker.start()  # same port, empty, a new cluster id
            await asyncio.sleep(5.0)  # the consumer's join to the new broker is over meanwhile
            producer = make_producer(bootstrap, client_id="test-relay")
            await producer.start()
            # The relay's producer names the topic first: the broker creates it with its count.
            count = len(await producer.partitions_for(TEST_TOPIC))
            assert count > 3, count
            # Two cases on partitions the consumer did not know, one on a partition it did.
            pool = case_ids(60)
            cases = [c for c in pool if partition_of(c, count) >= 3][:2] + [
                c for c in pool if partition_of(c, count) < 3
            ][:1]
            await _write(engine, cases, range(1, 4))
            tasks.append(asyncio.create_task(_relay(engine, producer, bootstrap, watch=False).run(stop)))

            async def applied() -> bool:
                return len(await _applied(engine, "joining")) == 9

            await _eventually(applied, "the events sent to the new broker", timeout_s=30)
        await producer.stop()
        assert _tally(await _applied(engine, "joining"), cases, 3) == {"lost": 0, "duplicated": 0, "reordered": 0}
        # Each assignment is logged: the stale one, then every partition of the new broker.
        given = [r.getMessage() for r in caplog.records if "the group gave it" in r.getMessage()]
        assert given[-1] == f"consumer joining: the group gave it {TEST_TOPIC} ({count}) to read", given


async def test_a_consumer_makes_its_topics_before_it_joins(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A consumer starting on a broker that lacks its topics (one restarted empty) makes them with
    the configured partitions before it joins: the broker does not make them at its own count
    (Tansu: 4) when the join's metadata request names them, and every partition is read."""
    caplog.set_level(logging.INFO, logger="labornet_common.platform.bus.consumer")
    broker = EmbeddedBroker(port=free_port()).start()  # no topics
    try:
        async with engine_for(database_url) as engine:
            bootstrap = broker.bootstrap_servers
            stop = asyncio.Event()
            made: list[int] = []

            async def make_topics() -> None:
                made.append(1)
                await ensure_topics(bootstrap, [TEST_TOPIC], partitions=3)

            async with _tasks(stop) as tasks:
                run = _consumer(engine, "fresh").run(
                    stop, bootstrap_servers=bootstrap, client_id="c", watch_interval_s=0.2, ensure_topics=make_topics
                )
                tasks.append(asyncio.create_task(run))
                producer = make_producer(bootstrap, client_id="test-relay")
                await producer.start()

                async def joined() -> bool:
                    return any("the group gave it" in r.getMessage() for r in caplog.records)

                await _eventually(joined, "the consumer's join")
                assert len(await producer.partitions_for(TEST_TOPIC)) == 3
                pool = case_ids(60)
                cases = [next(c for c in pool if partition_of(c, 3) == p) for p in range(3)]
                await _write(engine, cases, range(1, 3))
                tasks.append(asyncio.create_task(_relay(engine, producer, bootstrap, watch=False).run(stop)))

                async def applied() -> bool:
                    return len(await _applied(engine, "fresh")) == 6

                await _eventually(applied, "an event on every partition", timeout_s=30)
            await producer.stop()
        assert made == [1]
        given = [r.getMessage() for r in caplog.records if "the group gave it" in r.getMessage()]
        assert given == [f"consumer fresh: the group gave it {TEST_TOPIC} (3) to read"], given
    finally:
        broker.stop()


class _CountingProbe(BrokerProbe):
    """Notes when the consumer asked who the broker is (one question per broker check)."""

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)
        self.asked: list[float] = []

    async def cluster_id(self, *, max_age_s: float = 0.0) -> str:
        self.asked.append(time.monotonic())
        return await super().cluster_id(max_age_s=max_age_s)


async def test_an_idle_consumer_checks_the_broker_less_and_less_often_until_records_come(database_url: str) -> None:
    async with _broker() as broker, engine_for(database_url) as engine:
        bootstrap = broker.bootstrap_servers
        probe = _CountingProbe(bootstrap_servers=bootstrap, client_id="idle")
        producer = make_producer(bootstrap, client_id="test-relay")
        await producer.start()
        (case,) = case_ids(1)
        stop = asyncio.Event()
        try:
            async with _tasks(stop) as tasks:
                run = _consumer(engine, "idle").run(
                    stop,
                    bootstrap_servers=bootstrap,
                    client_id="c",
                    watch_interval_s=0.1,
                    watch_idle_max_s=0.8,
                    probe=probe,
                )
                tasks.append(asyncio.create_task(run))
                tasks.append(asyncio.create_task(_relay(engine, producer, bootstrap, watch=False).run(stop)))
                for n in (1, 2):
                    await _write(engine, [case], range(n, n + 1))

                    async def applied(n: int = n) -> bool:
                        return len(await _applied(engine, "idle")) == n

                    await _eventually(applied, f"event {n} applied")
                    got = time.monotonic()
                    await asyncio.sleep(0.6)
                    # Records came: the checks are back at their interval (0.1, 0.2, 0.4 ... after).
                    after = [t for t in probe.asked if t > got]
                    assert len(after) >= 2 and after[0] - got < 0.3, (n, [round(t - got, 2) for t in after])
                    if n == 2:
                        break
                    since = len(probe.asked)
                    await asyncio.sleep(3.0)
                    # Idle: every 0.1 s would be ~30 checks; doubling up to 0.8 s makes about 4.
                    idle = probe.asked[since:]
                    assert 2 <= len(idle) <= 8, [round(t - got, 2) for t in idle]
                    assert max(b - a for a, b in itertools.pairwise(idle)) > 0.6
        finally:
            await producer.stop()
            await probe.close()
        assert await _applied(engine, "idle") == [(case, 1), (case, 2)]
