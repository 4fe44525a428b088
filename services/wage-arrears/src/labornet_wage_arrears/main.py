"""wage-arrears service (欠薪预警): wiring only."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi import FastAPI

from labornet_common.app import build_app
from labornet_common.bus import topics
from labornet_common.bus.consumer import EventConsumer
from labornet_common.holiday_store import schedule_handlers, start_calendar
from labornet_common.runtime import Runtime, ServiceSpec, event_consumer
from labornet_wage_arrears import messages  # noqa: F401  (registers the desk's messages)
from labornet_wage_arrears.adapters.calendar_store import holiday_schedules
from labornet_wage_arrears.adapters.orm import messaging, metadata
from labornet_wage_arrears.config import WageArrearsSettings

# Every case topic, and the desk's own topic for its orders to pay and incidents (so the picture
# rebuilt from the topics holds them; its alert events are ignored).
CASE_TOPICS = [topics.INTAKE, topics.MEDIATION, topics.ARBITRATION, topics.COURT, topics.WAGE_ARREARS]
CONSUMER = "wage-arrears.cases"


def _routers() -> list:
    from labornet_wage_arrears.api.router import router

    return [router]


def _consumers(runtime: Runtime) -> list[EventConsumer]:
    from labornet_wage_arrears.service.handlers import event_handlers

    book = runtime.settings.alert_rules  # type: ignore[attr-defined]
    return [
        event_consumer(runtime, name=CONSUMER, topics=CASE_TOPICS, handlers=event_handlers(book)),
        event_consumer(
            runtime,
            name="wage-arrears.calendar",
            topics=[topics.CALENDAR],
            handlers=schedule_handlers(table=holiday_schedules),
        ),
    ]


async def _start_scanner(runtime: Runtime) -> None:
    from labornet_wage_arrears.service.commands import run_scanner

    settings: WageArrearsSettings = runtime.settings  # type: ignore[assignment]
    if not settings.run_consumers:  # background workers are off (tests arrange state themselves)
        return
    task = run_scanner(
        uow_factory=runtime.uow, book=settings.alert_rules, interval_s=settings.alert_scan_interval_s, stop=runtime.stop
    )
    runtime.tasks.append(asyncio.create_task(task, name="alert-scanner"))


async def _startup(runtime: Runtime) -> None:
    await start_calendar(runtime, holiday_schedules)  # the entered holiday schedules, kept in step
    await _start_scanner(runtime)


async def _business_metrics(runtime: Runtime) -> None:
    from labornet_wage_arrears.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec(
    name="wage-arrears",
    title="LaborNet wage-arrears 欠薪预警",
    settings_cls=WageArrearsSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8004,
    routers=_routers,
    consumers=_consumers,
    on_startup=_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: WageArrearsSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or WageArrearsSettings())
