"""Complaint aggregate (pure Python): records the events of what happened to it, and a line
for the worker's status page with each."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from labornet_common.contracts.events import EventData, PendingEvent
from labornet_common.contracts.intake import (
    ClaimSummary,
    ComplaintJoined,
    ComplaintReceived,
    ComplaintRedirected,
    ComplaintRouted,
    JointAcceptanceRequested,
    RepresentativesChosen,
    Route,
    RoutingReason,
)
from labornet_common.contracts.passport import Passport
from labornet_common.standards import redact_pii
from labornet_intake.domain import receipt
from labornet_intake.domain import representatives as reps
from labornet_intake.domain.matching import MatchKind, is_collective
from labornet_intake.domain.routing import Decision

_TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone
_ROUTE_ZH = {"mediation": "调解", "arbitration": "劳动仲裁", "inspection": "劳动保障监察"}


def new_tracking_number(region_code: str, when: datetime) -> str:
    suffix = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(6))
    return f"{region_code[:6]}-{when:%Y%m%d}-{suffix}"


@dataclass
class Complaint:
    case_id: str
    tracking_number: str
    channel: str
    region_code: str  # the region that owns the case
    workplace_division: str
    worker_name: str
    employer_name: str
    facts: str
    claims: list[ClaimSummary]
    received_at: datetime
    access_code_hash: str
    filed_by: str | None = None  # the clerk who registered it; None when filed online
    # When it was typed in; ``received_at`` is when it actually arrived (the clerk's record).
    registered_at: datetime | None = None
    representatives: list[reps.Representative] = field(default_factory=list)  # LDA Art. 7
    worker_id_number: str | None = None  # plaintext in memory only: stored encrypted
    worker_phone: str | None = None
    worker_residence: str | None = None
    employer_uscc: str | None = None
    employer_address: str | None = None
    employer_division: str | None = None
    employer_key: str = ""
    worker_key: str | None = None  # blind index of the filer's ID number: events carry it, never the number
    workplace_address: str | None = None
    other_workplaces: list[str] = field(default_factory=list)
    project: str | None = None
    worker_count: int = 1
    collective: bool = False
    requested_route: str = "help_me_choose"
    oral: bool = False  # an oral complaint the clerk recorded on the spot (LDA Art. 28)
    police_incident_number: str | None = None
    referred_by: str | None = None
    pending_proceedings: str | None = None
    employment_ended_on: date | None = None
    limitation_warning: bool = False
    limitation_reason: str = ""
    accepted_in_region: str | None = None  # the filing region, when another region should own it
    joint_status: str | None = None  # requested | accepted | refused
    joint_reason: str = ""
    status: str = "RECEIVED"
    route: str | None = None
    target_org_id: str | None = None
    target_org_name: str | None = None
    target_division: str | None = None
    routing_reasons: list[RoutingReason] = field(default_factory=list)
    _events: list[PendingEvent] = field(default_factory=list, repr=False)
    _notes: list[str] = field(default_factory=list, repr=False)

    @classmethod
    def file(
        cls, *, received_at: datetime, access_code_hash: str, owner_region: str | None = None, **details: Any
    ) -> Complaint:
        """A new case. ``owner_region`` is the region holding it (the workplace's by default)."""
        region = (owner_region or details["workplace_division"])[:6]
        complaint = cls(
            case_id=str(uuid.uuid4()),
            tracking_number=new_tracking_number(region, received_at),
            region_code=region,
            received_at=received_at,
            access_code_hash=access_code_hash,
            **details,
        )
        complaint.collective = is_collective(complaint.worker_count, complaint.categories)
        # Events carry no ID number or phone: they are copied to every consumer and kept.
        complaint._record(
            ComplaintReceived(
                case_id=complaint.case_id,
                tracking_number=complaint.tracking_number,
                channel=complaint.channel,
                received_at=received_at,
                region_code=region,
                workplace_division=complaint.workplace_division,
                employer_name=complaint.employer_name,
                employer_uscc=complaint.employer_uscc,
                employer_division=complaint.employer_division,
                project=complaint.project,
                worker_count=complaint.worker_count,
                collective=complaint.collective,
                requested_route=complaint.requested_route,
                claims=complaint.claims,
                accepted_in_region=complaint.accepted_in_region,
                limitation_warning=complaint.limitation_warning,
                police_linked=complaint.channel == "police_110",
                worker_keys=[complaint.worker_key] if complaint.worker_key else [],
            ),
            f"投诉已受理，受理编号{complaint.tracking_number}",
        )
        if complaint.registered_at and complaint.registered_at != received_at:
            complaint._notes.append(receipt.describe(received_at=received_at, registered_at=complaint.registered_at))
        return complaint

    @property
    def categories(self) -> frozenset[str]:
        return frozenset(c.category for c in self.claims)

    @property
    def divisions(self) -> list[str]:
        """Where staff see the case from: the workplace, and the window that accepted it."""
        return [d for d in (self.workplace_division, self.accepted_in_region) if d]

    def apply_routing(self, decision: Decision) -> None:
        self.route, self.target_division = decision.route, decision.target_division
        self.target_org_id, self.target_org_name = decision.target_org_id, decision.target_org_name
        self.routing_reasons = list(decision.reasons)
        if decision.route == "redirect":
            self.status = "REDIRECTED"
            last = decision.reasons[-1]
            self._record(
                ComplaintRedirected(
                    case_id=self.case_id,
                    region_code=self.region_code,
                    reason=last.rule,
                    explanation_zh=last.explanation_zh,
                ),
                last.explanation_zh,
            )
            return
        self.status = "ROUTED"
        where = decision.target_org_name or "工作人员指定的机构"
        self._record(self._routed_event(decision.route), f"已分派{_ROUTE_ZH[decision.route]}：{where}")

    def _routed_event(self, route: Route) -> ComplaintRouted:
        return ComplaintRouted(
            case_id=self.case_id,
            route=route,
            target_org_id=self.target_org_id,
            target_org_name=self.target_org_name,
            target_division=self.target_division or self.workplace_division,
            reasons=self.routing_reasons,
            worker_name=self.worker_name,
            employer_name=self.employer_name,
            # Events are copied to every consumer and kept: ID numbers and phones in the facts
            # travel masked (the structured fields carry none at all).
            facts=redact_pii(self.facts),
            claims=self.claims,
            tracking_number=self.tracking_number,
            region_code=self.region_code,
            employer_uscc=self.employer_uscc,
            employer_division=self.employer_division,
            project=self.project,
            workplace_division=self.workplace_division,
            worker_count=self.worker_count,
            collective=self.collective,
            received_at=self.received_at,
            police_linked=self.channel == "police_110",
            worker_keys=[self.worker_key] if self.worker_key else [],
        )

    def forward(self, *, forward_id: str, to_region: str, requested_on: date, answer_due_on: date) -> None:
        """Accepted here on behalf of ``to_region`` (一地投诉、区域联动受理): ask it to take the case."""
        self.status, self.joint_status = "FORWARDED", "requested"
        self._record(
            JointAcceptanceRequested(
                case_id=self.case_id,
                forward_id=forward_id,
                accepting_region=self.accepted_in_region or self.region_code,
                region_code=to_region,
                tracking_number=self.tracking_number,
                requested_on=requested_on,
                answer_due_on=answer_due_on,
            ),
            f"用工所在地不属本窗口辖区，已转请管辖地区受理，请其于{answer_due_on:%Y年%m月%d日}前答复",
        )

    def joint_accepted(self, *, owner_region: str, decision: Decision) -> None:
        self.joint_status, self.region_code = "accepted", owner_region[:6]
        self._notes.append("管辖地区已接收本案")
        self.apply_routing(decision)

    def joint_refused(self, *, reason: str) -> None:
        self.joint_status, self.joint_reason, self.status = "refused", reason, "RETURNED"
        self._notes.append(f"管辖地区未接收本案，理由：{reason}。案件退回受理窗口处理")

    @classmethod
    def adopt(cls, dispute: Passport, *, received_at: datetime, details: dict[str, Any]) -> Complaint:
        """Intake's record of a dispute lodged elsewhere (directly at a centre or a commission),
        made when a complaint about it arrives. It keeps the dispute's case id, so one lookup
        follows it, and publishes nothing of its own: the filing joins the dispute."""
        names = {f.name for f in fields(cls)} - {
            "case_id",
            "tracking_number",
            "region_code",
            "received_at",
            "access_code_hash",
            "worker_count",
            "status",
        }
        region = dispute.region_code or details["workplace_division"][:6]
        view = dispute.current
        complaint = cls(
            case_id=dispute.case_id,
            tracking_number=new_tracking_number(region, received_at),
            region_code=region,
            received_at=received_at,
            access_code_hash="",
            worker_count=dispute.worker_count,
            status="ROUTED",
            **{k: v for k, v in details.items() if k in names},
        )
        complaint.route, complaint.target_org_id = dispute.route, view.holder_id
        complaint.target_org_name = view.holder_name
        where = view.holder_name or view.holder_id or "承办机构"
        complaint._notes.append(f"该争议此前已直接向{where}提出（{dispute.stage_zh}），本投诉并入该案一并处理")
        return complaint

    def join(
        self,
        *,
        filing_id: str,
        kind: MatchKind,
        worker_count: int,
        claims: list[ClaimSummary],
        dispute: Passport | None = None,
        worker_keys: tuple[str, ...] = (),
    ) -> None:
        """A further filing joins this pending dispute (the same worker again, or more workers),
        wherever the dispute now is."""
        if kind == "grouped":
            # The network may know of workers intake never saw (added at the commission).
            known = max(self.worker_count, dispute.worker_count if dispute else 0)
            self.worker_count = known + worker_count
            self.claims = [*self.claims, *(c for c in claims if c.category not in self.categories)]
            self.collective = self.collective or is_collective(self.worker_count, self.categories)
        where = f"（{dispute.stage_zh}）" if dispute else ""
        note = f"又有{worker_count}名劳动者就共同请求加入本案{where}"
        if kind == "duplicate":
            note = f"同一劳动者再次投诉，已并入本案{where}"
        self._record(
            ComplaintJoined(
                case_id=self.case_id,
                filing_id=filing_id,
                kind=kind,
                region_code=self.region_code,
                worker_count=self.worker_count,
                collective=self.collective,
                claims=claims,
                worker_keys=list(worker_keys),
            ),
            note,
        )

    def _record(self, data: EventData, note_zh: str | None = None) -> None:
        self._events.append(PendingEvent(self.case_id, data))
        if note_zh:
            self._notes.append(note_zh)

    def pending_events(self) -> list[PendingEvent]:
        """What it will publish when saved (to fold into the passport in the same transaction)."""
        return list(self._events)

    def note_receipt(self, *, received_at: datetime, registered_at: datetime) -> None:
        """A further filing's receipt as the clerk recorded it (the case's own is noted when filed)."""
        self._notes.append(f"并入的投诉{receipt.describe(received_at=received_at, registered_at=registered_at)}")

    def choose_representatives(self, chosen: list[reps.Representative]) -> None:
        """The workers' representatives (LDA Art. 7), first chosen or replaced; the event names them only."""
        replaced, self.representatives = bool(self.representatives), list(chosen)
        self._record(
            RepresentativesChosen(
                case_id=self.case_id,
                region_code=self.region_code,
                names=reps.names(chosen),
                worker_count=self.worker_count,
                replaced=replaced,
            ),
            reps.describe(chosen),
        )

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events

    def pull_notes(self) -> list[str]:
        notes, self._notes = self._notes, []
        return notes
