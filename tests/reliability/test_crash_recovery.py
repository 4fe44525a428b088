"""Crash tests with real processes: a relay SIGKILLed mid-publish, a consumer killed between its
database commit and its offset commit. Every event must be applied exactly once, in order.

Prints ``lost / duplicated-effect / out-of-order`` counts (all must be 0).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from labornet_common.platform.bus.topics import ensure_topics
from labornet_common.testing.databases import fresh_database
from labornet_common.testing.messaging import case_ids, effects, engine_for, tables, write_pings

pytestmark = pytest.mark.slow
HERE = Path(__file__).parent
CASES, PER_CASE = 50, 40  # 2,000 events


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, *args], env=os.environ.copy())


async def _published(engine) -> int:
    async with engine.connect() as conn:
        return int(
            await conn.scalar(
                select(func.count()).select_from(tables.outbox).where(tables.outbox.c.published_at.is_not(None))
            )
        )


async def _effects(engine, group: str) -> list[tuple[str, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(effects.c.case_id, effects.c.n).where(effects.c.consumer == group).order_by(effects.c.id)
        )
        return [(r.case_id, r.n) for r in rows]


async def _wait_until(predicate, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def _tally(applied: list[tuple[str, int]], cases: list[str]) -> dict[str, int]:
    expected = {(c, n) for c in cases for n in range(1, PER_CASE + 1)}
    seen = set(applied)
    last: dict[str, int] = {}
    out_of_order = 0
    for case, n in applied:
        if n != last.get(case, 0) + 1:
            out_of_order += 1
        last[case] = max(n, last.get(case, 0))
    return {
        "lost": len(expected - seen),
        "duplicated_effects": len(applied) - len(seen),
        "out_of_order": out_of_order,
        "applied": len(applied),
    }


async def test_relay_and_consumer_killed_mid_stream(db_backend: str, broker: str, tmp_path: Path) -> None:
    topic = f"crash.{uuid.uuid4().hex[:8]}"
    group = f"crash-consumer-{uuid.uuid4().hex[:6]}"
    await ensure_topics(broker, [topic], partitions=6)
    cases = case_ids(CASES)
    async with (
        fresh_database(db_backend, tmp_path) as producer_url,
        fresh_database(db_backend, tmp_path) as consumer_url,
        engine_for(producer_url) as producer_db,
        engine_for(consumer_url) as consumer_db,
    ):
        await write_pings(producer_db, cases, per_case=PER_CASE)
        async with producer_db.begin() as conn:  # this run's own topic, isolated from other tests
            await conn.execute(update(tables.outbox).values(topic=topic))

        # 1. The consumer starts and will die right after a DB commit, before its offset commit.
        consumer = _spawn(str(HERE / "consumer_worker.py"), consumer_url, broker, topic, group, "--crash-after", "700")

        # 2. The relay is SIGKILLed twice while publishing, then restarted until drained.
        kills = []
        for threshold in (500, 1200):
            relay = _spawn(str(HERE / "relay_worker.py"), producer_url, broker)

            async def past(t=threshold) -> bool:
                return await _published(producer_db) >= t

            await _wait_until(past, 60, f"relay to publish {threshold}")
            relay.send_signal(signal.SIGKILL)
            relay.wait()
            kills.append(await _published(producer_db))
        assert all(k < CASES * PER_CASE for k in kills), f"relay finished before the kill: {kills}"
        await asyncio.to_thread(_spawn(str(HERE / "relay_worker.py"), producer_url, broker, "--until-empty").wait)
        assert await _published(producer_db) == CASES * PER_CASE

        # 3. The consumer crashed in its window; a restarted one finishes the stream.
        assert await asyncio.to_thread(consumer.wait, 60) == 137, "consumer did not reach its crash point"
        crashed_at = len(await _effects(consumer_db, group))
        consumer = _spawn(str(HERE / "consumer_worker.py"), consumer_url, broker, topic, group)
        try:

            async def drained() -> bool:
                return len(set(await _effects(consumer_db, group))) >= CASES * PER_CASE

            await _wait_until(drained, 90, "consumer to apply every event")
            await asyncio.sleep(1.0)  # let any late redelivery arrive: it must change nothing
        finally:
            consumer.terminate()
            consumer.wait(10)
        tally = _tally(await _effects(consumer_db, group), cases)
    print(
        f"\n[{db_backend}] events={CASES * PER_CASE} relay killed at published={kills} "
        f"consumer killed after applying {crashed_at}: lost={tally['lost']} "
        f"duplicated-effect={tally['duplicated_effects']} out-of-order={tally['out_of_order']}"
    )
    assert tally == {"lost": 0, "duplicated_effects": 0, "out_of_order": 0, "applied": CASES * PER_CASE}
