"""Forwarding public API calls to the owning service.

Only safe methods are retried (on connection failures); a POST is never re-sent by the
gateway, clients use Idempotency-Key for that. Hop-by-hop headers are dropped.
"""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request, Response

from labornet_common.app import RuntimeDep
from labornet_common.context import request_id_var, traceparent_var
from labornet_common.errors import Problem, not_found
from labornet_gateway.domain.routes import backend_for

router = APIRouter()

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "host", "content-length",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _forward_headers(request: Request) -> dict[str, str]:
    headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
    headers["x-request-id"] = request_id_var.get() or ""
    headers["traceparent"] = traceparent_var.get() or ""
    return headers


@router.api_route(
    "/api/v1/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
    include_in_schema=False,
)
async def proxy(path: str, request: Request, runtime: RuntimeDep) -> Response:
    service = backend_for(request.url.path)
    if service is None:
        raise not_found()
    settings = runtime.settings
    body = await request.body()
    if len(body) > settings.max_body_bytes:  # type: ignore[attr-defined]
        raise Problem(413, "payload_too_large")
    client: httpx.AsyncClient = runtime.extras["http"]
    base = settings.upstreams()[service]  # type: ignore[attr-defined]
    url = f"{base}{request.url.path}"
    attempts = 3 if request.method in SAFE_METHODS else 1
    for attempt in range(1, attempts + 1):
        try:
            upstream = await client.request(
                request.method,
                url,
                params=request.query_params,
                content=body,
                headers=_forward_headers(request),
            )
            break
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            if attempt == attempts:
                raise Problem(503, "unavailable", f"{service} unreachable") from exc
            await asyncio.sleep(0.1 * attempt)
        except httpx.TimeoutException as exc:
            raise Problem(504, "unavailable", f"{service} timed out") from exc
    headers = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}
    headers.pop("content-encoding", None)
    return Response(upstream.content, status_code=upstream.status_code, headers=headers)
