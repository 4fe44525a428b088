"""The trail of list exports: who exported which list, with which filters, how many rows.

The request itself is in the hash-chained audit trail like every other (subject, route, status,
request id); this table adds what the chain does not hold: the list's name, the filters as
asked (the query string without the cursor) and the number of rows the file holds. Joined to the
chain by the request id.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Column, DateTime, Integer, String, Table, Text, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_gateway.adapters.orm import metadata

list_exports = Table(
    "list_exports",
    metadata,
    Column("export_id", String(36), primary_key=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False, index=True),
    Column("subject", String(200), nullable=False, index=True),
    Column("roles", String(200), nullable=False),
    Column("list_name", String(80), nullable=False),
    Column("route", String(300), nullable=False),
    Column("filters", Text, nullable=False),  # JSON object: parameter -> value or list of values
    Column("format", String(10), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("request_id", String(64), nullable=False),
)


async def record(session: AsyncSession, **values: Any) -> None:
    values["filters"] = json.dumps(values["filters"], ensure_ascii=False, sort_keys=True)
    await session.execute(insert(list_exports).values(**values))


async def recent(
    session: AsyncSession, *, limit: int, before: datetime | None = None, subject: str | None = None
) -> list[dict[str, Any]]:
    """The newest exports first (``before``: older than that time)."""
    c = list_exports.c
    query = select(list_exports).order_by(c.occurred_at.desc(), c.export_id.desc()).limit(limit)
    if before is not None:
        query = query.where(c.occurred_at < before)
    if subject:
        query = query.where(c.subject == subject)
    rows = (await session.execute(query)).all()
    return [{**dict(r._mapping), "filters": json.loads(r.filters)} for r in rows]
