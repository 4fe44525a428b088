"""Who is calling a backend service: only the gateway can say.

The gateway authenticates the caller (bearer token, worker access code, or nobody) and sends
``X-LaborNet-Principal``: a short-lived HS256 assertion signed with ``internal_secret``. A
service accepts no other evidence, so a request that reaches it without passing the gateway
(a misrouted call, a pod reached directly) is refused with 401 before any handler runs.

* ``CurrentPrincipal``  – a signed-in caller (staff or worker); anonymous callers get 401.
* ``OptionalPrincipal`` – ``None`` for an anonymous caller the gateway let through (online
  filing), the principal otherwise. A missing or bad assertion is still a 401.
* ``GatewayCaller``     – the gateway itself, for ``/internal`` endpoints it calls on its own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from labornet_common.platform.errors import BEARER_CHALLENGE, Problem
from labornet_common.security.auth import AuthError, Principal, verify_internal_principal

PRINCIPAL_HEADER = "x-labornet-principal"
# Reserved subjects: the gateway never forwards a token whose subject claims one of these.
ANONYMOUS_SUBJECT = "anonymous"
GATEWAY_SUBJECT = "service:gateway"
RESERVED_PREFIXES = ("anonymous", "service:")

ANONYMOUS = Principal(subject=ANONYMOUS_SUBJECT)
GATEWAY = Principal(subject=GATEWAY_SUBJECT)


def unauthorized(code: str = "unauthorized") -> Problem:
    return Problem(401, code, headers=dict(BEARER_CHALLENGE))


def is_reserved_subject(subject: str) -> bool:
    return subject.startswith(RESERVED_PREFIXES)


# The dependencies are coroutines: FastAPI would run a plain ``def`` in the thread pool, a
# thread hand-off per dependency and request for a few microseconds of work.
async def asserted_principal(request: Request) -> Principal:
    """The principal the gateway vouched for on this request, or a 401 problem."""
    token = request.headers.get(PRINCIPAL_HEADER)
    if not token:
        raise unauthorized()
    secret = request.app.state.settings.internal_secret.encode("utf-8")
    try:
        return verify_internal_principal(token, secret=secret)
    except AuthError as exc:
        raise unauthorized(exc.code) from None


async def _signed_in(principal: Annotated[Principal, Depends(asserted_principal)]) -> Principal:
    if principal.subject == ANONYMOUS_SUBJECT or principal.subject == GATEWAY_SUBJECT:
        raise unauthorized()
    return principal


async def _optional(principal: Annotated[Principal, Depends(asserted_principal)]) -> Principal | None:
    if principal.subject == GATEWAY_SUBJECT:
        raise unauthorized()
    return None if principal.subject == ANONYMOUS_SUBJECT else principal


async def _gateway(principal: Annotated[Principal, Depends(asserted_principal)]) -> Principal:
    if principal.subject != GATEWAY_SUBJECT or principal.roles:
        raise unauthorized()
    return principal


CurrentPrincipal = Annotated[Principal, Depends(_signed_in)]
OptionalPrincipal = Annotated[Principal | None, Depends(_optional)]
GatewayCaller = Annotated[Principal, Depends(_gateway)]
