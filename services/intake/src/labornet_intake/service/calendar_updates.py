"""Re-counting the joint-acceptance answer date when a year's holiday schedule is entered.

The region asked to take a forwarded case answers within a number of working days (a regional
pact, IntakeSettings.joint_answer_working_days; make-up 调休 days count, holidays do not). While
its year had no official schedule the date counted weekdays only (provisional); once the schedule
is in, a pending forward whose date falls in that year (or was pushed into the next) is counted
again from the request, saved, noted on the case's timeline and re-announced once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from labornet_common.contracts.intake import JointAnswerDueRecomputed
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import LegalCalendar
from labornet_intake.adapters import records

NOTE_ZH = "{year}年国务院节假日安排已录入，管辖地区答复期限调整为{due:%Y年%m月%d日}"


def recompute_for(working_days: int) -> Callable[..., Awaitable[int]]:
    async def recompute(*, uow: UnitOfWork, calendar: LegalCalendar, year: int) -> int:
        """Every pending forward whose answer date lies in ``year``; the number that moved."""
        rows = await records.pending_forwards(session=uow.session)
        moved = 0
        for row in rows:
            previous = row["answer_due_on"]
            if previous is None or previous.year not in (year, year + 1):
                continue
            due = calendar.add_working_days(row["requested_on"], working_days)
            if due == previous:
                continue
            await records.move_answer_due(session=uow.session, forward_id=row["forward_id"], due_on=due)
            await records.add_notes(
                session=uow.session, case_id=row["case_id"], texts=[NOTE_ZH.format(year=year, due=due)]
            )
            uow.record(
                row["case_id"],
                JointAnswerDueRecomputed(
                    case_id=row["case_id"],
                    forward_id=row["forward_id"],
                    target_region=row["target_region"],
                    previous_due_on=previous,
                    due_on=due,
                    provisional=not calendar.has_official_data(due.year),
                    calendar_year=year,
                ),
            )
            moved += 1
        return moved

    return recompute
