"""The organisations directory: commissions, dispatched tribunals, mediation centres, desks.

One register, read by every service, so that intake's routing, mediation's transfers and
arbitration's docket name the same bodies by the same ids. The shipped file covers the seed
regions (see ``data/organisations/SOURCE.md``); a deployment points
``LABORNET_ORGANISATIONS_FILE`` at its own register of the same shape.

Lookups answer with the most specific body: a street's own centre before its county's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from labornet_common.standards.divisions import canonical_forms

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "organisations" / "organisations.json"
# LDA Art. 10: enterprise committees, grassroots people's mediation (street, township), and
# organisations with labor-dispute mediation functions set up in townships and streets; parks
# and industries run theirs under the same article.
CentreKind = Literal["street", "township", "park", "enterprise", "industry"]


@dataclass(frozen=True, slots=True)
class Commission:
    id: str
    name: str
    short_name: str  # for case numbers: 洛劳人仲案字〔2026〕第12号
    seat_division: str
    service_areas: tuple[str, ...]  # county codes (LDA Art. 17: not one per division)


@dataclass(frozen=True, slots=True)
class Tribunal:
    """A dispatched tribunal (派出仲裁庭): a venue of its parent commission, which dockets
    its cases; not a jurisdiction of its own (no national article; local practice)."""

    id: str
    name: str
    commission_id: str
    centre_id: str | None
    division_code: str


@dataclass(frozen=True, slots=True)
class MediationCentre:
    id: str
    kind: CentreKind
    name: str
    division_code: str
    serves: tuple[str, ...]  # street (9-digit) or county (6-digit) codes
    tribunal_id: str | None = None
    industry: str | None = None


@dataclass(frozen=True, slots=True)
class InspectionDesk:
    """A county's labor-inspection desk, which takes wage-arrears complaints about employers
    whose workplace lies in its county (劳动保障监察条例 Art. 13)."""

    id: str
    name: str
    division_code: str
    serves: tuple[str, ...]


class DirectoryError(ValueError):
    """The register names a body that does not exist (a broken reference)."""


class OrganisationDirectory:
    def __init__(self, document: dict[str, Any]) -> None:
        self.commissions = {c["id"]: _commission(c) for c in document.get("commissions", [])}
        self.tribunals = {t["id"]: _tribunal(t) for t in document.get("tribunals", [])}
        self.centres = {c["id"]: _centre(c) for c in document.get("mediation_centres", [])}
        self.desks = {d["id"]: _desk(d) for d in document.get("inspection_desks", [])}
        self._check_references()

    @classmethod
    def load(cls, path: Path | str | None = None) -> OrganisationDirectory:
        with open(path or DEFAULT_FILE, encoding="utf-8") as fh:
            return cls(json.load(fh))

    # -- lookups ----------------------------------------------------------------------------

    def commission(self, commission_id: str) -> Commission | None:
        return self.commissions.get(commission_id)

    def tribunal(self, tribunal_id: str) -> Tribunal | None:
        return self.tribunals.get(tribunal_id)

    def centre(self, centre_id: str) -> MediationCentre | None:
        return self.centres.get(centre_id)

    def commissions_serving(self, division_code: str) -> list[Commission]:
        """Commissions whose service area holds the division (a street resolves to its county)."""
        county = _county(division_code)
        return [c for c in self.commissions.values() if county in c.service_areas]

    def centre_serving(self, division_code: str) -> MediationCentre | None:
        """The street's own centre, else its county's, else None (kinds street/township/park)."""
        for code in _most_specific_first(division_code):
            for centre in self.centres.values():
                if code in centre.serves and centre.kind in ("street", "township", "park"):
                    return centre
        return None

    def bodies_of_commission(self, commission_id: str) -> tuple[str, ...]:
        """The commission and its dispatched tribunals: the bodies whose staff act for it."""
        venues = sorted(t.id for t in self.tribunals.values() if t.commission_id == commission_id)
        return (commission_id, *venues)

    def tribunal_of_centre(self, centre_id: str) -> Tribunal | None:
        centre = self.centres.get(centre_id)
        return self.tribunals.get(centre.tribunal_id) if centre and centre.tribunal_id else None

    def desk_serving(self, division_code: str) -> InspectionDesk | None:
        county = _county(division_code)
        return next((d for d in self.desks.values() if county in d.serves), None)

    def name_of(self, org_id: str) -> str | None:
        for table in (self.commissions, self.tribunals, self.centres, self.desks):
            if org_id in table:
                return table[org_id].name
        return None

    def _check_references(self) -> None:
        for tribunal in self.tribunals.values():
            if tribunal.commission_id not in self.commissions:
                raise DirectoryError(f"tribunal {tribunal.id}: unknown commission {tribunal.commission_id}")
            if tribunal.centre_id is not None and tribunal.centre_id not in self.centres:
                raise DirectoryError(f"tribunal {tribunal.id}: unknown centre {tribunal.centre_id}")
        for centre in self.centres.values():
            if centre.tribunal_id is not None and centre.tribunal_id not in self.tribunals:
                raise DirectoryError(f"centre {centre.id}: unknown tribunal {centre.tribunal_id}")


def _county(division_code: str) -> str:
    return division_code[:6]


def _most_specific_first(division_code: str) -> list[str]:
    """``410311007`` (or its 12-digit form) -> ``['410311007', '410311']``."""
    try:
        forms = canonical_forms(division_code)
    except ValueError:
        return []
    code = forms[0] if forms else division_code
    return [code[:9], code[:6]] if len(code) >= 9 else [code]


def _commission(raw: dict[str, Any]) -> Commission:
    return Commission(
        id=raw["id"],
        name=raw["name"],
        short_name=raw["short_name"],
        seat_division=raw["seat_division"],
        service_areas=tuple(raw["service_areas"]),
    )


def _tribunal(raw: dict[str, Any]) -> Tribunal:
    return Tribunal(
        id=raw["id"],
        name=raw["name"],
        commission_id=raw["commission_id"],
        centre_id=raw.get("centre_id"),
        division_code=raw["division_code"],
    )


def _centre(raw: dict[str, Any]) -> MediationCentre:
    return MediationCentre(
        id=raw["id"],
        kind=raw["kind"],
        name=raw["name"],
        division_code=raw["division_code"],
        serves=tuple(raw.get("serves", ())),
        tribunal_id=raw.get("tribunal_id"),
        industry=raw.get("industry"),
    )


def _desk(raw: dict[str, Any]) -> InspectionDesk:
    return InspectionDesk(
        id=raw["id"], name=raw["name"], division_code=raw["division_code"], serves=tuple(raw["serves"])
    )


@lru_cache(maxsize=4)
def _cached(path: str) -> OrganisationDirectory:
    return OrganisationDirectory.load(path)


def organisation_directory() -> OrganisationDirectory:
    """The deployment's register (``LABORNET_ORGANISATIONS_FILE``), else the shipped one."""
    return _cached(os.environ.get("LABORNET_ORGANISATIONS_FILE") or str(DEFAULT_FILE))
