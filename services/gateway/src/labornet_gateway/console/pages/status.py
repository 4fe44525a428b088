"""The worker's status page: tracking number and access code in, the case in plain Chinese out.

Nothing is kept: the worker token from the exchange serves this one answer and is dropped,
so a shared computer at a service hall holds no session afterwards.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_gateway.console.clients import auth, intake
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.render import page
from labornet_gateway.console.session import CSRF_FIELD, check_csrf, ensure_presession

router = APIRouter()


@router.get("/console/status")
async def status_form(request: Request) -> Response:
    ensure_presession(request)
    return page(request, "status/lookup.html", tracking_number="", error="")


@router.post("/console/status")
async def status(request: Request) -> Response:
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    tracking_number = str(form.get("tracking_number") or "").strip()
    access_code = str(form.get("access_code") or "").strip()
    try:
        token = await auth.worker_token(Api(request), tracking_number=tracking_number, access_code=access_code)
        case = await intake.tracking(Api(request, token.access_token), token.case_id or "")
    except ApiError as exc:
        ensure_presession(request)
        error = "受理编号或查询码不正确，请核对回执上的号码" if exc.status in (401, 422) else exc.title_zh
        return page(request, "status/lookup.html", status_code=exc.status, tracking_number=tracking_number, error=error)
    return page(request, "status/case.html", case=case)
