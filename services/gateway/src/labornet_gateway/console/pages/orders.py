"""The inspectors' records: written orders to pay within a limit (责令限期支付, 劳动保障监察条例
Art. 26) with their service and what the employer has paid, and the mass or extreme incidents
arrears caused (人社部令第45号 Art. 5(二)).

An order served and left unpaid past its limit is what both the blacklist (人社部令第45号 Art. 5)
and a criminal referral (刑法 Art. 276-1) start from: the list marks it 逾期未支付. Each form is
a POST answered with a redirect back to its page; what the API refuses is shown in Chinese next
to the form (and the field) that sent it. A form opened from an alert (``?alert=``) comes filled
in with the alert's employer and cases.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from labornet_common.platform.clock import china_today
from labornet_common.security.auth import Role
from labornet_gateway.console import listing, record_forms
from labornet_gateway.console.clients import wage_arrears
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, ConsoleSession, SessionDep, check_csrf

router = APIRouter()
DESK_ROLES = (Role.inspector, Role.admin)
ORDERS = "/console/orders"
INCIDENTS = "/console/incidents"
DONE = {
    "issued": "已登记责令支付文书。送达后请及时登记送达情况，限期自文书所定之日届满。",
    "issued-again": "该文书此前已登记，内容一致，未重复登记。",
    "service": "已登记送达。",
    "payment": "已登记支付情况。",
    "incident": "已登记欠薪事件。",
    "incident-again": "该事件（同一用人单位、同一日期、同一类型）此前已登记，已按本次填写更新。",
}
REFUSED_TEXT = "请检查标出的字段后重新提交。"
OrderAction = Literal["service", "payment"]
ALERT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _today() -> str:
    return china_today().isoformat()


def _values(form: FormData) -> dict[str, str]:
    return {k: str(v) for k, v in form.items() if k != CSRF_FIELD}


def _refusal(exc: ApiError, form: FormData, *, new_record: bool = False) -> dict[str, Any]:
    """The page's context for a refused form: its status, the message above the form, the
    errors by field, and what was typed (so nothing has to be typed again). A 404 for an
    existing order is the error page; for a new record it means a region outside the user's
    scopes."""
    if exc.status == 401 or (exc.status == 404 and not new_record):
        raise exc
    errors = record_forms.field_errors(exc, form, new_record=new_record)
    message = REFUSED_TEXT if errors else (exc.title_zh or "提交失败，请稍后再试。")
    status = 422 if exc.status == 404 else exc.status
    return {"status_code": status, "message": message, "errors": errors, "v": _values(form)}


async def _prefill(api: Api, alert_id: str) -> dict[str, str]:
    """The new record's form filled in from ``?alert=`` (an id, never a path into another API)."""
    if not ALERT_ID.fullmatch(alert_id):
        return {}
    return record_forms.from_alert(await wage_arrears.alert(api, alert_id))


def _context(session: ConsoleSession, new_form: str, defaults: dict[str, str], context: dict[str, Any]) -> None:
    """Fill in the page's context: ``new_v`` are the values of the page's form for a new record
    (its defaults, the alert's employer, or what was typed when that form was refused)."""
    context.setdefault("errors", {})
    context.setdefault("v", {})
    context.setdefault("failed", None)
    context.setdefault("failed_id", None)
    context.setdefault("message", "")
    regions = record_forms.region_choices(session.principal)
    if len(regions) == 1:
        defaults["region_code"] = regions[0][0]
    typed = context["v"] if context["failed"] in (None, new_form) else {}
    context.update(regions=regions, today=_today(), new_v={**defaults, **typed})


def _by_urgency(order: dict[str, Any]) -> tuple[int, str]:
    """Lapsed first, then served and running, then not yet served, then paid; by limit within."""
    if order["lapsed"]:
        rank = 0
    elif order["unpaid_fen"] == 0:
        rank = 3
    else:
        rank = 1 if order["served_on"] else 2
    return rank, str(order["due_on"])


# -- orders to pay -------------------------------------------------------------------------------


ORDERS_PATH = "/api/v1/wage-arrears/orders"


async def _orders_page(request: Request, session: ConsoleSession, status_code: int = 200, **context: Any) -> Response:
    """Every order in scope matching the search (all pages), the most urgent first."""
    view = await listing.read_list(Api(request, session.token), ORDERS_PATH, listing.filters(request))
    _context(session, "issue", {"kind": "rectification_instruction", "issued_on": _today()}, context)
    return page(
        request,
        "orders/orders.html",
        status_code,
        session=session,
        orders=sorted(view.items, key=_by_urgency),
        view=view,
        yuan_input=record_forms.yuan_input,
        **context,
    )


@router.get(f"{ORDERS}/export")
async def export_orders(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The orders as searched on the page, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *DESK_ROLES)
    return await listing.export(Api(request, session.token), ORDERS_PATH, listing.filters(request), format)


@router.get(ORDERS)
async def orders(request: Request, session: SessionDep, done: str = "", alert: str = "") -> Response:
    require_role(session, *DESK_ROLES)
    v = await _prefill(Api(request, session.token), alert)
    return await _orders_page(request, session, done=DONE.get(done, ""), v=v, from_alert=bool(v))


@router.post(ORDERS)
async def issue(request: Request, session: SessionDep) -> Response:
    require_role(session, *DESK_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        order, new = await wage_arrears.issue_order(Api(request, session.token), record_forms.order_body(form))
    except ApiError as exc:
        refusal = _refusal(exc, form, new_record=True)
        return await _orders_page(request, session, failed="issue", **refusal)
    done = "issued" if new else "issued-again"
    return redirect(f"{ORDERS}?done={done}#order-{order['order_id']}")


@router.post(ORDERS + "/{order_id}/{action}")
async def act(request: Request, session: SessionDep, order_id: str, action: OrderAction) -> Response:
    require_role(session, *DESK_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    api = Api(request, session.token)
    try:
        if action == "service":
            await wage_arrears.record_service(api, order_id, record_forms.service_body(form))
        else:
            await wage_arrears.record_payment(api, order_id, record_forms.payment_body(form))
    except ApiError as exc:
        refusal = _refusal(exc, form)
        return await _orders_page(request, session, failed=action, failed_id=order_id, **refusal)
    return redirect(f"{ORDERS}?done={action}#order-{order_id}")


# -- incidents -----------------------------------------------------------------------------------


INCIDENTS_PATH = "/api/v1/wage-arrears/incidents"


async def _incidents_page(
    request: Request, session: ConsoleSession, status_code: int = 200, **context: Any
) -> Response:
    """Every incident in scope matching the search (all pages), the day it happened newest first
    (the API's order; ``from``/``to`` on that day), as exported."""
    view = await listing.read_list(Api(request, session.token), INCIDENTS_PATH, listing.filters(request))
    _context(session, "incident", {"kind": "mass", "occurred_on": _today()}, context)
    return page(
        request, "orders/incidents.html", status_code, session=session, incidents=view.items, view=view, **context
    )


@router.get(f"{INCIDENTS}/export")
async def export_incidents(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The incidents as searched on the page, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *DESK_ROLES)
    return await listing.export(Api(request, session.token), INCIDENTS_PATH, listing.filters(request), format)


@router.get(INCIDENTS)
async def incidents(request: Request, session: SessionDep, done: str = "", alert: str = "") -> Response:
    require_role(session, *DESK_ROLES)
    v = await _prefill(Api(request, session.token), alert)
    return await _incidents_page(request, session, done=DONE.get(done, ""), v=v, from_alert=bool(v))


@router.post(INCIDENTS)
async def record_incident(request: Request, session: SessionDep) -> Response:
    require_role(session, *DESK_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    try:
        incident, new = await wage_arrears.record_incident(
            Api(request, session.token), record_forms.incident_body(form)
        )
    except ApiError as exc:
        refusal = _refusal(exc, form, new_record=True)
        return await _incidents_page(request, session, failed="incident", **refusal)
    done = "incident" if new else "incident-again"
    return redirect(f"{INCIDENTS}?done={done}#incident-{incident['incident_id']}")
