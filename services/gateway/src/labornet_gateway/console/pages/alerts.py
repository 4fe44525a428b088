"""The wage-arrears desk: open alerts by severity (red, orange, yellow), and their lifecycle.

Each button is a form POST answered with a redirect back to the board; a refusal (wrong state,
missing reason) is shown on the alert it concerns.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console import listing
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.clients import wage_arrears
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, ConsoleSession, SessionDep, check_csrf

router = APIRouter()
DESK_ROLES = (Role.inspector, Role.admin)
SEVERITIES = ("red", "orange", "yellow")
ACTIVE_STATES = ("open", "acknowledged", "dispatched")
DONE = {"acknowledge": "已签收预警。", "dispatch": "已派发处置。", "resolve": "已办结预警。", "close": "已关闭预警。"}
Action = Literal["acknowledge", "dispatch", "resolve", "close"]


LIST_PATH = "/api/v1/wage-arrears/alerts"
ALERT_STATES = {
    "open": "待签收",
    "acknowledged": "已签收",
    "dispatched": "已派发",
    "resolved": "已处置",
    "closed": "已结案",
}
ALERT_CLOCKS = {"running": "处置时限内", "overdue": "已超过处置时限", "stopped": "不计时"}


def _board_filters(request: Request) -> dict[str, Any]:
    params = listing.filters(request)
    params.setdefault("status", list(ACTIVE_STATES))  # the alerts still to work, unless chosen
    return params


async def _board(request: Request, session: ConsoleSession, **context: Any) -> Response:
    """Every alert in scope matching the filters (all pages), by severity."""
    view = await listing.read_list(Api(request, session.token), LIST_PATH, _board_filters(request))
    by_severity = {s: [a for a in view.items if a["severity"] == s] for s in SEVERITIES}
    return page(
        request,
        "alerts/board.html",
        session=session,
        by_severity=by_severity,
        view=view,
        states=ALERT_STATES,
        clocks=ALERT_CLOCKS,
        **context,
    )


@router.get("/console/alerts/export")
async def export_alerts(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The alerts as filtered on the board, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *DESK_ROLES)
    return await listing.export(Api(request, session.token), LIST_PATH, _board_filters(request), format)


@router.get("/console/alerts")
async def board(request: Request, session: SessionDep, done: str = "") -> Response:
    require_role(session, *DESK_ROLES)
    return await _board(request, session, done=DONE.get(done, ""))


# -- recommended criminal referrals ----------------------------------------------------------------

REFERRALS = "/console/referrals"
REFERRALS_PATH = "/api/v1/wage-arrears/referrals"


@router.get(f"{REFERRALS}/export")
async def export_referrals(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The referrals as filtered on the page, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *DESK_ROLES)
    return await listing.export(Api(request, session.token), REFERRALS_PATH, listing.filters(request), format)


@router.get(REFERRALS)
async def referrals(request: Request, session: SessionDep) -> Response:
    """Every recommended referral in scope matching the filters (all pages), newest first."""
    require_role(session, *DESK_ROLES)
    view = await listing.read_list(Api(request, session.token), REFERRALS_PATH, listing.filters(request))
    return page(request, "alerts/referrals.html", session=session, view=view, states=ALERT_STATES, clocks=ALERT_CLOCKS)


@router.post("/console/alerts/{alert_id}/{action}")
async def act(request: Request, session: SessionDep, alert_id: str, action: Action) -> Response:
    require_role(session, *DESK_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    api = Api(request, session.token)
    try:
        if action == "acknowledge":
            await wage_arrears.acknowledge(api, alert_id)
        elif action == "dispatch":
            body = {"to": text(form, "to"), "region_code": text(form, "region_code"), "note": text(form, "note")}
            await wage_arrears.dispatch(api, alert_id, blank_free(body))
        else:  # resolve or close, each with its reason
            await wage_arrears.finish(api, alert_id, action, blank_free({"reason": text(form, "reason")}))
    except ApiError as exc:
        if exc.status in (401, 404):
            raise
        message = "；".join(exc.field_errors.values()) or exc.title_zh
        return await _board(request, session, failed=alert_id, message=message)
    return redirect(f"/console/alerts?done={action}")
