"""The proxy never answers 500 for a backend's fault or a strange path: a control character in
a path is a 404 and the connection stays usable; a service that is down is 503 with
Retry-After; a service that drops the connection is retried for safe methods and is a 502 (with
Retry-After) for a POST, which the client repeats with its Idempotency-Key."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from labornet_common.platform.broker import free_port
from labornet_common.testing.inprocess import running_services

OK = b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}'


class FlakyService:
    """A raw HTTP server that drops the first ``drops`` requests after reading them."""

    def __init__(self, drops: int) -> None:
        self.drops, self.seen = drops, 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                self.seen += 1
                if self.seen <= self.drops:
                    writer.close()
                    return
                writer.write(OK)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


@pytest.fixture
async def flaky(tmp_path: Path, broker: str) -> AsyncIterator[tuple[str, FlakyService]]:
    service = FlakyService(drops=0)
    server = await asyncio.start_server(service.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    async with running_services(
        ["gateway"],
        backend="sqlite",
        broker=broker,
        workdir=tmp_path,
        mediation_url=f"http://127.0.0.1:{port}",
        arbitration_url=down,
    ) as services:
        yield services.urls["gateway"], service
    server.close()


async def test_a_control_character_in_a_path_is_a_404_and_the_connection_lives_on(flaky) -> None:
    url, _service = flaky
    async with httpx.AsyncClient(base_url=url) as client:
        for raw in ("/api/v1/complaints/%14", "/api/v1/complaints/%00", "/api/v1/mediation/cases/%7F"):
            r = await client.get(raw)
            assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), raw
        assert (await client.get("/api/v1/mediation/cases/c1")).status_code == 200


async def test_a_service_that_is_down_is_503_with_retry_after(flaky) -> None:
    url, _service = flaky
    async with httpx.AsyncClient(base_url=url) as client:
        for method in ("GET", "POST"):
            r = await client.request(method, "/api/v1/arbitration/applications", json={})
            assert r.status_code == 503 and r.headers["retry-after"] == "1", (method, r.text)


async def test_a_dropped_connection_is_retried_for_reads_and_502_for_writes(flaky) -> None:
    url, service = flaky
    async with httpx.AsyncClient(base_url=url) as client:
        service.drops, service.seen = 1, 0
        read = await client.get("/api/v1/mediation/cases/c1")
        assert read.status_code == 200 and service.seen == 2  # dropped once, retried once
        service.drops, service.seen = 1, 0
        write = await client.post("/api/v1/mediation/cases/c1/notes", json={"text": "x"})
        assert write.status_code == 502 and write.headers["retry-after"] == "1" and service.seen == 1
