"""The court's door (裁审衔接): find a case by its docket number (案号) or case id within the
caller's regions, and post court events back, signed with the court's Standard Webhooks secret."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from labornet_common.platform.app import RuntimeDep
from labornet_common.platform.errors import not_found
from labornet_common.security.auth import Principal, Role
from labornet_gateway import messages as _messages  # noqa: F401  (registers the message catalogue)
from labornet_gateway.api.court_schemas import (
    PROBLEM_RESPONSES,
    CallbackAccepted,
    CourtCaseRead,
    callback_openapi,
    case_read,
)
from labornet_gateway.api.webhooks import current_principal
from labornet_gateway.service import case_index
from labornet_gateway.webhooks.inbound import accept_callback, verified_callback

router = APIRouter(prefix="/api/v1/court", tags=["court"])
# Who may look a case up: the court's liaison, and the staff who read arbitration files.
LOOKUP_ROLES = (Role.court_liaison, Role.arbitrator, Role.clerk, Role.admin)


def lookup_principal(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    if not principal.has_role(*LOOKUP_ROLES):
        raise not_found()  # like every read outside one's remit: missing, not forbidden
    return principal


LookupDep = Annotated[Principal, Depends(lookup_principal)]
CaseNumber = Annotated[str, Query(min_length=1, max_length=100, description="案号, e.g. 洛劳人仲案字〔2026〕第12号")]


async def _found(request: Request, runtime: RuntimeDep, who: Principal, **key: str) -> CourtCaseRead:
    found = await case_index.find(uow=runtime.uow(), scopes=who.region_scopes, **key)
    if found is None:
        raise not_found()
    request.state.audit_case_id = found.entry.case_id  # the audit trail names the case looked up
    return case_read(found)


@router.get("/cases", response_model=CourtCaseRead, responses=PROBLEM_RESPONSES)
async def case_by_number(
    request: Request,
    runtime: RuntimeDep,
    who: LookupDep,
    case_number: CaseNumber,
) -> CourtCaseRead:
    """The case a docket number names (an earlier number, before a referral, finds it too)."""
    return await _found(request, runtime, who, case_number=case_number)


@router.get("/cases/{case_id}", response_model=CourtCaseRead, responses=PROBLEM_RESPONSES)
async def case_by_id(request: Request, runtime: RuntimeDep, who: LookupDep, case_id: str) -> CourtCaseRead:
    return await _found(request, runtime, who, case_id=case_id)


@router.post(
    "/callbacks",
    status_code=202,
    response_model=CallbackAccepted,
    responses=PROBLEM_RESPONSES,
    openapi_extra=callback_openapi(),
)
async def court_callback(request: Request, runtime: RuntimeDep) -> dict[str, Any]:
    """A court event about a case named by its 案号 (case_number), its case id, or both."""
    settings = runtime.settings
    body = await request.body()
    callback, sender = verified_callback(
        headers=dict(request.headers),
        body=body,
        senders=settings.court_senders(),  # type: ignore[attr-defined]
        tolerance_s=settings.court_webhook_tolerance_s,  # type: ignore[attr-defined]
    )
    webhook_id = request.headers["webhook-id"]
    accepted = await accept_callback(uow=runtime.uow(), webhook_id=webhook_id, callback=callback, sender=sender)
    return {"webhook_id": webhook_id, "accepted": accepted, "duplicate": not accepted}
