"""Event handlers: applications from intake and mediation, and the court's events back.

The inbox makes a redelivered event a no-op; ``source_key`` makes a re-sent one (a new event id
carrying the same transfer_id) find the application already made; the court's callback id makes
a callback that arrives twice have one effect.
"""

from __future__ import annotations

from typing import Any

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain.court_events import CourtEvent, apply_court_event
from labornet_arbitration.domain.tribunal import COLLECTIVE_WORKERS
from labornet_arbitration.service.context import ArbitrationContext
from labornet_arbitration.service.intake_commands import NewApplication, receive_in
from labornet_arbitration.service.parties_commands import join_from_intake
from labornet_common.contracts import court
from labornet_common.contracts.events import Envelope
from labornet_common.contracts.intake import ComplaintJoined, ComplaintRouted
from labornet_common.contracts.mediation import TransferredToArbitration
from labornet_common.platform.bus.consumer import PoisonEvent, batch_subjects, handles
from labornet_common.platform.clock import local_date
from labornet_common.platform.uow import UnitOfWork


def _commission_for(ctx: ArbitrationContext, org_id: str | None, division: str) -> str:
    if org_id and ctx.directory.commission(org_id) is not None:
        return org_id
    serving = ctx.directory.commissions_serving(division)
    if not serving:
        raise PoisonEvent(f"no commission serves {division}")
    return serving[0].id


def event_handlers(ctx: ArbitrationContext) -> dict[str, Any]:
    async def from_intake(uow: UnitOfWork, envelope: Envelope, event: ComplaintRouted) -> None:
        if event.route != "arbitration":
            return
        division = event.workplace_division or event.target_division
        new = NewApplication(
            case_id=event.case_id,
            source="intake",
            source_key=f"intake:{event.case_id}",
            division_code=division,
            commission_id=_commission_for(ctx, event.target_org_id, division),
            received_on=local_date(event.received_at or envelope.time),
            worker_name=event.worker_name,
            employer_name=event.employer_name,
            worker_count=event.worker_count,
            collective=event.collective,
            employer_uscc=event.employer_uscc,
            employer_division=event.employer_division,
            facts=event.facts,
            claims=event.claims,
            worker_keys=event.worker_keys,
        )
        await receive_in(uow=uow, ctx=ctx, new=new)

    async def joined(uow: UnitOfWork, envelope: Envelope, event: ComplaintJoined) -> None:
        await join_from_intake(uow, ctx, envelope, event)

    async def from_mediation(uow: UnitOfWork, envelope: Envelope, event: TransferredToArbitration) -> None:
        division = event.workplace_division or event.division_code
        commission_id = _commission_for(ctx, event.commission_id, division)
        venue = ctx.directory.tribunal(event.tribunal_id) if event.tribunal_id else None
        new = NewApplication(
            case_id=event.case_id,
            source="mediation",
            source_key=f"mediation:{event.transfer_id}",
            division_code=division,
            commission_id=commission_id,
            tribunal_id=venue.id if venue is not None and venue.commission_id == commission_id else None,
            received_on=local_date(envelope.time),
            worker_name=event.worker_name,
            employer_name=event.employer_name,
            worker_count=event.worker_count,
            collective=event.worker_count >= COLLECTIVE_WORKERS or event.collective,
            employer_uscc=event.employer_uscc,
            employer_division=event.employer_division,
            facts=event.facts,
            claims=event.claims,
        )
        await receive_in(uow=uow, ctx=ctx, new=new)

    async def from_court(uow: UnitOfWork, _envelope: Envelope, event: Any) -> None:
        await repository.note_batch(session=uow.session, case_ids=batch_subjects(uow))
        case = await repository.latest_for_case(session=uow.session, case_id=event.case_id)
        if case is None:
            return  # a case arbitration never had (a mediation matter): not ours
        seen = CourtEvent(
            kind=_kind(event),
            callback_id=event.callback_id,
            court_name=event.court_name,
            outcome=event.outcome,
            on=event.occurred_on,
            party=event.party,
            ruling_id=event.ruling_id,
        )
        applied = apply_court_event(case, event=seen, calendar=ctx.calendar)
        if applied:
            await repository.save(session=uow.session, case=case)

    handlers: dict[str, Any] = {
        handles(ComplaintRouted): from_intake,
        handles(ComplaintJoined): joined,
        handles(TransferredToArbitration): from_mediation,
    }
    handlers.update({handles(cls): from_court for cls in court.BY_KIND.values()})
    return handlers


def _kind(event: Any) -> str:
    return next(kind for kind, cls in court.BY_KIND.items() if isinstance(event, cls))
