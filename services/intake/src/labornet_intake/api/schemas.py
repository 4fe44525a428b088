from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.contracts.intake import ClaimSummary


class ComplaintCreate(BaseModel):
    channel: Literal["online", "window", "hotline_12333", "police_110", "referral"] = "online"
    workplace_division: str = Field(pattern=r"^\d{6}(\d{3})?$", description="GB/T 2260 code")
    worker_name: str = Field(min_length=1, max_length=100)
    employer_name: str = Field(min_length=1, max_length=200)
    facts: str = Field(default="", max_length=10000)
    claims: list[ClaimSummary] = Field(default_factory=list, max_length=50)


class ComplaintCreated(BaseModel):
    case_id: str
    tracking_number: str
    status: str
    route: str | None


class ComplaintRead(BaseModel):
    case_id: str
    tracking_number: str
    channel: str
    status: str
    route: str | None
    region_code: str
    workplace_division: str
    employer_name: str
    received_at: datetime
    claims: list[ClaimSummary]
