"""Cross-region joint acceptance: the owning region's queue and its answer."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from labornet_common.platform.app import UowDep
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_intake.api.schemas import JointAnswer, JointForward
from labornet_intake.service import joint

router = APIRouter(prefix="/api/v1/complaints/joint-acceptance", tags=["joint acceptance"])


@router.get("", response_model=list[JointForward])
async def list_forwards(
    principal: CurrentPrincipal, uow: UowDep, status: Literal["pending", "accepted", "refused"] | None = None
) -> list[JointForward]:
    """Forwardings to or from the clerk's region (一地投诉、区域联动受理), oldest first."""
    found = await joint.forwards(uow=uow, principal=principal, status=status)
    return [JointForward.model_validate(f) for f in found]


@router.post("/{forward_id}/answer", response_model=JointForward)
async def answer_forward(forward_id: str, body: JointAnswer, principal: CurrentPrincipal, uow: UowDep) -> JointForward:
    """A clerk of the region asked to own the case takes it (it is then routed there) or
    refuses it with a reason (it returns to the accepting region)."""
    answered = await joint.answer(
        uow=uow, principal=principal, forward_id=forward_id, decision=body.decision, reason=body.reason
    )
    return JointForward.model_validate(answered)
