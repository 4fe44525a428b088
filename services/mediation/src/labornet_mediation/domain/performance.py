"""Performance of an agreement, term by term, and what a breach opens (pure rules).

LDA Art. 15: a party that does not perform the agreement within the agreed period lets the
other apply for arbitration; Art. 16: for wages, injury medical fees, economic compensation or
damages the worker may also ask a court for a payment order (支付令).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from labornet_common.contracts.claims import CATEGORY_NAMES_ZH, PAYMENT_ORDER_ELIGIBLE, ClaimCategory, ClaimSummary
from labornet_common.contracts.mediation import NON_MONETARY_ITEMS, NON_MONETARY_NAMES_ZH, AgreementTerm
from labornet_mediation.domain.agreement import (
    BREACHED,
    DEFAULT_NOT_DONE,
    PENDING,
    PERFORMED,
    Agreement,
    RuleBroken,
    TermState,
)


@dataclass(frozen=True)
class TermOutcome:
    """What happened to one term: performed, or not (with what is unpaid and what was not done)."""

    term_no: int
    performed: bool
    unpaid_fen: int | None = None
    not_done: str = ""


def apply_outcomes(agreement: Agreement, outcomes: list[TermOutcome], *, on: date) -> list[int]:
    """Check every outcome, then record them all; returns the numbers of the terms breached now."""
    seen: set[int] = set()
    for index, outcome in enumerate(outcomes):
        _check_outcome(agreement, outcome, on=on, at=f"items.{index}", seen=seen)
    for outcome in outcomes:
        term = agreement.terms[outcome.term_no - 1]
        agreement.states[outcome.term_no - 1] = _state(term, outcome, on=on)
    return [o.term_no for o in outcomes if not o.performed]


def _check_outcome(agreement: Agreement, outcome: TermOutcome, *, on: date, at: str, seen: set[int]) -> None:
    if not 1 <= outcome.term_no <= len(agreement.terms):
        raise RuleBroken("mediation.term_unknown", "the agreement has no such term", field_name=f"{at}.term_no")
    if outcome.term_no in seen or agreement.states[outcome.term_no - 1].settled:
        raise RuleBroken(
            "mediation.term_already_recorded", "this term's outcome is already recorded", field_name=f"{at}.term_no"
        )
    seen.add(outcome.term_no)
    if outcome.performed:
        return
    term = agreement.terms[outcome.term_no - 1]
    check_breach_due(term, on=on, field_name=f"{at}.term_no")
    check_unpaid(term, outcome.unpaid_fen, field_name=f"{at}.unpaid_fen")


def check_breach_due(term: AgreementTerm, *, on: date, field_name: str) -> None:
    # LDA Art. 15: a breach is not performing "在协议约定期限内" — only once the due day has passed.
    if on <= term.due_on:
        raise RuleBroken(
            "mediation.breach_before_due", f"the term falls due on {term.due_on.isoformat()}", field_name=field_name
        )


def check_unpaid(term: AgreementTerm, unpaid_fen: int | None, *, field_name: str) -> None:
    """An unpaid amount only on a money term, then more than 0 and at most the term's amount."""
    if unpaid_fen is None:
        return
    if term.kind != "monetary":
        raise RuleBroken("mediation.unpaid_not_monetary", "this term pays no money", field_name=field_name)
    if not 0 < unpaid_fen <= term.amount_fen:
        raise RuleBroken("mediation.unpaid_amount", "unpaid amount out of range", field_name=field_name)


def _state(term: AgreementTerm, outcome: TermOutcome, *, on: date) -> TermState:
    if outcome.performed:
        return TermState(status=PERFORMED, recorded_on=on)
    unpaid = None
    if term.kind == "monetary":
        unpaid = term.amount_fen if outcome.unpaid_fen is None else outcome.unpaid_fen
    return TermState(status=BREACHED, unpaid_fen=unpaid, not_done=outcome.not_done or DEFAULT_NOT_DONE, recorded_on=on)


def whole_agreement_breach(agreement: Agreement, *, on: date, unpaid_fen: int | None) -> list[TermOutcome]:
    """ "Not performed" said of the whole agreement: every pending term already due is breached.
    An unpaid total is spread over their money terms, what was paid counting against the
    earliest-due terms first."""
    due = [(n, t) for n, t, s in agreement.numbered() if s.status == PENDING and on > t.due_on]
    if not due:
        raise RuleBroken("mediation.breach_before_due", "no pending term has fallen due", field_name="outcome")
    money = [(n, t) for n, t in due if t.kind == "monetary"]
    owed = sum(t.amount_fen for _n, t in money)
    if unpaid_fen is not None and not money:
        raise RuleBroken("mediation.unpaid_not_monetary", "no breached term pays money", field_name="unpaid_fen")
    if unpaid_fen is not None and not 0 < unpaid_fen <= owed:
        raise RuleBroken("mediation.unpaid_amount", "unpaid amount out of range", field_name="unpaid_fen")
    paid = owed - (owed if unpaid_fen is None else unpaid_fen)
    outcomes = []
    for number, term in sorted(due, key=lambda nt: (nt[1].due_on, nt[0])):
        unpaid = None
        if term.kind == "monetary":
            unpaid, paid = max(term.amount_fen - paid, 0), max(paid - term.amount_fen, 0)
        if unpaid == 0:
            outcomes.append(TermOutcome(number, performed=True))
        else:
            outcomes.append(TermOutcome(number, performed=False, unpaid_fen=unpaid))
    return sorted(outcomes, key=lambda o: o.term_no)


def whole_agreement_performed(agreement: Agreement) -> list[TermOutcome]:
    return [TermOutcome(n, performed=True) for n, _t, s in agreement.numbered() if s.status == PENDING]


def payment_order_terms(agreement: Agreement, term_nos: list[int] | None) -> list[int]:
    """LDA Art. 16: a payment order only for breached money terms on wages, injury medical fees,
    economic compensation or damages with something unpaid; naming any other term is refused."""
    eligible = [n for n, t, s in agreement.numbered() if _order_eligible(t, s)]
    if term_nos is None:
        if not eligible:
            raise RuleBroken(
                "mediation.payment_order_ineligible",
                "no breached term on wages, injury medical fees, economic compensation or damages is unpaid",
                field_name="kind",
            )
        return eligible
    if not term_nos:
        raise RuleBroken("mediation.payment_order_ineligible", "name at least one term", field_name="term_nos")
    for index, number in enumerate(term_nos):
        if number not in eligible:
            raise RuleBroken(
                "mediation.payment_order_ineligible",
                f"term {number} cannot go to a payment order",
                field_name=f"term_nos.{index}",
            )
    return sorted(set(term_nos))


def _order_eligible(term: AgreementTerm, state: TermState) -> bool:
    return (
        state.status == BREACHED
        and term.kind == "monetary"
        and term.item in PAYMENT_ORDER_ELIGIBLE
        and bool(state.unpaid_fen)
    )


def payment_order_amount(agreement: Agreement, term_nos: list[int]) -> int:
    return sum(agreement.states[n - 1].unpaid_fen or 0 for n in term_nos)


def breach_claims(agreement: Agreement) -> list[ClaimSummary]:
    """The breached terms as arbitration claims (LDA Art. 15): money terms for what is unpaid,
    the others under the claim category of what was to be done."""
    claims = []
    for term in agreement.breached_terms():
        head = f"调解协议第{term.term_no}项未履行："
        if term.kind == "monetary":
            name = CATEGORY_NAMES_ZH.get(ClaimCategory(term.item), term.item)
            text = f"{head}{term.description or name}，未付{(term.unpaid_fen or 0) / 100:.2f}元"
            claims.append(ClaimSummary(category=term.item, amount_fen=term.unpaid_fen, description=text[:500]))
        else:
            text = f"{head}{NON_MONETARY_NAMES_ZH[term.item]}（{term.description}）；{term.not_done}"
            claims.append(ClaimSummary(category=NON_MONETARY_ITEMS[term.item], description=text[:500]))
    return claims
