"""HTTP route for extending a case's mediation period by the parties' agreement."""

from __future__ import annotations

from fastapi import APIRouter

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_mediation.api.admin_schemas import ExtensionCreate
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.api.schemas import MediationCaseDetail
from labornet_mediation.domain.extension import ExtensionAgreement
from labornet_mediation.service import extension, queries

router = APIRouter(prefix="/api/v1/mediation/cases/{case_id}", tags=["mediation"])


@router.post("/extensions", response_model=MediationCaseDetail, status_code=201)
async def extend(
    case_id: str, body: ExtensionCreate, principal: CurrentPrincipal, uow: UowDep, ctx: ContextDep
) -> MediationCaseDetail:
    """Both parties agreed to go on mediating: the clock's last day moves by ``extra_days``
    (counted from the current last day, a rest day rolling forward: 民诉法 Art. 85). Agreed no
    later than the current last day (LDA Art. 14), within the local ceiling on days added."""
    agreement = ExtensionAgreement(**body.model_dump())
    await extension.extend(ctx=ctx, uow=uow, principal=principal, case_id=case_id, agreement=agreement)
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    if case is None:
        raise not_found()
    return MediationCaseDetail.model_validate(case)
