"""Audit trail administration: verify the hash chain (admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from labornet_common.api_auth import unauthorized
from labornet_common.app import RuntimeDep
from labornet_common.auth import Role
from labornet_common.errors import not_found
from labornet_gateway.service import audit

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


class AuditVerification(BaseModel):
    ok: bool
    checked: int
    head_seq: int
    broken_at: int | None = None
    reason: str | None = None


@router.get("/verify", response_model=AuditVerification)
async def verify(request: Request, runtime: RuntimeDep) -> AuditVerification:
    principal = request.state.principal
    if principal is None:
        raise unauthorized()
    if not principal.has_role(Role.admin):
        raise not_found()  # out of reach reads as missing, here as everywhere
    result = await audit.verify(uow=runtime.uow())
    return AuditVerification.model_validate(result, from_attributes=True)
