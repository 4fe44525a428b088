"""The administrator's roster desk: the centres of their region (with their 派出庭), the
mediators, and the register's change log; forms to add, move and retire a mediator, to add or
change a centre (an enterprise committee with its make-up, LDA Art. 10) and retire one, and to add
or retire a dispatched tribunal. Every change goes through the mediation API as the signed-in
administrator, so the region scope, the event and the audit trail apply unchanged."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from labornet_common.security.auth import Role
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.clients import mediation_admin
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, ConsoleSession, SessionDep, check_csrf

router = APIRouter()
URL = "/console/admin/roster"
Action = Literal["enrol", "move", "retire", "centre", "retire-centre", "tribunal", "retire-tribunal"]
DONE = {
    "enrol": "已添加调解员。",
    "move": "已调动调解员；其在办案件留在原调解组织，已改派或待指派。",
    "retire": "已注销调解员；其在办案件已改派或待指派。",
    "centre": "已保存调解组织。",
    "retire-centre": "已撤销调解组织。",
    "tribunal": "已保存派出仲裁庭。",
    "retire-tribunal": "已撤销派出仲裁庭。",
}


def _int(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def centre_body(form: FormData) -> dict[str, Any]:
    serves = [code.strip() for code in text(form, "serves").replace("，", ",").split(",") if code.strip()]
    body = blank_free(
        {
            "centre_id": text(form, "centre_id"),
            "kind": text(form, "kind"),
            "name": text(form, "name"),
            "division_code": text(form, "division_code"),
            "tribunal_id": text(form, "tribunal_id"),
            "employer_name": text(form, "employer_name"),
            "employer_uscc": text(form, "employer_uscc"),
        }
    )
    body["serves"] = serves
    if body.get("kind") == "enterprise":
        body["composition"] = {
            "worker_representatives": _int(text(form, "worker_representatives") or "0"),
            "employer_representatives": _int(text(form, "employer_representatives") or "0"),
            "chair": text(form, "chair"),
        }
    return body


def _actions(api: Api, form: FormData) -> dict[str, Callable[[], Awaitable[Any]]]:
    return {
        "enrol": lambda: mediation_admin.enrol(
            api,
            blank_free(
                {"centre_id": text(form, "centre_id"), "name": text(form, "name"), "subject": text(form, "subject")}
            ),
        ),
        "move": lambda: mediation_admin.move(api, text(form, "mediator_id"), text(form, "centre_id")),
        "retire": lambda: mediation_admin.retire(api, text(form, "mediator_id"), text(form, "reason")),
        "centre": lambda: mediation_admin.register_centre(api, centre_body(form)),
        "retire-centre": lambda: mediation_admin.retire_centre(api, text(form, "centre_id")),
        "tribunal": lambda: mediation_admin.register_tribunal(
            api,
            blank_free(
                {
                    "tribunal_id": text(form, "tribunal_id"),
                    "name": text(form, "name"),
                    "commission_id": text(form, "commission_id"),
                    "division_code": text(form, "division_code"),
                    "centre_id": text(form, "centre_id"),
                }
            ),
        ),
        "retire-tribunal": lambda: mediation_admin.retire_tribunal(api, text(form, "tribunal_id")),
    }


async def _page(request: Request, session: ConsoleSession, **context: Any) -> Response:
    api = Api(request, session.token)
    context.setdefault("errors", {})
    context.setdefault("v", {})
    return page(
        request,
        "admin/roster.html",
        session=session,
        centres=await mediation_admin.centres(api),
        mediators=await mediation_admin.mediators(api),
        changes=await mediation_admin.changes(api),
        **context,
    )


@router.get(URL)
async def roster(request: Request, session: SessionDep, done: str = "") -> Response:
    require_role(session, Role.admin)
    return await _page(request, session, done=DONE.get(done, ""))


@router.post(URL + "/{action}")
async def act(request: Request, session: SessionDep, action: Action) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        await _actions(Api(request, session.token), form)[action]()
    except ApiError as exc:
        if exc.status == 401:
            raise
        errors = dict(exc.field_errors)
        message = exc.title_zh if not errors else "请检查标出的字段后重新提交。"
        if exc.status == 404:
            message = "未找到该调解员或机构，或不在您的管理范围内。"
        values = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
        return await _page(request, session, failed=action, message=message, errors=errors, v=values)
    return redirect(f"{URL}?done={action}")
