"""The worker's status page: intake's own steps plus what later services reported.

Intake reads mediation, arbitration and court events and keeps one line per event the worker
should know about; the event id is the line's key, so a redelivery adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from labornet_common.contracts.events import Envelope
from labornet_common.contracts.passport import Passport
from labornet_common.platform.bus.consumer import ANY_EVENT, batch_subjects
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher
from labornet_intake.adapters import disputes, records, repository
from labornet_intake.domain import policy, timeline
from labornet_intake.domain.model import Complaint
from labornet_intake.service.representatives import attach


async def on_later_event(uow: UnitOfWork, envelope: Envelope, data: dict[str, Any]) -> None:
    text = timeline.describe(envelope.type, data)
    if text is None or not await records.case_exists(
        session=uow.session, case_id=envelope.subject, batch=batch_subjects(uow)
    ):
        return
    await records.add_note(
        uow=uow,
        case_id=envelope.subject,
        text_zh=text,
        entry_id=envelope.id,
        source=timeline.source_of(envelope.type),
        event_type=envelope.type,
        at=envelope.time,
    )


HANDLERS = {ANY_EVENT: on_later_event}


@dataclass(frozen=True)
class StatusView:
    complaint: Complaint
    entries: list[dict[str, Any]]
    filings: list[dict[str, Any]]
    dispute: Passport | None = None  # where the dispute stands across the network

    @property
    def left_intake(self) -> bool:
        """The dispute is now before another body: its stage says more than intake's status."""
        return self.dispute is not None and self.dispute.current is not self.dispute.views.get("intake")

    @property
    def status_zh(self) -> str:
        if self.dispute is not None and self.left_intake:
            return self.dispute.stage_zh
        return timeline.STATUS_ZH.get(self.complaint.status, self.complaint.status)

    @property
    def handled_by(self) -> str | None:
        if self.dispute is not None and self.left_intake:
            view = self.dispute.current
            return view.holder_name or view.holder_id or self.complaint.target_org_name
        return self.complaint.target_org_name

    @property
    def worker_count(self) -> int:
        return max(self.complaint.worker_count, self.dispute.worker_count if self.dispute else 0)

    @property
    def latest_zh(self) -> str:
        return self.entries[-1]["text_zh"] if self.entries else self.status_zh

    @property
    def updated_at(self) -> datetime:
        return self.entries[-1]["at"] if self.entries else self.complaint.received_at


async def status_view(*, uow: UnitOfWork, principal: Principal, case_id: str, cipher: PiiCipher) -> StatusView | None:
    """The case's status and timeline, for its worker or staff who may read it; else None."""
    async with uow:
        complaint = await repository.get(session=uow.session, case_id=case_id, cipher=cipher)
        if complaint is None or not policy.can_read(principal, complaint):
            return None
        entries = await records.timeline_of(session=uow.session, case_id=case_id)
        await attach(uow=uow, complaints=[complaint], cipher=cipher)
        filings = await records.filings_of(session=uow.session, case_id=case_id)
        dispute = await disputes.get(session=uow.session, case_id=case_id)
    return StatusView(policy.as_seen_by(principal, complaint), entries, filings, dispute)
