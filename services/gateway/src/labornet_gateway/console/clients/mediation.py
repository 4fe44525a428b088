"""Mediation: the mediator's queue, a case with its clock and history, and what staff do to it."""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api

BASE = "/api/v1/mediation"


async def queue(api: Api, *, sort: str) -> list[dict[str, Any]]:
    """Every open case assigned to me or waiting in my region (all pages: the queue shows no
    silent cap); ``sort`` is deadline or received."""
    items: list[dict[str, Any]] = []
    params: dict[str, Any] = {"sort": sort, "limit": 100}
    while True:
        page = await api.get(f"{BASE}/queue", params=params)
        items.extend(page["items"])
        if not page.get("next_cursor"):
            return items
        params = {**params, "cursor": page["next_cursor"]}


async def case(api: Api, case_id: str) -> dict[str, Any]:
    return await api.get(f"{BASE}/cases/{case_id}")


async def accept(api: Api, case_id: str) -> None:
    await api.post(f"{BASE}/cases/{case_id}/accept")


async def schedule_session(api: Api, case_id: str, body: dict[str, Any]) -> None:
    """``starts_at`` (with offset), ``place``."""
    await api.post(f"{BASE}/cases/{case_id}/sessions", json=body)


async def fail(api: Api, case_id: str, body: dict[str, Any]) -> None:
    """``reason`` (no_agreement | party_refused), ``note``: no agreement (LDA Art. 14)."""
    await api.post(f"{BASE}/cases/{case_id}/failure", json=body)


async def transfer(api: Api, case_id: str) -> dict[str, Any]:
    """To the 派出庭 or the commission with jurisdiction (LDA Art. 21)."""
    return await api.post(f"{BASE}/cases/{case_id}/transfer")


async def record_agreement(api: Api, case_id: str, body: dict[str, Any]) -> None:
    """``terms`` (payer, payee, kind, item, amount_fen, description, due_on), ``signed_and_sealed``,
    ``effective_on``."""
    await api.post(f"{BASE}/cases/{case_id}/agreement", json=body)


async def record_performance(api: Api, case_id: str, body: dict[str, Any]) -> None:
    """``items`` (term_no, outcome performed | breached, unpaid_fen, not_done), term by term."""
    await api.post(f"{BASE}/cases/{case_id}/agreement/performance", json=body)


async def request_payment_order(api: Api, case_id: str) -> None:
    """A payment order on the breached, unpaid terms eligible under LDA Art. 16."""
    await api.post(f"{BASE}/cases/{case_id}/court-requests", json={"kind": "payment_order"})


async def agreement_document(api: Api, case_id: str) -> str:
    """The 调解协议书 as plain text, worded by the mediation service."""
    return await api.text(f"{BASE}/cases/{case_id}/agreement/document", params={"format": "text"})
