"""Intake service: wiring only (see labornet_common.app.build_app)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.runtime import ServiceSpec
from labornet_intake.adapters.orm import messaging, metadata
from labornet_intake.config import IntakeSettings


def _routers() -> list:
    from labornet_intake.api.router import router

    return [router]


SPEC = ServiceSpec(
    name="intake",
    title="LaborNet intake 一窗受理",
    settings_cls=IntakeSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8001,
    routers=_routers,
)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or IntakeSettings())
