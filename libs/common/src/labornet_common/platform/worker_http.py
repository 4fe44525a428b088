"""The small HTTP face of a split-out worker (``labornet worker SERVICE``): ``/healthz``,
``/readyz`` and ``/metrics`` for probes and Prometheus, nothing else.

The port is ``--port``, else ``LABORNET_WORKER_PORT``, else the service's port + 1000 (so a
worker beside its API on one machine does not take the API's port).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Iterator
from typing import Any

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from labornet_common.platform import metrics
from labornet_common.platform.http_server import QuietServer
from labornet_common.platform.runtime import Runtime

WORKER_PORT_OFFSET = 1000


def worker_port(runtime_port: int, explicit: int | None = None) -> int:
    if explicit is not None:
        return explicit
    if env := os.environ.get("LABORNET_WORKER_PORT"):
        return int(env)
    return runtime_port + WORKER_PORT_OFFSET


def worker_app(runtime: Runtime[Any]) -> Starlette:
    name = f"{runtime.spec.name}-worker"

    async def healthz(_request: Request) -> JSONResponse:
        return JSONResponse({"status": "alive", "service": name})

    async def readyz(_request: Request) -> JSONResponse:
        from labornet_common.platform.app import readiness

        checks = await readiness(runtime)
        return JSONResponse({"service": name, **checks}, status_code=200 if checks["ready"] else 503)

    async def prometheus_metrics(_request: Request) -> Response:
        await metrics.collect(runtime)
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", prometheus_metrics),
        ]
    )


class _Server(QuietServer):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # the worker's own SIGTERM/SIGINT handlers stop it (and this server with it)


async def serve_worker_http(runtime: Runtime[Any], *, host: str, port: int) -> None:
    """Serve until the runtime stops."""
    config = uvicorn.Config(worker_app(runtime), host=host, port=port, log_config=None, access_log=False)
    server = _Server(config)
    task: asyncio.Task[Any] = asyncio.create_task(server.serve())
    stop = asyncio.create_task(runtime.stop.wait())
    await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stop.cancel()
    await task
