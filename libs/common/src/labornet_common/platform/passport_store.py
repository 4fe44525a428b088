"""Where a service keeps the passports it folded (see ``labornet_common.contracts.passport``).

One row per dispute: the folded state as JSON, with the employer key and stage beside it so
that "the pending disputes against this employer" is one indexed query.

A consumer batch folds its events into the passports it holds (``apply_event``): the first event
reads the passports of every case of the batch at once, locked, and the ones that changed are
written together just before the transaction commits (one INSERT, one UPDATE).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.passport import PENDING, Passport, fold, folds
from labornet_common.platform.stored import write_rows
from labornet_common.platform.uow import UnitOfWork, commit_state


def passport_table(metadata: MetaData) -> Table:
    return Table(
        "passports",
        metadata,
        Column("case_id", String(36), primary_key=True),
        Column("employer_key", String(300), nullable=False, index=True),
        Column("stage", String(30), nullable=False),
        Column("state", JSON, nullable=False),
        Column("opened_at", DateTime(timezone=True), nullable=False),  # first heard of here
        Column("updated_at", DateTime(timezone=True), nullable=False),
    )


async def load(*, session: AsyncSession, table: Table, case_id: str, for_update: bool = False) -> Passport | None:
    query = select(table.c.state).where(table.c.case_id == case_id)
    state = await session.scalar(query.with_for_update() if for_update else query)
    return None if state is None else Passport.from_dict(state)


def _row(passport: Passport, *, stored: bool, now: datetime) -> dict[str, Any]:
    row = {
        "case_id": passport.case_id,
        "employer_key": passport.employer_key,
        "stage": passport.stage,
        "state": passport.to_dict(),
        "updated_at": now,
    }
    return row if stored else {**row, "opened_at": now}


async def save(*, session: AsyncSession, table: Table, passport: Passport, existed: bool) -> None:
    await write_rows(
        session, table, key_column="case_id", rows=[(_row(passport, stored=existed, now=utcnow()), existed)]
    )


@dataclass
class _Held:
    """A passport a transaction read (None: not stored) and the passport its events folded."""

    stored: Passport | None
    current: Passport | None


async def apply_event(
    *,
    uow: UnitOfWork,
    table: Table,
    case_id: str,
    event_type: str,
    data: dict[str, Any],
    batch: Sequence[str] = (),
) -> Passport | None:
    """Fold one consumed event into the dispute's passport (the consumer's inbox makes it once).
    An event the fold does not read loads nothing (None). The first event of a transaction reads
    the passports of ``batch`` too (the consumer batch's cases), locked, in one statement; what
    the events changed is written before the transaction commits, every passport together."""
    if not folds(event_type):
        return None
    held: dict[str, _Held] = commit_state(uow.session, f"passports:{table.name}")
    if case_id not in held:
        wanted = sorted({case_id, *batch} - held.keys())
        query = select(table.c.case_id, table.c.state).where(table.c.case_id.in_(wanted)).order_by(table.c.case_id)
        found = {c: Passport.from_dict(state) for c, state in await uow.session.execute(query.with_for_update())}
        held.update({c: _Held(found.get(c), found.get(c)) for c in wanted})
    entry = held[case_id]
    after = fold(entry.current, case_id=case_id, event_type=event_type, data=data)
    if after is not None and after != entry.current:
        entry.current = after
        uow.before_commit(("passports", table.name), lambda: _write_held(uow.session, table, held))
    return after


async def _write_held(session: AsyncSession, table: Table, held: dict[str, _Held]) -> None:
    now = utcnow()
    changed = [e for e in held.values() if e.current is not None and e.current != e.stored]
    rows = [(_row(e.current, stored=e.stored is not None, now=now), e.stored is not None) for e in changed if e.current]
    await write_rows(session, table, key_column="case_id", rows=rows)
    for entry in held.values():
        entry.stored = entry.current


async def pending_against(*, session: AsyncSession, table: Table, employer_key: str) -> list[tuple[Passport, datetime]]:
    """Disputes against this employer still before some body of the network, with when each was
    first heard of here."""
    rows = await session.execute(
        select(table.c.state, table.c.opened_at).where(
            table.c.employer_key == employer_key, table.c.stage.in_(sorted(PENDING))
        )
    )
    return [(Passport.from_dict(state), opened_at) for state, opened_at in rows.all()]
