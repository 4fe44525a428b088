"""HTTP routes: translate requests to commands and results back, nothing more.

Every route takes the principal the gateway vouched for (``labornet_common.security.api_auth``);
a request that did not come through the gateway is refused before it reaches a handler.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse, StreamingResponse

from labornet_common.contracts.intake import ClaimSummary
from labornet_common.platform.app import UowDep, name_case
from labornet_common.platform.errors import not_found
from labornet_common.platform.exports import ExportColumn, ExportFormatQuery, export_list, export_responses
from labornet_common.platform.listing import ListQuery, ListQueryDep, with_id_number
from labornet_common.security.api_auth import CurrentPrincipal, OptionalPrincipal
from labornet_common.security.pii import PiiCipherDep
from labornet_intake.api.deps import RulesDep
from labornet_intake.api.schemas import (
    ComplaintCreate,
    ComplaintCreated,
    ComplaintPage,
    ComplaintRead,
    ComplaintSearch,
)
from labornet_intake.domain import representatives
from labornet_intake.service import commands, queries, search

router = APIRouter(prefix="/api/v1", tags=["complaints"])


def _page(found: queries.ComplaintPage) -> ComplaintPage:
    return ComplaintPage(
        items=[ComplaintRead.model_validate(c, from_attributes=True) for c in found.items],
        next_cursor=found.next_cursor,
    )


def _command(body: ComplaintCreate) -> commands.FileComplaint:
    """The filing as a command. The checks that need several fields or today's date are the
    domain's, run by the command (``validation.check_filing``) for every caller; each claim was
    checked field by field by the schema, so its period's order is left to that check too."""
    fields = body.model_dump(exclude={"claims", "other_workplaces", "representatives"})
    claims = [ClaimSummary.model_construct(**c.model_dump()) for c in body.claims]
    chosen = tuple(representatives.Representative(**r.model_dump()) for r in body.representatives)
    return commands.FileComplaint(
        **fields, claims=claims, other_workplaces=tuple(body.other_workplaces), representatives=chosen
    )


@router.post(
    "/complaints",
    status_code=201,
    response_model=ComplaintCreated,
    responses={200: {"model": ComplaintCreated, "description": "joined an open case (duplicate or grouped)"}},
)
async def create_complaint(
    body: ComplaintCreate,
    uow: UowDep,
    principal: OptionalPrincipal,
    cipher: PiiCipherDep,
    rules: RulesDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    """File through any channel. 201: a new case (with the access code, once); 200: the filing
    joined an open case, as the same complaint again or another worker's (``outcome``)."""
    filed = await commands.file_complaint(
        uow=uow,
        cmd=_command(body),
        principal=principal,
        cipher=cipher,
        idempotency_key=idempotency_key,
        rules=rules,
    )
    response = JSONResponse(filed.body, status_code=filed.status_code)
    if filed.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    name_case(response, filed.body.get("case_id"))  # the case filed or joined, for the audit trail
    return response


@router.get("/complaints", response_model=ComplaintPage)
async def list_complaints(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, cipher: PiiCipherDep
) -> ComplaintPage:
    """Complaints in scope, searched (``q``: tracking number, worker, employer), filtered
    (``status``, ``centre``: the organisation routed to, ``from``/``to`` on the receipt date) and
    sorted (``sort``: received_desc, received_asc). ID numbers are searched with POST /complaints/search."""
    found = await search.search_complaints(uow=uow, principal=principal, query=query, cipher=cipher)
    return _page(found)


@router.post("/complaints/search", response_model=ComplaintPage)
async def search_complaints(
    body: ComplaintSearch, principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, cipher: PiiCipherDep
) -> ComplaintPage:
    """One worker's complaints by ID number or phone (blind index), with the list's filters."""
    found = await search.search_complaints(
        uow=uow,
        principal=principal,
        query=with_id_number(query, body.worker_id_number),
        cipher=cipher,
        worker_phone=body.worker_phone,
    )
    return _page(found)


# The complaint list's columns; ID number and phone exactly as the list shows them to the caller.
COMPLAINT_COLUMNS = (
    ExportColumn("tracking_number", "受理编号"),
    ExportColumn("received_at", "收件时间"),
    ExportColumn("channel", "渠道"),
    ExportColumn("status", "状态"),
    ExportColumn("route", "分流去向"),
    ExportColumn("target_org_name", "承办机构"),
    ExportColumn("worker_name", "劳动者"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("worker_count", "人数"),
    ExportColumn("worker_id_number", "身份证号码"),
    ExportColumn("worker_phone", "联系电话"),
    ExportColumn(
        "claims", "请求", value=lambda c: [f"{x['category']} {x['amount_fen'] / 100:.2f}元" for x in c["claims"]]
    ),
    ExportColumn("case_id", "案件编号"),
)


@router.get("/complaints/export", response_class=StreamingResponse, responses=export_responses())
async def export_complaints(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, cipher: PiiCipherDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """The complaint list with the same search, filters and order as ``GET /complaints``, as CSV
    or XLSX; ID numbers and phones masked for the caller as in the list."""

    async def read(page: ListQuery) -> tuple[list[dict], str | None]:
        found = await search.search_complaints(uow=uow, principal=principal, query=page, cipher=cipher)
        return _page(found).model_dump()["items"], found.next_cursor

    return await export_list(
        read_page=read,
        query=query,
        columns=COMPLAINT_COLUMNS,
        fmt=fmt,
        list_name="intake.complaints",
        sheet_title="投诉登记",
    )


@router.get("/complaints/{case_id}", response_model=ComplaintRead)
async def read_complaint(case_id: str, principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep) -> ComplaintRead:
    complaint = await queries.get_complaint(uow=uow, principal=principal, case_id=case_id, cipher=cipher)
    if complaint is None:
        raise not_found()
    return ComplaintRead.model_validate(complaint, from_attributes=True)
