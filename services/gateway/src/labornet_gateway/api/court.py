"""Court liaison posts court events here, signed with the shared Standard Webhooks secret."""

from __future__ import annotations

from fastapi import APIRouter, Request

from labornet_common.app import RuntimeDep
from labornet_gateway.webhooks.inbound import accept_callback, verified_callback

router = APIRouter(prefix="/api/v1/court", tags=["court"])


@router.post("/callbacks", status_code=202)
async def court_callback(request: Request, runtime: RuntimeDep) -> dict[str, object]:
    settings = runtime.settings
    body = await request.body()
    callback = verified_callback(
        headers=dict(request.headers),
        body=body,
        secrets=settings.court_secrets(),  # type: ignore[attr-defined]
        tolerance_s=settings.court_webhook_tolerance_s,  # type: ignore[attr-defined]
    )
    webhook_id = request.headers["webhook-id"]
    accepted = await accept_callback(uow=runtime.uow(), webhook_id=webhook_id, callback=callback)
    return {"webhook_id": webhook_id, "accepted": accepted, "duplicate": not accepted}
