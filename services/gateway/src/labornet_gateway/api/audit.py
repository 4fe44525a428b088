"""Audit trail administration (admins only): verify the hash chain, and take signed
checkpoints of its head to keep elsewhere (a rewrite of the whole chain shows against them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import jwt
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from labornet_common.platform.app import RuntimeDep
from labornet_common.platform.errors import FieldError, Problem, invalid, not_found
from labornet_common.platform.openapi import STAFF_ONLY_SECURITY
from labornet_common.platform.pagination import MAX_PAGE_SIZE
from labornet_common.security.api_auth import unauthorized
from labornet_common.security.auth import Role
from labornet_gateway.service import audit, exports
from labornet_gateway.service.context import gateway_context

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


class AuditGap(BaseModel):
    first: int = Field(description="first missing sequence number")
    last: int = Field(description="last missing sequence number")


class AuditVerification(BaseModel):
    ok: bool = Field(description="the chain is whole and every answered request known here is in it")
    checked: int
    head_seq: int
    broken_at: int | None = None
    reason: str | None = None
    gaps: list[AuditGap] = Field(default_factory=list, description="missing sequence numbers (first 100 runs)")
    missing: int = Field(0, description="entries missing in all the gaps")
    unrecorded: int = Field(0, description="answered requests known to the gateway but not in the trail")
    unjournaled: int = Field(0, description="requests answered 503 because their entry could not be written")


RECEIPT_TYPE = "labornet-audit-checkpoint+jwt"


class AuditCheckpoint(BaseModel):
    seq: int
    hash: str
    issued_at: datetime
    receipt: str = Field(description="the checkpoint signed with the gateway's key (see the JWKS); keep it elsewhere")


class ReceiptCheck(BaseModel):
    receipt: str = Field(min_length=1, max_length=4000)


class ReceiptVerification(BaseModel):
    seq: int
    status: str = Field(description="consistent | rewritten | pruned | missing")


ADMIN_ONLY = {"security": STAFF_ONLY_SECURITY}  # _require_admin: the admin's staff token


def _require_admin(request: Request) -> None:
    principal = request.state.principal
    if principal is None:
        raise unauthorized()
    if not principal.has_role(Role.admin):
        raise not_found()  # out of reach reads as missing, here as everywhere


@router.get("/checkpoint", response_model=AuditCheckpoint, openapi_extra=ADMIN_ONLY)
async def take_checkpoint(request: Request, runtime: RuntimeDep) -> AuditCheckpoint:
    _require_admin(request)
    head = await audit.checkpoint(uow=runtime.uow())
    if head is None:
        raise Problem(409, "conflict", "the audit trail is empty")
    issued_at = datetime.now(UTC)
    claims = {"seq": head.seq, "hash": head.hash, "iat": int(issued_at.timestamp())}
    receipt = gateway_context(runtime).identity.issuer.sign(claims, typ=RECEIPT_TYPE)
    return AuditCheckpoint(seq=head.seq, hash=head.hash, issued_at=issued_at, receipt=receipt)


@router.post("/checkpoint/verify", response_model=ReceiptVerification, openapi_extra=ADMIN_ONLY)
async def verify_checkpoint(body: ReceiptCheck, request: Request, runtime: RuntimeDep) -> ReceiptVerification:
    _require_admin(request)
    try:
        claims = gateway_context(runtime).identity.issuer.verify_signed(body.receipt, typ=RECEIPT_TYPE)
        seq, chain_hash = int(claims["seq"]), str(claims["hash"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        raise invalid(FieldError.of("receipt", "audit.receipt_invalid")) from None
    status = await audit.check_receipt(uow=runtime.uow(), seq=seq, hash=chain_hash)
    return ReceiptVerification(seq=seq, status=status)


@router.get("/verify", response_model=AuditVerification, openapi_extra=ADMIN_ONLY)
async def verify(request: Request, runtime: RuntimeDep) -> AuditVerification:
    _require_admin(request)
    result = await audit.report(
        uow_factory=runtime.uow,
        sequencer=gateway_context(runtime).audit_sequencer,
        unjournaled=gateway_context(runtime).audit_unjournaled,
    )
    chain = result.chain
    reason = chain.reason
    if reason is None and not result.ok:
        reason = "answered requests missing from the trail"
    return AuditVerification(
        ok=result.ok,
        checked=chain.checked,
        head_seq=chain.head_seq,
        broken_at=chain.broken_at,
        reason=reason,
        gaps=[AuditGap(first=g.first, last=g.last) for g in chain.gaps],
        missing=chain.missing,
        unrecorded=result.unrecorded,
        unjournaled=result.unjournaled,
    )


class ListExportRead(BaseModel):
    export_id: str
    occurred_at: datetime
    subject: str
    roles: str
    list_name: str = Field(description="the list exported, e.g. mediation.queue")
    route: str
    filters: dict[str, Any] = Field(description="the search and filters as asked (no cursor, limit or format)")
    format: str = Field(description="csv | xlsx")
    rows: int = Field(description="rows in the file")
    request_id: str = Field(description="the request's entry in the audit trail")


@router.get("/exports", response_model=list[ListExportRead], openapi_extra=ADMIN_ONLY)
async def list_exports(
    request: Request,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    before: Annotated[datetime | None, Query(description="older than this time (the last row's occurred_at)")] = None,
    subject: Annotated[str | None, Query(max_length=200)] = None,
) -> list[ListExportRead]:
    """Who exported which list, with which filters and how many rows, newest first."""
    _require_admin(request)
    rows = await exports.recent_exports(uow=runtime.uow(), limit=limit, before=before, subject=subject)
    return [ListExportRead.model_validate(r) for r in rows]
