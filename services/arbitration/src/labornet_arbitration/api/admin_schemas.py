"""Request and response shapes of the arbitrator roster's administration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ArbitratorCreate(_Body):
    commission_id: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=100)
    subject: str | None = Field(
        default=None, min_length=1, max_length=200, description="the principal subject they sign in with, if any"
    )
    arbitrator_id: str | None = Field(default=None, min_length=3, max_length=80, pattern=r"^[A-Za-z0-9:._-]+$")


class ArbitratorMove(_Body):
    commission_id: str = Field(min_length=1, max_length=40)


class ArbitratorRetire(_Body):
    reason: str = Field(default="", max_length=500)


class ArbitratorEnrolledRead(BaseModel):
    arbitrator_id: str
    commission_id: str
    division_code: str


class OpenCaseRead(BaseModel):
    application_id: str
    case_number: str | None
    status: str
    worker_name: str
    commission_id: str


class ReassignmentRead(BaseModel):
    """One unfinished tribunal formed again: the seat of the leaving arbitrator to another."""

    application_id: str
    case_number: str | None
    status: str
    from_arbitrator_id: str
    from_name: str
    to_arbitrator_id: str
    to_name: str


class ArbitratorChangeResult(BaseModel):
    arbitrator_id: str
    commission_id: str
    reassigned: list[ReassignmentRead] = Field(
        default_factory=list, description="each unfinished tribunal they sat on, formed again with another arbitrator"
    )


class ArbitratorRead(BaseModel):
    id: str
    name: str
    commission_id: str
    retired_on: date | None = None


class RosterChangeRead(BaseModel):
    change_id: str
    action: str
    subject_id: str
    division_code: str
    detail: dict[str, Any]
    changed_by: str
    changed_at: datetime
