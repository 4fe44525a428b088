"""Events of services/wage-arrears (topic wage-arrears.alerts.v1): alerts keyed by alert id;
orders to pay and incidents keyed by their own id."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import WAGE_ARREARS

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
    """New evidence for an alert's pattern, or the pattern no longer holding (its complaints
    closed or withdrawn): the alert stays with its owner to close."""

    updated_at: datetime
    summary_zh: str
    case_ids: list[str] = Field(default_factory=list)
    worker_count: int = 0
    amount_fen: int = 0
    pattern_holds: bool = True


class AlertStateChanged(_AlertEvent, type="cn.labornet.wage_arrears.alert.state_changed.v1", topic=WAGE_ARREARS):
    """open → acknowledged → dispatched → resolved / closed, or escalated when a clock ran out."""

    state: Literal["acknowledged", "dispatched", "resolved", "closed", "escalated"]
    changed_at: datetime
    owner: str | None = None
    dispatched_to: str | None = Field(default=None, description="inspection brigade, police, another region")
    reason: str = ""
    escalation_level: int = 0
    due_at: datetime | None = Field(default=None, description="when the alert's running clock runs out")


class ReferralRecommended(_AlertEvent, type="cn.labornet.wage_arrears.referral.recommended.v1", topic=WAGE_ARREARS):
    """Amounts cross the 拒不支付劳动报酬罪 band (刑法 Art. 276-1; 2013 interpretation Art. 3):
    a criminal referral package is ready for the inspectors."""

    referral_id: str
    recommended_at: datetime
    worker_count: int
    amount_fen: int
    case_ids: list[str] = Field(default_factory=list)


# -- inspection records: orders to pay and incidents (keyed by their own id) ---------------------
#
# The desk folds these into an employer's risk picture like case events, so rebuilding the picture
# from the topics includes them. region_code is the county of the issuing labour administration
# (劳动保障监察条例 Art. 13: the county or city administration of the workplace).

OrderKind = Literal["rectification_instruction", "handling_decision"]
ServiceMethod = Literal["direct", "left_at_premises", "mail", "electronic", "posted"]


class OrderToPayIssued(EventData, type="cn.labornet.wage_arrears.order.issued.v1", topic=WAGE_ARREARS):
    """A written order to pay wages within a time limit: 劳动保障监察限期整改指令书 or 行政处理决定书
    (劳动保障监察条例 Art. 26: 责令限期支付; unpaid past the limit, 加付赔偿金). Both the 拒不支付劳动报酬罪
    (刑法 Art. 276-1: 经政府有关部门责令支付仍不支付) and the arrears blacklist (人社部令第45号 Art. 5)
    start from such an order left unpaid past its limit."""

    order_id: str
    region_code: str
    employer_name: str
    employer_uscc: str | None = None
    project: str | None = None
    document_number: str = Field(description="文书编号")
    kind: OrderKind
    issued_on: date
    due_on: date = Field(description="限期: the last day to pay")
    amount_fen: int = Field(ge=1)
    worker_count: int = Field(ge=1)
    case_ids: list[str] = Field(default_factory=list)
    issued_by: str = ""


class OrderToPayServed(EventData, type="cn.labornet.wage_arrears.order.served.v1", topic=WAGE_ARREARS):
    """The order reached the employer; posting it at the workplace when the employer cannot be
    reached counts as served (2013 interpretation Art. 4)."""

    order_id: str
    region_code: str
    served_on: date
    method: ServiceMethod
    recorded_by: str = ""


class OrderToPayPaid(EventData, type="cn.labornet.wage_arrears.order.paid.v1", topic=WAGE_ARREARS):
    """What the employer has paid against the order so far (a running total, so redelivery and
    repeated records cannot double-count)."""

    order_id: str
    region_code: str
    paid_on: date
    paid_total_fen: int = Field(ge=0)
    recorded_by: str = ""


class IncidentRecorded(EventData, type="cn.labornet.wage_arrears.incident.recorded.v1", topic=WAGE_ARREARS):
    """A mass or extreme incident caused by arrears (群体性事件、极端事件), as the blacklist's
    second ground reads it (人社部令第45号 Art. 5(二))."""

    incident_id: str
    region_code: str
    employer_name: str
    employer_uscc: str | None = None
    project: str | None = None
    kind: Literal["mass", "extreme"]
    occurred_on: date
    serious_impact: bool = Field(description="造成严重不良社会影响")
    workers_involved: int = Field(default=0, ge=0)
    description: str = ""
    case_ids: list[str] = Field(default_factory=list)
    recorded_by: str = ""
