"""Events of services/wage-arrears (topic wage-arrears.alerts.v1), keyed by alert id."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from labornet_common.bus.topics import WAGE_ARREARS
from labornet_common.events import EventData

Severity = Literal["red", "orange", "yellow"]


class _AlertEvent(EventData):
    alert_id: str
    region_code: str
    rule: str
    severity: Severity
    employer_name: str = ""
    employer_uscc: str | None = None
    project: str | None = None
    alert_key: str = Field(default="", description="rule | employer | project | region: one alert per pattern")


class AlertRaised(_AlertEvent, type="cn.labornet.wage_arrears.alert.raised.v1", topic=WAGE_ARREARS):
    """A pattern crossed a rule's threshold (one alert per pattern; later evidence updates it)."""

    raised_at: datetime
    summary_zh: str
    source: str = Field(description="the article or document the rule comes from")
    case_ids: list[str] = Field(default_factory=list)
    worker_count: int = 0
    amount_fen: int = 0
    ack_due_at: datetime | None = None
    recommended_action: str = Field(default="", description="e.g. dispatch:police for 110-linked complaints")


class AlertUpdated(_AlertEvent, type="cn.labornet.wage_arrears.alert.updated.v1", topic=WAGE_ARREARS):
    updated_at: datetime
    summary_zh: str
    case_ids: list[str] = Field(default_factory=list)
    worker_count: int = 0
    amount_fen: int = 0


class AlertStateChanged(
    _AlertEvent, type="cn.labornet.wage_arrears.alert.state_changed.v1", topic=WAGE_ARREARS
):
    """open → acknowledged → dispatched → resolved / closed, or escalated when a clock ran out."""

    state: Literal["acknowledged", "dispatched", "resolved", "closed", "escalated"]
    changed_at: datetime
    owner: str | None = None
    dispatched_to: str | None = Field(default=None, description="inspection brigade, police, another region")
    reason: str = ""
    escalation_level: int = 0
    due_at: datetime | None = Field(default=None, description="when the alert's running clock runs out")


class ReferralRecommended(
    _AlertEvent, type="cn.labornet.wage_arrears.referral.recommended.v1", topic=WAGE_ARREARS
):
    """Amounts cross the 拒不支付劳动报酬罪 band (刑法 Art. 276-1; 2013 interpretation Art. 3):
    a criminal referral package is ready for the inspectors."""

    referral_id: str
    recommended_at: datetime
    worker_count: int
    amount_fen: int
    case_ids: list[str] = Field(default_factory=list)
