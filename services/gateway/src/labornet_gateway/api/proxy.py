"""Forwarding public API calls to the owning service.

Only safe methods are retried (on connection failures); a POST is never re-sent by the
gateway, clients use Idempotency-Key for that. Hop-by-hop headers are dropped.

Responses stream through: a printable document or an export starts reaching the caller before
the service has finished producing it, and the gateway holds one chunk at a time. JSON answers
are the exception: they are read whole (they are small) so the audit trail can note the case a
filing created.

The caller's credentials stop here: the bearer token and any client-supplied principal
header are removed, and the service receives the gateway's own signed assertion of the
principal the middleware verified (or of an anonymous caller).
"""

from __future__ import annotations

import asyncio
import logging
import sys

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

from labornet_common.platform.app import RuntimeDep
from labornet_common.platform.context import request_id_var, traceparent_var
from labornet_common.platform.errors import Problem, method_not_allowed, not_found
from labornet_common.platform.exports import FORMAT_HEADER, LIST_HEADER, ROWS_HEADER
from labornet_common.platform.input_guard import BODY_TIMEOUT_S
from labornet_common.platform.openapi import allowed_methods
from labornet_common.platform.runtime import Runtime
from labornet_common.security.api_auth import ANONYMOUS, PRINCIPAL_HEADER
from labornet_common.security.auth import AssertionCache, Principal
from labornet_gateway.api.limits import enforce
from labornet_gateway.domain.routes import backend_for
from labornet_gateway.service import exports
from labornet_gateway.service.context import gateway_context

log = logging.getLogger(__name__)


def _remember_missing_sniffio() -> None:
    """httpcore imports ``sniffio`` each time it makes a lock or an event (several per forwarded
    request) and falls back to asyncio when the import fails. Without sniffio installed every such
    import searched the whole ``sys.path`` again (a tenth of the proxy's CPU); a ``None`` entry
    in ``sys.modules`` makes the failure immediate, with the same fallback."""
    try:
        import sniffio  # noqa: F401
    except ImportError:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


_remember_missing_sniffio()
_assertions: dict[bytes, AssertionCache] = {}


def _assertion(principal: Principal, secret: bytes) -> str:
    cache = _assertions.get(secret)
    if cache is None:
        cache = _assertions[secret] = AssertionCache(secret=secret)
    return cache.assertion(principal)


router = APIRouter()

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Never forwarded: credentials meant for the gateway, and anything claiming to be its voice.
CALLER_CREDENTIALS = {"authorization", "cookie", PRINCIPAL_HEADER}
FILING_PATH = "/api/v1/complaints"


def _forward_headers(request: Request, assertion: str) -> dict[str, str]:
    dropped = HOP_BY_HOP | CALLER_CREDENTIALS
    headers = {k: v for k, v in request.headers.items() if k.lower() not in dropped}
    headers["x-request-id"] = request_id_var.get() or ""
    headers["traceparent"] = traceparent_var.get() or ""
    headers[PRINCIPAL_HEADER] = assertion
    return headers


def _is_json(upstream: httpx.Response) -> bool:
    return "json" in upstream.headers.get("content-type", "")


async def _note_export(request: Request, upstream: httpx.Response, runtime: Runtime) -> None:
    """An export answered: note who exported which list, the filters and the rows, before the
    file leaves (a trail that cannot be written withholds the file: 503)."""
    try:
        await exports.record_export(
            uow=runtime.uow(),
            principal=request.state.principal,
            list_name=upstream.headers.get(LIST_HEADER, ""),
            route=request.url.path,
            params=list(request.query_params.multi_items()),
            fmt=upstream.headers.get(FORMAT_HEADER, ""),
            rows=int(upstream.headers.get(ROWS_HEADER) or 0),
            request_id=request_id_var.get() or "",
        )
    except Exception as exc:
        await upstream.aclose()
        log.exception("export of %s not recorded: withheld", request.url.path)
        raise Problem(503, "audit_unavailable", headers={"Retry-After": "2"}) from exc


async def _relay(request: Request, upstream: httpx.Response, runtime: Runtime) -> Response:
    headers = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}
    if upstream.status_code == 200 and LIST_HEADER in upstream.headers and request.method == "GET":
        await _note_export(request, upstream, runtime)
    headers.pop("content-encoding", None)  # httpx hands over decoded bytes
    if _is_json(upstream) or request.method == "HEAD":
        try:
            content = await upstream.aread()
        finally:
            await upstream.aclose()
        return Response(content, status_code=upstream.status_code, headers=headers)
    return StreamingResponse(
        upstream.aiter_bytes(),
        status_code=upstream.status_code,
        headers=headers,
        background=BackgroundTask(upstream.aclose),
    )


# Every method goes to the owning service, which answers one it does not document with 405 and
# the Allow header of its documented methods (HEAD, OPTIONS and TRACE included).
@router.api_route(
    "/api/v1/{path:path}",
    methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
async def proxy(path: str, request: Request, runtime: RuntimeDep) -> Response:
    service = backend_for(request.url.path)
    if service is None and (methods := allowed_methods(request.app, request.url.path)):
        raise method_not_allowed(methods)  # a gateway route asked with a method it does not have
    if service is None or any(part in (".", "..") for part in request.url.path.split("/")):
        raise not_found()  # no dot segments: a path must not climb out of its service's API
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in request.url.path):
        raise not_found()  # a control character (%14, %00 …) names nothing any service has
    settings = runtime.settings
    principal: Principal | None = request.state.principal
    if principal is None and request.method == "POST" and request.url.path == FILING_PATH:
        await enforce(request, "anonymous_filing")
    assertion = _assertion(principal or ANONYMOUS, settings.internal_secret.encode("utf-8"))
    try:  # a body announced and never sent must not hold the connection (see input_guard)
        async with asyncio.timeout(BODY_TIMEOUT_S):  # no task of its own, unlike wait_for
            body = await request.body()
    except TimeoutError as exc:
        raise Problem(408, "request_timeout", headers={"Connection": "close"}) from exc
    if len(body) > settings.max_body_bytes:  # type: ignore[attr-defined]
        raise Problem(413, "payload_too_large")
    client = gateway_context(runtime).http
    base = settings.upstreams()[service]  # type: ignore[attr-defined]
    # The path as the caller encoded it: decoding and re-encoding would change what is asked.
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    url = f"{base}{raw_path.decode('latin-1')}"
    outbound = client.build_request(
        request.method,
        url,
        # every value of a repeated parameter (status=A&status=B), not only the last
        params=tuple(request.query_params.multi_items()),
        content=body,
        headers=_forward_headers(request, assertion),
    )
    return await _relay(request, await _send(client, outbound, service=service, method=request.method), runtime)


async def _send(client: httpx.AsyncClient, outbound: httpx.Request, *, service: str, method: str) -> httpx.Response:
    """Send, retrying safe methods when the service is down or drops a pooled connection.

    A POST that never reached the service (no connection) is 503; one whose connection broke
    after it was sent may or may not have been applied, so it is 502 and the client retries
    with its Idempotency-Key. Both carry Retry-After; nothing here is a 500.
    """
    attempts = 3 if method in SAFE_METHODS else 1
    for attempt in range(1, attempts + 1):
        try:
            return await client.send(outbound, stream=True)
        except httpx.TimeoutException as exc:
            if attempt == attempts or isinstance(exc, httpx.ReadTimeout):
                raise Problem(504, "unavailable", f"{service} timed out", headers=_RETRY) from exc
        except httpx.ConnectError as exc:
            if attempt == attempts:
                raise Problem(503, "unavailable", f"{service} unreachable", headers=_RETRY) from exc
        except httpx.TransportError as exc:  # a dropped keep-alive connection, a broken reply
            if attempt == attempts:
                raise Problem(502, "unavailable", f"{service} broke the connection", headers=_RETRY) from exc
        await asyncio.sleep(0.1 * attempt)
    raise AssertionError("unreachable")  # the loop returns or raises


_RETRY = {"Retry-After": "1"}
