"""Arbitration service: wiring only."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI

from labornet_arbitration.adapters.calendar_store import holiday_schedules
from labornet_arbitration.adapters.orm import messaging, metadata
from labornet_arbitration.config import ArbitrationSettings
from labornet_arbitration.service.context import SENDER_JOB, ArbitrationContext
from labornet_common.platform.app import build_app
from labornet_common.platform.bus import topics
from labornet_common.platform.bus.consumer import Handler
from labornet_common.platform.holiday_store import schedule_handlers, start_calendar
from labornet_common.platform.runtime import ConsumerSpec, JobSpec, ReaderSpec, Runtime, ServiceSpec, UowFactory
from labornet_common.security.pii import cipher_from_settings

log = logging.getLogger(__name__)


def _routers() -> list:
    from labornet_arbitration import messages  # noqa: F401  (registers the message catalogue)
    from labornet_arbitration.api import admin, decisions, documents, e_service, filing, hearings, procedures, registers

    return [
        registers.router,
        admin.router,
        filing.router,
        decisions.router,
        hearings.router,
        procedures.router,
        documents.router,
        e_service.router,
    ]


async def _context(runtime: Runtime[ArbitrationContext]) -> ArbitrationContext:
    from labornet_arbitration.service import e_service

    settings = runtime.settings
    assert isinstance(settings, ArbitrationSettings)
    return dataclasses.replace(
        ArbitrationContext.from_settings(settings),
        sender=e_service.sender_from_settings(settings),
        cipher=cipher_from_settings(settings),
    )


def _cases(ctx: ArbitrationContext) -> Mapping[str, Handler]:
    from labornet_arbitration.service.handlers import event_handlers

    return event_handlers(ctx)


def _calendar(_ctx: ArbitrationContext) -> Mapping[str, Handler]:
    from labornet_arbitration.service.calendar_updates import recompute

    return schedule_handlers(table=holiday_schedules, recompute=recompute)


async def _clock_scan(ctx: ArbitrationContext, uow_factory: UowFactory) -> None:
    from labornet_arbitration.service import scanner

    await scanner.run(ctx, uow_factory)


async def _send_e_service(ctx: ArbitrationContext, uow_factory: UowFactory) -> int:
    from labornet_arbitration.service import e_service

    assert ctx.sender is not None and ctx.cipher is not None  # _context sets both
    return await e_service.send_round(uow_factory=uow_factory, cipher=ctx.cipher, sender=ctx.sender)


# One consumer group, one fetch loop: each reader keeps its own inbox and reads its own topics.
# The group started from the topics' start when it replaced a group per reader; the readers'
# inboxes turned what they had already applied into duplicates.
CONSUMERS: list[ConsumerSpec[ArbitrationContext]] = [
    ConsumerSpec(
        "arbitration.cases",
        [topics.INTAKE, topics.MEDIATION, topics.COURT],
        _cases,
        also=[ReaderSpec("arbitration.calendar", [topics.CALENDAR], _calendar)],
        group="arbitration.events",
    ),
]
# Where the consumers run (the worker role); an interval of 0 switches a job off.
JOBS: list[JobSpec[ArbitrationContext]] = [
    # Overdue acceptance and award clocks, non-final awards taking effect.
    JobSpec("clock-scan", lambda s: s.clock_scan_interval_s, _clock_scan),
    # Electronic service: due deliveries and worker prompts go out.
    # Electronic service backs off while nothing is due; what queues a delivery wakes it.
    JobSpec(
        SENDER_JOB,
        lambda s: s.e_service_poll_s if s.e_service_enabled else 0,
        _send_e_service,
        idle_max_s=lambda s: s.e_service_idle_max_s,
    ),
]


def _document_font(settings: ArbitrationSettings) -> None:
    from labornet_arbitration.adapters.pdf import FontMissing
    from labornet_arbitration.service import documents

    try:
        documents.configure(settings.document_font)
    except FontMissing as missing:  # the service runs; changes that issue documents answer 503
        log.error("documents cannot be rendered: %s", missing)


async def _startup(runtime: Runtime[ArbitrationContext]) -> None:
    settings = runtime.settings
    assert isinstance(settings, ArbitrationSettings)
    _document_font(settings)
    await start_calendar(runtime, holiday_schedules)


async def _business_metrics(runtime: Runtime[ArbitrationContext]) -> None:
    from labornet_arbitration.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec[ArbitrationContext](
    name="arbitration",
    title="LaborNet arbitration 仲裁",
    settings_cls=ArbitrationSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8003,
    routers=_routers,
    context=_context,
    consumers=CONSUMERS,
    jobs=JOBS,
    on_startup=_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: ArbitrationSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or ArbitrationSettings())
