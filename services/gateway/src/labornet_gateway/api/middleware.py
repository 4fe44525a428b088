"""Every public API request: who is calling (bearer token).

``request.state.principal`` is the verified principal, or None for an anonymous caller; a
token that fails verification is a 401 here, before any route runs. The gateway's own route
handlers may add ``request.state.audit_case_id`` (the case they looked up) and
``request.state.audit_principal`` (someone who has just signed in); a service names its case in
the LaborNet-Case-Id response header. The audit recorder (api/audit_recorder.py), outside every
other layer, turns them into the request's audit entry.
"""

from __future__ import annotations

import logging

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from labornet_common.platform.errors import Problem, problem_response
from labornet_common.security.api_auth import unauthorized
from labornet_common.security.auth import AuthError, Principal
from labornet_gateway.api.audit_recorder import API_PREFIX, PROXY_ROUTE, client_ip
from labornet_gateway.service.context import gateway_context

__all__ = ["PROXY_ROUTE", "GatewaySecurityMiddleware", "client_ip"]
log = logging.getLogger(__name__)


async def _authenticate(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized()
    identity = gateway_context(request.app.state.runtime).identity
    try:
        return await identity.verify(token.strip())
    except AuthError as exc:
        log.info("bearer token refused: %s", exc.code)
        problem = unauthorized(exc.code)
        if exc.status == 503:
            problem = Problem(503, exc.code)
        raise problem from None


class GatewaySecurityMiddleware:
    """Plain ASGI (no ``BaseHTTPMiddleware``): the request runs on in this task, unwrapped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        runtime = request.app.state.runtime
        request.state.client_ip = client_ip(request, runtime.settings.trusted_proxy_hops)
        request.state.principal = None
        try:
            request.state.principal = await _authenticate(request)
        except Problem as problem:
            await problem_response(problem, request)(scope, receive, send)
            return
        await self.app(scope, receive, send)
