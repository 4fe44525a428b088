"""Arbitration service: wiring only."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from fastapi import FastAPI

from labornet_arbitration.adapters.calendar_store import holiday_schedules
from labornet_arbitration.adapters.orm import messaging, metadata
from labornet_arbitration.config import ArbitrationSettings
from labornet_common.app import build_app
from labornet_common.bus import topics
from labornet_common.bus.consumer import EventConsumer
from labornet_common.holiday_store import schedule_handlers, start_calendar
from labornet_common.runtime import Runtime, ServiceSpec, event_consumer

log = logging.getLogger(__name__)


def _routers() -> list:
    from labornet_arbitration import messages  # noqa: F401  (registers the message catalogue)
    from labornet_arbitration.api import decisions, documents, e_service, filing, hearings, procedures, registers

    return [
        registers.router,
        filing.router,
        decisions.router,
        hearings.router,
        procedures.router,
        documents.router,
        e_service.router,
    ]


def _context(runtime: Runtime):
    from labornet_arbitration.service.context import ArbitrationContext

    if "arbitration" not in runtime.extras:
        runtime.extras["arbitration"] = ArbitrationContext.from_settings(runtime.settings)  # type: ignore[arg-type]
    return runtime.extras["arbitration"]


def _consumers(runtime: Runtime) -> list[EventConsumer]:
    from labornet_arbitration.service.handlers import event_handlers

    handlers = event_handlers(_context(runtime))
    return [
        event_consumer(
            runtime,
            name="arbitration.cases",
            topics=[topics.INTAKE, topics.MEDIATION, topics.COURT],
            handlers=handlers,
        ),
        _calendar_consumer(runtime),
    ]


def _calendar_consumer(runtime: Runtime) -> EventConsumer:
    from labornet_arbitration.service.calendar_updates import recompute

    handlers = schedule_handlers(table=holiday_schedules, recompute=recompute)
    return event_consumer(runtime, name="arbitration.calendar", topics=[topics.CALENDAR], handlers=handlers)


def _document_font(runtime: Runtime) -> None:
    from labornet_arbitration.adapters.pdf import FontMissing
    from labornet_arbitration.service import documents

    settings: ArbitrationSettings = runtime.settings  # type: ignore[assignment]
    try:
        documents.configure(settings.document_font)
    except FontMissing as missing:  # the service runs; changes that issue documents answer 503
        log.error("documents cannot be rendered: %s", missing)


def _e_service(runtime: Runtime, settings: ArbitrationSettings) -> None:
    from labornet_arbitration.service import e_service
    from labornet_common.pii import cipher_from_settings

    sender = runtime.extras["e_service"] = e_service.sender_from_settings(settings)
    if settings.e_service_enabled and settings.run_consumers:  # the worker role sends
        task = e_service.run_sender(runtime, cipher_from_settings(settings), sender, settings.e_service_poll_s)
        runtime.tasks.append(asyncio.create_task(task, name="e-service-sender"))


async def _startup(runtime: Runtime) -> None:
    from labornet_arbitration.service.scanner import run_periodically

    _context(runtime)
    _document_font(runtime)
    await start_calendar(runtime, holiday_schedules)
    settings: ArbitrationSettings = runtime.settings  # type: ignore[assignment]
    _e_service(runtime, settings)
    if settings.clock_scan_enabled:
        runtime.tasks.append(
            asyncio.create_task(run_periodically(runtime, settings.clock_scan_interval_s), name="clock-scan")
        )


async def _business_metrics(runtime: Runtime) -> None:
    from labornet_arbitration.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec(
    name="arbitration",
    title="LaborNet arbitration 仲裁",
    settings_cls=ArbitrationSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8003,
    routers=_routers,
    consumers=_consumers,
    on_startup=_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: ArbitrationSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or ArbitrationSettings())
