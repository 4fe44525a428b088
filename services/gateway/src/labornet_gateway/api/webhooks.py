"""Administration of outgoing webhooks: endpoints, secrets, the delivery log, replay."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from labornet_common.platform.app import RuntimeDep
from labornet_common.platform.errors import FieldError, Problem, invalid, not_found
from labornet_common.security.auth import NATIONWIDE, Principal, Role
from labornet_gateway.config import gateway_settings
from labornet_gateway.service.context import gateway_context
from labornet_gateway.webhooks import dispatcher, endpoints, store
from labornet_gateway.webhooks.schedule import MAX_ATTEMPTS, RETRY_DELAYS_S, total_span
from labornet_gateway.webhooks.ssrf import UnsafeTarget, check_target

router = APIRouter(prefix="/api/v1", tags=["webhooks"])


def current_principal(request: Request) -> Principal:
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise Problem(401, "unauthorized")
    return principal


def admin(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.has_role(Role.admin):
        raise Problem(403, "forbidden")
    return principal


AdminDep = Annotated[Principal, Depends(admin)]


def in_reach(who: Principal, region_scopes: list[str]) -> bool:
    """An endpoint is an admin's to manage when every region it subscribes to lies within the
    admin's own ('*' only for a nationwide admin); others' endpoints read as missing."""
    return all(NATIONWIDE in who.region_scopes or who.in_region(scope) for scope in region_scopes)


async def _reachable(runtime: RuntimeDep, who: Principal, endpoint_id: str) -> None:
    scopes = await endpoints.region_scopes_of(engine=runtime.engine, endpoint_id=endpoint_id)
    if scopes is None or not in_reach(who, scopes):
        raise not_found()


class EndpointCreate(BaseModel):
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=200)
    event_types: list[str] = Field(min_length=1, max_length=50)
    region_scopes: list[str] = Field(min_length=1, max_length=50)


@router.get("/webhooks/schedule")
async def schedule() -> dict[str, Any]:
    return {
        "attempts": MAX_ATTEMPTS,
        "delays_s": list(RETRY_DELAYS_S),
        "jitter": "±20%",
        "total_hours": round(total_span().total_seconds() / 3600, 1),
    }


@router.post("/webhooks/endpoints", status_code=201)
async def create(body: EndpointCreate, runtime: RuntimeDep, who: AdminDep) -> dict[str, str]:
    try:
        await check_target(body.url, gateway_settings(runtime).allowed_hosts())
    except UnsafeTarget as exc:
        raise invalid(FieldError.of("url", "unsafe_url", en=f"Webhook URL refused: {exc.reason}")) from exc
    for scope in body.region_scopes:
        if scope != "*" and not (scope.isdigit() and len(scope) in (2, 4, 6, 9)):
            raise invalid(FieldError.of("region_scopes", "value_error", en=f"not a division prefix: {scope}"))
    if not in_reach(who, body.region_scopes):
        raise Problem(403, "forbidden")  # events of a region outside the admin's own
    endpoint_id, secret = await endpoints.create_endpoint(
        engine=runtime.engine,
        cipher=gateway_context(runtime).cipher,
        new=endpoints.NewEndpoint(body.url, body.description, body.event_types, body.region_scopes, who.subject),
    )
    return {"id": endpoint_id, "secret": secret}


@router.get("/webhooks/endpoints")
async def list_all(runtime: RuntimeDep, who: AdminDep) -> list[dict[str, Any]]:
    return [e for e in await endpoints.list_endpoints(engine=runtime.engine) if in_reach(who, e["region_scopes"])]


@router.post("/webhooks/endpoints/{endpoint_id}/rotate-secret")
async def rotate(endpoint_id: str, runtime: RuntimeDep, who: AdminDep) -> dict[str, str]:
    await _reachable(runtime, who, endpoint_id)
    secret = await endpoints.rotate_secret(
        engine=runtime.engine, cipher=gateway_context(runtime).cipher, endpoint_id=endpoint_id
    )
    if secret is None:
        raise not_found()
    return {"secret": secret}


@router.post("/webhooks/endpoints/{endpoint_id}/{action}")
async def enable_or_disable(endpoint_id: str, action: str, runtime: RuntimeDep, who: AdminDep) -> dict[str, str]:
    if action not in ("enable", "disable"):
        raise not_found()
    await _reachable(runtime, who, endpoint_id)
    if not await endpoints.set_status(engine=runtime.engine, endpoint_id=endpoint_id, active=action == "enable"):
        raise not_found()
    return {"status": "active" if action == "enable" else "disabled"}


@router.get("/webhooks/endpoints/{endpoint_id}/deliveries")
async def delivery_log(
    endpoint_id: str,
    runtime: RuntimeDep,
    who: AdminDep,
    status: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    await _reachable(runtime, who, endpoint_id)
    async with runtime.engine.connect() as conn:
        return await store.delivery_log(conn, endpoint_id=endpoint_id, status=status, limit=limit)


@router.post("/webhooks/deliveries/{delivery_id}/replay", status_code=202)
async def replay(delivery_id: int, runtime: RuntimeDep, who: AdminDep) -> dict[str, Any]:
    scopes = await endpoints.region_scopes_of(engine=runtime.engine, delivery_id=delivery_id)
    if scopes is None or not in_reach(who, scopes):
        raise not_found()
    if not await dispatcher.replay(runtime.engine, delivery_id):
        raise not_found()
    return {"id": delivery_id, "status": "pending"}


@router.get("/admin/notices")
async def admin_notices(runtime: RuntimeDep, who: AdminDep) -> list[dict[str, Any]]:
    """Notices about the endpoints in the admin's reach (every notice, for a nationwide admin)."""
    subjects = None
    if NATIONWIDE not in who.region_scopes:
        listed = await endpoints.list_endpoints(engine=runtime.engine)
        subjects = [e["id"] for e in listed if in_reach(who, e["region_scopes"])]
    async with runtime.engine.connect() as conn:
        return await store.recent_notices(conn, limit=100, subjects=subjects)
