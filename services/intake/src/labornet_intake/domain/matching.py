"""Is a new filing the same complaint again, another worker's share of a pending dispute, or new?

The disputes matched are every one the network knows against the employer and still pending
anywhere (labornet_common.contracts.passport): filed here, lodged directly at a centre or a commission,
in mediation, docketed, awarded or in court. The worker is recognised by the blind index of the
ID number (never the number itself); the employer by its unified social credit code when known,
else its normalised name and county. A filing without an ID number cannot be told apart from
someone else's, so it always opens a case of its own, is never joined by later filings, and
staff link it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from labornet_common.contracts.passport import Passport, employer_key

__all__ = ["COLLECTIVE_THRESHOLD", "Match", "MatchKind", "OpenCase", "employer_key", "is_collective", "match"]

OPEN_STATUSES = ("RECEIVED", "ROUTED", "FORWARDED")

MatchKind = Literal["duplicate", "grouped"]  # the same worker again | more workers, one dispute


@dataclass(frozen=True)
class OpenCase:
    case_id: str
    received_at: datetime  # oldest first: the dispute a newcomer joins when several would fit
    worker_keys: frozenset[str]  # blind indexes of every worker on the case
    categories: frozenset[str]  # every claim category any filing on the case made
    joinable: bool = True  # further workers may still be added (before an agreement or award)

    @classmethod
    def of(cls, passport: Passport, received_at: datetime) -> OpenCase:
        return cls(passport.case_id, received_at, passport.worker_keys, passport.categories, passport.joinable)


@dataclass(frozen=True)
class Match:
    case_id: str
    kind: MatchKind


def match(*, worker_key: str | None, categories: frozenset[str], open_cases: Iterable[OpenCase]) -> Match | None:
    """The oldest pending dispute this filing belongs to (disputes of the same employer only)."""
    if worker_key is None:
        return None
    ordered = sorted(open_cases, key=lambda c: (c.received_at, c.case_id))
    for case in ordered:
        # The same worker, nothing the case does not already cover: the same complaint again,
        # wherever the dispute now is (劳动保障监察条例 Art. 21: not a second case).
        if worker_key in case.worker_keys and categories <= case.categories:
            return Match(case.case_id, "duplicate")
    for case in ordered:
        # Another worker with a claim in common: one case (LDA Art. 7 when 10 or more), while
        # the dispute can still take parties.
        if case.joinable and worker_key not in case.worker_keys and categories & case.categories:
            return Match(case.case_id, "grouped")
    return None


COLLECTIVE_THRESHOLD = 10  # LDA Art. 7: ten or more workers with a common claim


def is_collective(worker_count: int, categories: frozenset[str]) -> bool:
    return worker_count >= COLLECTIVE_THRESHOLD and bool(categories)
