"""The labour-relations monitoring dashboard (劳动关系监测): the figures of the signed-in user's
regions from the reporting API, each with its definition, drawn as printable charts; for the
administrator, the register of named 和谐劳动关系 enterprises and the read model's rebuild."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.auth import Role
from labornet_gateway.console import labels
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.charts import bars
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()
URL = "/console/reports"


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


@router.post(URL + "/{action}")
async def act(request: Request, session: SessionDep, action: str) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    api = Api(request, session.token)
    try:
        if action == "rebuild":
            started = await api.post("/api/v1/reports/rebuilds")
            return redirect(f"{URL}?done=rebuild-{started['id']}")
        if action == "enterprise":
            body = blank_free({k: text(form, k) for k in ("name", "uscc", "level", "named_on", "region")})
            await api.post("/api/v1/reports/named-enterprises", json=body)
            return redirect(f"{URL}?done=enterprise")
    except ApiError as exc:
        return redirect(f"{URL}?message={exc.title_zh}")
    return redirect(URL)
