"""Intake: complaints filed at the window, and the worker's view of a case."""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api


async def file_complaint(api: Api, body: dict[str, Any], *, idempotency_key: str) -> dict[str, Any]:
    """201: case_id, tracking_number, status, route and (first answer only) access_code."""
    return await api.post("/api/v1/complaints", json=body, headers={"Idempotency-Key": idempotency_key})


async def read_complaint(api: Api, case_id: str) -> dict[str, Any]:
    return await api.get(f"/api/v1/complaints/{case_id}")


async def tracking(api: Api, case_id: str) -> dict[str, Any]:
    """The case as its worker sees it: status_zh, latest_zh, handled_by and a plain-Chinese
    timeline (entries with at, source, text_zh), kept by intake from every service's events."""
    return await api.get(f"/api/v1/tracking/{case_id}")
