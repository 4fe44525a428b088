"""The court's events on an arbitration case (裁审衔接): who sued, in time or not, and what
that does to the award's effect (see effect.py for the rules and their articles).

Each callback id has one effect; every event is recorded (CourtEventRecorded, with the effect
in a word), and a suit or ruling that withholds or ends the award's effect also records
AwardNotEffective, once, so the court's webhooks and every service read the same story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from labornet_arbitration.domain import clocks, effect, party_service, procedures
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_common.contracts.arbitration import AwardNotEffective, CourtEventRecorded
from labornet_common.reference.calendar import LegalCalendar

Party = Literal["worker", "employer"]


@dataclass(frozen=True)
class CourtEvent:
    kind: str
    callback_id: str
    court_name: str
    outcome: str
    on: date
    party: Party | None = None
    ruling_id: str = ""  # a partial award or 先予执行 ruling (procedures.py); empty: the award


def apply_court_event(case: ArbitrationCase, *, event: CourtEvent, calendar: LegalCalendar) -> bool:
    """Apply a court event once per callback id; False when it was seen or is not ours."""
    if event.callback_id in case.court.get("callbacks", []) or event.kind not in _COURT_EFFECTS:
        return False
    court = {**case.court, "callbacks": [*case.court.get("callbacks", []), event.callback_id]}
    if event.ruling_id:  # about a partial award or a 先予执行 ruling, not the case's award
        result = procedures.court_event_on_ruling(
            case, ruling_id=event.ruling_id, kind=event.kind, on=event.on, party=event.party
        )
    else:
        result = _COURT_EFFECTS[event.kind](case, court, event, calendar)
    case.court = court
    case.record(
        CourtEventRecorded(
            case_id=case.case_id,
            division_code=case.division_code,
            kind=event.kind,
            callback_id=event.callback_id,
            court_name=event.court_name,
            effect=result,
        )
    )
    return True


def _lawsuit(case: ArbitrationCase, court: dict[str, Any], event: CourtEvent, _calendar: LegalCalendar) -> str:
    court.update(lawsuit_filed_on=event.on.isoformat(), lawsuit_party=event.party)
    award = case.award or {}
    if not award or case.status not in ("AWARDED", "EFFECTIVE", "IN_COURT", "SET_ASIDE"):
        case.status = "IN_COURT"
        return "dispute_before_court"  # after non-acceptance or an overdue clock (LDA Arts. 29, 43)
    award_type = effect.type_of(award)
    if award_type is None:
        return "mediation_document_binds"  # LDA Art. 42: a signed 调解书 is not open to suit
    if case.status == "SET_ASIDE":
        case.status = "IN_COURT"  # LDA Art. 49 ¶2: after a set-aside the parties may sue
        return "suit_after_set_aside"
    if court.get("lawsuit_in_time"):
        return "suit_joined"  # both sides sued on one award: the court hears them together (Interp-I Art. 4)
    if award_type == "final":
        return _suit_on_final(case, court, event)
    if not effect.suit_in_time(award, event.on, event.party):
        # LDA Art. 50: the suing party's own 15 days passed. Nothing is withheld: the award takes
        # effect when the last party's period ends without a suit in time (or already took it).
        return "suit_out_of_time"
    return _withhold(case, court, event, "suit_in_time", f"{award_type}_award_not_effective")


def _suit_on_final(case: ArbitrationCase, court: dict[str, Any], event: CourtEvent) -> str:
    if event.party == "employer":
        # LDA Arts. 48-49: only the worker may sue on a final award (a suit naming no party is
        # the worker's); the employer's remedy is to apply to set it aside, and the court
        # refuses the employer's suit
        court["employer_suit_refused"] = True
        return "no_effect_on_final_award"
    if not effect.suit_in_time(case.award or {}, event.on, "worker"):
        return "suit_out_of_time"  # LDA Art. 48: the worker's 15 days passed; the final award binds
    return _withhold(case, court, event, "challenged_by_worker", "final_award_challenged_by_worker")


def _withhold(case: ArbitrationCase, court: dict[str, Any], event: CourtEvent, reason: Any, result: str) -> str:
    court["lawsuit_in_time"] = True
    case.status = "IN_COURT"
    _record_not_effective(case, court, event, reason)
    return result


def _set_aside_applied(
    case: ArbitrationCase, court: dict[str, Any], event: CourtEvent, _calendar: LegalCalendar
) -> str:
    award = case.award or {}
    if effect.type_of(award) != "final":
        return "set_aside_not_available"  # LDA Art. 49 concerns final awards only
    if court.get("lawsuit_in_time"):
        return "set_aside_refused_worker_suit_pending"  # Interp-I Art. 21: the court does not accept it
    due = party_service.of(award).get("employer", {}).get("set_aside_due_on")
    if due and event.on > date.fromisoformat(due):
        return "set_aside_out_of_time"  # LDA Art. 49: 30 days from the employer's own receipt
    court.update(set_aside="applied", set_aside_applied_on=event.on.isoformat())
    return "set_aside_pending"  # effect stays; enforcement is suspended (Interp-I Art. 25)


def _set_aside_decided(case: ArbitrationCase, court: dict[str, Any], event: CourtEvent, calendar: LegalCalendar) -> str:
    if effect.type_of(case.award or {}) != "final" or court.get("set_aside") not in ("applied", None):
        return "set_aside_not_available"
    court["set_aside_decided_on"] = event.on.isoformat()
    if event.outcome != "set_aside":
        court["set_aside"] = "rejected"
        return "set_aside_rejected"  # the award binds and may be enforced again (Interp-I Art. 25)
    court.update(set_aside="set_aside", may_sue_by=clocks.suit_after_set_aside_due(calendar, event.on).isoformat())
    case.status = "SET_ASIDE"
    _record_not_effective(case, court, event, "set_aside")
    return "award_set_aside"


def _enforcement(_case: ArbitrationCase, court: dict[str, Any], event: CourtEvent, _calendar: LegalCalendar) -> str:
    court["enforcement_applied_on"] = event.on.isoformat()  # LDA Art. 51
    return "enforcement_applied"


def _record_not_effective(case: ArbitrationCase, court: dict[str, Any], event: CourtEvent, reason: Any) -> None:
    assert case.award is not None and case.case_number is not None
    now = effect.effect_of(status=case.status, award=case.award, court=court)
    assert now is not None
    case.record(
        AwardNotEffective(
            case_id=case.case_id,
            division_code=case.division_code,
            case_number=case.case_number,
            award_type=now.award_type,
            reason=reason,
            occurred_on=event.on,
            party=event.party,
            court_name=event.court_name,
            may_sue_by=now.may_sue_by,
            article=now.article,
        )
    )


_Effect = Callable[[ArbitrationCase, dict[str, Any], CourtEvent, LegalCalendar], str]
_COURT_EFFECTS: dict[str, _Effect] = {
    "lawsuit_filed": _lawsuit,
    "set_aside_applied": _set_aside_applied,
    "set_aside_decided": _set_aside_decided,
    "enforcement_applied": _enforcement,
}
