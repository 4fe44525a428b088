"""Each service's copy of the entered holiday schedules, and keeping its live calendar in step.

Every service that counts deadlines stores the latest version of each year's schedule from
``reference.calendar.v1`` in its own database (so a restart loses nothing), installs all of them
into the process's live calendar at start, and re-installs after each new version commits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from labornet_common.contracts.calendar import HolidayScheduleEntered, ScheduleDay
from labornet_common.contracts.events import Envelope
from labornet_common.platform.bus.consumer import handles
from labornet_common.platform.live_calendar import live_calendar
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import HolidayNotice, LegalCalendar
from labornet_common.reference.holiday_schedules import notice_of

log = logging.getLogger(__name__)

# Recompute a service's open deadlines touching ``year`` on the new ``calendar`` (in ``uow``).
Recompute = Callable[..., Awaitable[Any]]


def schedules_table(metadata: MetaData) -> Table:
    return Table(
        "holiday_schedules",
        metadata,
        Column("year", Integer, primary_key=True, autoincrement=False),
        Column("version", Integer, nullable=False),
        Column("notice", String(200), nullable=False),
        Column("days", JSON, nullable=False),
        Column("entered_by", String(200), nullable=False),
        Column("entered_at", DateTime(timezone=True), nullable=False),
    )


async def store_schedule(*, session: AsyncSession, table: Table, event: HolidayScheduleEntered) -> bool:
    """Keep the event's version when it is newer than the stored one; False when it is not."""
    stored = await session.scalar(select(table.c.version).where(table.c.year == event.year))
    if stored is not None and stored >= event.version:
        return False
    values = {
        "version": event.version,
        "notice": event.notice,
        "entered_by": event.entered_by,
        "entered_at": event.entered_at,
        "days": [d.model_dump(mode="json") for d in event.days],
    }
    if stored is None:
        await session.execute(insert(table).values(year=event.year, **values))
    else:
        await session.execute(update(table).where(table.c.year == event.year).values(**values))
    return True


async def stored_notices(*, session: AsyncSession, table: Table) -> list[HolidayNotice]:
    rows = (await session.execute(select(table.c.year, table.c.days))).all()
    return [notice_of(row.year, [ScheduleDay.model_validate(d) for d in row.days]) for row in rows]


async def install_stored(*, session_factory: async_sessionmaker[AsyncSession], table: Table) -> int:
    """At start: every stored schedule into the live calendar; the number of years."""
    async with session_factory() as session:
        notices = await stored_notices(session=session, table=table)
    live_calendar().install(notices)
    if notices:
        log.info("legal calendar: entered schedules for %s", sorted(n.year for n in notices))
    return len(notices)


async def keep_installed(
    *, session_factory: async_sessionmaker[AsyncSession], table: Table, interval_s: float, stop: asyncio.Event
) -> None:
    """Reload now and then: an API process without consumers (the production split) still
    follows the schedules its worker stores."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval_s)
        except TimeoutError:
            pass
        if stop.is_set():
            return
        try:
            await install_stored(session_factory=session_factory, table=table)
        except Exception:
            log.exception("legal calendar: reloading the stored schedules failed; trying again later")


async def start_calendar(runtime: Any, table: Table, interval_s: float = 60.0) -> None:
    """Service start: install the stored schedules, then keep following the database."""
    try:
        await install_stored(session_factory=runtime.session_factory, table=table)
    except Exception:  # not migrated yet: the reload below picks the schedules up later
        log.exception("legal calendar: the stored schedules could not be read at start")
    task = keep_installed(
        session_factory=runtime.session_factory, table=table, interval_s=interval_s, stop=runtime.stop
    )
    runtime.tasks.append(asyncio.create_task(task, name="calendar-reload"))


def schedule_handlers(*, table: Table, recompute: Recompute | None = None) -> dict[str, Callable[..., Any]]:
    """The consumer's handler: store, recompute on the new calendar, install after commit."""

    async def apply_schedule(uow: UnitOfWork, envelope: Envelope, event: HolidayScheduleEntered) -> None:
        if not await store_schedule(session=uow.session, table=table, event=event):
            return  # an older or repeated version: the stored one stands
        notices = await stored_notices(session=uow.session, table=table)
        calendar: LegalCalendar = live_calendar().preview(notices)
        if recompute is not None:
            await recompute(uow=uow, calendar=calendar, year=event.year)
        uow.after_commit(lambda: live_calendar().install(notices))

    return {handles(HolidayScheduleEntered): apply_schedule}
