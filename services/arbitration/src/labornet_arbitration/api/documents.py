"""The commission's documents (文书): the list of an application's documents and each PDF.

Staff read them within their region and role, a worker those of their own case with the
worker token; out of reach answers 404 like a missing application.
"""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from labornet_arbitration.service import queries
from labornet_common.platform.app import UowDep
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal

router = APIRouter(prefix="/api/v1/arbitration/applications/{application_id}/documents", tags=["arbitration"])


class DocumentRead(BaseModel):
    document_id: str
    application_id: str
    case_id: str
    kind: str = Field(
        description="acceptance_notice, non_acceptance_notice, hearing_notice, award, mediation_statement, "
        "proof_of_service (送达回证)"
    )
    delivery_id: str | None = Field(
        default=None,
        description="a 送达回证's delivery (the electronic delivery or its manual fallback it records); null for "
        "any other document, and for an award staff recorded as served on a party without electronic service",
    )
    title: str
    number: str = Field(description="文书编号, per commission and year; a correction keeps the number")
    version: int = Field(description="1, then one more per correction; earlier versions stay readable")
    issued_on: date
    sha256: str | None = Field(description="SHA-256 of the PDF's bytes; null until the PDF is first rendered")
    size_bytes: int | None
    created_at: datetime


@router.get("", response_model=list[DocumentRead])
async def list_documents(application_id: str, who: CurrentPrincipal, uow: UowDep) -> list[DocumentRead]:
    """Every document of the application, every version, oldest first."""
    rows = await queries.documents_of(uow=uow, principal=who, application_id=application_id)
    if rows is None:
        raise not_found()
    return [DocumentRead.model_validate(r) for r in rows]


@router.get(
    "/{document_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}, "description": "the document as PDF"}},
)
async def document_pdf(application_id: str, document_id: str, who: CurrentPrincipal, uow: UowDep) -> Response:
    """The PDF as stored; ``ETag`` is its SHA-256."""
    row = await queries.document(uow=uow, principal=who, application_id=application_id, document_id=document_id)
    if row is None:
        raise not_found()
    name = quote(f"{row['title']}-{row['number']}-v{row['version']}.pdf")
    return Response(
        content=row["content"],
        media_type="application/pdf",
        headers={
            "ETag": f'"{row["sha256"]}"',
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "Cache-Control": "private, no-store",
        },
    )
