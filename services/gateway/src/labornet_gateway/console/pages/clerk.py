"""The window: a clerk files a complaint on a worker's behalf and prints the receipt, and finds
the complaints of the window's regions in the register (search, filters, exports).

The receipt is the answer to the filing POST itself: the access code is shown this once (the
API never repeats it) and the console keeps no copy. Each form carries its own Idempotency-Key,
so a double click or a resent form files one complaint.
"""

from __future__ import annotations

import secrets
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console import labels, listing
from labornet_gateway.console.clients import intake
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.forms import CLAIM_ROWS, FilingForm
from labornet_gateway.console.render import page
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()
CLERK_ROLES = (Role.clerk, Role.admin)
FILING_PROBLEMS = {403: "您不能为该用工所在地登记投诉（须由所在辖区窗口登记）"}


def _form_page(request: Request, session: SessionDep, form: FilingForm, errors: dict[str, str], status: int = 200):
    return page(
        request,
        "clerk/file.html",
        status_code=status,
        session=session,
        v=form.values,
        errors=errors,
        rows=range(CLAIM_ROWS),
        channels=labels.CLERK_CHANNELS,
    )


@router.get("/console/clerk/complaints/new")
async def new_complaint(request: Request, session: SessionDep) -> Response:
    require_role(session, *CLERK_ROLES)
    form = FilingForm(values={"channel": "window", "idempotency_key": secrets.token_urlsafe(16)})
    return _form_page(request, session, form, {})


@router.post("/console/clerk/complaints")
async def file_complaint(request: Request, session: SessionDep) -> Response:
    require_role(session, *CLERK_ROLES)
    submitted = await request.form()
    check_csrf(request, submitted.get(CSRF_FIELD))
    form = FilingForm.parse(submitted)
    form.values["idempotency_key"] = str(submitted.get("idempotency_key") or secrets.token_urlsafe(16))[:100]
    try:
        filed = await intake.file_complaint(
            Api(request, session.token), form.body(), idempotency_key=form.values["idempotency_key"]
        )
    except ApiError as exc:
        errors = form.errors_by_field(exc.field_errors)
        if not exc.field_errors:
            errors["form"] = FILING_PROBLEMS.get(exc.status) or exc.title_zh or "提交失败，请稍后再试"
        return _form_page(request, session, form, errors, status=exc.status)
    case = await intake.read_complaint(Api(request, session.token), filed["case_id"])
    return page(
        request, "clerk/receipt.html", session=session, filed=filed, case=case, worker_name=form.values["worker_name"]
    )


# -- the register of complaints ------------------------------------------------------------------

REGISTER = "/console/clerk/complaints"
LIST_PATH = "/api/v1/complaints"


@router.get(f"{REGISTER}/export")
async def export_complaints(request: Request, session: SessionDep, format: Literal["csv", "xlsx"] = "xlsx") -> Response:
    """The complaints as searched on the register, as CSV or XLSX: ID numbers and phones masked
    by intake exactly as on the page (noted in the trail of exports)."""
    require_role(session, *CLERK_ROLES)
    return await listing.export(Api(request, session.token), LIST_PATH, listing.filters(request), format)


@router.get(REGISTER)
async def complaints(request: Request, session: SessionDep) -> Response:
    """Every complaint in the clerk's scope matching the search (all pages), newest first; the
    scope and the masking of ID numbers and phones are intake's, as in the API."""
    require_role(session, *CLERK_ROLES)
    view = await listing.read_list(Api(request, session.token), LIST_PATH, listing.filters(request))
    return page(request, "clerk/complaints.html", session=session, view=view, statuses=labels.COMPLAINT_STATUSES)
