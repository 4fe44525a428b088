"""Mediation service: wiring only."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.bus import topics
from labornet_common.bus.consumer import EventConsumer
from labornet_common.runtime import Runtime, ServiceSpec, event_consumer
from labornet_mediation.adapters.orm import messaging, metadata
from labornet_mediation.config import MediationSettings


def _routers() -> list:
    from labornet_mediation.api.router import router

    return [router]


def _consumers(runtime: Runtime) -> list[EventConsumer]:
    from labornet_mediation.service.handlers import HANDLERS

    return [event_consumer(runtime, name="mediation.intake", topics=[topics.INTAKE], handlers=HANDLERS)]


SPEC = ServiceSpec(
    name="mediation",
    title="LaborNet mediation 调解",
    settings_cls=MediationSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8002,
    routers=_routers,
    consumers=_consumers,
)


def create_app(settings: MediationSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or MediationSettings())
