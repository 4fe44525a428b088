"""One OpenAPI document for the whole public API: the gateway's own routes plus every
service's public routes, fetched live (cached briefly)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from fastapi import APIRouter, Request

from labornet_common.platform.app import RuntimeDep
from labornet_gateway.config import gateway_settings
from labornet_gateway.domain.openapi_merge import merge
from labornet_gateway.service.context import gateway_context

router = APIRouter(tags=["ops"])
CACHE_S = 30.0


async def _fetch(client: httpx.AsyncClient, base: str) -> dict[str, Any] | None:
    try:
        r = await client.get(f"{base}/openapi.json", timeout=3.0)
        return r.json() if r.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None


@router.get("/api/v1/openapi.json", include_in_schema=False)
async def aggregated_openapi(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    context = gateway_context(runtime)
    cached = context.openapi_cache
    if cached and time.monotonic() - cached[0] < CACHE_S:
        return cached[1]
    client = context.http
    upstreams = gateway_settings(runtime).upstreams()
    docs = await asyncio.gather(*(_fetch(client, base) for base in upstreams.values()))
    doc = merge(request.app.openapi(), dict(zip(upstreams, docs, strict=True)))
    if "x-labornet-unavailable" not in doc:
        context.openapi_cache = (time.monotonic(), doc)
    return doc
