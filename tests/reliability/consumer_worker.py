"""A consumer process for the crash tests.

    python consumer_worker.py DB_URL BOOTSTRAP TOPIC GROUP [--crash-after N]

Applies each Ping as one effect row. With --crash-after N it exits abruptly (os._exit, like a
SIGKILL) right after the database commit of a batch that brings the applied count to N or
more, before the Kafka offset commit: the window in which a naive consumer double-applies.
"""

from __future__ import annotations

import asyncio
import os
import sys

from labornet_common.platform.bus.consumer import EventConsumer, handles
from labornet_common.platform.db import create_engine, session_factory
from labornet_common.testing.messaging import Ping, record_effect, tables


class CrashingConsumer(EventConsumer):
    crash_after: int | None = None
    applied = 0

    async def _settle_fetch(self, consumer, batches) -> None:  # type: ignore[override]
        for records in batches.values():
            for rec in records:
                settled = await self.process(topic=rec.topic, key=rec.key, value=rec.value, headers=rec.headers)
                self.applied += settled.outcome == "applied"
        if self.crash_after is not None and self.applied >= self.crash_after:
            os._exit(137)  # effects committed, offsets not
        await consumer.commit({tp: records[-1].offset + 1 for tp, records in batches.items()})


async def main(url: str, bootstrap: str, topic: str, group: str, crash_after: int | None) -> None:
    engine = create_engine(url)

    async def apply(uow, _env, ping: Ping) -> None:
        await record_effect(uow, group, ping)

    consumer = CrashingConsumer(
        name=group,
        topics=[topic],
        handlers={handles(Ping): apply},
        session_factory=session_factory(engine),
        tables=tables,
        source="/labornet/crash-consumer",
    )
    consumer.crash_after = crash_after
    await consumer.run(asyncio.Event(), bootstrap_servers=bootstrap, client_id=group)


if __name__ == "__main__":
    args = sys.argv[1:]
    crash = int(args[args.index("--crash-after") + 1]) if "--crash-after" in args else None
    asyncio.run(main(args[0], args[1], args[2], args[3], crash))
