"""A relay process for the crash tests: publishes one database's outbox until killed or drained.

python relay_worker.py DB_URL BOOTSTRAP [--until-empty]
"""

from __future__ import annotations

import asyncio
import sys

from labornet_common.platform.bus.producer import make_producer
from labornet_common.platform.db import create_engine
from labornet_common.platform.outbox.relay import OutboxRelay
from labornet_common.testing.messaging import tables


async def main(url: str, bootstrap: str, until_empty: bool) -> None:
    engine = create_engine(url)
    producer = make_producer(bootstrap, client_id="crash-relay")
    await producer.start()
    # Small batches and a short lease: the test kills this process mid-stream, and the restarted
    # relay must be able to take over promptly.
    relay = OutboxRelay(
        engine=engine,
        tables=tables,
        producer=producer,
        service="crash",
        batch_size=25,
        lease_ttl_s=1.0,
    )
    stop = asyncio.Event()
    if until_empty:
        while not await relay.acquire_lease():
            await asyncio.sleep(0.2)
        while await relay.publish_batch() or (await relay.backlog())[0]:
            await relay.acquire_lease()
        await relay.release_lease()
    else:
        await relay.run(stop)
    await producer.stop()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], "--until-empty" in sys.argv))
