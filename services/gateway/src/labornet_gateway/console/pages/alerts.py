"""The wage-arrears desk: open alerts by severity (red, orange, yellow), and their lifecycle.

Each button is a form POST answered with a redirect back to the board; a refusal (wrong state,
missing reason) is shown on the alert it concerns.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.auth import Role
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


async def _board(request: Request, session: ConsoleSession, **context: Any) -> Response:
    found = await wage_arrears.alerts(Api(request, session.token))
    active = [a for a in found if a["state"] in ACTIVE_STATES]
    by_severity = {s: [a for a in active if a["severity"] == s] for s in SEVERITIES}
    return page(request, "alerts/board.html", session=session, by_severity=by_severity, **context)


@router.get("/console/alerts")
async def board(request: Request, session: SessionDep, done: str = "") -> Response:
    require_role(session, *DESK_ROLES)
    return await _board(request, session, done=DONE.get(done, ""))


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
