"""Intake's passport consumer: every service's case events, folded into where each dispute
stands (labornet_common.contracts.passport), so a complaint about it is recognised wherever it is."""

from __future__ import annotations

from typing import Any

from labornet_common.contracts.events import Envelope
from labornet_common.platform.bus.consumer import ANY_EVENT, batch_subjects
from labornet_common.platform.uow import UnitOfWork
from labornet_intake.adapters import disputes


async def on_case_event(uow: UnitOfWork, envelope: Envelope, data: dict[str, Any]) -> None:
    if envelope.subject:
        await disputes.on_event(
            uow=uow, case_id=envelope.subject, event_type=envelope.type, data=data, batch=batch_subjects(uow)
        )


HANDLERS = {ANY_EVENT: on_case_event}
