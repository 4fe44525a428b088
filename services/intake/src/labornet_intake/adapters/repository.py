"""Complaint storage (keyword-only functions over the unit of work's session)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.contracts.intake import ClaimSummary
from labornet_common.events import utcnow
from labornet_intake.adapters.orm import complaints, idempotency_keys
from labornet_intake.domain.model import Complaint


async def add(*, session: AsyncSession, complaint: Complaint) -> None:
    await session.execute(
        insert(complaints).values(
            case_id=complaint.case_id,
            tracking_number=complaint.tracking_number,
            channel=complaint.channel,
            status=complaint.status,
            region_code=complaint.region_code,
            workplace_division=complaint.workplace_division,
            worker_name=complaint.worker_name,
            employer_name=complaint.employer_name,
            facts=complaint.facts,
            claims=[c.model_dump() for c in complaint.claims],
            route=complaint.route,
            received_at=complaint.received_at,
        )
    )


async def get(*, session: AsyncSession, case_id: str) -> Complaint | None:
    row = (await session.execute(select(complaints).where(complaints.c.case_id == case_id))).first()
    if row is None:
        return None
    m = row._mapping
    return Complaint(
        case_id=m["case_id"],
        tracking_number=m["tracking_number"],
        channel=m["channel"],
        region_code=m["region_code"],
        workplace_division=m["workplace_division"],
        worker_name=m["worker_name"],
        employer_name=m["employer_name"],
        facts=m["facts"],
        claims=[ClaimSummary.model_validate(c) for c in m["claims"]],
        received_at=m["received_at"],
        status=m["status"],
        route=m["route"],
    )


async def idempotent_response(*, session: AsyncSession, key: str) -> Any | None:
    return (
        await session.execute(select(idempotency_keys).where(idempotency_keys.c.key == key))
    ).first()


async def remember_response(
    *, session: AsyncSession, key: str, request_hash: str, status_code: int, response: Any
) -> None:
    await session.execute(
        insert(idempotency_keys).values(
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            response=response,
            created_at=utcnow(),
        )
    )
