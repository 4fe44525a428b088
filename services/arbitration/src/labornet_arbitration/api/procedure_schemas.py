"""Request bodies of arbitration as practised (withdrawal, absence, postponement, simplified
procedure, provisional execution, partial awards, service by publication)."""

from __future__ import annotations

from datetime import date, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from labornet_arbitration.api.schemas import AwardItemIn
from labornet_arbitration.domain.procedures import SIMPLIFIED_EXCLUSIONS, SIMPLIFIED_GROUNDS
from labornet_common.contracts.claims import ClaimCategory

SimplifiedGround = Literal[SIMPLIFIED_GROUNDS]  # type: ignore[valid-type]
SimplifiedExclusion = Literal[SIMPLIFIED_EXCLUSIONS]  # type: ignore[valid-type]


def _body(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class WithdrawalCreate(BaseModel):
    model_config = _body({"settled": True, "settlement": "用人单位已当场支付拖欠工资18600元"})

    settled: bool = Field(default=False, description="withdrawn after a settlement (和解) with the other party")
    settlement: str = Field(default="", max_length=2000, description="the settlement's terms, when settled")
    on: date | None = Field(default=None, description="the day of withdrawal; today if omitted")


class AbsenceCreate(BaseModel):
    model_config = _body({"reason": "经书面通知，无正当理由拒不到庭"})

    reason: str = Field(min_length=1, max_length=500, description="how the party failed to appear (LDA Art. 36)")
    on: date | None = Field(default=None, description="the hearing day or later; today if omitted")


class DefaultAwardCreate(AbsenceCreate):
    model_config = _body(
        {
            "reason": "被申请人经书面通知无正当理由拒不到庭",
            "items": [{"category": "labor_remuneration", "amount_fen": 1_860_000, "description": "支付拖欠工资"}],
        }
    )

    items: list[AwardItemIn] = Field(min_length=1, max_length=50)


class PostponementCreate(BaseModel):
    model_config = _body(
        {
            "requested_by": "employer",
            "requested_on": "2026-10-06",
            "reason": "代理律师住院治疗",
            "granted": True,
            "hearing_on": "2026-10-20",
            "hearing_time": "09:30",
            "notice_served_on": "2026-10-09",
            "venue": "洛阳市劳动人事争议仲裁委员会第二仲裁庭",
        }
    )

    requested_by: Literal["worker", "employer", "tribunal"]
    requested_on: date | None = Field(default=None, description="at least 3 days before the hearing (LDA Art. 35)")
    reason: str = Field(min_length=1, max_length=500, description="the good reason given")
    granted: bool = Field(description="the commission's decision")
    hearing_on: date | None = Field(default=None, description="the new hearing day, when granted")
    hearing_time: time | None = None
    notice_served_on: date | None = Field(default=None, description="at least 5 days before the new day; today")
    venue: str = Field(default="", max_length=200, description="the new venue; the old one if empty")


class SimplifiedCreate(BaseModel):
    model_config = _body({"grounds": ["clear_facts", "amount_within_average_wage"], "exclusions": []})

    grounds: list[SimplifiedGround] = Field(min_length=1, max_length=3, description="Rules Art. 56, any one")
    exclusions: list[SimplifiedExclusion] = Field(
        default_factory=list, max_length=4, description="what applies of Rules Art. 57 (refused if any)"
    )
    on: date | None = None


class ConversionCreate(BaseModel):
    model_config = _body({"reason": "需要进行工伤鉴定，案情复杂"})

    reason: str = Field(min_length=1, max_length=500)
    on: date | None = None


class ProvisionalItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: ClaimCategory
    amount_fen: int = Field(gt=0)
    description: str = Field(default="", max_length=500)


class ProvisionalExecutionCreate(BaseModel):
    model_config = _body(
        {
            "items": [{"category": "labor_remuneration", "amount_fen": 1_860_000}],
            "rights_clear": True,
            "living_seriously_affected": True,
            "court_name": "洛阳市洛龙区人民法院",
        }
    )

    items: list[ProvisionalItemIn] = Field(min_length=1, max_length=10)
    rights_clear: bool = Field(description="权利义务关系明确 (LDA Art. 44(一))")
    living_seriously_affected: bool = Field(description="不先予执行将严重影响申请人的生活 (LDA Art. 44(二))")
    court_name: str = Field(default="", max_length=200, description="the court it is transferred to, when granted")
    on: date | None = None


class PartialAwardCreate(BaseModel):
    model_config = _body({"items": [{"category": "labor_remuneration", "amount_fen": 1_860_000}]})

    items: list[AwardItemIn] = Field(min_length=1, max_length=50)
    on: date | None = None


class PublicationCreate(BaseModel):
    model_config = _body({"document": "application_copy", "published_on": "2026-09-05"})

    document: Literal["application_copy", "hearing_notice", "award", "other"]
    published_on: date | None = Field(default=None, description="the day of publication; today if omitted")
