"""Re-counting the open clocks when a year's holiday schedule is entered.

A clock counted before its year had an official schedule treated only weekends as rest days
(provisional). Once the schedule is in, each open clock whose last day falls in that year (or
rolled into the next) is counted again from its own start on the new calendar; a clock that
moves is saved and re-announced (DeadlineRecomputed), once: a repeated schedule changes nothing.

Clocks re-counted (all calendar days, 民诉法 Art. 85 via Rules Art. 19):
- LDA Art. 29 acceptance (5 days from receipt), unless a correction restarted it (Rules Art. 29:
  the completion day is not kept, so that clock keeps its date);
- LDA Arts. 30, 32 copy to the respondent and tribunal notice (5 days from acceptance);
- LDA Art. 30 defence (10 days from the respondent's receipt);
- LDA Art. 43 award (45 days, + extension and suspended days);
- after service of the award, the suit and set-aside periods (calendar_award_updates).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from labornet_arbitration.adapters import repository
from labornet_arbitration.domain import clocks
from labornet_arbitration.domain.model import ACTIVE, UNDECIDED, ArbitrationCase
from labornet_arbitration.service.calendar_award_updates import recount_award
from labornet_common.contracts.arbitration import DeadlineRecomputed
from labornet_common.platform.uow import UnitOfWork
from labornet_common.reference.calendar import LegalCalendar, Period

OPEN = UNDECIDED | ACTIVE | {"AWARDED", "EFFECTIVE"}  # awarded: the periods after service still run
Count = Callable[[LegalCalendar, ArbitrationCase], date | None]


def _acceptance(cal: LegalCalendar, case: ArbitrationCase) -> date | None:
    restarted = case.correction_requested_on is not None  # Rules Art. 29: counted from completion
    return None if restarted or case.status not in UNDECIDED else clocks.acceptance_due(cal, case.received_on)


def _from_acceptance(count: Callable[[LegalCalendar, date], date]) -> Count:
    return lambda cal, case: count(cal, case.accepted_on) if case.accepted_on and case.status in ACTIVE else None


def _defence(cal: LegalCalendar, case: ArbitrationCase) -> date | None:
    received = case.respondent_received_on
    return clocks.defence_due(cal, received) if received and case.status in ACTIVE else None


def _award(cal: LegalCalendar, case: ArbitrationCase) -> date | None:
    if case.award_clock_start is None or case.status not in ACTIVE:
        return None
    return clocks.award_due(
        cal, case.award_clock_start, extension_days=case.extension_days, paused_days=case.paused_days
    )


# (stored field, calendar rule, how to count it again)
CLOCKS: tuple[tuple[str, Period, Count], ...] = (
    ("acceptance_due_on", Period.ACCEPTANCE_5D, _acceptance),
    ("serve_copy_due_on", Period.SERVE_COPY_5D, _from_acceptance(clocks.serve_copy_due)),
    ("tribunal_notice_due_on", Period.TRIBUNAL_NOTICE_5D, _from_acceptance(clocks.tribunal_notice_due)),
    ("defence_due_on", Period.DEFENCE_10D, _defence),
    ("award_due_on", Period.AWARD_45D, _award),
)


def recount(case: ArbitrationCase, *, calendar: LegalCalendar, year: int) -> list[DeadlineRecomputed]:
    """Move the case's clocks that touch ``year``; one event per clock that moved."""
    moved = []
    for name, rule, count in CLOCKS:
        previous: date | None = getattr(case, name)
        if previous is None or previous.year not in (year, year + 1):
            continue
        due = count(calendar, case)
        if due is None or due == previous:
            continue
        setattr(case, name, due)
        moved.append(
            DeadlineRecomputed(
                case_id=case.case_id,
                division_code=case.division_code,
                application_id=case.application_id,
                rule=rule.name,
                article=rule.article,
                previous_due_on=previous,
                due_on=due,
                provisional=not calendar.has_official_data(due.year),
                calendar_year=year,
            )
        )
    return moved


async def recompute(*, uow: UnitOfWork, calendar: LegalCalendar, year: int) -> int:
    """Every open case with a clock in ``year``; the number of clocks that moved."""
    moved = 0
    for case in await repository.in_states(session=uow.session, states=OPEN):
        events = [*recount(case, calendar=calendar, year=year), *recount_award(case, calendar=calendar, year=year)]
        if not events:
            continue
        for event in events:
            case.record(event)
        await repository.save(session=uow.session, case=case)
        moved += len(events)
    return moved
