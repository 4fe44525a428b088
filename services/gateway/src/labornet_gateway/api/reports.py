"""The labour-relations monitoring figures (劳动关系监测) of the caller's regions, the register
of named 和谐劳动关系 enterprises the figures check, and the read model's rebuild."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, field_validator

from labornet_common.contracts.events import utcnow
from labornet_common.platform.app import RuntimeDep
from labornet_common.platform.clock import china_today
from labornet_common.platform.context import request_id_var
from labornet_common.platform.errors import FieldError, Problem, invalid, not_found
from labornet_common.platform.exports import ROWS_HEADER, ExportColumn, ExportFormatQuery, export_list, export_responses
from labornet_common.platform.listing import ListQuery, ListQueryDep
from labornet_common.security.auth import NATIONWIDE, Principal, Role
from labornet_common.standards.uscc import is_valid_uscc
from labornet_gateway import messages as _messages  # noqa: F401  (registers the message catalogue)
from labornet_gateway.api.webhooks import AdminDep, current_principal
from labornet_gateway.domain.reports import DEFINITIONS, NamedEnterprise, Rate
from labornet_gateway.service import exports, reports

router = APIRouter(prefix="/api/v1", tags=["reports"])


def staff(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.roles or set(principal.roles) <= {Role.worker}:
        raise Problem(403, "forbidden")
    return principal


StaffDep = Annotated[Principal, Depends(staff)]


def _plain(value: Any) -> Any:
    if isinstance(value, Rate):
        return {**asdict(value), "percent": value.percent}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def regions_of(who: Principal, region: str | None) -> list[str]:
    """The caller's regions, or the one region asked for when it lies within them (422 naming
    ``region`` otherwise: a region outside one's scope is not shown)."""
    if not region:
        return list(who.region_scopes)
    if not who.in_region(region):
        raise invalid(FieldError.of("region", "forbidden"))
    return [region]


@router.get("/reports/dashboard")
async def dashboard(
    runtime: RuntimeDep,
    who: StaffDep,
    region: Annotated[
        str | None, Query(pattern=r"^\d{2,9}$", description="a division code within the caller's regions")
    ] = None,
) -> dict[str, Any]:
    """Every figure of the dashboard for the caller's regions (or one region within them), each
    with its definition."""
    scopes = regions_of(who, region)
    figures = await reports.dashboard(uow=runtime.uow(), scopes=scopes, today=china_today())
    return {"regions": scopes, "figures": _plain(figures), "definitions": DEFINITIONS}


class EnterpriseCreate(BaseModel):
    name: str = Field(min_length=2, max_length=200)
    uscc: str = Field(default="", max_length=18)
    level: str = Field(default="", max_length=20, description="国家级 / 省级 / 市级 / 县级")
    named_on: date | None = None
    region: str = Field(min_length=2, max_length=9, pattern=r"^\d+$", description="the naming region's division code")

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        if value and not is_valid_uscc(value):
            raise ValueError("not a valid unified social credit code (GB 32100-2015)")
        return value


class EnterpriseRead(BaseModel):
    enterprise_id: str
    name: str
    uscc: str
    level: str
    named_on: date | None
    region: str
    named_by: str
    named_at: datetime
    status: Literal["named", "removed"] = Field(description="removed: off the register and the dashboard's check")
    removed_at: datetime | None
    removed_by: str | None
    removal_reason: str | None

    @field_validator("named_at", "removed_at")
    @classmethod
    def _with_offset(cls, value: datetime | None) -> datetime | None:
        # Stored in UTC; a database without time zones (SQLite) gives them back without one.
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class EnterprisePage(BaseModel):
    items: list[EnterpriseRead]
    next_cursor: str | None = None


class EnterpriseRemoval(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="why the naming no longer holds")


@router.get("/reports/named-enterprises", response_model=EnterprisePage)
async def list_enterprises(runtime: RuntimeDep, who: StaffDep, query: ListQueryDep) -> EnterprisePage:
    """The register of named 和谐劳动关系 enterprises seen from the caller's regions (those the
    dashboard checks there, and those removed): ``q`` finds the name or USCC; ``status``: named,
    removed; ``from``/``to`` on the day entered; ``sort``: named_desc, named_asc; ``next_cursor``."""
    items, cursor = await reports.list_enterprises(uow=runtime.uow(), scopes=list(who.region_scopes), query=query)
    return EnterprisePage(items=[EnterpriseRead.model_validate(i) for i in items], next_cursor=cursor)


ENTERPRISE_STATES_ZH = {"named": "在册", "removed": "已移除"}
ENTERPRISE_COLUMNS = (
    ExportColumn("name", "企业名称"),
    ExportColumn("uscc", "统一社会信用代码"),
    ExportColumn("level", "命名级别"),
    ExportColumn("named_on", "命名日期"),
    ExportColumn("region", "命名地区"),
    ExportColumn("status", "状态", lambda i: ENTERPRISE_STATES_ZH.get(i["status"], i["status"])),
    ExportColumn("named_at", "登记时间"),
    ExportColumn("named_by", "登记人"),
    ExportColumn("removed_at", "移除时间"),
    ExportColumn("removed_by", "移除人"),
    ExportColumn("removal_reason", "移除理由"),
    ExportColumn("enterprise_id", "名册编号"),
)
ENTERPRISE_LIST = "reports.named_enterprises"


@router.get("/reports/named-enterprises/export", response_class=StreamingResponse, responses=export_responses())
async def export_enterprises(
    request: Request, runtime: RuntimeDep, who: StaffDep, query: ListQueryDep, fmt: ExportFormatQuery
) -> StreamingResponse:
    """The register with the same search, filters and order as ``GET /reports/named-enterprises``,
    as CSV or XLSX; noted in the trail of exports before the file leaves (503 when it cannot be)."""
    scopes = list(who.region_scopes)

    async def read(page: ListQuery) -> tuple[list[dict[str, Any]], str | None]:
        return await reports.list_enterprises(uow=runtime.uow(), scopes=scopes, query=page)

    response = await export_list(
        read_page=read,
        query=query,
        columns=ENTERPRISE_COLUMNS,
        fmt=fmt,
        list_name=ENTERPRISE_LIST,
        sheet_title="和谐劳动关系企业名册",
    )
    try:
        await exports.record_export(
            uow=runtime.uow(),
            principal=who,
            list_name=ENTERPRISE_LIST,
            route=request.url.path,
            params=list(request.query_params.multi_items()),
            fmt=fmt.value,
            rows=int(response.headers[ROWS_HEADER]),
            request_id=request_id_var.get() or "",
        )
    except Exception as exc:
        raise Problem(503, "audit_unavailable", headers={"Retry-After": "2"}) from exc
    return response


@router.post("/reports/named-enterprises", status_code=201, response_model=EnterpriseRead)
async def name_enterprise(body: EnterpriseCreate, runtime: RuntimeDep, who: AdminDep) -> EnterpriseRead:
    """Enter an enterprise named 和谐劳动关系 (创建示范单位) by the tripartite body of a region;
    announced on reference.organisations.v1 (HarmoniousEnterpriseNamed)."""
    if NATIONWIDE not in who.region_scopes and not who.in_region(body.region):
        raise invalid(FieldError.of("region", "reports.enterprise_region"))
    named = NamedEnterprise(name=body.name, uscc=body.uscc, level=body.level, named_on=body.named_on)
    entry = await reports.name_enterprise(
        uow=runtime.uow(), named=named, region=body.region, named_by=who.subject, now=utcnow()
    )
    return EnterpriseRead.model_validate(entry)


@router.post("/reports/named-enterprises/{enterprise_id}/removal", response_model=EnterpriseRead)
async def remove_enterprise(
    enterprise_id: str, body: EnterpriseRemoval, runtime: RuntimeDep, who: AdminDep
) -> EnterpriseRead:
    """Take a naming off the register (withdrawn, or entered in error): the dashboard no longer
    checks the enterprise; announced as HarmoniousEnterpriseRemoved. The entry is kept, marked
    removed, with who removed it and why. 404 outside the caller's regions, 409 when removed."""
    entry = await reports.remove_enterprise(
        uow=runtime.uow(),
        scopes=list(who.region_scopes),
        enterprise_id=enterprise_id,
        reason=body.reason.strip(),
        removed_by=who.subject,
        now=utcnow(),
    )
    return EnterpriseRead.model_validate(entry)


@router.post("/reports/rebuilds", status_code=202)
async def rebuild(runtime: RuntimeDep, who: AdminDep) -> dict[str, str]:
    """Drop the read model and replay every case topic from its start (nationwide admins)."""
    if NATIONWIDE not in who.region_scopes:
        raise Problem(403, "forbidden")
    rebuild_id = await reports.start_rebuild(runtime=runtime, requested_by=who.subject)
    if rebuild_id is None:
        raise Problem(409, "conflict", "a rebuild of the reports is already running")
    return {"id": rebuild_id, "status": "running"}


@router.get("/reports/rebuilds/{rebuild_id}")
async def rebuild_status(rebuild_id: str, runtime: RuntimeDep, who: AdminDep) -> dict[str, Any]:
    found = await reports.rebuild_status(uow=runtime.uow(), rebuild_id=rebuild_id)
    if found is None or NATIONWIDE not in who.region_scopes:
        raise not_found()
    return found
