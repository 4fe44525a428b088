"""How a mediation case ends: agreement and its performance, court requests, transfer.

A mixin of ``MediationCase`` (kept apart so each file reads in one sitting); it uses the case's
fields and its ``_require``/``_note``/``_record`` plumbing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from labornet_common.calendar import LegalCalendar
from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.mediation import (
    AgreementBreached,
    AgreementPerformed,
    CourtRequestMade,
    CourtResultRecorded,
    MediationAgreementReached,
    TransferredToArbitration,
)
from labornet_mediation.domain.agreement import (
    Agreement,
    RuleBroken,
    check_judicial_confirmation,
    check_terms,
    payment_order_amount,
)
from labornet_mediation.domain.clock import judicial_confirmation_due_on
from labornet_mediation.domain.routing import TransferDestination

if TYPE_CHECKING:
    from labornet_mediation.domain.model import MediationCase

TRANSFER_GROUNDS = {
    "FAILED": "mediation_failed", "BREACHED": "agreement_breached", "DECLINED": "declined",
}
# A payment order the court issued ends the matter at mediation; a refusal or the employer's
# objection ends the 督促程序 and the worker may go on (民诉法 Arts. 227-228; Interp-I 13).
PAYMENT_ORDER_ISSUED = frozenset({"issued", "paid", "granted"})


class OutcomeTransitions:
    def reach_agreement(self: MediationCase, agreement: Agreement) -> None:
        """LDA Art. 14: effective once both parties and the mediator sign and the centre seals."""
        self._require({"ACCEPTED", "MEDIATING"}, "record an agreement")
        check_terms(agreement.terms, agreement.effective_on)
        self.status, self.agreement = "AGREED", agreement
        self._note(agreement.effective_on, f"达成调解协议，共{agreement.total_fen / 100:.2f}元")
        self._record(MediationAgreementReached(
            case_id=self.case_id, division_code=self.division_code, agreement_id=agreement.agreement_id,
            effective_on=agreement.effective_on, terms=agreement.terms, total_fen=agreement.total_fen,
            employer_name=self.employer_name, employer_uscc=self.employer_uscc,
        ))

    def record_performance(self: MediationCase, *, on: date, performed: bool, unpaid_fen: int | None) -> None:
        self._require({"AGREED"}, "record performance")
        agreement = _agreement(self)
        if performed:
            self.status, agreement.status, agreement.performed_on = "PERFORMED", "performed", on
            self._note(on, "调解协议已履行")
            self._record(AgreementPerformed(
                case_id=self.case_id, division_code=self.division_code,
                agreement_id=agreement.agreement_id, performed_on=on,
            ))
            self.close(on=on, outcome="performed")
            return
        unpaid = agreement.total_fen if unpaid_fen is None else unpaid_fen
        if not 0 < unpaid <= agreement.total_fen:
            raise RuleBroken("mediation.unpaid_amount", "unpaid amount out of range", field_name="unpaid_fen")
        self.status, agreement.status = "BREACHED", "breached"
        agreement.breached_on, agreement.unpaid_fen = on, unpaid
        self._note(on, f"用人单位未按协议履行，未付{unpaid / 100:.2f}元")
        self._record(AgreementBreached(
            case_id=self.case_id, division_code=self.division_code, agreement_id=agreement.agreement_id,
            unpaid_fen=unpaid, recorded_on=on, employer_name=self.employer_name, employer_uscc=self.employer_uscc,
        ))

    def request_court(
        self: MediationCase, *, kind: str, on: date, calendar: LegalCalendar
    ) -> dict[str, Any]:
        agreement = _agreement(self)
        if kind in agreement.court_requests:
            raise RuleBroken("mediation.court_request_exists", f"a {kind} request was already made")
        if kind == "payment_order":  # LDA Art. 16: on a breached agreement only
            self._require({"BREACHED"}, "request a payment order on")
            amount: int | None = payment_order_amount(agreement)
            self.status = "COURT"
            self._note(on, f"向人民法院申请支付令，金额{amount / 100:.2f}元")
        else:  # 民诉法 Art. 205: judicial confirmation of an effective agreement
            self._require({"AGREED", "PERFORMED"}, "request judicial confirmation of")
            check_judicial_confirmation(
                today=on, due_on=judicial_confirmation_due_on(agreement.effective_on, calendar)
            )
            amount = None
            self._note(on, "向人民法院申请司法确认")
        request = {"kind": kind, "requested_on": on, "amount_fen": amount, "status": "requested"}
        agreement.court_requests[kind] = request
        self._record(CourtRequestMade(
            case_id=self.case_id, division_code=self.division_code, agreement_id=agreement.agreement_id,
            kind=kind, requested_on=on, amount_fen=amount,  # type: ignore[arg-type]
        ))
        return request

    def record_court_result(
        self: MediationCase, *, kind: str, outcome: str, on: date, court_name: str, court_case_number: str
    ) -> bool:
        """Apply the court's answer once; False when there is no request or it is already answered."""
        request = self.agreement.court_requests.get(kind) if self.agreement else None
        if request is None or request["status"] != "requested":
            return False
        request.update(status="answered", outcome=outcome, answered_on=on, court_case_number=court_case_number)
        self._note(on, f"{court_name}答复{'支付令' if kind == 'payment_order' else '司法确认'}申请：{outcome}")
        self._record(CourtResultRecorded(
            case_id=self.case_id, division_code=self.division_code, agreement_id=self.agreement.agreement_id,
            kind=kind, outcome=outcome, court_name=court_name,  # type: ignore[arg-type]
            court_case_number=court_case_number, recorded_on=on,
        ))
        if kind == "payment_order":
            if outcome in PAYMENT_ORDER_ISSUED:
                self.close(on=on, outcome="court")
            else:
                self.status = "BREACHED"  # the worker may still go to arbitration (LDA Art. 15)
        return True

    def transfer(self: MediationCase, *, transfer_id: str, to: TransferDestination, on: date) -> str:
        """Carry everything collected to arbitration (LDA Arts. 14-15): the claims, the facts and
        what mediation did. Returns the grounds."""
        self._require(set(TRANSFER_GROUNDS), "transfer")
        grounds = "timed_out" if self.failure_reason == "timed_out" else TRANSFER_GROUNDS[self.status]
        self.status = "TRANSFERRED"
        self._note(on, f"移送{to.venue_name}")
        self._record(TransferredToArbitration(
            case_id=self.case_id, transfer_id=transfer_id, division_code=self.division_code,
            commission_id=to.commission_id, tribunal_id=to.tribunal_id, venue_name=to.venue_name,
            grounds=grounds, centre_id=self.centre_id, mediation_received_on=self.received_on,  # type: ignore[arg-type]
            worker_name=self.worker_name, employer_name=self.employer_name, employer_uscc=self.employer_uscc,
            employer_division=self.employer_division, workplace_division=self.workplace_division or self.division_code,
            worker_count=self.worker_count, facts=self.facts,
            claims=[ClaimSummary.model_validate(c) for c in self.claims], history_zh=list(self.history_zh),
        ))
        self.close(on=on, outcome="transferred")
        return grounds


def _agreement(case: MediationCase) -> Agreement:
    if case.agreement is None:
        raise RuleBroken("mediation.no_agreement", "the case has no mediation agreement")
    return case.agreement
