from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_mediation.adapters.orm import mediation_cases
from labornet_mediation.domain.model import MediationCase


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
        )
    )


async def get(*, session: AsyncSession, case_id: str) -> Any | None:
    return (
        await session.execute(select(mediation_cases).where(mediation_cases.c.case_id == case_id))
    ).first()


async def exists(*, session: AsyncSession, case_id: str) -> bool:
    return await get(session=session, case_id=case_id) is not None
