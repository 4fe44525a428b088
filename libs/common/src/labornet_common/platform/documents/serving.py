"""Serving stored documents over HTTP: the font (503 when there is none) and the PDF response."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Response
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from labornet_common.platform.documents import pdf
from labornet_common.platform.errors import Problem


class DocumentSettings(BaseSettings):
    """``LABORNET_DOCUMENT_FONT``: the CJK font file; unset, the first installed one is used."""

    model_config = SettingsConfigDict(env_prefix="LABORNET_", env_ignore_empty=True, extra="ignore")

    document_font: str | None = None


class DocumentRead(BaseModel):
    """A stored document as listed (its PDF is a separate download)."""

    document_id: str
    case_id: str
    kind: str = Field(description="the template, e.g. agreement, correction_notice, referral_letter")
    title: str
    number: str = Field(description="文书编号, per issuing body and year; a correction keeps the number")
    version: int = Field(description="1, then one more per correction; earlier versions stay readable")
    issued_on: date
    sha256: str | None = Field(description="SHA-256 of the PDF's bytes; null until the PDF is first rendered")
    size_bytes: int | None
    created_at: datetime


PDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "the document as PDF"}
}


def document_font() -> Path:
    """The font to render with; without one a read of a PDF not yet rendered answers 503."""
    try:
        return pdf.find_font(DocumentSettings().document_font)
    except pdf.FontMissing as missing:
        raise Problem(503, "documents.font_missing", str(missing), headers={"Retry-After": "3600"}) from None


def pdf_response(row: dict[str, Any]) -> Response:
    """The stored PDF as a download; ``ETag`` is its SHA-256."""
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
