"""What the court reads and posts: a case found by its keys, a callback's body and answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from labornet_common.contracts.passport import STAGE_ZH
from labornet_gateway.service.case_index import FoundCase

PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/problem+json": {}}}
    for code, text in (
        (401, "not signed in, or the callback's signature does not verify"),
        (404, "no such case within the caller's regions (the callback was not accepted)"),
        (422, "invalid fields; for a callback: no key, or case_id and case_number name different cases"),
    )
}


class DocketNumberRead(BaseModel):
    case_number: str = Field(description="案号")
    commission_id: str
    accepted_on: date | None = None
    current: bool = Field(description="the case's docket number now (the newest)")


class CourtCaseRead(BaseModel):
    case_id: str
    case_number: str | None = Field(description="the current 案号; none before docketing (e.g. mediation)")
    case_numbers: list[DocketNumberRead] = Field(description="every 案号, including those before a referral (移送)")
    commission_id: str | None = None
    centre_id: str | None = Field(default=None, description="the mediation centre, for a case mediated first")
    division_code: str | None = None
    stage: str | None = Field(
        description="where the dispute stands, as every service reads it (the case passport): mediation, "
        "arbitration, docketed, awarded, court, set_aside, effective, …"
    )
    stage_zh: str | None = None
    links: dict[str, str] = Field(description="where to read the case, and where to post court events")


class CallbackAccepted(BaseModel):
    webhook_id: str
    accepted: bool
    duplicate: bool = Field(description="this webhook-id was accepted before: nothing new was published")


def case_read(found: FoundCase) -> CourtCaseRead:
    entry = found.entry
    current = entry.case_number
    numbers = [
        DocketNumberRead(
            case_number=n.case_number,
            commission_id=n.commission_id,
            accepted_on=n.accepted_on,
            current=n.case_number == current,
        )
        for n in [*found.referred_in, *entry.numbers]
    ]
    return CourtCaseRead(
        case_id=entry.case_id,
        case_number=current,
        case_numbers=numbers,
        commission_id=entry.commission_id,
        centre_id=entry.centre_id,
        division_code=entry.division_code,
        stage=entry.stage,
        stage_zh=STAGE_ZH.get(entry.stage) if entry.stage else None,
        links=_links(found),
    )


def _links(found: FoundCase) -> dict[str, str]:
    entry = found.entry
    links = {"self": f"/api/v1/court/cases/{entry.case_id}", "callbacks": "/api/v1/court/callbacks"}
    if entry.application_id:
        links["arbitration"] = f"/api/v1/arbitration/applications/{entry.application_id}"
    if entry.centre_id or (entry.passport and "mediation" in entry.passport.get("views", {})):
        links["mediation"] = f"/api/v1/mediation/cases/{entry.case_id}"
    return links


def callback_openapi() -> dict[str, Any]:
    """The callback's body in the OpenAPI (the route reads the raw bytes to check the signature)."""
    from labornet_gateway.webhooks.inbound import CourtCallback

    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CourtCallback.model_json_schema()}},
            "description": "Signed with Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). "
            "Name the case by case_number (案号), case_id, or both (they must agree).",
        }
    }
