"""Calls from the console to the public API, through the gateway's own front door.

Each call is an in-process HTTP request to this very gateway app (httpx's ASGI transport):
it passes the same middleware as a call from outside (bearer token verification, the audit
trail, rate limits keyed by the browser's address) and the same proxy to the owning service,
which applies its own scope and object checks. The console adds no authority of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import Request

from labornet_common.platform.context import request_id_var

INTERNAL_BASE = "http://gateway.console"
# Headers of the browser's request that the API should see as they were.
PASSED_THROUGH = ("user-agent", "x-forwarded-for", "accept-language")


@dataclass
class ApiError(Exception):
    """A non-2xx answer, with the problem+json body's Chinese texts by field."""

    status: int
    code: str = ""
    title_zh: str = ""
    field_errors: dict[str, str] = field(default_factory=dict)
    field_codes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        code = str(body.get("type", "")).rsplit("/", 1)[-1]
        errors = [e for e in body.get("errors") or [] if isinstance(e, dict)]
        return cls(
            status=response.status_code,
            code=code,
            title_zh=str(body.get("title_zh") or ""),
            field_errors={str(e.get("field")): str(e.get("message_zh") or "") for e in errors},
            field_codes={str(e.get("field")): str(e.get("code") or "") for e in errors},
        )


class Api:
    """The public API as the signed-in user (``token``) or as an anonymous caller."""

    def __init__(self, request: Request, token: str | None = None) -> None:
        self._request = request
        self._token = token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {k: v for k in PASSED_THROUGH if (v := self._request.headers.get(k))}
        headers["x-request-id"] = request_id_var.get() or ""
        if self._token:
            headers["authorization"] = f"Bearer {self._token}"
        return {**headers, **(extra or {})}

    async def send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        peer = self._request.client.host if self._request.client else "127.0.0.1"
        transport = httpx.ASGITransport(app=self._request.app, client=(peer, 0))
        headers = self._headers(kwargs.pop("headers", None))
        async with httpx.AsyncClient(transport=transport, base_url=INTERNAL_BASE) as client:
            return await client.request(method, path, headers=headers, **kwargs)

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded body of a 2xx answer; anything else raises ApiError."""
        response = await self.send(method, path, **kwargs)
        if not response.is_success:
            raise ApiError.from_response(response)
        return response.json() if response.content else None

    async def get(self, path: str, **kwargs: Any) -> Any:
        return await self.json("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Any:
        return await self.json("POST", path, **kwargs)

    async def text(self, path: str, **kwargs: Any) -> str:
        """A 2xx answer's body as text (a printable document); anything else raises ApiError."""
        response = await self.send("GET", path, **kwargs)
        if not response.is_success:
            raise ApiError.from_response(response)
        return response.text
