"""Queries for arbitration as practised (kept apart from repository.py's lists and queues)."""

from __future__ import annotations

from sqlalchemy import String, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters.orm import applications
from labornet_arbitration.domain.model import ACTIVE


async def with_served_partial_awards(*, session: AsyncSession) -> list[str]:
    """Open applications with a served partial award: one may take effect (LDA Art. 50)."""
    c = applications.c
    query = select(c.application_id).where(
        c.status.in_(sorted(ACTIVE | {"SUSPENDED"})), cast(c.procedure, String).like('%"suit_due_on"%')
    )
    return list((await session.execute(query.order_by(c.application_id))).scalars().all())
