"""Intake service: wiring only (see labornet_common.app.build_app)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.runtime import Runtime, ServiceSpec
from labornet_intake.adapters.orm import messaging, metadata
from labornet_intake.config import IntakeSettings


def _routers() -> list:
    from labornet_intake.api import internal, router

    return [router.router, internal.router]


async def _startup(_runtime: Runtime) -> None:
    from labornet_intake.service.queries import warm_up

    # The decoy hash for unknown tracking numbers, made before the first sign-in needs it.
    await asyncio.to_thread(warm_up)


SPEC = ServiceSpec(
    name="intake",
    title="LaborNet intake 一窗受理",
    settings_cls=IntakeSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8001,
    routers=_routers,
    on_startup=_startup,
)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or IntakeSettings())
