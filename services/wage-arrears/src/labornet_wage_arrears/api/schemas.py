"""API schemas, apart from the domain and ORM classes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from labornet_common.contracts.wage_arrears import OrderKind, ServiceMethod
from labornet_common.standards import division_registry, validate_uscc

Severity = Literal["red", "orange", "yellow"]
State = Literal["open", "acknowledged", "dispatched", "resolved", "closed"]
Rule = Literal[
    "collective_arrears",
    "police_dispatch",
    "repeated_complaints",
    "criminal_referral",
    "agreement_unpaid",
    "award_unpaid",
    "blacklist_eligible",
]


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
    dispatched_region: str | None = Field(description="the region the alert was dispatched to, which also works it")
    reason: str
    history: list[dict[str, Any]]
    holds: bool = Field(description="false once the pattern no longer holds (cases closed or paid)")


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
    orders_unpaid_fen: int = Field(description="served orders to pay, still unpaid")
    incidents: int
    updated_at: datetime


class ProfileList(BaseModel):
    items: list[ProfileRead]


# -- orders to pay and incidents ------------------------------------------------------------------


def _county(value: str) -> str:
    # 劳动保障监察条例 Art. 13: the county (or city) administration of the workplace issues the order.
    division_registry().validate_division(value, levels=("city", "county"))
    return value


def _uscc(value: str | None) -> str | None:
    return None if value is None or not value.strip() else validate_uscc(value).code


class _AboutEmployer(BaseModel):
    region_code: str = Field(pattern=r"^\d{6}$", description="the issuing administration's GB/T 2260 code")
    employer_name: str = Field(min_length=1, max_length=200)
    employer_uscc: str | None = Field(default=None, description="GB 32100 unified social credit code")
    project: str | None = Field(default=None, max_length=200)
    case_ids: list[str] = Field(default_factory=list, max_length=200)

    _region = field_validator("region_code")(_county)
    _code = field_validator("employer_uscc")(_uscc)


class OrderCreate(_AboutEmployer):
    document_number: str = Field(min_length=1, max_length=80, description="文书编号")
    kind: OrderKind = Field(description="rectification_instruction 限期整改指令书 | handling_decision 行政处理决定书")
    issued_on: date
    due_on: date = Field(description="限期: the last day to pay")
    amount_fen: int = Field(ge=1, le=10**13)
    worker_count: int = Field(ge=1, le=100_000)


class ServiceCreate(BaseModel):
    served_on: date
    method: ServiceMethod = Field(description="posted: 张贴公告 at the workplace (2013 interpretation Art. 4)")


class PaymentCreate(BaseModel):
    paid_on: date
    paid_total_fen: int = Field(ge=0, le=10**13, description="everything paid against the order so far")


class IncidentCreate(_AboutEmployer):
    kind: Literal["mass", "extreme"]
    occurred_on: date
    serious_impact: bool = Field(description="造成严重不良社会影响 (人社部令第45号 Art. 5(二))")
    workers_involved: int = Field(default=0, ge=0, le=100_000)
    description: str = Field(default="", max_length=2000)


class OrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: str
    region_code: str
    employer_name: str
    employer_uscc: str | None
    project: str | None
    document_number: str
    kind: str
    issued_on: date
    due_on: date
    amount_fen: int
    worker_count: int
    case_ids: list[str]
    issued_by: str
    served_on: date | None
    service_method: str | None
    paid_total_fen: int
    paid_on: date | None
    unpaid_fen: int
    lapses_on: date | None = Field(description="the first overdue day, once served and while unpaid")
    lapsed: bool = Field(description="逾期未支付 as of today (China time)")


class IncidentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    incident_id: str
    region_code: str
    employer_name: str
    employer_uscc: str | None
    project: str | None
    kind: str
    occurred_on: date
    serious_impact: bool
    workers_involved: int
    description: str
    case_ids: list[str]
    recorded_by: str


class OrderList(BaseModel):
    items: list[OrderRead]
    next_cursor: str | None = None


class IncidentList(BaseModel):
    items: list[IncidentRead]
    next_cursor: str | None = None


class ReferralRead(BaseModel):
    """A recommended criminal referral (刑法 Art. 276-1) as the list shows it; the package itself
    is read at ``/referrals/{referral_id}``. Its state and handling clock are its alert's."""

    model_config = ConfigDict(from_attributes=True)

    referral_id: str
    alert_id: str
    state: State
    region_code: str
    employer_name: str
    employer_uscc: str | None
    project: str | None
    summary_zh: str
    case_ids: list[str]
    worker_count: int
    amount_fen: int
    raised_at: datetime
    due_at: datetime | None
    dispatched_to: str | None
    holds: bool


class ReferralPage(BaseModel):
    items: list[ReferralRead]
    next_cursor: str | None = None
