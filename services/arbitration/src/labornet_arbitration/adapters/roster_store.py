"""The arbitrator roster as administrators changed it, its change log, and the cases an
arbitrator still sits on (see domain/arbitrators.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters.orm import applications, managed_arbitrators, roster_changes
from labornet_arbitration.domain.arbitrators import OPEN_SEATED, Arbitrator, Roster, open_seats, overlay, seated
from labornet_common.platform.roster.log import ChangeLog

CHANGES = ChangeLog(roster_changes)  # the roster's change log (the platform's shape)


async def current(session: AsyncSession, base: Roster) -> Roster:
    """The shipped roster with every stored change, as this transaction sees it."""
    t = managed_arbitrators.c
    rows = (await session.execute(select(managed_arbitrators).order_by(t.arbitrator_id))).all()
    stored = [Arbitrator(r.arbitrator_id, r.name, r.commission_id, r.subject, r.retired_on) for r in rows]
    return overlay(base, stored)


async def put(session: AsyncSession, arbitrator: Arbitrator, *, division_code: str, by: str, at: datetime) -> None:
    """Store the arbitrator as it now is (added, moved or retired)."""
    t = managed_arbitrators.c
    values = {
        "name": arbitrator.name,
        "commission_id": arbitrator.commission_id,
        "division_code": division_code,
        "subject": arbitrator.subject,
        "retired_on": arbitrator.retired_on,
        "updated_by": by,
        "updated_at": at,
    }
    exists = await session.scalar(select(t.arbitrator_id).where(t.arbitrator_id == arbitrator.id))
    if exists is None:
        await session.execute(insert(managed_arbitrators).values(arbitrator_id=arbitrator.id, **values))
    else:
        await session.execute(update(managed_arbitrators).where(t.arbitrator_id == arbitrator.id).values(**values))


async def open_cases_of(session: AsyncSession, arbitrator_id: str) -> list[dict[str, Any]]:
    """The applications whose unfinished tribunal the arbitrator sits on, oldest first."""
    c = applications.c
    query = (
        select(c.application_id, c.case_number, c.status, c.tribunal, c.worker_name, c.commission_id)
        .where(c.status.in_(sorted(OPEN_SEATED)), cast(c.tribunal, String).contains(arbitrator_id, autoescape=True))
        .order_by(c.created_at, c.application_id)
    )
    rows = (await session.execute(query)).all()
    seated = set(open_seats(arbitrator_id, [(r.application_id, r.status, r.tribunal) for r in rows]))
    return [
        {
            "application_id": r.application_id,
            "case_number": r.case_number,
            "status": r.status,
            "worker_name": r.worker_name,
            "commission_id": r.commission_id,
        }
        for r in rows
        if r.application_id in seated
    ]


async def open_seat_counts(session: AsyncSession, commission_id: str) -> dict[str, int]:
    """How many unfinished tribunals of the commission each arbitrator sits on."""
    c = applications.c
    query = select(c.tribunal).where(c.commission_id == commission_id, c.status.in_(sorted(OPEN_SEATED)))
    counts: dict[str, int] = {}
    for tribunal in (await session.execute(query)).scalars():
        for arbitrator_id in seated(tribunal):
            counts[arbitrator_id] = counts.get(arbitrator_id, 0) + 1
    return counts
