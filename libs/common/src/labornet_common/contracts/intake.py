"""Events of services/intake (topic intake.complaints.v1).

Events carry no ID number and no phone: they are copied to every consumer and kept. A service
that needs a party's contact details asks intake's internal API, which checks the caller.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import INTAKE

__all__ = ["ClaimSummary"]  # re-exported: the claim shape predates contracts.claims

Route = Literal["mediation", "arbitration", "inspection", "redirect"]
Channel = Literal["online", "window", "hotline_12333", "police_110", "referral"]
RequestedRoute = Literal["mediation", "arbitration", "inspection", "help_me_choose"]


class ComplaintReceived(EventData, type="cn.labornet.intake.complaint.received.v1", topic=INTAKE):
    """A complaint was accepted at the one window and became a case."""

    case_id: str
    tracking_number: str
    channel: str
    received_at: datetime
    region_code: str = Field(description="division code of the region that owns the case")
    workplace_division: str
    employer_name: str
    employer_uscc: str | None = None
    employer_division: str | None = None
    project: str | None = Field(default=None, description="construction or other project, when named")
    worker_count: int = 1
    collective: bool = Field(default=False, description="10+ workers with a common claim (LDA Art. 7)")
    requested_route: str = "help_me_choose"
    claims: list[ClaimSummary] = Field(default_factory=list)
    accepted_in_region: str | None = Field(
        default=None, description="where it was filed, when another region owns it (一地投诉、区域联动)"
    )
    limitation_warning: bool = Field(default=False, description="may be outside LDA Art. 27's one year")
    police_linked: bool = Field(default=False, description="filed through 110 linkage (警情联动)")
    worker_keys: list[str] = Field(
        default_factory=list,
        description="blind indexes (keyed HMAC) of the workers' ID numbers, never the numbers",
    )


class RoutingReason(BaseModel):
    rule: str
    article: str
    explanation_zh: str


class ComplaintRouted(EventData, type="cn.labornet.intake.complaint.routed.v1", topic=INTAKE):
    """Intake decided which body handles the case, and why."""

    case_id: str
    route: Route
    target_org_id: str | None = None
    target_org_name: str | None = None
    target_division: str
    reasons: list[RoutingReason] = Field(default_factory=list)
    worker_name: str
    employer_name: str
    facts: str = ""
    claims: list[ClaimSummary] = Field(default_factory=list)
    tracking_number: str = ""
    region_code: str = ""
    employer_uscc: str | None = None
    employer_division: str | None = None
    project: str | None = None
    workplace_division: str = ""
    worker_count: int = 1
    collective: bool = False
    received_at: datetime | None = None
    police_linked: bool = False
    worker_keys: list[str] = Field(
        default_factory=list,
        description="blind indexes (keyed HMAC) of the workers' ID numbers, never the numbers",
    )


class ComplaintJoined(EventData, type="cn.labornet.intake.complaint.joined.v1", topic=INTAKE):
    """A further filing was absorbed by an open case: the same worker again (a duplicate), or
    another worker of a collective complaint against the same employer (grouped)."""

    case_id: str = Field(description="the open case the filing joined")
    filing_id: str
    kind: Literal["duplicate", "grouped"]
    region_code: str
    worker_count: int = Field(description="workers on the case after this filing")
    collective: bool = False
    claims: list[ClaimSummary] = Field(default_factory=list, description="claims the filing adds")
    worker_keys: list[str] = Field(
        default_factory=list,
        description="blind indexes (keyed HMAC) of the joining workers' ID numbers, never the numbers: "
        "how every service recognises the same worker",
    )


class RepresentativesChosen(EventData, type="cn.labornet.intake.representatives.chosen.v1", topic=INTAKE):
    """The workers of a collective dispute chose their representatives, or replaced them
    (LDA Art. 7; three to five, 劳动人事争议仲裁办案规则 Art. 6). Names only: their ID numbers
    and phones stay in intake."""

    case_id: str
    region_code: str
    names: list[str] = Field(description="the representatives, in the order the workers gave them")
    worker_count: int = Field(description="workers on the case when they were chosen")
    replaced: bool = Field(default=False, description="true when they replace earlier representatives")


class ComplaintRedirected(EventData, type="cn.labornet.intake.complaint.redirected.v1", topic=INTAKE):
    """The matter is already before arbitration or a court (劳动保障监察条例 Art. 21), or
    belongs to another body; the worker was told where to go."""

    case_id: str
    region_code: str
    reason: str
    explanation_zh: str


class JointAcceptanceRequested(EventData, type="cn.labornet.intake.joint_acceptance.requested.v1", topic=INTAKE):
    """Region A accepted a complaint on behalf of region B and forwards it (一地投诉、区域联动受理).
    The case id is minted at A and kept: B's acceptance never creates a second case."""

    case_id: str
    forward_id: str = Field(description="one per forwarding; a redelivery carries the same id")
    accepting_region: str
    region_code: str = Field(description="the region asked to own the case (B)")
    tracking_number: str
    requested_on: date
    answer_due_on: date | None = None


class JointAcceptanceAnswered(EventData, type="cn.labornet.intake.joint_acceptance.answered.v1", topic=INTAKE):
    """Region B took the forwarded case (it owns it from now) or refused it with a reason
    (it returns to region A)."""

    case_id: str
    forward_id: str
    decision: Literal["accepted", "refused"]
    region_code: str = Field(description="the region that owns the case after this answer")
    accepting_region: str
    reason: str = ""
    answered_by: str | None = None


class ComplaintClosed(EventData, type="cn.labornet.intake.complaint.closed.v1", topic=INTAKE):
    """The complaint was withdrawn by the worker or closed at intake with a reason."""

    case_id: str
    region_code: str
    reason: str
    closed_on: date


class JointAnswerDueRecomputed(EventData, type="cn.labornet.intake.joint_answer_due.recomputed.v1", topic=INTAKE):
    """The date by which the region asked to take a forwarded case must answer moved, because a
    holiday schedule was entered for its year (the answer window counts working days)."""

    case_id: str
    forward_id: str
    target_region: str
    previous_due_on: date
    due_on: date
    provisional: bool
    calendar_year: int
