"""A roster's change log (one table per service, the same columns everywhere) and the change
itself: the event on reference.organisations.v1 and the log row, written in the caller's
transaction, so a change is never logged without its event or the other way round."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Table, false, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import EventData
from labornet_common.platform.roster.rules import Change
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.visibility import division_prefix


class ChangeLog:
    """The change log kept in ``table`` (change_id, action, subject_id, division_code, detail,
    changed_by, changed_at)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    async def append(self, session: AsyncSession, change: Change) -> None:
        await session.execute(
            insert(self.table).values(
                change_id=str(uuid.uuid4()),
                action=change.action,
                subject_id=change.subject_id,
                division_code=change.division_code,
                detail=change.detail,
                changed_by=change.by,
                changed_at=change.at,
            )
        )

    async def read(self, session: AsyncSession, *, prefixes: list[str] | None, limit: int) -> list[dict[str, Any]]:
        """Newest first, within the divisions ``prefixes`` name (None: all)."""
        t = self.table.c
        query = select(self.table).order_by(t.changed_at.desc(), t.change_id).limit(limit)
        if prefixes is not None:
            query = query.where(or_(false(), *(division_prefix(t.division_code, p) for p in prefixes)))
        return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def record(uow: UnitOfWork, log: ChangeLog, change: Change, event: EventData) -> None:
    """The change's event (its stream: the entry changed) and its log row, in ``uow``."""
    uow.record(change.subject_id, event)
    await log.append(uow.session, change)
