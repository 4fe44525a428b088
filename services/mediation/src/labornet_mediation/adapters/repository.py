from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.auth import Principal
from labornet_common.pagination import PageRequest
from labornet_common.visibility import visible_cases
from labornet_mediation.adapters.orm import mediation_cases
from labornet_mediation.domain.model import MediationCase
from labornet_mediation.domain.policy import READ_ROLES


async def add(*, session: AsyncSession, case: MediationCase) -> None:
    await session.execute(
        insert(mediation_cases).values(
            case_id=case.case_id,
            division_code=case.division_code,
            status=case.status,
            worker_name=case.worker_name,
            employer_name=case.employer_name,
            facts=case.facts,
            claims=case.claims,
            received_on=case.received_on,
            due_on=case.due_on,
            opened_at=case.opened_at,
            assigned_to=case.assigned_to,
        )
    )


async def get(*, session: AsyncSession, case_id: str) -> Any | None:
    return (
        await session.execute(select(mediation_cases).where(mediation_cases.c.case_id == case_id))
    ).first()


async def exists(*, session: AsyncSession, case_id: str) -> bool:
    return await get(session=session, case_id=case_id) is not None


async def list_visible(*, session: AsyncSession, principal: Principal, page: PageRequest) -> list[Any]:
    """One row more than the page, newest first, filtered to what ``principal`` may read."""
    c = mediation_cases.c
    query = (
        select(mediation_cases)
        .where(
            visible_cases(
                principal,
                staff_roles=READ_ROLES,
                case_id=c.case_id,
                divisions=[c.division_code],
                assigned_to=c.assigned_to,
            ),
            page.older_than_cursor(c.opened_at, c.case_id),
        )
        .order_by(c.opened_at.desc(), c.case_id.desc())
        .limit(page.limit + 1)
    )
    return list((await session.execute(query)).all())
