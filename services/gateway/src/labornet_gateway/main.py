"""Gateway service: the single public entry. Wiring only."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.runtime import Runtime, ServiceSpec
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.config import GatewaySettings


def _routers() -> list:
    from labornet_gateway.api import ops, proxy

    return [ops.router, proxy.router]


async def _startup(runtime: Runtime) -> None:
    timeout = runtime.settings.upstream_timeout_s  # type: ignore[attr-defined]
    runtime.extras["http"] = httpx.AsyncClient(timeout=timeout, follow_redirects=False)


async def _shutdown(runtime: Runtime) -> None:
    await runtime.extras["http"].aclose()


SPEC = ServiceSpec(
    name="gateway",
    title="LaborNet API",
    settings_cls=GatewaySettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8000,
    routers=_routers,
    on_startup=_startup,
    on_shutdown=_shutdown,
)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or GatewaySettings())
