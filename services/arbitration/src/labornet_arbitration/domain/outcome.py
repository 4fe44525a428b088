"""Awards, their effect, overdue clocks and the court's events (裁审衔接)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

from labornet_arbitration.domain import clocks
from labornet_arbitration.domain.minimum_wage import item_is_final
from labornet_arbitration.domain.model import ACTIVE, ArbitrationCase, CaseRuleError
from labornet_common.calendar import LegalCalendar
from labornet_common.contracts.arbitration import (
    AwardEffective,
    AwardIssued,
    AwardItem,
    AwardServed,
    ClockOverdue,
    CourtEventRecorded,
)

Kind = Literal["award", "mediation"]
_DAY = timedelta(days=1)


def award_items(kind: Kind, items: list[dict[str, Any]], cap_fen: int | None) -> list[AwardItem]:
    # A signed 调解书 cannot be sued on (LDA Art. 42): its items bind like final ones.
    return [
        AwardItem(**item, final=kind == "mediation" or item_is_final(item["category"], item.get("amount_fen"), cap_fen))
        for item in items
    ]


def issue_award(case: ArbitrationCase, *, kind: Kind, items: list[AwardItem], on: date, today: date) -> None:
    case.require("TRIBUNAL_FORMED", "HEARING_SCHEDULED")
    case.not_before(on, case.accepted_on, today, "issued_on")
    assert case.case_number is not None
    case.status = "AWARDED"
    case.award = {"kind": kind, "issued_on": on.isoformat(), "items": [i.model_dump() for i in items]}
    case.record(
        AwardIssued(
            case_id=case.case_id, division_code=case.division_code, case_number=case.case_number,
            commission_id=case.commission_id, issued_on=on, kind=kind, items=items,
            total_granted_fen=sum(i.amount_fen or 0 for i in items if i.granted),
            employer_name=case.employer_name, employer_uscc=case.employer_uscc, worker_count=case.worker_count,
        )
    )
    final = [i for i in items if i.final]
    if kind == "award" and final:  # LDA Art. 47: a final award takes effect when it is made
        _take_effect(case, final, on, "final_effective_on")


def _take_effect(case: ArbitrationCase, items: list[AwardItem], on: date, flag: str) -> None:
    assert case.award is not None and case.case_number is not None
    case.award = {**case.award, flag: on.isoformat()}
    if not _pending_items(case):
        case.status = "EFFECTIVE"
    case.record(AwardEffective(case_id=case.case_id, division_code=case.division_code,
                               case_number=case.case_number, effective_on=on, items=items))


def _items(case: ArbitrationCase) -> list[AwardItem]:
    return [AwardItem(**i) for i in (case.award or {}).get("items", [])]


def _pending_items(case: ArbitrationCase) -> list[AwardItem]:
    award = case.award or {}
    if award.get("kind") == "mediation":
        return [] if award.get("mediation_effective_on") else _items(case)
    if award.get("nonfinal_effective_on"):
        return []
    return [i for i in _items(case) if not i.final]


def serve_award(case: ArbitrationCase, *, on: date, today: date, calendar: LegalCalendar) -> None:
    case.require("AWARDED", "EFFECTIVE")
    award = case.award or {}
    if award.get("served_on"):
        raise CaseRuleError("arbitration.wrong_state", detail="the award was already served")
    case.not_before(on, date.fromisoformat(award["issued_on"]), today, "served_on")
    nonfinal = award["kind"] == "award" and bool(_pending_items(case))
    suit_due = clocks.nonfinal_suit_due(calendar, on) if nonfinal else None
    case.award = {**award, "served_on": on.isoformat(), "suit_due_on": suit_due.isoformat() if suit_due else None}
    assert case.case_number is not None
    case.record(AwardServed(case_id=case.case_id, division_code=case.division_code, case_number=case.case_number,
                            served_on=on, suit_due_on=suit_due))
    if award["kind"] == "mediation":  # LDA Art. 42: effective once both parties sign for it
        _take_effect(case, _items(case), on, "mediation_effective_on")
    else:
        nonfinal_takes_effect(case, today=today)


def nonfinal_takes_effect(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 50: no suit within 15 days of receipt, and the non-final award takes effect."""
    award = case.award or {}
    if case.status != "AWARDED" or not award.get("suit_due_on") or case.court.get("lawsuit_filed_on"):
        return False
    suit_due = date.fromisoformat(award["suit_due_on"])
    if today <= suit_due:
        return False
    _take_effect(case, _pending_items(case), suit_due + _DAY, "nonfinal_effective_on")
    return True


def acceptance_overdue(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 29: no decision within 5 days of receipt; the worker may sue (once per clock)."""
    if case.status != "SUBMITTED" or case.acceptance_overdue_on or today <= case.acceptance_due_on:
        return False
    case.acceptance_overdue_on = case.acceptance_due_on + _DAY
    case.record(ClockOverdue(case_id=case.case_id, division_code=case.division_code, clock="acceptance",
                             due_on=case.acceptance_due_on, overdue_on=case.acceptance_overdue_on))
    return True


def award_overdue(case: ArbitrationCase, *, today: date) -> bool:
    """LDA Art. 43: no award within 45 (+15) days; a suspended clock is paused, not overdue."""
    due = case.award_due_on
    if case.status not in ACTIVE or case.award_overdue_on or due is None or today <= due:
        return False
    case.award_overdue_on = due + _DAY
    case.record(ClockOverdue(case_id=case.case_id, division_code=case.division_code, clock="award", due_on=due,
                             overdue_on=case.award_overdue_on, case_number=case.case_number or ""))
    return True


def apply_court_event(
    case: ArbitrationCase, *, kind: str, callback_id: str, court_name: str, outcome: str, on: date
) -> bool:
    """Apply a court event once per callback id; False when it was seen or is not ours."""
    if callback_id in case.court.get("callbacks", []) or kind not in _COURT_EFFECTS:
        return False
    court = {**case.court, "callbacks": [*case.court.get("callbacks", []), callback_id]}
    effect = _COURT_EFFECTS[kind](case, court, outcome, on)
    case.court = court
    case.record(CourtEventRecorded(case_id=case.case_id, division_code=case.division_code, kind=kind,
                                   callback_id=callback_id, court_name=court_name, effect=effect))
    return True


def _lawsuit(case: ArbitrationCase, court: dict[str, Any], _outcome: str, on: date) -> str:
    court["lawsuit_filed_on"] = on.isoformat()
    if case.status == "AWARDED":  # LDA Art. 50: a suit in time keeps the non-final award from effect
        case.status = "IN_COURT"
        return "non_final_award_not_effective"
    if case.status == "EFFECTIVE":
        return "final_award_challenged"  # LDA Art. 48: the worker sues on a final award
    case.status = "IN_COURT"
    return "dispute_before_court"  # after non-acceptance or an overdue clock (LDA Arts. 29, 43)


def _set_aside_applied(_case: ArbitrationCase, court: dict[str, Any], _outcome: str, _on: date) -> str:
    court["set_aside"] = "applied"  # LDA Art. 49
    return "set_aside_pending"


def _set_aside_decided(case: ArbitrationCase, court: dict[str, Any], outcome: str, _on: date) -> str:
    court["set_aside"] = "set_aside" if outcome == "set_aside" else "rejected"
    if outcome == "set_aside":  # LDA Art. 49: the parties may sue within 15 days of the ruling
        case.status = "SET_ASIDE"
        return "award_set_aside"
    return "set_aside_rejected"


def _enforcement(_case: ArbitrationCase, court: dict[str, Any], _outcome: str, on: date) -> str:
    court["enforcement_applied_on"] = on.isoformat()  # LDA Art. 51
    return "enforcement_applied"


_COURT_EFFECTS = {
    "lawsuit_filed": _lawsuit,
    "set_aside_applied": _set_aside_applied,
    "set_aside_decided": _set_aside_decided,
    "enforcement_applied": _enforcement,
}
