"""Per-request context carried into logs and events (request id, W3C traceparent, case id)."""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)
case_id_var: ContextVar[str | None] = ContextVar("case_id", default=None)

# W3C Trace Context §3.2: version-traceid-parentid-flags, lowercase hex, ids not all zero.
_TRACEPARENT = re.compile(r"^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$")


def valid_traceparent(value: str | None) -> bool:
    return bool(value) and bool(_TRACEPARENT.match(value or ""))


def new_traceparent() -> str:
    return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"


def child_traceparent(parent: str | None) -> str:
    """A new span id under the parent's trace (or a new trace when there is no valid parent)."""
    if not valid_traceparent(parent):
        return new_traceparent()
    assert parent is not None
    _, trace_id, _, flags = parent.split("-")
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"
