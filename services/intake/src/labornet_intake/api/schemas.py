from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from labornet_common.contracts.intake import ClaimSummary
from labornet_common.standards import normalise_phone, validate_id_number


def _id_number(value: str | None) -> str | None:
    # A StandardError carries its own code and Chinese/English text into the 422 problem.
    return None if value is None or not value.strip() else validate_id_number(value).number


def _phone(value: str | None) -> str | None:
    return None if value is None or not value.strip() else normalise_phone(value)


class ComplaintCreate(BaseModel):
    channel: Literal["online", "window", "hotline_12333", "police_110", "referral"] = "online"
    workplace_division: str = Field(pattern=r"^\d{6}(\d{3})?$", description="GB/T 2260 code")
    worker_name: str = Field(min_length=1, max_length=100)
    employer_name: str = Field(min_length=1, max_length=200)
    facts: str = Field(default="", max_length=10000)
    claims: list[ClaimSummary] = Field(default_factory=list, max_length=50)
    worker_id_number: str | None = Field(
        default=None, max_length=40, description="居民身份证号码 (GB 11643); stored encrypted"
    )
    worker_phone: str | None = Field(
        default=None, max_length=40, description="mobile or fixed line; stored encrypted"
    )

    check_id_number = field_validator("worker_id_number")(_id_number)
    check_phone = field_validator("worker_phone")(_phone)


class ComplaintCreated(BaseModel):
    case_id: str
    tracking_number: str
    status: str
    route: str | None
    access_code: str | None = Field(
        default=None,
        description="the worker's access code: shown in this answer only, never again "
        "(a replayed Idempotency-Key answer does not repeat it)",
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
    received_at: datetime
    claims: list[ClaimSummary]
    worker_id_number: str | None = Field(
        default=None, description="masked (110105********002X) unless you are the worker or the filing clerk"
    )
    worker_phone: str | None = Field(default=None, description="masked (138****1234) likewise")


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
