"""Sign-in: the embedded identity provider (demo accounts), worker access codes, the JWKS.

``POST /api/v1/auth/token`` takes the OAuth2 password grant as a form
(``grant_type=password&username=…&password=…``) or the same fields as JSON.
``POST /api/v1/auth/worker-token`` takes ``{"tracking_number", "access_code"}``.
Both answer ``{"access_token", "token_type": "bearer", "expires_in"}`` and are rate-limited
per client address.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from labornet_common.platform.app import RuntimeDep
from labornet_common.platform.errors import FieldError, Problem, invalid, not_found
from labornet_gateway.api.limits import enforce
from labornet_gateway.config import gateway_settings
from labornet_gateway.service.context import gateway_context
from labornet_gateway.service.identity import Identity, IssuedToken

router = APIRouter(tags=["auth"])
MAX_CREDENTIAL_BODY = 4096


class PasswordGrant(BaseModel):
    grant_type: str = "password"
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class AccessCodeGrant(BaseModel):
    tracking_number: str = Field(min_length=1, max_length=40)
    access_code: str = Field(min_length=1, max_length=40)


class TokenRead(BaseModel):
    """The bearer token (RFC 6749 §5.1); a worker's also names the one case it opens."""

    access_token: str
    token_type: str = Field(description="always bearer")
    expires_in: int = Field(description="seconds until the token expires")


class WorkerTokenRead(TokenRead):
    case_id: str = Field(description="the case the access code opens")


async def _fields(request: Request) -> dict[str, Any]:
    body = await request.body()
    if len(body) > MAX_CREDENTIAL_BODY:
        raise Problem(413, "payload_too_large")
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        raise invalid(FieldError.of("body", "json_invalid")) from None
    return data if isinstance(data, dict) else {}


def _parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # Never echo what was typed: it may be a password.
        fields = [FieldError.of(".".join(map(str, e["loc"])) or "body", e["type"]) for e in exc.errors()]
        raise invalid(*fields) from None


def _token_response(issued: IssuedToken, **extra: str) -> JSONResponse:
    body = {"access_token": issued.access_token, "token_type": "bearer", "expires_in": issued.expires_in}
    # Tokens must not be cached by browsers or proxies (RFC 6749 §5.1).
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    return JSONResponse({**body, **extra}, headers=headers)


def _credentials_body(model: type[BaseModel], example: dict[str, str], media_type: str) -> dict[str, Any]:
    """The body the handler parses itself, documented for clients in one media type (the handler
    takes the other too): client generators build one typed body per operation."""
    schema = model.model_json_schema()
    return {"requestBody": {"required": True, "content": {media_type: {"schema": schema, "example": example}}}}


# The OAuth2 password grant is form-encoded (RFC 6749 §4.3.2); the worker's grant is LaborNet's own, JSON.
TOKEN_BODY = _credentials_body(
    PasswordGrant,
    {"grant_type": "password", "username": "mediator.luoyang", "password": "mediator-demo-4103"},
    "application/x-www-form-urlencoded",
)
WORKER_TOKEN_BODY = _credentials_body(
    AccessCodeGrant, {"tracking_number": "410311-20261201-0001", "access_code": "K7PX-3QMA"}, "application/json"
)


def _identity(runtime: Any) -> Identity:
    return gateway_context(runtime).identity


@router.post("/api/v1/auth/token", openapi_extra=TOKEN_BODY, response_model=TokenRead)
async def token(request: Request, runtime: RuntimeDep) -> JSONResponse:
    if not gateway_settings(runtime).demo_accounts:
        raise not_found()  # production: staff sign in at the organisation's identity provider
    await enforce(request, "sign_in")
    grant = _parse(PasswordGrant, await _fields(request))
    if grant.grant_type != "password":
        raise Problem(400, "auth.unsupported_grant", extra={"error": "unsupported_grant_type"})
    issued = await _identity(runtime).sign_in(username=grant.username, password=grant.password)
    if issued is None:
        raise Problem(401, "auth.login_failed", extra={"error": "invalid_grant"})
    request.state.audit_principal = issued.principal
    return _token_response(issued)


@router.post("/api/v1/auth/worker-token", openapi_extra=WORKER_TOKEN_BODY, response_model=WorkerTokenRead)
async def worker_token(request: Request, runtime: RuntimeDep) -> JSONResponse:
    await enforce(request, "sign_in")
    grant = _parse(AccessCodeGrant, await _fields(request))
    issued = await _identity(runtime).exchange_access_code(
        tracking_number=grant.tracking_number, access_code=grant.access_code
    )
    if issued is None:
        raise Problem(401, "auth.access_code_failed", extra={"error": "invalid_grant"})
    (case_id,) = issued.principal.case_ids
    request.state.audit_principal = issued.principal
    request.state.audit_case_id = case_id
    return _token_response(issued, case_id=case_id)


@router.get("/.well-known/jwks.json", include_in_schema=False)
async def jwks(runtime: RuntimeDep) -> JSONResponse:
    return JSONResponse(_identity(runtime).jwks(), headers={"Cache-Control": "public, max-age=300"})
