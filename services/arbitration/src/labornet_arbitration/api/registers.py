"""Commissions (with their service areas), dispatched tribunals and arbitrators: read-only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.domain.policy import READ_ROLES
from labornet_arbitration.service import roster
from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import Problem, not_found
from labornet_common.security.api_auth import CurrentPrincipal

router = APIRouter(prefix="/api/v1/arbitration", tags=["arbitration"])


@router.get("/commissions")
async def commissions(_who: CurrentPrincipal, ctx: ContextDep) -> list[dict[str, Any]]:
    """LDA Art. 17: commissions are not one per division; each serves the listed county codes."""
    return [
        {
            "id": c.id,
            "name": c.name,
            "short_name": c.short_name,
            "seat_division": c.seat_division,
            "service_areas": list(c.service_areas),
        }
        for c in ctx.directory.commissions.values()
    ]


@router.get("/tribunals")
async def tribunals(_who: CurrentPrincipal, ctx: ContextDep, commission_id: str | None = None) -> list[dict[str, Any]]:
    """Dispatched tribunals (派出仲裁庭): venues of their commission, which dockets their cases."""
    return [
        {
            "id": t.id,
            "name": t.name,
            "commission_id": t.commission_id,
            "centre_id": t.centre_id,
            "division_code": t.division_code,
        }
        for t in ctx.directory.tribunals.values()
        if commission_id is None or t.commission_id == commission_id
    ]


@router.get("/arbitrators")
async def arbitrators(
    who: CurrentPrincipal,
    ctx: ContextDep,
    uow: UowDep,
    commission_id: str | None = None,
    include_retired: bool = False,
) -> list[dict[str, Any]]:
    """The roster (仲裁员名册, LDA Art. 20) as administrators keep it: serving arbitrators, and
    with ``include_retired`` those who left (``retired_on``)."""
    if not who.has_role(*READ_ROLES):
        raise Problem(403, "forbidden")
    if commission_id is not None and ctx.directory.commission(commission_id) is None:
        raise not_found()
    current = await roster.roster_now(ctx=ctx, uow=uow)
    return [
        {"id": a.id, "name": a.name, "commission_id": a.commission_id, "retired_on": a.retired_on}
        for a in sorted(current.by_id.values(), key=lambda a: a.id)
        if (commission_id is None or a.commission_id == commission_id) and (include_retired or a.serving)
    ]
