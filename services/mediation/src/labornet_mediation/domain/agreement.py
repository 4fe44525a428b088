"""Mediation agreements (调解协议书): their terms, money or not, each performed or breached on
its own, as small named rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from labornet_common.contracts.claims import ClaimCategory
from labornet_common.contracts.mediation import NON_MONETARY_ITEMS, AgreementTerm, BreachedTerm
from labornet_common.platform.problems import DomainRuleError

_CATEGORIES = frozenset(c.value for c in ClaimCategory)
PENDING, PERFORMED, BREACHED = "pending", "performed", "breached"
DEFAULT_NOT_DONE = "未在约定期限内履行"


class RuleBroken(DomainRuleError):
    """A command the case's state or the law does not allow; ``field`` names the input at fault.
    The platform answers 422 of that rule naming the field, or 409 when no one input is at fault."""

    def __init__(self, code: str, detail: str, *, field_name: str | None = None) -> None:
        super().__init__(code, status=409 if field_name is None else 422, field=field_name, detail=detail)


@dataclass
class TermState:
    """Where one term stands: pending, performed, or breached (with what is unpaid, for money)."""

    status: str = PENDING
    unpaid_fen: int | None = None
    not_done: str = ""
    recorded_on: date | None = None

    @property
    def settled(self) -> bool:
        return self.status != PENDING


@dataclass
class Agreement:
    agreement_id: str
    effective_on: date
    terms: list[AgreementTerm]
    status: str = "effective"  # effective | performed | breached
    performed_on: date | None = None
    breached_on: date | None = None
    unpaid_fen: int | None = None
    court_requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> request record
    states: list[TermState] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.states:
            self.states = [TermState() for _ in self.terms]

    @property
    def total_fen(self) -> int:
        return sum(term.amount_fen for term in self.terms)

    @property
    def last_due_on(self) -> date:
        return max(term.due_on for term in self.terms)

    @property
    def is_monetary_only(self) -> bool:
        return all(t.kind == "monetary" for t in self.terms)

    def numbered(self) -> list[tuple[int, AgreementTerm, TermState]]:
        """(term number from 1, term, its state), in the agreement's order."""
        return [(n, t, s) for n, (t, s) in enumerate(zip(self.terms, self.states, strict=True), start=1)]

    def breached_terms(self) -> list[BreachedTerm]:
        return [breached_term(n, t, s) for n, t, s in self.numbered() if s.status == BREACHED]

    def unpaid_total(self) -> int:
        return sum(s.unpaid_fen or 0 for _n, _t, s in self.numbered() if s.status == BREACHED)


def breached_term(number: int, term: AgreementTerm, state: TermState) -> BreachedTerm:
    return BreachedTerm(
        term_no=number,
        kind=term.kind,
        item=term.item,
        description=term.description,
        amount_fen=term.amount_fen,
        unpaid_fen=state.unpaid_fen,
        not_done=state.not_done,
        due_on=term.due_on,
    )


def check_terms(terms: list[AgreementTerm], effective_on: date) -> None:
    if not terms:
        raise RuleBroken("mediation.terms_missing", "an agreement needs at least one term", field_name="terms")
    for index, term in enumerate(terms):
        _check_term(term, f"terms.{index}")
        if term.due_on < effective_on:
            raise RuleBroken(
                "mediation.term_due_before_effect",
                "a term falls due before the agreement takes effect",
                field_name=f"terms.{index}.due_on",
            )


def _check_term(term: AgreementTerm, at: str) -> None:
    if term.kind == "monetary":
        if term.item not in _CATEGORIES:
            raise RuleBroken("mediation.term_item", f"unknown item {term.item!r}", field_name=f"{at}.item")
        if term.amount_fen <= 0:
            raise RuleBroken("mediation.term_amount", "a payment needs an amount", field_name=f"{at}.amount_fen")
        return
    if term.item not in NON_MONETARY_ITEMS:
        raise RuleBroken("mediation.term_obligation", f"unknown obligation {term.item!r}", field_name=f"{at}.item")
    if term.amount_fen:
        raise RuleBroken(
            "mediation.term_amount_not_monetary",
            "a non-monetary term carries no amount",
            field_name=f"{at}.amount_fen",
        )
    if not term.description.strip():
        raise RuleBroken("mediation.term_description", "say what is to be done", field_name=f"{at}.description")


def check_judicial_confirmation(*, today: date, due_on: date) -> None:
    # 民诉法 Art. 205: apply within 30 days of the agreement taking effect.
    if today > due_on:
        raise RuleBroken(
            "mediation.judicial_confirmation_late",
            f"judicial confirmation had to be requested by {due_on.isoformat()} (民诉法 Art. 205)",
        )
