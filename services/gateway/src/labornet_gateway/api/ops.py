"""Aggregated readiness: the gateway is ready when it and every service behind it are.

``/readyz`` is what a person checks; orchestrators probe ``/readyz/self`` (the gateway alone),
so one slow backend does not take the public entry out of rotation. The gateway is not ready
until its audit journal is drained into the trail (after a restart: what it answered before)."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from labornet_common.platform.app import RuntimeDep, readiness
from labornet_common.platform.runtime import Runtime
from labornet_gateway.config import gateway_settings
from labornet_gateway.service.context import gateway_context

router = APIRouter(tags=["ops"])


async def _backend_ready(client: httpx.AsyncClient, name: str, base: str) -> tuple[str, dict]:
    try:
        r = await client.get(f"{base}/readyz", timeout=3.0)
        return name, r.json()
    except (httpx.HTTPError, ValueError) as exc:
        return name, {"ready": False, "error": type(exc).__name__}


async def gateway_readiness(runtime: Runtime) -> dict:
    checks = await readiness(runtime)
    sequencer = gateway_context(runtime).audit_sequencer
    drained = sequencer is not None and sequencer.ready()
    checks["audit_journal"] = "ok" if drained else f"draining ({sequencer.backlog() if sequencer else '?'} waiting)"
    checks["ready"] = bool(checks["ready"]) and drained
    return checks


@router.get("/readyz/self", include_in_schema=False)
async def ready_self(runtime: RuntimeDep) -> JSONResponse:
    checks = await gateway_readiness(runtime)
    return JSONResponse({"service": "gateway", **checks}, status_code=200 if checks["ready"] else 503)


@router.get("/readyz")
async def ready_all(runtime: RuntimeDep) -> JSONResponse:
    client = gateway_context(runtime).http
    upstreams = gateway_settings(runtime).upstreams()
    results = dict(await asyncio.gather(*(_backend_ready(client, n, u) for n, u in upstreams.items())))
    results["gateway"] = await gateway_readiness(runtime)
    ready = all(r.get("ready") for r in results.values())
    return JSONResponse({"ready": ready, "services": results}, status_code=200 if ready else 503)
