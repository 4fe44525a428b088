"""API schemas, apart from the domain and ORM classes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["red", "orange", "yellow"]
State = Literal["open", "acknowledged", "dispatched", "resolved", "closed"]
Rule = Literal["collective_arrears", "police_dispatch", "repeated_complaints", "criminal_referral",
               "agreement_unpaid", "award_unpaid"]


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    alert_id: str
    alert_key: str
    occurrence: int
    rule: str
    severity: Severity
    state: State
    region_code: str
    subject_kind: str
    employer_name: str
    employer_uscc: str | None
    project: str | None
    source: str
    summary_zh: str
    action: str
    case_ids: list[str]
    worker_count: int
    amount_fen: int
    referral_id: str | None
    raised_at: datetime
    updated_at: datetime
    clock: str | None
    due_at: datetime | None
    escalation_level: int
    owner: str | None
    dispatched_to: str | None
    reason: str
    history: list[dict[str, Any]]


class AlertPage(BaseModel):
    items: list[AlertRead]
    next_cursor: str | None = None


class DispatchCreate(BaseModel):
    to: Literal["inspection_brigade", "police", "region"]
    region_code: str | None = Field(default=None, description="the receiving region, when to = region")
    note: str = Field(default="", max_length=500)

    @property
    def target(self) -> str:
        return f"region:{self.region_code}" if self.to == "region" else self.to


class ReasonCreate(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class ProfileRead(BaseModel):
    profile_id: str
    kind: Literal["employer", "project"]
    region_code: str
    employer_name: str
    employer_uscc: str | None
    project: str | None
    cases: int
    complaints: int
    open_complaints: int
    workers_involved: int
    claimed_fen: int
    wages_claimed_fen: int
    agreed_fen: int
    awarded_fen: int
    unpaid_agreements_fen: int
    unpaid_awards_fen: int
    police_linked: int
    collective_cases: int
    updated_at: datetime


class ProfileList(BaseModel):
    items: list[ProfileRead]
