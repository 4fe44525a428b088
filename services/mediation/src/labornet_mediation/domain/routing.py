"""Where a case is mediated, and where it goes when mediation ends without an agreement."""

from __future__ import annotations

from dataclasses import dataclass

from labornet_common.reference import MediationCentre, OrganisationDirectory


def resolve_centre(
    directory: OrganisationDirectory, *, target_org_id: str | None, divisions: list[str]
) -> MediationCentre | None:
    """The centre intake named, else the one serving the workplace (street before county)."""
    if target_org_id and (named := directory.centre(target_org_id)) is not None:
        return named
    for code in divisions:
        if code and (centre := directory.centre_serving(code)) is not None:
            return centre
    return None


@dataclass(frozen=True)
class TransferDestination:
    commission_id: str
    tribunal_id: str | None
    venue_name: str


def transfer_destination(
    directory: OrganisationDirectory,
    *,
    centre_id: str | None,
    workplace_division: str,
    employer_division: str | None,
) -> TransferDestination | None:
    """The centre's dispatched tribunal (派出庭, a venue of its parent commission) when it has
    one; else the commission of the workplace, then of the employer's seat (LDA Art. 21)."""
    tribunal = directory.tribunal_of_centre(centre_id) if centre_id else None
    if tribunal is not None:
        return TransferDestination(tribunal.commission_id, tribunal.id, tribunal.name)
    for code in (workplace_division, employer_division):
        commissions = directory.commissions_serving(code) if code else []
        if commissions:
            return TransferDestination(commissions[0].id, None, commissions[0].name)
    return None
