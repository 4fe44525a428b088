"""Acceptance decisions and the steps of an accepted case."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter

from labornet_arbitration.api import schemas as s
from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.domain.policy import DOCKET_ROLES
from labornet_arbitration.domain.tribunal import Seat
from labornet_arbitration.service import admission_commands as admit
from labornet_arbitration.service import proceedings_commands as steps
from labornet_arbitration.service import roster
from labornet_common.platform.app import UowDep
from labornet_common.platform.clock import china_today
from labornet_common.security.api_auth import CurrentPrincipal

router = APIRouter(prefix="/api/v1/arbitration/applications/{application_id}", tags=["arbitration"])
Read = s.ApplicationRead


@router.post("/correction", response_model=Read)
async def correction(
    application_id: str, body: s.CorrectionCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """One-time correction notice (补正, Rules Art. 29)."""
    case = await admit.request_correction(
        uow=uow,
        ctx=ctx,
        principal=who,
        application_id=application_id,
        items=body.items,
        on=body.requested_on or china_today(),
    )
    return Read.model_validate(case)


@router.post("/correction/complete", response_model=Read)
async def correction_complete(
    application_id: str, body: s.OnDay, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    today = china_today()
    case = await admit.complete_correction(
        uow=uow, ctx=ctx, principal=who, application_id=application_id, on=body.on or today, today=today
    )
    return Read.model_validate(case)


@router.post("/accept", response_model=Read)
async def accept(application_id: str, body: s.OnDay, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Read:
    today = china_today()
    case = await admit.accept(
        uow=uow, ctx=ctx, principal=who, application_id=application_id, on=body.on or today, today=today
    )
    return Read.model_validate(case)


@router.post("/not-accept", response_model=Read)
async def not_accept(
    application_id: str, body: s.NotAccepted, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    today = china_today()
    case = await admit.not_accept(
        uow=uow,
        ctx=ctx,
        principal=who,
        application_id=application_id,
        reasons=body.reasons,
        on=body.on or today,
        today=today,
    )
    return Read.model_validate(case)


@router.post("/refer", response_model=Read)
async def refer(application_id: str, body: s.Referral, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Read:
    """移送 (Rules Arts. 9, 31): answers with the new application at the competent commission."""
    today = china_today()
    _old, new = await admit.refer(
        uow=uow,
        ctx=ctx,
        principal=who,
        application_id=application_id,
        to_commission_id=body.to_commission_id,
        reason=body.reason,
        on=body.on or today,
        today=today,
    )
    return Read.model_validate(new)


@router.post("/service", response_model=Read)
async def service(application_id: str, body: s.OnDay, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> Read:
    """The respondent received the application's copy (LDA Art. 30)."""
    today = china_today()
    step = steps.service(ctx, on=body.on or today, today=today)
    return Read.model_validate(
        await steps.run(uow=uow, principal=who, application_id=application_id, step=step, roles=DOCKET_ROLES)
    )


@router.post("/tribunal", response_model=Read)
async def tribunal(
    application_id: str, body: s.TribunalCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """Form the tribunal (LDA Art. 31) from the commission's serving arbitrators; formed again to
    name a replacement for a member who retired or moved."""
    seats = [Seat(m.arbitrator_id, m.role) for m in body.members]
    case = await steps.form_tribunal(
        uow=uow,
        ctx=ctx,
        principal=who,
        application_id=application_id,
        mode=body.mode,
        seats=seats,
        complex_case=body.complex_case,
        on=body.on or china_today(),
    )
    return Read.model_validate(case)


@router.post("/recusals", response_model=Read)
async def recusal(
    application_id: str, body: s.RecusalCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    step = steps.recusal(ctx, arbitrator_id=body.arbitrator_id, ground=body.ground, on=body.on or china_today())
    return Read.model_validate(
        await steps.run(uow=uow, principal=who, application_id=application_id, step=step, roles=DOCKET_ROLES)
    )


@router.post("/recusals/{recusal_id}/decision", response_model=Read)
async def recusal_decision(
    application_id: str, recusal_id: str, body: s.RecusalDecision, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    # The deciding arbitrator as the roster now names them (one an administrator added included):
    # nobody decides a recusal request against themselves.
    current = replace(ctx, roster=await roster.roster_now(ctx=ctx, uow=uow))
    step = steps.recusal_decision(
        current, recusal_id=recusal_id, granted=body.granted, on=body.on or china_today(), decided_by=who.subject
    )
    return Read.model_validate(
        await steps.run(uow=uow, principal=who, application_id=application_id, step=step, roles=DOCKET_ROLES)
    )
