"""What an award's effect is, read from its items, its service and the court's events (pure).

One read model for the API, the worker's view and the court: the state, whether the award is in
effect and enforceable, the dates that matter and the article behind them. The Chinese
explanation is looked up by ``code`` in the service's message catalogue.

- 调解书: effective once both parties sign for it (LDA Art. 42).
- every item final (LDA Art. 47, per item, Interp-I Art. 19): effective when made; the worker
  may sue within 15 days of receipt (Art. 48) and then it does not bind while the court hears
  the dispute; the employer may apply to set it aside within 30 days (Art. 49), which suspends
  enforcement (Interp-I Art. 25) but not effect; set aside, it has no effect (Art. 49 ¶2).
- every item non-final: effective when 15 days after receipt pass without a suit (Art. 50);
  each party's 15 days run from its own receipt, so the award takes effect once the last of
  them has passed (party_service.py).
- mixed: treated as non-final when a party sues (Interp-I Art. 20), so it takes effect only as
  a non-final award does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from labornet_arbitration.domain import party_service

AwardType = Literal["final", "non_final", "mixed"]
State = Literal[
    "pending", "effective", "set_aside_applied", "challenged_by_worker", "not_effective_in_court", "set_aside"
]


@dataclass(frozen=True)
class AwardEffect:
    state: State
    in_effect: bool
    enforceable: bool
    award_type: AwardType | None
    effective_on: date | None
    served_on: date | None
    suit_due_on: date | None
    set_aside_due_on: date | None
    may_sue_by: date | None
    article: str
    code: str  # message code of the plain-Chinese explanation
    parties: dict[str, dict[str, date | None]]  # each served party's own service day and periods

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def award_type_of(finals: Iterable[bool]) -> AwardType:
    """LDA Art. 47 decided per item (Interp-I Art. 19): all final, none final, or mixed."""
    flags = list(finals)
    if all(flags):
        return "final"
    return "non_final" if not any(flags) else "mixed"


def type_of(award: Mapping[str, Any]) -> AwardType | None:
    if award.get("kind") == "mediation":
        return None
    return award.get("award_type") or award_type_of(bool(i.get("final")) for i in award.get("items", []))


def effective_on(award: Mapping[str, Any]) -> date | None:
    """The day the award took effect, also from records kept before the award type was stored."""
    kind = type_of(award)
    legacy = {
        None: "mediation_effective_on",
        "final": "final_effective_on",
        "non_final": "nonfinal_effective_on",
        "mixed": "nonfinal_effective_on",
    }[kind]  # a mixed award's old final_effective_on was wrong
    return _day(award.get("effective_on") or award.get(legacy))


def suit_in_time(award: Mapping[str, Any], on: date, party: str | None = None) -> bool:
    """The suing party's own period (LDA Arts. 48, 50 from its own receipt): before that party
    was served it has not begun; after, its last day counts (民诉法 Art. 85)."""
    if not party_service.served(award, party):
        return True
    due = party_service.own_suit_due(award, party)
    return due is None or on <= due


def effect_of(*, status: str, award: Mapping[str, Any] | None, court: Mapping[str, Any]) -> AwardEffect | None:
    if not award:
        return None
    kind = type_of(award)
    if kind is None:
        return _mediation(award)
    return _final(award, court) if kind == "final" else _non_final(kind, award, court)


def _mediation(award: Mapping[str, Any]) -> AwardEffect:
    on = effective_on(award)  # LDA Art. 42
    state: State = "effective" if on else "pending"
    return _effect(award, {}, state, None, "LDA Art. 42", f"award.effect.mediation_{state}")


def _final(award: Mapping[str, Any], court: Mapping[str, Any]) -> AwardEffect:
    if court.get("set_aside") == "set_aside":
        return _effect(award, court, "set_aside", "final", "LDA Art. 49", "award.effect.set_aside")
    if court.get("lawsuit_in_time"):
        return _effect(award, court, "challenged_by_worker", "final", "LDA Art. 48", "award.effect.challenged")
    if court.get("set_aside") == "applied":
        return _effect(
            award,
            court,
            "set_aside_applied",
            "final",
            "LDA Art. 49; Interp-I Art. 25",
            "award.effect.set_aside_applied",
        )
    code = "award.effect.final_employer_suit" if court.get("employer_suit_refused") else "award.effect.final"
    return _effect(award, court, "effective", "final", "LDA Art. 47", code)


def _non_final(kind: AwardType, award: Mapping[str, Any], court: Mapping[str, Any]) -> AwardEffect:
    article = "LDA Art. 50" if kind == "non_final" else "LDA Art. 50; Interp-I Art. 20"
    if court.get("lawsuit_in_time"):
        return _effect(award, court, "not_effective_in_court", kind, article, f"award.effect.{kind}_in_court")
    if effective_on(award):
        return _effect(award, court, "effective", kind, article, f"award.effect.{kind}_effective")
    served = "served" if award.get("served_on") else "unserved"
    return _effect(award, court, "pending", kind, article, f"award.effect.{kind}_pending_{served}")


_IN_EFFECT = frozenset({"effective", "set_aside_applied"})


def _effect(
    award: Mapping[str, Any],
    court: Mapping[str, Any],
    state: State,
    kind: AwardType | None,
    article: str,
    code: str,
) -> AwardEffect:
    return AwardEffect(
        state=state,
        in_effect=state in _IN_EFFECT,
        enforceable=state == "effective",
        award_type=kind,
        effective_on=effective_on(award) if state in _IN_EFFECT else None,
        served_on=_day(award.get("served_on")),
        suit_due_on=_day(award.get("suit_due_on")),
        set_aside_due_on=_day(award.get("set_aside_due_on")),
        may_sue_by=_day(court.get("may_sue_by")),
        article=article,
        code=code,
        parties={
            party: {name: _day(value) for name, value in dates.items()}
            for party, dates in party_service.of(award).items()
        },
    )


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
