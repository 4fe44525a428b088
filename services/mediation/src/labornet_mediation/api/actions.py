"""HTTP routes for what staff do to a case; each answers with the case as it now stands."""

from __future__ import annotations

from fastapi import APIRouter, Response

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.auth import Principal
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.api.schemas import (
    AgreementCreate,
    AssignmentCreate,
    AttendanceCreate,
    CourtRequestCreate,
    CourtRequestRead,
    Created,
    DeclineCreate,
    FailureCreate,
    MediationCaseDetail,
    NoteCreate,
    PerformanceCreate,
    RecusalCreate,
    RecusalRecorded,
    SessionCreate,
    TransferRead,
)
from labornet_mediation.domain.performance import TermOutcome
from labornet_mediation.service import commands, outcomes, queries
from labornet_mediation.service.context import MediationContext

router = APIRouter(prefix="/api/v1/mediation/cases/{case_id}", tags=["mediation"])


async def _current(ctx: MediationContext, uow: UowDep, principal: Principal, case_id: str) -> MediationCaseDetail:
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    if case is None:
        raise not_found()
    return MediationCaseDetail.model_validate(case)


@router.post("/accept", response_model=MediationCaseDetail)
async def accept(case_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> MediationCaseDetail:
    """Accept the case; a mediator is assigned (fewest open cases at the centre) if none is yet."""
    await commands.accept(ctx=ctx, uow=uow, principal=principal, case_id=case_id)
    return await _current(ctx, uow, principal, case_id)


@router.post("/decline", response_model=MediationCaseDetail)
async def decline(
    case_id: str, body: DeclineCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    await commands.decline(ctx=ctx, uow=uow, principal=principal, case_id=case_id, reason=body.reason)
    return await _current(ctx, uow, principal, case_id)


@router.post("/assignment", response_model=MediationCaseDetail)
async def assign(
    case_id: str, body: AssignmentCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    await commands.assign(ctx=ctx, uow=uow, principal=principal, case_id=case_id, mediator_id=body.mediator_id)
    return await _current(ctx, uow, principal, case_id)


@router.post("/recusals", response_model=RecusalRecorded, status_code=201)
async def recuse(
    case_id: str, body: RecusalCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> RecusalRecorded:
    cmd = commands.Recusal(ground=body.ground, explanation=body.explanation, mediator_id=body.mediator_id)
    replaced_by = await commands.recuse(ctx=ctx, uow=uow, principal=principal, case_id=case_id, cmd=cmd)
    return RecusalRecorded(case_id=case_id, replaced_by=replaced_by)


@router.post("/sessions", response_model=Created, status_code=201)
async def schedule_session(case_id: str, body: SessionCreate, principal: CurrentPrincipal, uow: UowDep) -> Created:
    cmd = commands.ScheduleSession(
        starts_at=body.starts_at, place=body.place, video_link=body.video_link, attendees=tuple(body.attendees)
    )
    return Created(id=await commands.schedule_session(uow=uow, principal=principal, case_id=case_id, cmd=cmd))


@router.post("/sessions/{session_id}/attendance", response_model=MediationCaseDetail)
async def record_attendance(
    case_id: str, session_id: str, body: AttendanceCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    await commands.record_attendance(
        ctx=ctx, uow=uow, principal=principal, case_id=case_id, session_id=session_id, attended=body.attended
    )
    return await _current(ctx, uow, principal, case_id)


@router.post("/notes", response_model=Created, status_code=201)
async def add_note(case_id: str, body: NoteCreate, principal: CurrentPrincipal, uow: UowDep) -> Created:
    return Created(id=await commands.add_note(uow=uow, principal=principal, case_id=case_id, text=body.text))


@router.post("/failure", response_model=MediationCaseDetail)
async def fail(
    case_id: str, body: FailureCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    """No agreement (LDA Art. 14); transfer to arbitration with POST …/transfer."""
    await commands.fail(ctx=ctx, uow=uow, principal=principal, case_id=case_id, reason=body.reason, note=body.note)
    return await _current(ctx, uow, principal, case_id)


@router.post("/transfer", response_model=TransferRead, status_code=201)
async def transfer(
    case_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep, response: Response
) -> TransferRead:
    """To the centre's 派出庭, else the commission with jurisdiction (LDA Art. 21). Repeating it
    answers the transfer already made (200), with the same transfer id and no new event."""
    result = await outcomes.transfer(ctx=ctx, uow=uow, principal=principal, case_id=case_id)
    if not result.created:
        response.status_code = 200
    return TransferRead.model_validate(result.record)


@router.post("/agreement", response_model=MediationCaseDetail, status_code=201)
async def record_agreement(
    case_id: str, body: AgreementCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    cmd = outcomes.RecordAgreement(
        terms=tuple(body.terms), signed_and_sealed=body.signed_and_sealed, effective_on=body.effective_on
    )
    await outcomes.record_agreement(ctx=ctx, uow=uow, principal=principal, case_id=case_id, cmd=cmd)
    return await _current(ctx, uow, principal, case_id)


@router.post("/agreement/performance", response_model=MediationCaseDetail)
async def record_performance(
    case_id: str, body: PerformanceCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    """Term by term: performed, or breached with what is unpaid (money terms) and what was not
    done; a breach opens arbitration (LDA Art. 15) and, for Art. 16 items, a payment order."""
    items = tuple(
        TermOutcome(i.term_no, performed=i.outcome == "performed", unpaid_fen=i.unpaid_fen, not_done=i.not_done)
        for i in body.items
    )
    performed = None if body.outcome is None else body.outcome == "performed"
    cmd = outcomes.RecordPerformance(performed=performed, unpaid_fen=body.unpaid_fen, items=items)
    await outcomes.record_performance(ctx=ctx, uow=uow, principal=principal, case_id=case_id, cmd=cmd)
    return await _current(ctx, uow, principal, case_id)


@router.post("/court-requests", response_model=CourtRequestRead, status_code=201)
async def request_court(
    case_id: str, body: CourtRequestCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> CourtRequestRead:
    """A payment order on the breached, unpaid terms on wages, injury medical fees, compensation
    or damages (LDA Art. 16; any other term is refused, naming it), or judicial confirmation
    (民诉法 Art. 205, within 30 days)."""
    request = await outcomes.request_court(
        ctx=ctx, uow=uow, principal=principal, case_id=case_id, kind=body.kind, term_nos=body.term_nos
    )
    return CourtRequestRead.model_validate(request)
