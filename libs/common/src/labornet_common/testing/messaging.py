"""Shared pieces for messaging tests: a test event type, tables and helpers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiokafka import AIOKafkaConsumer
from sqlalchemy import Column, ColumnElement, Integer, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import EventData
from labornet_common.platform.db import create_engine, new_metadata, session_factory
from labornet_common.platform.outbox import messaging_tables
from labornet_common.platform.uow import UnitOfWork

TEST_TOPIC = "test.ping.v1"


class Ping(EventData, type="cn.labornet.test.ping.v1", topic=TEST_TOPIC):
    case_id: str
    n: int


metadata = new_metadata()
tables = messaging_tables(metadata)
effects = Table(
    "effects",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer", String(100), nullable=False),
    Column("case_id", String(100), nullable=False),
    Column("n", Integer, nullable=False),
)


@asynccontextmanager
async def engine_for(url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    try:
        yield engine
    finally:
        await engine.dispose()


def uow_for(engine: AsyncEngine, source: str = "/labornet/test") -> UnitOfWork:
    return UnitOfWork(session_factory(engine), tables, source=source)


def case_ids(count: int) -> list[str]:
    run = uuid.uuid4().hex[:8]
    return [f"case-{run}-{i:03d}" for i in range(count)]


async def write_pings(engine: AsyncEngine, cases: list[str], per_case: int) -> None:
    """Events interleaved across cases, one transaction per event (as real requests would)."""
    for n in range(1, per_case + 1):
        for case in cases:
            async with uow_for(engine) as uow:
                uow.record(case, Ping(case_id=case, n=n))
                await uow.commit()


async def record_effect(uow: UnitOfWork, consumer: str, ping: Ping) -> None:
    await uow.session.execute(insert(effects).values(consumer=consumer, case_id=ping.case_id, n=ping.n))


async def count(engine: AsyncEngine, table: Table, *where: ColumnElement[bool]) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table).where(*where)) or 0)


async def read_topic(
    bootstrap: str, topic: str, *, keys: set[str], expected: int, timeout_s: float = 20.0
) -> list[tuple[str, dict[str, bytes], bytes]]:
    """Read a topic from the start; return (key, headers, value) of records with the given keys."""
    import asyncio

    # No consumer group: every partition, read from the start, with no group join to wait for
    # (the broker holds a join for seconds).
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[tuple[str, dict[str, bytes], bytes]] = []
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while len(found) < expected and loop.time() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                for r in records:
                    key = r.key.decode() if r.key else ""
                    if key in keys:
                        found.append((key, dict(r.headers), r.value))
    finally:
        await consumer.stop()
    return found
