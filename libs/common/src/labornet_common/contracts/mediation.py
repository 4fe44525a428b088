"""Events of services/mediation (topic mediation.cases.v1).

Every event names the case (the id minted at intake, or at mediation for a case a clerk opened
directly) and its division code, so intake's status view, the wage-arrears desk and the
gateway's webhooks can follow and scope it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from labornet_common.contracts.claims import ClaimSummary
from labornet_common.contracts.events import EventData
from labornet_common.contracts.topics import MEDIATION


class MediationCaseOpened(EventData, type="cn.labornet.mediation.case.opened.v1", topic=MEDIATION):
    """A mediation centre received the case; the 15-day clock (LDA Art. 14) starts."""

    case_id: str
    centre_id: str | None = None
    centre_name: str | None = None
    division_code: str
    received_on: date
    due_on: date = Field(description="last day of the 15-day mediation period")
    employer_name: str = ""
    employer_uscc: str | None = None
    worker_count: int = 1
    collective: bool = Field(default=False, description="10+ workers with a common claim (LDA Art. 7)")
    claims: list[ClaimSummary] = Field(default_factory=list)
    workplace_division: str = ""
    origin: Literal["intake", "direct"] = Field(
        default="intake", description="routed by intake, or opened at the centre by its staff"
    )


class MediationCaseAccepted(EventData, type="cn.labornet.mediation.case.accepted.v1", topic=MEDIATION):
    case_id: str
    division_code: str
    accepted_on: date
    mediator_id: str | None = None


class MediationCaseDeclined(EventData, type="cn.labornet.mediation.case.declined.v1", topic=MEDIATION):
    """The centre declined the case (e.g. outside its remit, or a party refused mediation);
    the worker may apply for arbitration directly (LDA Art. 5)."""

    case_id: str
    division_code: str
    reason: str
    declined_on: date


class MediatorAssigned(EventData, type="cn.labornet.mediation.mediator.assigned.v1", topic=MEDIATION):
    case_id: str
    division_code: str
    mediator_id: str
    mediator_name: str
    previous_mediator_id: str | None = Field(default=None, description="set on reassignment or recusal")
    centre_id: str | None = None
    recusal_ground: str | None = Field(
        default=None, description="why the previous mediator stepped aside (LDA Art. 33-style grounds)"
    )


class SessionScheduled(EventData, type="cn.labornet.mediation.session.scheduled.v1", topic=MEDIATION):
    case_id: str
    division_code: str
    session_id: str
    starts_at: datetime
    place: str = ""
    video_link: str = ""
    attendees: list[str] = Field(default_factory=list)


TermKind = Literal["monetary", "non_monetary"]

# What a non-monetary term obliges the payer to do, and the claim category (LDA Art. 2) it
# becomes when breached and taken to arbitration (LDA Art. 15).
NON_MONETARY_ITEMS: dict[str, str] = {
    "reinstatement": "labor_contract",  # 恢复劳动关系（继续履行劳动合同）
    "separation_certificate": "labor_contract",  # 出具解除或者终止劳动合同的证明
    "social_insurance_backpay": "social_insurance",  # 补缴社会保险
    "other_obligation": "other",  # 其他非金钱给付义务
}
NON_MONETARY_NAMES_ZH: dict[str, str] = {
    "reinstatement": "恢复劳动关系",
    "separation_certificate": "出具解除劳动合同证明",
    "social_insurance_backpay": "补缴社会保险",
    "other_obligation": "其他履行事项",
}


class AgreementTerm(BaseModel):
    """One item of an agreement: a payment (a ClaimCategory code and an amount), or something
    to be done (a NON_MONETARY_ITEMS code and a description); each is performed or breached on
    its own."""

    payer: str = Field(description="who pays or performs (usually the employer)")
    payee: str = Field(description="who is paid or performed for")
    kind: TermKind = Field(default="monetary", description="monetary | non_monetary")
    item: str = Field(description="monetary: a ClaimCategory code; non_monetary: a NON_MONETARY_ITEMS code")
    amount_fen: int = Field(default=0, ge=0, description="monetary terms only; 0 for non-monetary ones")
    description: str = Field(default="", max_length=500, description="what is to be done (required if non-monetary)")
    due_on: date


class BreachedTerm(BaseModel):
    """A term of the agreement that was not performed by its due date (LDA Art. 15)."""

    term_no: int = Field(ge=1, description="the term's number in the agreement, from 1")
    kind: TermKind = "monetary"
    item: str
    description: str = ""
    amount_fen: int = 0
    unpaid_fen: int | None = Field(default=None, description="monetary terms: what is still unpaid")
    not_done: str = Field(default="", description="what the payer did not do")
    due_on: date


class MediationAgreementReached(EventData, type="cn.labornet.mediation.agreement.reached.v1", topic=MEDIATION):
    """A mediation agreement (调解协议书) took effect: signed by both parties and the mediator and
    sealed by the centre (LDA Art. 14)."""

    case_id: str
    division_code: str
    agreement_id: str
    effective_on: date
    terms: list[AgreementTerm]
    total_fen: int
    employer_name: str = ""
    employer_uscc: str | None = None


class AgreementPerformed(EventData, type="cn.labornet.mediation.agreement.performed.v1", topic=MEDIATION):
    case_id: str
    division_code: str
    agreement_id: str
    performed_on: date


class AgreementBreached(EventData, type="cn.labornet.mediation.agreement.breached.v1", topic=MEDIATION):
    """The payer did not perform by the due date (LDA Art. 15: the worker may apply for
    arbitration; Art. 16: for wages, injury medical fees or compensation, a payment order)."""

    case_id: str
    division_code: str
    agreement_id: str
    unpaid_fen: int = Field(description="unpaid on the agreement's breached money terms so far (0: none)")
    recorded_on: date
    employer_name: str = ""
    employer_uscc: str | None = None
    terms: list[BreachedTerm] = Field(default_factory=list, description="the terms this record found breached")


class MediationDeadlineApproaching(EventData, type="cn.labornet.mediation.deadline.approaching.v1", topic=MEDIATION):
    """The 15-day mediation period (LDA Art. 14) ends within the configured warning window."""

    case_id: str
    division_code: str
    due_on: date
    days_left: int
    mediator_id: str | None = None


class MediationFailed(EventData, type="cn.labornet.mediation.case.failed.v1", topic=MEDIATION):
    """No agreement: the parties could not agree, or the 15 days ran out (LDA Art. 14)."""

    case_id: str
    division_code: str
    reason: Literal["no_agreement", "timed_out", "party_refused", "declined"]
    failed_on: date
    note: str = ""


class TransferredAgreement(BaseModel):
    """The agreement a breach transfer carries: all its terms and those breached."""

    agreement_id: str
    effective_on: date
    terms: list[AgreementTerm]
    breached_terms: list[BreachedTerm]


class MediationWorkersJoined(EventData, type="cn.labornet.mediation.case.workers_joined.v1", topic=MEDIATION):
    """Further workers joined the case (intake grouped their filing into it): mediation now
    counts ``worker_count`` workers, collective at 10+ with a common claim (LDA Art. 7)."""

    case_id: str
    division_code: str
    filing_id: str = Field(description="intake's filing; one event per filing however often delivered")
    worker_count: int
    collective: bool = False
    claims: list[ClaimSummary] = Field(default_factory=list, description="claims the filing added")


class TransferredToArbitration(EventData, type="cn.labornet.mediation.case.transferred.v1", topic=MEDIATION):
    """The case moves on to arbitration carrying everything already collected, to the centre's
    dispatched tribunal (派出庭) when it has one, else to the commission with jurisdiction."""

    case_id: str
    transfer_id: str = Field(description="one per transfer; a redelivery carries the same id")
    division_code: str
    commission_id: str
    tribunal_id: str | None = None
    venue_name: str
    grounds: Literal["mediation_failed", "timed_out", "agreement_breached", "declined"]
    centre_id: str | None = None
    mediation_received_on: date | None = None
    worker_name: str
    employer_name: str
    employer_uscc: str | None = None
    employer_division: str | None = None
    workplace_division: str = ""
    worker_count: int = Field(default=1, description="workers on the case at the transfer")
    collective: bool = Field(default=False, description="10+ workers with a common claim (LDA Art. 7)")
    facts: str = ""
    claims: list[ClaimSummary] = Field(
        default_factory=list, description="after a breach: the breached terms, as claims (LDA Art. 15)"
    )
    history_zh: list[str] = Field(default_factory=list, description="what mediation did, in order")
    agreement: TransferredAgreement | None = Field(
        default=None, description="the breached agreement, when the transfer follows a breach"
    )


class CourtRequestMade(EventData, type="cn.labornet.mediation.court_request.made.v1", topic=MEDIATION):
    """Mediation asked a court for a payment order on a breached agreement (LDA Art. 16) or for
    judicial confirmation of an agreement (民诉法 Art. 205, within 30 days of its effect)."""

    case_id: str
    division_code: str
    agreement_id: str
    kind: Literal["payment_order", "judicial_confirmation"]
    requested_on: date
    amount_fen: int | None = None


class CourtResultRecorded(EventData, type="cn.labornet.mediation.court_result.recorded.v1", topic=MEDIATION):
    """A court's answer on a payment order or a judicial confirmation reached the case."""

    case_id: str
    division_code: str
    agreement_id: str
    kind: Literal["payment_order", "judicial_confirmation"]
    outcome: str
    court_name: str = ""
    court_case_number: str = ""
    recorded_on: date


class MediationCaseClosed(EventData, type="cn.labornet.mediation.case.closed.v1", topic=MEDIATION):
    case_id: str
    division_code: str
    outcome: Literal["performed", "transferred", "withdrawn", "declined", "court"]
    closed_on: date


class MediationDeadlineRecomputed(EventData, type="cn.labornet.mediation.deadline.recomputed.v1", topic=MEDIATION):
    """The 15-day clock (LDA Art. 14) moved because a holiday schedule was entered for its year
    (民诉法 Art. 85: a last day on a holiday rolls to the next working day)."""

    case_id: str
    division_code: str
    rule: str = "MEDIATION_15D"
    article: str = "LDA Art 14"
    previous_due_on: date
    due_on: date
    provisional: bool
    calendar_year: int


class MediationPeriodExtended(EventData, type="cn.labornet.mediation.period.extended.v1", topic=MEDIATION):
    """Both parties agreed to go on mediating past the period's end: the clock now ends on
    ``due_on`` (LDA Art. 14 sets the 15 days; 人社部令17号 lets the parties extend by agreement)."""

    case_id: str
    division_code: str
    previous_due_on: date
    due_on: date
    extra_days: int
    agreed_on: date
    note: str = ""
