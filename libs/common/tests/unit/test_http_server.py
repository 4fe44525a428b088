"""A request's head must arrive in time: a client that trickles its headers, or sends nothing,
is answered 408 and cut off, and holds up nobody else meanwhile. An idle server ticks once a
second, and stops at once when told."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from labornet_common.platform.broker import free_port
from labornet_common.platform.http_server import HeaderTimeoutProtocol, QuietServer


class _Quick(HeaderTimeoutProtocol):
    header_timeout_s = 0.5


async def _app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


@pytest.fixture
async def server() -> AsyncIterator[int]:
    port = free_port()
    config = uvicorn.Config(_app, host="127.0.0.1", port=port, http=_Quick, log_config=None, lifespan="off")
    srv = QuietServer(config)
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.01)
    yield port
    srv.should_exit = True
    await task


async def _read_all(reader: asyncio.StreamReader, within_s: float) -> tuple[bytes, float]:
    started = time.monotonic()
    data = await asyncio.wait_for(reader.read(), within_s)  # until the server closes
    return data, time.monotonic() - started


async def test_trickled_headers_are_answered_408_and_the_connection_closed(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and the rest never comes
    data, took = await _read_all(reader, within_s=5)
    assert data.startswith(b"HTTP/1.1 408 ") and b"application/problem+json" in data, data
    assert "请求".encode() in data and took < 3
    writer.close()


async def test_a_connection_that_sends_nothing_is_closed(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    data, took = await _read_all(reader, within_s=5)
    assert data.startswith(b"HTTP/1.1 408 ") and took < 3
    writer.close()


async def test_a_byte_at_a_time_does_not_extend_the_deadline(server: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    started = time.monotonic()
    answer = asyncio.create_task(_read_all(reader, within_s=5))
    for byte in b"GET / HTTP/1.1\r\nHost: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx":
        if answer.done():  # cut off: the deadline did not move with each byte
            break
        writer.write(bytes([byte]))
        await asyncio.sleep(0.1)
    data, _ = await answer
    assert data.startswith(b"HTTP/1.1 408 ") and time.monotonic() - started < 2
    writer.close()


async def test_others_are_answered_while_slow_clients_wait_and_keep_alive_is_untouched(server: int) -> None:
    slow = [await asyncio.open_connection("127.0.0.1", server) for _ in range(50)]
    for _reader, writer in slow:
        writer.write(b"POST / HTTP/1.1\r\n")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server}") as client:
        first = await client.get("/")
        await asyncio.sleep(1.0)  # longer than the head deadline, idle between two requests
        second = await client.get("/")
    assert (first.status_code, second.status_code) == (200, 200)
    closed = await asyncio.gather(*(_read_all(r, within_s=5) for r, _w in slow))
    assert all(data.startswith(b"HTTP/1.1 408 ") for data, _ in closed)
    for _reader, writer in slow:
        writer.close()


async def test_an_idle_server_ticks_once_a_second_and_stops_at_once() -> None:
    config = uvicorn.Config(_app, host="127.0.0.1", port=free_port(), log_config=None, lifespan="off")
    srv = QuietServer(config)
    ticks: list[int] = []
    tick = srv.on_tick

    async def counted(counter: int) -> bool:
        ticks.append(counter)
        return await tick(counter)

    srv.on_tick = counted  # type: ignore[method-assign]
    task = asyncio.create_task(srv.serve())
    while not srv.started:
        await asyncio.sleep(0.01)
    async with httpx.AsyncClient() as client:
        first = (await client.get(f"http://127.0.0.1:{config.port}/")).headers["date"]
        await asyncio.sleep(2.6)
        # uvicorn's own loop ticks every 0.1 s (26 here); each tick here refreshes the Date header.
        assert 2 <= len(ticks) <= 4, ticks
        assert all(counter % 10 == 0 for counter in ticks), ticks
        assert (await client.get(f"http://127.0.0.1:{config.port}/")).headers["date"] != first
    told = time.monotonic()
    srv.should_exit = True  # mid-wait: the wait ends now, not at the next tick
    await asyncio.wait_for(task, 5)
    assert time.monotonic() - told < 0.5
