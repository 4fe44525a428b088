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
from dataclasses import dataclass, replace
from datetime import date

from labornet_common.platform.roster import rules
from labornet_common.platform.roster.rules import Handover, OpenCase
from labornet_common.reference import MediationCentre, OrganisationDirectory, Tribunal
from labornet_mediation.domain.assignment import mediator_id
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


def hand_over(
    cases: Iterable[OpenCase], *, leaving: str, candidates: Iterable[MediatorRef], open_cases: Mapping[str, int]
) -> Handover[MediatorRef]:
    """Each case to the least-loaded remaining mediator of the centre, never a recused one (the
    platform's hand-over: labornet_common.platform.roster.rules)."""
    return rules.hand_over(cases, leaving=leaving, candidates=list(candidates), key=mediator_id, load=open_cases)
