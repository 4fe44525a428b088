"""Every case event becomes one delivery per subscribed endpoint, inside the inbox transaction
(so an event is fanned out exactly once, and a crash loses none)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.events import Envelope, utcnow
from labornet_common.uow import UnitOfWork
from labornet_gateway.webhooks.dispatcher import DELIVERIES_QUEUED
from labornet_gateway.webhooks.matching import region_matches, region_of, type_matches
from labornet_gateway.webhooks.tables import case_regions, deliveries, endpoints


def structured_body(envelope: Envelope) -> dict[str, Any]:
    """The CloudEvent in structured JSON mode, as receivers get it."""
    attrs = envelope.attributes()
    attrs["time"] = envelope.time.isoformat().replace("+00:00", "Z")
    return {**attrs, "data": envelope.data}


async def _case_region(session: AsyncSession, envelope: Envelope) -> str | None:
    region = region_of(envelope.data)
    known = await session.scalar(select(case_regions.c.region).where(case_regions.c.case_id == envelope.subject))
    if region and known is None:
        await session.execute(insert(case_regions).values(case_id=envelope.subject, region=region))
    return region or known


async def fan_out(uow: UnitOfWork, envelope: Envelope, _data: Any) -> None:
    session = uow.session
    region = await _case_region(session, envelope)
    rows = (
        await session.execute(
            select(endpoints.c.id, endpoints.c.event_types, endpoints.c.region_scopes).where(
                endpoints.c.status == "active"
            )
        )
    ).all()
    now = utcnow()
    body = structured_body(envelope)
    wanted = [
        {
            "endpoint_id": row.id,
            "event_id": envelope.id,
            "event_type": envelope.type,
            "case_id": envelope.subject,
            "body": body,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for row in rows
        if type_matches(envelope.type, row.event_types) and region_matches(region, row.region_scopes)
    ]
    if wanted:
        await session.execute(insert(deliveries), wanted)
        uow.after_commit(DELIVERIES_QUEUED.notify)
