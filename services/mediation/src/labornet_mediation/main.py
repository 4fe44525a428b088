"""Mediation service: wiring only."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import cast

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.bus import topics
from labornet_common.bus.consumer import EventConsumer
from labornet_common.holiday_store import schedule_handlers, start_calendar
from labornet_common.runtime import Runtime, ServiceSpec, event_consumer
from labornet_mediation.adapters.calendar_store import holiday_schedules
from labornet_mediation.adapters.orm import messaging, metadata
from labornet_mediation.config import MediationSettings

log = logging.getLogger(__name__)


def _routers() -> list:
    from labornet_mediation.api import actions, admin, centres, documents, extension, router

    return [router.router, actions.router, extension.router, documents.router, centres.router, admin.router]


def _consumers(runtime: Runtime) -> list[EventConsumer]:
    from labornet_mediation.service import court_results
    from labornet_mediation.service.handlers import event_handlers

    ctx = runtime.extras["mediation"]
    return [
        event_consumer(runtime, name="mediation.intake", topics=[topics.INTAKE], handlers=event_handlers(ctx)),
        event_consumer(
            runtime, name="mediation.court", topics=[topics.COURT], handlers=court_results.event_handlers(ctx)
        ),
        _calendar_consumer(runtime),
    ]


def _calendar_consumer(runtime: Runtime) -> EventConsumer:
    from labornet_mediation.service.calendar_updates import recompute

    handlers = schedule_handlers(table=holiday_schedules, recompute=recompute)
    return event_consumer(runtime, name="mediation.calendar", topics=[topics.CALENDAR], handlers=handlers)


async def _on_startup(runtime: Runtime) -> None:
    from labornet_mediation.adapters.mediators import seed
    from labornet_mediation.service.context import MediationContext
    from labornet_mediation.service.roster import refresh_directory
    from labornet_mediation.service.scanner import run_periodically

    settings = cast(MediationSettings, runtime.settings)
    ctx = MediationContext.from_settings(settings)
    runtime.extras["mediation"] = ctx
    await start_calendar(runtime, holiday_schedules)
    await refresh_directory(ctx, runtime.uow())  # the shipped register with the administrators' changes
    if settings.mediation_seed_demo_mediators:
        added = await seed(runtime.engine, ctx.directory)
        if added:
            log.info("seeded %d demo mediators", added)
    # The clock watch is background work: it runs where the consumers run (API or worker).
    if settings.run_consumers and settings.mediation_clock_scan_interval_s > 0:
        runtime.tasks.append(
            asyncio.create_task(
                run_periodically(
                    ctx=ctx,
                    uow_factory=runtime.uow,
                    interval_s=settings.mediation_clock_scan_interval_s,
                    stop=runtime.stop,
                ),
                name="mediation-clock",
            )
        )


async def _business_metrics(runtime: Runtime) -> None:
    from labornet_mediation.adapters.ops_metrics import collect

    await collect(runtime)


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
    on_startup=_on_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: MediationSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or MediationSettings())
