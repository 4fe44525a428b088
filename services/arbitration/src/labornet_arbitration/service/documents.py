"""Issuing the documents a change calls for, in that change's transaction, and their PDFs.

action.change takes a snapshot of the case before a step and, after it, stores every document the
step calls for (domain.documents.called_for), numbered and versioned. The PDF is rendered when
first read (or by whoever needs it first): without a CJK font that read answers 503
``arbitration.documents_font_missing``, and start-up logs the same reason; the change itself
never waits on a font. Each service of a document on a party (by hand, or a completed electronic
delivery) issues its 送达回证 in the transaction that records it (``issue_proof``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters import documents_store, pdf
from labornet_arbitration.domain import documents, party_service
from labornet_arbitration.domain.e_service import AWARD_KINDS
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service import e_service
from labornet_common.contracts.documents import ArbitrationDocumentIssued
from labornet_common.documents.store import text_sha256
from labornet_common.problems import Unavailable
from labornet_common.reference import organisation_directory

_configured: dict[str, str | None] = {"font": None}


def configure(font: str | None) -> Path:
    """Called at start-up with ``LABORNET_DOCUMENT_FONT``; raises FontMissing when none is found."""
    _configured["font"] = font
    return pdf.find_font(font)


def font() -> Path:
    try:
        return pdf.find_font(_configured["font"])
    except pdf.FontMissing as missing:
        raise Unavailable("arbitration.documents_font_missing", detail=str(missing), retry_after_s=3600) from None


def announce(case: ArbitrationCase, row: dict[str, Any]) -> None:
    """The ``document.issued`` event of a stored document, recorded after the change's own events
    (through the outbox with them). It carries the SHA-256 of the document's text: the PDF does
    not exist yet when the document is issued (see contracts/documents.py)."""
    case.record(
        ArbitrationDocumentIssued(
            document_id=row["document_id"],
            case_id=case.case_id,
            kind=documents.PROOF_OF_SERVICE if documents.is_proof(row["kind"]) else row["kind"],
            title=row["title"],
            number=row["number"],
            version=row["version"],
            issued_on=row["issued_on"],
            text_sha256=text_sha256(row["text"]),
        )
    )


async def issue_called_for(
    *, session: AsyncSession, before: dict[str, Any], case: ArbitrationCase, served_by: str
) -> list[dict]:
    """The documents the change calls for, and the 送达回证 of an award it served on a party
    (staff recording service by hand, ``served_by``)."""
    commission = organisation_directory().name_of(case.commission_id) or case.commission_id
    drafts = documents.called_for(before, case, commission=commission)
    issued = []
    for draft in drafts:
        row = await documents_store.issue(session=session, case=case, draft=draft)
        if row is not None:
            case.note(
                draft.issued_on, "document", f"制作{draft.title}（{row['number']}）", document_id=row["document_id"]
            )
            announce(case, row)
            issued.append(row)
    # Each consenting party's delivery, written with the document (the sender works from these).
    await e_service.deliveries_for(session=session, case=case, issued=issued)
    for party in documents.newly_served(before, case):
        await _award_served_by_hand(session=session, case=case, party=party, served_by=served_by)
    return issued


async def _award_served_by_hand(*, session: AsyncSession, case: ArbitrationCase, party: str, served_by: str) -> None:
    """The 送达回证 of an award (or 调解书) staff recorded as received by ``party`` (…/award/service):
    served directly (民诉法 Art. 88) on the day recorded."""
    award = await documents_store.latest_of(session=session, application_id=case.application_id, kinds=AWARD_KINDS)
    if award is None or not case.award:  # an award recorded before documents were issued
        return
    served_on = date.fromisoformat(party_service.of(case.award)[party]["served_on"])
    service = documents.Service(
        delivery_id=documents.award_service_id(award["document_id"], party),
        document_title=award["title"],
        document_number=award["number"],
        document_version=award["version"],
        party=party,
        manner="direct",
        served_on=served_on,
        served_by=served_by,
    )
    await issue_proof(session=session, case=case, service=service)


async def issue_proof(*, session: AsyncSession, case: ArbitrationCase, service: documents.Service) -> dict | None:
    """The 送达回证 of one service, in the transaction that records the service (numbered like
    every document of the commission)."""
    commission = organisation_directory().name_of(case.commission_id) or case.commission_id
    draft = documents.proof_of_service(case, service, commission=commission)
    row = await documents_store.issue(session=session, case=case, draft=draft)
    if row is not None:
        announce(case, row)
    return row
