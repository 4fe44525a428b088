"""The application's documents and their service on the arbitrator's desk: each document's PDF to
download, each delivery's status and receipt with its 送达回证 once served, re-sending one, and
recording manual service (direct, left or posted) when electronic service failed (or the party
never consented), which issues that service's 送达回证."""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from labornet_common.security.auth import Role
from labornet_gateway.console.action_forms import blank_free, text
from labornet_gateway.console.clients.base import Api, ApiError
from labornet_gateway.console.desks import require_role
from labornet_gateway.console.render import redirect
from labornet_gateway.console.session import CSRF_FIELD, SessionDep, check_csrf

router = APIRouter()
DESK = "/console/arbitration"
API = "/api/v1/arbitration/applications"
ROLES = (Role.arbitrator, Role.admin)
STATUS_ZH = {
    "pending": "待发送",
    "sent": "已发送，待签收",
    "received": "已签收",
    "failed": "发送失败，需人工送达",
    "manual": "已人工送达",
}
RECEIPT_ZH = {
    "link": "打开下载链接（阅读回执）",
    "sms_receipt": "短信送达回执",
    "app_receipt": "App签收回执",
    "manual": "送达回证",
}
CHANNEL_ZH = {"email": "电子邮件", "sms": "短信", "app": "劳动者App"}
PARTY_ZH = {"worker": "劳动者", "employer": "用人单位"}


async def panel(api: Api, application_id: str) -> dict[str, Any]:
    """Documents and deliveries for the application page (empty when the API has none)."""
    try:
        documents = await api.get(f"{API}/{application_id}/documents")
        service = await api.get(f"{API}/{application_id}/e-service")
    except ApiError:
        return {"documents": [], "consents": [], "deliveries": []}
    titles = {d["document_id"]: d["title"] for d in documents}
    deliveries = [
        {
            **d,
            "title": titles.get(d["document_id"], d["kind"]),
            "status_zh": STATUS_ZH.get(d["status"], d["status"]),
            "receipt_zh": RECEIPT_ZH.get(d["receipt"] or "", ""),
            "channel_zh": CHANNEL_ZH.get(d["channel"], d["channel"]),
            "party_zh": PARTY_ZH.get(d["party"], d["party"]),
        }
        for d in service["deliveries"]
    ]
    consents = [
        {**c, "channel_zh": CHANNEL_ZH.get(c["channel"], ""), "party_zh": PARTY_ZH.get(c["party"], "")}
        for c in service["consents"]
    ]
    return {"documents": documents, "consents": consents, "deliveries": deliveries}


@router.get(DESK + "/applications/{application_id}/documents/{document_id}.pdf")
async def download(request: Request, session: SessionDep, application_id: str, document_id: str) -> Response:
    require_role(session, *ROLES)
    answer = await Api(request, session.token).send("GET", f"{API}/{application_id}/documents/{document_id}/pdf")
    if not answer.is_success:
        raise ApiError.from_response(answer)
    name = answer.headers.get("content-disposition") or f"attachment; filename*=UTF-8''{quote(document_id)}.pdf"
    return Response(
        answer.content,
        media_type="application/pdf",
        headers={"Content-Disposition": name, "Cache-Control": "private, no-store"},
    )


@router.post(DESK + "/applications/{application_id}/deliveries/{delivery_id}/{action}")
async def delivery_action(
    request: Request, session: SessionDep, application_id: str, delivery_id: str, action: Literal["resend", "manual"]
) -> Response:
    require_role(session, *ROLES)
    form = await request.form()
    check_csrf(request, form.get(CSRF_FIELD))
    body = (
        blank_free(
            {"served_on": text(form, "served_on"), "manner": text(form, "manner"), "remarks": text(form, "remarks")}
        )
        if action == "manual"
        else {}
    )
    path = f"{API}/{application_id}/e-service/deliveries/{delivery_id}/{action}"
    try:
        await Api(request, session.token).post(path, json=body)
    except ApiError as exc:
        if exc.status in (401, 404):
            raise
        return redirect(f"{DESK}/applications/{application_id}?done=delivery-refused#documents")
    return redirect(f"{DESK}/applications/{application_id}?done=delivery-{action}#documents")
