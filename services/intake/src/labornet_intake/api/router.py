"""HTTP routes: translate requests to commands and results back, nothing more."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from labornet_common.app import UowDep
from labornet_common.errors import not_found
from labornet_intake.api.schemas import ComplaintCreate, ComplaintCreated, ComplaintRead
from labornet_intake.service import commands

router = APIRouter(prefix="/api/v1", tags=["complaints"])


@router.post("/complaints", status_code=201, response_model=ComplaintCreated)
async def create_complaint(
    body: ComplaintCreate,
    uow: UowDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    cmd = commands.FileComplaint(**body.model_dump(exclude={"claims"}), claims=body.claims)
    filed = await commands.file_complaint(uow=uow, cmd=cmd, idempotency_key=idempotency_key)
    headers = {"Idempotent-Replayed": "true"} if filed.replayed else None
    return JSONResponse(filed.body, status_code=filed.status_code, headers=headers)


@router.get("/complaints/{case_id}", response_model=ComplaintRead)
async def read_complaint(case_id: str, uow: UowDep) -> ComplaintRead:
    complaint = await commands.get_complaint(uow=uow, case_id=case_id)
    if complaint is None:
        raise not_found()
    return ComplaintRead.model_validate(complaint, from_attributes=True)
