"""HTTP routes for administrators (their region only): the mediators' rosters, the centres and
their dispatched tribunals. Every change is an event on reference.organisations.v1 and a row in
the change log; the gateway's audit trail records each request as well."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from labornet_common.platform.app import UowDep
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_mediation.api.admin_schemas import (
    CentreCreate,
    MediatorCreate,
    MediatorEnrolledRead,
    MediatorMove,
    MediatorRetire,
    RegisterResult,
    RosterChangeRead,
    RosterChangeResult,
    TribunalCreate,
)
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.service import roster

router = APIRouter(prefix="/api/v1/mediation/admin", tags=["mediation administration"])


@router.post("/mediators", response_model=MediatorEnrolledRead, status_code=201)
async def enrol_mediator(
    body: MediatorCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediatorEnrolledRead:
    """Add a mediator to a centre of my region; the centre's new cases may be assigned to them."""
    cmd = roster.Enrol(centre_id=body.centre_id, name=body.name, subject=body.subject, mediator_id=body.mediator_id)
    return MediatorEnrolledRead.model_validate(
        await roster.enrol_mediator(ctx=ctx, uow=uow, principal=principal, cmd=cmd)
    )


@router.post("/mediators/{mediator_id}/move", response_model=RosterChangeResult)
async def move_mediator(
    mediator_id: str, body: MediatorMove, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> RosterChangeResult:
    """The mediator serves at another centre from today. Their open cases stay at their centre
    (its 15-day clock runs there, LDA Art. 14) and pass to the least-loaded colleague there, or
    wait unassigned when nobody else serves; the answer lists each case and its new mediator."""
    result = await roster.move_mediator(
        ctx=ctx, uow=uow, principal=principal, mediator_id=mediator_id, centre_id=body.centre_id
    )
    return RosterChangeResult.model_validate(result)


@router.post("/mediators/{mediator_id}/retire", response_model=RosterChangeResult)
async def retire_mediator(
    mediator_id: str, body: MediatorRetire, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> RosterChangeResult:
    """The mediator serves no longer: closed cases keep their name; open ones are reassigned."""
    result = await roster.retire_mediator(
        ctx=ctx, uow=uow, principal=principal, mediator_id=mediator_id, reason=body.reason
    )
    return RosterChangeResult.model_validate(result)


@router.post("/centres", response_model=RegisterResult, status_code=201)
async def register_centre(
    body: CentreCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep, response: Response
) -> RegisterResult:
    """Add a centre (LDA Art. 10), or change one of my region (200). An enterprise committee
    gives its enterprise and its make-up (workers' and enterprise representatives, chair)."""
    cmd = roster.RegisterCentre(
        **body.model_dump(exclude={"serves", "composition"}), serves=tuple(body.serves), composition=body.composition
    )
    result = await roster.register_centre(ctx=ctx, uow=uow, principal=principal, cmd=cmd)
    if not result["created"]:
        response.status_code = 200
    return RegisterResult(id=result["centre_id"], created=result["created"])


@router.post("/centres/{centre_id}/retire", status_code=204)
async def retire_centre(centre_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Response:
    """Refused (409) while the centre has open cases or serving mediators."""
    await roster.retire_centre(ctx=ctx, uow=uow, principal=principal, centre_id=centre_id)
    return Response(status_code=204)


@router.post("/tribunals", response_model=RegisterResult, status_code=201)
async def register_tribunal(
    body: TribunalCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep, response: Response
) -> RegisterResult:
    """Add or change a 派出仲裁庭 of a commission; named with a centre, that centre's failed
    mediations are transferred to it."""
    cmd = roster.RegisterTribunal(**body.model_dump())
    result = await roster.register_tribunal(ctx=ctx, uow=uow, principal=principal, cmd=cmd)
    if not result["created"]:
        response.status_code = 200
    return RegisterResult(id=result["tribunal_id"], created=result["created"])


@router.post("/tribunals/{tribunal_id}/retire", status_code=204)
async def retire_tribunal(tribunal_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Response:
    await roster.retire_tribunal(ctx=ctx, uow=uow, principal=principal, tribunal_id=tribunal_id)
    return Response(status_code=204)


@router.get("/changes", response_model=list[RosterChangeRead])
async def changes(
    principal: CurrentPrincipal, uow: UowDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[RosterChangeRead]:
    """The register's and rosters' change log of my region, newest first."""
    rows = await roster.change_log(uow=uow, principal=principal, limit=limit)
    return [RosterChangeRead.model_validate(r) for r in rows]
