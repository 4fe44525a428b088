"""The gateway's case index (pure): what the court needs to find a case by its own keys.

Folded from the case events the gateway already reads: the case id, every docket number (案号)
the case was given (a referral, 移送, gives it a new one at the receiving commission: both are
kept, the newest is current; when the receiving commission already held the same dispute under
another case id, the referred case points to it), the commission and the mediation centre that hold it, its
division codes and where it stands. Where it stands is the case passport every service folds
(labornet_common.contracts.passport), so the court reads the same stage as intake, the desks and the
worker. Every step is idempotent and tolerant of events from different services arriving in any
order: a docket number is added once, and only arbitration's own events move the case between
commissions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from labornet_common.contracts import arbitration as arb
from labornet_common.contracts import court, mediation
from labornet_common.contracts.passport import Passport, source_of
from labornet_common.contracts.passport import fold as fold_passport

# Fields naming the case's division code, as in the webhook region matching.
_DIVISION_FIELDS = ("division_code", "workplace_division", "target_division", "region_code")


@dataclass(frozen=True)
class DocketNumber:
    case_number: str
    commission_id: str
    application_id: str = ""
    accepted_on: date | None = None


@dataclass
class CaseEntry:
    case_id: str
    regions: list[str] = field(default_factory=list)
    commission_id: str | None = None
    centre_id: str | None = None
    application_id: str | None = None
    numbers: list[DocketNumber] = field(default_factory=list)
    moved_to: str | None = None  # the case that took the dispute over (移送 to its keeper)
    passport: dict[str, Any] | None = None  # where the dispute stands, as every service folds it

    @property
    def stage(self) -> str | None:
        return Passport.from_dict(self.passport).stage if self.passport else None

    @property
    def division_code(self) -> str | None:
        """The most specific division code known (a street's, if known, over its district's)."""
        return max(self.regions, key=len, default=None)

    @property
    def case_number(self) -> str | None:
        """The current docket number: the latest acceptance, the later one on the same day."""
        if not self.numbers:
            return None
        ranked = sorted(enumerate(self.numbers), key=lambda p: (p[1].accepted_on or date.min, p[0]))
        return ranked[-1][1].case_number

    def number(self, case_number: str) -> DocketNumber | None:
        return next((n for n in self.numbers if n.case_number == case_number), None)

    def within(self, scopes: list[str] | tuple[str, ...]) -> bool:
        """Inside a scope when any of its division codes is ('*' sees every case)."""
        return "*" in scopes or any(r.startswith(s) for r in self.regions for s in scopes if s)


def _add_number(entry: CaseEntry, data: Mapping[str, Any], commission_id: str, on: date | None) -> None:
    number = data.get("case_number") or ""
    if number and entry.number(number) is None:
        application_id = data.get("application_id") or ""
        entry.numbers.append(DocketNumber(number, commission_id, application_id, on))


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _opened(entry: CaseEntry, data: Mapping[str, Any]) -> None:
    entry.centre_id = data.get("centre_id") or entry.centre_id


def _transferred(entry: CaseEntry, data: Mapping[str, Any]) -> None:
    entry.centre_id = entry.centre_id or data.get("centre_id")
    entry.commission_id = entry.commission_id or data.get("commission_id")  # arbitration's word wins


def _received(entry: CaseEntry, data: Mapping[str, Any]) -> None:
    entry.commission_id = data.get("commission_id") or entry.commission_id
    entry.application_id = data.get("application_id") or entry.application_id


def _accepted(entry: CaseEntry, data: Mapping[str, Any]) -> None:
    _received(entry, data)
    _add_number(entry, data, data.get("commission_id") or "", _day(data.get("accepted_on")))


def _referred(entry: CaseEntry, data: Mapping[str, Any]) -> None:
    entry.commission_id = data.get("to_commission_id") or entry.commission_id  # Rules Arts. 9, 31
    to_case = data.get("to_case_id")
    if to_case and to_case != entry.case_id:  # the keeper already held the same dispute (LDA Art. 21)
        entry.moved_to = to_case


def _awarded(entry: CaseEntry, data: Mapping[str, Any]) -> None:
    _add_number(entry, data, data.get("commission_id") or entry.commission_id or "", None)


_FOLDS: dict[str, Callable[[CaseEntry, Mapping[str, Any]], None]] = {
    mediation.MediationCaseOpened.event_type: _opened,
    mediation.TransferredToArbitration.event_type: _transferred,
    arb.ApplicationReceived.event_type: _received,
    arb.ApplicationAccepted.event_type: _accepted,
    arb.ApplicationReferred.event_type: _referred,
    arb.AwardIssued.event_type: _awarded,
}


_COURT_TYPES = frozenset(cls.event_type for cls in court.BY_KIND.values())


def indexes(event_type: str) -> bool:
    """Whether an event of this type opens or changes an index entry."""
    return event_type in _FOLDS or source_of(event_type) is not None


def fold(entry: CaseEntry, event_type: str, data: Mapping[str, Any]) -> None:
    """Apply one event to the entry (a no-op for a duplicate or an already-known fact)."""
    if not indexes(event_type):
        return
    for name in _DIVISION_FIELDS if event_type not in _COURT_TYPES else ():  # a court's seat is not the case's
        value = data.get(name)
        if isinstance(value, str) and value.isdigit() and value not in entry.regions:
            entry.regions.append(value)
    if (fold_event := _FOLDS.get(event_type)) is not None:
        fold_event(entry, data)
    before = Passport.from_dict(entry.passport) if entry.passport else None
    after = fold_passport(before, case_id=entry.case_id, event_type=event_type, data=dict(data))
    if after is not None:
        entry.passport = after.to_dict()
