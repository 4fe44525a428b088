"""Event handlers: intake routed a complaint to mediation → open a case; intake grouped further
workers into a case mediation holds → they join it (the court's answers: court_results.py).
The first of them in a transaction reads every case of its consumer batch at once
(``repository.hold_batch``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from labornet_common.contracts.events import Envelope
from labornet_common.contracts.intake import ComplaintClosed, ComplaintJoined, ComplaintRouted
from labornet_common.platform.bus.consumer import batch_subjects, handles
from labornet_common.platform.clock import local_date
from labornet_common.platform.uow import UnitOfWork
from labornet_mediation.adapters import repository
from labornet_mediation.domain.model import MediationCase
from labornet_mediation.domain.routing import resolve_centre
from labornet_mediation.service.action import save_at_commit
from labornet_mediation.service.context import MediationContext


def event_handlers(ctx: MediationContext) -> dict[str, Callable[..., Any]]:
    async def open_case_from_intake(uow: UnitOfWork, envelope: Envelope, event: ComplaintRouted) -> None:
        if event.route != "mediation":
            return
        await repository.hold_batch(session=uow.session, case_ids=batch_subjects(uow))
        # The inbox already makes redelivery a no-op; this guards a case opened by a clerk too.
        if await repository.exists(session=uow.session, case_id=event.case_id):
            return
        case = _case_from_routing(ctx, envelope, event)
        await repository.add(session=uow.session, case=case)

    async def stop_on_withdrawal(uow: UnitOfWork, envelope: Envelope, event: ComplaintClosed) -> None:
        await repository.hold_batch(session=uow.session, case_ids=batch_subjects(uow))
        case = await repository.load(session=uow.session, case_id=event.case_id)
        if case is not None and case.withdraw(on=event.closed_on, reason=event.reason):
            save_at_commit(uow, case)

    async def add_joined_workers(uow: UnitOfWork, envelope: Envelope, event: ComplaintJoined) -> None:
        # A duplicate filing is the same worker again: nobody joins.
        if event.kind != "grouped":
            return
        await repository.hold_batch(session=uow.session, case_ids=batch_subjects(uow))
        case = await repository.load(session=uow.session, case_id=event.case_id)
        # A re-sent event (new id, same filing) finds the filing already joined.
        if case is not None and case.join_workers(
            filing_id=event.filing_id,
            worker_count=event.worker_count,
            collective=event.collective,
            claims=[c.model_dump(mode="json") for c in event.claims],
            on=local_date(envelope.time),
        ):
            save_at_commit(uow, case)

    return {
        handles(ComplaintRouted): open_case_from_intake,
        handles(ComplaintClosed): stop_on_withdrawal,
        handles(ComplaintJoined): add_joined_workers,
    }


def _case_from_routing(ctx: MediationContext, envelope: Envelope, event: ComplaintRouted) -> MediationCase:
    workplace = event.workplace_division or event.target_division
    centre = resolve_centre(ctx.directory, target_org_id=event.target_org_id, divisions=[workplace])
    # LDA Art. 14 counts from receipt: the one window received it for the network when the worker
    # complained (the clerk's record of receipt, carried by the event; else the moment intake handed
    # it over), which a redelivery repeats unchanged.
    return MediationCase.open(
        case_id=event.case_id,
        division_code=event.target_division,
        worker_name=event.worker_name,
        employer_name=event.employer_name,
        facts=event.facts,
        claims=[c.model_dump(mode="json") for c in event.claims],
        opened_at=envelope.time,
        calendar=ctx.calendar,
        received_on=local_date(event.received_at or envelope.time),
        centre_id=centre.id if centre else None,
        centre_name=centre.name if centre else "",
        workplace_division=workplace,
        employer_uscc=event.employer_uscc,
        employer_division=event.employer_division,
        worker_count=event.worker_count,
        collective=event.collective,
        tracking_number=event.tracking_number,
    )
