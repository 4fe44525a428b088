"""Intake grouped a further filing into a case arbitration holds: its workers join here too, so
every service counts the same workers (LDA Art. 7; Rules Art. 46(一) once accepted)."""

from __future__ import annotations

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain import parties
from labornet_arbitration.messages import NOTICES
from labornet_arbitration.service.context import ArbitrationContext
from labornet_common.contracts.events import Envelope
from labornet_common.contracts.intake import ComplaintJoined
from labornet_common.platform.bus.consumer import batch_subjects
from labornet_common.platform.clock import local_date
from labornet_common.platform.uow import UnitOfWork


def _text(case_count: int, restarted_on: str | None) -> str:
    restart = NOTICES["award_period_restarts"].format(on=restarted_on) if restarted_on else ""
    return NOTICES["parties_joined"].format(count=case_count, restart=restart)


async def join_from_intake(
    uow: UnitOfWork, ctx: ArbitrationContext, envelope: Envelope, event: ComplaintJoined
) -> None:
    """Once per filing (``joined_filings``), whichever delivery of the event comes first."""
    if event.kind != "grouped":
        return  # the same worker again adds nobody
    await repository.note_batch(session=uow.session, case_ids=batch_subjects(uow))
    case = await repository.latest_for_case(session=uow.session, case_id=event.case_id)
    if case is None:  # referred into the commission that keeps the dispute: the workers join there
        case = await repository.keeper_for_case(session=uow.session, case_id=event.case_id)
    if case is None:
        return  # not before arbitration: mediation or intake hold it
    on = max(local_date(envelope.time), case.received_on)
    count = max(case.worker_count, event.worker_count)
    text = _text(count, on.isoformat() if case.status in parties.ACTIVE else None)
    joined = parties.join_workers(
        case,
        filing_id=event.filing_id,
        worker_count=event.worker_count,
        worker_keys=event.worker_keys,
        claims=event.claims,
        on=on,
        text_zh=text,
        calendar=ctx.calendar,
    )
    if joined:
        await repository.save(session=uow.session, case=case)
