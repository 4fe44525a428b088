"""One dispute, one commission: recognising the same dispute lodged at two commissions, and
which of them keeps it.

LDA Art. 21: the commission where the labour contract is performed, or where the employer is,
has jurisdiction; when the parties apply to both, the place of performance keeps it. Rules
Art. 8: the place of performance is the actual workplace; with several places of performance,
the commission that accepted first keeps it; when the place of performance is unclear, the
employer's seat. The other commission refers (移送) its application (Rules Arts. 9, 31).

Pure: the service layer turns applications into ``Lodged`` and applies the answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from labornet_arbitration.domain.model import ArbitrationCase

# Still before the commission: a second application of the same dispute elsewhere must give way.
PENDING = frozenset({"SUBMITTED", "NEEDS_CORRECTION", "ACCEPTED", "TRIBUNAL_FORMED", "HEARING_SCHEDULED", "SUSPENDED"})
_NOISE = re.compile(r"[\s()（）\[\]【】·.,，。、\-—_\"'“”]+")


def employer_key(*, uscc: str | None, name: str) -> str:
    """The employer by its unified social credit code (GB 32100), else by its normalised name:
    the two commissions may sit in different counties, so the name is not tied to one."""
    if uscc and uscc.strip():
        return f"uscc:{uscc.strip().upper()}"
    return "name:" + _NOISE.sub("", unicodedata.normalize("NFKC", name)).casefold()


@dataclass(frozen=True)
class Lodged:
    """One application as the rule needs it."""

    application_id: str
    commission_id: str
    service_areas: frozenset[str]  # the commission's county codes
    employer_key: str
    employer_division: str | None
    workplace: str  # the workplace the application states (division code)
    worker_keys: frozenset[str]
    categories: frozenset[str]
    status: str
    received_on: date
    accepted_on: date | None = None

    @classmethod
    def of(cls, case: ArbitrationCase, service_areas: tuple[str, ...]) -> Lodged:
        return cls(
            application_id=case.application_id,
            commission_id=case.commission_id,
            service_areas=frozenset(service_areas),
            employer_key=case.employer_key,
            employer_division=case.employer_division,
            workplace=case.division_code,
            worker_keys=frozenset(case.worker_keys),
            categories=case.categories,
            status=case.status,
            received_on=case.received_on,
            accepted_on=case.accepted_on,
        )

    def serves(self, division: str | None) -> bool:
        return division is not None and division[:6] in self.service_areas


def same_dispute(a: Lodged, b: Lodged) -> bool:
    """Same employer, a common worker (by ID-number blind index), a common claim category, both
    pending, at two commissions. Without an identified worker nothing can be matched."""
    return (
        a.commission_id != b.commission_id
        and a.status in PENDING
        and b.status in PENDING
        and bool(a.employer_key)
        and a.employer_key == b.employer_key
        and bool(a.worker_keys & b.worker_keys)
        and bool(a.categories & b.categories)
    )


def _first_to_accept(a: Lodged, b: Lodged) -> Lodged:
    # Rules Art. 8: several places of performance -> the commission that accepted first
    def order(x: Lodged) -> tuple[int, date, date, str]:
        return (0 if x.accepted_on else 1, x.accepted_on or date.max, x.received_on, x.application_id)

    return min((a, b), key=order)


def keeper(a: Lodged, b: Lodged) -> Lodged:
    """Which of two applications of the same dispute stays where it is."""
    workplaces = {a.workplace, b.workplace}
    # LDA Art. 21, Rules Art. 8: the commission of the place of performance (actual workplace)
    performing = [x for x in (a, b) if any(x.serves(w) for w in workplaces)]
    if len(performing) == 1:
        return performing[0]
    if len(performing) == 2:
        return _first_to_accept(a, b)
    # Rules Art. 8: place of performance unclear -> the employer's seat
    seat = {a.employer_division, b.employer_division} - {None}
    at_seat = [x for x in (a, b) if any(x.serves(d) for d in seat)]
    return at_seat[0] if len(at_seat) == 1 else _first_to_accept(a, b)
