"""Arbitration as practised: withdrawal, deemed withdrawal and default award (LDA Art. 36),
postponement (Art. 35), the simplified procedure (Rules Arts. 56-61), provisional execution
(Art. 44), partial awards (Art. 43 ¶2) and service by publication."""

from __future__ import annotations

from fastapi import APIRouter

from labornet_arbitration.api import procedure_schemas as p
from labornet_arbitration.api import schemas as s
from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.domain.policy import DOCKET_ROLES, TRIBUNAL_ROLES
from labornet_arbitration.domain.procedures import NewHearing
from labornet_arbitration.service import procedure_commands as cmd
from labornet_arbitration.service import proceedings_commands as steps
from labornet_common.contracts.arbitration import ProvisionalItem
from labornet_common.platform.app import UowDep
from labornet_common.platform.clock import china_today
from labornet_common.platform.errors import FieldError, Problem
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.auth import Role

router = APIRouter(prefix="/api/v1/arbitration/applications/{application_id}", tags=["arbitration"])
Read = s.ApplicationRead


async def _run(
    application_id: str, who: CurrentPrincipal, uow: UowDep, step: steps.Step, roles: frozenset[Role] = TRIBUNAL_ROLES
) -> Read:
    case = await steps.run(uow=uow, principal=who, application_id=application_id, step=step, roles=roles)
    return Read.model_validate(case)


@router.post("/withdrawal", response_model=Read)
async def withdraw(
    application_id: str, body: p.WithdrawalCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """The applicant withdraws (with or without a settlement): every clock stops, and the parties
    are told what it means for the limitation period (LDA Art. 27)."""
    today = china_today()
    step = cmd.withdrawal(ctx, on=body.on or today, today=today, settled=body.settled, settlement=body.settlement)
    return await _run(application_id, who, uow, step, roles=DOCKET_ROLES)


@router.post("/deemed-withdrawal", response_model=Read)
async def deemed_withdrawal(
    application_id: str, body: p.AbsenceCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """LDA Art. 36: the applicant, notified in writing, did not appear without good reason."""
    today = china_today()
    return await _run(
        application_id, who, uow, cmd.deemed_withdrawal(ctx, on=body.on or today, today=today, reason=body.reason)
    )


@router.post("/default-award", response_model=Read)
async def default_award(
    application_id: str, body: p.DefaultAwardCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """LDA Art. 36: the respondent, notified in writing, did not appear: 缺席裁决."""
    today = china_today()
    items = [i.model_dump(mode="json") for i in body.items]
    step = cmd.default_award(ctx, items=items, on=body.on or today, today=today, reason=body.reason)
    return await _run(application_id, who, uow, step)


@router.post("/hearings/postponement", response_model=Read)
async def postpone(
    application_id: str, body: p.PostponementCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """LDA Art. 35: asked with good reason at least 3 days before; the award period keeps running."""
    today = china_today()
    new = None
    if body.granted:
        if body.hearing_on is None:
            raise Problem(
                422, "arbitration.postpone_new_day", None, [FieldError.of("hearing_on", "arbitration.postpone_new_day")]
            )
        new = NewHearing(
            hearing_on=body.hearing_on,
            notice_on=body.notice_served_on or today,
            venue=body.venue,
            hearing_time=body.hearing_time,
        )
    step = cmd.postponement(
        ctx,
        requested_by=body.requested_by,
        requested_on=body.requested_on or today,
        reason=body.reason,
        granted=body.granted,
        new=new,
        today=today,
    )
    return await _run(application_id, who, uow, step)


@router.post("/simplified", response_model=Read)
async def simplified(
    application_id: str, body: p.SimplifiedCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """简易处理 (Rules Arts. 56-57): a sole arbitrator; the award period is not shortened."""
    today = china_today()
    step = cmd.simplified(ctx, grounds=body.grounds, exclusions=body.exclusions, on=body.on or today, today=today)
    return await _run(application_id, who, uow, step, roles=DOCKET_ROLES)


@router.post("/simplified/conversion", response_model=Read)
async def convert(application_id: str, body: p.ConversionCreate, who: CurrentPrincipal, uow: UowDep) -> Read:
    """To the ordinary procedure (Rules Arts. 60-61): 45 days still from the original acceptance."""
    today = china_today()
    return await _run(application_id, who, uow, cmd.conversion(on=body.on or today, reason=body.reason, today=today))


@router.post("/provisional-execution", response_model=Read)
async def provisional_execution(
    application_id: str, body: p.ProvisionalExecutionCreate, who: CurrentPrincipal, uow: UowDep
) -> Read:
    """先予执行 (LDA Art. 44): a granted ruling is transferred to the court (its webhooks carry
    it) and cannot be sued on (Interp-I Art. 10)."""
    today = china_today()
    step = cmd.provisional_execution(
        items=[ProvisionalItem(**i.model_dump(mode="json")) for i in body.items],
        rights_clear=body.rights_clear,
        living_seriously_affected=body.living_seriously_affected,
        court_name=body.court_name,
        on=body.on or today,
        today=today,
    )
    return await _run(application_id, who, uow, step)


@router.post("/partial-awards", response_model=Read)
async def partial_award(
    application_id: str, body: p.PartialAwardCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """先行裁决 (LDA Art. 43 ¶2): each item final or not (Art. 47); its own effect."""
    today = china_today()
    items = [i.model_dump(mode="json") for i in body.items]
    return await _run(application_id, who, uow, cmd.partial_award(ctx, items=items, on=body.on or today, today=today))


@router.post("/partial-awards/{part_id}/service", response_model=Read)
async def partial_award_service(
    application_id: str, part_id: str, body: s.OnDay, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    today = china_today()
    step = cmd.partial_service(ctx, part_id=part_id, on=body.on or today, today=today)
    return await _run(application_id, who, uow, step)


@router.post("/publications", response_model=Read)
async def publication(
    application_id: str, body: p.PublicationCreate, who: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> Read:
    """公告送达: deemed served after 30 days (民诉法 Art. 95); not counted in the award period."""
    today = china_today()
    step = cmd.publication(ctx, document=body.document, published_on=body.published_on or today, today=today)
    return await _run(application_id, who, uow, step, roles=DOCKET_ROLES)
