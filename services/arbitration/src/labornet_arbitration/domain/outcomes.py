"""Awards, their service and effect, and the overdue clocks. The court's events: court_events.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from labornet_arbitration.domain import effect, party_service
from labornet_arbitration.domain.minimum_wage import item_is_final
from labornet_arbitration.domain.model import ACTIVE, ArbitrationCase, CaseRuleError
from labornet_common.contracts.arbitration import (
    AwardEffective,
    AwardIssued,
    AwardItem,
    AwardServed,
    AwardServedOnParty,
    ClockOverdue,
    PartyService,
)
from labornet_common.reference.calendar import LegalCalendar

Kind = Literal["award", "mediation"]
_DAY = timedelta(days=1)


def award_items(kind: Kind, items: list[dict[str, Any]], cap_fen: int | None) -> list[AwardItem]:
    # A signed 调解书 cannot be sued on (LDA Art. 42): its items bind like final ones.
    return [
        AwardItem(**item, final=kind == "mediation" or item_is_final(item["category"], item.get("amount_fen"), cap_fen))
        for item in items
    ]


def issue_award(
    case: ArbitrationCase, *, kind: Kind, items: list[AwardItem], on: date, today: date, by_default: bool = False
) -> None:
    """``by_default``: 缺席裁决 against a respondent who did not appear (LDA Art. 36)."""
    case.require("TRIBUNAL_FORMED", "HEARING_SCHEDULED")
    case.not_before(on, case.accepted_on, today, "issued_on")
    assert case.case_number is not None
    award_type = effect.award_type_of(i.final for i in items) if kind == "award" else None
    case.status = "AWARDED"
    case.award = {
        "kind": kind,
        "award_type": award_type,
        "issued_on": on.isoformat(),
        "items": [i.model_dump() for i in items],
        **({"by_default": True} if by_default else {}),
    }
    case.record(
        AwardIssued(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            commission_id=case.commission_id,
            issued_on=on,
            kind=kind,
            award_type=award_type,
            items=items,
            total_granted_fen=sum(i.amount_fen or 0 for i in items if i.granted),
            employer_name=case.employer_name,
            employer_uscc=case.employer_uscc,
            worker_count=case.worker_count,
            by_default=by_default,
        )
    )
    if award_type == "final":  # LDA Art. 47: an award final in every item takes effect when it is made
        take_effect(case, on)


def take_effect(case: ArbitrationCase, on: date) -> None:
    """Record the award's effect once, with every item (a mixed award never in part)."""
    assert case.award is not None and case.case_number is not None
    case.award = {**case.award, "effective_on": on.isoformat()}
    case.status = "EFFECTIVE"
    case.record(
        AwardEffective(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            effective_on=on,
            items=_items(case),
            kind=case.award["kind"],
            award_type=effect.type_of(case.award),
        )
    )


def _items(case: ArbitrationCase) -> list[AwardItem]:
    return [AwardItem(**i) for i in (case.award or {}).get("items", [])]


def serve_award(
    case: ArbitrationCase,
    *,
    on: date,
    today: date,
    calendar: LegalCalendar,
    party: party_service.Party | None = None,
) -> None:
    """``party`` received the award on ``on`` (its receipt date); without a party, every party not
    yet served did. Each party's periods start from its own day (party_service.py); once every
    party has the award it is served as a whole, and its effect follows as before."""
    case.require("AWARDED", "EFFECTIVE", "IN_COURT")
    award = case.award or {}
    waiting = party_service.unserved(award) if award else []
    parties = [party] if party in waiting else [] if party else waiting
    if not parties:
        raise CaseRuleError(
            "arbitration.wrong_state", detail=f"the award was already served on {party or 'every party'}"
        )
    case.not_before(on, date.fromisoformat(award["issued_on"]), today, "served_on")
    award_type = effect.type_of(award)
    case.award = party_service.serve(award, award_type=award_type, parties=parties, on=on, calendar=calendar)
    assert case.case_number is not None
    served = party_service.of(case.award)
    if not case.award.get("served_on"):  # another party has yet to receive it
        for who in parties:
            case.record(
                AwardServedOnParty(
                    case_id=case.case_id,
                    division_code=case.division_code,
                    case_number=case.case_number,
                    party=who,
                    award_type=award_type,
                    kind=award["kind"],
                    **served[who],
                )
            )
        return
    case.record(
        AwardServed(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            served_on=case.award["served_on"],
            suit_due_on=case.award["suit_due_on"],
            set_aside_due_on=case.award["set_aside_due_on"],
            award_type=award_type,
            kind=award["kind"],
            parties=[PartyService.model_validate({"party": p, **dates}) for p, dates in served.items()],
        )
    )
    if award_type is None:  # LDA Art. 42: a 调解书 is effective once both parties sign for it
        take_effect(case, date.fromisoformat(case.award["served_on"]))
    else:
        nonfinal_takes_effect(case, today=today)


def nonfinal_takes_effect(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 50 (and Interp-I Art. 20 for a mixed award): every party's 15 days from its own
    receipt pass without a suit in time (``suit_due_on`` is the last window's end, set once every
    party is served), and the award takes effect the next day. A suit out of time stops nothing."""
    award = case.award or {}
    if case.status != "AWARDED" or effect.type_of(award) not in ("non_final", "mixed"):
        return False
    if not award.get("suit_due_on") or effect.effective_on(award) or case.court.get("lawsuit_in_time"):
        return False
    suit_due = date.fromisoformat(award["suit_due_on"])
    if today <= suit_due:
        return False
    take_effect(case, suit_due + _DAY)
    return True


def acceptance_overdue(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 29: no decision within 5 days of receipt; the worker may sue (once per clock)."""
    if case.status != "SUBMITTED" or case.acceptance_overdue_on or today <= case.acceptance_due_on:
        return False
    case.acceptance_overdue_on = case.acceptance_due_on + _DAY
    case.record(
        ClockOverdue(
            case_id=case.case_id,
            division_code=case.division_code,
            clock="acceptance",
            due_on=case.acceptance_due_on,
            overdue_on=case.acceptance_overdue_on,
        )
    )
    return True


def award_overdue(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 43: no award within 45 (+15) days; a suspended clock is paused, not overdue."""
    due = case.award_due_on
    if case.status not in ACTIVE or case.award_overdue_on or due is None or today <= due:
        return False
    case.award_overdue_on = due + _DAY
    case.record(
        ClockOverdue(
            case_id=case.case_id,
            division_code=case.division_code,
            clock="award",
            due_on=due,
            overdue_on=case.award_overdue_on,
            case_number=case.case_number or "",
        )
    )
    return True
