"""Refuse control characters no record may hold, and bodies that never finish arriving, before
any handler sees them.

PostgreSQL text cannot store NUL (U+0000): a NUL in any string of a JSON body, a form or a
query parameter would pass validation and fail on insert as a 500. Every service refuses it at
the door instead, as a 422 problem that names the field, in Chinese and English. The body is
read once and handed on unchanged, so handlers see exactly what was sent.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from labornet_common.platform.errors import FieldError, Problem, invalid, problem_response
from labornet_common.platform.messages import register_messages

NUL = "\x00"
_JSON_NUL = (b"\\u0000", b"\x00")

# A client that announces a body and then trickles it (or never sends it) holds a connection
# and a worker: the whole body must arrive within this many seconds.
BODY_TIMEOUT_S = 15.0

register_messages(
    {
        "request_timeout": ("请求内容未能按时送达，连接已关闭", "The request body did not arrive in time"),
        "text.control_character": (
            "内容含有不允许的控制字符（NUL），请删除后重试",
            "Contains a control character (NUL) that cannot be stored; remove it and try again",
        ),
    }
)


def nul_fields(value: Any, path: str = "") -> Iterator[str]:
    """Dotted paths (``claims.0.description``) of every string in ``value`` holding a NUL."""
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield f"{path}.{key}".strip(".")
            yield from nul_fields(item, f"{path}.{key}".strip("."))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from nul_fields(item, f"{path}.{index}".strip("."))


def _query_fields(query: bytes) -> list[str]:
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    return [name for name, value in pairs if NUL in name or NUL in value]


def _body_fields(body: bytes, content_type: str) -> list[str]:
    if "json" in content_type:
        if not any(marker in body for marker in _JSON_NUL):
            return []
        try:
            return list(nul_fields(json.loads(body)))
        except (ValueError, UnicodeDecodeError):
            return []  # not JSON: the handler's own parsing answers it
    if "x-www-form-urlencoded" in content_type:
        return _query_fields(body)
    return []


class RefuseNulMiddleware:
    """Pure ASGI: query strings always, JSON and form bodies when they could hold a NUL."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields = _query_fields(scope.get("query_string", b""))
        headers = dict(scope.get("headers") or ())
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if not fields and ("json" in content_type or "x-www-form-urlencoded" in content_type):
            try:
                body, receive = await asyncio.wait_for(_buffered(receive), BODY_TIMEOUT_S)
            except TimeoutError:
                await problem_response(Problem(408, "request_timeout", headers={"Connection": "close"}))(
                    scope, receive, send
                )
                return
            fields = _body_fields(body, content_type)
        if fields:
            problem = invalid(*(FieldError.of(name, "text.control_character") for name in dict.fromkeys(fields)))
            response = problem_response(problem)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """The whole body, and a ``receive`` that replays it to the application."""
    chunks: list[bytes] = []
    pending: list[Message] = [{"type": "http.request", "body": b"", "more_body": False}]
    while True:
        message = await receive()
        if message["type"] != "http.request":
            pending = [message]  # the client went away: the application sees that, nothing else
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    if pending[0]["type"] == "http.request":
        pending = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return body, replay
