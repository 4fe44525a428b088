"""Roster rules every service shares (pure: no database, no HTTP).

A leaving member's open cases go to the colleagues who stay, each case to the one with the
fewest open cases, counting the cases handed so far, so they spread instead of all landing on
one colleague; ties go to the lowest id, so the same roster always gives the same answer. A
colleague barred from a case (recused, already on its tribunal) is never chosen for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from labornet_common.platform.problems import Forbidden
from labornet_common.security.auth import NATIONWIDE, Principal, Role

M = TypeVar("M")


def require_admin(principal: Principal) -> None:
    """Only administrators keep the rosters (403 for everyone else)."""
    if Role.admin not in principal.roles:
        raise Forbidden()


def log_scope(principal: Principal) -> list[str] | None:
    """The division prefixes of the change log an administrator reads (None: nationwide)."""
    require_admin(principal)
    return None if NATIONWIDE in principal.region_scopes else list(principal.region_scopes)


def least_loaded(
    candidates: Iterable[M], *, key: Callable[[M], str], load: Mapping[str, int], excluded: Iterable[str] = ()
) -> M | None:
    """Fewest open cases first; ties go to the lowest id, so the choice is repeatable."""
    barred = set(excluded)
    eligible = [m for m in candidates if key(m) not in barred]
    return min(eligible, key=lambda m: (load.get(key(m), 0), key(m))) if eligible else None


@dataclass(frozen=True)
class OpenCase:
    """A case of the leaving member, and who may not take it over (``excluded`` ids)."""

    case_id: str
    excluded: tuple[str, ...] = ()


@dataclass
class Handover(Generic[M]):
    """Who takes each open case of a leaving member (None: nobody may)."""

    key: Callable[[M], str]
    to: dict[str, M | None] = field(default_factory=dict)

    @property
    def left_behind(self) -> list[str]:
        return [case_id for case_id, taker in self.to.items() if taker is None]

    def summary(self) -> dict[str, str | None]:
        """Case id: the id of who takes it (None: nobody)."""
        return {case_id: self.key(taker) if taker is not None else None for case_id, taker in self.to.items()}


def hand_over(
    cases: Iterable[OpenCase],
    *,
    leaving: str,
    candidates: Sequence[M],
    key: Callable[[M], str],
    load: Mapping[str, int],
) -> Handover[M]:
    """Each case, in case-id order, to the least-loaded colleague who stays."""
    staying = [m for m in candidates if key(m) != leaving]
    counts, handover = dict(load), Handover(key)
    for case in sorted(cases, key=lambda c: c.case_id):
        chosen = least_loaded(staying, key=key, load=counts, excluded=case.excluded)
        handover.to[case.case_id] = chosen
        if chosen is not None:
            counts[key(chosen)] = counts.get(key(chosen), 0) + 1
    return handover


@dataclass(frozen=True)
class Change:
    """One row of a roster's change log: what changed (``action``, e.g. ``arbitrator.retired``),
    whose entry, in which division (the log is read by region), the particulars, who and when."""

    action: str
    subject_id: str
    division_code: str
    detail: dict[str, Any]
    by: str
    at: datetime
