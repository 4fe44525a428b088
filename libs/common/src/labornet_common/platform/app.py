"""FastAPI application factory shared by every service."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from labornet_common.platform import metrics, openapi, tracing
from labornet_common.platform.context import (
    child_traceparent,
    request_id_var,
    traceparent_var,
    valid_traceparent,
)
from labornet_common.platform.errors import install_problem_handlers
from labornet_common.platform.input_guard import RefuseNulMiddleware
from labornet_common.platform.logging import configure_logging
from labornet_common.platform.migrations import schema_state
from labornet_common.platform.runtime import Runtime, ServiceSpec
from labornet_common.platform.settings import BaseServiceSettings
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.pii import cipher_from_settings


class RequestContextMiddleware:
    """Request id and W3C trace context for every request; latency histogram.

    Plain ASGI (no ``BaseHTTPMiddleware``): the request runs in this task, with no extra task,
    memory stream or response object per request, and the context variables set here are the
    ones the handlers see.
    """

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        rid = (headers.get("x-request-id") or uuid.uuid4().hex)[:64]
        incoming = headers.get("traceparent")
        # With tracing on, the server span (OpenTelemetry's middleware, outside this one) is the parent.
        traced = tracing.enabled()
        tp = (traced and tracing.current_traceparent()) or child_traceparent(
            incoming if valid_traceparent(incoming) else None
        )
        t_rid, t_tp = request_id_var.set(rid), traceparent_var.set(tp)
        started = time.perf_counter()
        method = scope["method"]

        async def send_with_context(message: Message) -> None:
            if message["type"] == "http.response.start":
                route = getattr(scope.get("route"), "path", None)
                if traced:
                    tracing.name_server_span(method, route)
                metrics.HTTP_REQUESTS.labels(self.service, method, route or "unmatched", message["status"]).observe(
                    time.perf_counter() - started
                )
                response_headers = MutableHeaders(scope=message)
                response_headers["x-request-id"] = rid
                response_headers["traceparent"] = tp
            await send(message)

        try:
            await self.app(scope, receive, send_with_context)
        finally:
            request_id_var.reset(t_rid)
            traceparent_var.reset(t_tp)


# A service answering about a case it created or acted on, where the path does not name it
# (a filing, a case opened at a desk), names the case in this header: the gateway's audit trail
# records it from there, never from the body. It reaches the public client too, which learns
# nothing new by it: the case id is in the body as well.
CASE_ID_HEADER = "LaborNet-Case-Id"


def name_case(response: Response, case_id: str | None) -> None:
    """Name, for the audit trail, the case this answer is about (see CASE_ID_HEADER)."""
    if case_id:
        response.headers[CASE_ID_HEADER] = case_id


def runtime_of(request: Request) -> Runtime[Any]:
    runtime: Runtime[Any] = request.app.state.runtime
    return runtime


# Dependencies are coroutines: FastAPI runs a plain ``def`` dependency in the thread pool, a
# hand-off to a worker thread and back for every request, for what is an attribute lookup.
async def get_runtime(request: Request) -> Runtime[Any]:
    return runtime_of(request)


async def get_uow(request: Request) -> UnitOfWork:
    return runtime_of(request).uow()


RuntimeDep = Annotated[Runtime[Any], Depends(get_runtime)]
UowDep = Annotated[UnitOfWork, Depends(get_uow)]


async def readiness(runtime: Runtime[Any]) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
        state = await schema_state(runtime.engine, runtime.spec.migrations_dir)
        checks["migrations"] = "ok" if state in ("ok", "ahead") else state
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
        checks["migrations"] = "unknown"
    checks["broker"] = "ok" if await runtime.broker_ok() else "unreachable"
    if runtime.relay is not None:
        # Not ready while events the broker lost are still to be sent again.
        checks["outbox"] = await _lost_events(runtime)
    checks["ready"] = all(v == "ok" for v in checks.values())
    return checks


async def _lost_events(runtime: Runtime[Any]) -> str:
    assert runtime.relay is not None
    try:
        lost = await runtime.relay.lost_backlog()
    except Exception as exc:
        return f"unknown: {type(exc).__name__}"
    return "ok" if lost == 0 else f"resending {lost} events the broker lost"


def build_app(spec: ServiceSpec[Any], settings: BaseServiceSettings | None = None) -> FastAPI:
    settings = settings or spec.settings_cls()
    configure_logging(service=spec.name, level=settings.log_level, json=settings.log_json)
    tracing.configure(spec.name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.create(spec, settings)
        app.state.runtime = runtime
        await runtime.open()  # the service's context, then its on_startup
        await runtime.start(relay=settings.run_relay, consumers=settings.run_consumers, api=True)
        try:
            yield
        finally:
            if spec.on_shutdown is not None:
                await spec.on_shutdown(runtime)
            await runtime.close()

    app = FastAPI(
        title=spec.title or f"LaborNet {spec.name}",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url=None,  # served by openapi.install, with assets from this process
        redoc_url=None,
        generate_unique_id_function=openapi.operation_id,
    )
    app.state.spec = spec
    app.state.settings = settings
    # Built now so that production refuses missing or demo PII keys before serving anything.
    app.state.pii = cipher_from_settings(settings)
    if spec.configure_app is not None:
        spec.configure_app(app)
    # Inside the request context, so a refusal carries the request id like any other problem.
    app.add_middleware(RefuseNulMiddleware)
    app.add_middleware(RequestContextMiddleware, service=spec.name)
    install_problem_handlers(app)
    tracing.instrument_app(app)  # outermost: the server span covers every middleware

    # Service routers first, so a service may refine an ops path (the gateway's /readyz).
    for router in spec.routers():
        app.include_router(router)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": spec.name}

    @app.get("/readyz", tags=["ops"])
    @app.get("/readyz/self", tags=["ops"], include_in_schema=False)
    async def readyz(runtime: RuntimeDep) -> JSONResponse:
        checks = await readiness(runtime)
        return JSONResponse({"service": spec.name, **checks}, status_code=200 if checks["ready"] else 503)

    @app.get("/metrics", tags=["ops"], include_in_schema=False)
    async def prometheus_metrics(runtime: RuntimeDep) -> Response:
        await metrics.collect(runtime)  # outbox backlog and the service's business gauges
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    openapi.install(app)
    return app
