"""Direct filing, reading and the work queue."""

from __future__ import annotations

import hashlib
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import StreamingResponse

from labornet_arbitration.adapters.pii import seal_party
from labornet_arbitration.api.deps import ContextDep
from labornet_arbitration.api.schemas import ApplicationCreate, ApplicationPage, ApplicationRead, ApplicationSearch
from labornet_arbitration.domain import policy
from labornet_arbitration.service import intake_commands, queries
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.platform.app import UowDep, name_case
from labornet_common.platform.clock import china_today
from labornet_common.platform.errors import FieldError, Problem, invalid, not_found
from labornet_common.platform.exports import ExportColumn, ExportFormatQuery, export_list, export_responses
from labornet_common.platform.listing import ListQuery, ListQueryDep, with_id_number
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.auth import Principal
from labornet_common.security.pii import PiiCipherDep

router = APIRouter(prefix="/api/v1/arbitration", tags=["arbitration"])


def _checked(body: ApplicationCreate, who: Principal, ctx: ArbitrationContext) -> str:
    """The commission's seat; refuses unknown bodies and callers outside both divisions."""
    commission = ctx.directory.commission(body.commission_id)
    if commission is None:
        raise invalid(FieldError.of("commission_id", "arbitration.unknown_commission"))
    tribunal = ctx.directory.tribunal(body.tribunal_id) if body.tribunal_id else None
    if body.tribunal_id and (tribunal is None or tribunal.commission_id != commission.id):
        raise invalid(FieldError.of("tribunal_id", "arbitration.unknown_tribunal"))
    bodies = ctx.directory.bodies_of_commission(commission.id)
    divisions = [body.workplace_division, commission.seat_division]
    if not policy.can_act(who, policy.DOCKET_ROLES, divisions=divisions, bodies=bodies):
        raise Problem(403, "forbidden")
    if body.received_on is not None and body.received_on > china_today():
        raise invalid(FieldError.of("received_on", "arbitration.date_order"))
    return commission.seat_division


def _source_key(who: Principal, idempotency_key: str | None) -> str:
    # A retried request with the same key (per caller) finds the application it made.
    if not idempotency_key:
        return f"direct:{uuid.uuid4()}"
    return "direct:" + hashlib.sha256(f"{who.subject}\x00{idempotency_key}".encode()).hexdigest()[:64]


def _new_application(body: ApplicationCreate, source_key: str, cipher: Any) -> intake_commands.NewApplication:
    party = seal_party(cipher, id_number=body.worker_id_number, phone=body.worker_phone, facts=body.facts)
    return intake_commands.NewApplication(
        case_id=body.case_id or str(uuid.uuid4()),
        source="direct",
        source_key=source_key,
        division_code=body.workplace_division,
        commission_id=body.commission_id,
        tribunal_id=body.tribunal_id,
        received_on=body.received_on or china_today(),
        worker_name=body.worker_name,
        employer_name=body.employer_name,
        worker_count=body.worker_count,
        collective=body.worker_count >= 10,
        employer_uscc=body.employer_uscc,
        employer_division=body.employer_division,
        facts=party.facts,
        claims=body.claims,
        applicant_side=body.applicant_side,
        worker_keys=party.worker_keys,
        worker_id_masked=party.id_masked,
        worker_phone_masked=party.phone_masked,
        sealed=party.columns,
    )


@router.post("/applications", response_model=ApplicationRead, status_code=201)
async def file_application(
    body: ApplicationCreate,
    who: CurrentPrincipal,
    uow: UowDep,
    ctx: ContextDep,
    cipher: PiiCipherDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> ApplicationRead:
    """A clerk or arbitrator of the commission records an application made there, by the worker(s)
    or by the employer (LDA Art. 21); the worker's ID number and phone are stored sealed."""
    _checked(body, who, ctx)
    new = _new_application(body, _source_key(who, idempotency_key), cipher)
    case, created = await intake_commands.receive(uow=uow, ctx=ctx, new=new)
    if not created:
        response.status_code = 200
    name_case(response, case.case_id)  # the dispute's case, for the audit trail
    return ApplicationRead.model_validate(case)


@router.get("/applications", response_model=ApplicationPage)
async def list_applications(who: CurrentPrincipal, uow: UowDep, query: ListQueryDep) -> ApplicationPage:
    """Applications in scope, searched (``q``: 案号, worker, employer, case or application id),
    filtered (``status``; ``clock``: running | overdue | suspended | stopped, the acceptance clock
    while undecided and the award clock while active; ``centre``: the commission; ``from``/``to``
    on the receipt date) and sorted (``sort``: created_desc, created_asc, received_desc,
    received_asc). Paged by ``next_cursor``. ID numbers are searched with POST /applications/search."""
    found = await queries.list_applications(uow=uow, principal=who, query=query)
    return ApplicationPage(
        items=[ApplicationRead.model_validate(c) for c in found.items], next_cursor=found.next_cursor
    )


@router.post("/applications/search", response_model=ApplicationPage)
async def search_applications(
    body: ApplicationSearch, who: CurrentPrincipal, uow: UowDep, query: ListQueryDep, cipher: PiiCipherDep
) -> ApplicationPage:
    """One worker's applications by ID number (blind index: every worker of the application,
    whether filed here, routed from intake or transferred from mediation), or one employer's by
    unified social credit code; with the list's filters, order and pages (repeat the body)."""
    found = await queries.list_applications(
        uow=uow,
        principal=who,
        query=with_id_number(query, body.worker_id_number),
        cipher=cipher,
        employer_uscc=body.employer_uscc,
    )
    return ApplicationPage(
        items=[ApplicationRead.model_validate(c) for c in found.items], next_cursor=found.next_cursor
    )


# The application list's columns as the console shows them (ID number and phone only masked).
APPLICATION_COLUMNS = (
    ExportColumn("case_number", "案号"),
    ExportColumn("worker_name", "劳动者"),
    ExportColumn("worker_id_masked", "身份证号码"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("commission_id", "仲裁委员会"),
    ExportColumn("received_on", "收到日期"),
    ExportColumn("acceptance_due_on", "受理决定期限"),
    ExportColumn("award_due_on", "裁决期限"),
    ExportColumn("status", "状态"),
    ExportColumn("application_id", "申请编号"),
)


@router.get("/applications/export", response_class=StreamingResponse, responses=export_responses())
async def export_applications(
    who: CurrentPrincipal, uow: UowDep, query: ListQueryDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """The application list with the same search, filters and order, as CSV or XLSX."""

    async def read(page: ListQuery) -> tuple[list[dict[str, Any]], str | None]:
        found = await queries.list_applications(uow=uow, principal=who, query=page)
        return [ApplicationRead.model_validate(c).model_dump() for c in found.items], found.next_cursor

    return await export_list(
        read_page=read,
        query=query,
        columns=APPLICATION_COLUMNS,
        fmt=fmt,
        list_name="arbitration.applications",
        sheet_title="仲裁案件",
    )


@router.get("/queue", response_model=list[ApplicationRead])
async def work_queue(
    who: CurrentPrincipal, uow: UowDep, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> list[ApplicationRead]:
    """Open matters, collective disputes first (优先立案、优先审理), then by the clock."""
    return [ApplicationRead.model_validate(c) for c in await queries.work_queue(uow=uow, principal=who, limit=limit)]


@router.get("/applications/{application_id}", response_model=ApplicationRead)
async def read_application(application_id: str, who: CurrentPrincipal, uow: UowDep) -> ApplicationRead:
    case = await queries.get_application(uow=uow, principal=who, application_id=application_id)
    if case is None:
        raise not_found()
    return ApplicationRead.model_validate(case)
