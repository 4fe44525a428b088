"""Documents in the console: a case's issued documents listed, and each PDF passed through from
the service that issued it (the caller's own token: the service decides who may read it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from labornet_gateway.console.clients.base import Api, ApiError


async def listed(api: Api, path: str) -> list[dict[str, Any]]:
    """The documents at ``path`` (a case's ``…/documents``); none when the service has none to show."""
    try:
        documents: list[dict[str, Any]] = await api.get(path)
    except ApiError:
        return []
    return documents


async def pdf_download(request: Request, token: str, path: str, document_id: str) -> Response:
    """The PDF at ``path`` (``…/documents/{id}/pdf``) as a download; a refusal is the service's own."""
    answer = await Api(request, token).send("GET", path)
    if not answer.is_success:
        raise ApiError.from_response(answer)
    name = answer.headers.get("content-disposition") or f"attachment; filename*=UTF-8''{quote(document_id)}.pdf"
    return Response(
        answer.content,
        media_type="application/pdf",
        headers={"Content-Disposition": name, "Cache-Control": "private, no-store"},
    )
