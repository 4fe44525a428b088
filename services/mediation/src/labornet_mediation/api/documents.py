"""The printable mediation agreement (调解协议书), as HTML or plain text."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from labornet_common.api_auth import CurrentPrincipal
from labornet_common.app import UowDep
from labornet_common.errors import not_found
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.domain.document import render_html, render_text
from labornet_mediation.service import queries

router = APIRouter(prefix="/api/v1/mediation/cases/{case_id}", tags=["mediation"])


@router.get("/agreement/document", response_class=HTMLResponse)
async def agreement_document(
    case_id: str,
    principal: CurrentPrincipal,
    uow: UowDep,
    ctx: ContextDep,
    format: Literal["html", "text"] = "html",
) -> Response:
    doc = await queries.agreement_document(uow=uow, principal=principal, case_id=case_id, ctx=ctx)
    if doc is None:
        raise not_found()
    if format == "text":
        return PlainTextResponse(render_text(doc))
    return HTMLResponse(render_html(doc))
