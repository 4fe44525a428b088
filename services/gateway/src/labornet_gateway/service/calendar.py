"""Holiday schedules entered by an administrator from the State Council's notice.

A year's schedule is checked (labornet_common.reference.holiday_schedules), stored as a new version (a
correction never overwrites the previous one) and announced on reference.calendar.v1 through the
outbox, in the same transaction, so every service that counts deadlines learns it even after a
crash. Entering the same schedule again changes nothing and announces nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from labornet_common.contracts.calendar import HolidayScheduleEntered, ScheduleDay, calendar_stream
from labornet_common.contracts.events import utcnow
from labornet_common.platform.messages import register_messages
from labornet_common.platform.problems import Conflict, InvalidInput
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import PACKAGE_YEARS
from labornet_common.reference.holiday_schedules import MESSAGES, schedule_errors
from labornet_common.security.auth import Principal
from labornet_gateway.adapters import calendar_store as store

register_messages(MESSAGES)  # the schedule rules' codes, in Chinese and English


async def enter(
    *, uow: UnitOfWork, principal: Principal, year: int, notice: str, days: Sequence[ScheduleDay]
) -> tuple[dict[str, Any], bool]:
    """The stored version and whether it is new (False: identical to the current one)."""
    if errors := schedule_errors(year, days):
        raise InvalidInput(list(errors))
    ordered = sorted(days, key=lambda d: d.date)
    async with uow:
        current = await store.version(session=uow.session, year=year, version=None)
        if current is not None and _same(current, notice, ordered):
            return current, False
        row = {
            "year": year,
            "version": (current["version"] if current else 0) + 1,
            "notice": notice,
            "days": [d.model_dump(mode="json") for d in ordered],
            "entered_by": principal.subject,
            "entered_at": utcnow(),
        }
        try:
            await store.add(session=uow.session, row=row)
            uow.record(calendar_stream(year), HolidayScheduleEntered.model_validate(row))
            await uow.commit()
        except store.VersionTaken:
            raise Conflict(detail="another version of this year was entered meanwhile") from None
    return row, True


async def get(*, uow: UnitOfWork, year: int, version: int | None = None) -> dict[str, Any] | None:
    async with uow:
        found = await store.version(session=uow.session, year=year, version=version)
        if found is not None:
            found["versions"] = [_summary(row) for row in await store.versions(session=uow.session, year=year)]
        return found


async def overview(*, uow: UnitOfWork) -> dict[str, Any]:
    async with uow:
        rows = await store.versions(session=uow.session)
    latest = {row["year"]: _summary(row) for row in rows}  # later versions overwrite earlier
    return {"shipped_years": sorted(PACKAGE_YEARS), "items": [latest[y] for y in sorted(latest)]}


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("year", "version", "notice", "entered_by", "entered_at")}


def _same(current: dict[str, Any], notice: str, ordered: Sequence[ScheduleDay]) -> bool:
    return current["notice"] == notice and current["days"] == [d.model_dump(mode="json") for d in ordered]
