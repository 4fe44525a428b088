"""Every public API request: who is calling (bearer token), then an audit entry of the outcome.

``request.state.principal`` is the verified principal, or None for an anonymous caller; a
token that fails verification is a 401 here, before any route runs. Route handlers may add
``request.state.audit_case_id`` (a case named by the response) and
``request.state.audit_principal`` (someone who has just signed in).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from labornet_common.api_auth import ANONYMOUS_SUBJECT, unauthorized
from labornet_common.auth import AuthError, Principal
from labornet_common.context import request_id_var
from labornet_common.errors import Problem, problem_response
from labornet_common.events import utcnow
from labornet_gateway.domain.audit_chain import AuditEntry
from labornet_gateway.domain.routes import case_id_in_path, route_template
from labornet_gateway.service import audit
from labornet_gateway.service.identity import Identity

log = logging.getLogger(__name__)
API_PREFIX = "/api/"
PROXY_ROUTE = "/api/v1/{path:path}"


def client_ip(request: Request, trusted_hops: int) -> str:
    """The socket peer, or the address ``trusted_hops`` proxies in front of us vouch for."""
    peer = request.client.host if request.client else ""
    if trusted_hops <= 0:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    return hops[-trusted_hops] if len(hops) >= trusted_hops else peer


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


def _case_id(value: object) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 36 else None


class GatewaySecurityMiddleware(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if not request.url.path.startswith(API_PREFIX):
            return await call_next(request)
        runtime = request.app.state.runtime
        started = utcnow()
        request.state.client_ip = client_ip(request, runtime.settings.trusted_proxy_hops)
        request.state.principal = None
        try:
            request.state.principal = await _authenticate(request)
        except Problem as problem:
            response: Response = problem_response(problem, request)
        else:
            response = await call_next(request)
        await self._audit(request, response.status_code, started)
        return response

    async def _audit(self, request: Request, status: int, started: Any) -> None:
        state = request.state
        principal: Principal | None = getattr(state, "audit_principal", None) or state.principal
        route = request.scope.get("route")
        template = getattr(route, "path", None)
        if template is None or template == PROXY_ROUTE:
            template = route_template(request.url.path)
        entry = AuditEntry.of(
            occurred_at=started,
            subject=principal.subject if principal else ANONYMOUS_SUBJECT,
            roles=",".join(sorted(principal.roles)) if principal else "",
            method=request.method,
            route=template,
            status=status,
            case_id=_case_id(getattr(state, "audit_case_id", None)) or case_id_in_path(request.url.path),
            client_ip=state.client_ip,
            user_agent=request.headers.get("user-agent", ""),
            request_id=request_id_var.get() or "",
        )
        try:
            await audit.record(uow=request.app.state.runtime.uow(), entry=entry)
        except Exception:
            # The request has already had its effect; losing its entry is logged loudly.
            log.exception("audit entry not recorded: %s %s %s", entry.method, entry.route, status)
