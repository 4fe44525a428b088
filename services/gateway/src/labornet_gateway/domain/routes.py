"""Which backend service answers which public path (pure, tested alone)."""

from __future__ import annotations

import re

# Longest prefix first; every public API path lives under /api/v1.
ROUTES: tuple[tuple[str, str], ...] = (
    ("/api/v1/complaints", "intake"),
    ("/api/v1/tracking", "intake"),
    ("/api/v1/disputes", "intake"),
    ("/api/v1/mediation", "mediation"),
    ("/api/v1/arbitration", "arbitration"),
    ("/api/v1/wage-arrears", "wage-arrears"),
)


def backend_for(path: str) -> str | None:
    for prefix, service in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None


_WORD = re.compile(r"[a-z][a-z_-]*|v\d+")  # path words and API versions; the rest are ids
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def route_template(path: str) -> str:
    """A path with its identifiers replaced, for the audit trail and metrics:
    ``/api/v1/complaints/9f1c…`` -> ``/api/v1/complaints/{id}``."""
    return "/".join(s if not s or _WORD.fullmatch(s) else "{id}" for s in path.split("/"))


def case_id_in_path(path: str) -> str | None:
    """The case id a public path names (case ids are UUIDs), if any."""
    return next((s.lower() for s in path.split("/") if _UUID.fullmatch(s)), None)
