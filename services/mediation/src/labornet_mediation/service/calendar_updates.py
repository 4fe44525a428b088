"""Re-counting the 15-day mediation clock (LDA Art. 14) when a year's holiday schedule is entered.

While its year had no official schedule the clock's last day rolled over weekends only
(provisional). Once the schedule is in, a running case whose last day falls in that year (or
rolled into the next) is counted again from the centre's receipt (民诉法 Art. 85: the day of receipt
not counted, a last day on a holiday rolls forward). A clock that moves is saved, noted in the
case's history (which the worker reads) and re-announced once; a repeated schedule changes nothing.
Extensions the parties agreed are counted again on top, in order (domain/extension.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from labornet_common.contracts.mediation import MediationDeadlineRecomputed
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.adapters import case_details, repository
from labornet_mediation.domain.clocks import mediation_due_on
from labornet_mediation.domain.extension import due_with_extensions
from labornet_mediation.domain.model import ACTIVE, MediationCase
from labornet_mediation.service.extension import extended_days

NOTE_ZH = "{year}年国务院节假日安排已录入，调解期限重新计算为{due}（原为{previous}）"


def recount(
    case: MediationCase, *, calendar: LegalCalendar, year: int, extensions: Sequence[int] = ()
) -> MediationDeadlineRecomputed | None:
    previous = case.due_on
    if case.status not in ACTIVE or previous.year not in (year, year + 1):
        return None
    due = due_with_extensions(mediation_due_on(case.received_on, calendar), extensions, calendar)
    if due == previous:
        return None
    case.due_on = due
    case.history_zh.append(NOTE_ZH.format(year=year, due=due.isoformat(), previous=previous.isoformat()))
    return MediationDeadlineRecomputed(
        case_id=case.case_id,
        division_code=case.division_code,
        previous_due_on=previous,
        due_on=due,
        provisional=not calendar.has_official_data(due.year),
        calendar_year=year,
    )


async def recompute(*, uow: UnitOfWork, calendar: LegalCalendar, year: int) -> int:
    """Every running case with its last day in ``year``; the number of clocks that moved."""
    ids = await case_details.active_case_ids(uow.session, ACTIVE)
    moved = 0
    for case_id in ids:
        case = await repository.load(session=uow.session, case_id=case_id)
        added = await extended_days(uow, case_id)
        event = None if case is None else recount(case, calendar=calendar, year=year, extensions=added)
        if case is None or event is None:
            continue
        await repository.save(session=uow.session, case=case)
        uow.record(case.case_id, event)
        moved += 1
    return moved
