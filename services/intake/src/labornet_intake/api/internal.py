"""Endpoints only the gateway calls (never routed from the public API)."""

from __future__ import annotations

from fastapi import APIRouter

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import GatewayCaller
from labornet_common.security.pii import PiiCipherDep
from labornet_intake.api.schemas import AccessCheck, AccessGranted
from labornet_intake.service import queries

router = APIRouter(prefix="/internal/v1", tags=["internal"], include_in_schema=False)


@router.post("/access-codes/verify", response_model=AccessGranted)
async def verify_access_code(
    body: AccessCheck, uow: UowDep, cipher: PiiCipherDep, _gateway: GatewayCaller
) -> AccessGranted:
    """Tracking number + access code -> case id; 404 for a wrong pair, whichever part is wrong."""
    case_id = await queries.check_access_code(
        uow=uow, tracking_number=body.tracking_number, access_code=body.access_code, cipher=cipher
    )
    if case_id is None:
        raise not_found()
    return AccessGranted(case_id=case_id)
