"""Request and response shapes of the register and roster administration, and of extending the
mediation period."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from labornet_common.contracts.organisations import CommitteeComposition
from labornet_mediation.api.schemas import DIVISION, _known_division, _uscc

BODY_ID = Field(min_length=3, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$", description="lower-case id")
CentreKind = Literal["street", "township", "park", "enterprise", "industry"]


class ExtensionCreate(BaseModel):
    """Both parties agreed to go on mediating (LDA Art. 14; 人社部令17号)."""

    extra_days: int = Field(ge=1, le=365, description="calendar days added after the current last day")
    worker_agrees: bool = Field(description="the worker agreed to the extension")
    employer_agrees: bool = Field(description="the employer agreed to the extension")
    agreed_on: date
    note: str = Field(default="", max_length=500)


class MediatorCreate(BaseModel):
    centre_id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    subject: str = Field(min_length=1, max_length=200, description="the principal subject they sign in with")
    mediator_id: str | None = Field(default=None, min_length=3, max_length=80, pattern=r"^[A-Za-z0-9:._-]+$")


class MediatorMove(BaseModel):
    centre_id: str = Field(min_length=1, max_length=40)


class MediatorRetire(BaseModel):
    reason: str = Field(default="", max_length=500)


class RosterChangeResult(BaseModel):
    mediator_id: str
    centre_id: str
    reassigned: dict[str, str | None] = Field(
        default_factory=dict, description="each open case and its new mediator (null: waits for one)"
    )


class MediatorEnrolledRead(BaseModel):
    mediator_id: str
    centre_id: str
    division_code: str


class CentreCreate(BaseModel):
    centre_id: str = BODY_ID
    kind: CentreKind
    name: str = Field(min_length=2, max_length=200)
    division_code: str = DIVISION
    serves: list[str] = Field(default_factory=list, max_length=50)
    tribunal_id: str | None = Field(default=None, max_length=40)
    industry: str | None = Field(default=None, max_length=40)
    employer_uscc: str | None = Field(default=None, description="an enterprise committee's enterprise")
    employer_name: str | None = Field(default=None, max_length=200)
    composition: CommitteeComposition | None = Field(default=None, description="enterprise committees (LDA Art. 10)")

    _division = field_validator("division_code")(_known_division)
    _employer = field_validator("employer_uscc")(_uscc)

    @field_validator("serves")
    @classmethod
    def _codes(cls, value: list[str]) -> list[str]:
        for code in value:
            _known_division(code)
        return value


class TribunalCreate(BaseModel):
    tribunal_id: str = BODY_ID
    name: str = Field(min_length=2, max_length=200)
    commission_id: str = Field(min_length=1, max_length=40)
    division_code: str = DIVISION
    centre_id: str | None = Field(default=None, max_length=40)

    _division = field_validator("division_code")(_known_division)


class RegisterResult(BaseModel):
    id: str
    created: bool


class RosterChangeRead(BaseModel):
    change_id: str
    action: str
    subject_id: str
    division_code: str
    detail: dict[str, Any]
    changed_by: str
    changed_at: Any
