"""Reference registers shared by the services: the organisations a case can be routed to."""

from labornet_common.reference.organisations import (
    Commission,
    InspectionDesk,
    MediationCentre,
    OrganisationDirectory,
    Tribunal,
    organisation_directory,
)

__all__ = [
    "Commission",
    "InspectionDesk",
    "MediationCentre",
    "OrganisationDirectory",
    "Tribunal",
    "organisation_directory",
]
