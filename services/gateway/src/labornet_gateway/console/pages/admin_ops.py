"""The administrator's operations desks, built on the gateway's own API as the signed-in admin:

- outgoing webhooks: the endpoints within the admin's regions (add, disable, enable), each
  endpoint's delivery log with every attempt, and a replay of any delivery; a new endpoint's
  signing secret is shown once, on the answer to the form, never in an address;
- the audit trail: the hash chain verified (/audit/verify: gaps, a broken link, requests missing
  from the trail), a signed checkpoint of its head taken to keep elsewhere, and a kept
  checkpoint checked against the chain.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console.action_forms import text
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import page, redirect
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()
WEBHOOKS = "/console/admin/webhooks"
AUDIT = "/console/admin/audit"
DONE = {"disable": "已停用该接收端。", "enable": "已启用该接收端。", "replay": "已安排重新投递。"}


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.replace("，", ",").replace("\n", ",").split(",") if part.strip()]


async def _webhooks_page(request: Request, session: Any, **context: Any) -> Response:
    api = Api(request, session.token)
    found = await api.get("/api/v1/webhooks/endpoints")
    return page(request, "admin/webhooks.html", session=session, endpoints=found, **context)


@router.get(WEBHOOKS)
async def webhooks(request: Request, session: SessionDep, done: str = "") -> Response:
    require_role(session, Role.admin)
    return await _webhooks_page(request, session, done=DONE.get(done, ""))


@router.post(WEBHOOKS)
async def add_endpoint(request: Request, session: SessionDep) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    body = {
        "url": text(form, "url"),
        "description": text(form, "description"),
        "event_types": _codes(text(form, "event_types")),
        "region_scopes": _codes(text(form, "region_scopes")),
    }
    try:
        created = await Api(request, session.token).post("/api/v1/webhooks/endpoints", json=body)
    except ApiError as exc:
        return await _webhooks_page(request, session, message=exc.title_zh, errors=exc.field_errors, v=body)
    # The secret is shown on this answer only (the page is not cached: Cache-Control no-store).
    return await _webhooks_page(request, session, created=created)


@router.post(WEBHOOKS + "/{endpoint_id}/{action}")
async def endpoint_action(request: Request, session: SessionDep, endpoint_id: str, action: str) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    if action not in ("disable", "enable"):
        return redirect(WEBHOOKS)
    await Api(request, session.token).post(f"/api/v1/webhooks/endpoints/{endpoint_id}/{action}")
    return redirect(f"{WEBHOOKS}?done={action}")


@router.get(WEBHOOKS + "/{endpoint_id}")
async def deliveries(
    request: Request, session: SessionDep, endpoint_id: str, status: str = "", done: str = ""
) -> Response:
    require_role(session, Role.admin)
    api = Api(request, session.token)
    params = {"status": status} if status else {}
    log = await api.get(f"/api/v1/webhooks/endpoints/{endpoint_id}/deliveries", params=params)
    endpoint = next((e for e in await api.get("/api/v1/webhooks/endpoints") if e["id"] == endpoint_id), None)
    return page(
        request,
        "admin/deliveries.html",
        session=session,
        endpoint=endpoint,
        endpoint_id=endpoint_id,
        deliveries=log,
        status=status,
        done=DONE.get(done, ""),
    )


@router.post(WEBHOOKS + "/{endpoint_id}/deliveries/{delivery_id}/replay")
async def replay(request: Request, session: SessionDep, endpoint_id: str, delivery_id: int) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    await Api(request, session.token).post(f"/api/v1/webhooks/deliveries/{delivery_id}/replay")
    return redirect(f"{WEBHOOKS}/{endpoint_id}?done=replay")


@router.get(AUDIT)
async def audit(request: Request, session: SessionDep) -> Response:
    require_role(session, Role.admin)
    verification = await Api(request, session.token).get("/api/v1/audit/verify")
    return page(request, "admin/audit.html", session=session, verification=verification)


@router.post(AUDIT + "/{action}")
async def audit_action(request: Request, session: SessionDep, action: str) -> Response:
    require_role(session, Role.admin)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    api = Api(request, session.token)
    verification = await api.get("/api/v1/audit/verify")
    context: dict[str, Any] = {"verification": verification}
    try:
        if action == "checkpoint":
            context["checkpoint"] = await api.get("/api/v1/audit/checkpoint")
        elif action == "check-receipt":
            context["receipt_check"] = await api.post(
                "/api/v1/audit/checkpoint/verify", json={"receipt": text(form, "receipt")}
            )
    except ApiError as exc:
        context["message"] = exc.title_zh
    return page(request, "admin/audit.html", session=session, **context)
