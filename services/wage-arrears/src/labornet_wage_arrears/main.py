"""wage-arrears service (欠薪预警): wiring only."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI

from labornet_common.platform.app import build_app
from labornet_common.platform.bus import topics
from labornet_common.platform.bus.consumer import Handler
from labornet_common.platform.holiday_store import schedule_handlers, start_calendar
from labornet_common.platform.runtime import ConsumerSpec, JobSpec, ReaderSpec, Runtime, ServiceSpec, UowFactory
from labornet_wage_arrears import messages  # noqa: F401  (registers the desk's messages)
from labornet_wage_arrears.adapters.calendar_store import holiday_schedules
from labornet_wage_arrears.adapters.orm import messaging, metadata
from labornet_wage_arrears.config import WageArrearsSettings
from labornet_wage_arrears.service.context import WageArrearsContext

# Every case topic, and the desk's own topic for its orders to pay and incidents (so the picture
# rebuilt from the topics holds them; its alert events are ignored).
CASE_TOPICS = [topics.INTAKE, topics.MEDIATION, topics.ARBITRATION, topics.COURT, topics.WAGE_ARREARS]
CONSUMER = "wage-arrears.cases"


def _routers() -> list:
    from labornet_wage_arrears.api.router import router

    return [router]


async def _context(runtime: Runtime[WageArrearsContext]) -> WageArrearsContext:
    settings = runtime.settings
    assert isinstance(settings, WageArrearsSettings)
    return WageArrearsContext(book=settings.alert_rules)


def _cases(ctx: WageArrearsContext) -> Mapping[str, Handler]:
    from labornet_wage_arrears.service.handlers import event_handlers

    return event_handlers(ctx.book)


def _calendar(_ctx: WageArrearsContext) -> Mapping[str, Handler]:
    return schedule_handlers(table=holiday_schedules)


async def _alert_scan(ctx: WageArrearsContext, uow_factory: UowFactory) -> None:
    from labornet_wage_arrears.service import scanner

    await scanner.run(ctx, uow_factory)


# One consumer group, one fetch loop: each reader keeps its own inbox and reads its own topics.
# The group started from the topics' start when it replaced a group per reader; the readers'
# inboxes turned what they had already applied into duplicates.
CONSUMERS: list[ConsumerSpec[WageArrearsContext]] = [
    ConsumerSpec(
        CONSUMER,
        CASE_TOPICS,
        _cases,
        also=[ReaderSpec("wage-arrears.calendar", [topics.CALENDAR], _calendar)],
        group="wage-arrears.events",
    ),
]
# Escalation of overdue alerts and orders to pay past their limit; 0 switches it off.
JOBS: list[JobSpec[WageArrearsContext]] = [
    JobSpec("alert-scanner", lambda s: s.alert_scan_interval_s, _alert_scan),
]


async def _startup(runtime: Runtime[WageArrearsContext]) -> None:
    await start_calendar(runtime, holiday_schedules)  # the entered holiday schedules, kept in step


async def _business_metrics(runtime: Runtime[WageArrearsContext]) -> None:
    from labornet_wage_arrears.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec[WageArrearsContext](
    name="wage-arrears",
    title="LaborNet wage-arrears 欠薪预警",
    settings_cls=WageArrearsSettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8004,
    routers=_routers,
    context=_context,
    consumers=CONSUMERS,
    jobs=JOBS,
    on_startup=_startup,
    business_metrics=_business_metrics,
)


def create_app(settings: WageArrearsSettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or WageArrearsSettings())
