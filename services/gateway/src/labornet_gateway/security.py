"""Wiring of authentication, rate limits and the audit trail into the gateway (see main.py)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import FastAPI

from labornet_common.runtime import Runtime
from labornet_gateway.adapters import ratelimit_store as _ratelimit_store  # noqa: F401  (registers the table)
from labornet_gateway.config import GatewaySettings


def routers() -> list[Any]:
    from labornet_gateway.api import audit, auth

    return [auth.router, audit.router]


def configure_app(app: FastAPI) -> None:
    from labornet_gateway.api.middleware import GatewaySecurityMiddleware

    app.add_middleware(GatewaySecurityMiddleware)


async def start(runtime: Runtime) -> None:
    """After ``runtime.extras["http"]`` exists: identity provider, limiters, retention task."""
    from labornet_gateway.api.limits import build_limiters, prune_periodically
    from labornet_gateway.service import audit
    from labornet_gateway.service.identity import Identity

    settings: GatewaySettings = runtime.settings  # type: ignore[assignment]
    runtime.extras["identity"] = await asyncio.to_thread(
        Identity, settings=settings, http=runtime.extras["http"]
    )
    runtime.extras["limits"] = build_limiters(settings, runtime.session_factory)
    runtime.tasks.append(
        asyncio.create_task(prune_periodically(runtime.extras["limits"], runtime.stop), name="rate-limit-prune")
    )
    runtime.tasks.append(
        asyncio.create_task(
            audit.prune_periodically(
                uow_factory=runtime.uow,
                retention_days=settings.audit_retention_days,
                interval_s=settings.audit_prune_interval_s,
                stop=runtime.stop,
            ),
            name="audit-retention",
        )
    )
