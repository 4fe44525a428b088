"""After acceptance: service, tribunal, recusal, hearing, suspension, extension, claims."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, time
from typing import Any

from labornet_arbitration.domain import clocks, tribunal
from labornet_arbitration.domain.arbitrators import OPEN_SEATED, Arbitrator
from labornet_arbitration.domain.model import ACTIVE, ArbitrationCase, CaseRuleError
from labornet_common.contracts.arbitration import (
    ApplicationServed,
    ClaimsChanged,
    ClockExtended,
    HearingScheduled,
    ProceedingsResumed,
    ProceedingsSuspended,
    RecusalDecided,
    RecusalRequested,
    TribunalFormed,
    TribunalMember,
)
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.reference.calendar import LegalCalendar


def _refresh_award_due(case: ArbitrationCase, calendar: LegalCalendar) -> None:
    assert case.award_clock_start is not None
    case.award_due_on = clocks.award_due(
        calendar, case.award_clock_start, extension_days=case.extension_days, paused_days=case.paused_days
    )


def record_service(case: ArbitrationCase, *, on: date, today: date, calendar: LegalCalendar) -> None:
    case.require(*ACTIVE)
    case.not_before(on, case.accepted_on, today, "respondent_received_on")
    case.respondent_received_on, case.defence_due_on = on, clocks.defence_due(calendar, on)
    case.record(
        ApplicationServed(
            case_id=case.case_id,
            division_code=case.division_code,
            respondent_received_on=on,
            defence_due_on=case.defence_due_on,
        )
    )


def form_tribunal(
    case: ArbitrationCase,
    *,
    mode: tribunal.Mode,
    seats: Sequence[tribunal.Seat],
    arbitrators: dict[str, Arbitrator],
    complex_case: bool,
    on: date,
) -> None:
    case.require("ACCEPTED", "TRIBUNAL_FORMED")
    if mode == "sole" and tribunal.panel_required(
        worker_count=case.worker_count, collective=case.collective, complex_case=complex_case
    ):
        raise CaseRuleError("arbitration.panel_required", field="mode", status=422)
    if not tribunal.shape_ok(mode, seats):
        raise CaseRuleError("arbitration.tribunal_shape", field="members", status=422)
    recused = {r["arbitrator_id"] for r in case.recusals if r.get("granted")}
    for seat in seats:
        found = arbitrators.get(seat.arbitrator_id)
        if found is None or found.commission_id != case.commission_id or seat.arbitrator_id in recused:
            raise CaseRuleError("arbitration.unknown_arbitrator", field="members", status=422)
        if not found.serving:  # off the roster (LDA Art. 20): keeps old seats, takes no new one
            raise CaseRuleError("arbitration.arbitrator_retired", field="members", status=422)
    members = [
        TribunalMember(arbitrator_id=s.arbitrator_id, name=arbitrators[s.arbitrator_id].name, role=s.role)
        for s in seats
    ]
    case.status = "TRIBUNAL_FORMED"
    case.tribunal = {"mode": mode, "formed_on": on.isoformat(), "members": [m.model_dump() for m in members]}
    case.record(
        TribunalFormed(case_id=case.case_id, division_code=case.division_code, mode=mode, members=members, formed_on=on)
    )


ROLES_ZH = {"sole": "独任仲裁员", "presiding": "首席仲裁员", "member": "仲裁员"}


def replace_member(case: ArbitrationCase, *, leaving: str, successor: Arbitrator, on: date, why_zh: str) -> None:
    """The tribunal formed again with ``successor`` in the seat of ``leaving``, who can no longer
    serve (retired, or moved to another commission), in the same state: a scheduled hearing keeps
    its date and place and the notice already served for it, which is a notice of the date and
    place (LDA Art. 35; 办案规则 Art. 38), so no new hearing notice is due. The parties are told
    the new composition in writing (LDA Art. 32; 办案规则 Art. 37): the case history records the
    notice, and TribunalFormed carries the new members to every reader of the case."""
    case.require(*OPEN_SEATED)
    members = (case.tribunal or {}).get("members", [])
    seat = next((m for m in members if m["arbitrator_id"] == leaving), None)
    recused = {r["arbitrator_id"] for r in case.recusals if r.get("granted")}
    if seat is None:
        raise CaseRuleError("arbitration.unknown_arbitrator", field="arbitrator_id", status=422)
    if (
        not successor.serving
        or successor.commission_id != case.commission_id
        or successor.id in recused
        or successor.id in {m["arbitrator_id"] for m in members}
    ):
        raise CaseRuleError("arbitration.unknown_arbitrator", field="members", status=422)
    taken = TribunalMember(arbitrator_id=successor.id, name=successor.name, role=seat["role"])
    now_members = [taken if m is seat else TribunalMember.model_validate(m) for m in members]
    assert case.tribunal is not None
    case.tribunal = {**case.tribunal, "members": [m.model_dump() for m in now_members], "reformed_on": on.isoformat()}
    case.note(
        on,
        "tribunal_reformed",
        f"仲裁员{seat['name']}{why_zh}，不能继续履行职责；仲裁委员会重新组成仲裁庭，"
        f"由{successor.name}担任{ROLES_ZH.get(seat['role'], '仲裁员')}，书面通知双方当事人。",
        from_arbitrator_id=leaving,
        to_arbitrator_id=successor.id,
    )
    case.record(
        TribunalFormed(
            case_id=case.case_id,
            division_code=case.division_code,
            mode=case.tribunal["mode"],
            members=now_members,
            formed_on=on,
        )
    )
    # A recusal request against the leaver not yet decided has nothing left to decide: the
    # arbitrator no longer sits (LDA Art. 33: the decision is whether they withdraw from the case).
    lapsing = [r["id"] for r in case.recusals if r["arbitrator_id"] == leaving and _undecided(r)]
    case.recusals = [{**r, "lapsed_on": on.isoformat()} if r["id"] in lapsing else r for r in case.recusals]
    for recusal_id in lapsing:
        case.note(
            on,
            "recusal_lapsed",
            f"对仲裁员{seat['name']}的回避申请，因其已不再担任本案仲裁员，无需决定。",
            recusal_id=recusal_id,
        )


def _undecided(recusal: dict[str, Any]) -> bool:
    return recusal["granted"] is None and not recusal.get("lapsed_on")


def request_recusal(
    case: ArbitrationCase, *, arbitrator_id: str, ground: str, on: date, calendar: LegalCalendar
) -> str:
    case.require("TRIBUNAL_FORMED", "HEARING_SCHEDULED")
    seated = {m["arbitrator_id"] for m in (case.tribunal or {}).get("members", [])}
    if arbitrator_id not in seated:
        raise CaseRuleError("arbitration.unknown_arbitrator", field="arbitrator_id", status=422)
    recusal_id, due = uuid.uuid4().hex[:12], tribunal.recusal_decision_due(calendar, on)
    case.recusals = [
        *case.recusals,
        {
            "id": recusal_id,
            "arbitrator_id": arbitrator_id,
            "ground": ground,
            "requested_on": on.isoformat(),
            "decision_due_on": due.isoformat(),
            "granted": None,
        },
    ]
    case.record(
        RecusalRequested(
            case_id=case.case_id,
            division_code=case.division_code,
            recusal_id=recusal_id,
            arbitrator_id=arbitrator_id,
            ground=ground,
            requested_on=on,
            decision_due_on=due,
        )
    )
    return recusal_id


def decide_recusal(
    case: ArbitrationCase, *, recusal_id: str, granted: bool, on: date, deciding_as: Arbitrator | None
) -> None:
    pending = next((r for r in case.recusals if r["id"] == recusal_id and _undecided(r)), None)
    if pending is None:
        raise CaseRuleError("arbitration.wrong_state", detail="no open recusal request with this id")
    if deciding_as is not None and deciding_as.id == pending["arbitrator_id"]:
        # Rules Art. 11: the commission (its chair) decides; nobody rules on their own recusal
        raise CaseRuleError("arbitration.own_recusal", status=403)
    case.recusals = [
        {**r, "granted": granted, "decided_on": on.isoformat()} if r is pending else r for r in case.recusals
    ]
    if granted:  # the tribunal must be formed again without the recused arbitrator
        case.status, case.tribunal = "ACCEPTED", None
    case.record(
        RecusalDecided(
            case_id=case.case_id,
            division_code=case.division_code,
            recusal_id=recusal_id,
            arbitrator_id=pending["arbitrator_id"],
            granted=granted,
            decided_on=on,
        )
    )


def schedule_hearing(
    case: ArbitrationCase,
    *,
    hearing_on: date,
    notice_on: date,
    venue: str,
    calendar: LegalCalendar,
    hearing_time: time | None = None,
) -> None:
    case.require("TRIBUNAL_FORMED", "HEARING_SCHEDULED")
    latest = clocks.latest_hearing_notice(calendar, hearing_on)
    if notice_on > latest:
        raise CaseRuleError(
            "arbitration.hearing_notice_short",
            field="hearing_on",
            status=422,
            detail=f"notice served {notice_on}; for a hearing on {hearing_on} it must be served by {latest}",
        )
    case.status = "HEARING_SCHEDULED"
    case.hearing = {
        "hearing_on": hearing_on.isoformat(),
        "notice_served_on": notice_on.isoformat(),
        "venue": venue,
        "hearing_time": hearing_time.strftime("%H:%M") if hearing_time else None,
    }
    case.record(
        HearingScheduled(
            case_id=case.case_id,
            division_code=case.division_code,
            hearing_on=hearing_on,
            notice_served_on=notice_on,
            venue=venue,
            hearing_time=hearing_time,
        )
    )


def suspend(case: ArbitrationCase, *, on: date, reason: str, today: date) -> None:
    case.require(*ACTIVE)
    case.not_before(on, case.accepted_on, today, "suspended_on")
    case.resume_status, case.status, case.suspended_since = case.status, "SUSPENDED", on
    case.record(
        ProceedingsSuspended(case_id=case.case_id, division_code=case.division_code, suspended_on=on, reason=reason)
    )


def resume(case: ArbitrationCase, *, on: date, today: date, calendar: LegalCalendar) -> None:
    case.require("SUSPENDED")
    case.not_before(on, case.suspended_since, today, "resumed_on")
    assert case.suspended_since is not None and case.resume_status is not None
    # Rules Art. 45: the days of suspension are not counted in the award period
    case.paused_days += (on - case.suspended_since).days
    case.status, case.suspended_since, case.resume_status = case.resume_status, None, None
    _refresh_award_due(case, calendar)
    assert case.award_due_on is not None
    case.record(
        ProceedingsResumed(
            case_id=case.case_id, division_code=case.division_code, resumed_on=on, award_due_on=case.award_due_on
        )
    )


def extend(case: ArbitrationCase, *, days: int, reason: str, calendar: LegalCalendar) -> None:
    case.require(*ACTIVE)
    if case.extension_days + days > clocks.AWARD_EXTENSION_MAX_DAYS:
        raise CaseRuleError("arbitration.extension_limit", field="days", status=422)
    case.extension_days += days  # LDA Art. 43: the chair's written approval, at most 15 days
    _refresh_award_due(case, calendar)
    assert case.award_due_on is not None
    case.record(
        ClockExtended(
            case_id=case.case_id, division_code=case.division_code, new_due_on=case.award_due_on, reason=reason
        )
    )


def change_claims(
    case: ArbitrationCase, *, claims: list[ClaimSummary], on: date, today: date, calendar: LegalCalendar
) -> None:
    case.require(*ACTIVE)
    case.not_before(on, case.accepted_on, today, "changed_on")
    # Rules Art. 46: added or changed claims restart the award period from that day
    case.claims = [c.model_dump(mode="json") for c in claims]
    case.award_clock_start, case.paused_days, case.award_overdue_on = on, 0, None
    _refresh_award_due(case, calendar)
    assert case.award_due_on is not None
    case.record(
        ClaimsChanged(
            case_id=case.case_id,
            division_code=case.division_code,
            changed_on=on,
            claims=claims,
            award_due_on=case.award_due_on,
        )
    )
