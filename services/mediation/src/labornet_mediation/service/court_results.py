"""Event handlers of the court's answers: a court answered a payment-order or
judicial-confirmation request → record it on the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from labornet_common.contracts.court import JudicialConfirmation, PaymentOrder
from labornet_common.contracts.events import Envelope
from labornet_common.platform.bus.consumer import handles
from labornet_common.platform.uow import UnitOfWork
from labornet_mediation.adapters import repository
from labornet_mediation.domain.outcomes import CourtRequestKind
from labornet_mediation.service.action import save_at_commit
from labornet_mediation.service.context import MediationContext


def event_handlers(ctx: MediationContext) -> dict[str, Callable[..., Any]]:
    async def record_court_result(
        uow: UnitOfWork, envelope: Envelope, event: JudicialConfirmation | PaymentOrder
    ) -> None:
        case = await repository.load(session=uow.session, case_id=event.case_id)
        if case is None:
            return  # a court event about a case mediation never held (arbitration's, say)
        kind: CourtRequestKind = "payment_order" if isinstance(event, PaymentOrder) else "judicial_confirmation"
        # A repeated callback (a new event id, the same answer) finds the request answered.
        if case.record_court_result(
            kind=kind,
            outcome=event.outcome,
            on=event.occurred_on,
            court_name=event.court_name,
            court_case_number=event.court_case_number,
        ):
            save_at_commit(uow, case)

    return {handles(PaymentOrder): record_court_result, handles(JudicialConfirmation): record_court_result}
