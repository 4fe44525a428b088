"""Mediation service: wiring only."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import cast

from fastapi import FastAPI

from labornet_common.platform.app import build_app
from labornet_common.platform.bus import topics
from labornet_common.platform.bus.consumer import Handler
from labornet_common.platform.holiday_store import schedule_handlers, start_calendar
from labornet_common.platform.runtime import ConsumerSpec, JobSpec, ReaderSpec, Runtime, ServiceSpec, UowFactory
from labornet_mediation.adapters.calendar_store import holiday_schedules
from labornet_mediation.adapters.orm import messaging, metadata
from labornet_mediation.config import MediationSettings
from labornet_mediation.service.context import MediationContext

log = logging.getLogger(__name__)


def _routers() -> list:
    from labornet_mediation.api import actions, admin, centres, documents, extension, router

    return [router.router, actions.router, extension.router, documents.router, centres.router, admin.router]


async def _context(runtime: Runtime[MediationContext]) -> MediationContext:
    return MediationContext.from_settings(cast(MediationSettings, runtime.settings))


def _intake(ctx: MediationContext) -> Mapping[str, Handler]:
    from labornet_mediation.service.handlers import event_handlers

    return event_handlers(ctx)


def _court(ctx: MediationContext) -> Mapping[str, Handler]:
    from labornet_mediation.service import court_results

    return court_results.event_handlers(ctx)


def _calendar(_ctx: MediationContext) -> Mapping[str, Handler]:
    from labornet_mediation.service.calendar_updates import recompute

    return schedule_handlers(table=holiday_schedules, recompute=recompute)


async def _clock_scan(ctx: MediationContext, uow_factory: UowFactory) -> None:
    from labornet_mediation.service import scanner

    await scanner.run(ctx, uow_factory)


# One consumer group, one fetch loop: each reader keeps its own inbox and reads its own topics.
# The group started from the topics' start when it replaced a group per reader; the readers'
# inboxes turned what they had already applied into duplicates.
CONSUMERS: list[ConsumerSpec[MediationContext]] = [
    ConsumerSpec(
        "mediation.intake",
        [topics.INTAKE],
        _intake,
        also=[
            ReaderSpec("mediation.court", [topics.COURT], _court),
            ReaderSpec("mediation.calendar", [topics.CALENDAR], _calendar),
        ],
        group="mediation.events",
    ),
]
# The clock watch (warnings, time-outs and their transfers); 0 switches it off.
JOBS: list[JobSpec[MediationContext]] = [
    JobSpec("mediation-clock", lambda s: s.mediation_clock_scan_interval_s, _clock_scan),
]


async def _on_startup(runtime: Runtime[MediationContext]) -> None:
    from labornet_mediation.adapters.mediators import seed
    from labornet_mediation.service.roster import refresh_directory

    settings = cast(MediationSettings, runtime.settings)
    ctx = runtime.context
    await start_calendar(runtime, holiday_schedules)
    await refresh_directory(ctx, runtime.uow())  # the shipped register with the administrators' changes
    if settings.mediation_seed_demo_mediators:
        added = await seed(runtime.engine, ctx.directory)
        if added:
            log.info("seeded %d demo mediators", added)


async def _business_metrics(runtime: Runtime[MediationContext]) -> None:
    from labornet_mediation.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec[MediationContext](
    name="mediation",
    title="LaborNet mediation 调解",
    settings_cls=MediationSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8002,
    routers=_routers,
    context=_context,
    consumers=CONSUMERS,
    jobs=JOBS,
    on_startup=_on_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: MediationSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or MediationSettings())
