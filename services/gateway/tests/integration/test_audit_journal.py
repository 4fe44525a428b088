"""The local audit journal and its sequencer on real databases: every journaled request is
chained exactly once and in order, across restarts, database outages and concurrent gateways;
what the trail is missing is reported."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from labornet_common.platform.db import create_engine, session_factory
from labornet_common.platform.migrations import upgrade_to_head
from labornet_common.platform.uow import UnitOfWork
from labornet_gateway.adapters import audit_store
from labornet_gateway.adapters.audit_journal import AuditJournal, JournalInUse
from labornet_gateway.adapters.audit_tables import audit_log
from labornet_gateway.adapters.orm import messaging
from labornet_gateway.domain.audit_chain import AuditEntry
from labornet_gateway.main import SPEC
from labornet_gateway.service import audit
from labornet_gateway.service.audit_sequencer import AuditSequencer


def _entry(n: int, status: int = 201) -> AuditEntry:
    return AuditEntry.of(
        occurred_at=datetime.now(UTC),
        subject="anonymous",
        roles="",
        method="POST",
        route="/api/v1/complaints",
        status=status,
        case_id=None,
        client_ip="127.0.0.1",
        user_agent="pytest",
        request_id=f"req-{n}",
    )


def _opened(directory: Path) -> AuditJournal:
    journal = AuditJournal(directory)
    journal.open()
    return journal


@pytest.fixture
async def uow_factory(database_url: str):
    engine = create_engine(database_url)
    await upgrade_to_head(engine, SPEC.migrations_dir)
    factory = session_factory(engine)
    yield lambda: UnitOfWork(factory, messaging, source="/labornet/gateway")
    await engine.dispose()


def _refusing_factory(backend: str, tmp_path: Path):
    """A database that refuses connections: nothing listens there (PostgreSQL) or it cannot be opened."""
    from labornet_common.platform.broker import free_port

    url = (
        f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/none"
        if backend == "postgresql"
        else f"sqlite+aiosqlite:///{tmp_path}"  # a directory, not a database
    )
    factory = session_factory(create_engine(url))
    return lambda: UnitOfWork(factory, messaging, source="/labornet/gateway")


async def _rows(uow_factory) -> list[tuple[int, str]]:
    async with uow_factory() as uow:
        result = await uow.session.execute(select(audit_log.c.seq, audit_log.c.request_id).order_by(audit_log.c.seq))
        return [tuple(row) for row in result]


async def test_concurrent_appends_are_numbered_durably_and_a_torn_line_is_dropped(tmp_path: Path) -> None:
    journal = _opened(tmp_path / "audit")
    writes, write = [], journal._write

    def counted(entries) -> None:
        writes.append(len(entries))
        write(entries)

    journal._write = counted  # type: ignore[method-assign]
    await asyncio.gather(*(journal.append(_entry(n)) for n in range(50)))
    assert journal.written_through == 50
    assert sum(writes) == 50 and len(writes) < 50  # requests waiting together share one sync
    with pytest.raises(JournalInUse):
        _opened(tmp_path / "audit")  # one process per journal
    journal.close()
    with (tmp_path / "audit" / "journal.ndjson").open("ab") as handle:
        handle.write(b'{"n":51,"entry":{"subj')  # a crash mid-write: never acknowledged
    reopened = _opened(tmp_path / "audit")
    assert reopened.written_through == 50
    await reopened.append(_entry(51))
    lines, _ = reopened.read_from(0, 100)
    assert [line.n for line in lines] == list(range(1, 52))
    reopened.close()


async def test_the_sequencer_chains_each_line_once_across_a_restart(uow_factory, tmp_path: Path) -> None:
    journal = _opened(tmp_path / "audit")
    for n in range(30):
        await journal.append(_entry(n))
    await AuditSequencer(journal=journal, uow_factory=uow_factory).drain()
    journal.close()
    restarted = _opened(tmp_path / "audit")  # reads the journal from its start again
    await restarted.append(_entry(30))
    sequencer = AuditSequencer(journal=restarted, uow_factory=uow_factory)
    await sequencer.drain()
    rows = await _rows(uow_factory)
    assert rows == [(n + 1, f"req-{n}") for n in range(31)]
    assert sequencer.ready() and sequencer.backlog() == 0
    report = await audit.report(uow_factory=uow_factory, sequencer=sequencer, unjournaled=0)
    assert report.ok and report.chain.checked == 31
    restarted.close()


async def test_a_refusing_database_delays_the_trail_and_loses_nothing(
    uow_factory, db_backend: str, tmp_path: Path
) -> None:
    journal = _opened(tmp_path / "audit")
    down = AuditSequencer(journal=journal, uow_factory=_refusing_factory(db_backend, tmp_path))
    for n in range(12):
        await journal.append(_entry(n))
    with pytest.raises(Exception):
        await down.drain()
    assert not down.ready() and down.backlog() == 12
    back = AuditSequencer(journal=journal, uow_factory=uow_factory)
    await back.drain()
    assert [request_id for _, request_id in await _rows(uow_factory)] == [f"req-{n}" for n in range(12)]
    assert back.ready() and back.backlog() == 0
    journal.close()


async def test_verify_reports_an_injected_gap_and_an_answered_request_never_chained(
    uow_factory, tmp_path: Path
) -> None:
    directory = tmp_path / "audit"
    journal = _opened(directory)
    for n in range(10):
        await journal.append(_entry(n))
    journal.close()
    path = directory / "journal.ndjson"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:8] + lines[9:]))  # journal line 9, an answered request, is lost
    journal = _opened(directory)
    sequencer = AuditSequencer(journal=journal, uow_factory=uow_factory)
    await sequencer.drain()
    async with uow_factory() as uow:
        await uow.session.execute(delete(audit_log).where(audit_log.c.seq.in_([3, 4])))
        await uow.commit()
    report = await audit.report(uow_factory=uow_factory, sequencer=sequencer, unjournaled=0)
    assert not report.ok and not report.chain.ok
    assert [(g.first, g.last) for g in report.chain.gaps] == [(3, 4)] and report.chain.missing == 2
    assert report.unrecorded == 1
    journal.close()


async def test_two_gateways_draining_at_once_form_one_chain(uow_factory, tmp_path: Path) -> None:
    journals = [_opened(tmp_path / f"gw{i}") for i in range(2)]
    sequencers = [AuditSequencer(journal=j, uow_factory=uow_factory) for j in journals]

    async def request(n: int) -> None:
        journal, sequencer = journals[n % 2], sequencers[n % 2]
        await journal.append(_entry(n))
        await sequencer.drain()

    await asyncio.gather(*(request(n) for n in range(50)))
    report = await audit.report(uow_factory=uow_factory, sequencer=sequencers[0], unjournaled=0)
    assert report.ok and report.chain.checked == 50
    async with uow_factory() as uow:
        distinct = (await uow.session.execute(select(func.count(func.distinct(audit_log.c.request_id))))).scalar()
    assert distinct == 50
    for journal in journals:
        journal.close()


async def test_a_drained_journal_is_emptied_and_its_numbering_goes_on(uow_factory, tmp_path: Path, monkeypatch) -> None:
    from labornet_gateway.adapters import audit_journal

    monkeypatch.setattr(audit_journal, "COMPACT_ABOVE_BYTES", 1)
    journal = _opened(tmp_path / "audit")
    for n in range(5):
        await journal.append(_entry(n))
    sequencer = AuditSequencer(journal=journal, uow_factory=uow_factory)
    await sequencer.drain()
    assert (tmp_path / "audit" / "journal.ndjson").stat().st_size == 0
    await journal.append(_entry(5))  # line 6, read from the emptied file's start
    await sequencer.drain()
    journal.close()
    reopened = _opened(tmp_path / "audit")  # the numbering survives the emptying
    await reopened.append(_entry(6))
    assert reopened.written_through == 7
    await AuditSequencer(journal=reopened, uow_factory=uow_factory).drain()
    assert [rid for _, rid in await _rows(uow_factory)] == [f"req-{n}" for n in range(7)]
    reopened.close()


async def test_a_long_backlog_is_read_in_bounded_chunks(uow_factory, tmp_path: Path, monkeypatch) -> None:
    from labornet_gateway.adapters import audit_journal

    monkeypatch.setattr(audit_journal, "READ_CHUNK_BYTES", 700)  # about two lines a read
    journal = _opened(tmp_path / "audit")
    for n in range(9):
        await journal.append(_entry(n))
    first, offset = journal.read_from(0, 100)
    assert 0 < len(first) < 9 and offset < (tmp_path / "audit" / "journal.ndjson").stat().st_size
    await AuditSequencer(journal=journal, uow_factory=uow_factory).drain()
    assert [rid for _, rid in await _rows(uow_factory)] == [f"req-{n}" for n in range(9)]
    journal.close()


async def test_an_idle_sequencer_chains_a_notified_request_at_once(uow_factory, tmp_path: Path) -> None:
    journal = _opened(tmp_path / "audit")
    sequencer = AuditSequencer(journal=journal, uow_factory=uow_factory)
    stop = asyncio.Event()
    task = asyncio.create_task(sequencer.run(stop, idle_s=60.0))  # no timer would drain in time
    try:
        for n in range(3):
            await asyncio.sleep(0.2)
            await journal.append(_entry(n))
            sequencer.notify()  # what the audit recorder does after each append
        for _ in range(200):
            if sequencer.drained_through == 3:
                break
            await asyncio.sleep(0.01)
        assert sequencer.drained_through == 3
        assert await _rows(uow_factory) == [(n + 1, f"req-{n}") for n in range(3)]
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_requests_journaled_together_are_chained_in_one_transaction(uow_factory, tmp_path: Path) -> None:
    journal = _opened(tmp_path / "audit")
    opened: list[UnitOfWork] = []

    def counting() -> UnitOfWork:
        opened.append(uow := uow_factory())
        return uow

    sequencer = AuditSequencer(journal=journal, uow_factory=counting)
    stop = asyncio.Event()
    task = asyncio.create_task(sequencer.run(stop, idle_s=60.0, gather_s=0.3))
    try:
        for _ in range(200):  # the first drain, at start, with nothing journaled
            if sequencer.drained_through is not None:
                break
            await asyncio.sleep(0.01)
        at_start = len(opened)
        for n in range(5):
            await journal.append(_entry(n))
            sequencer.notify()
            await asyncio.sleep(0.02)
        for _ in range(200):
            if sequencer.drained_through == 5:
                break
            await asyncio.sleep(0.01)
        assert sequencer.drained_through == 5
        assert len(opened) - at_start == 1  # five answered requests, one chaining transaction
        assert await _rows(uow_factory) == [(n + 1, f"req-{n}") for n in range(5)]
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_the_cursor_is_read_once_and_again_after_a_drain_whose_commit_was_not_answered(
    uow_factory, tmp_path: Path, monkeypatch
) -> None:
    reads = 0
    stored = audit_store.journal_cursor

    async def counted(**kwargs):
        nonlocal reads
        reads += 1
        return await stored(**kwargs)

    monkeypatch.setattr(audit_store, "journal_cursor", counted)
    lost_answer = False

    def factory() -> UnitOfWork:
        uow = uow_factory()
        if lost_answer:
            commit = uow.commit

            async def committed_then_lost() -> None:
                await commit()
                raise ConnectionResetError("the answer to COMMIT never came")

            uow.commit = committed_then_lost  # type: ignore[method-assign]
        return uow

    journal = _opened(tmp_path / "audit")
    sequencer = AuditSequencer(journal=journal, uow_factory=factory)
    for batch in (range(0, 3), range(3, 5)):
        for n in batch:
            await journal.append(_entry(n))
        await sequencer.drain()
    assert reads == 1  # the journal is this process's alone: its cursor moves only here
    lost_answer = True
    for n in range(5, 7):
        await journal.append(_entry(n))
    with pytest.raises(ConnectionResetError):
        await sequencer.drain()
    lost_answer = False
    await journal.append(_entry(7))
    await sequencer.drain()
    assert reads == 2  # read again after the failed drain: its lines landed, and are not chained twice
    assert await _rows(uow_factory) == [(n + 1, f"req-{n}") for n in range(8)]
    journal.close()
