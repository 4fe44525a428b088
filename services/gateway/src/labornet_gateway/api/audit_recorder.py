"""No answered request without its audit row: the outermost layer of the gateway.

It wraps everything else (the request context, the NUL and slow-body refusals, the security
middleware, the 500 handler), so every answer under ``/api/`` passes through it: success,
4xx, 503 and the gateway's own 500s alike. When the status line is about to leave, the entry
is appended to the local audit journal and synced to disk first; only then is the answer sent.
A journal that cannot be written fails closed: the caller gets 503 with ``Retry-After``
instead of the answer, and while the journal is failing new requests are refused before they
take any effect. The sequencer (service/audit_sequencer.py) chains journal lines into the trail.
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from labornet_common.contracts.events import utcnow
from labornet_common.platform.app import CASE_ID_HEADER
from labornet_common.platform.errors import Problem, problem_response
from labornet_common.platform.messages import register_messages
from labornet_common.security.api_auth import ANONYMOUS_SUBJECT
from labornet_gateway.domain.audit_chain import AuditEntry
from labornet_gateway.domain.routes import case_id_in_path, route_template
from labornet_gateway.service.context import gateway_context

log = logging.getLogger(__name__)
API_PREFIX = "/api/"
PROXY_ROUTE = "/api/v1/{path:path}"
RETRY_AFTER_S = "2"

register_messages(
    {
        "audit_unavailable": (
            "审计记录暂时无法写入，请求未予受理，请稍后重试",
            "The audit trail cannot be written right now; the request was not accepted, try again later",
        )
    }
)


def client_ip(request: Request, trusted_hops: int) -> str:
    """The socket peer, or the address ``trusted_hops`` proxies in front of us vouch for."""
    peer = request.client.host if request.client else ""
    if trusted_hops <= 0:
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    return hops[-trusted_hops] if len(hops) >= trusted_hops else peer


CASE_HEADER = CASE_ID_HEADER.lower().encode("latin-1")  # as the ASGI response message carries it


def _case_id(value: object) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= 36 else None


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in headers if k.lower() == name), "")


def _audited_case(request: Request, state: dict[str, Any], status: int, response_headers: list) -> str | None:
    """The case an answer is about: the one the service names in its LaborNet-Case-Id header
    (a case it created or acted on: a filing, a case opened at a desk), else the one a gateway
    route noted (court lookups, a worker's token), else the one the path names. Never the body."""
    named = _header(response_headers, CASE_HEADER) if 200 <= status < 300 else ""
    return _case_id(named) or _case_id(state.get("audit_case_id")) or case_id_in_path(request.url.path)


def entry_for(request: Request, *, status: int, started: Any, response_headers: list) -> AuditEntry:
    """The audit entry of one answered request (what the inner layers left in its state)."""
    state = request.scope.get("state") or {}
    principal = state.get("audit_principal") or state.get("principal")
    template = getattr(request.scope.get("route"), "path", None)
    if template is None or template == PROXY_ROUTE:
        template = route_template(request.url.path)
    hops = request.app.state.runtime.settings.trusted_proxy_hops
    request_id = _header(response_headers, b"x-request-id") or request.headers.get("x-request-id", "")
    return AuditEntry.of(
        occurred_at=started,
        subject=principal.subject if principal else ANONYMOUS_SUBJECT,
        roles=",".join(sorted(principal.roles)) if principal else "",
        method=request.method,
        route=template,
        status=status,
        case_id=_audited_case(request, state, status, response_headers),
        client_ip=state.get("client_ip") or client_ip(request, hops),
        user_agent=request.headers.get("user-agent", ""),
        request_id=request_id,
    )


def _unavailable(request: Request) -> Response:
    return problem_response(Problem(503, "audit_unavailable", headers={"Retry-After": RETRY_AFTER_S}), request)


class AuditRecorder:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        request, started = Request(scope), utcnow()
        context = gateway_context(request.app.state.runtime)
        journal, sequencer = context.audit_journal, context.audit_sequencer
        replaced = answered = False

        async def record(status: int, headers: list) -> bool:
            if journal is None:
                return False
            try:
                await journal.append(entry_for(request, status=status, started=started, response_headers=headers))
            except Exception:
                context.audit_unjournaled += 1
                log.exception("audit journal refused %s %s -> %s: answered 503", request.method, scope["path"], status)
                return False
            if sequencer is not None:
                sequencer.notify()
            return True

        async def send_recorded(message: Message) -> None:
            nonlocal replaced, answered
            answered = answered or (message["type"] == "http.response.body" and not message.get("more_body"))
            if message["type"] == "http.response.start":
                if not await record(message["status"], list(message.get("headers", []))):
                    replaced = True
                    await _unavailable(request)(scope, receive, send)
                    return
            elif replaced:
                return  # the answer that could not be recorded is withheld
            await send(message)

        if journal is None or not journal.healthy:
            # Fail closed before the request takes effect; the refusal is recorded if it can be.
            await _unavailable(request)(scope, receive, send_recorded)
            return
        try:
            await self.app(scope, receive, send_recorded)
        except Exception:
            if not answered:
                raise
            # The error handler has logged it and the 500 is answered and recorded: re-raising
            # would only make the server drop the client's keep-alive connection.


def install(app: Any) -> None:
    """Wrap ``app``'s whole middleware stack (error handling included) in the recorder."""
    build_stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: AuditRecorder(build_stack())
