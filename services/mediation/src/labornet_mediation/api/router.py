from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from labornet_common.app import UowDep
from labornet_common.errors import not_found
from labornet_mediation.adapters import repository

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation"])


class MediationCaseRead(BaseModel):
    case_id: str
    division_code: str
    status: str
    employer_name: str
    received_on: date
    due_on: date


@router.get("/cases/{case_id}", response_model=MediationCaseRead)
async def read_case(case_id: str, uow: UowDep) -> MediationCaseRead:
    async with uow:
        row = await repository.get(session=uow.session, case_id=case_id)
    if row is None:
        raise not_found()
    return MediationCaseRead.model_validate(dict(row._mapping))
