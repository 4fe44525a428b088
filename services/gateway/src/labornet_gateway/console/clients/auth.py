"""Sign-in through the gateway's identity endpoints (demo accounts, worker access codes)."""

from __future__ import annotations

from dataclasses import dataclass

from labornet_gateway.console.clients.base import Api


@dataclass(frozen=True)
class Token:
    access_token: str
    expires_in: int
    case_id: str | None = None


async def sign_in(api: Api, *, username: str, password: str) -> Token:
    body = await api.post(
        "/api/v1/auth/token", data={"grant_type": "password", "username": username, "password": password}
    )
    return Token(body["access_token"], int(body["expires_in"]))


async def worker_token(api: Api, *, tracking_number: str, access_code: str) -> Token:
    body = await api.post(
        "/api/v1/auth/worker-token", json={"tracking_number": tracking_number, "access_code": access_code}
    )
    return Token(body["access_token"], int(body["expires_in"]), body["case_id"])
