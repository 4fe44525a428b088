"""The mediator's desk: my queue by deadline, a case with its 15-day clock and history, and the
actions (accept, schedule a session, record an agreement with money and non-money terms or a
failure, record each term performed or breached, ask for a payment order, transfer to arbitration).

Each action is a form POST answered with a redirect back to the case (so a reload repeats
nothing); what the API refuses is shown on the case page next to the form that sent it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console import action_forms, documents, listing
from labornet_gateway.console.clients import mediation
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, ConsoleSession, SessionDep, check_csrf

router = APIRouter()
MEDIATION_ROLES = (Role.mediator, Role.admin)
DONE = {
    "accept": "已受理本案。",
    "sessions": "已安排调解。",
    "failure": "已记录调解不成。",
    "transfer": "已转交仲裁。",
    "agreement": "已记录调解协议。",
    "performance": "已记录协议履行情况。",
    "payment-order": "已申请支付令。",
    "extension": "已记录双方当事人同意延长调解期限。",  # pages/mediation_practice.py
}
Action = Literal["accept", "sessions", "failure", "transfer", "agreement", "performance", "payment-order"]


def _actions(api: Api, case_id: str, form: Any) -> dict[str, Callable[[], Awaitable[Any]]]:
    return {
        "accept": lambda: mediation.accept(api, case_id),
        "sessions": lambda: mediation.schedule_session(api, case_id, action_forms.session_body(form)),
        "failure": lambda: mediation.fail(api, case_id, action_forms.failure_body(form)),
        "transfer": lambda: mediation.transfer(api, case_id),
        "agreement": lambda: mediation.record_agreement(api, case_id, action_forms.agreement_body(form)),
        "performance": lambda: mediation.record_performance(api, case_id, action_forms.performance_body(form)),
        "payment-order": lambda: mediation.request_payment_order(api, case_id),
    }


QUEUE_PATH = "/api/v1/mediation/queue"
# The 15-day clock's states the list filters on (LDA Art. 14).
QUEUE_CLOCKS = {"running": "计时中", "overdue": "已超期", "stopped": "已停止计时"}


@router.get("/console/mediation")
async def my_queue(request: Request, session: SessionDep):
    """My queue, searched and filtered (every page of it), nearest deadline first by default."""
    require_role(session, *MEDIATION_ROLES)
    view = await listing.read_list(Api(request, session.token), QUEUE_PATH, listing.filters(request))
    sort = view.value("sort") or "deadline"
    return page(
        request, "mediation/queue.html", session=session, cases=view.items, view=view, sort=sort, clocks=QUEUE_CLOCKS
    )


@router.get("/console/mediation/export")
async def export_queue(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The queue as filtered on the page, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *MEDIATION_ROLES)
    return await listing.export(Api(request, session.token), QUEUE_PATH, listing.filters(request), format)


async def _case_page(request: Request, session: ConsoleSession, case_id: str, **context: Any) -> Response:
    api = Api(request, session.token)
    case = await mediation.case(api, case_id)
    context.setdefault("documents", await documents.listed(api, f"{mediation.BASE}/cases/{case_id}/documents"))
    context.setdefault("errors", {})
    context.setdefault("v", {})
    return page(request, "mediation/case.html", session=session, case=case, term_rows=range(3), **context)


@router.get("/console/mediation/cases/{case_id}")
async def case_detail(request: Request, session: SessionDep, case_id: str, done: str = "") -> Response:
    require_role(session, *MEDIATION_ROLES)
    return await _case_page(request, session, case_id, done=DONE.get(done, ""))


@router.post("/console/mediation/cases/{case_id}/{action}")
async def act(request: Request, session: SessionDep, case_id: str, action: Action) -> Response:
    require_role(session, *MEDIATION_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        await _actions(Api(request, session.token), case_id, form)[action]()
    except ApiError as exc:
        if exc.status in (401, 404):
            raise
        errors = {action_forms.form_field(k): v for k, v in exc.field_errors.items()}
        if action == "performance":
            errors = action_forms.rows_renamed(errors, action_forms.performance_rows(form))
        message = exc.title_zh if not errors else "请检查标出的字段后重新提交。"
        values = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
        return await _case_page(request, session, case_id, failed=action, message=message, errors=errors, v=values)
    return redirect(f"/console/mediation/cases/{case_id}?done={action}")


@router.get("/console/mediation/cases/{case_id}/agreement")
async def agreement(request: Request, session: SessionDep, case_id: str) -> Response:
    require_role(session, *MEDIATION_ROLES)
    document = await mediation.agreement_document(Api(request, session.token), case_id)
    return page(request, "mediation/agreement.html", session=session, case_id=case_id, document=document)


@router.get("/console/mediation/cases/{case_id}/documents/{document_id}.pdf")
async def document_pdf(request: Request, session: SessionDep, case_id: str, document_id: str) -> Response:
    """The issued 调解协议书 (a version of it) as PDF."""
    require_role(session, *MEDIATION_ROLES)
    path = f"{mediation.BASE}/cases/{case_id}/documents/{document_id}/pdf"
    return await documents.pdf_download(request, session.token, path, document_id)
