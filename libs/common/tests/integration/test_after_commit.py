"""In-memory state that must follow the database (the process's legal calendar, a job's wake-up)
changes only once the unit of work has committed: never for a transaction that rolled back. Work
asked for before the commit (an employer's picture) runs once per key, inside the transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from sqlalchemy import select

from labornet_common.platform.context import traceparent_var
from labornet_common.platform.outbox.signal import job_signal
from labornet_common.platform.uow import after_commit
from labornet_common.testing.messaging import Ping, case_ids, engine_for, tables, uow_for

TRACE_1 = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
TRACE_2 = "00-1af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


async def test_actions_run_after_commit_and_never_after_a_rollback(database_url: str) -> None:
    (a,) = case_ids(1)
    seen: list[str] = []
    async with engine_for(database_url) as engine:
        with pytest.raises(RuntimeError):
            async with uow_for(engine) as uow:
                uow.record(a, Ping(case_id=a, n=1))
                uow.after_commit(lambda: seen.append("rolled back"))
                raise RuntimeError("handler failed before commit")
        async with uow_for(engine) as uow:
            uow.record(a, Ping(case_id=a, n=1))
            uow.after_commit(lambda: seen.append("committed"))
            assert seen == []
            await uow.commit()
            assert seen == ["committed"]
        async with uow_for(engine) as uow:  # a new unit of work starts with no actions
            await uow.commit()
    assert seen == ["committed"]


async def test_code_holding_only_the_session_wakes_a_job_once_its_unit_of_work_commits(database_url: str) -> None:
    signal = job_signal("after-commit-demo")
    async with engine_for(database_url) as engine:
        with pytest.raises(RuntimeError):
            async with uow_for(engine) as uow:
                after_commit(uow.session, signal.notify)  # as a store queueing a delivery does
                raise RuntimeError("the change failed")
        assert await signal.wait(0.05) is False  # rolled back: the job is not woken
        async with uow_for(engine) as uow:
            after_commit(uow.session, signal.notify)
            assert await signal.wait(0.05) is False  # not before the commit
            await uow.commit()
        assert await signal.wait(0.05) is True


async def test_work_asked_for_before_commit_runs_once_per_key_in_key_order_in_its_own_trace(
    database_url: str,
) -> None:
    a, b = case_ids(2)
    ran: list[tuple[str, int, str | None]] = []
    async with engine_for(database_url) as engine:
        async with uow_for(engine) as uow:

            def refresh(key: str, n: int) -> Callable[[], Awaitable[None]]:
                async def run() -> None:
                    ran.append((key, n, traceparent_var.get()))
                    uow.record(key, Ping(case_id=key, n=n))  # what it changes commits with the rest

                return run

            for n, (key, trace) in enumerate([(b, TRACE_1), (a, TRACE_1), (b, TRACE_2)], start=1):
                token = traceparent_var.set(trace)
                uow.before_commit(("picture", key), refresh(key, n))
                traceparent_var.reset(token)
            assert ran == []
            await uow.commit()
        # b asked twice: the last one runs, once, in the trace it was asked in; keys in order.
        assert ran == sorted([(a, 2, TRACE_1), (b, 3, TRACE_2)])
        async with engine.connect() as conn:
            rows = (await conn.execute(select(tables.outbox.c.partition_key, tables.outbox.c.traceparent))).all()
        assert sorted(rows) == sorted([(a, TRACE_1), (b, TRACE_2)])
        with pytest.raises(RuntimeError):
            async with uow_for(engine) as uow:
                uow.before_commit(("picture", a), refresh(a, 9))
                raise RuntimeError("the batch failed")
        async with uow_for(engine) as uow:  # nothing asked for by a rolled-back one runs later
            await uow.commit()
    assert len(ran) == 2
