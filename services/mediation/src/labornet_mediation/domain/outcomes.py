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
    TransferredAgreement,
    TransferredToArbitration,
)
from labornet_mediation.domain.agreement import (
    PERFORMED,
    Agreement,
    RuleBroken,
    check_judicial_confirmation,
    check_terms,
)
from labornet_mediation.domain.clock import judicial_confirmation_due_on
from labornet_mediation.domain.performance import (
    TermOutcome,
    apply_outcomes,
    breach_claims,
    payment_order_amount,
    payment_order_terms,
    whole_agreement_breach,
    whole_agreement_performed,
)
from labornet_mediation.domain.routing import TransferDestination

if TYPE_CHECKING:
    from labornet_mediation.domain.model import MediationCase

TRANSFER_GROUNDS = {
    "FAILED": "mediation_failed",
    "BREACHED": "agreement_breached",
    "DECLINED": "declined",
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
        money = f"，金额共{agreement.total_fen / 100:.2f}元" if agreement.total_fen else ""
        self._note(agreement.effective_on, f"达成调解协议，共{len(agreement.terms)}项{money}")
        self._record(
            MediationAgreementReached(
                case_id=self.case_id,
                division_code=self.division_code,
                agreement_id=agreement.agreement_id,
                effective_on=agreement.effective_on,
                terms=agreement.terms,
                total_fen=agreement.total_fen,
                employer_name=self.employer_name,
                employer_uscc=self.employer_uscc,
            )
        )

    def record_performance(self: MediationCase, *, on: date, performed: bool, unpaid_fen: int | None) -> None:
        """The whole agreement performed, or not: every pending term that fell due is breached."""
        agreement = _agreement(self)
        if performed:
            self._require({"AGREED"}, "record performance")
            self.record_term_outcomes(on=on, outcomes=whole_agreement_performed(agreement))
            return
        self._require({"AGREED", "BREACHED"}, "record a breach")
        self.record_term_outcomes(on=on, outcomes=whole_agreement_breach(agreement, on=on, unpaid_fen=unpaid_fen))

    def record_term_outcomes(self: MediationCase, *, on: date, outcomes: list[TermOutcome]) -> None:
        """Term by term: performed, or breached (LDA Art. 15). All performed ends the case; any
        breach opens arbitration and, for Art. 16 items, a payment order."""
        self._require({"AGREED", "BREACHED"}, "record performance")
        agreement = _agreement(self)
        if not outcomes:
            raise RuleBroken("mediation.items_missing", "name at least one term", field_name="items")
        breached_now = apply_outcomes(agreement, outcomes, on=on)
        for outcome in outcomes:
            if outcome.performed:
                self._note(on, f"调解协议第{outcome.term_no}项已履行")
        if breached_now:
            self._breached(agreement, breached_now, on=on)
        elif all(s.status == PERFORMED for s in agreement.states):
            self._performed(agreement, on=on)

    def _performed(self: MediationCase, agreement: Agreement, *, on: date) -> None:
        self.status, agreement.status, agreement.performed_on = "PERFORMED", "performed", on
        self._note(on, "调解协议已履行")
        self._record(
            AgreementPerformed(
                case_id=self.case_id,
                division_code=self.division_code,
                agreement_id=agreement.agreement_id,
                performed_on=on,
            )
        )
        self.close(on=on, outcome="performed")

    def _breached(self: MediationCase, agreement: Agreement, numbers: list[int], *, on: date) -> None:
        self.status, agreement.status = "BREACHED", "breached"
        agreement.breached_on = agreement.breached_on or on
        agreement.unpaid_fen = agreement.unpaid_total()
        terms = [t for t in agreement.breached_terms() if t.term_no in numbers]
        for term in terms:
            unpaid = f"，未付{term.unpaid_fen / 100:.2f}元" if term.unpaid_fen else f"：{term.not_done}"
            self._note(on, f"调解协议第{term.term_no}项未按期履行{unpaid}")
        self._record(
            AgreementBreached(
                case_id=self.case_id,
                division_code=self.division_code,
                agreement_id=agreement.agreement_id,
                unpaid_fen=agreement.unpaid_fen,
                recorded_on=on,
                employer_name=self.employer_name,
                employer_uscc=self.employer_uscc,
                terms=terms,
            )
        )

    def request_court(
        self: MediationCase, *, kind: str, on: date, calendar: LegalCalendar, term_nos: list[int] | None = None
    ) -> dict[str, Any]:
        agreement = _agreement(self)
        if kind in agreement.court_requests:
            raise RuleBroken("mediation.court_request_exists", f"a {kind} request was already made")
        if kind == "payment_order":  # LDA Art. 16: on a breached agreement only
            self._require({"BREACHED"}, "request a payment order on")
            covered: list[int] | None = payment_order_terms(agreement, term_nos)
            amount: int | None = payment_order_amount(agreement, covered)
            self.status = "COURT"
            terms = "、".join(map(str, covered))
            self._note(on, f"就调解协议第{terms}项向人民法院申请支付令，金额{amount / 100:.2f}元")
        else:  # 民诉法 Art. 205: judicial confirmation of an effective agreement
            self._require({"AGREED", "PERFORMED"}, "request judicial confirmation of")
            check_judicial_confirmation(today=on, due_on=judicial_confirmation_due_on(agreement.effective_on, calendar))
            amount, covered = None, None
            self._note(on, "向人民法院申请司法确认")
        request = {
            "kind": kind,
            "requested_on": on,
            "amount_fen": amount,
            "term_nos": covered,
            "status": "requested",
        }
        agreement.court_requests[kind] = request
        self._record(
            CourtRequestMade(
                case_id=self.case_id,
                division_code=self.division_code,
                agreement_id=agreement.agreement_id,
                kind=kind,
                requested_on=on,
                amount_fen=amount,  # type: ignore[arg-type]
            )
        )
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
        self._record(
            CourtResultRecorded(
                case_id=self.case_id,
                division_code=self.division_code,
                agreement_id=self.agreement.agreement_id,
                kind=kind,
                outcome=outcome,
                court_name=court_name,  # type: ignore[arg-type]
                court_case_number=court_case_number,
                recorded_on=on,
            )
        )
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
        self._record(
            TransferredToArbitration(
                case_id=self.case_id,
                transfer_id=transfer_id,
                division_code=self.division_code,
                commission_id=to.commission_id,
                tribunal_id=to.tribunal_id,
                venue_name=to.venue_name,
                grounds=grounds,
                centre_id=self.centre_id,
                mediation_received_on=self.received_on,  # type: ignore[arg-type]
                worker_name=self.worker_name,
                employer_name=self.employer_name,
                employer_uscc=self.employer_uscc,
                employer_division=self.employer_division,
                workplace_division=self.workplace_division or self.division_code,
                worker_count=self.worker_count,
                collective=self.collective,
                facts=self.facts,
                claims=self._transfer_claims(),
                history_zh=list(self.history_zh),
                agreement=self._breached_agreement(),
            )
        )
        self.close(on=on, outcome="transferred")
        return grounds

    def _transfer_claims(self: MediationCase) -> list[ClaimSummary]:
        """After a breach arbitration hears the agreement's breached terms (LDA Art. 15);
        otherwise the claims mediation received."""
        if self.agreement is not None and self.agreement.status == "breached":
            return breach_claims(self.agreement)
        return [ClaimSummary.model_validate(c) for c in self.claims]

    def _breached_agreement(self: MediationCase) -> TransferredAgreement | None:
        agreement = self.agreement
        if agreement is None or agreement.status != "breached":
            return None
        return TransferredAgreement(
            agreement_id=agreement.agreement_id,
            effective_on=agreement.effective_on,
            terms=agreement.terms,
            breached_terms=agreement.breached_terms(),
        )


def _agreement(case: MediationCase) -> Agreement:
    if case.agreement is None:
        raise RuleBroken("mediation.no_agreement", "the case has no mediation agreement")
    return case.agreement
