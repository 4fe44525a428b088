"""Staff record (or replace) the representatives of a collective case (LDA Art. 7), as the case
becomes collective when co-workers join it."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.pii import PiiCipherDep
from labornet_intake.api.schemas import RepresentativeCreate, RepresentativeRead
from labornet_intake.domain.representatives import Representative
from labornet_intake.service import representatives

router = APIRouter(prefix="/api/v1/complaints", tags=["complaints"])


class RepresentativesUpdate(BaseModel):
    """The representatives of a collective case, as a whole: three to five (办案规则 Art. 6)."""

    representatives: list[RepresentativeCreate] = Field(max_length=20)


class RepresentativesRead(BaseModel):
    case_id: str
    representatives: list[RepresentativeRead]


@router.put("/{case_id}/representatives", response_model=RepresentativesRead)
async def record_representatives(
    case_id: str, body: RepresentativesUpdate, principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep
) -> RepresentativesRead:
    """Clerks, mediators, arbitrators and administrators of the case's region. 422 when the case
    is not collective or the number is not three to five; the same list again changes nothing."""
    chosen = [Representative(**r.model_dump()) for r in body.representatives]
    complaint = await representatives.replace_representatives(
        uow=uow, principal=principal, case_id=case_id, chosen=chosen, cipher=cipher
    )
    if complaint is None:
        raise not_found()
    return RepresentativesRead(
        case_id=case_id,
        representatives=[RepresentativeRead.model_validate(r, from_attributes=True) for r in complaint.representatives],
    )
