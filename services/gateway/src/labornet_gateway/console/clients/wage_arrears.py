"""Wage arrears: an alert's lifecycle (acknowledge, dispatch, resolve, close) and the inspectors'
records: orders to pay (with their service and payment) and incidents. The lists themselves
(alerts, referrals, orders, incidents) are read through console.listing."""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api, ApiError

API = "/api/v1/wage-arrears"
BASE = f"{API}/alerts"


async def alert(api: Api, alert_id: str) -> dict[str, Any]:
    return await api.get(f"{BASE}/{alert_id}")


async def acknowledge(api: Api, alert_id: str) -> None:
    await api.post(f"{BASE}/{alert_id}/acknowledge")


async def dispatch(api: Api, alert_id: str, body: dict[str, Any]) -> None:
    """``to`` (inspection_brigade | police | region), ``region_code`` for a region, ``note``."""
    await api.post(f"{BASE}/{alert_id}/dispatch", json=body)


async def finish(api: Api, alert_id: str, how: str, body: dict[str, Any]) -> None:
    """``how``: resolve (the arrears were settled) or close (no longer needed, e.g. the pattern
    stopped holding); ``reason`` says which."""
    await api.post(f"{BASE}/{alert_id}/{how}", json=body)


async def _recorded(api: Api, path: str, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(the record, whether it is new): the API answers 201 for a new record, 200 for one it had."""
    response = await api.send("POST", path, json=body)
    if not response.is_success:
        raise ApiError.from_response(response)
    return response.json(), response.status_code == 201


async def issue_order(api: Api, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A 限期整改指令书 or 行政处理决定书 (劳动保障监察条例 Art. 26); the same document posted
    again is the order already recorded, the same number with other content a 409."""
    return await _recorded(api, f"{API}/orders", body)


async def record_service(api: Api, order_id: str, body: dict[str, Any]) -> None:
    """``served_on``, ``method`` (direct | left_at_premises | mail | electronic | posted)."""
    await api.post(f"{API}/orders/{order_id}/service", json=body)


async def record_payment(api: Api, order_id: str, body: dict[str, Any]) -> None:
    """``paid_on``, ``paid_total_fen``: everything paid against the order so far."""
    await api.post(f"{API}/orders/{order_id}/payment", json=body)


async def record_incident(api: Api, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A mass or extreme incident; the same employer, day and kind again updates that incident."""
    return await _recorded(api, f"{API}/incidents", body)
