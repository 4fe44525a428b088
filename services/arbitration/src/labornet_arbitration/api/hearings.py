"""Hearing, suspension, extension, claims and the award: the tribunal's steps."""

from __future__ import annotations

from fastapi import APIRouter

from labornet_arbitration.api import schemas as s
from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.service import proceedings_commands as steps
from labornet_common.platform.app import UowDep
from labornet_common.platform.clock import china_today
from labornet_common.security.api_auth import CurrentPrincipal

router = APIRouter(prefix="/api/v1/arbitration/applications/{application_id}", tags=["arbitration"])
Read = s.ApplicationRead


async def _run(application_id: str, who: CurrentPrincipal, uow: UowDep, step: steps.Step) -> Read:
    return Read.model_validate(await steps.run(uow=uow, principal=who, application_id=application_id, step=step))


@router.post("/hearings", response_model=Read)
async def hearing(
    application_id: str, body: s.HearingCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """LDA Art. 35: a notice served fewer than 5 days before the hearing is refused (422)."""
    step = steps.hearing(
        ctx,
        hearing_on=body.hearing_on,
        notice_on=body.notice_served_on or china_today(),
        venue=body.venue,
        hearing_time=body.hearing_time,
    )
    return await _run(application_id, who, uow, step)


@router.post("/suspend", response_model=Read)
async def suspend(application_id: str, body: s.Suspension, who: CurrentPrincipal, uow: UowDep) -> Read:
    """中止 (Rules Art. 45): the award clock pauses until the case resumes."""
    today = china_today()
    return await _run(application_id, who, uow, steps.suspension(on=body.on or today, reason=body.reason, today=today))


@router.post("/resume", response_model=Read)
async def resume(application_id: str, body: s.OnDay, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Read:
    today = china_today()
    return await _run(application_id, who, uow, steps.resumption(ctx, on=body.on or today, today=today))


@router.post("/extension", response_model=Read)
async def extension(
    application_id: str, body: s.Extension, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """LDA Art. 43: up to 15 more days, approved by the chair, with written notice."""
    return await _run(application_id, who, uow, steps.extension(ctx, days=body.days, reason=body.reason))


@router.post("/claims", response_model=Read)
async def change_claims(
    application_id: str, body: s.ClaimsChange, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """Added or changed claims restart the award period (Rules Art. 46)."""
    today = china_today()
    return await _run(
        application_id, who, uow, steps.claims_change(ctx, claims=body.claims, on=body.on or today, today=today)
    )


@router.post("/award", response_model=Read)
async def award(application_id: str, body: s.AwardCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Read:
    """裁决书 or 调解书 (LDA Art. 42); each item is marked final or not under LDA Art. 47."""
    today = china_today()
    items = [i.model_dump(mode="json") for i in body.items]
    return await _run(
        application_id, who, uow, steps.award(ctx, kind=body.kind, items=items, on=body.on or today, today=today)
    )


@router.post("/award/service", response_model=Read)
async def award_service(
    application_id: str, body: s.AwardServiceCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """The award reached a party, or every party not yet served (a 调解书 signed by both takes
    effect). Each party's periods run from its own day (LDA Arts. 48-50); 409 once it has it."""
    today = china_today()
    step = steps.award_service(ctx, on=body.on or today, today=today, party=body.party)
    return await _run(application_id, who, uow, step)
