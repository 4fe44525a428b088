"""Every public API request: who is calling (bearer token).

``request.state.principal`` is the verified principal, or None for an anonymous caller; a
token that fails verification is a 401 here, before any route runs. Route handlers may add
``request.state.audit_case_id`` (a case named by the response) and
``request.state.audit_principal`` (someone who has just signed in); the audit recorder
(api/audit_recorder.py), outside every other layer, turns them into the request's audit entry.
"""

from __future__ import annotations

import logging

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from labornet_common.api_auth import unauthorized
from labornet_common.auth import AuthError, Principal
from labornet_common.errors import Problem, problem_response
from labornet_gateway.api.audit_recorder import API_PREFIX, PROXY_ROUTE, client_ip
from labornet_gateway.service.identity import Identity

__all__ = ["PROXY_ROUTE", "GatewaySecurityMiddleware", "client_ip"]
log = logging.getLogger(__name__)


async def _authenticate(request: Request) -> Principal | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized()
    identity: Identity = request.app.state.runtime.extras["identity"]
    try:
        return await identity.verify(token.strip())
    except AuthError as exc:
        log.info("bearer token refused: %s", exc.code)
        problem = unauthorized(exc.code)
        if exc.status == 503:
            problem = Problem(503, exc.code)
        raise problem from None


class GatewaySecurityMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not request.url.path.startswith(API_PREFIX):
            return await call_next(request)
        runtime = request.app.state.runtime
        request.state.client_ip = client_ip(request, runtime.settings.trusted_proxy_hops)
        request.state.principal = None
        try:
            request.state.principal = await _authenticate(request)
        except Problem as problem:
            return problem_response(problem, request)
        return await call_next(request)
