"""A named lease in the database: at most one holder at a time, taken over when it expires.

Used so that exactly one outbox relay (per-case order needs a single publisher) and one
webhook dispatcher run per database, whatever the number of replicas.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from labornet_common.contracts.events import utcnow


class Lease:
    def __init__(self, *, engine: AsyncEngine, table: Table, name: str, ttl_s: float, owner: str = "") -> None:
        self.engine = engine
        self.table = table
        self.name = name
        self.ttl = timedelta(seconds=ttl_s)
        self.owner = owner or uuid.uuid4().hex[:16]

    async def acquire(self) -> bool:
        """Take or renew the lease; False while someone else holds an unexpired one."""
        t = self.table
        now = utcnow()
        async with self.engine.begin() as conn:
            renewed = await conn.execute(
                update(t)
                .where(t.c.name == self.name)
                .where((t.c.owner == self.owner) | (t.c.expires_at < now))
                .values(owner=self.owner, expires_at=now + self.ttl)
            )
            if renewed.rowcount:
                return True
            if await conn.scalar(select(t.c.owner).where(t.c.name == self.name)) is not None:
                return False
            try:
                async with conn.begin_nested():
                    await conn.execute(insert(t).values(name=self.name, owner=self.owner, expires_at=now + self.ttl))
            except IntegrityError:
                return False
        return True

    async def release(self) -> None:
        t = self.table
        async with self.engine.begin() as conn:
            await conn.execute(t.delete().where(t.c.name == self.name, t.c.owner == self.owner))
