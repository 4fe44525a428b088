"""The HTTP server: a request's head must arrive in time, and an idle server sleeps.

uvicorn waits for the request line and headers without a limit (its keep-alive timeout only
covers an idle connection between requests), so a client that opens a connection and trickles
its headers a byte at a time, or sends nothing, holds the connection for as long as it likes:
enough of them and the process runs out of file descriptors. Here every request's head must be
complete within ``HEADER_TIMEOUT_S`` of the connection opening or of the request's first byte;
otherwise the client is answered 408 and the connection is closed. The body has its own limit
(``input_guard.BODY_TIMEOUT_S``).

uvicorn's server loop wakes ten times a second to see whether it should stop and, every tenth
time, to refresh the Date header: ~1.7 CPU ms a second in a process doing nothing else
(bench/idle.py). ``QuietServer`` wakes once a second for the Date header, and at once when
told to stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from labornet_common.platform import input_guard  # noqa: F401 - registers the request_timeout message
from labornet_common.platform.errors import Problem
from labornet_common.platform.problems import PROBLEM_JSON

log = logging.getLogger(__name__)

HEADER_TIMEOUT_S = 10.0


def _timeout_answer() -> bytes:
    body = json.dumps(Problem(408, "request_timeout").body(None), ensure_ascii=False).encode()
    head = (
        f"HTTP/1.1 408 Request Timeout\r\ncontent-type: {PROBLEM_JSON}\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


class HeaderTimeoutProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request's head."""

    header_timeout_s = HEADER_TIMEOUT_S

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_deadline: asyncio.TimerHandle | None = None

    def _arm(self) -> None:
        self._disarm()
        self._head_deadline = self.loop.call_later(self.header_timeout_s, self._head_too_late)

    def _disarm(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_late(self) -> None:
        self._head_deadline = None
        if self.transport.is_closing():
            return
        log.info(
            "request head not received within %.0f s from %s: connection closed", self.header_timeout_s, self.client
        )
        if self.cycle is None or self.cycle.response_complete:  # nothing else is being answered
            self.transport.write(_timeout_answer())
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm()

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()


class QuietServer(uvicorn.Server):
    """uvicorn's server, its loop ticking once a second (the Date header's resolution) instead
    of ten times; a stop (a signal, or ``should_exit`` set by its owner) ends the tick's wait at
    once, so stopping is as quick as before."""

    TICK_S = 1.0
    _loop: asyncio.AbstractEventLoop | None = None
    _woken: asyncio.Event | None = None
    _exit = False

    @property
    def should_exit(self) -> bool:
        return self._exit

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._exit = value
        if value and self._loop is not None and self._woken is not None:
            # From the loop's own thread, a signal handler or another thread alike.
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing waits
                self._loop.call_soon_threadsafe(self._woken.set)

    async def main_loop(self) -> None:
        self._loop, self._woken = asyncio.get_running_loop(), asyncio.Event()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            # on_tick refreshes the Date header when the counter is a multiple of 10 (its
            # once-a-second tick of ten): every tick here is one.
            counter = (counter + 10) % 864000
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._woken.wait(), self.TICK_S)
            should_exit = await self.on_tick(counter)
