"""Intake service: wiring only (see labornet_common.app.build_app)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.bus.consumer import EventConsumer
from labornet_common.bus.topics import ARBITRATION, CALENDAR, COURT, INTAKE, MEDIATION
from labornet_common.holiday_store import schedule_handlers, start_calendar
from labornet_common.live_calendar import live_calendar
from labornet_common.pii import cipher_from_settings
from labornet_common.runtime import Runtime, ServiceSpec, event_consumer
from labornet_intake.adapters.calendar_store import holiday_schedules
from labornet_intake.adapters.orm import messaging, metadata
from labornet_intake.config import IntakeSettings


def _routers() -> list:
    import labornet_intake.messages  # noqa: F401 - registers intake's message codes
    from labornet_intake.api import disputes, internal, joint, representatives, router, tracking

    # The joint-acceptance paths first: /complaints/joint-acceptance is not a case id.
    return [joint.router, router.router, representatives.router, tracking.router, disputes.router, internal.router]


def _rules(runtime: Runtime):
    from labornet_intake.service.context import IntakeContext

    settings = runtime.settings
    assert isinstance(settings, IntakeSettings)
    # The process-wide calendar: the shipped years plus every entered holiday schedule.
    return IntakeContext(calendar=live_calendar(), joint_answer_working_days=settings.joint_answer_working_days)


async def _startup(runtime: Runtime) -> None:
    runtime.extras["rules"] = _rules(runtime)
    await start_calendar(runtime, holiday_schedules)


def _consumers(runtime: Runtime) -> list[EventConsumer]:
    from labornet_intake.service import joint, passports, tracking
    from labornet_intake.service.calendar_updates import recompute_for

    cipher = cipher_from_settings(runtime.settings)
    rules = runtime.extras.get("rules") or _rules(runtime)
    return [
        # The joint-acceptance saga runs over intake's own topic.
        event_consumer(runtime, name="intake.joint", topics=[INTAKE], handlers=joint.event_handlers(rules, cipher)),
        # Later services' events become lines on the worker's status page.
        event_consumer(
            runtime, name="intake.tracking", topics=[MEDIATION, ARBITRATION, COURT], handlers=tracking.HANDLERS
        ),
        # Where every dispute stands, whoever holds it: what a new complaint is matched against.
        event_consumer(
            runtime, name="intake.passport", topics=[INTAKE, MEDIATION, ARBITRATION], handlers=passports.HANDLERS
        ),
        # The holiday schedules of later years: the live calendar, and answer dates re-counted.
        event_consumer(
            runtime,
            name="intake.calendar",
            topics=[CALENDAR],
            handlers=schedule_handlers(
                table=holiday_schedules, recompute=recompute_for(rules.joint_answer_working_days)
            ),
        ),
    ]


async def _business_metrics(runtime: Runtime) -> None:
    from labornet_intake.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec(
    name="intake",
    title="LaborNet intake 一窗受理",
    settings_cls=IntakeSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8001,
    routers=_routers,
    consumers=_consumers,
    on_startup=_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or IntakeSettings())
