"""HTTP routes for the centres register and the mediators (read-only here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.api.schemas import CentreDetail, CentreRead, MediatorRead
from labornet_mediation.service import centres

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation centres"])


@router.get("/centres", response_model=list[CentreRead])
async def list_centres(
    principal: CurrentPrincipal,
    ctx: ContextDep,
    division: Annotated[str | None, Query(pattern=r"^\d{2,12}$")] = None,
    kind: Annotated[str | None, Query(pattern=r"^(street|township|park|enterprise|industry)$")] = None,
) -> list[CentreRead]:
    """Centres of my region (LDA Art. 10), each with its 派出仲裁庭 and parent commission."""
    found = centres.list_centres(ctx=ctx, principal=principal, division=division, kind=kind)
    return [CentreRead.model_validate(c) for c in found]


@router.get("/centres/{centre_id}", response_model=CentreDetail)
async def read_centre(centre_id: str, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep) -> CentreDetail:
    found = await centres.get_centre(ctx=ctx, uow=uow, principal=principal, centre_id=centre_id)
    if found is None:
        raise not_found()
    return CentreDetail.model_validate(found)


@router.get("/mediators", response_model=list[MediatorRead])
async def list_mediators(
    principal: CurrentPrincipal,
    uow: UowDep,
    ctx: ContextDep,
    centre_id: Annotated[str | None, Query(max_length=40)] = None,
) -> list[MediatorRead]:
    found = await centres.list_mediators(ctx=ctx, uow=uow, principal=principal, centre_id=centre_id)
    return [MediatorRead.model_validate(m) for m in found]
