"""An idle relay backs off instead of polling, and a commit in its process wakes it at once
(SQLite and PostgreSQL: ``database_url`` runs both)."""

from __future__ import annotations

import asyncio
import itertools
import time

from sqlalchemy import update

from labornet_common.contracts.events import utcnow
from labornet_common.platform.outbox.relay import OutboxRelay
from labornet_common.platform.outbox.signal import WorkSignal
from labornet_common.testing.messaging import Ping, case_ids, count, engine_for, tables, uow_for


class _CountingRelay(OutboxRelay):
    """Publishes by marking rows (no broker); counts its passes and when each row went out."""

    passes = 0
    published_at: list[float]

    async def publish_batch(self) -> int:
        self.passes += 1
        async with self.engine.begin() as conn:
            result = await conn.execute(
                update(tables.outbox).where(tables.outbox.c.published_at.is_(None)).values(published_at=utcnow())
            )
        if result.rowcount:
            self.published_at.append(time.monotonic())
        return result.rowcount or 0


async def test_idle_relay_backs_off_and_a_commit_wakes_it(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        relay = _CountingRelay(
            engine=engine, tables=tables, producer=None, service="t", poll_interval_s=0.05, idle_max_s=5.0
        )
        relay.published_at = []
        # The outbox's signal lives as long as the process: a commit of an earlier test in this
        # process may have left it raised. Taken down here, so only this test's commits count.
        await relay.signal.wait(0)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await asyncio.sleep(2.0)
            # Fixed 50 ms polling would have made ~40 passes; doubling waits make 6 (0.05 … 1.6 s).
            assert relay.passes <= 8, relay.passes
            (case,) = case_ids(1)
            async with uow_for(engine) as uow:
                uow.record(case, Ping(case_id=case, n=1))
                await uow.commit()
            committed = time.monotonic()
            for _ in range(100):
                if relay.published_at:
                    break
                await asyncio.sleep(0.01)
            # The backoff had reached seconds; the commit's signal ended the wait.
            assert relay.published_at and relay.published_at[0] - committed < 0.5
            assert await count(engine, tables.outbox, tables.outbox.c.published_at.is_(None)) == 0
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)


async def test_a_relay_every_writer_signals_looks_again_only_when_a_commit_says_so(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        relay = _CountingRelay(
            engine=engine,
            tables=tables,
            producer=None,
            service="t",
            poll_interval_s=0.05,
            idle_max_s=5.0,
            writers_signal=True,
        )
        relay.published_at = []
        # The outbox's signal lives as long as the process: a commit of an earlier test in this
        # process may have left it raised. Taken down here, so only this test's commits count.
        await relay.signal.wait(0)
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await asyncio.sleep(0.5)
            assert relay.passes == 1  # the first look, then a wait of the cap (5 s)
            for n in (1, 2):
                (case,) = case_ids(1)
                async with uow_for(engine) as uow:
                    uow.record(case, Ping(case_id=case, n=n))
                    await uow.commit()
                committed = time.monotonic()
                for _ in range(100):
                    if len(relay.published_at) == n:
                        break
                    await asyncio.sleep(0.01)
                assert len(relay.published_at) == n and relay.published_at[-1] - committed < 0.5
                await asyncio.sleep(1.0)
                # The pass that published, and no other: no second look, no polls after it
                # (a relay not told of every commit looks again at once, then at 50, 100 ... ms).
                assert relay.passes == 1 + n, relay.passes
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)


class _CountingWatch:
    """A broker that never changes; notes when the relay asked."""

    sent_since_check = False

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def same_cluster(self, *, max_age_s: float) -> bool:
        self.asked.append(time.monotonic())
        return True

    async def check(self) -> None:
        self.asked.append(time.monotonic())

    def acknowledged(self, results: list[object]) -> None:
        return None


async def test_an_idle_relay_asks_the_broker_less_and_less_often_until_it_publishes(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        watch = _CountingWatch()
        relay = _CountingRelay(
            engine=engine,
            tables=tables,
            producer=None,
            service="t",
            watch=watch,  # type: ignore[arg-type]
            watch_interval_s=0.1,
            watch_idle_max_s=0.8,
            writers_signal=True,
        )
        relay.published_at = []
        await relay.signal.wait(0)  # see above: only this test's commits count
        stop = asyncio.Event()
        task = asyncio.create_task(relay.run(stop))
        try:
            await asyncio.sleep(3.0)
            # Every 0.1 s would be 30 checks; backing off (0.1, 0.2, 0.4, 0.8, 0.8 ...): 6.
            assert 3 <= len(watch.asked) <= 9, len(watch.asked)
            gaps = [b - a for a, b in itertools.pairwise(watch.asked)]
            assert max(gaps) > 0.6 and gaps[-1] < 1.0, gaps
            # The told relay looks at its outbox when a check is due, and not in between.
            assert relay.passes <= len(watch.asked) + 1, (relay.passes, len(watch.asked))
            (case,) = case_ids(1)
            async with uow_for(engine) as uow:
                uow.record(case, Ping(case_id=case, n=1))
                await uow.commit()
            for _ in range(100):
                if relay.published_at:
                    break
                await asyncio.sleep(0.01)
            assert relay.published_at
            before = len(watch.asked)
            await asyncio.sleep(0.6)
            # Published: the checks are back at their interval (0.1, then 0.2, 0.4 ... after it).
            after = [t for t in watch.asked[before:] if t > relay.published_at[0]]
            assert len(after) >= 2 and after[0] - relay.published_at[0] < 0.25, after
        finally:
            stop.set()
            await asyncio.wait_for(task, 5)


async def test_the_lease_is_renewed_once_a_third_of_its_time_has_passed(database_url: str) -> None:
    async with engine_for(database_url) as engine:
        relay = OutboxRelay(engine=engine, tables=tables, producer=None, service="t", lease_ttl_s=0.6)
        other = OutboxRelay(engine=engine, tables=tables, producer=None, service="t", lease_ttl_s=0.6)
        renewals = 0
        acquire = relay.acquire_lease

        async def counted() -> bool:
            nonlocal renewals
            renewals += 1
            return await acquire()

        relay.acquire_lease = counted
        for _ in range(10):
            assert await relay.hold_lease()
        assert renewals == 1
        await asyncio.sleep(0.25)  # past a third of the lease's time
        assert await relay.hold_lease() and renewals == 2
        assert not await other.hold_lease()  # still held: renewed before it expired


async def test_a_notification_while_busy_is_kept_for_the_next_wait() -> None:
    signal = WorkSignal()
    assert not await signal.wait(0.01)
    signal.notify()  # nobody waiting: kept
    started = time.monotonic()
    assert await signal.wait(5.0)
    assert time.monotonic() - started < 0.5
    assert not await signal.wait(0.01)  # consumed once

    async def later() -> None:
        await asyncio.sleep(0.05)
        signal.notify()

    notifier = asyncio.create_task(later())
    started = time.monotonic()
    assert await signal.wait(5.0)
    assert time.monotonic() - started < 1.0
    await notifier
