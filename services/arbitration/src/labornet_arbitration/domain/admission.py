"""From receipt to a decision: correction, acceptance, non-acceptance, referral.

LDA Art. 29: accept, or refuse in writing with reasons, within 5 days of receipt. Rules Art. 29:
one correction notice listing everything missing; receipt restarts when it is complete.
Rules Arts. 9 and 31: an application at the wrong commission is referred (移送) to the
competent one, never refused for jurisdiction alone.
"""

from __future__ import annotations

from datetime import date

from labornet_arbitration.domain import clocks
from labornet_arbitration.domain.model import ACTIVE, UNDECIDED, ArbitrationCase, CaseRuleError
from labornet_common.contracts.arbitration import (
    ApplicationAccepted,
    ApplicationNotAccepted,
    ApplicationReferred,
    CorrectionCompleted,
    CorrectionRequested,
    ReferralReceived,
)
from labornet_common.reference import Commission
from labornet_common.reference.calendar import LegalCalendar


def is_competent(commission: Commission, *, workplace: str, employer_division: str | None) -> bool:
    # LDA Art. 21: where the contract is performed, or where the employer is
    areas = commission.service_areas
    return workplace[:6] in areas or (employer_division is not None and employer_division[:6] in areas)


def request_correction(case: ArbitrationCase, *, items: list[str], on: date, calendar: LegalCalendar) -> None:
    case.require("SUBMITTED")
    if case.correction_requested_on is not None:
        raise CaseRuleError("arbitration.correction_once")
    case.not_before(on, case.received_on, on, "requested_on")
    due = clocks.correction_notice_due(calendar, case.received_on)
    if on > due:
        raise CaseRuleError("arbitration.correction_late", field="requested_on")
    case.status, case.correction_items, case.correction_requested_on = "NEEDS_CORRECTION", items, on
    case.record(
        CorrectionRequested(
            case_id=case.case_id,
            application_id=case.application_id,
            division_code=case.division_code,
            items=items,
            requested_on=on,
            due_on=due,
        )
    )


def complete_correction(case: ArbitrationCase, *, on: date, today: date, calendar: LegalCalendar) -> None:
    case.require("NEEDS_CORRECTION")
    case.not_before(on, case.correction_requested_on, today, "completed_on")
    # Rules Art. 29: the day the application is complete counts as the day of receipt
    case.status, case.received_on = "SUBMITTED", on
    case.acceptance_due_on = clocks.acceptance_due(calendar, on)
    case.record(
        CorrectionCompleted(
            case_id=case.case_id,
            application_id=case.application_id,
            division_code=case.division_code,
            completed_on=on,
            acceptance_due_on=case.acceptance_due_on,
        )
    )


def accept(case: ArbitrationCase, *, on: date, case_number: str, calendar: LegalCalendar) -> None:
    case.require("SUBMITTED")
    case.status, case.accepted_on, case.decided_on, case.case_number = "ACCEPTED", on, on, case_number
    case.serve_copy_due_on = clocks.serve_copy_due(calendar, on)
    case.tribunal_notice_due_on = clocks.tribunal_notice_due(calendar, on)
    case.award_clock_start = on
    case.award_due_on = clocks.award_due(calendar, on)
    case.record(
        ApplicationAccepted(
            case_id=case.case_id,
            application_id=case.application_id,
            division_code=case.division_code,
            commission_id=case.commission_id,
            case_number=case_number,
            accepted_on=on,
            award_due_on=case.award_due_on,
        )
    )


def not_accept(case: ArbitrationCase, *, on: date, reasons: list[str]) -> None:
    case.require(*UNDECIDED)
    case.status, case.decided_on, case.reasons = "NOT_ACCEPTED", on, reasons
    case.record(
        ApplicationNotAccepted(
            case_id=case.case_id,
            application_id=case.application_id,
            division_code=case.division_code,
            commission_id=case.commission_id,
            decided_on=on,
            reasons=reasons,
        )
    )


def refer(case: ArbitrationCase, *, to: Commission, on: date, reason: str) -> None:
    """Close the application here; the caller opens the new one at ``to`` (source "referral")."""
    case.require(*UNDECIDED)
    if not is_competent(to, workplace=case.division_code, employer_division=case.employer_division):
        raise CaseRuleError("arbitration.not_competent", field="to_commission_id", status=422)
    case.status, case.decided_on, case.referred_to = "REFERRED", on, to.id
    case.record(
        ApplicationReferred(
            case_id=case.case_id,
            application_id=case.application_id,
            division_code=case.division_code,
            from_commission_id=case.commission_id,
            to_commission_id=to.id,
            referred_on=on,
            reason=reason,
        )
    )


def refer_to_keeper(
    loser: ArbitrationCase, keeper: ArbitrationCase, *, on: date, notice_zh: str, calendar: LegalCalendar
) -> None:
    """The same dispute at two commissions: ``loser`` is referred (移送) into the application
    the keeping commission already holds (LDA Art. 21; Rules Arts. 8, 9), with notice to the
    parties; its workers and claims join the keeper's application. Rules Art. 9 also moves an
    application already accepted, so an accepted ``loser`` is referred too."""
    loser.require(*UNDECIDED, *ACTIVE)
    loser.status, loser.decided_on = "REFERRED", on
    loser.referred_to, loser.merged_into = keeper.commission_id, keeper.application_id
    loser.note(
        on, "referred", notice_zh, to_commission_id=keeper.commission_id, to_application_id=keeper.application_id
    )
    loser.record(
        ApplicationReferred(
            case_id=loser.case_id,
            application_id=loser.application_id,
            division_code=loser.division_code,
            from_commission_id=loser.commission_id,
            to_commission_id=keeper.commission_id,
            referred_on=on,
            reason="same_dispute",
            to_application_id=keeper.application_id,
            to_case_id=keeper.case_id,
            same_dispute=True,
            notice_zh=notice_zh,
        )
    )
    _take_over(keeper, loser, on=on, notice_zh=notice_zh, calendar=calendar)


def _take_over(
    keeper: ArbitrationCase, loser: ArbitrationCase, *, on: date, notice_zh: str, calendar: LegalCalendar
) -> None:
    keeper.worker_keys = sorted(set(keeper.worker_keys) | set(loser.worker_keys))
    keeper.worker_count = max(keeper.worker_count, loser.worker_count)
    keeper.claims += [c for c in loser.claims if c["category"] not in keeper.categories]
    if keeper.status in ACTIVE:
        # Rules Art. 46(五): on a referral the award period runs again from the day it is received
        keeper.award_clock_start, keeper.paused_days, keeper.award_overdue_on = on, 0, None
        keeper.award_due_on = clocks.award_due(calendar, on, extension_days=keeper.extension_days)
    keeper.note(
        on,
        "referral_received",
        notice_zh,
        from_commission_id=loser.commission_id,
        from_application_id=loser.application_id,
    )
    keeper.record(
        ReferralReceived(
            case_id=keeper.case_id,
            application_id=keeper.application_id,
            division_code=keeper.division_code,
            commission_id=keeper.commission_id,
            from_application_id=loser.application_id,
            from_case_id=loser.case_id,
            from_commission_id=loser.commission_id,
            received_on=on,
            worker_count=keeper.worker_count,
            worker_keys=keeper.worker_keys,
            award_due_on=keeper.award_due_on if keeper.status in ACTIVE else None,
        )
    )
