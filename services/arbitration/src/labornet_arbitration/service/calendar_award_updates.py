"""Re-counting the periods that run from the award's service when a year's holiday schedule is
entered (see calendar_updates): while they still run, the suit periods (LDA Art. 48 for a final
award, Art. 50 for a non-final or mixed one, Interp-I Art. 20) and the employer's set-aside
period for a final award (LDA Art. 49) are counted again from the service date. A non-final
award that already took effect, or a case in court, keeps its dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from labornet_arbitration.domain import clocks, effect, party_service
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_common.contracts.arbitration import DeadlineRecomputed
from labornet_common.reference.calendar import LegalCalendar, Period

# (award field, rule, counting, award types it applies to, statuses while it runs)
AWARD_CLOCKS: tuple[tuple[str, Period, Callable[[LegalCalendar, date], date], frozenset[str], frozenset[str]], ...] = (
    (
        "suit_due_on",
        Period.FINAL_AWARD_SUIT_15D,
        clocks.final_suit_due,
        frozenset({"final"}),
        frozenset({"AWARDED", "EFFECTIVE"}),
    ),
    (
        "suit_due_on",
        Period.NONFINAL_SUIT_15D,
        clocks.nonfinal_suit_due,
        frozenset({"non_final", "mixed"}),
        frozenset({"AWARDED"}),
    ),
    (
        "set_aside_due_on",
        Period.SET_ASIDE_30D,
        clocks.set_aside_due,
        frozenset({"final"}),
        frozenset({"AWARDED", "EFFECTIVE"}),
    ),
)


def recount_award(case: ArbitrationCase, *, calendar: LegalCalendar, year: int) -> list[DeadlineRecomputed]:
    award = case.award or {}
    served = award.get("served_on")
    if not served:
        return []
    award_type, moved = effect.type_of(award), []
    for name, rule, count, types, statuses in AWARD_CLOCKS:
        previous = _day(award.get(name))
        if award_type not in types or case.status not in statuses or previous is None:
            continue
        due = count(calendar, date.fromisoformat(_counted_from(award, name, award_type) or served))
        if previous.year not in (year, year + 1) or due == previous:
            continue
        award = {**award, name: due.isoformat()}
        moved.append(_event(case, rule, previous, due, calendar, year))
    if moved and isinstance(award.get("service"), dict):  # each party's own dates, counted again
        award = {
            **award,
            "service": {
                party: party_service.windows(award_type, party, date.fromisoformat(dates["served_on"]), calendar)
                for party, dates in award["service"].items()
            },
        }
    case.award = award if moved else case.award
    return moved


def _counted_from(award: dict[str, object], name: str, award_type: str | None) -> str | None:
    """The day a whole-award period runs from: the worker's on a final award's suit (LDA Art.
    48), the employer's for the set-aside (Art. 49), else the last party's (``served_on``)."""
    party = "employer" if name == "set_aside_due_on" else "worker" if award_type == "final" else None
    dates = party_service.of(award).get(party) if party else None
    return str(dates["served_on"]) if dates else None


def _event(
    case: ArbitrationCase, rule: Period, previous: date, due: date, calendar: LegalCalendar, year: int
) -> DeadlineRecomputed:
    return DeadlineRecomputed(
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


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)[:10]) if value else None
