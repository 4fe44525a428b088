"""The centre's issued documents: the 调解协议书 as a numbered, versioned PDF.

Recording an agreement issues its document in the same transaction (``issue_agreement``),
numbered per centre and year (``{centre}调〔year〕n号``); a changed draft of it is a new version
under the same number, the same draft again nothing new. A ``document.issued`` event goes out
through the outbox with it. The PDF is rendered when first read. Staff read the documents of the
cases they may read, a worker those of their own case; anything else is 404, like a missing case.
"""

from __future__ import annotations

from typing import Any

from labornet_common.contracts.documents import MediationDocumentIssued
from labornet_common.platform.documents import store
from labornet_common.platform.documents.serving import document_font
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import repository
from labornet_mediation.adapters.orm import documents as tables
from labornet_mediation.domain import policy
from labornet_mediation.domain.document import agreement_draft, document_of
from labornet_mediation.domain.model import MediationCase


def number_of(centre_id: str, year: int, seq: int) -> str:
    return f"{centre_id}调〔{year}〕{seq}号"


async def issue_agreement(*, uow: UnitOfWork, case: MediationCase) -> dict[str, Any] | None:
    """Inside the change that recorded (or corrected) the agreement: store and announce its document."""
    draft = agreement_draft(document_of(case), mediator_name=case.mediator_name)
    row = await store.issue(
        session=uow.session,
        tables=tables,
        subject_id=case.case_id,
        case_id=case.case_id,
        issuer_id=case.centre_id or case.division_code,
        draft=draft,
        numbering=number_of,
    )
    if row is not None:
        # After the change's own events (the agreement reached), in the case's order.
        uow.track(case)
        uow.collect()
        uow.record(
            case.case_id,
            MediationDocumentIssued(
                document_id=row["document_id"],
                case_id=case.case_id,
                kind=row["kind"],
                title=row["title"],
                number=row["number"],
                version=row["version"],
                issued_on=row["issued_on"],
                text_sha256=store.text_sha256(row["text"]),
            ),
        )
    return row


async def _readable(uow: UnitOfWork, principal: Principal, case_id: str) -> bool:
    row = await repository.get(session=uow.session, case_id=case_id)
    if row is None:
        return False
    case = row._mapping
    return policy.can_read(
        principal, case_id=case_id, division_code=case["division_code"], assigned_to=case["assigned_to"]
    )


async def documents_of(*, uow: UnitOfWork, principal: Principal, case_id: str) -> list[dict[str, Any]] | None:
    """Every document of the case, every version, oldest first; None when out of reach."""
    async with uow:
        if not await _readable(uow, principal, case_id):
            return None
        return await store.listed(session=uow.session, tables=tables, subject_id=case_id)


async def document(*, uow: UnitOfWork, principal: Principal, case_id: str, document_id: str) -> dict[str, Any] | None:
    """One document with its PDF (rendered and stored on first read); None when out of reach."""
    async with uow:
        if not await _readable(uow, principal, case_id):
            return None
        row = await store.one(session=uow.session, tables=tables, subject_id=case_id, document_id=document_id)
    if row is None or row.get("content") is not None:
        return row
    font = document_font()
    async with uow:
        row = await store.render_missing(session=uow.session, tables=tables, row=row, font=font)
        await uow.commit()
    return row
