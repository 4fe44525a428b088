"""Wage arrears: the alert board and an alert's lifecycle (acknowledge, dispatch, resolve, close)."""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api

BASE = "/api/v1/wage-arrears/alerts"


async def alerts(api: Api, *, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    params = {"limit": limit, **({"state": state} if state else {})}
    return (await api.get(BASE, params=params))["items"]


async def acknowledge(api: Api, alert_id: str) -> None:
    await api.post(f"{BASE}/{alert_id}/acknowledge")


async def dispatch(api: Api, alert_id: str, body: dict[str, Any]) -> None:
    """``to`` (inspection_brigade | police | region), ``region_code`` for a region, ``note``."""
    await api.post(f"{BASE}/{alert_id}/dispatch", json=body)


async def finish(api: Api, alert_id: str, how: str, body: dict[str, Any]) -> None:
    """``how``: resolve (the arrears were settled) or close (no longer needed, e.g. the pattern
    stopped holding); ``reason`` says which."""
    await api.post(f"{BASE}/{alert_id}/{how}", json=body)
