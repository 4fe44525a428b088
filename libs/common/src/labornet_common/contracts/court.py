"""Court events (topic court.events.v1): verified callbacks from court liaison (裁审衔接),
published by the gateway for the service that owns the case."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import COURT

CourtEventKind = Literal[
    "lawsuit_filed",  # a party sued after an award or a non-acceptance (LDA Arts. 29, 48, 50)
    "set_aside_applied",  # employer applied to set aside a final award (LDA Art. 49)
    "set_aside_decided",
    "enforcement_applied",  # award or mediation document sent for enforcement (LDA Art. 51)
    "judicial_confirmation",  # 司法确认 of a mediation agreement (民诉法 Art. 205)
    "payment_order",  # 支付令 on a breached mediation agreement (LDA Art. 16)
]


class _CourtEvent(EventData):
    case_id: str
    case_number: str = Field(default="", max_length=100, description="docket number (案号) the court named, if any")
    court_name: str = Field(max_length=200)
    court_case_number: str = Field(default="", max_length=100)
    occurred_on: date
    division_code: str = Field(default="", description="division code of the court's seat")
    outcome: str = Field(default="", max_length=200)
    callback_id: str = Field(description="webhook-id of the verified callback")
    ruling_id: str = Field(
        default="",
        max_length=40,
        description="a partial award (先行裁决, LDA Art. 43 ¶2) or 先予执行 ruling (LDA Art. 44) the event is about; "
        "empty: the case's award",
    )
    party: Literal["worker", "employer"] | None = Field(
        default=None, description="who sued or applied (worker or employer side); None when not said"
    )


class LawsuitFiled(_CourtEvent, type="cn.labornet.court.lawsuit_filed.v1", topic=COURT):
    """A party filed suit in court about the case."""


class SetAsideApplied(_CourtEvent, type="cn.labornet.court.set_aside_applied.v1", topic=COURT):
    """The employer applied to the intermediate court to set aside a final award."""


class SetAsideDecided(_CourtEvent, type="cn.labornet.court.set_aside_decided.v1", topic=COURT):
    """The court decided a set-aside application (outcome: set_aside | rejected)."""


class EnforcementApplied(_CourtEvent, type="cn.labornet.court.enforcement_applied.v1", topic=COURT):
    """A party applied to the court for enforcement."""


class JudicialConfirmation(_CourtEvent, type="cn.labornet.court.judicial_confirmation.v1", topic=COURT):
    """The court ruled on judicial confirmation of a mediation agreement."""


class PaymentOrder(_CourtEvent, type="cn.labornet.court.payment_order.v1", topic=COURT):
    """The court issued (or refused) a payment order on a breached mediation agreement."""


BY_KIND: dict[str, type[_CourtEvent]] = {
    "lawsuit_filed": LawsuitFiled,
    "set_aside_applied": SetAsideApplied,
    "set_aside_decided": SetAsideDecided,
    "enforcement_applied": EnforcementApplied,
    "judicial_confirmation": JudicialConfirmation,
    "payment_order": PaymentOrder,
}
