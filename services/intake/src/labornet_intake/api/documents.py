"""Intake's documents: a clerk asks for a correction (补正通知书), and the complaint's documents
(with the 移送函 written when it went to another body) are listed and downloaded as PDF."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StringConstraints

from labornet_common.contracts.events import utcnow
from labornet_common.platform.app import UowDep
from labornet_common.platform.clock import local_date
from labornet_common.platform.documents.serving import PDF_RESPONSES, DocumentRead, pdf_response
from labornet_common.platform.errors import not_found
from labornet_common.security.api_auth import CurrentPrincipal
from labornet_common.security.pii import PiiCipherDep
from labornet_intake.service import documents

router = APIRouter(prefix="/api/v1/complaints/{case_id}", tags=["complaints"])

Material = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CorrectionCreate(BaseModel):
    """What the complaint lacks, all at once (办案规则 Art. 29), and the day to supply it by."""

    missing: list[Material] = Field(min_length=1, max_length=20, description="each missing material, in Chinese")
    due_on: date = Field(description="the last day to supply them (after today)")


@router.post("/correction-notice", response_model=DocumentRead, status_code=201)
async def request_correction(
    case_id: str, body: CorrectionCreate, principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep
) -> DocumentRead:
    """A clerk of the complaint's region, within 5 days of receipt (409 after); a changed list is
    a new version of the same notice, the same list again answers the notice as it stands."""
    cmd = documents.RequestCorrection(missing=tuple(body.missing), due_on=body.due_on)
    row = await documents.request_correction(
        uow=uow, principal=principal, case_id=case_id, cmd=cmd, cipher=cipher, today=local_date(utcnow())
    )
    if row is None:
        raise not_found()
    return DocumentRead.model_validate(row)


@router.get("/documents", response_model=list[DocumentRead])
async def list_documents(
    case_id: str, principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep
) -> list[DocumentRead]:
    """The complaint's 补正通知书 and 移送函, every version, oldest first."""
    rows = await documents.documents_of(uow=uow, principal=principal, case_id=case_id, cipher=cipher)
    if rows is None:
        raise not_found()
    return [DocumentRead.model_validate(r) for r in rows]


@router.get("/documents/{document_id}/pdf", response_class=Response, responses=PDF_RESPONSES)
async def document_pdf(
    case_id: str, document_id: str, principal: CurrentPrincipal, uow: UowDep, cipher: PiiCipherDep
) -> Response:
    """The PDF as stored; ``ETag`` is its SHA-256."""
    row = await documents.document(
        uow=uow, principal=principal, case_id=case_id, document_id=document_id, cipher=cipher
    )
    if row is None:
        raise not_found()
    return pdf_response(row)
