"""The register as administrators keep it (pure): centres and dispatched tribunals (派出庭)
added to or retired from the shipped register, and what happens to a mediator's open cases when
the mediator moves to another centre or retires.

Open cases stay at their centre: the centre received the application and its 15-day clock runs
there (LDA Art. 14). They pass to the centre's least-loaded other mediator (a recused one never),
or, when nobody else serves there, wait unassigned in the centre's queue. Closed cases keep the
mediator's name: they are the record of who mediated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from labornet_common.reference import MediationCentre, OrganisationDirectory, Tribunal
from labornet_mediation.domain.assignment import least_loaded
from labornet_mediation.domain.model import MediatorRef

KINDS = ("street", "township", "park", "enterprise", "industry")  # LDA Art. 10 (see reference)


@dataclass(frozen=True)
class ManagedCentre:
    centre: MediationCentre
    retired_on: date | None = None


@dataclass(frozen=True)
class ManagedTribunal:
    tribunal: Tribunal
    retired_on: date | None = None


def overlay(
    base: OrganisationDirectory, centres: Iterable[ManagedCentre], tribunals: Iterable[ManagedTribunal]
) -> OrganisationDirectory:
    """The shipped register with the administrators' changes: added or changed entries replace
    the shipped ones, retired ones leave it (a centre whose tribunal retired keeps no tribunal)."""
    directory = OrganisationDirectory({})
    directory.commissions = dict(base.commissions)
    directory.desks = dict(base.desks)
    directory.tribunals = dict(base.tribunals)
    directory.centres = dict(base.centres)
    for t in tribunals:
        if t.retired_on is None:
            directory.tribunals[t.tribunal.id] = t.tribunal
        else:
            directory.tribunals.pop(t.tribunal.id, None)
    for c in centres:
        if c.retired_on is None:
            directory.centres[c.centre.id] = c.centre
        else:
            directory.centres.pop(c.centre.id, None)
    for centre_id, centre in list(directory.centres.items()):
        if centre.tribunal_id and centre.tribunal_id not in directory.tribunals:
            directory.centres[centre_id] = replace(centre, tribunal_id=None)
    for tribunal_id, tribunal in list(directory.tribunals.items()):
        if tribunal.centre_id and tribunal.centre_id not in directory.centres:
            directory.tribunals[tribunal_id] = replace(tribunal, centre_id=None)
    directory._check_references()
    return directory


@dataclass(frozen=True)
class OpenCase:
    case_id: str
    recused: tuple[str, ...] = ()


@dataclass
class Handover:
    """Who takes each open case of a leaving mediator (None: the case waits for one)."""

    to: dict[str, MediatorRef | None] = field(default_factory=dict)

    def summary(self) -> dict[str, str | None]:
        return {case_id: ref.mediator_id if ref else None for case_id, ref in self.to.items()}


def hand_over(
    cases: Iterable[OpenCase], *, leaving: str, candidates: Iterable[MediatorRef], open_cases: Mapping[str, int]
) -> Handover:
    """Each case to the least-loaded remaining mediator, counting the cases handed so far, so a
    leaving mediator's cases spread over the centre instead of all landing on one colleague."""
    staying = [m for m in candidates if m.mediator_id != leaving]
    counts = dict(open_cases)
    handover = Handover()
    for case in sorted(cases, key=lambda c: c.case_id):
        chosen = least_loaded(staying, open_cases=counts, excluded=case.recused)
        handover.to[case.case_id] = chosen
        if chosen is not None:
            counts[chosen.mediator_id] = counts.get(chosen.mediator_id, 0) + 1
    return handover
