"""Complaint aggregate (pure Python): records the events of what happened to it."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from labornet_common.contracts.intake import (
    ClaimSummary,
    ComplaintReceived,
    ComplaintRouted,
    RoutingReason,
)
from labornet_common.outbox import PendingEvent

_TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud on the phone


def new_tracking_number(region_code: str, when: datetime) -> str:
    suffix = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(6))
    return f"{region_code[:6]}-{when:%Y%m%d}-{suffix}"


@dataclass
class Complaint:
    case_id: str
    tracking_number: str
    channel: str
    region_code: str
    workplace_division: str
    worker_name: str
    employer_name: str
    facts: str
    claims: list[ClaimSummary]
    received_at: datetime
    access_code_hash: str
    filed_by: str | None = None  # the clerk who registered it; None when filed online
    worker_id_number: str | None = None  # plaintext in memory only: stored encrypted
    worker_phone: str | None = None
    status: str = "RECEIVED"
    route: str | None = None
    _events: list[PendingEvent] = field(default_factory=list, repr=False)

    @classmethod
    def file(
        cls,
        *,
        channel: str,
        workplace_division: str,
        worker_name: str,
        employer_name: str,
        facts: str,
        claims: list[ClaimSummary],
        received_at: datetime,
        access_code_hash: str,
        filed_by: str | None = None,
        worker_id_number: str | None = None,
        worker_phone: str | None = None,
    ) -> Complaint:
        region = workplace_division[:6]
        complaint = cls(
            case_id=str(uuid.uuid4()),
            tracking_number=new_tracking_number(region, received_at),
            channel=channel,
            region_code=region,
            workplace_division=workplace_division,
            worker_name=worker_name,
            employer_name=employer_name,
            facts=facts,
            claims=claims,
            received_at=received_at,
            access_code_hash=access_code_hash,
            filed_by=filed_by,
            worker_id_number=worker_id_number,
            worker_phone=worker_phone,
        )
        # Events carry no ID number or phone: they are copied to every consumer and kept.
        complaint._record(
            ComplaintReceived(
                case_id=complaint.case_id,
                tracking_number=complaint.tracking_number,
                channel=channel,
                received_at=received_at,
                region_code=region,
                workplace_division=workplace_division,
                employer_name=employer_name,
                claims=claims,
            )
        )
        return complaint

    def route_to_mediation(self, reasons: list[RoutingReason]) -> None:
        self.route = "mediation"
        self.status = "ROUTED"
        self._record(
            ComplaintRouted(
                case_id=self.case_id,
                route="mediation",
                target_division=self.workplace_division,
                reasons=reasons,
                worker_name=self.worker_name,
                employer_name=self.employer_name,
                facts=self.facts,
                claims=self.claims,
            )
        )

    def _record(self, data: ComplaintReceived | ComplaintRouted) -> None:
        self._events.append(PendingEvent(self.case_id, data))

    def pull_events(self) -> list[PendingEvent]:
        events, self._events = self._events, []
        return events
