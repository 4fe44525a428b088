"""HTTP routes for administrators (their region only): the arbitrator roster of each commission.
Every change is an event on reference.organisations.v1 and a row in the change log; the
gateway's audit trail records each request as well."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from labornet_arbitration.api.admin_schemas import (
    ArbitratorChangeResult,
    ArbitratorCreate,
    ArbitratorEnrolledRead,
    ArbitratorMove,
    ArbitratorRetire,
    OpenCaseRead,
    RosterChangeRead,
)
from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.service import roster
from labornet_common.platform.app import UowDep
from labornet_common.security.api_auth import CurrentPrincipal

router = APIRouter(prefix="/api/v1/arbitration/admin", tags=["arbitration administration"])


@router.post("/arbitrators", response_model=ArbitratorEnrolledRead, status_code=201)
async def enrol_arbitrator(
    body: ArbitratorCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> ArbitratorEnrolledRead:
    """Add an arbitrator to the roster of a commission of my region (LDA Art. 20); they may be
    named to its tribunals from now on."""
    cmd = roster.Enrol(
        commission_id=body.commission_id, name=body.name, subject=body.subject, arbitrator_id=body.arbitrator_id
    )
    return ArbitratorEnrolledRead.model_validate(await roster.enrol(ctx=ctx, uow=uow, principal=principal, cmd=cmd))


@router.post("/arbitrators/{arbitrator_id}/move", response_model=ArbitratorChangeResult)
async def move_arbitrator(
    arbitrator_id: str, body: ArbitratorMove, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> ArbitratorChangeResult:
    """The arbitrator serves another commission from today; each unfinished tribunal they sat on
    at the former one is formed again with another of its arbitrators (listed in the answer);
    409 naming the cases when the former commission has nobody left to take a seat."""
    result = await roster.move(
        ctx=ctx, uow=uow, principal=principal, arbitrator_id=arbitrator_id, commission_id=body.commission_id
    )
    return ArbitratorChangeResult.model_validate(result)


@router.post("/arbitrators/{arbitrator_id}/retire", response_model=ArbitratorChangeResult)
async def retire_arbitrator(
    arbitrator_id: str, body: ArbitratorRetire, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> ArbitratorChangeResult:
    """The arbitrator leaves the roster: closed cases keep their tribunal, no new tribunal may
    name them, and each unfinished tribunal they sat on is formed again with another arbitrator
    of the commission (listed in the answer); 409 naming the cases when nobody is left."""
    result = await roster.retire(ctx=ctx, uow=uow, principal=principal, arbitrator_id=arbitrator_id, reason=body.reason)
    return ArbitratorChangeResult.model_validate(result)


@router.get("/arbitrators/{arbitrator_id}/open-cases", response_model=list[OpenCaseRead])
async def open_cases(
    arbitrator_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> list[OpenCaseRead]:
    """The unfinished tribunals (formed, heard or suspended) the arbitrator sits on."""
    rows = await roster.open_cases(ctx=ctx, uow=uow, principal=principal, arbitrator_id=arbitrator_id)
    return [OpenCaseRead.model_validate(r) for r in rows]


@router.get("/changes", response_model=list[RosterChangeRead])
async def changes(
    principal: CurrentPrincipal, uow: UowDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[RosterChangeRead]:
    """The roster's change log of my region, newest first."""
    rows = await roster.change_log(uow=uow, principal=principal, limit=limit)
    return [RosterChangeRead.model_validate(r) for r in rows]
