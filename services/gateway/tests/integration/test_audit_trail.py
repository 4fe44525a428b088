"""The audit trail on a real database: concurrent appends never fork the chain, and a
modified, deleted or truncated entry is found; retention moves the anchor, not the proof."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, update

from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_gateway.adapters.audit_tables import audit_log
from labornet_gateway.adapters.orm import messaging
from labornet_gateway.domain.audit_chain import AuditEntry
from labornet_gateway.main import SPEC
from labornet_gateway.service import audit


def _entry(n: int, *, at: datetime | None = None) -> AuditEntry:
    return AuditEntry.of(
        occurred_at=at or datetime.now(UTC),
        subject=f"demo:user{n % 3}",
        roles="mediator",
        method="GET",
        route="/api/v1/complaints/{id}",
        status=200,
        case_id=None,
        client_ip="127.0.0.1",
        user_agent="pytest",
        request_id=f"req-{n}",
    )


@pytest.fixture
async def uow_factory(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    yield lambda: UnitOfWork(factory, messaging, source="/labornet/gateway")
    await engine.dispose()


async def _tamper(uow_factory, statement) -> None:
    async with uow_factory() as uow:
        await uow.session.execute(statement)
        await uow.commit()


async def test_concurrent_appends_form_one_unbroken_chain(uow_factory) -> None:
    seqs = await asyncio.gather(*(audit.record(uow=uow_factory(), entry=_entry(n)) for n in range(40)))
    assert sorted(seqs) == list(range(1, 41))
    result = await audit.verify(uow=uow_factory())
    assert result.ok and result.checked == 40 and result.head_seq == 40


async def test_a_modified_row_is_detected(uow_factory) -> None:
    for n in range(5):
        await audit.record(uow=uow_factory(), entry=_entry(n))
    await _tamper(uow_factory, update(audit_log).where(audit_log.c.seq == 3).values(subject="someone-else"))
    result = await audit.verify(uow=uow_factory())
    assert not result.ok and result.broken_at == 3


async def test_a_deleted_row_is_detected(uow_factory) -> None:
    for n in range(5):
        await audit.record(uow=uow_factory(), entry=_entry(n))
    await _tamper(uow_factory, delete(audit_log).where(audit_log.c.seq == 2))
    result = await audit.verify(uow=uow_factory())
    assert not result.ok and result.broken_at == 2


async def test_deleting_the_newest_rows_is_detected(uow_factory) -> None:
    for n in range(5):
        await audit.record(uow=uow_factory(), entry=_entry(n))
    await _tamper(uow_factory, delete(audit_log).where(audit_log.c.seq >= 4))
    result = await audit.verify(uow=uow_factory())
    assert not result.ok and "end of the chain" in (result.reason or "")


async def test_retention_prunes_old_entries_and_the_rest_still_verifies(uow_factory) -> None:
    old = datetime.now(UTC) - timedelta(days=400)
    for n in range(3):
        await audit.record(uow=uow_factory(), entry=_entry(n, at=old))
    for n in range(3, 6):
        await audit.record(uow=uow_factory(), entry=_entry(n))
    assert await audit.prune(uow=uow_factory(), retention_days=365) == 3
    result = await audit.verify(uow=uow_factory())
    assert result.ok and result.checked == 3 and result.head_seq == 6
    # Deleting beyond the anchor is still tampering.
    await _tamper(uow_factory, delete(audit_log).where(audit_log.c.seq == 4))
    assert not (await audit.verify(uow=uow_factory())).ok
