from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from labornet_common.contracts.intake import ClaimSummary, RoutingReason
from labornet_common.standards import division_registry, normalise_phone, validate_id_number, validate_uscc
from labornet_intake.api.calendar_flags import ProvisionalAnswerDue
from labornet_intake.domain import receipt


def _id_number(value: str | None) -> str | None:
    # A StandardError carries its own code and Chinese/English text into the 422 problem.
    return None if value is None or not value.strip() else validate_id_number(value).number


def _phone(value: str | None) -> str | None:
    return None if value is None or not value.strip() else normalise_phone(value)


def _uscc(value: str | None) -> str | None:
    return None if value is None or not value.strip() else validate_uscc(value).code


def _division(value: str | None) -> str | None:
    """A GB/T 2260 code (or 9-digit township code) that exists: city, county or street."""
    if value is None:
        return None
    division_registry().validate_division(value, levels=("city", "county", "township"))
    return value


def _divisions(values: list[str]) -> list[str]:
    for value in values:
        _division(value)
    return values


_DIVISION = r"^\d{6}(\d{3})?$"
_RECEIVED_AT = (
    "when the complaint actually arrived (window, oral, 12333, 110 or referral filings only): a date-time "
    "with its UTC offset, or a date (YYYY-MM-DD, that day in China); not in the future, not more than "
    f"{receipt.MAX_BACKDATE_DAYS} days back; default: now"
)
# What receipt.parse_moment takes, as the document says it: a date-time, a date, blank (now) or null.
_RECEIPT_MOMENT: dict[str, Any] = {
    "anyOf": [
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": r"^\s*$"},
        {"type": "null"},
    ]
}


class RepresentativeBase(BaseModel):
    """A representative the workers of a collective dispute chose (LDA Art. 7)."""

    name: str = Field(min_length=1, max_length=100)
    id_number: str | None = Field(default=None, max_length=40, description="居民身份证号码; stored encrypted")
    phone: str | None = Field(default=None, max_length=40, description="stored encrypted")


class RepresentativeCreate(RepresentativeBase):
    check_id_number = field_validator("id_number")(_id_number)
    check_phone = field_validator("phone")(_phone)


class RepresentativeRead(RepresentativeBase):
    id_number: str | None = Field(default=None, description="always masked (110105********002X)")
    phone: str | None = Field(default=None, description="always masked (138****1234)")


class ClaimCreate(BaseModel):
    """One claim (案由, LDA Art. 2): its category, the amount in fen and the period it covers."""

    category: str = Field(max_length=40, description="a ClaimCategory code, e.g. labor_remuneration")
    amount_fen: int | None = Field(default=None, ge=0, description="amount claimed, in fen")
    period_from: date | None = None
    period_to: date | None = None
    description: str = Field(default="", max_length=500)


class ComplaintCreate(BaseModel):
    channel: Literal["online", "window", "hotline_12333", "police_110", "referral"] = "online"
    workplace_division: str = Field(
        pattern=_DIVISION, description="where the contract is performed: GB/T 2260 county or 9-digit street code"
    )
    workplace_address: str | None = Field(default=None, max_length=300)
    other_workplaces: list[str] = Field(
        default_factory=list, max_length=10, description="further performance places (办案规则 Art. 8)"
    )
    worker_name: str = Field(min_length=1, max_length=100)
    worker_id_number: str | None = Field(
        default=None, max_length=40, description="居民身份证号码 (GB 11643); stored encrypted"
    )
    worker_phone: str | None = Field(default=None, max_length=40, description="mobile or fixed line; stored encrypted")
    worker_residence: str | None = Field(default=None, max_length=300, description="住所; stored encrypted")
    employer_name: str = Field(min_length=1, max_length=200)
    employer_uscc: str | None = Field(default=None, max_length=40, description="统一社会信用代码 (GB 32100)")
    employer_address: str | None = Field(default=None, max_length=300)
    employer_division: str | None = Field(
        default=None, pattern=_DIVISION, description="the employer's registered seat (所在地)"
    )
    project: str | None = Field(default=None, max_length=200, description="construction project, when named")
    facts: str = Field(default="", max_length=10000)
    claims: list[ClaimCreate] = Field(default_factory=list, max_length=50)
    worker_count: int = Field(default=1, ge=1, le=100000, description="workers sharing the complaint")
    requested_route: Literal["mediation", "arbitration", "inspection", "help_me_choose"] = "help_me_choose"
    employment_ended_on: date | None = Field(default=None, description="when the labor relationship ended")
    pending_proceedings: Literal["arbitration", "court"] | None = Field(
        default=None, description="the dispute is already before a commission or a court"
    )
    oral: bool = Field(default=False, description="an oral complaint the clerk records on the spot")
    police_incident_number: str | None = Field(default=None, max_length=64, description="110 警情编号")
    referred_by: str | None = Field(default=None, max_length=200, description="the region or agency referring it")
    joint_acceptance: bool = Field(
        default=False, description="a clerk accepts for another region's workplace (一地投诉、区域联动受理)"
    )
    received_at: datetime | None = Field(default=None, description=_RECEIVED_AT, json_schema_extra=_RECEIPT_MOMENT)
    representatives: list[RepresentativeCreate] = Field(
        default_factory=list,
        max_length=20,
        description="a collective filing's representatives (LDA Art. 7): three to five (办案规则 Art. 6)",
    )

    @field_validator("received_at", mode="before")
    @classmethod
    def _receipt_moment(cls, value: object) -> datetime | None:
        return receipt.parse_moment(value)

    check_id_number = field_validator("worker_id_number")(_id_number)
    check_phone = field_validator("worker_phone")(_phone)
    check_uscc = field_validator("employer_uscc")(_uscc)
    check_divisions = field_validator("workplace_division", "employer_division")(_division)
    check_other_workplaces = field_validator("other_workplaces")(_divisions)


class Routing(BaseModel):
    route: str
    target_org_id: str | None
    target_org_name: str | None
    target_division: str | None
    reasons: list[RoutingReason]


class JointAcceptanceState(ProvisionalAnswerDue, BaseModel):
    forward_id: str
    to_region: str
    accepting_region: str | None
    answer_due_on: date
    status: str | None


class DisputeSummary(BaseModel):
    """Where the dispute stands across the network (the case passport), whoever holds it."""

    case_id: str
    stage: str = Field(description="intake, routed, mediation, agreed, arbitration, docketed, awarded, court, …")
    stage_zh: str
    route: str = Field(description="the body it is before: mediation, arbitration, inspection or court")
    holder_kind: str | None = Field(default=None, description="window, centre, commission, tribunal or desk")
    holder_id: str | None = None
    holder_name: str | None = None
    case_number: str | None = Field(default=None, description="the commission's docket number (案号), once docketed")
    tracking_number: str | None = None
    worker_count: int = 1
    applicant_side: str | None = None


class ComplaintCreated(BaseModel):
    outcome: Literal["created", "linked_duplicate", "grouped"] = "created"
    filing_id: str | None = None
    case_id: str
    tracking_number: str = Field(description="the case's tracking number (the existing case's when joined)")
    status: str
    route: str | None
    worker_count: int = 1
    collective: bool = False
    routing: Routing | None = None
    limitation_warning: bool = False
    limitation_reason: str = ""
    joint_acceptance: JointAcceptanceState | None = None
    notice_zh: str = ""
    notice_en: str = ""
    access_code: str | None = Field(
        default=None,
        description="this filer's own access code: shown in this answer only, never again (a replayed "
        "Idempotency-Key answer does not repeat it; a worker repeating their own complaint keeps the code "
        "they were given then)",
    )
    dispute: DisputeSummary | None = Field(
        default=None, description="where the dispute this filing belongs to really is, whoever holds it"
    )


class ComplaintRead(BaseModel):
    case_id: str
    tracking_number: str
    channel: str
    status: str
    route: str | None
    region_code: str
    workplace_division: str
    employer_name: str
    employer_uscc: str | None = None
    employer_division: str | None = None
    project: str | None = None
    received_at: datetime = Field(description="收件时间: when the complaint actually arrived")
    worker_name: str = Field(default="", description="the worker who complained (the list's search finds it)")
    registered_at: datetime | None = Field(default=None, description="录入时间: when it was typed in")
    filed_by: str | None = Field(default=None, description="who typed it in (a clerk; none when filed online)")
    claims: list[ClaimSummary]
    worker_count: int = 1
    collective: bool = False
    requested_route: str = "help_me_choose"
    target_org_id: str | None = None
    target_org_name: str | None = None
    routing_reasons: list[RoutingReason] = Field(default_factory=list)
    limitation_warning: bool = False
    limitation_reason: str = ""
    accepted_in_region: str | None = None
    joint_status: str | None = None
    joint_reason: str = ""
    worker_id_number: str | None = Field(
        default=None, description="masked (110105********002X) unless you are the worker or the filing clerk"
    )
    worker_phone: str | None = Field(default=None, description="masked (138****1234) likewise")
    facts: str = Field(default="", description="ID numbers and phones in it masked likewise")
    representatives: list[RepresentativeRead] = Field(
        default_factory=list, description="a collective case's representatives (LDA Art. 7)"
    )

    @field_validator("received_at", "registered_at")
    @classmethod
    def _with_offset(cls, value: datetime | None) -> datetime | None:
        # Stored in UTC; a database without time zones (SQLite) gives them back without one.
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class ComplaintPage(BaseModel):
    items: list[ComplaintRead]
    next_cursor: str | None = None


class ComplaintSearch(BaseModel):
    """Earlier complaints of one worker, found by blind index (in the body: never in a URL)."""

    worker_id_number: str | None = Field(default=None, max_length=40)
    worker_phone: str | None = Field(default=None, max_length=40)

    check_id_number = field_validator("worker_id_number")(_id_number)
    check_phone = field_validator("worker_phone")(_phone)

    @model_validator(mode="after")
    def _one_key(self) -> ComplaintSearch:
        if not (self.worker_id_number or self.worker_phone):
            raise ValueError("give worker_id_number or worker_phone")
        return self


class AccessCheck(BaseModel):
    tracking_number: str = Field(min_length=1, max_length=40)
    access_code: str = Field(min_length=1, max_length=40)


class AccessGranted(BaseModel):
    case_id: str


class JointAnswer(BaseModel):
    decision: Literal["accepted", "refused"]
    reason: str = Field(default="", max_length=1000, description="required when refusing")


class JointForward(ProvisionalAnswerDue, BaseModel):
    forward_id: str
    case_id: str
    accepting_region: str
    target_region: str
    status: str
    requested_on: date
    answer_due_on: date | None
    reason: str = ""
    answered_by: str | None = None


class TimelineEntry(BaseModel):
    at: datetime
    source: str
    text_zh: str


class TrackingView(BaseModel):
    """What the worker sees: where the case is, in plain Chinese, and how it got there."""

    case_id: str
    tracking_number: str
    status: str
    status_zh: str
    latest_zh: str
    updated_at: datetime
    route: str | None
    handled_by: str | None = Field(description="the body the case was sent to")
    routing_reasons: list[RoutingReason]
    worker_count: int
    collective: bool
    limitation_warning: bool
    limitation_reason: str
    joint_status: str | None
    joint_reason: str
    representatives: list[str] = Field(default_factory=list, description="the representatives' names (LDA Art. 7)")
    timeline: list[TimelineEntry]
    dispute: DisputeSummary | None = None
