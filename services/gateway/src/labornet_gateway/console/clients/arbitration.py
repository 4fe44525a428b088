"""Arbitration: the docket, an application with its clocks, the registers (commissions, 派出庭,
arbitrators) and the steps from receipt to the served award.

Every step answers with the application as it now is; the arbitration service decides whether
the step is allowed (state, scope, the statutory rules) and says why not in problem+json.
"""

from __future__ import annotations

from typing import Any

from labornet_gateway.console.clients.base import Api

BASE = "/api/v1/arbitration"

# The steps a form can send, by the console's action name: the API path under the application.
STEPS = {
    "accept": "accept",  # LDA Art. 29
    "correction": "correction",  # one-time correction notice (Rules Art. 29)
    "correction-complete": "correction/complete",
    "not-accept": "not-accept",  # written reasons (LDA Art. 29)
    "refer": "refer",  # 移送 (Rules Arts. 9, 31)
    "service": "service",  # the respondent received the copy (LDA Art. 30)
    "tribunal": "tribunal",  # LDA Art. 31
    "hearings": "hearings",  # notice at least 5 days before (LDA Art. 35)
    "award": "award",  # per item final or not (LDA Art. 47)
    "award-service": "award/service",
    # Arbitration as practised (arbitration_practice.py)
    "withdrawal": "withdrawal",  # with or without a settlement; the limitation period restarts (LDA Art. 27)
    "deemed-withdrawal": "deemed-withdrawal",  # the applicant absent (LDA Art. 36)
    "default-award": "default-award",  # the respondent absent (LDA Art. 36)
    "postponement": "hearings/postponement",  # LDA Art. 35
    "simplified": "simplified",  # Rules Arts. 56-57
    "conversion": "simplified/conversion",  # Rules Arts. 60-61
    "provisional-execution": "provisional-execution",  # LDA Art. 44
    "partial-award": "partial-awards",  # LDA Art. 43 ¶2
    "partial-award-service": "partial-awards/{part_id}/service",
    "publication": "publications",  # 公告送达
}


async def queue(api: Api, *, limit: int = 200) -> list[dict[str, Any]]:
    """Open matters in my scope: collective disputes first, then by the running clock."""
    return await api.get(f"{BASE}/queue", params={"limit": limit})


async def application(api: Api, application_id: str) -> dict[str, Any]:
    return await api.get(f"{BASE}/applications/{application_id}")


async def step(api: Api, application_id: str, action: str, body: dict[str, Any]) -> dict[str, Any]:
    """One of STEPS; answers with the application after the step."""
    path = STEPS[action]
    if "{part_id}" in path:  # the partial award the step is about is in the path, not the body
        body = dict(body)
        path = path.format(part_id=body.pop("part_id", "") or "-")
    return await api.post(f"{BASE}/applications/{application_id}/{path}", json=body)


async def commissions(api: Api) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/commissions")


async def tribunals(api: Api) -> list[dict[str, Any]]:
    """Dispatched tribunals (派出仲裁庭), each a venue of its commission."""
    return await api.get(f"{BASE}/tribunals")


async def arbitrators(api: Api, commission_id: str) -> list[dict[str, Any]]:
    return await api.get(f"{BASE}/arbitrators", params={"commission_id": commission_id})
