"""RFC 9457 problem details, the pure part (no web framework): the media type, the base of
problem types, and the errors of the application and domain layers.

Commands, queries and domain rules refuse by raising one of the errors below; none of them knows
HTTP. The platform answers every one as problem+json in one place
(``labornet_common.platform.errors.install_problem_handlers``): the class decides the answer's status,
``code`` its type and bilingual title, ``field`` (or ``errors``) the inputs named at fault,
``detail`` and ``extra`` the rest of the body.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://labornet.example.cn/problems/"


class ApplicationError(Exception):
    """A command or query refused: the base of every error the platform answers as a problem.
    ``status`` is the class's (a subclass never takes one from its caller, except the domain's
    rules below); ``code`` is a message code (the problem's type and bilingual title), ``field``
    the one input at fault, ``detail`` free text for the maintainer, ``extra`` more members of the
    answer."""

    status: int = 500
    default_code: ClassVar[str] = "internal"

    def __init__(
        self,
        code: str | None = None,
        *,
        field: str | None = None,
        detail: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.code = code or self.default_code
        super().__init__(detail or self.code)
        self.field, self.detail = field, detail
        self.extra: dict[str, Any] = dict(extra or {})
        self.errors: tuple[tuple[str, str], ...] = ()  # (field path, message code), when several


class NotFound(ApplicationError):
    """The object does not exist, or lies outside the caller's scope (404: a read outside one's
    remit is not told apart from a missing object)."""

    status = 404
    default_code = "not_found"


class Forbidden(ApplicationError):
    """The caller may see the object but not do this to it (403)."""

    status = 403
    default_code = "forbidden"


class Conflict(ApplicationError):
    """The object's state refuses the change, or it changed meanwhile (409)."""

    status = 409
    default_code = "conflict"


class Unprocessable(ApplicationError):
    """The request is well formed but cannot be acted on as sent (422 with its own code, e.g. an
    idempotency key reused with another body)."""

    status = 422
    default_code = "validation"


class Unauthenticated(ApplicationError):
    """The caller is not signed in, or its token was refused (401 with a bearer challenge)."""

    status = 401
    default_code = "unauthorized"


class BadSignature(ApplicationError):
    """A signed callback or receipt whose signature is missing or wrong (401, no challenge: the
    sender signs with a shared secret, not a token)."""

    status = 401
    default_code = "unauthorized"


class Unavailable(ApplicationError):
    """A peer or resource the command needs cannot be reached now (503); ``retry_after_s``, when
    known, tells the client how long to wait (Retry-After)."""

    status = 503
    default_code = "unavailable"

    def __init__(
        self,
        code: str | None = None,
        *,
        detail: str | None = None,
        extra: Mapping[str, Any] | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(code, detail=detail, extra=extra)
        self.retry_after_s = retry_after_s


class DomainRuleError(ApplicationError):
    """A rule of the domain refused a command. Domain errors subclass it: ``status`` is 409 by
    default, 422 when one input is at fault."""

    def __init__(
        self,
        code: str,
        *,
        status: int = 409,
        field: str | None = None,
        detail: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(code, field=field, detail=detail, extra=extra)
        self.status = status


class InvalidInput(DomainRuleError):
    """Inputs that break rules spanning several fields, today's date or what is on record: one 422
    ``validation`` naming each input at fault as (field path, message code), like the request
    schema's own refusals."""

    def __init__(self, errors: Sequence[tuple[str, str]], *, detail: str | None = None) -> None:
        super().__init__("validation", status=422, detail=detail)
        self.errors = tuple(errors)

    @classmethod
    def at(cls, field: str, code: str) -> InvalidInput:
        """One input at fault."""
        return cls([(field, code)])
