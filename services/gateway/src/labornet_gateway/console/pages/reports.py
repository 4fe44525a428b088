"""The labour-relations monitoring dashboard (劳动关系监测): the figures of the signed-in user's
regions from the reporting API, each with its definition, drawn as printable charts; for the
administrator, the read model's rebuild; and the register of named 和谐劳动关系 enterprises the
dashboard checks (searched and filtered; an administrator names and removes them)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console import labels, listing
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.charts import bars
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()
URL = "/console/reports"
REGISTER = f"{URL}/enterprises"
REGISTER_PATH = "/api/v1/reports/named-enterprises"
ENTERPRISE_STATES = {"named": "在册", "removed": "已移除"}
REGISTER_DONE = {"named": "已登记和谐劳动关系企业。", "removed": "已从名册移除，该企业不再列入动态核查。"}


def _street(code: str) -> str:
    return labels.division_name(code) or code if code else "未到街道"


def charts(figures: dict[str, Any]) -> dict[str, str]:
    on_time = {
        **{f"调解 {k or '未记录'}": v["percent"] or 0 for k, v in figures["mediation_on_time"].items()},
        **{f"仲裁 {k or '未记录'}": v["percent"] or 0 for k, v in figures["arbitration_on_time"].items()},
    }
    return {
        "by_month": bars("按月受理件数", figures["by_month"]),
        "by_channel": bars(
            "按渠道受理件数", {labels.label(labels.CHANNELS, k): v for k, v in figures["by_channel"].items()}
        ),
        "by_street": bars(
            "按乡镇街道受理件数", {_street(k): v for k, v in figures["by_street"].items()}, horizontal=True
        ),
        "on_time": bars("时限办结率（%）", on_time, horizontal=True, unit="%"),
    }


@router.get(URL)
async def dashboard(
    request: Request, session: SessionDep, done: str = "", message: str = "", region: str = ""
) -> Response:
    params = {"region": region} if region else {}
    found = await Api(request, session.token).get("/api/v1/reports/dashboard", params=params)
    return page(
        request,
        "reports/dashboard.html",
        session=session,
        report=found,
        f=found["figures"],
        d=found["definitions"],
        charts=charts(found["figures"]),
        is_admin=session.principal.has_role(Role.admin),
        done=done,
        message=message,
        region=region,
    )


# -- the register of named 和谐劳动关系 enterprises --------------------------------------------------


async def _register(request: Request, session: SessionDep, status_code: int = 200, **context: Any) -> Response:
    """Every entry of the register seen from the user's regions matching the filters (all pages)."""
    view = await listing.read_list(Api(request, session.token), REGISTER_PATH, listing.filters(request))
    context.setdefault("errors", {})
    context.setdefault("message", "")
    context.setdefault("v", {})
    return page(
        request,
        "reports/enterprises.html",
        status_code,
        session=session,
        view=view,
        states=ENTERPRISE_STATES,
        is_admin=session.principal.has_role(Role.admin),
        **context,
    )


@router.get(f"{REGISTER}/export")
async def export_register(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The register as filtered on the page, as CSV or XLSX (noted in the trail of exports)."""
    return await listing.export(Api(request, session.token), REGISTER_PATH, listing.filters(request), format)


@router.get(REGISTER)
async def register(request: Request, session: SessionDep, done: str = "") -> Response:
    return await _register(request, session, done=REGISTER_DONE.get(done, ""))


def _refused(exc: ApiError) -> dict[str, Any]:
    if exc.status in (401, 404):
        raise exc
    return {
        "status_code": exc.status,
        "message": exc.title_zh or "提交失败，请稍后再试。",
        "errors": {name.removeprefix("body."): text for name, text in exc.field_errors.items()},
    }


@router.post(REGISTER)
async def name_enterprise(request: Request, session: SessionDep) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    values = {k: text(form, k) for k in ("name", "uscc", "level", "named_on", "region")}
    try:
        await Api(request, session.token).post(REGISTER_PATH, json=blank_free(values))
    except ApiError as exc:
        return await _register(request, session, failed="name", v=values, **_refused(exc))
    return redirect(f"{REGISTER}?done=named")


@router.post(REGISTER + "/{enterprise_id}/removal")
async def remove_enterprise(request: Request, session: SessionDep, enterprise_id: str) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        await Api(request, session.token).post(
            f"{REGISTER_PATH}/{enterprise_id}/removal", json={"reason": text(form, "reason")}
        )
    except ApiError as exc:
        return await _register(request, session, failed=enterprise_id, **_refused(exc))
    return redirect(f"{REGISTER}?done=removed")


@router.post(URL + "/{action}")
async def act(request: Request, session: SessionDep, action: Literal["rebuild"]) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        started = await Api(request, session.token).post("/api/v1/reports/rebuilds")
    except ApiError as exc:
        return redirect(f"{URL}?message={exc.title_zh}")
    return redirect(f"{URL}?done=rebuild-{started['id']}")
