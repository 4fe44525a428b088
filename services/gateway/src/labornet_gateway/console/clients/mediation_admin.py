"""Mediation, beyond the case workflow: extending a case's period by the parties' agreement,
the centres (an enterprise committee's make-up and rules), and the administrators' rosters."""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api

BASE = "/api/v1/mediation"


async def extend(api: Api, case_id: str, body: dict[str, Any]) -> None:
    """``extra_days``, ``worker_agrees``, ``employer_agrees``, ``agreed_on``, ``note`` (LDA Art. 14)."""
    await api.post(f"{BASE}/cases/{case_id}/extensions", json=body)


async def centres(api: Api) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/centres")


async def centre(api: Api, centre_id: str) -> dict[str, Any]:
    """With its mediators, its 派出庭 and, for an enterprise committee, make-up and rules."""
    return await api.get(f"{BASE}/centres/{centre_id}")


async def mediators(api: Api) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/mediators")


async def changes(api: Api) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/admin/changes", params={"limit": 50})


async def enrol(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/mediators", json=body)


async def move(api: Api, mediator_id: str, centre_id: str) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/mediators/{mediator_id}/move", json={"centre_id": centre_id})


async def retire(api: Api, mediator_id: str, reason: str) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/mediators/{mediator_id}/retire", json={"reason": reason})


async def register_centre(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/centres", json=body)


async def retire_centre(api: Api, centre_id: str) -> None:
    await api.post(f"{BASE}/admin/centres/{centre_id}/retire")


async def register_tribunal(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    return await api.post(f"{BASE}/admin/tribunals", json=body)


async def retire_tribunal(api: Api, tribunal_id: str) -> None:
    await api.post(f"{BASE}/admin/tribunals/{tribunal_id}/retire")
