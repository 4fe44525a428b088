"""Events of services/intake (topic intake.complaints.v1)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.bus.topics import INTAKE
from labornet_common.events import EventData

Route = Literal["mediation", "arbitration", "inspection"]


class ClaimSummary(BaseModel):
    category: str = Field(description="案由 (LDA Art. 2 category code)")
    amount_fen: int | None = Field(default=None, ge=0, description="amount claimed, in fen")


class ComplaintReceived(EventData, type="cn.labornet.intake.complaint.received.v1", topic=INTAKE):
    """A complaint was accepted at the one window and became a case."""

    case_id: str
    tracking_number: str
    channel: str
    received_at: datetime
    region_code: str = Field(description="division code of the region that owns the case")
    workplace_division: str
    employer_name: str
    employer_uscc: str | None = None
    worker_count: int = 1
    claims: list[ClaimSummary] = Field(default_factory=list)


class RoutingReason(BaseModel):
    rule: str
    article: str
    explanation_zh: str


class ComplaintRouted(EventData, type="cn.labornet.intake.complaint.routed.v1", topic=INTAKE):
    """Intake decided which body handles the case, and why."""

    case_id: str
    route: Route
    target_org_id: str | None = None
    target_division: str
    reasons: list[RoutingReason] = Field(default_factory=list)
    worker_name: str
    employer_name: str
    facts: str = ""
    claims: list[ClaimSummary] = Field(default_factory=list)
