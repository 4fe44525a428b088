"""Request and response bodies of the arbitration API (apart from domain and ORM classes)."""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator, model_validator

from labornet_arbitration.api.calendar_flags import ProvisionalDeadlines
from labornet_arbitration.api.effect import AwardEffectRead, award_effect
from labornet_arbitration.domain.procedures import partial_effects_of
from labornet_arbitration.domain.tribunal import RECUSAL_GROUNDS
from labornet_common.contracts.arbitration import ApplicantSide
from labornet_common.contracts.claims import ClaimCategory, ClaimSummary
from labornet_common.standards import normalise_phone, validate_id_number, validate_uscc

DIVISION = r"^[0-9]{6}([0-9]{3})?([0-9]{3})?$"
Ground = Literal[RECUSAL_GROUNDS]  # type: ignore[valid-type]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _id_number(value: str | None) -> str | None:
    # A StandardError carries its own code and Chinese/English text into the 422 problem.
    return None if value is None or not value.strip() else validate_id_number(value).number


def _phone(value: str | None) -> str | None:
    return None if value is None or not value.strip() else normalise_phone(value)


class ApplicationCreate(_Body):
    applicant_side: ApplicantSide = Field(
        default="worker", description="who applies (LDA Art. 21): the worker(s), or the employer against them"
    )
    commission_id: str = Field(max_length=40)
    tribunal_id: str | None = Field(default=None, max_length=40)
    case_id: str | None = Field(default=None, max_length=36, description="the case passport, when one exists")
    workplace_division: str = Field(pattern=DIVISION, description="where the contract is performed (LDA Art. 21)")
    employer_division: str | None = Field(default=None, pattern=DIVISION)
    worker_name: str = Field(min_length=1, max_length=100)
    worker_id_number: str | None = Field(
        default=None, max_length=40, description="身份证件号码 (Rules Art. 29; GB 11643); stored encrypted"
    )
    worker_phone: str | None = Field(default=None, max_length=40, description="联系电话 (Rules Art. 29); encrypted")
    worker_count: int = Field(default=1, ge=1, le=100_000)
    employer_name: str = Field(min_length=1, max_length=200)
    employer_uscc: str | None = Field(default=None, min_length=18, max_length=18)
    facts: str = Field(default="", max_length=10_000)
    claims: list[ClaimSummary] = Field(min_length=1, max_length=50)
    received_on: date | None = None

    check_id_number = field_validator("worker_id_number")(_id_number)
    check_phone = field_validator("worker_phone")(_phone)


class CorrectionCreate(_Body):
    items: list[str] = Field(min_length=1, max_length=30, description="everything missing, listed once")
    requested_on: date | None = None


class OnDay(_Body):
    on: date | None = Field(default=None, description="the day it happened; today if omitted")


class AwardServiceCreate(OnDay):
    party: Literal["worker", "employer"] | None = Field(
        default=None,
        description="the party that received it (its own periods run from its day); every party not yet served "
        "if omitted",
    )


class NotAccepted(_Body):
    reasons: list[str] = Field(min_length=1, max_length=20, description="written reasons (LDA Art. 29)")
    on: date | None = None


class Referral(_Body):
    to_commission_id: str = Field(max_length=40)
    reason: str = Field(min_length=1, max_length=500)
    on: date | None = None


class SeatIn(_Body):
    arbitrator_id: str = Field(max_length=40)
    role: Literal["presiding", "member", "sole"]


class TribunalCreate(_Body):
    mode: Literal["sole", "panel"]
    members: list[SeatIn] = Field(min_length=1, max_length=3)
    complex_case: bool = Field(default=False, description="major or complex: three arbitrators (组织规则 13)")
    on: date | None = None


class RecusalCreate(_Body):
    arbitrator_id: str = Field(max_length=40)
    ground: Ground  # LDA Art. 33
    on: date | None = None


class RecusalDecision(_Body):
    granted: bool
    on: date | None = None


class HearingCreate(_Body):
    hearing_on: date
    hearing_time: time | None = Field(default=None, description="start, Beijing time (HH:MM), told to the parties")
    notice_served_on: date | None = Field(default=None, description="today if omitted")
    venue: str = Field(min_length=1, max_length=200)


class Suspension(_Body):
    reason: str = Field(min_length=1, max_length=500)
    on: date | None = None


class Extension(_Body):
    days: int = Field(ge=1, le=15, description="LDA Art. 43: at most 15 days in all")
    reason: str = Field(min_length=1, max_length=500)
    chair_approved: Literal[True] = Field(description="approved by the commission's chair")


class ClaimsChange(_Body):
    claims: list[ClaimSummary] = Field(min_length=1, max_length=50)
    on: date | None = None


class AwardItemIn(_Body):
    category: ClaimCategory
    description: str = Field(default="", max_length=500)
    amount_fen: int | None = Field(default=None, ge=0)
    granted: bool = True


class AwardCreate(_Body):
    kind: Literal["award", "mediation"] = "award"
    items: list[AwardItemIn] = Field(min_length=1, max_length=50)
    on: date | None = None


class ApplicationRead(ProvisionalDeadlines, BaseModel):
    application_id: str
    case_id: str
    source: str
    status: str
    applicant_side: str = "worker"
    applicant: str = Field(default="", description="the worker, or the employer when it applied (LDA Art. 21)")
    respondents: list[str] = Field(default_factory=list)
    worker_name: str = ""
    worker_id_masked: str | None = None
    worker_phone_masked: str | None = None
    division_code: str
    commission_id: str
    tribunal_id: str | None
    worker_count: int
    collective: bool
    employer_name: str
    claims: list[dict[str, Any]]
    received_on: date
    acceptance_due_on: date
    correction_items: list[str]
    decided_on: date | None
    reasons: list[str]
    referred_to: str | None
    case_number: str | None
    accepted_on: date | None
    serve_copy_due_on: date | None
    tribunal_notice_due_on: date | None
    respondent_received_on: date | None
    defence_due_on: date | None
    award_due_on: date | None
    extension_days: int
    paused_days: int
    tribunal: dict[str, Any] | None
    recusals: list[dict[str, Any]]
    hearing: dict[str, Any] | None
    award: dict[str, Any] | None
    acceptance_overdue_on: date | None
    award_overdue_on: date | None
    court: dict[str, Any]
    merged_into: str | None = Field(default=None, description="the keeper's application after a 移送")
    history: list[dict[str, Any]] = Field(default_factory=list, description="notices to the parties, in order")
    procedure: dict[str, Any] = Field(
        default_factory=dict,
        description="simplified or ordinary, postponements, 公告送达, 先予执行 rulings, partial awards, closure",
    )

    model_config = ConfigDict(from_attributes=True)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def partial_awards(self) -> list[dict[str, Any]]:
        """先行裁决 (LDA Art. 43 ¶2), each with its own effect (LDA Arts. 47-50)."""
        return partial_effects_of(self.status, self.procedure or {})

    @computed_field  # type: ignore[prop-decorator]
    @property
    def award_effect(self) -> AwardEffectRead | None:
        """The award's effect, from its items, service and the court's events (LDA Arts. 42, 47-50)."""
        return award_effect(status=self.status, award=self.award, court=self.court)


class ApplicationPage(BaseModel):
    items: list[ApplicationRead]
    next_cursor: str | None = None


def _uscc(value: str | None) -> str | None:
    return None if value is None or not value.strip() else validate_uscc(value).code


class ApplicationSearch(_Body):
    """One worker's applications by ID number (blind index), or one employer's by its unified
    social credit code; in the body, as an ID number never travels in a URL."""

    worker_id_number: str | None = Field(default=None, max_length=40, description="身份证件号码 (GB 11643)")
    employer_uscc: str | None = Field(default=None, max_length=40, description="统一社会信用代码 (GB 32100)")

    check_id_number = field_validator("worker_id_number")(_id_number)
    check_uscc = field_validator("employer_uscc")(_uscc)

    @model_validator(mode="after")
    def _one_key(self) -> ApplicationSearch:
        if not (self.worker_id_number or self.employer_uscc):
            raise ValueError("give worker_id_number or employer_uscc")
        return self
