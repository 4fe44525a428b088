"""Outbox contract: the same behaviour on SQLite and PostgreSQL (``database_url`` runs both)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from labornet_common.contracts.events import from_kafka
from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.outbox.relay import OutboxRelay
from labornet_common.testing.messaging import (
    TEST_TOPIC,
    Ping,
    case_ids,
    count,
    engine_for,
    read_topic,
    tables,
    uow_for,
    write_pings,
)


async def _outbox_rows(engine):
    async with engine.connect() as conn:
        return (await conn.execute(select(tables.outbox).order_by(tables.outbox.c.id))).all()


async def test_sequences_are_numbered_per_case(database_url: str) -> None:
    a, b = case_ids(2)
    async with engine_for(database_url) as engine:
        async with uow_for(engine) as uow:
            for n in range(3):
                uow.record(a, Ping(case_id=a, n=n))
            uow.record(b, Ping(case_id=b, n=0))
            await uow.commit()
        async with uow_for(engine) as uow:
            uow.record(a, Ping(case_id=a, n=3))
            uow.record(b, Ping(case_id=b, n=1))
            await uow.commit()
        rows = await _outbox_rows(engine)
    by_case: dict[str, list[int]] = {}
    for row in rows:
        by_case.setdefault(row.partition_key, []).append(row.sequence)
    assert by_case == {a: [1, 2, 3, 4], b: [1, 2]}
    assert all(r.topic == TEST_TOPIC and r.event_type == Ping.event_type for r in rows)
    assert all(r.published_at is None for r in rows)
    # Each row keeps its event as recorded, in the order recorded within its case.
    assert [r.data for r in rows if r.partition_key == a] == [
        Ping(case_id=a, n=n).model_dump(mode="json") for n in range(4)
    ]
    assert all(r.source == "/labornet/test" and r.created_at is not None for r in rows), rows[0]


async def test_rollback_leaves_no_event(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:
        with pytest.raises(RuntimeError):
            async with uow_for(engine) as uow:
                uow.record(a, Ping(case_id=a, n=1))
                raise RuntimeError("handler failed before commit")
        assert await count(engine, tables.outbox) == 0
        assert await count(engine, tables.streams) == 0


async def test_concurrent_writers_to_one_case_get_distinct_ordered_sequences(database_url: str) -> None:
    (a,) = case_ids(1)
    async with engine_for(database_url) as engine:

        async def one(n: int) -> None:
            async with uow_for(engine) as uow:
                uow.record(a, Ping(case_id=a, n=n))
                await asyncio.sleep(0)
                await uow.commit()

        await asyncio.gather(*(one(n) for n in range(25)))
        rows = await _outbox_rows(engine)
    # Commit order = id order = sequence order, with no gap or repeat.
    assert [r.sequence for r in rows] == list(range(1, 26))


async def test_relay_publishes_every_event_in_case_order(database_url: str, broker: str) -> None:
    cases = case_ids(8)
    await ensure_topics(broker, [TEST_TOPIC], partitions=3)
    async with engine_for(database_url) as engine:
        await write_pings(engine, cases, per_case=15)
        producer = make_producer(broker, client_id="test-relay")
        await producer.start()
        try:
            relay = OutboxRelay(engine=engine, tables=tables, producer=producer, service="test", batch_size=37)
            assert await relay.acquire_lease()
            while await relay.publish_batch():
                pass
            assert await relay.backlog() == (0, 0.0)
        finally:
            await producer.stop()
        assert await count(engine, tables.outbox, tables.outbox.c.published_at.is_(None)) == 0
    records = await read_topic(broker, TEST_TOPIC, keys=set(cases), expected=8 * 15)
    assert len(records) == 8 * 15
    seen: dict[str, list[int]] = {}
    for key, headers, value in records:
        env = from_kafka(key=key.encode(), value=value, headers=list(headers.items()))
        assert env.subject == key and headers["ce_partitionkey"] == key.encode()
        assert headers["ce_specversion"] == b"1.0" and headers["content-type"] == b"application/json"
        seen.setdefault(key, []).append(env.sequence)
    assert all(seqs == list(range(1, 16)) for seqs in seen.values()), seen


async def test_only_one_relay_holds_the_lease(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        first = OutboxRelay(engine=engine, tables=tables, producer=None, service="t", lease_ttl_s=0.5)  # type: ignore[arg-type]
        second = OutboxRelay(engine=engine, tables=tables, producer=None, service="t", lease_ttl_s=0.5)  # type: ignore[arg-type]
        assert await first.acquire_lease()
        assert not await second.acquire_lease()
        assert await first.acquire_lease()  # renewal by the holder
        await asyncio.sleep(0.7)  # the holder stopped renewing: the lease expires
        assert await second.acquire_lease()
        assert not await first.acquire_lease()
        await second.release_lease()
        assert await first.acquire_lease()


async def test_republish_marks_everything_pending_again(database_url: str) -> None:
    cases = case_ids(2)
    async with engine_for(database_url) as engine:
        await write_pings(engine, cases, per_case=2)
        relay = OutboxRelay(engine=engine, tables=tables, producer=None, service="t")  # type: ignore[arg-type]
        async with engine.begin() as conn:
            await conn.execute(tables.outbox.update().values(published_at=tables.outbox.c.created_at))
        assert await relay.mark_all_unpublished() == 4
        assert (await relay.backlog())[0] == 4
