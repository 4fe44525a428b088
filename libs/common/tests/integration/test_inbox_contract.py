"""Inbox contract on SQLite and PostgreSQL: once, in order, poison to the dead-letter topic."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from labornet_common.contracts.events import Envelope, to_kafka
from labornet_common.platform.bus.consumer import EventConsumer, PoisonEvent, handles
from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.bus.topics import dead_letter_topic, ensure_topics
from labornet_common.platform.db import session_factory
from labornet_common.testing.messaging import (
    TEST_TOPIC,
    Ping,
    case_ids,
    count,
    effects,
    engine_for,
    read_topic,
    record_effect,
    tables,
)


def _record(case: str, seq: int, n: int | None = None) -> dict:
    env = Envelope(
        id=str(uuid.uuid4()),
        type=Ping.event_type,
        source="/labornet/producer",
        subject=case,
        data={"case_id": case, "n": seq if n is None else n},
        sequence=seq,
    )
    rec = to_kafka(env)
    return {"topic": TEST_TOPIC, "key": rec.key, "value": rec.value, "headers": rec.headers}


def _consumer(engine, name: str, handler=None) -> EventConsumer:
    async def apply(uow, _env, ping: Ping) -> None:
        await record_effect(uow, name, ping)

    return EventConsumer(
        name=name,
        topics=[TEST_TOPIC],
        handlers={handles(Ping): handler or apply},
        session_factory=session_factory(engine),
        tables=tables,
        source="/labornet/test",
        max_attempts=2,
        retry_backoff_s=0.01,
    )


async def _applied(engine, case: str) -> list[int]:
    async with engine.connect() as conn:
        rows = await conn.execute(select(effects.c.n).where(effects.c.case_id == case).order_by(effects.c.id))
        return [r.n for r in rows]


async def test_redelivered_event_changes_nothing(database_url: str) -> None:
    (case,) = case_ids(1)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "c1")
        first = _record(case, 1)
        assert (await consumer.process(**first)).outcome == "applied"
        assert (await consumer.process(**first)).outcome == "duplicate"
        assert (await consumer.process(**_record(case, 1))).outcome == "duplicate"  # same seq, new id
        assert await _applied(engine, case) == [1]
        assert await count(engine, tables.inbox, tables.inbox.c.consumer == "c1") == 1


async def test_events_apply_in_sequence_even_when_they_arrive_out_of_order(database_url: str) -> None:
    (case,) = case_ids(1)
    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "c2")
        assert (await consumer.process(**_record(case, 1))).outcome == "applied"
        assert (await consumer.process(**_record(case, 3))).outcome == "early"
        assert (await consumer.process(**_record(case, 2))).outcome == "applied"
        # The relay re-sends the tail after a failure, so 3 comes again and now applies.
        assert (await consumer.process(**_record(case, 3))).outcome == "applied"
        assert await _applied(engine, case) == [1, 2, 3]


async def test_two_consumers_each_apply_once(database_url: str) -> None:
    (case,) = case_ids(1)
    async with engine_for(database_url) as engine:
        a, b = _consumer(engine, "svc-a"), _consumer(engine, "svc-b")
        for seq in (1, 2, 2, 1, 3):
            await a.process(**_record(case, seq))
            await b.process(**_record(case, seq))
        assert await count(engine, effects, effects.c.consumer == "svc-a") == 3
        assert await count(engine, effects, effects.c.consumer == "svc-b") == 3


async def test_poison_goes_to_the_dead_letter_topic_and_the_stream_moves_on(database_url: str, broker: str) -> None:
    (case,) = case_ids(1)
    await ensure_topics(broker, [TEST_TOPIC, dead_letter_topic(TEST_TOPIC)], partitions=1)

    async def picky(uow, _env, ping: Ping) -> None:
        if ping.n == 99:
            raise PoisonEvent("n=99 can never be applied")
        await record_effect(uow, "c3", ping)

    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "c3", picky)
        producer = make_producer(broker, client_id="dlq-test")
        await producer.start()
        consumer.dlq_producer = producer
        try:
            undecodable = {"topic": TEST_TOPIC, "key": case.encode(), "value": b"{not json", "headers": []}
            assert (await consumer.process(**undecodable)).outcome == "dead_lettered"
            assert (await consumer.process(**_record(case, 1, n=99))).outcome == "dead_lettered"
            assert (await consumer.process(**_record(case, 2))).outcome == "applied"
        finally:
            await producer.stop()
        assert await _applied(engine, case) == [2]
        async with engine.connect() as conn:
            outcome = await conn.scalar(
                select(tables.inbox.c.outcome).where(tables.inbox.c.consumer == "c3", tables.inbox.c.sequence == 1)
            )
        assert outcome == "dead_lettered"
    dead = await read_topic(broker, dead_letter_topic(TEST_TOPIC), keys={case}, expected=2)
    assert len(dead) == 2
    errors = sorted(h["x-labornet-error"].decode() for _k, h, _v in dead)
    assert any("PoisonEvent" in e for e in errors) and any("Missing required attribute" in e for e in errors), errors


async def test_handler_that_keeps_failing_is_dead_lettered_after_retries(database_url: str) -> None:
    (case,) = case_ids(1)
    calls = 0

    async def flaky(uow, _env, ping: Ping) -> None:
        nonlocal calls
        calls += 1
        raise ValueError("downstream rule rejected the event")

    async with engine_for(database_url) as engine:
        consumer = _consumer(engine, "c4", flaky)
        settled = await consumer.process(**_record(case, 1))
        assert settled.outcome == "dead_lettered" and "downstream rule" in (settled.error or "")
        assert calls == 2  # max_attempts
