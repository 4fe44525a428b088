"""The proxy relays non-JSON bodies as they are produced, and JSON answers whole.

The upstream below sends half a document and then waits until the caller has received that
half. A proxy that buffered the whole response would never deliver the first half, and the
test would fail on its guard timeout instead of completing.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from labornet_common.platform.broker import free_port
from labornet_common.testing.inprocess import running_services, serving

FIRST = "<html><body><h1>调解协议书</h1>".encode() + b"x" * 64_000
SECOND = b"y" * 64_000 + b"</body></html>"
GUARD_S = 20  # only a deadlock guard: a buffering proxy never finishes


def _upstream(first_received: asyncio.Event) -> Starlette:
    async def document(request: Request) -> StreamingResponse:
        async def body():
            yield FIRST
            await first_received.wait()
            yield SECOND

        return StreamingResponse(body(), media_type="text/html; charset=utf-8")

    async def case(request: Request) -> JSONResponse:
        return JSONResponse({"case_id": "c1", "status": "MEDIATING"})

    return Starlette(
        routes=[
            Route("/api/v1/mediation/cases/c1/agreement.html", document),
            Route("/api/v1/mediation/cases/c1", case),
        ]
    )


@pytest.fixture
async def gateway(tmp_path: Path, broker: str):
    first_received = asyncio.Event()
    port = free_port()
    async with serving(_upstream(first_received), port) as upstream_url:
        async with running_services(
            ["gateway"], backend="sqlite", broker=broker, workdir=tmp_path, mediation_url=upstream_url
        ) as services:
            yield services.urls["gateway"], first_received


async def test_a_document_streams_through_before_the_service_has_finished(gateway) -> None:
    url, first_received = gateway

    async def fetch() -> bytes:
        received = bytearray()
        async with httpx.AsyncClient() as client:
            async with client.stream("GET", f"{url}/api/v1/mediation/cases/c1/agreement.html") as response:
                assert response.status_code == 200
                assert response.headers["content-type"].startswith("text/html")
                async for chunk in response.aiter_bytes():
                    received += chunk
                    if len(received) >= len(FIRST):
                        first_received.set()
        return bytes(received)

    body = await asyncio.wait_for(fetch(), GUARD_S)
    assert body == FIRST + SECOND


async def test_json_answers_are_relayed_whole(gateway) -> None:
    url, _ = gateway
    async with httpx.AsyncClient() as client:
        response = await client.get(f"{url}/api/v1/mediation/cases/c1")
    assert response.status_code == 200
    assert response.json() == {"case_id": "c1", "status": "MEDIATING"}
    assert int(response.headers["content-length"]) == len(response.content)
