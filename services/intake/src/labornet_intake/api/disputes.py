"""Where a dispute stands across the network (the case passport), read by case id: the answer
a clerk, mediator, arbitrator or court liaison needs before opening anything new, and the one
the worker's own case reads the same."""

from __future__ import annotations

from fastapi import APIRouter

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.auth import Role
from labornet_intake.adapters import disputes
from labornet_intake.api.schemas import DisputeSummary

router = APIRouter(prefix="/api/v1/disputes", tags=["disputes"])

_STAFF = frozenset({Role.clerk, Role.mediator, Role.arbitrator, Role.inspector, Role.court_liaison, Role.admin})


@router.get("/{case_id}", response_model=DisputeSummary, operation_id="read_dispute")
async def read_dispute(case_id: str, principal: CurrentPrincipal, uow: UowDep) -> DisputeSummary:
    """Stage, holder, docket number and worker count, whoever holds the dispute. No personal
    data: staff of the dispute's region and the worker of the case may read it; anyone else
    gets 404, like a dispute nobody has heard of."""
    async with uow:
        passport = await disputes.get(session=uow.session, case_id=case_id)
    if passport is None or not principal.can_see_case(
        case_id=case_id, division_codes=[passport.region_code] if passport.region_code else []
    ):
        raise not_found()
    if Role.worker not in principal.roles and not principal.has_role(*_STAFF):
        raise not_found()
    return DisputeSummary.model_validate(passport.summary())
