"""The administrator's arbitrator roster desk (仲裁员名册, LDA Art. 20): the arbitrators of each
commission, serving or retired, and the roster's change log; forms to add, move and retire an
arbitrator. A move or a retirement forms again every unfinished tribunal the arbitrator sat on,
with another arbitrator of the commission: the page lists those reassignments (case, from, to),
read from the change log, the change just made first. Every change goes through the
arbitration API as the signed-in administrator, so the region scope, the event and the audit
trail apply unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from labornet_common.security.auth import Role
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.clients import arbitration_admin
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, ConsoleSession, SessionDep, check_csrf

router = APIRouter()
URL = "/console/admin/arbitrators"
Action = Literal["enrol", "move", "retire"]
DONE = {
    "enrol": "已将仲裁员列入名册。",
    "move": "已调动仲裁员；其在原仲裁委员会未结案件的仲裁庭已重新组成，并书面通知当事人。",
    "retire": "仲裁员已退出名册；已结案件保留原仲裁庭，未结案件的仲裁庭已重新组成，并书面通知当事人。",
}


def _actions(api: Api, form: FormData) -> dict[str, Callable[[], Awaitable[Any]]]:
    return {
        "enrol": lambda: arbitration_admin.enrol(
            api,
            blank_free(
                {
                    "commission_id": text(form, "commission_id"),
                    "name": text(form, "name"),
                    "subject": text(form, "subject"),
                    "arbitrator_id": text(form, "arbitrator_id"),
                }
            ),
        ),
        "move": lambda: arbitration_admin.move(api, text(form, "arbitrator_id"), text(form, "commission_id")),
        "retire": lambda: arbitration_admin.retire(api, text(form, "arbitrator_id"), text(form, "reason")),
    }


async def _page(request: Request, session: ConsoleSession, *, changed: str = "", **context: Any) -> Response:
    api = Api(request, session.token)
    context.setdefault("errors", {})
    context.setdefault("v", {})
    commissions = {c["id"]: c for c in await arbitration_admin.commissions(api)}
    changes = await arbitration_admin.changes(api)
    return page(
        request,
        "admin/arbitrators.html",
        session=session,
        commissions=commissions,
        arbitrators=await arbitration_admin.arbitrators(api),
        changes=changes,
        changed=changed,
        reassignments=reassignments(changes, first=changed),
        **context,
    )


def reassignments(changes: list[dict[str, Any]], *, first: str = "") -> list[dict[str, Any]]:
    """Each seat handed over by a move or a retirement in the change log (newest change first),
    the changes of the arbitrator ``first`` before the others."""
    rows = [
        {**seat, "changed_at": change["changed_at"], "action": change["action"]}
        for change in changes
        for seat in change.get("detail", {}).get("reassigned", [])
    ]
    return sorted(rows, key=lambda r: r["from_arbitrator_id"] != first)


@router.get(URL)
async def arbitrators(request: Request, session: SessionDep, done: str = "", arbitrator: str = "") -> Response:
    require_role(session, Role.admin)
    changed = arbitrator if done in ("move", "retire") else ""
    return await _page(request, session, done=DONE.get(done, ""), changed=changed)


@router.post(URL + "/{action}")
async def act(request: Request, session: SessionDep, action: Action) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        result = await _actions(Api(request, session.token), form)[action]()
    except ApiError as exc:
        if exc.status == 401:
            raise
        errors = dict(exc.field_errors)
        message = exc.title_zh if not errors else "请检查标出的字段后重新提交。"
        if exc.status == 404:
            message = "未找到该仲裁员，或其不在您的管理范围内。"
        if exc.code == "arbitration.no_successor":  # name the cases that have nobody to take the seat
            blocked = await arbitration_admin.open_cases(Api(request, session.token), text(form, "arbitrator_id"))
            message = refused_for_want_of_successor(exc.title_zh, blocked)
        values = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
        return await _page(request, session, failed=action, message=message, errors=errors, v=values)
    return redirect(f"{URL}?done={action}&arbitrator={result['arbitrator_id']}")


def refused_for_want_of_successor(title_zh: str, blocked: list[dict[str, Any]]) -> str:
    """The refusal's title with the case numbers (or application ids) it was refused for."""
    named = "、".join(c.get("case_number") or c["application_id"] for c in blocked)
    return f"{title_zh}：{named}。" if named else title_zh
