"""The worker's status page (signed in with tracking number + access code at the gateway)."""

from __future__ import annotations

from fastapi import APIRouter

from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.pii import PiiCipherDep
from labornet_intake.api.schemas import DisputeSummary, TimelineEntry, TrackingView
from labornet_intake.service import tracking

router = APIRouter(prefix="/api/v1/tracking", tags=["tracking"])


def _view(found: tracking.StatusView) -> TrackingView:
    c = found.complaint
    return TrackingView(
        case_id=c.case_id,
        tracking_number=c.tracking_number,
        status=c.status,
        status_zh=found.status_zh,
        latest_zh=found.latest_zh,
        updated_at=found.updated_at,
        route=c.route,
        handled_by=found.handled_by,
        routing_reasons=c.routing_reasons,
        worker_count=found.worker_count,
        collective=c.collective,
        limitation_warning=c.limitation_warning,
        limitation_reason=c.limitation_reason,
        joint_status=c.joint_status,
        joint_reason=c.joint_reason,
        representatives=[r.name for r in c.representatives],
        timeline=[TimelineEntry.model_validate(e) for e in found.entries],
        dispute=DisputeSummary.model_validate(found.dispute.summary()) if found.dispute else None,
    )


@router.get("", response_model=list[TrackingView])
async def my_cases(principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep) -> list[TrackingView]:
    """A signed-in worker's own case(s)."""
    views = []
    for case_id in sorted(principal.case_ids):
        found = await tracking.status_view(uow=uow, principal=principal, case_id=case_id, cipher=cipher)
        if found is not None:
            views.append(_view(found))
    return views


@router.get("/{case_id}", response_model=TrackingView)
async def case_status(case_id: str, principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep) -> TrackingView:
    """Status and timeline, in plain Chinese: the worker's own case, or any case staff may read."""
    found = await tracking.status_view(uow=uow, principal=principal, case_id=case_id, cipher=cipher)
    if found is None:
        raise not_found()
    return _view(found)
