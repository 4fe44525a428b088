"""Event handlers: intake routed a complaint to mediation → open a mediation case."""

from __future__ import annotations

from labornet_common.bus.consumer import handles
from labornet_common.calendar import LegalCalendar
from labornet_common.contracts.intake import ComplaintRouted
from labornet_common.events import Envelope, utcnow
from labornet_common.uow import UnitOfWork
from labornet_mediation.adapters import repository
from labornet_mediation.domain.model import MediationCase

_CALENDAR = LegalCalendar()


async def open_case_from_intake(uow: UnitOfWork, envelope: Envelope, event: ComplaintRouted) -> None:
    if event.route != "mediation":
        return
    # The inbox already makes redelivery a no-op; this guards a case opened by a clerk too.
    if await repository.exists(session=uow.session, case_id=event.case_id):
        return
    case = MediationCase.open(
        case_id=event.case_id,
        division_code=event.target_division,
        worker_name=event.worker_name,
        employer_name=event.employer_name,
        facts=event.facts,
        claims=[c.model_dump() for c in event.claims],
        opened_at=utcnow(),
        calendar=_CALENDAR,
    )
    uow.track(case)
    await repository.add(session=uow.session, case=case)


HANDLERS = {handles(ComplaintRouted): open_case_from_intake}
