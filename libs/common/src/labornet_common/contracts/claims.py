"""Claim categories (案由) shared by every service, at the level of LDA Art. 2.

No official arbitration code list exists (domain-rules.md §6), so the top level is the six
categories of LDA Art. 2, split where a later rule treats items differently: LDA Art. 47
makes awards on remuneration, injury medical fees, economic compensation and damages final up
to 12 months' local minimum wage per item, and awards on working-time, rest, leave and social
insurance standards final without a cap.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator


class ClaimCategory(StrEnum):
    labor_relationship = "labor_relationship"  # Art. 2(一) 确认劳动关系
    labor_contract = "labor_contract"  # Art. 2(二) 订立、履行、变更、解除和终止劳动合同
    dismissal = "dismissal"  # Art. 2(三) 除名、辞退和辞职、离职
    working_hours = "working_hours"  # Art. 2(四) 工作时间
    rest_leave = "rest_leave"  # Art. 2(四) 休息休假
    social_insurance = "social_insurance"  # Art. 2(四) 社会保险
    welfare = "welfare"  # Art. 2(四) 福利
    training = "training"  # Art. 2(四) 培训
    labor_protection = "labor_protection"  # Art. 2(四) 劳动保护
    labor_remuneration = "labor_remuneration"  # Art. 2(五) 劳动报酬 (wages, incl. arrears)
    injury_medical = "injury_medical"  # Art. 2(五) 工伤医疗费
    economic_compensation = "economic_compensation"  # Art. 2(五) 经济补偿
    damages = "damages"  # Art. 2(五) 赔偿金
    other = "other"  # Art. 2(六) 法律、法规规定的其他劳动争议


CATEGORY_NAMES_ZH: dict[ClaimCategory, str] = {
    ClaimCategory.labor_relationship: "确认劳动关系",
    ClaimCategory.labor_contract: "劳动合同订立、履行、变更、解除和终止",
    ClaimCategory.dismissal: "除名、辞退和辞职、离职",
    ClaimCategory.working_hours: "工作时间",
    ClaimCategory.rest_leave: "休息休假",
    ClaimCategory.social_insurance: "社会保险",
    ClaimCategory.welfare: "福利",
    ClaimCategory.training: "培训",
    ClaimCategory.labor_protection: "劳动保护",
    ClaimCategory.labor_remuneration: "劳动报酬",
    ClaimCategory.injury_medical: "工伤医疗费",
    ClaimCategory.economic_compensation: "经济补偿",
    ClaimCategory.damages: "赔偿金",
    ClaimCategory.other: "其他劳动争议",
}

# LDA Art. 47(一): final up to 12 x the local monthly minimum wage, per item (Interp-I 19).
CAPPED_FINAL = frozenset(
    {
        ClaimCategory.labor_remuneration,
        ClaimCategory.injury_medical,
        ClaimCategory.economic_compensation,
        ClaimCategory.damages,
    }
)
# LDA Art. 47(二): disputes over national labor standards on working time, rest and leave,
# and social insurance: final without a cap.
UNCAPPED_FINAL = frozenset({ClaimCategory.working_hours, ClaimCategory.rest_leave, ClaimCategory.social_insurance})
# LDA Art. 16: a breached mediation agreement on these may go to court for a payment order.
PAYMENT_ORDER_ELIGIBLE = CAPPED_FINAL


class ClaimSummary(BaseModel):
    """One claim as it travels between services: what, how much, for which period."""

    category: str = Field(description="案由: a ClaimCategory code (LDA Art. 2)")
    amount_fen: int | None = Field(default=None, ge=0, description="amount claimed, in fen")
    period_from: date | None = Field(default=None, description="first day the claim covers")
    period_to: date | None = Field(default=None, description="last day the claim covers")
    description: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _period_in_order(self) -> ClaimSummary:
        if self.period_from and self.period_to and self.period_from > self.period_to:
            raise ValueError("period_from is after period_to")
        return self
