"""The mediation agreement (调解协议书): the printable view (HTML or plain text), and the issued
documents, numbered and versioned, each as PDF."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from labornet_common.platform.app import UowDep
from labornet_common.platform.documents.serving import PDF_RESPONSES, DocumentRead, pdf_response
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_mediation.api.deps import ContextDep
from labornet_mediation.domain.document import render_html, render_text
from labornet_mediation.service import documents, queries

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


@router.get("/documents", response_model=list[DocumentRead])
async def list_documents(case_id: str, principal: CurrentPrincipal, uow: UowDep) -> list[DocumentRead]:
    """The case's issued documents (the 调解协议书 and its corrections), every version, oldest first."""
    rows = await documents.documents_of(uow=uow, principal=principal, case_id=case_id)
    if rows is None:
        raise not_found()
    return [DocumentRead.model_validate(r) for r in rows]


@router.get("/documents/{document_id}/pdf", response_class=Response, responses=PDF_RESPONSES)
async def document_pdf(case_id: str, document_id: str, principal: CurrentPrincipal, uow: UowDep) -> Response:
    """The PDF as stored; ``ETag`` is its SHA-256."""
    row = await documents.document(uow=uow, principal=principal, case_id=case_id, document_id=document_id)
    if row is None:
        raise not_found()
    return pdf_response(row)
