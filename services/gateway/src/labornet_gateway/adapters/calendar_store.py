"""The holiday schedule versions entered at the gateway (adapters/calendar_tables.py): added,
never overwritten, read by year and version."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_gateway.adapters.calendar_tables import schedule_versions as t


class VersionTaken(Exception):
    """Another version of the year was entered meanwhile (its (year, version) key is taken)."""


async def add(*, session: AsyncSession, row: dict[str, Any]) -> None:
    """Store a new version; one whose (year, version) is taken raises ``VersionTaken`` (the
    transaction is spent)."""
    try:
        await session.execute(insert(t).values(**row))
    except IntegrityError:
        raise VersionTaken from None


async def version(*, session: AsyncSession, year: int, version: int | None) -> dict[str, Any] | None:
    """The year's given version, or its latest when ``version`` is None."""
    query = select(t).where(t.c.year == year)
    query = query.where(t.c.version == version) if version else query.order_by(t.c.version.desc()).limit(1)
    row = (await session.execute(query)).mappings().first()
    return None if row is None else dict(row)


async def versions(*, session: AsyncSession, year: int | None = None) -> list[dict[str, Any]]:
    """Every version (of one year, or of all), by year and version."""
    query = select(t).order_by(t.c.year, t.c.version)
    if year is not None:
        query = query.where(t.c.year == year)
    return [dict(row) for row in (await session.execute(query)).mappings()]
