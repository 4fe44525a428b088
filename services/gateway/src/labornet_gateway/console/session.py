"""The console's session: the API token in a cookie, and CSRF tokens for its forms.

The browser never sees the token in script: it lives in an HttpOnly, SameSite=Strict cookie
(Secure outside development). Every form POST carries a CSRF token in a hidden field: an HMAC
of the session token (signed in) or of a random pre-session cookie (the sign-in and status
forms), so a page of another site can neither read it nor forge it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from labornet_common.security.auth import AuthError, Principal, Role
from labornet_gateway.config import GatewaySettings
from labornet_gateway.service.context import gateway_context

SESSION_COOKIE = "labornet_console"
PRESESSION_COOKIE = "labornet_console_pre"
COOKIE_PATH = "/console"
CSRF_FIELD = "csrf_token"


class SignInRequired(Exception):
    """No valid session: the handler in console/__init__.py redirects to the sign-in page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class CsrfRejected(Exception):
    pass


@dataclass(frozen=True)
class ConsoleSession:
    token: str
    principal: Principal

    def has_role(self, *roles: Role) -> bool:
        return self.principal.has_role(*roles)


def _settings(request: Request) -> GatewaySettings:
    return request.app.state.runtime.settings


def _csrf_key(settings: GatewaySettings) -> bytes:
    # Derived, so the internal principal secret itself never signs anything a browser holds.
    return hashlib.sha256(b"labornet-console-csrf\x00" + settings.internal_secret.encode()).digest()


def csrf_token(request: Request) -> str:
    seed = request.cookies.get(SESSION_COOKIE)
    if not seed:
        ensure_presession(request)
        seed = request.state.console_presession
    return hmac.new(_csrf_key(_settings(request)), seed.encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, submitted: object) -> None:
    seed = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRESESSION_COOKIE)
    if not seed or not isinstance(submitted, str):
        raise CsrfRejected
    expected = hmac.new(_csrf_key(_settings(request)), seed.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, submitted):
        raise CsrfRejected


def ensure_presession(request: Request) -> None:
    """For a form shown to signed-out users: a random seed for its CSRF token (set once)."""
    if getattr(request.state, "console_presession", None) is None:
        request.state.console_presession = request.cookies.get(PRESESSION_COOKIE) or secrets.token_urlsafe(24)


def _cookie_flags(request: Request) -> dict[str, object]:
    secure = _settings(request).environment != "development"
    return {"path": COOKIE_PATH, "httponly": True, "samesite": "strict", "secure": secure}


def remember_presession(request: Request, response: Response) -> None:
    seed = getattr(request.state, "console_presession", None)
    if seed and request.cookies.get(PRESESSION_COOKIE) != seed:
        response.set_cookie(PRESESSION_COOKIE, seed, **_cookie_flags(request))  # type: ignore[arg-type]


def start_session(request: Request, response: Response, *, token: str, expires_in: int) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=expires_in, **_cookie_flags(request))  # type: ignore[arg-type]


def end_session(request: Request, response: Response) -> None:
    flags = _cookie_flags(request)
    response.delete_cookie(SESSION_COOKIE, **flags)  # type: ignore[arg-type]


def safe_next(value: str | None) -> str:
    """Only a console path: the sign-in form must not become an open redirect."""
    if value and value.startswith(COOKIE_PATH + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return COOKIE_PATH + "/"


def _here(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


async def current_session(request: Request) -> ConsoleSession:
    """The signed-in staff member, verified exactly as the API verifies a bearer token."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInRequired(_here(request))
    try:
        principal = await gateway_context(request.app.state.runtime).identity.verify(token)
    except AuthError:
        raise SignInRequired(_here(request)) from None
    if principal.has_role(Role.worker) and not principal.has_role(*(r for r in Role if r is not Role.worker)):
        raise SignInRequired(_here(request))  # workers follow their case on the status page
    return ConsoleSession(token=token, principal=principal)


def sign_in_url(next_path: str) -> str:
    return f"{COOKIE_PATH}/login?next={quote(safe_next(next_path), safe='/')}"


SessionDep = Annotated[ConsoleSession, Depends(current_session)]
