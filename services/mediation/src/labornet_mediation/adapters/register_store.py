"""Centres and dispatched tribunals as administrators keep them (rows over the shipped register),
the roster's change log, and the open cases of one mediator."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.platform.roster.log import ChangeLog
from labornet_common.reference import MediationCentre, Tribunal
from labornet_mediation.adapters.orm import managed_centres, managed_tribunals, mediation_cases, roster_changes
from labornet_mediation.domain.model import ACTIVE
from labornet_mediation.domain.roster import ManagedCentre, ManagedTribunal

CHANGES = ChangeLog(roster_changes)  # the roster's change log (the platform's shape)


async def load(session: AsyncSession) -> tuple[list[ManagedCentre], list[ManagedTribunal]]:
    centres = [
        ManagedCentre(
            MediationCentre(
                id=r.centre_id,
                kind=r.kind,
                name=r.name,
                division_code=r.division_code,
                serves=tuple(r.serves or ()),
                tribunal_id=r.tribunal_id,
                industry=r.industry,
            ),
            retired_on=r.retired_on,
        )
        for r in (await session.execute(select(managed_centres).order_by(managed_centres.c.centre_id))).all()
    ]
    tribunals = [
        ManagedTribunal(
            Tribunal(
                id=r.tribunal_id,
                name=r.name,
                commission_id=r.commission_id,
                centre_id=r.centre_id,
                division_code=r.division_code,
            ),
            retired_on=r.retired_on,
        )
        for r in (await session.execute(select(managed_tribunals).order_by(managed_tribunals.c.tribunal_id))).all()
    ]
    return centres, tribunals


async def centre_row(session: AsyncSession, centre_id: str) -> Any | None:
    return (await session.execute(select(managed_centres).where(managed_centres.c.centre_id == centre_id))).first()


async def put_centre(
    session: AsyncSession,
    centre: MediationCentre,
    *,
    by: str,
    at: datetime,
    employer_uscc: str | None = None,
    employer_name: str | None = None,
    composition: dict[str, Any] | None = None,
    retired_on: date | None = None,
) -> None:
    values = {
        "kind": centre.kind,
        "name": centre.name,
        "division_code": centre.division_code,
        "serves": list(centre.serves),
        "tribunal_id": centre.tribunal_id,
        "industry": centre.industry,
        "employer_uscc": employer_uscc,
        "employer_name": employer_name,
        "composition": composition,
        "retired_on": retired_on,
        "updated_by": by,
        "updated_at": at,
    }
    t = managed_centres
    result = await session.execute(update(t).where(t.c.centre_id == centre.id).values(**values))
    if not cast(CursorResult, result).rowcount:
        await session.execute(insert(t).values(centre_id=centre.id, **values))


async def put_tribunal(
    session: AsyncSession, tribunal: Tribunal, *, by: str, at: datetime, retired_on: date | None = None
) -> None:
    values = {
        "name": tribunal.name,
        "commission_id": tribunal.commission_id,
        "centre_id": tribunal.centre_id,
        "division_code": tribunal.division_code,
        "retired_on": retired_on,
        "updated_by": by,
        "updated_at": at,
    }
    t = managed_tribunals
    result = await session.execute(update(t).where(t.c.tribunal_id == tribunal.id).values(**values))
    if not cast(CursorResult, result).rowcount:
        await session.execute(insert(t).values(tribunal_id=tribunal.id, **values))


async def open_cases_of_mediator(session: AsyncSession, mediator_id: str) -> list[str]:
    c = mediation_cases.c
    query = select(c.case_id).where(c.mediator_id == mediator_id, c.status.in_(sorted(ACTIVE))).order_by(c.case_id)
    return list((await session.execute(query)).scalars())


async def open_cases_at_centre(session: AsyncSession, centre_id: str) -> int:
    c = mediation_cases.c
    query = select(func.count()).where(c.centre_id == centre_id, c.status.in_(sorted(ACTIVE)))
    return int(await session.scalar(query) or 0)


async def committees(session: AsyncSession) -> dict[str, dict[str, Any]]:
    """Enterprise committees' registered enterprise and make-up, by centre id."""
    t = managed_centres.c
    query = select(t.centre_id, t.employer_uscc, t.employer_name, t.composition).where(t.kind == "enterprise")
    return {
        r.centre_id: {"employer_uscc": r.employer_uscc, "employer_name": r.employer_name, "composition": r.composition}
        for r in (await session.execute(query)).all()
    }
