"""The arbitrator's desk: the docket with its clocks (collective disputes first, as the API
orders it, or by deadline), an application with parties, claims, venue, clocks and history,
and the steps from acceptance to the served award.

Each step is a form POST answered with a redirect back to the application (a reload repeats
nothing); what the API refuses, a statutory rule included (the 5-day hearing notice, LDA Art.
35), is shown in Chinese next to the field of the form that sent it.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from labornet_common.security.auth import Role
from labornet_gateway.console import listing
from labornet_gateway.console.action_forms import blank_free, fen, text
from labornet_gateway.console.clients import arbitration, intake
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.forms import AMOUNT_TEXT
from labornet_gateway.console.pages import arbitration_documents
from labornet_gateway.console.pages import arbitration_practice as practice
from labornet_gateway.console.pages import arbitration_view as view
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, ConsoleSession, SessionDep, check_csrf

router = APIRouter()
ARBITRATION_ROLES = (Role.arbitrator, Role.admin)
DESK = "/console/arbitration"
DONE = {
    "accept": "已决定受理并立案。",
    "correction": "已发出补正通知。",
    "correction-complete": "已记录补正齐全。",
    "not-accept": "已作出不予受理决定。",
    "refer": "已移送有管辖权的仲裁委员会。",
    "service": "已记录副本送达。",
    "tribunal": "仲裁庭已组成。",
    "hearings": "已排期开庭。",
    "award": "已作出裁决。",
    "award-service": "已记录裁决书送达。",
    "delivery-resend": "已安排重新发送。",
    "delivery-manual": "已记录人工送达（送达回证）。",
    "delivery-refused": "该送达已完成或无法操作，请刷新后查看。",
    **practice.DONE,
}
Action = Literal[
    "accept",
    "correction",
    "correction-complete",
    "not-accept",
    "refer",
    "service",
    "tribunal",
    "hearings",
    "award",
    "award-service",
    "withdrawal",
    "deemed-withdrawal",
    "default-award",
    "postponement",
    "simplified",
    "conversion",
    "provisional-execution",
    "partial-award",
    "partial-award-service",
    "publication",
]
BLANK_AWARD_ROWS = 2  # beyond one row per claim, for an item the claims did not name
MAX_AWARD_ROWS = 50  # the API's limit
DATE_FIELDS = {"on", "requested_on", "completed_on", "respondent_received_on", "issued_on", "served_on"}
# The API's generic wording for an empty list, made specific to the form that was sent.
EMPTY_LIST_TEXTS = {
    ("correction", "items"): "请逐行列明需要补正的全部材料或事项（一次性告知）",
    ("not-accept", "reasons"): "请逐行写明不予受理的理由（书面决定须说明理由）",
    ("award", "items"): "请至少填写一项裁决事项",
    ("tribunal", "members"): "请选择仲裁员",
    ("default-award", "items"): "请至少填写一项裁决事项",
    ("partial-award", "items"): "请至少填写一项先行裁决事项",
    ("provisional-execution", "items"): "请至少填写一项先予执行事项和金额",
}


LIST_PATH = "/api/v1/arbitration/applications"
# The docket without a status chosen: the matters still to decide or to hear (the work queue).
OPEN_STATUSES = ["SUBMITTED", "NEEDS_CORRECTION", "ACCEPTED", "TRIBUNAL_FORMED", "HEARING_SCHEDULED"]
# The clocks the list filters on: acceptance while undecided (LDA Art. 29), award while active (Art. 43).
DOCKET_CLOCKS = {"running": "计时中", "overdue": "已超期", "suspended": "中止计时", "stopped": "不计时"}


def _docket_filters(request: Request) -> dict[str, Any]:
    params = listing.filters(request)
    params.pop("sort", None)  # the docket's own orders (priority, deadline) are applied here
    params.setdefault("status", OPEN_STATUSES)
    return params


def _by_priority(row: dict[str, Any]) -> tuple[bool, str, str]:
    """Collective disputes first (优先立案、优先审理), then the running clock's last day, then receipt."""
    due = (
        row.get("acceptance_due_on") if row["status"] in ("SUBMITTED", "NEEDS_CORRECTION") else row.get("award_due_on")
    )
    return not row.get("collective"), str(due or "9999"), str(row.get("received_on") or "")


@router.get(DESK)
async def docket(request: Request, session: SessionDep, sort: Literal["priority", "deadline"] = "priority"):
    """The docket: every open matter in scope (all pages), or any application searched and filtered."""
    require_role(session, *ARBITRATION_ROLES)
    api = Api(request, session.token)
    found, names = await asyncio.gather(listing.read_list(api, LIST_PATH, _docket_filters(request)), _venue_names(api))
    on = view.today()
    rows = [{**a, "clock": view.main_clock(a, on)} for a in sorted(found.items, key=_by_priority)]
    if sort == "deadline":
        rows.sort(key=_by_deadline)
    return page(
        request,
        "arbitration/docket.html",
        session=session,
        rows=rows,
        names=names,
        sort=sort,
        view=found,
        clocks=DOCKET_CLOCKS,
    )


@router.get(f"{DESK}/export")
async def export_docket(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The docket as filtered on the page, as CSV or XLSX (noted in the trail of exports)."""
    require_role(session, *ARBITRATION_ROLES)
    return await listing.export(Api(request, session.token), LIST_PATH, _docket_filters(request), format)


def _by_deadline(row: dict[str, Any]) -> tuple[bool, str]:
    """The running clock's last day first; stopped clocks and closed matters after them."""
    clock = row["clock"]
    running = clock is not None and clock["days_left"] is not None
    return not running, str(clock["due_on"]) if running else ""


async def _venue_names(api: Api) -> dict[str, str]:
    commissions, tribunals = await asyncio.gather(arbitration.commissions(api), arbitration.tribunals(api))
    return {o["id"]: o["name"] for o in [*commissions, *tribunals]}


async def _complaint(api: Api, case_id: str) -> dict[str, Any] | None:
    """The complaint the application came from (its tracking number), when intake has one."""
    try:
        return await intake.read_complaint(api, case_id)
    except ApiError as exc:
        if exc.status in (403, 404):  # filed at the commission directly: no complaint
            return None
        raise


async def _application_page(
    request: Request, session: ConsoleSession, application_id: str, status_code: int = 200, **context: Any
) -> Response:
    api = Api(request, session.token)
    app = await arbitration.application(api, application_id)
    commissions, tribunals, complaint, documents = await asyncio.gather(
        arbitration.commissions(api),
        arbitration.tribunals(api),
        _complaint(api, app["case_id"]),
        arbitration_documents.panel(api, application_id),
    )
    names = {o["id"]: o["name"] for o in [*commissions, *tribunals]}
    seated = app["status"] in ("ACCEPTED", "TRIBUNAL_FORMED")
    arbitrators = await arbitration.arbitrators(api, app["commission_id"]) if seated else []
    on = view.today()
    context.setdefault("errors", {})
    context.setdefault("v", {})
    return page(
        request,
        "arbitration/application.html",
        status_code,
        session=session,
        app=app,
        names=names,
        complaint=complaint,
        main_clock=view.main_clock(app, on),
        step_clocks=view.step_clocks(app, on),
        history=view.history(app, names),
        other_commissions=[c for c in commissions if c["id"] != app["commission_id"]],
        arbitrators=arbitrators,
        award_rows=range(len(app["claims"]) + BLANK_AWARD_ROWS),
        today=on.isoformat(),
        practice=practice.LABELS,
        documents=documents,
        **context,
    )


@router.get(DESK + "/applications/{application_id}")
async def application(request: Request, session: SessionDep, application_id: str, done: str = "") -> Response:
    require_role(session, *ARBITRATION_ROLES)
    return await _application_page(request, session, application_id, done=DONE.get(done, ""))


@router.post(DESK + "/applications/{application_id}/{action}")
async def act(request: Request, session: SessionDep, application_id: str, action: Action) -> Response:
    require_role(session, *ARBITRATION_ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    body, award_rows = _body(action, form)
    try:
        await arbitration.step(Api(request, session.token), application_id, action, body)
    except ApiError as exc:
        if exc.status in (401, 404):
            raise
        errors = _errors(action, exc, award_rows)
        message = "请检查标出的字段后重新提交。" if errors else (exc.title_zh or "提交失败，请稍后再试。")
        values = {k: str(v) for k, v in form.items() if k != CSRF_FIELD}
        return await _application_page(
            request, session, application_id, exc.status, failed=action, message=message, errors=errors, v=values
        )
    return redirect(f"{DESK}/applications/{application_id}?done={action}")


def _lines(form: FormData, name: str) -> list[str]:
    return [line.strip() for line in text(form, name).splitlines() if line.strip()]


def _body(action: str, form: FormData) -> tuple[dict[str, Any], list[int]]:
    """The API's body for the form; for an award also the form rows sent, in order."""
    if action == "award":
        return _award_body(form)
    if action in practice.DONE:
        return practice.body(action, form)
    on = blank_free({"on": text(form, "on")})
    if action == "correction":
        return blank_free({"items": _lines(form, "items"), "requested_on": text(form, "on")}), []
    if action == "not-accept":
        return {"reasons": _lines(form, "reasons"), **on}, []
    if action == "refer":
        return {"to_commission_id": text(form, "to_commission_id"), "reason": text(form, "reason"), **on}, []
    if action == "tribunal":
        return _tribunal_body(form), []
    if action == "hearings":
        keys = ("hearing_on", "hearing_time", "notice_served_on", "venue")
        return blank_free({k: text(form, k) for k in keys}), []
    return on, []  # accept, correction-complete, service, award-service: the day it happened


def _tribunal_body(form: FormData) -> dict[str, Any]:
    """LDA Art. 31: one sole arbitrator, or a presiding arbitrator and two members."""
    mode = text(form, "mode")
    seats = (
        [("presiding", "presiding"), ("member_1", "member"), ("member_2", "member")]
        if mode == "panel"
        else [("sole", "sole")]
    )
    # Seats left unchosen are not sent: the API then names the tribunal's shape as the fault.
    members = [{"arbitrator_id": text(form, name), "role": role} for name, role in seats if text(form, name)]
    return {"mode": mode, "members": members, "complex_case": form.get("complex_case") == "on"}


def _award_body(form: FormData) -> tuple[dict[str, Any], list[int]]:
    items, rows = [], []
    for row in range(MAX_AWARD_ROWS):
        prefix = f"items.{row}."
        category = text(form, prefix + "category")
        if not category:
            continue  # an unused row
        amount = text(form, prefix + "amount")
        items.append(
            blank_free(
                {
                    "category": category,
                    "description": text(form, prefix + "description"),
                    "amount_fen": fen(amount) if amount else None,
                    "granted": form.get(prefix + "granted") == "on",
                }
            )
        )
        rows.append(row)
    return blank_free({"kind": text(form, "kind"), "items": items, "on": text(form, "on")}), rows


def _errors(action: str, exc: ApiError, award_rows: list[int]) -> dict[str, str]:
    """The API's field errors on the form's fields, in Chinese."""
    shown: dict[str, str] = {}
    for api_field, message in exc.field_errors.items():
        name = _form_field(action, api_field, award_rows)
        if name.endswith(".amount"):
            message = AMOUNT_TEXT
        elif exc.field_codes.get(api_field) == "too_short":
            message = EMPTY_LIST_TEXTS.get((action, name), message)
        shown[name] = message
    return shown


def _form_field(action: str, api_field: str, award_rows: list[int]) -> str:
    if api_field in DATE_FIELDS:
        return "on"
    head, _, rest = api_field.partition(".")
    index, _, part = rest.partition(".")
    item_form = action == "award" or action in practice.ITEM_FORMS
    if item_form and head == "items" and index.isdigit() and int(index) < len(award_rows):
        return f"items.{award_rows[int(index)]}.{(part or 'category').removesuffix('_fen')}"
    return head
