"""Rate-limit state shared by every gateway replica: one GCRA row per (limit, client).

Each check is one statement in its own short transaction: an upsert that advances the
client's theoretical arrival time only when the request is allowed (the GCRA rule of
``domain/ratelimit.gcra``, written in SQL) and returns the new time; no row returned means
refused, and only then is the time read back for Retry-After. The upsert locks the client's
row on PostgreSQL (``ON CONFLICT DO UPDATE`` evaluates its condition on the row as the last
holder left it) and SQLite serialises writers with ``BEGIN IMMEDIATE``, so concurrent requests
from one client on different replicas are counted once each. A request refused at the time it
began to wait for the row, but allowed at the time it got it, is judged again. Rows whose time
has passed are pruned.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from labornet_common.platform.db import dialect_name, rows_matched
from labornet_gateway.adapters.orm import metadata
from labornet_gateway.domain.ratelimit import gcra

rate_limits = sa.Table(
    "rate_limits",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("tat", sa.Float(), nullable=False),  # theoretical arrival time, epoch seconds
)


JUDGED_AGAIN = 3  # a request refused only because it waited for the row is judged again (retry_after)


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
        for _ in range(JUDGED_AGAIN):
            now = self._clock()
            async with self._sessions() as session, session.begin():
                allowed = (await session.execute(self._take(session, key, now))).first()
                if allowed is not None:
                    return None
                tat = (await session.execute(sa.select(rate_limits.c.tat).where(rate_limits.c.key == key))).scalar_one()
            _, wait = gcra(tat=tat, now=self._clock(), per_minute=self.per_minute, burst=self.burst)
            if wait is not None:
                return wait
            # Allowed now: the request was judged at the time it began to wait for the row,
            # and requests that came later took it first and moved the time on (more than the
            # burst when it waited longer than the burst lasts). It is judged again at this time.
        return 1

    def _take(self, session: AsyncSession, key: str, now: float) -> sa.Executable:
        """GCRA (see ``gcra``): from base = max(tat, now), the next tat is base + interval, and the
        request is allowed when that is at most ``burst`` intervals ahead of now. A new client's
        first request is always allowed (burst >= 1)."""
        interval = 60.0 / self.per_minute
        tat = rate_limits.c.tat
        base = sa.case((tat < now, sa.literal(now, sa.Float())), else_=tat)
        dialect = postgresql if dialect_name(session) == "postgresql" else sqlite
        return (
            dialect.insert(rate_limits)
            .values(key=key, tat=now + interval)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={"tat": base + interval},
                where=base + interval - self.burst * interval <= now,
            )
            .returning(rate_limits.c.tat)
        )

    async def prune(self) -> int:
        """Forget clients whose every request has been forgiven (their TAT has passed)."""
        async with self._sessions() as session, session.begin():
            result = await session.execute(sa.delete(rate_limits).where(rate_limits.c.tat < self._clock()))
        return rows_matched(result)
