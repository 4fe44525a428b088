"""arbitration service: wiring only. The service's own domain arrives with its issue; until then it
runs the platform (health, readiness, metrics, outbox relay) and no business endpoints."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from labornet_arbitration.adapters.orm import messaging, metadata
from labornet_arbitration.config import ArbitrationSettings
from labornet_common.app import build_app
from labornet_common.runtime import ServiceSpec

SPEC = ServiceSpec(
    name="arbitration",
    title="LaborNet arbitration 仲裁",
    settings_cls=ArbitrationSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8003,
    routers=list,
)


def create_app(settings: ArbitrationSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or ArbitrationSettings())
