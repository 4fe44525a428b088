"""Intake service: wiring only (see labornet_common.platform.app.build_app)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI

from labornet_common.platform.app import build_app
from labornet_common.platform.bus.consumer import Handler
from labornet_common.platform.bus.topics import ARBITRATION, CALENDAR, COURT, INTAKE, MEDIATION
from labornet_common.platform.holiday_store import schedule_handlers, start_calendar
from labornet_common.platform.live_calendar import live_calendar
from labornet_common.platform.runtime import ConsumerSpec, ReaderSpec, Runtime, ServiceSpec
from labornet_common.security.pii import cipher_from_settings
from labornet_intake.adapters.calendar_store import holiday_schedules
from labornet_intake.adapters.orm import messaging, metadata
from labornet_intake.config import IntakeSettings
from labornet_intake.service.context import IntakeContext


def _routers() -> list:
    import labornet_intake.messages  # noqa: F401 - registers intake's message codes
    from labornet_intake.api import disputes, documents, internal, joint, representatives, router, tracking

    # The joint-acceptance paths first: /complaints/joint-acceptance is not a case id.
    return [
        joint.router,
        router.router,
        representatives.router,
        documents.router,
        tracking.router,
        disputes.router,
        internal.router,
    ]


async def _context(runtime: Runtime[IntakeContext]) -> IntakeContext:
    settings = runtime.settings
    assert isinstance(settings, IntakeSettings)
    return IntakeContext(
        calendar=live_calendar(),  # the process-wide calendar: the shipped years plus every entered schedule
        joint_answer_working_days=settings.joint_answer_working_days,
        cipher=cipher_from_settings(settings),
    )


async def _startup(runtime: Runtime[IntakeContext]) -> None:
    await start_calendar(runtime, holiday_schedules)


def _joint(ctx: IntakeContext) -> Mapping[str, Handler]:
    from labornet_intake.service import joint

    assert ctx.cipher is not None  # _context sets it
    return joint.event_handlers(ctx, ctx.cipher)


def _tracking(_ctx: IntakeContext) -> Mapping[str, Handler]:
    from labornet_intake.service import tracking

    return tracking.HANDLERS


def _passport(_ctx: IntakeContext) -> Mapping[str, Handler]:
    from labornet_intake.service import passports

    return passports.HANDLERS


def _calendar(ctx: IntakeContext) -> Mapping[str, Handler]:
    from labornet_intake.service.calendar_updates import recompute_for

    return schedule_handlers(table=holiday_schedules, recompute=recompute_for(ctx.joint_answer_working_days))


# One consumer group, one fetch loop: each reader keeps its own inbox and reads its own topics.
# The group started from the topics' start when it replaced a group per reader; the readers'
# inboxes turned what they had already applied into duplicates.
CONSUMERS: list[ConsumerSpec[IntakeContext]] = [
    ConsumerSpec(
        # The joint-acceptance saga runs over intake's own topic.
        "intake.joint",
        [INTAKE],
        _joint,
        also=[
            # Later services' events become lines on the worker's status page.
            ReaderSpec("intake.tracking", [MEDIATION, ARBITRATION, COURT], _tracking),
            # Where every dispute stands, whoever holds it: what a new complaint is matched against.
            ReaderSpec("intake.passport", [INTAKE, MEDIATION, ARBITRATION], _passport),
            # The holiday schedules of later years: the live calendar, and answer dates re-counted.
            ReaderSpec("intake.calendar", [CALENDAR], _calendar),
        ],
        group="intake.events",
    ),
]


async def _business_metrics(runtime: Runtime[IntakeContext]) -> None:
    from labornet_intake.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec[IntakeContext](
    name="intake",
    title="LaborNet intake 一窗受理",
    settings_cls=IntakeSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8001,
    routers=_routers,
    context=_context,
    consumers=CONSUMERS,
    on_startup=_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or IntakeSettings())
