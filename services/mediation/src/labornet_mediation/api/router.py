"""HTTP routes for reading and opening cases: translate requests to use cases and back."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from labornet_common.api_auth import CurrentPrincipal
from labornet_common.app import UowDep
from labornet_common.errors import not_found
from labornet_common.pagination import MAX_PAGE_SIZE, PageDep
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.api.schemas import (
    CaseCreated,
    MediationCaseCreate,
    MediationCaseDetail,
    MediationCasePage,
    MediationCaseRead,
    MediationQueue,
)
from labornet_mediation.service import commands, queries

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation"])


@router.get("/cases", response_model=MediationCasePage)
async def list_cases(principal: CurrentPrincipal, uow: UowDep, page: PageDep, ctx: ContextDep) -> MediationCasePage:
    found = await queries.list_cases(uow=uow, principal=principal, page=page, ctx=ctx)
    return MediationCasePage(
        items=[MediationCaseRead.model_validate(c) for c in found.items],
        next_cursor=found.next_cursor,
    )


@router.post("/cases", response_model=CaseCreated, status_code=201)
async def open_case(
    body: MediationCaseCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> CaseCreated:
    """A centre's staff open a case for an application made at the centre (written, or oral and
    recorded on the spot: LDA Art. 12); the 15-day clock starts at receipt (LDA Art. 14)."""
    cmd = commands.OpenCase(**body.model_dump(exclude={"claims"}), claims=tuple(body.claims))
    case_id = await commands.open_case(ctx=ctx, uow=uow, principal=principal, cmd=cmd)
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    assert case is not None  # just opened by this caller, in their region
    return CaseCreated(case_id=case_id, status=case["status"], due_on=case["due_on"])


@router.get("/queue", response_model=MediationQueue)
async def my_queue(
    principal: CurrentPrincipal,
    uow: UowDep,
    ctx: ContextDep,
    sort: Literal["deadline", "received"] = "deadline",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
) -> MediationQueue:
    """Open cases assigned to me, or waiting for a mediator in my region; nearest deadline first."""
    items = await queries.my_queue(ctx=ctx, uow=uow, principal=principal, by_deadline=sort == "deadline", limit=limit)
    return MediationQueue(items=[MediationCaseRead.model_validate(c) for c in items])


@router.get("/cases/{case_id}", response_model=MediationCaseDetail)
async def read_case(case_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> MediationCaseDetail:
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    if case is None:
        raise not_found()
    return MediationCaseDetail.model_validate(case)
