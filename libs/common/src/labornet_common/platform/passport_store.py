"""Where a service keeps the passports it folded (see ``labornet_common.contracts.passport``).

One row per dispute: the folded state as JSON, with the employer key and stage beside it so
that "the pending disputes against this employer" is one indexed query.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.contracts.passport import PENDING, Passport, fold, folds


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


async def save(*, session: AsyncSession, table: Table, passport: Passport, existed: bool) -> None:
    values: dict[str, Any] = {
        "employer_key": passport.employer_key,
        "stage": passport.stage,
        "state": passport.to_dict(),
        "updated_at": utcnow(),
    }
    if existed:
        await session.execute(update(table).where(table.c.case_id == passport.case_id).values(values))
    else:
        await session.execute(insert(table).values(case_id=passport.case_id, opened_at=values["updated_at"], **values))


async def apply_event(
    *, session: AsyncSession, table: Table, case_id: str, event_type: str, data: dict[str, Any]
) -> Passport | None:
    """Fold one consumed event into the dispute's passport (the consumer's inbox makes it once).
    An event the fold does not read loads nothing (None)."""
    if not folds(event_type):
        return None
    before = await load(session=session, table=table, case_id=case_id, for_update=True)
    after = fold(before, case_id=case_id, event_type=event_type, data=data)
    if after is not None and after != before:
        await save(session=session, table=table, passport=after, existed=before is not None)
    return after


async def pending_against(*, session: AsyncSession, table: Table, employer_key: str) -> list[tuple[Passport, datetime]]:
    """Disputes against this employer still before some body of the network, with when each was
    first heard of here."""
    rows = await session.execute(
        select(table.c.state, table.c.opened_at).where(
            table.c.employer_key == employer_key, table.c.stage.in_(sorted(PENDING))
        )
    )
    return [(Passport.from_dict(state), opened_at) for state, opened_at in rows.all()]
