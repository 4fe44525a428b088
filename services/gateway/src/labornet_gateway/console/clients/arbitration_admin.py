"""Arbitration, for administrators: the arbitrator roster of each commission (LDA Art. 20)."""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api

BASE = "/api/v1/arbitration"


async def commissions(api: Api) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/commissions")


async def arbitrators(api: Api) -> list[dict[str, Any]]:
    """Every arbitrator, serving or retired (``retired_on``)."""
    return await api.get(f"{BASE}/arbitrators", params={"include_retired": "true"})


async def changes(api: Api) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/admin/changes", params={"limit": 50})


async def open_cases(api: Api, arbitrator_id: str) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/admin/arbitrators/{arbitrator_id}/open-cases")


async def enrol(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/arbitrators", json=body)


async def move(api: Api, arbitrator_id: str, commission_id: str) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/arbitrators/{arbitrator_id}/move", json={"commission_id": commission_id})


async def retire(api: Api, arbitrator_id: str, reason: str) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/arbitrators/{arbitrator_id}/retire", json={"reason": reason})
