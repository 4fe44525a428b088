"""RFC 9457 problem details, the pure part (no web framework): the media type, the base of
problem types, and the base class of the domain's refusals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://labornet.example.cn/problems/"


class DomainRuleError(Exception):
    """A rule of the domain refused a command. Domain errors subclass it, and the platform answers
    every one as problem+json in one place (``labornet_common.errors``), so neither commands nor
    routers translate them: ``status`` (409 by default, 422 when one input is at fault), ``code``
    (a message code: the problem's type and bilingual title), ``field`` (the input at fault, named
    in ``errors``), ``detail`` and ``extra`` (more members of the answer)."""

    def __init__(
        self,
        code: str,
        *,
        status: int = 409,
        field: str | None = None,
        detail: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or code)
        self.code, self.status, self.field, self.detail = code, status, field, detail
        self.extra: dict[str, Any] = dict(extra or {})
        self.errors: tuple[tuple[str, str], ...] = ()  # (field path, message code), when several


class InvalidInput(DomainRuleError):
    """Inputs that break rules spanning several fields or today's date: one 422 ``validation``
    naming each input at fault as (field path, message code), like the request schema's own
    refusals."""

    def __init__(self, errors: Sequence[tuple[str, str]]) -> None:
        super().__init__("validation", status=422)
        self.errors = tuple(errors)
