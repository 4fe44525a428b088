"""HTTP routes of the wage-arrears desk: translate requests to commands and queries, and back.

Everything here is for inspectors (and admins) within their region scopes; anything outside
answers 404, the same as an id that does not exist.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse

from labornet_common.contracts.events import utcnow
from labornet_common.platform.app import UowDep
from labornet_common.platform.clock import local_date
from labornet_common.platform.errors import FieldError, invalid, not_found
from labornet_common.platform.exports import ExportColumn, ExportFormatQuery, export_list, export_responses
from labornet_common.platform.listing import ListQuery, ListQueryDep
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.standards.divisions import divisions
from labornet_common.standards.errors import StandardError
from labornet_wage_arrears.api.schemas import (
    AlertPage,
    AlertRead,
    DispatchCreate,
    IncidentCreate,
    IncidentList,
    IncidentRead,
    OrderCreate,
    OrderList,
    OrderRead,
    PaymentCreate,
    ProfileList,
    ProfileRead,
    ReasonCreate,
    ReferralPage,
    ReferralRead,
    Rule,
    ServiceCreate,
    Severity,
    State,
)
from labornet_wage_arrears.domain.config import RuleBook
from labornet_wage_arrears.domain.records import INCIDENT, ORDER, Incident, Order, to_row
from labornet_wage_arrears.service import commands, queries, records

router = APIRouter(prefix="/api/v1/wage-arrears", tags=["wage-arrears"])
RegionQuery = Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$", description="division-code prefix")]


def _book(request: Request) -> RuleBook:
    return request.app.state.settings.alert_rules


def _alert_filter(
    region: RegionQuery = None, severity: Severity | None = None, state: State | None = None, rule: Rule | None = None
) -> queries.AlertFilter:
    return queries.AlertFilter(severity=severity, state=state, region=region, rule=rule)


AlertFilterDep = Annotated[queries.AlertFilter, Depends(_alert_filter)]


@router.get("/alerts", response_model=AlertPage)
async def list_alerts(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, filters: AlertFilterDep
) -> AlertPage:
    """Alerts in scope, searched (``q``: employer name or USCC, project, alert id), filtered
    (``status``: states; ``clock``: running | overdue | stopped; ``severity``, ``rule``, ``region``;
    ``from``/``to`` on the day raised) and sorted (``sort``: raised_desc, raised_asc, amount_desc,
    amount_asc); paged by ``next_cursor``."""
    found = await queries.list_alerts(uow=uow, principal=principal, query=query, filters=filters, now=utcnow())
    return AlertPage(items=[AlertRead.model_validate(a) for a in found.items], next_cursor=found.next_cursor)


ALERT_COLUMNS = (
    ExportColumn("raised_at", "预警时间"),
    ExportColumn("severity", "等级"),
    ExportColumn("state", "状态"),
    ExportColumn("rule", "规则"),
    ExportColumn("region_code", "行政区划"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("employer_uscc", "统一社会信用代码"),
    ExportColumn("project", "项目"),
    ExportColumn("worker_count", "涉及人数"),
    ExportColumn("amount_fen", "涉及金额（元）", value=lambda a: round(a["amount_fen"] / 100, 2)),
    ExportColumn("due_at", "处置时限"),
    ExportColumn("summary_zh", "摘要"),
    ExportColumn("alert_id", "预警编号"),
)


@router.get("/alerts/export", response_class=StreamingResponse, responses=export_responses())
async def export_alerts(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, filters: AlertFilterDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """The alert list with the same search, filters and order, as CSV or XLSX."""
    now = utcnow()

    async def read(page: ListQuery) -> tuple[list[dict[str, Any]], str | None]:
        found = await queries.list_alerts(uow=uow, principal=principal, query=page, filters=filters, now=now)
        return [AlertRead.model_validate(a).model_dump() for a in found.items], found.next_cursor

    return await export_list(
        read_page=read,
        query=query,
        columns=ALERT_COLUMNS,
        fmt=fmt,
        list_name="wage-arrears.alerts",
        sheet_title="欠薪预警",
    )


@router.get("/alerts/{alert_id}", response_model=AlertRead)
async def read_alert(alert_id: str, principal: CurrentPrincipal, uow: UowDep) -> AlertRead:
    alert = await queries.get_alert(uow=uow, principal=principal, alert_id=alert_id)
    if alert is None:
        raise not_found()
    return AlertRead.model_validate(alert)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertRead)
async def acknowledge(alert_id: str, principal: CurrentPrincipal, uow: UowDep, request: Request) -> AlertRead:
    alert = await commands.acknowledge(
        uow=uow, principal=principal, alert_id=alert_id, book=_book(request), now=utcnow()
    )
    return AlertRead.model_validate(alert)


@router.post("/alerts/{alert_id}/dispatch", response_model=AlertRead)
async def dispatch(alert_id: str, body: DispatchCreate, principal: CurrentPrincipal, uow: UowDep) -> AlertRead:
    if body.to == "region":
        _check_region(body.region_code)
    alert = await commands.dispatch(
        uow=uow, principal=principal, alert_id=alert_id, to=body.target, note=body.note, now=utcnow()
    )
    return AlertRead.model_validate(alert)


@router.post("/alerts/{alert_id}/resolve", response_model=AlertRead)
async def resolve(alert_id: str, body: ReasonCreate, principal: CurrentPrincipal, uow: UowDep) -> AlertRead:
    alert = await commands.resolve(uow=uow, principal=principal, alert_id=alert_id, reason=body.reason, now=utcnow())
    return AlertRead.model_validate(alert)


@router.post("/alerts/{alert_id}/close", response_model=AlertRead)
async def close(alert_id: str, body: ReasonCreate, principal: CurrentPrincipal, uow: UowDep) -> AlertRead:
    alert = await commands.close(uow=uow, principal=principal, alert_id=alert_id, reason=body.reason, now=utcnow())
    return AlertRead.model_validate(alert)


def _referral_filter(region: RegionQuery = None) -> queries.AlertFilter:
    return queries.AlertFilter(region=region, referred=True)


ReferralFilterDep = Annotated[queries.AlertFilter, Depends(_referral_filter)]


@router.get("/referrals", response_model=ReferralPage)
async def list_referrals(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, filters: ReferralFilterDep
) -> ReferralPage:
    """Recommended criminal referrals (拒不支付劳动报酬, 刑法 Art. 276-1) in scope, with the alert
    list's search (``q``: employer name or USCC, project, alert or referral id), filters
    (``status``: the alert's states; ``clock``; ``region``; ``from``/``to`` on the day raised),
    orders (``sort``) and ``next_cursor`` pages. Each package is read at ``/referrals/{id}``."""
    found = await queries.list_alerts(uow=uow, principal=principal, query=query, filters=filters, now=utcnow())
    return ReferralPage(items=[ReferralRead.model_validate(a) for a in found.items], next_cursor=found.next_cursor)


REFERRAL_COLUMNS = (
    ExportColumn("raised_at", "建议移送时间"),
    ExportColumn("state", "状态"),
    ExportColumn("region_code", "行政区划"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("employer_uscc", "统一社会信用代码"),
    ExportColumn("project", "项目"),
    ExportColumn("worker_count", "涉及人数"),
    ExportColumn("amount_fen", "涉及金额（元）", value=lambda r: round(r["amount_fen"] / 100, 2)),
    ExportColumn("due_at", "处置时限"),
    ExportColumn("dispatched_to", "已派发"),
    ExportColumn("summary_zh", "摘要"),
    ExportColumn("referral_id", "移送编号"),
)


@router.get("/referrals/export", response_class=StreamingResponse, responses=export_responses())
async def export_referrals(
    principal: CurrentPrincipal, uow: UowDep, query: ListQueryDep, filters: ReferralFilterDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """The referral list with the same search, filters and order, as CSV or XLSX."""
    now = utcnow()

    async def read(page: ListQuery) -> tuple[list[dict[str, Any]], str | None]:
        found = await queries.list_alerts(uow=uow, principal=principal, query=page, filters=filters, now=now)
        return [ReferralRead.model_validate(a).model_dump() for a in found.items], found.next_cursor

    return await export_list(
        read_page=read,
        query=query,
        columns=REFERRAL_COLUMNS,
        fmt=fmt,
        list_name="wage-arrears.referrals",
        sheet_title="涉嫌犯罪移送",
    )


@router.get("/referrals/{referral_id}")
async def referral_package(referral_id: str, principal: CurrentPrincipal, uow: UowDep) -> dict[str, Any]:
    package = await queries.referral_package(uow=uow, principal=principal, referral_id=referral_id, now=utcnow())
    if package is None:
        raise not_found()
    return package


@router.get("/profiles", response_model=ProfileList)
async def list_profiles(
    principal: CurrentPrincipal,
    uow: UowDep,
    region: RegionQuery = None,
    kind: Annotated[str | None, Query(pattern="^(employer|project)$")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ProfileList:
    rows = await queries.list_profiles(uow=uow, principal=principal, region=region, kind=kind, limit=limit)
    return ProfileList(items=[ProfileRead.model_validate(r) for r in rows])


@router.get("/profiles/{profile_id}", response_model=ProfileRead)
async def read_profile(profile_id: str, principal: CurrentPrincipal, uow: UowDep) -> ProfileRead:
    row = await queries.get_profile(uow=uow, principal=principal, profile_id=profile_id)
    if row is None:
        raise not_found()
    return ProfileRead.model_validate(row)


# -- orders to pay and incidents (the inspectors' records) -------------------------------------

UsccQuery = Annotated[str | None, Query(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$", description="GB 32100 code")]


def _order(order: Order) -> OrderRead:
    return OrderRead.model_validate(order.as_of(local_date(utcnow())))


def _incident(incident: Incident) -> IncidentRead:
    return IncidentRead.model_validate(to_row(incident))


@router.post(
    "/orders",
    response_model=OrderRead,
    status_code=201,
    responses={200: {"model": OrderRead, "description": "the same document number again: the order already recorded"}},
)
async def issue_order(
    body: OrderCreate, principal: CurrentPrincipal, uow: UowDep, request: Request, response: Response
) -> OrderRead:
    """Record a written order to pay within a limit (责令限期支付, 劳动保障监察条例 Art. 26). The same
    document number posted again answers 200 with the order already recorded."""
    order, new = await records.issue_order(
        uow=uow, principal=principal, body=records.NewOrder(**body.model_dump()), now=utcnow(), book=_book(request)
    )
    response.status_code = 201 if new else 200
    return _order(order)


@router.get("/orders", response_model=OrderList)
async def list_orders(
    principal: CurrentPrincipal,
    uow: UowDep,
    query: ListQueryDep,
    region: RegionQuery = None,
    employer_uscc: UsccQuery = None,
) -> OrderList:
    """Orders to pay in scope, last changed first (``sort``: updated_desc, updated_asc), searched
    (``q``: the employer's USCC or name) and filtered (``region``, ``employer_uscc``, ``from``/``to``
    on the day last changed); paged by ``next_cursor``."""
    found, cursor = await records.search_records(
        uow=uow, principal=principal, kind=ORDER, region=region, employer_uscc=employer_uscc, query=query
    )
    return OrderList(items=[_order(o) for o in found if isinstance(o, Order)], next_cursor=cursor)


ORDER_COLUMNS = (
    ExportColumn("document_number", "文书编号"),
    ExportColumn("issued_on", "作出日期"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("employer_uscc", "统一社会信用代码"),
    ExportColumn("project", "项目"),
    ExportColumn("amount_fen", "应付金额（元）", value=lambda o: round(o["amount_fen"] / 100, 2)),
    ExportColumn("due_on", "支付期限"),
    ExportColumn("served_on", "送达日期"),
    ExportColumn("paid_total_fen", "已付金额（元）", value=lambda o: round(o["paid_total_fen"] / 100, 2)),
    ExportColumn("lapsed", "逾期未支付"),
    ExportColumn("order_id", "文书记录编号"),
)


@router.get("/orders/export", response_class=StreamingResponse, responses=export_responses())
async def export_orders(
    principal: CurrentPrincipal,
    uow: UowDep,
    query: ListQueryDep,
    fmt: ExportFormatQuery,
    region: RegionQuery = None,
    employer_uscc: UsccQuery = None,
) -> StreamingResponse:
    """The order list with the same search, filters and order, as CSV or XLSX."""

    async def read(page: ListQuery) -> tuple[list[dict[str, Any]], str | None]:
        found, cursor = await records.search_records(
            uow=uow, principal=principal, kind=ORDER, region=region, employer_uscc=employer_uscc, query=page
        )
        return [_order(o).model_dump() for o in found if isinstance(o, Order)], cursor

    return await export_list(
        read_page=read,
        query=query,
        columns=ORDER_COLUMNS,
        fmt=fmt,
        list_name="wage-arrears.orders",
        sheet_title="责令支付文书",
    )


@router.get("/orders/{order_id}", response_model=OrderRead)
async def read_order(order_id: str, principal: CurrentPrincipal, uow: UowDep) -> OrderRead:
    order = await records.get_record(uow=uow, principal=principal, record_id=order_id, kind=ORDER)
    if not isinstance(order, Order):
        raise not_found()
    return _order(order)


@router.post("/orders/{order_id}/service", response_model=OrderRead)
async def record_service(
    order_id: str, body: ServiceCreate, principal: CurrentPrincipal, uow: UowDep, request: Request
) -> OrderRead:
    """送达: delivered, left at the premises, mailed, sent electronically, or posted at the
    workplace when the employer cannot be reached (2013 interpretation Art. 4)."""
    order = await records.record_service(
        uow=uow,
        principal=principal,
        order_id=order_id,
        body=records.OrderService(**body.model_dump()),
        now=utcnow(),
        book=_book(request),
    )
    return _order(order)


@router.post("/orders/{order_id}/payment", response_model=OrderRead)
async def record_payment(
    order_id: str, body: PaymentCreate, principal: CurrentPrincipal, uow: UowDep, request: Request
) -> OrderRead:
    order = await records.record_payment(
        uow=uow,
        principal=principal,
        order_id=order_id,
        body=records.OrderPayment(**body.model_dump()),
        now=utcnow(),
        book=_book(request),
    )
    return _order(order)


@router.post(
    "/incidents",
    response_model=IncidentRead,
    status_code=201,
    responses={
        200: {"model": IncidentRead, "description": "the same employer, day and kind again: that incident updated"}
    },
)
async def record_incident(
    body: IncidentCreate, principal: CurrentPrincipal, uow: UowDep, request: Request, response: Response
) -> IncidentRead:
    """A mass or extreme incident the arrears caused (人社部令第45号 Art. 5(二)); the same employer,
    day and kind again updates that incident (200)."""
    incident, new = await records.record_incident(
        uow=uow, principal=principal, body=records.NewIncident(**body.model_dump()), now=utcnow(), book=_book(request)
    )
    response.status_code = 201 if new else 200
    return _incident(incident)


@router.get("/incidents", response_model=IncidentList)
async def list_incidents(
    principal: CurrentPrincipal,
    uow: UowDep,
    query: ListQueryDep,
    region: RegionQuery = None,
    employer_uscc: UsccQuery = None,
) -> IncidentList:
    """Incidents in scope, last changed first (``sort``: updated_desc, updated_asc), searched
    (``q``: the employer's USCC or name) and filtered (``region``, ``employer_uscc``, ``from``/``to``
    on the day last changed); paged by ``next_cursor``."""
    found, cursor = await records.search_records(
        uow=uow, principal=principal, kind=INCIDENT, region=region, employer_uscc=employer_uscc, query=query
    )
    return IncidentList(items=[_incident(i) for i in found if isinstance(i, Incident)], next_cursor=cursor)


INCIDENT_COLUMNS = (
    ExportColumn("occurred_on", "发生日期"),
    ExportColumn("kind", "类型"),
    ExportColumn("region_code", "行政区划"),
    ExportColumn("employer_name", "用人单位"),
    ExportColumn("employer_uscc", "统一社会信用代码"),
    ExportColumn("project", "项目"),
    ExportColumn("workers_involved", "涉及人数"),
    ExportColumn("serious_impact", "造成严重不良社会影响"),
    ExportColumn("description", "情况说明"),
    ExportColumn("incident_id", "事件编号"),
)


@router.get("/incidents/export", response_class=StreamingResponse, responses=export_responses())
async def export_incidents(
    principal: CurrentPrincipal,
    uow: UowDep,
    query: ListQueryDep,
    fmt: ExportFormatQuery,
    region: RegionQuery = None,
    employer_uscc: UsccQuery = None,
) -> StreamingResponse:
    """The incident list with the same search, filters and order, as CSV or XLSX."""

    async def read(page: ListQuery) -> tuple[list[dict[str, Any]], str | None]:
        found, cursor = await records.search_records(
            uow=uow, principal=principal, kind=INCIDENT, region=region, employer_uscc=employer_uscc, query=page
        )
        return [_incident(i).model_dump() for i in found if isinstance(i, Incident)], cursor

    return await export_list(
        read_page=read,
        query=query,
        columns=INCIDENT_COLUMNS,
        fmt=fmt,
        list_name="wage-arrears.incidents",
        sheet_title="欠薪事件",
    )


@router.get("/incidents/{incident_id}", response_model=IncidentRead)
async def read_incident(incident_id: str, principal: CurrentPrincipal, uow: UowDep) -> IncidentRead:
    incident = await records.get_record(uow=uow, principal=principal, record_id=incident_id, kind=INCIDENT)
    if not isinstance(incident, Incident):
        raise not_found()
    return _incident(incident)


def _check_region(code: str | None) -> None:
    if not code:
        raise invalid(FieldError.of("region_code", "wage_arrears.region_required"))
    try:
        divisions().validate_division(code)
    except StandardError:
        raise invalid(FieldError.of("region_code", "wage_arrears.division_unknown")) from None
