"""Audit trail storage: append (one entry or a journal's batch) under the chain-head lock, read
in order, prune the oldest, keep each journal's cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.platform.db import rows_matched
from labornet_gateway.adapters.audit_tables import audit_chain_head, audit_journal_cursor, audit_log
from labornet_gateway.domain.audit_chain import GENESIS_HASH, AuditEntry, ChainedEntry, chain_hash

HEAD_ID = 1
_ENTRY_COLUMNS = tuple(AuditEntry.__dataclass_fields__)


class ChainHeadMoved(RuntimeError):
    """The head changed under a held lock: a bug or a writer that bypassed the lock."""


async def head(*, session: AsyncSession, lock: bool = False) -> Any | None:
    query = select(audit_chain_head).where(audit_chain_head.c.id == HEAD_ID)
    # FOR UPDATE serialises appends on PostgreSQL; SQLite's BEGIN IMMEDIATE already has.
    return (await session.execute(query.with_for_update() if lock else query)).first()


async def _locked_head(*, session: AsyncSession, now: datetime) -> Any:
    """The head, created at genesis if absent (the migration normally creates it). Should a
    head go missing while entries remain, the first append collides with seq 1 and fails."""
    current = await head(session=session, lock=True)
    if current is None:
        await session.execute(
            audit_chain_head.insert().values(
                id=HEAD_ID,
                seq=0,
                hash=GENESIS_HASH,
                anchor_seq=0,
                anchor_hash=GENESIS_HASH,
                updated_at=now,
            )
        )
        current = await head(session=session, lock=True)
    return current


async def append(*, session: AsyncSession, entry: AuditEntry, now: datetime) -> int:
    """Chain ``entry`` after the current head, in the caller's transaction. Returns its seq."""
    return await append_many(session=session, entries=[entry], now=now)


async def append_many(
    *, session: AsyncSession, entries: list[AuditEntry], now: datetime, locked_head: Any | None = None
) -> int:
    """Chain ``entries`` in order after the head (one lock for all). Returns the last seq.
    ``locked_head``: the head as ``lock_chain`` read it in this transaction (not read again)."""
    current = locked_head if locked_head is not None else await _locked_head(session=session, now=now)
    seq, digest, rows = current.seq, current.hash, []
    for entry in entries:
        seq, prev = seq + 1, digest
        digest = chain_hash(prev, seq, entry)
        rows.append({"seq": seq, "prev_hash": prev, "hash": digest, **asdict(entry)})
    if not rows:
        return seq
    await session.execute(audit_log.insert(), rows)
    moved = await session.execute(
        update(audit_chain_head)
        .where(audit_chain_head.c.id == HEAD_ID, audit_chain_head.c.seq == current.seq)
        .values(seq=seq, hash=digest, updated_at=now)
    )
    if rows_matched(moved) != 1:
        raise ChainHeadMoved(f"audit chain head moved during append through seq {seq}")
    return seq


async def lock_chain(*, session: AsyncSession, now: datetime) -> Any:
    """Take the chain-head lock for the rest of the transaction (appenders take turns); the
    head as locked."""
    return await _locked_head(session=session, now=now)


async def journal_cursor(*, session: AsyncSession, journal_id: str) -> Any | None:
    query = select(audit_journal_cursor).where(audit_journal_cursor.c.journal_id == journal_id)
    return (await session.execute(query)).first()


async def journals(*, session: AsyncSession) -> list[Any]:
    return list((await session.execute(select(audit_journal_cursor))).all())


async def move_cursor(
    *, session: AsyncSession, journal_id: str, drained_through: int, lost: int, now: datetime, exists: bool
) -> None:
    values = {"drained_through": drained_through, "lost": lost, "updated_at": now}
    if exists:
        await session.execute(
            update(audit_journal_cursor).where(audit_journal_cursor.c.journal_id == journal_id).values(**values)
        )
    else:
        await session.execute(audit_journal_cursor.insert().values(journal_id=journal_id, **values))


def _chained(row: Any) -> ChainedEntry:
    m = row._mapping
    return ChainedEntry(
        seq=m["seq"],
        entry=AuditEntry(**{name: m[name] for name in _ENTRY_COLUMNS}),
        prev_hash=m["prev_hash"],
        hash=m["hash"],
    )


async def entries(
    *, session: AsyncSession, after_seq: int, through_seq: int, batch: int = 1000
) -> AsyncIterator[ChainedEntry]:
    """Entries after ``after_seq`` up to ``through_seq``, in order, read in batches."""
    cursor = after_seq
    while cursor < through_seq:
        rows = (
            await session.execute(
                select(audit_log)
                .where(audit_log.c.seq > cursor, audit_log.c.seq <= through_seq)
                .order_by(audit_log.c.seq)
                .limit(batch)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield _chained(row)
        cursor = rows[-1].seq


async def hash_at(*, session: AsyncSession, seq: int) -> str | None:
    return (await session.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq))).scalar()


async def prune_before(*, session: AsyncSession, cutoff: datetime, now: datetime) -> int:
    """Delete the entries older than ``cutoff`` and move the anchor past them."""
    await _locked_head(session=session, now=now)
    last = (await session.execute(select(func.max(audit_log.c.seq)).where(audit_log.c.occurred_at < cutoff))).scalar()
    if last is None:
        return 0
    anchor_hash = (await session.execute(select(audit_log.c.hash).where(audit_log.c.seq == last))).scalar_one()
    removed = await session.execute(delete(audit_log).where(audit_log.c.seq <= last))
    await session.execute(
        update(audit_chain_head)
        .where(audit_chain_head.c.id == HEAD_ID)
        .values(anchor_seq=last, anchor_hash=anchor_hash, updated_at=now)
    )
    return rows_matched(removed)
