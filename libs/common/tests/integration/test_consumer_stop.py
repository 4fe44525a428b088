"""A consumer told to stop stops promptly, even while the broker holds its group join (Tansu holds
a join for half the session timeout): a service's shutdown does not wait out a join it would
leave at once, and the consumer it stopped applied nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

from labornet_common.platform.broker import EmbeddedBroker, free_port
from labornet_common.platform.bus.consumer import STOP_GRACE_S, EventConsumer, handles
from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.platform.db import session_factory
from labornet_common.testing.messaging import TEST_TOPIC, Ping, count, effects, engine_for, record_effect, tables


async def test_a_stop_during_the_group_join_ends_the_consumer_at_once(database_url: str, tmp_path: Path) -> None:
    broker = EmbeddedBroker(port=free_port(), log_path=tmp_path / "broker.log").start()
    try:
        await ensure_topics(broker.bootstrap_servers, [TEST_TOPIC], partitions=1)
        async with engine_for(database_url) as engine:

            async def apply(uow, _env, ping: Ping) -> None:
                await record_effect(uow, "stopping", ping)

            consumer = EventConsumer(
                name="stopping",
                topics=[TEST_TOPIC],
                handlers={handles(Ping): apply},
                session_factory=session_factory(engine),
                tables=tables,
                source="/labornet/stop-test",
            )
            stop = asyncio.Event()
            # A 20 s session: the broker holds this join for about 10 s.
            run = asyncio.create_task(
                consumer.run(
                    stop, bootstrap_servers=broker.bootstrap_servers, client_id="stop", session_timeout_ms=20000
                )
            )
            await asyncio.sleep(1.5)
            assert not run.done()  # still joining
            stop.set()
            # The join still had ~8.5 s to go; the stop waits for it at most STOP_GRACE_S.
            await asyncio.wait_for(run, timeout=STOP_GRACE_S + 4)
            assert await count(engine, effects) == 0
    finally:
        broker.stop()
