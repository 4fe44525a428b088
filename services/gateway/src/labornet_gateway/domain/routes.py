"""Which backend service answers which public path (pure, tested alone)."""

from __future__ import annotations

# Longest prefix first; every public API path lives under /api/v1.
ROUTES: tuple[tuple[str, str], ...] = (
    ("/api/v1/complaints", "intake"),
    ("/api/v1/tracking", "intake"),
    ("/api/v1/mediation", "mediation"),
    ("/api/v1/arbitration", "arbitration"),
    ("/api/v1/wage-arrears", "wage-arrears"),
)


def backend_for(path: str) -> str | None:
    for prefix, service in ROUTES:
        if path == prefix or path.startswith(prefix + "/"):
            return service
    return None
