"""The mediator's desk, continued: extending a case's mediation period by both parties'
agreement (LDA Art. 14; the form sits on the case page), and a centre's page (its mediators, its
派出庭 and, for an enterprise committee, its make-up and who may apply to it: LDA Art. 10)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_gateway.console import action_forms
from labornet_gateway.console.clients import mediation_admin
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.pages.mediation import MEDIATION_ROLES, _case_page
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()


def extension_body(form) -> dict:
    days = action_forms.text(form, "extra_days")
    return action_forms.blank_free(
        {
            "extra_days": int(days) if days.isdigit() else days,
            "worker_agrees": bool(form.get("worker_agrees")),
            "employer_agrees": bool(form.get("employer_agrees")),
            "agreed_on": action_forms.text(form, "agreed_on"),
            "note": action_forms.text(form, "note"),
        }
    )


@router.post("/console/mediation/extensions/{case_id}")
async def extend(request: Request, session: SessionDep, case_id: str) -> Response:
    require_role(session, *MEDIATION_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        await mediation_admin.extend(Api(request, session.token), case_id, extension_body(form))
    except ApiError as exc:
        if exc.status in (401, 404):
            raise
        errors = dict(exc.field_errors)
        message = exc.title_zh if not errors else "请检查标出的字段后重新提交。"
        values = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
        return await _case_page(request, session, case_id, failed="extension", message=message, errors=errors, v=values)
    return redirect(f"/console/mediation/cases/{case_id}?done=extension")


@router.get("/console/mediation/centres/{centre_id}")
async def centre(request: Request, session: SessionDep, centre_id: str) -> Response:
    require_role(session, *MEDIATION_ROLES)
    found = await mediation_admin.centre(Api(request, session.token), centre_id)
    return page(request, "mediation/centre.html", session=session, centre=found)
