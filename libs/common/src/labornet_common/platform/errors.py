"""RFC 9457 problem details for every error a service returns.

Bodies are ``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``,
``instance``, a bilingual ``title_zh``/``title_en``, and, for invalid input, ``errors``: one
entry per field with its JSON pointer-ish location, a stable code and both languages.
Unexpected exceptions become a 500 problem that leaks nothing but a request id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from labornet_common.platform.context import request_id_var
from labornet_common.platform.db import database_unavailable
from labornet_common.platform.messages import message
from labornet_common.platform.problems import PROBLEM_BASE, PROBLEM_JSON, ApplicationError, Unauthenticated, Unavailable

log = logging.getLogger(__name__)


@dataclass
class FieldError:
    field: str
    code: str
    message_zh: str
    message_en: str

    @classmethod
    def of(cls, field_name: str, code: str, zh: str | None = None, en: str | None = None) -> FieldError:
        default_zh, default_en = message(code)
        return cls(field_name, code, zh or default_zh, en or default_en)


@dataclass
class Problem(Exception):
    """An error a handler raises on purpose; rendered as problem+json."""

    status: int
    code: str
    detail: str | None = None
    errors: list[FieldError] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self, instance: str | None = None) -> dict[str, Any]:
        zh, en = message(self.code)
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code,
            "title": f"{zh} / {en}",
            "title_zh": zh,
            "title_en": en,
            "status": self.status,
        }
        if self.detail:
            body["detail"] = self.detail
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.__dict__ for e in self.errors]
        if request_id_var.get():
            body["request_id"] = request_id_var.get()
        body.update(self.extra)
        return body


def not_found(detail: str | None = None) -> Problem:
    return Problem(404, "not_found", detail)


def invalid(*errors: FieldError, detail: str | None = None) -> Problem:
    return Problem(422, "validation", detail, list(errors))


def conflict(detail: str, **extra: Any) -> Problem:
    return Problem(409, "conflict", detail, extra=extra)


BEARER_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="labornet"'}


def refusal_problem(error: ApplicationError) -> Problem:
    """The answer to a refusal of the application or domain layer (``labornet_common.platform.problems``):
    its class's status and its code, the inputs at fault named in ``errors`` (each with its
    rule's bilingual text), its detail and extra members; a bearer challenge on a 401 for a
    caller not signed in, Retry-After on a 503 that knows it."""
    at_fault = list(error.errors) or ([(error.field, error.code)] if error.field is not None else [])
    errors = [FieldError.of(name, code) for name, code in at_fault]
    headers = dict(BEARER_CHALLENGE) if isinstance(error, Unauthenticated) else {}
    if isinstance(error, Unavailable) and error.retry_after_s is not None:
        headers["Retry-After"] = str(error.retry_after_s)
    return Problem(error.status, error.code, error.detail or None, errors, extra=dict(error.extra), headers=headers)


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    return JSONResponse(
        problem.body(str(request.url.path) if request else None),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers or None,
    )


def _loc(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or str(loc[0] if loc else "")


def validation_problem(exc: RequestValidationError) -> Problem:
    errors = []
    for err in exc.errors():
        code = err.get("type", "value_error")
        zh, en = message(code)
        ctx = err.get("ctx") or {}
        reason = ctx.get("error")
        # Our validators raise ValueErrors that carry their own bilingual text.
        if reason is not None and getattr(reason, "message_zh", None):
            code = getattr(reason, "code", code)
            zh, en = reason.message_zh, reason.message_en
        elif code in ("value_error", "assertion_error"):
            en = err.get("msg", en).removeprefix("Value error, ")
        errors.append(FieldError(_loc(tuple(err.get("loc", ()))), code, zh, en))
    return Problem(422, "validation", errors=errors)


_STATUS_CODES = {
    400: "validation",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    429: "rate_limited",
    503: "unavailable",
}


def _not_json_body(request: Request, exc: RequestValidationError) -> bool:
    """A JSON body was expected and the request sent something else (415, not a field error)."""
    length = request.headers.get("content-length")
    has_body = (length is not None and length.strip() != "0") or "transfer-encoding" in request.headers
    if not has_body or "json" in request.headers.get("content-type", "").lower():
        return False
    return any(tuple(err.get("loc", ()))[:1] == ("body",) for err in exc.errors())


def method_not_allowed(methods: list[str]) -> Problem:
    return Problem(405, "method_not_allowed", headers={"Allow": ", ".join(methods)})


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(ApplicationError)
    async def _refusal(request: Request, exc: ApplicationError) -> JSONResponse:
        return problem_response(refusal_problem(exc), request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if _not_json_body(request, exc):
            return problem_response(Problem(415, "unsupported_media_type"), request)
        return problem_response(validation_problem(exc), request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "internal" if exc.status_code >= 500 else "validation")
        detail = exc.detail if isinstance(exc.detail, str) else None
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            from labornet_common.platform.openapi import allowed_methods

            # The router names only the first route it met; the answer lists every documented one.
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path)) or headers.get("Allow", "")
        return problem_response(Problem(exc.status_code, code, detail, headers=headers), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        if database_unavailable(exc):
            # Nothing was committed (the unit of work commits last): the client may retry.
            log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
            return problem_response(Problem(503, "unavailable", headers={"Retry-After": "2"}), request)
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(Problem(500, "internal"), request)
