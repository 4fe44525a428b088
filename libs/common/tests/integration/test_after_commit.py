"""In-memory state that must follow the database (the process's legal calendar, a job's wake-up)
changes only once the unit of work has committed: never for a transaction that rolled back."""

from __future__ import annotations

import pytest

from labornet_common.platform.outbox.signal import job_signal
from labornet_common.platform.uow import after_commit
from labornet_common.testing.messaging import Ping, case_ids, engine_for, uow_for


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
