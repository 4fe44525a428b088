"""The rows kept beside a mediation case (recusals, sessions, notes, extensions, the transfer to
arbitration) and the case lists the clock and calendar jobs work through. SQL lives here, not in
the service layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.events import utcnow
from labornet_common.platform.db import rows_matched
from labornet_mediation.adapters.orm import (
    arbitration_transfers,
    case_is_open,
    mediation_agreements,
    mediation_cases,
    mediation_extensions,
    mediation_notes,
    mediation_sessions,
    mediator_recusals,
)


async def add_recusal(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(mediator_recusals).values(**values, recorded_at=utcnow()))


async def add_session(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(mediation_sessions).values(**values, created_at=utcnow()))


async def set_attendance(session: AsyncSession, *, case_id: str, session_id: str, attended: list[str]) -> bool:
    """Record who attended; False when the case has no such session."""
    t = mediation_sessions
    result = await session.execute(
        update(t).where(t.c.session_id == session_id, t.c.case_id == case_id).values(attended=attended)
    )
    return rows_matched(result) == 1


async def add_note(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(mediation_notes).values(**values, created_at=utcnow()))


async def extension_days(session: AsyncSession, case_id: str) -> list[int]:
    """The days added by each extension of the case, in the order agreed."""
    t = mediation_extensions.c
    query = select(t.extra_days).where(t.case_id == case_id).order_by(t.recorded_at, t.extension_id)
    return [int(n) for n in (await session.execute(query)).scalars()]


async def extended_total(session: AsyncSession, case_id: str) -> int:
    t = mediation_extensions.c
    return int(await session.scalar(select(func.coalesce(func.sum(t.extra_days), 0)).where(t.case_id == case_id)) or 0)


async def add_extension(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(mediation_extensions).values(**values, recorded_at=utcnow()))


async def extensions(session: AsyncSession, case_id: str) -> list[dict[str, Any]]:
    t = mediation_extensions
    query = select(t).where(t.c.case_id == case_id).order_by(t.c.recorded_at, t.c.extension_id)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def add_transfer(session: AsyncSession, record: dict[str, Any]) -> None:
    await session.execute(insert(arbitration_transfers).values(**record, created_at=utcnow()))


async def find_transfer(session: AsyncSession, case_id: str) -> dict[str, Any] | None:
    t = arbitration_transfers
    row = (await session.execute(select(t).where(t.c.case_id == case_id))).first()
    return None if row is None else {k: v for k, v in row._mapping.items() if k != "created_at"}


async def _rows_of(session: AsyncSession, table: Table, case_id: str, order: Any) -> list[dict[str, Any]]:
    result = await session.execute(select(table).where(table.c.case_id == case_id).order_by(order))
    return [dict(r._mapping) for r in result.all()]


@dataclass(frozen=True)
class CaseRecords:
    """What is written down about a case besides the case row, each in its order; ``notes`` and
    ``recusals`` (internal working papers) are read for staff only, else empty."""

    sessions: list[dict[str, Any]]
    agreements: list[dict[str, Any]]
    transfers: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    recusals: list[dict[str, Any]]


async def records_of(session: AsyncSession, case_id: str, *, staff: bool) -> CaseRecords:
    return CaseRecords(
        sessions=await _rows_of(session, mediation_sessions, case_id, mediation_sessions.c.starts_at),
        agreements=await _rows_of(session, mediation_agreements, case_id, mediation_agreements.c.effective_on),
        transfers=await _rows_of(session, arbitration_transfers, case_id, arbitration_transfers.c.created_at),
        notes=await _rows_of(session, mediation_notes, case_id, mediation_notes.c.created_at) if staff else [],
        recusals=(
            await _rows_of(session, mediator_recusals, case_id, mediator_recusals.c.recorded_at) if staff else []
        ),
    )


async def active_case_ids(session: AsyncSession, statuses: frozenset[str] | tuple[str, ...]) -> list[str]:
    c = mediation_cases.c
    return list((await session.execute(select(c.case_id).where(c.status.in_(statuses)))).scalars().all())


async def unwarned_due_by(session: AsyncSession, day: date, limit: int) -> list[str]:
    """Running cases whose clock ends on or before ``day`` and that were not warned yet (the
    open cases' partial index, walked by due day)."""
    c = mediation_cases.c
    query = (
        select(c.case_id)
        .where(case_is_open(), c.due_on <= day, c.warned_on.is_(None))
        .order_by(c.due_on, c.case_id)
        .limit(limit)
    )
    return list((await session.execute(query)).scalars())
