"""HTTP routes for reading and opening cases: translate requests to use cases and back."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from labornet_common.platform.app import UowDep, name_case
from labornet_common.platform.errors import not_found
from labornet_common.platform.exports import ExportColumn, ExportFormatQuery, export_list, export_responses
from labornet_common.platform.listing import ListQuery, ListQueryDep
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.api.schemas import (
    CaseCreated,
    MediationCaseCreate,
    MediationCaseDetail,
    MediationCasePage,
    MediationCaseRead,
    MediationQueue,
)
from labornet_mediation.service import commands, queries, search

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation"])


@router.get("/cases", response_model=MediationCasePage)
async def list_cases(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, ctx: ContextDep
) -> MediationCasePage:
    """Cases in scope, searched (``q``: tracking number, worker, employer), filtered (``status``,
    ``clock``: running | overdue | stopped, ``centre``, ``from``/``to`` on the receipt date) and
    sorted (``sort``: opened_desc, opened_asc, received_desc, received_asc, due_asc, due_desc)."""
    found = await search.search_cases(uow=uow, principal=principal, query=query, ctx=ctx)
    return MediationCasePage(
        items=[MediationCaseRead.model_validate(c) for c in found.items],
        next_cursor=found.next_cursor,
    )


@router.post("/cases", response_model=CaseCreated, status_code=201)
async def open_case(
    body: MediationCaseCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep, response: Response
) -> CaseCreated:
    """A centre's staff open a case for an application made at the centre (written, or oral and
    recorded on the spot: LDA Art. 12); the 15-day clock starts at receipt (LDA Art. 14)."""
    cmd = commands.OpenCase(**body.model_dump(exclude={"claims"}), claims=tuple(body.claims))
    case_id = await commands.open_case(ctx=ctx, uow=uow, principal=principal, cmd=cmd)
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    assert case is not None  # just opened by this caller, in their region
    name_case(response, case_id)  # for the audit trail
    return CaseCreated(case_id=case_id, status=case["status"], due_on=case["due_on"])


@router.get("/queue", response_model=MediationQueue)
async def my_queue(principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep, query: ListQueryDep) -> MediationQueue:
    """Open cases assigned to me, or waiting for a mediator in my region; nearest deadline first
    (``sort=deadline``, the default; ``sort=received``: newest receipt first, or any order of the
    case list). Paged by ``next_cursor``: nothing is cut off; the filters of the case list apply."""
    query = replace(query, sort=QUEUE_ORDERS.get(query.sort or "deadline", query.sort))
    found = await search.search_cases(uow=uow, principal=principal, query=query, ctx=ctx, queue=True)
    return MediationQueue(
        items=[MediationCaseRead.model_validate(c) for c in found.items], next_cursor=found.next_cursor
    )


# The columns of the case list and the queue as the console shows them.
CASE_COLUMNS = (
    ExportColumn("tracking_number", "受理编号"),
    ExportColumn("worker_name", "劳动者"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("centre_name", "调解组织"),
    ExportColumn("received_on", "收到日期"),
    ExportColumn("due_on", "调解期限"),
    ExportColumn("days_left", "剩余天数"),
    ExportColumn("status", "状态"),
    ExportColumn("mediator_name", "调解员"),
    ExportColumn("case_id", "案件编号"),
)
QUEUE_ORDERS = {"deadline": "due_asc", "received": "received_desc"}


@router.get("/cases/export", response_class=StreamingResponse, responses=export_responses())
async def export_cases(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, ctx: ContextDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """The case list with the same search, filters and order as ``GET /cases``, as CSV or XLSX."""

    async def read(page: ListQuery) -> tuple[list[dict], str | None]:
        found = await search.search_cases(uow=uow, principal=principal, query=page, ctx=ctx)
        return [MediationCaseRead.model_validate(c).model_dump() for c in found.items], found.next_cursor

    return await export_list(
        read_page=read, query=query, columns=CASE_COLUMNS, fmt=fmt, list_name="mediation.cases", sheet_title="调解案件"
    )


@router.get("/queue/export", response_class=StreamingResponse, responses=export_responses())
async def export_queue(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, ctx: ContextDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """My queue with the same search, filters and order as ``GET /queue``, as CSV or XLSX."""
    query = replace(query, sort=QUEUE_ORDERS.get(query.sort or "deadline", query.sort))

    async def read(page: ListQuery) -> tuple[list[dict], str | None]:
        found = await search.search_cases(uow=uow, principal=principal, query=page, ctx=ctx, queue=True)
        return [MediationCaseRead.model_validate(c).model_dump() for c in found.items], found.next_cursor

    return await export_list(
        read_page=read, query=query, columns=CASE_COLUMNS, fmt=fmt, list_name="mediation.queue", sheet_title="调解案件"
    )


@router.get("/cases/{case_id}", response_model=MediationCaseDetail)
async def read_case(case_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> MediationCaseDetail:
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    if case is None:
        raise not_found()
    return MediationCaseDetail.model_validate(case)
