"""Mediation agreements (调解协议书) and what may follow them, as small named rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from labornet_common.contracts.claims import PAYMENT_ORDER_ELIGIBLE, ClaimCategory
from labornet_common.contracts.mediation import AgreementTerm

_ITEMS = frozenset(c.value for c in ClaimCategory)


class RuleBroken(Exception):
    """A command the case's state or the law does not allow; ``field`` names the input at fault."""

    def __init__(self, code: str, detail: str, *, field_name: str | None = None) -> None:
        super().__init__(detail)
        self.code, self.detail, self.field = code, detail, field_name


@dataclass
class Agreement:
    agreement_id: str
    effective_on: date
    terms: list[AgreementTerm]
    status: str = "effective"  # effective | performed | breached
    performed_on: date | None = None
    breached_on: date | None = None
    unpaid_fen: int | None = None
    court_requests: dict[str, dict] = field(default_factory=dict)  # kind -> request record

    @property
    def total_fen(self) -> int:
        return sum(term.amount_fen for term in self.terms)

    @property
    def last_due_on(self) -> date:
        return max(term.due_on for term in self.terms)


def check_terms(terms: list[AgreementTerm], effective_on: date) -> None:
    if not terms:
        raise RuleBroken("mediation.terms_missing", "an agreement needs at least one term", field_name="terms")
    for index, term in enumerate(terms):
        if term.item not in _ITEMS:
            raise RuleBroken("mediation.term_item", f"unknown item {term.item!r}", field_name=f"terms.{index}.item")
        if term.due_on < effective_on:
            raise RuleBroken(
                "mediation.term_due_before_effect", "a term falls due before the agreement takes effect",
                field_name=f"terms.{index}.due_on",
            )


def payment_order_amount(agreement: Agreement) -> int:
    """LDA Art. 16: only terms paying wages, injury medical fees, economic compensation or damages
    may go to court for a payment order; the order covers those terms, at most what is unpaid."""
    eligible = sum(t.amount_fen for t in agreement.terms if t.item in PAYMENT_ORDER_ELIGIBLE)
    if eligible == 0:
        raise RuleBroken(
            "mediation.payment_order_ineligible",
            "the agreement has no term on wages, injury medical fees, economic compensation or damages",
        )
    unpaid = agreement.unpaid_fen if agreement.unpaid_fen is not None else agreement.total_fen
    return min(eligible, unpaid)


def check_judicial_confirmation(*, today: date, due_on: date) -> None:
    # 民诉法 Art. 205: apply within 30 days of the agreement taking effect.
    if today > due_on:
        raise RuleBroken(
            "mediation.judicial_confirmation_late",
            f"judicial confirmation had to be requested by {due_on.isoformat()} (民诉法 Art. 205)",
        )
