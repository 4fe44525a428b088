"""The arbitrators of each commission (the 仲裁员名册): the file shipped with the service, and the
changes administrators made (added, moved to another commission, retired) laid over it.

A retired arbitrator keeps the seats of the cases they sat on (the tribunal records its members
by name) but is no longer offered or accepted for a new tribunal. LDA Art. 20: the commission
keeps a roster of arbitrators (仲裁员名册) and names who may be on it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from labornet_common.platform.roster.rules import Handover, OpenCase, hand_over

ROSTER_FILE = Path(__file__).resolve().parent.parent / "data" / "arbitrators.json"

# A case whose tribunal still has work to do: formed, heard or paused (domain-rules §5). An
# awarded or otherwise closed case keeps its members as they were.
OPEN_SEATED = frozenset({"TRIBUNAL_FORMED", "HEARING_SCHEDULED", "SUSPENDED"})


@dataclass(frozen=True, slots=True)
class Arbitrator:
    id: str
    name: str
    commission_id: str
    subject: str | None  # the staff account that signs in as this arbitrator, if any
    retired_on: date | None = None

    @property
    def serving(self) -> bool:
        return self.retired_on is None


class Roster:
    def __init__(self, arbitrators: Iterable[Arbitrator]) -> None:
        self.by_id = {a.id: a for a in arbitrators}

    def of_commission(self, commission_id: str) -> list[Arbitrator]:
        """Who serves the commission now (a retired arbitrator is not offered for a tribunal)."""
        return [a for a in self.by_id.values() if a.commission_id == commission_id and a.serving]

    def get(self, arbitrator_id: str) -> Arbitrator | None:
        return self.by_id.get(arbitrator_id)

    def by_subject(self, subject: str) -> Arbitrator | None:
        return next((a for a in self.by_id.values() if a.subject == subject and a.serving), None)


def overlay(base: Roster, stored: Sequence[Arbitrator]) -> Roster:
    """The shipped roster with the administrators' changes: a stored arbitrator replaces the
    shipped one of the same id (moved, retired) or adds one."""
    return Roster([*base.by_id.values(), *stored])


def moved(arbitrator: Arbitrator, commission_id: str) -> Arbitrator:
    return replace(arbitrator, commission_id=commission_id)


def retired(arbitrator: Arbitrator, on: date) -> Arbitrator:
    return replace(arbitrator, retired_on=on)


def arbitrator_id(arbitrator: Arbitrator) -> str:
    return arbitrator.id


def seated(tribunal: dict[str, Any] | None) -> list[str]:
    """The ids of the tribunal's members."""
    return [m["arbitrator_id"] for m in (tribunal or {}).get("members", [])]


@dataclass(frozen=True)
class SeatedCase:
    """An unfinished case the leaving arbitrator sits on: its commission, its tribunal and the
    arbitrators whose recusal was granted."""

    application_id: str
    commission_id: str
    tribunal: dict[str, Any] | None
    recused: tuple[str, ...] = ()


def successors(
    cases: Sequence[SeatedCase], *, leaving: str, roster: Roster, load: Mapping[str, int]
) -> Handover[Arbitrator]:
    """Who takes the leaving arbitrator's seat on each case: a serving arbitrator of the case's
    commission with the fewest open seats (``load``, counting the seats handed so far; ties to
    the lowest id), never one already on that tribunal or recused from the case (LDA Art. 33).
    An arbitrator off the commission's roster (LDA Art. 20) can no longer serve: the commission
    forms the tribunal again (组织规则 Art. 15) with the same mode (LDA Art. 31)."""
    plan = Handover(arbitrator_id)
    for commission_id in sorted({c.commission_id for c in cases}):
        own = [
            OpenCase(c.application_id, excluded=(*seated(c.tribunal), *c.recused))
            for c in cases
            if c.commission_id == commission_id
        ]
        staying = sorted(roster.of_commission(commission_id), key=arbitrator_id)
        plan.to.update(hand_over(own, leaving=leaving, candidates=staying, key=arbitrator_id, load=load).to)
    return plan


def open_seats(arbitrator_id: str, cases: Iterable[tuple[str, str, dict[str, Any] | None]]) -> list[str]:
    """The application ids, of ``(application id, status, tribunal)``, where the arbitrator sits
    on a tribunal that has not finished: the commission names someone in their place."""
    return [
        application_id
        for application_id, status, tribunal in cases
        if status in OPEN_SEATED
        and any(m.get("arbitrator_id") == arbitrator_id for m in (tribunal or {}).get("members", []))
    ]


@lru_cache(maxsize=1)
def roster() -> Roster:
    raw = json.loads(ROSTER_FILE.read_text(encoding="utf-8"))
    return Roster([Arbitrator(**a) for a in raw["arbitrators"]])
