"""wage-arrears service: wiring only. The service's own domain arrives with its issue; until then it
runs the platform (health, readiness, metrics, outbox relay) and no business endpoints."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.runtime import ServiceSpec
from labornet_wage_arrears.adapters.orm import messaging, metadata
from labornet_wage_arrears.config import WageArrearsSettings

SPEC = ServiceSpec(
    name="wage-arrears",
    title="LaborNet wage-arrears 欠薪预警",
    settings_cls=WageArrearsSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8004,
    routers=list,
)


def create_app(settings: WageArrearsSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or WageArrearsSettings())
