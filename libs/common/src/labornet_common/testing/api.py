"""Talking to a running stack the way clients do: sign in through the gateway, wait for
something to arrive over Kafka, and receive webhooks as the court's system would."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any, TypeVar

import httpx
from standardwebhooks import Webhook
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from labornet_common.platform.broker import free_port
from labornet_common.testing.inprocess import serving

T = TypeVar("T")


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    """Bearer headers for a demo account (the gateway's password grant)."""
    r = await client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def eventually(probe: Callable[[], Awaitable[T]], accept: Callable[[T], bool], timeout_s: float = 30) -> T:
    """Poll ``probe`` until ``accept`` holds (or the time is up: the last answer is returned,
    for the test's assertion to explain). A bound on waiting, not a timed assertion."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while True:
        value = await probe()
        if accept(value) or loop.time() > deadline:
            return value
        await asyncio.sleep(0.05)


async def get_once_present(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], timeout_s: float = 20
) -> httpx.Response:
    """GET ``url`` until it stops answering 404 (the object arrives over Kafka)."""

    async def get() -> httpx.Response:
        return await client.get(url, headers=headers)

    return await eventually(get, lambda r: r.status_code != 404, timeout_s)


class WebhookReceiver:
    """A subscriber's endpoint that accepts only correctly signed deliveries (verified with the
    ``standardwebhooks`` package, as a real receiver would) and answers ``status``."""

    def __init__(self, path: str = "/hook", status: int = 200) -> None:
        self.port, self.path, self.status = free_port(), path, status
        self.secret = ""
        self.received: list[dict[str, Any]] = []
        self.rejected = 0
        self._serving = serving(Starlette(routes=[Route(path, self._hook, methods=["POST"])]), self.port)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    async def _hook(self, request: Request) -> Response:
        body = await request.body()
        try:
            Webhook(self.secret).verify(body, dict(request.headers))
        except Exception:
            self.rejected += 1
            return Response(status_code=401)
        if 200 <= self.status < 300:
            self.received.append(json.loads(body))
        return Response(status_code=self.status)

    async def __aenter__(self) -> WebhookReceiver:
        await self._serving.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._serving.__aexit__(exc_type, exc, tb)
