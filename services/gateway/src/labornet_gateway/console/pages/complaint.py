"""A complaint's page for staff: what was filed, the documents intake issued for it (补正通知书,
移送函) with their PDFs, and, for the window's clerk, the correction notice (every missing
material at once and the day to supply them by: 办案规则 Arts. 29 and 46(二); intake decides
whether it may still be issued and who may read what)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console import documents
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.clients import intake
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()
PAGE = "/console/complaints/{case_id}"
API = "/api/v1/complaints"
STAFF_ROLES = (Role.clerk, Role.mediator, Role.arbitrator, Role.inspector, Role.admin)
NOTICE_ROLES = (Role.clerk, Role.admin)


async def _page(request: Request, session: Any, case_id: str, status_code: int = 200, **context: Any) -> Response:
    api = Api(request, session.token)
    complaint = await intake.read_complaint(api, case_id)
    listed = await documents.listed(api, f"{API}/{case_id}/documents")
    return page(
        request,
        "clerk/complaint.html",
        status_code=status_code,
        session=session,
        complaint=complaint,
        documents=listed,
        may_notice=session.principal.has_role(*NOTICE_ROLES),
        done=request.query_params.get("done", ""),
        **{"errors": {}, "message": "", "v": {}, **context},
    )


@router.get(PAGE)
async def complaint(request: Request, session: SessionDep, case_id: str) -> Response:
    require_role(session, *STAFF_ROLES)
    return await _page(request, session, case_id)


@router.post(PAGE + "/correction-notice")
async def correction_notice(request: Request, session: SessionDep, case_id: str) -> Response:
    """The clerk's 补正通知书: one missing material a line; a changed list is a new version."""
    require_role(session, *NOTICE_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    missing = [line.strip() for line in text(form, "missing").splitlines() if line.strip()]
    body = blank_free({"missing": missing, "due_on": text(form, "due_on")})
    try:
        await Api(request, session.token).post(f"{API}/{case_id}/correction-notice", json=body)
    except ApiError as exc:
        if exc.status in (401, 404):
            raise
        errors = {("missing" if k.startswith("missing") else k): v for k, v in exc.field_errors.items()}
        message = "请检查标出的字段后重新提交。" if errors else exc.title_zh
        values = {"missing": text(form, "missing"), "due_on": text(form, "due_on")}
        return await _page(request, session, case_id, exc.status, errors=errors, message=message, v=values)
    return redirect(f"/console/complaints/{case_id}?done=correction-notice#documents")


@router.get(PAGE + "/documents/{document_id}.pdf")
async def document_pdf(request: Request, session: SessionDep, case_id: str, document_id: str) -> Response:
    """A 补正通知书 or 移送函 (a version of it) as PDF."""
    require_role(session, *STAFF_ROLES)
    return await documents.pdf_download(
        request, session.token, f"{API}/{case_id}/documents/{document_id}/pdf", document_id
    )
