"""Rate-limit state shared by every gateway replica: one GCRA row per (limit, client).

Each check is one short transaction that locks the client's row (PostgreSQL ``FOR UPDATE``;
SQLite serialises writers with ``BEGIN IMMEDIATE``), so concurrent requests from one client
on different replicas are counted once each. Rows whose time has passed are pruned.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from labornet_common.db import dialect_name, rows_matched
from labornet_gateway.adapters.orm import metadata
from labornet_gateway.domain.ratelimit import gcra

rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("tat", sa.Float(), nullable=False),  # theoretical arrival time, epoch seconds
)


class SharedRateLimiter:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        *,
        name: str,
        per_minute: float,
        burst: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        gcra(tat=None, now=0.0, per_minute=per_minute, burst=burst)  # refuse bad limits at start
        self._sessions = sessions
        self.name = name
        self.per_minute = per_minute
        self.burst = burst
        self._clock = clock

    async def retry_after(self, client: str) -> int | None:
        key = f"{self.name}:{client}"[:200]
        async with self._sessions() as session, session.begin():
            await session.execute(_insert_if_absent(session, key, self._clock()))
            tat = (
                await session.execute(sa.select(rate_limits.c.tat).where(rate_limits.c.key == key).with_for_update())
            ).scalar_one()
            new_tat, wait = gcra(tat=tat, now=self._clock(), per_minute=self.per_minute, burst=self.burst)
            if wait is None:
                await session.execute(sa.update(rate_limits).where(rate_limits.c.key == key).values(tat=new_tat))
        return wait

    async def prune(self) -> int:
        """Forget clients whose every request has been forgiven (their TAT has passed)."""
        async with self._sessions() as session, session.begin():
            result = await session.execute(sa.delete(rate_limits).where(rate_limits.c.tat < self._clock()))
        return rows_matched(result)


def _insert_if_absent(session: AsyncSession, key: str, now: float) -> sa.Executable:
    dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
    return dialect.insert(rate_limits).values(key=key, tat=now).on_conflict_do_nothing(index_elements=["key"])
