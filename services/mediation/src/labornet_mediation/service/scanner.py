"""The background watch on the 15-day clock (LDA Art. 14): a warning before it runs out, and
for a clock that has run out, the failure (timed out) and the transfer to arbitration."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from labornet_common.contracts.mediation import MediationDeadlineApproaching
from labornet_common.platform.problems import Conflict
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import remaining_days
from labornet_mediation.adapters import case_details, repository
from labornet_mediation.domain.agreement import RuleBroken
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.outcomes import transfer_loaded

log = logging.getLogger(__name__)
BATCH = 200


@dataclass
class ScanReport:
    warned: int = 0
    timed_out: int = 0
    transferred: int = 0


async def scan(*, ctx: MediationContext, uow_factory: Callable[[], UnitOfWork]) -> ScanReport:
    """One pass; safe to run on several replicas at once (the version check lets one win)."""
    today, report = ctx.today(), ScanReport()
    async with uow_factory() as uow:
        expired = await repository.active_due_by(session=uow.session, day=today - timedelta(days=1), limit=BATCH)
        expiring = await _unwarned_due_by(uow, today + timedelta(days=ctx.warn_days))
    for case_id in expired:
        await _time_out(ctx, uow_factory(), case_id, today, report)
    for case_id in expiring:
        await _warn(ctx, uow_factory(), case_id, today, report)
    return report


async def _unwarned_due_by(uow: UnitOfWork, day: date) -> list[str]:
    return await case_details.unwarned_due_by(uow.session, day, BATCH)


async def _time_out(ctx: MediationContext, uow: UnitOfWork, case_id: str, today: date, report: ScanReport) -> None:
    try:
        async with uow:
            case = await repository.load(session=uow.session, case_id=case_id)
            if case is None or not case.is_active or case.due_on >= today:
                return
            case.fail(on=today, reason="timed_out", note=f"调解期限{case.due_on.isoformat()}届满")
            report.timed_out += 1
            try:
                await transfer_loaded(ctx=ctx, uow=uow, case=case)
                report.transferred += 1
            except RuleBroken:  # no commission known: record the failure; staff transfer by hand
                log.warning("mediation case %s timed out but has no arbitration destination", case_id)
                await repository.save(session=uow.session, case=case)
                await uow.commit()
    except (repository.StaleCase, Conflict):  # another replica or a user got there first
        log.info("mediation case %s changed during the clock scan; next pass looks again", case_id)


async def _warn(ctx: MediationContext, uow: UnitOfWork, case_id: str, today: date, report: ScanReport) -> None:
    try:
        async with uow:
            case = await repository.load(session=uow.session, case_id=case_id)
            if case is None or not case.is_active or case.warned_on is not None:
                return
            case.warned_on = today
            uow.record(
                case_id,
                MediationDeadlineApproaching(
                    case_id=case_id,
                    division_code=case.division_code,
                    due_on=case.due_on,
                    days_left=remaining_days(case.due_on, today),
                    mediator_id=case.mediator_id,
                ),
            )
            await repository.save(session=uow.session, case=case)
            await uow.commit()
            report.warned += 1
    except repository.StaleCase:
        return


async def run(ctx: MediationContext, uow_factory: Callable[[], UnitOfWork]) -> ScanReport:
    """One pass of the periodic job (main.py declares it; the platform runs it every interval)."""
    from labornet_mediation.service.roster import refresh_directory

    # Another replica's register changes reach this process within one interval.
    await refresh_directory(ctx, uow_factory())
    report = await scan(ctx=ctx, uow_factory=uow_factory)
    if report.warned or report.timed_out:
        log.info("mediation clock scan: %s", report)
    return report
