"""HTTP routes: translate requests to queries and results back, nothing more."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from labornet_common.api_auth import CurrentPrincipal
from labornet_common.app import UowDep
from labornet_common.errors import not_found
from labornet_common.pagination import PageDep
from labornet_mediation.service import queries

router = APIRouter(prefix="/api/v1/mediation", tags=["mediation"])


class MediationCaseRead(BaseModel):
    case_id: str
    division_code: str
    status: str
    employer_name: str
    received_on: date
    due_on: date
    assigned_to: str | None = None


class MediationCasePage(BaseModel):
    items: list[MediationCaseRead]
    next_cursor: str | None = None


@router.get("/cases", response_model=MediationCasePage)
async def list_cases(principal: CurrentPrincipal, uow: UowDep, page: PageDep) -> MediationCasePage:
    found = await queries.list_cases(uow=uow, principal=principal, page=page)
    return MediationCasePage(
        items=[MediationCaseRead.model_validate(c) for c in found.items],
        next_cursor=found.next_cursor,
    )


@router.get("/cases/{case_id}", response_model=MediationCaseRead)
async def read_case(case_id: str, principal: CurrentPrincipal, uow: UowDep) -> MediationCaseRead:
    case = await queries.get_case(uow=uow, principal=principal, case_id=case_id)
    if case is None:
        raise not_found()
    return MediationCaseRead.model_validate(case)
