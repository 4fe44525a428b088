"""The HTTP server's connection handling: a request's head must arrive in time.

uvicorn waits for the request line and headers without a limit (its keep-alive timeout only
covers an idle connection between requests), so a client that opens a connection and trickles
its headers a byte at a time, or sends nothing, holds the connection for as long as it likes:
enough of them and the process runs out of file descriptors. Here every request's head must be
complete within ``HEADER_TIMEOUT_S`` of the connection opening or of the request's first byte;
otherwise the client is answered 408 and the connection is closed. The body has its own limit
(``input_guard.BODY_TIMEOUT_S``).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

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
