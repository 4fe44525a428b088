"""Request and response shapes of the mediation API (apart from domain and ORM classes)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.mediation import AgreementTerm
from labornet_common.standards import division_registry, validate_uscc
from labornet_mediation.api.calendar_flags import ProvisionalDue
from labornet_mediation.domain.assignment import RecusalGround

DIVISION = Field(pattern=r"^\d{6}(\d{3})?$", description="GB/T 2260 county or 9-digit street code")


def _known_division(value: str | None) -> str | None:
    # A StandardError carries its own code and Chinese/English text into the 422 problem.
    if value is not None:
        division_registry().validate_division(value)
    return value


def _uscc(value: str | None) -> str | None:
    return None if value is None or not value.strip() else validate_uscc(value).code


class ClockRead(ProvisionalDue, BaseModel):
    due_on: date
    days_left: int | None = Field(description="0 on the last day; negative once overdue; null once stopped")
    status: str = Field(description="ok | due_soon | due_today | overdue | stopped")
    article: str


class MediationCaseRead(BaseModel):
    case_id: str
    division_code: str
    status: str
    employer_name: str
    received_on: date
    due_on: date
    assigned_to: str | None = None
    worker_name: str = ""
    centre_id: str | None = None
    centre_name: str = ""
    tribunal_id: str | None = None
    mediator_id: str | None = None
    mediator_name: str | None = None
    workplace_division: str = ""
    worker_count: int = 1
    collective: bool = False
    origin: str = "intake"
    tracking_number: str = ""
    outcome: str | None = None
    closed_on: date | None = None
    days_left: int | None = None
    clock: ClockRead | None = None


class ExtensionRead(BaseModel):
    extra_days: int
    previous_due_on: date
    due_on: date
    agreed_on: date
    worker_agrees: bool
    employer_agrees: bool
    note: str = ""


class MediationCaseDetail(MediationCaseRead):
    facts: str = ""
    claims: list[ClaimSummary] = Field(default_factory=list)
    decline_reason: str | None = None
    failure_reason: str | None = None
    history_zh: list[str] = Field(default_factory=list)
    sessions: list[dict[str, Any]] = Field(default_factory=list)
    agreement: dict[str, Any] | None = None
    transfer: dict[str, Any] | None = None
    notes: list[dict[str, Any]] | None = Field(default=None, description="staff only")
    recusals: list[dict[str, Any]] | None = Field(default=None, description="staff only")
    extensions: list[ExtensionRead] = Field(
        default_factory=list, description="extensions of the period both parties agreed (LDA Art. 14), in order"
    )
    centre_kind: str | None = None
    acceptance_due_on: date | None = Field(
        default=None, description="enterprise committees: last day to decide on acceptance (3 working days)"
    )


class MediationCasePage(BaseModel):
    items: list[MediationCaseRead]
    next_cursor: str | None = None


class MediationQueue(BaseModel):
    items: list[MediationCaseRead]
    next_cursor: str | None = None


class MediationCaseCreate(BaseModel):
    workplace_division: str = DIVISION
    worker_name: str = Field(min_length=1, max_length=100)
    employer_name: str = Field(min_length=1, max_length=200)
    facts: str = Field(default="", max_length=10000)
    claims: list[ClaimSummary] = Field(default_factory=list, max_length=50)
    centre_id: str | None = Field(default=None, max_length=40, description="default: the centre serving the workplace")
    employer_uscc: str | None = Field(default=None, max_length=40)
    employer_division: str | None = Field(default=None, pattern=r"^\d{6}(\d{3})?$")
    worker_count: int = Field(default=1, ge=1, le=10000)
    received_on: date | None = Field(default=None, description="when the centre received the application")

    check_workplace = field_validator("workplace_division")(_known_division)
    check_uscc = field_validator("employer_uscc")(_uscc)


class CaseCreated(BaseModel):
    case_id: str
    status: str
    due_on: date


class DeclineCreate(BaseModel):
    reason: str = Field(min_length=1, max_length=1000)


class AssignmentCreate(BaseModel):
    mediator_id: str | None = Field(default=None, max_length=80, description="default: the least loaded mediator")


class RecusalCreate(BaseModel):
    ground: RecusalGround
    explanation: str = Field(default="", max_length=2000)
    mediator_id: str | None = Field(default=None, max_length=80, description="default: the mediator on the case")


class RecusalRecorded(BaseModel):
    case_id: str
    replaced_by: str | None = Field(description="the new mediator; null when nobody else serves at the centre")


class SessionCreate(BaseModel):
    starts_at: AwareDatetime
    place: str = Field(default="", max_length=200)
    video_link: str = Field(default="", max_length=500, pattern=r"^(https://\S+)?$")
    attendees: list[str] = Field(default_factory=list, max_length=50)


class AttendanceCreate(BaseModel):
    attended: list[str] = Field(max_length=50, description="who came (parties, agents, witnesses)")


class Created(BaseModel):
    id: str


class NoteCreate(BaseModel):
    text: str = Field(min_length=1, max_length=10000)


class FailureCreate(BaseModel):
    reason: Literal["no_agreement", "party_refused"]
    note: str = Field(default="", max_length=2000)


class AgreementCreate(BaseModel):
    terms: list[AgreementTerm] = Field(min_length=1, max_length=50)
    signed_and_sealed: bool = Field(description="both parties and the mediator signed; the centre sealed")
    effective_on: date | None = None


class TermOutcomeCreate(BaseModel):
    term_no: int = Field(ge=1, description="the term's number in the agreement, from 1")
    outcome: Literal["performed", "breached"]
    unpaid_fen: int | None = Field(default=None, ge=1, description="breached money terms: what is unpaid")
    not_done: str = Field(default="", max_length=1000, description="breached terms: what was not done")


class PerformanceCreate(BaseModel):
    """Term by term (``items``), or the whole agreement (``outcome``, an optional unpaid total)."""

    outcome: Literal["performed", "breached"] | None = None
    unpaid_fen: int | None = Field(default=None, ge=1)
    items: list[TermOutcomeCreate] = Field(default_factory=list, max_length=50)


class CourtRequestCreate(BaseModel):
    kind: Literal["payment_order", "judicial_confirmation"]
    term_nos: list[int] | None = Field(
        default=None, max_length=50, description="payment order: the breached terms it covers (default: all eligible)"
    )


class CourtRequestRead(BaseModel):
    kind: str
    requested_on: date
    amount_fen: int | None
    term_nos: list[int] | None = None
    status: str


class TransferRead(BaseModel):
    transfer_id: str
    case_id: str
    commission_id: str
    tribunal_id: str | None
    venue_name: str
    grounds: str
    transferred_on: date


class TribunalRead(BaseModel):
    tribunal_id: str
    name: str
    division_code: str


class CommissionRead(BaseModel):
    commission_id: str
    name: str


class MediatorRead(BaseModel):
    mediator_id: str
    name: str
    centre_id: str
    subject: str
    division_code: str
    active: bool
    open_cases: int


class CommitteeRead(BaseModel):
    """An enterprise committee's enterprise and make-up, and who may apply to it (LDA Art. 10)."""

    employer_name: str
    employer_uscc: str | None = None
    worker_representatives: int | None = None
    employer_representatives: int | None = None
    chair: str | None = None
    rules_zh: list[str] = Field(default_factory=list)


class CentreRead(BaseModel):
    centre_id: str
    kind: str
    name: str
    division_code: str
    serves: list[str]
    industry: str | None = None
    committee: CommitteeRead | None = Field(default=None, description="enterprise committees only")
    tribunal: TribunalRead | None = Field(default=None, description="the attached 派出仲裁庭, if any")
    commission: CommissionRead | None = Field(default=None, description="the tribunal's parent, else the local one")


class CentreDetail(CentreRead):
    mediators: list[MediatorRead] = Field(default_factory=list)
