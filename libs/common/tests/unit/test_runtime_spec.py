"""The typed runtime: a service's context is built once from its spec and read as
``runtime.context``; consumers are made from it; periodic jobs run on a fixed interval (or back
off while idle and wake on queued work), survive a failed run and stop with the runtime."""

from __future__ import annotations

import asyncio
import itertools
import logging
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import MetaData

from labornet_common.platform.bus.consumer import ANY_EVENT
from labornet_common.platform.outbox.signal import job_signal
from labornet_common.platform.outbox.tables import messaging_tables
from labornet_common.platform.runtime import ConsumerSpec, ContextNotBuilt, JobSpec, Runtime, ServiceSpec
from labornet_common.platform.settings import BaseServiceSettings


@dataclass
class Ctx:
    name: str
    runs: list[float] = field(default_factory=list)


async def _noop(*_: Any) -> None:
    return None


def _runtime(
    *, jobs: list[JobSpec[Ctx]] = (), consumers: list[ConsumerSpec[Ctx]] = (), **settings: Any
) -> Runtime[Ctx]:
    built: list[int] = []

    async def context(runtime: Runtime[Ctx]) -> Ctx:
        built.append(1)
        return Ctx(name=f"ctx #{len(built)} of {runtime.spec.name}")

    metadata = MetaData()
    spec = ServiceSpec[Ctx](
        name="demo",
        settings_cls=BaseServiceSettings,
        metadata=metadata,
        tables=messaging_tables(metadata),
        migrations_dir=Path("."),
        default_port=0,
        routers=lambda: [],
        context=context,
        consumers=consumers,
        jobs=jobs,
    )
    return Runtime(
        spec=spec,
        settings=SimpleNamespace(**{"startup_database_wait_s": 0.0, **settings}),
        engine=None,
        session_factory=None,
    )  # type: ignore[arg-type]


async def test_the_context_is_built_once_by_open_and_not_readable_before() -> None:
    runtime = _runtime()
    with pytest.raises(ContextNotBuilt):
        _ = runtime.context
    await runtime.open()
    await runtime.open()
    assert runtime.context.name == "ctx #1 of demo"


async def test_a_consumer_s_handlers_are_made_from_the_context() -> None:
    seen: list[str] = []

    def handlers(ctx: Ctx) -> dict[str, Any]:
        seen.append(ctx.name)
        return {ANY_EVENT: _noop}

    runtime = _runtime(
        consumers=[ConsumerSpec("demo.cases", ["labornet.demo"], handlers)],
        consumer_max_attempts=3,
        consumer_retry_backoff_s=0.1,
        consumer_batch_size=10,
        consumer_lanes=3,
        database_url="postgresql+asyncpg://labornet@db/demo",
    )
    await runtime.open()
    consumer = runtime.event_consumer(runtime.spec.consumers[0])
    assert (consumer.name, list(consumer.topics), seen) == ("demo.cases", ["labornet.demo"], ["ctx #1 of demo"])
    assert (consumer.batch_size, consumer.lanes) == (10, 3)
    runtime.settings.database_url = "sqlite+aiosqlite:///demo.db"  # one writer at a time: one lane
    assert runtime.event_consumer(runtime.spec.consumers[0]).lanes == 1


async def test_a_job_runs_at_once_then_once_per_interval_until_the_runtime_stops() -> None:
    loop = asyncio.get_running_loop()

    async def tick(ctx: Ctx, _uow_factory: Any) -> None:
        ctx.runs.append(loop.time())

    runtime = _runtime(jobs=[JobSpec("tick", lambda s: s.tick_s, tick)], tick_s=0.1)
    await runtime.open()
    started = loop.time()
    (task,) = runtime.start_jobs()
    await asyncio.sleep(0.45)
    runtime.stop.set()
    await asyncio.wait_for(task, 1.0)
    runs = runtime.context.runs
    assert runs[0] - started < 0.08  # the first run does not wait for an interval
    assert 3 <= len(runs) <= 5
    assert all(b - a >= 0.095 for a, b in itertools.pairwise(runs))  # never early


async def test_the_interval_is_counted_from_the_start_of_each_run() -> None:
    loop = asyncio.get_running_loop()

    async def slow(ctx: Ctx, _uow_factory: Any) -> None:
        ctx.runs.append(loop.time())
        await asyncio.sleep(0.06)  # counted from its end, the period would be 0.16 s

    runtime = _runtime(jobs=[JobSpec("slow", lambda s: 0.1, slow)])
    await runtime.open()
    (task,) = runtime.start_jobs()
    await asyncio.sleep(0.55)
    runtime.stop.set()
    await asyncio.wait_for(task, 1.0)
    gaps = sorted(b - a for a, b in itertools.pairwise(runtime.context.runs))
    assert len(gaps) >= 3
    assert gaps[len(gaps) // 2] < 0.14  # the median period is the interval, not interval + run time


async def test_a_failed_run_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []

    async def flaky(_ctx: Ctx, _uow_factory: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the database is away")

    runtime = _runtime(jobs=[JobSpec("flaky", lambda s: 0.02, flaky)])
    await runtime.open()
    with caplog.at_level(logging.ERROR, logger="labornet_common.platform.runtime"):
        (task,) = runtime.start_jobs()
        await asyncio.sleep(0.1)
        runtime.stop.set()
        await asyncio.wait_for(task, 1.0)
    assert len(calls) >= 2
    assert any("periodic job flaky failed" in r.getMessage() for r in caplog.records)


async def test_a_long_interval_does_not_delay_the_stop() -> None:
    runtime = _runtime(jobs=[JobSpec("hourly", lambda s: 3600.0, _noop)])
    await runtime.open()
    (task,) = runtime.start_jobs()
    await asyncio.sleep(0.01)
    runtime.stop.set()
    await asyncio.wait_for(task, 0.5)  # a job waiting out its interval wakes on stop


async def test_an_interval_of_zero_switches_a_job_off() -> None:
    runtime = _runtime(jobs=[JobSpec("off", lambda s: s.off_s, _noop)], off_s=0)
    await runtime.open()
    assert runtime.start_jobs() == []


async def test_an_idle_job_doubles_its_wait_up_to_its_cap() -> None:
    loop = asyncio.get_running_loop()

    async def nothing_due(ctx: Ctx, _uow_factory: Any) -> int:
        ctx.runs.append(loop.time())
        return 0

    runtime = _runtime(jobs=[JobSpec("idle-demo", lambda s: 0.05, nothing_due, idle_max_s=lambda s: 0.2)])
    await runtime.open()
    (task,) = runtime.start_jobs()
    await asyncio.sleep(1.0)
    runtime.stop.set()
    await asyncio.wait_for(task, 1.0)
    gaps = [b - a for a, b in itertools.pairwise(runtime.context.runs)]
    # 0.1, 0.2, 0.2, ...: 6 to 7 runs in a second, where the fixed interval would make 20.
    assert 4 <= len(runtime.context.runs) <= 8
    assert 0.09 <= gaps[0] < 0.15
    assert all(0.19 <= gap < 0.35 for gap in gaps[1:])


async def test_a_job_that_did_work_keeps_its_interval() -> None:
    loop = asyncio.get_running_loop()

    async def busy(ctx: Ctx, _uow_factory: Any) -> int:
        ctx.runs.append(loop.time())
        return 3

    runtime = _runtime(jobs=[JobSpec("busy-demo", lambda s: 0.05, busy, idle_max_s=lambda s: 5.0)])
    await runtime.open()
    (task,) = runtime.start_jobs()
    await asyncio.sleep(0.5)
    runtime.stop.set()
    await asyncio.wait_for(task, 1.0)
    assert len(runtime.context.runs) >= 7  # every 0.05 s, not backing off


async def test_queued_work_wakes_a_backed_off_job_at_once() -> None:
    loop = asyncio.get_running_loop()

    async def sender(ctx: Ctx, _uow_factory: Any) -> int:
        ctx.runs.append(loop.time())
        return 0

    runtime = _runtime(jobs=[JobSpec("wake-demo", lambda s: 0.05, sender, idle_max_s=lambda s: 30.0)])
    await runtime.open()
    (task,) = runtime.start_jobs()
    await asyncio.sleep(0.5)  # runs at 0, 0.1, 0.3; the next wait is 0.4 s, then 0.8
    before = len(runtime.context.runs)
    await asyncio.sleep(0.35)
    woken_at = loop.time()
    job_signal("wake-demo").notify()  # what a commit that queued a delivery does
    await asyncio.sleep(0.12)
    runtime.stop.set()
    await asyncio.wait_for(task, 1.0)
    runs = runtime.context.runs
    assert before == 3
    # Woken, it runs at once and waits the interval again (0.1 s after an idle run).
    assert any(0 <= run - woken_at < 0.06 for run in runs)
