"""How a mediation case ends: agreement and its performance, court requests, transfer.

A mixin of ``MediationCase`` (kept apart so each file reads in one sitting); it uses the case's
fields and its ``_require``/``_note``/``_record`` plumbing, declared below for the type checker.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData
from labornet_common.contracts.mediation import (
    AgreementBreached,
    AgreementPerformed,
    CourtRequestMade,
    CourtResultRecorded,
    MediationAgreementReached,
    TransferredAgreement,
    TransferredToArbitration,
)
from labornet_common.reference.calendar import LegalCalendar
from labornet_mediation.domain.agreement import (
    PERFORMED,
    Agreement,
    RuleBroken,
    check_judicial_confirmation,
    check_terms,
)
from labornet_mediation.domain.clocks import judicial_confirmation_due_on
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

CourtRequestKind = Literal["payment_order", "judicial_confirmation"]
CaseOutcome = Literal["performed", "transferred", "withdrawn", "declined", "court"]
TransferGrounds = Literal["mediation_failed", "timed_out", "agreement_breached", "declined"]

TRANSFER_GROUNDS: dict[str, TransferGrounds] = {
    "FAILED": "mediation_failed",
    "BREACHED": "agreement_breached",
    "DECLINED": "declined",
}
# A payment order the court issued ends the matter at mediation; a refusal or the employer's
# objection ends the 督促程序 and the worker may go on (民诉法 Arts. 227-228; Interp-I 13).
PAYMENT_ORDER_ISSUED = frozenset({"issued", "paid", "granted"})


class OutcomeTransitions:
    if TYPE_CHECKING:
        # What these transitions use of ``MediationCase`` (its dataclass fields and plumbing).
        case_id: str
        division_code: str
        status: str
        agreement: Agreement | None
        failure_reason: str | None
        centre_id: str | None
        received_on: date
        worker_name: str
        employer_name: str
        employer_uscc: str | None
        employer_division: str | None
        workplace_division: str
        worker_count: int
        collective: bool
        facts: str
        claims: list[dict[str, Any]]
        history_zh: list[str]

        def _require(self, states: frozenset[str] | set[str], action: str) -> None: ...
        def _note(self, on: date, text: str) -> None: ...
        def _record(self, data: EventData) -> None: ...
        def close(self, *, on: date, outcome: CaseOutcome) -> None: ...

    def reach_agreement(self, agreement: Agreement) -> None:
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

    def record_performance(self, *, on: date, performed: bool, unpaid_fen: int | None) -> None:
        """The whole agreement performed, or not: every pending term that fell due is breached."""
        agreement = _agreement(self)
        if performed:
            self._require({"AGREED"}, "record performance")
            self.record_term_outcomes(on=on, outcomes=whole_agreement_performed(agreement))
            return
        self._require({"AGREED", "BREACHED"}, "record a breach")
        self.record_term_outcomes(on=on, outcomes=whole_agreement_breach(agreement, on=on, unpaid_fen=unpaid_fen))

    def record_term_outcomes(self, *, on: date, outcomes: list[TermOutcome]) -> None:
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

    def _performed(self, agreement: Agreement, *, on: date) -> None:
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

    def _breached(self, agreement: Agreement, numbers: list[int], *, on: date) -> None:
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
        self, *, kind: CourtRequestKind, on: date, calendar: LegalCalendar, term_nos: list[int] | None = None
    ) -> dict[str, Any]:
        agreement = _agreement(self)
        amount: int | None
        covered: list[int] | None
        if kind in agreement.court_requests:
            raise RuleBroken("mediation.court_request_exists", f"a {kind} request was already made")
        if kind == "payment_order":  # LDA Art. 16: on a breached agreement only
            self._require({"BREACHED"}, "request a payment order on")
            ordered = payment_order_terms(agreement, term_nos)
            ordered_fen = payment_order_amount(agreement, ordered)
            self.status = "COURT"
            terms = "、".join(map(str, ordered))
            self._note(on, f"就调解协议第{terms}项向人民法院申请支付令，金额{ordered_fen / 100:.2f}元")
            amount, covered = ordered_fen, ordered
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
                amount_fen=amount,
            )
        )
        return request

    def record_court_result(
        self, *, kind: CourtRequestKind, outcome: str, on: date, court_name: str, court_case_number: str
    ) -> bool:
        """Apply the court's answer once; False when there is no request or it is already answered."""
        agreement = self.agreement
        request = agreement.court_requests.get(kind) if agreement else None
        if agreement is None or request is None or request["status"] != "requested":
            return False
        request.update(status="answered", outcome=outcome, answered_on=on, court_case_number=court_case_number)
        self._note(on, f"{court_name}答复{'支付令' if kind == 'payment_order' else '司法确认'}申请：{outcome}")
        self._record(
            CourtResultRecorded(
                case_id=self.case_id,
                division_code=self.division_code,
                agreement_id=agreement.agreement_id,
                kind=kind,
                outcome=outcome,
                court_name=court_name,
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

    def transfer(self, *, transfer_id: str, to: TransferDestination, on: date) -> TransferGrounds:
        """Carry everything collected to arbitration (LDA Arts. 14-15): the claims, the facts and
        what mediation did. Returns the grounds."""
        self._require(set(TRANSFER_GROUNDS), "transfer")
        grounds: TransferGrounds = "timed_out" if self.failure_reason == "timed_out" else TRANSFER_GROUNDS[self.status]
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
                mediation_received_on=self.received_on,
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

    def _transfer_claims(self) -> list[ClaimSummary]:
        """After a breach arbitration hears the agreement's breached terms (LDA Art. 15);
        otherwise the claims mediation received."""
        if self.agreement is not None and self.agreement.status == "breached":
            return breach_claims(self.agreement)
        return [ClaimSummary.model_validate(c) for c in self.claims]

    def _breached_agreement(self) -> TransferredAgreement | None:
        agreement = self.agreement
        if agreement is None or agreement.status != "breached":
            return None
        return TransferredAgreement(
            agreement_id=agreement.agreement_id,
            effective_on=agreement.effective_on,
            terms=agreement.terms,
            breached_terms=agreement.breached_terms(),
        )


def _agreement(case: OutcomeTransitions) -> Agreement:
    if case.agreement is None:
        raise RuleBroken("mediation.no_agreement", "the case has no mediation agreement")
    return case.agreement
