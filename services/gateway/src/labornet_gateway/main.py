"""Gateway service: the single public entry. Wiring only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path

import httpx
from fastapi import FastAPI

from labornet_common.platform.app import build_app
from labornet_common.platform.bus import topics
from labornet_common.platform.bus.consumer import ANY_EVENT, Handler
from labornet_common.platform.runtime import ConsumerSpec, JobSpec, ReaderSpec, Runtime, ServiceSpec, UowFactory
from labornet_common.security.pii import cipher_from_settings
from labornet_gateway import security
from labornet_gateway.adapters import audit_tables as _audit_tables  # noqa: F401  (registers tables)
from labornet_gateway.adapters import calendar_tables as _calendar_tables  # noqa: F401  (registers tables)
from labornet_gateway.adapters import case_index as _case_index_tables  # noqa: F401  (registers tables)
from labornet_gateway.adapters import export_log as _export_tables  # noqa: F401  (registers tables)
from labornet_gateway.adapters import reports as _report_tables  # noqa: F401  (registers tables)
from labornet_gateway.adapters.orm import messaging, metadata
from labornet_gateway.config import GatewaySettings, gateway_settings
from labornet_gateway.service.case_index import index_event
from labornet_gateway.service.context import GatewayContext
from labornet_gateway.service.reports import LIVE_CONSUMER, apply_event
from labornet_gateway.webhooks import tables as _webhook_tables  # noqa: F401  (registers tables)
from labornet_gateway.webhooks.dispatcher import WebhookDispatcher
from labornet_gateway.webhooks.fanout import fan_out

UPSTREAM_KEEPALIVE_S = 2.0


def _routers() -> list:
    from labornet_gateway import console
    from labornet_gateway.api import calendar, court, openapi, ops, proxy, reports, webhooks

    # The catch-all proxy goes last: the gateway's own routes win.
    return [
        ops.router,
        openapi.router,
        *security.routers(),
        webhooks.router,
        reports.router,
        court.router,
        calendar.router,
        console.router,
        proxy.router,
    ]


def _configure_app(app: FastAPI) -> None:
    from labornet_gateway import console

    security.configure_app(app)
    console.install(app)  # the web console's static files and error pages
    app.state.docs_openapi_url = "/api/v1/openapi.json"  # /docs and /redoc show the whole public API


async def _context(runtime: Runtime[GatewayContext]) -> GatewayContext:
    from labornet_gateway.api.limits import build_limiters
    from labornet_gateway.service.identity import Identity

    settings = gateway_settings(runtime)
    # Pooled connections are dropped well before the services' keep-alive timeout (uvicorn's 5 s):
    # a request never races the service closing the idle connection it was sent on (a POST,
    # not retried, would be a 502).
    http = httpx.AsyncClient(
        timeout=settings.upstream_timeout_s,
        follow_redirects=False,
        limits=httpx.Limits(keepalive_expiry=UPSTREAM_KEEPALIVE_S),
    )
    return GatewayContext(
        settings=settings,
        http=http,
        # Webhook deliveries use their own client: no redirects, no proxy settings from the env.
        webhook_http=httpx.AsyncClient(follow_redirects=False, trust_env=False),
        cipher=cipher_from_settings(settings),
        identity=await asyncio.to_thread(Identity, settings=settings, http=http),
        limits=build_limiters(settings, runtime.session_factory),
    )


def _every_event(handler: Handler) -> Callable[[GatewayContext], Mapping[str, Handler]]:
    return lambda _ctx: {ANY_EVENT: handler}


# Every case event is fanned out to the webhook endpoints that subscribe to it, kept in the case
# index the court's lookups and callbacks use, and folded into the reporting read model. One
# consumer group reads the case topics once for all three: each keeps its own inbox (its stream
# positions, and the reports' rebuild counts its rows), and a batch applies all three in one
# transaction. The group started from the topics' start when it replaced the three groups of the
# same readers; their inboxes turned what they had already applied into duplicates.
CONSUMERS: list[ConsumerSpec[GatewayContext]] = [
    ConsumerSpec(
        "gateway.webhooks",
        topics.CASE_TOPICS,
        _every_event(fan_out),
        also=[
            ReaderSpec("gateway.cases", topics.CASE_TOPICS, _every_event(index_event)),
            ReaderSpec(LIVE_CONSUMER, topics.CASE_TOPICS, _every_event(apply_event)),
        ],
        group="gateway.events",
    ),
]


async def _audit_retention(ctx: GatewayContext, uow_factory: UowFactory) -> None:
    from labornet_gateway.service import audit

    await audit.retention_pass(uow_factory=uow_factory, retention_days=ctx.settings.audit_retention_days)


async def _rate_limit_prune(ctx: GatewayContext, uow_factory: UowFactory) -> None:
    from labornet_gateway.api.limits import prune_shared

    await prune_shared(ctx.limits)


# The webhook dispatcher is no job: like the outbox relay it is woken by a commit in its process
# (DELIVERIES_QUEUED), drains while there is work, and backs off only when idle (_startup).
JOBS: list[JobSpec[GatewayContext]] = [
    JobSpec("audit-retention", lambda s: s.audit_prune_interval_s, _audit_retention),
    JobSpec("rate-limit-prune", lambda s: s.rate_limit_prune_interval_s, _rate_limit_prune),
]


async def _startup(runtime: Runtime[GatewayContext]) -> None:
    settings = gateway_settings(runtime)
    ctx = runtime.context
    if settings.run_consumers:
        dispatcher = WebhookDispatcher(
            engine=runtime.engine,
            tables=runtime.tables,
            settings=settings,
            cipher=ctx.cipher,
            client=ctx.webhook_http,
        )
        runtime.tasks.append(asyncio.create_task(dispatcher.run(runtime.stop), name="webhooks"))


async def _shutdown(runtime: Runtime[GatewayContext]) -> None:
    runtime.stop.set()
    await asyncio.gather(*(t for t in runtime.tasks if t.get_name() == "webhooks"), return_exceptions=True)
    await runtime.context.http.aclose()
    await runtime.context.webhook_http.aclose()


async def _business_metrics(runtime: Runtime[GatewayContext]) -> None:
    from labornet_gateway.adapters.ops_metrics import collect

    await collect(runtime)


SPEC = ServiceSpec[GatewayContext](
    name="gateway",
    title="LaborNet API",
    settings_cls=GatewaySettings,
    metadata=metadata,
    tables=messaging,
    migrations_dir=Path(__file__).parent / "migrations",
    default_port=8000,
    routers=_routers,
    context=_context,
    consumers=CONSUMERS,
    jobs=JOBS,
    on_startup=_startup,
    on_shutdown=_shutdown,
    configure_app=_configure_app,
    business_metrics=_business_metrics,
)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    return build_app(SPEC, settings or GatewaySettings())
