"""Intake's issued documents: the 补正通知书 a clerk sends for an incomplete complaint, and the
移送函 written when a complaint goes to another body (a commission or court already seized of
the dispute, or the workplace's region for a complaint accepted on its behalf).

Each is issued in the transaction of the change that calls for it, numbered per issuing region
and year (``{region}窗〔year〕n号``), versioned when its text changes, and announced by a
``document.issued`` event through the outbox. The PDF is rendered when first read. Staff read the
documents of complaints they may read, a worker those of their own case; anything else is 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from labornet_common.contracts.documents import IntakeDocumentIssued
from labornet_common.platform.clock import local_date
from labornet_common.platform.documents import store
from labornet_common.platform.documents.draft import DocumentDraft
from labornet_common.platform.documents.serving import document_font
from labornet_common.platform.problems import Conflict, Forbidden, InvalidInput
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher
from labornet_common.standards.divisions import divisions
from labornet_intake.adapters import repository
from labornet_intake.adapters.orm import documents as tables
from labornet_intake.domain import documents as drafts
from labornet_intake.domain import policy
from labornet_intake.domain.model import Complaint


def number_of(region: str, year: int, seq: int) -> str:
    return f"{region}窗〔{year}〕{seq}号"


def _issuer(complaint: Complaint) -> str:
    """The window that writes: the one that accepted the complaint, else the owning region's."""
    return (complaint.accepted_in_region or complaint.region_code)[:6]


def office_of(region: str) -> str:
    division = divisions().get(region)
    return f"{division.name if division else region}劳动争议受理窗口"


async def _issue(uow: UnitOfWork, complaint: Complaint, draft: DocumentDraft) -> dict[str, Any] | None:
    row = await store.issue(
        session=uow.session,
        tables=tables,
        subject_id=complaint.case_id,
        case_id=complaint.case_id,
        issuer_id=_issuer(complaint),
        draft=draft,
        numbering=number_of,
    )
    if row is None:
        return None
    # After the change's own events (received, routed or forwarded), in the case's order.
    uow.track(complaint)
    uow.collect()
    uow.record(
        complaint.case_id,
        IntakeDocumentIssued(
            document_id=row["document_id"],
            case_id=complaint.case_id,
            kind=row["kind"],
            title=row["title"],
            number=row["number"],
            version=row["version"],
            issued_on=row["issued_on"],
            text_sha256=store.text_sha256(row["text"]),
        ),
    )
    return row


async def issue_referral(
    *, uow: UnitOfWork, complaint: Complaint, forward: dict[str, Any] | None
) -> dict[str, Any] | None:
    """The 移送函 a new complaint calls for: redirected to proceedings under way, or forwarded."""
    received_on = local_date(complaint.received_at)
    issued_on = local_date(complaint.registered_at or complaint.received_at)
    office = office_of(_issuer(complaint))
    if complaint.status == "REDIRECTED":
        draft = drafts.referral_to_proceedings(complaint, received_on=received_on, issued_on=issued_on, office=office)
    elif complaint.status == "FORWARDED" and forward is not None:
        draft = drafts.referral_to_region(
            complaint,
            to_region_name=office_of(forward["to_region"]).removesuffix("劳动争议受理窗口"),
            received_on=received_on,
            answer_due_on=forward["answer_due_on"],
            issued_on=issued_on,
            office=office,
        )
    else:
        return None
    return await _issue(uow, complaint, draft)


@dataclass(frozen=True)
class RequestCorrection:
    missing: tuple[str, ...]
    due_on: date


async def request_correction(
    *, uow: UnitOfWork, principal: Principal, case_id: str, cmd: RequestCorrection, cipher: PiiCipher, today: date
) -> dict[str, Any] | None:
    """Issue the 补正通知书 (a changed list is a new version of it); None when out of reach."""
    if cmd.due_on <= today:
        raise InvalidInput.at("due_on", "intake.correction_due_past")
    async with uow:
        complaint = await repository.get(session=uow.session, case_id=case_id, cipher=cipher)
        if complaint is None or not policy.can_read(principal, complaint):
            return None
        if not drafts.may_request_correction(principal):
            raise Forbidden("intake.correction_not_allowed")
        received_on = local_date(complaint.received_at)
        last_day = drafts.last_day_to_request_correction(received_on)
        if today > last_day:
            raise Conflict("intake.correction_too_late", detail=f"the last day to ask was {last_day.isoformat()}")
        draft = drafts.correction_notice(
            complaint,
            received_on=received_on,
            missing=cmd.missing,
            due_on=cmd.due_on,
            issued_on=today,
            office=office_of(_issuer(complaint)),
        )
        row = await _issue(uow, complaint, draft)
        await uow.commit()
        if row is None:  # the same notice again: the latest version stands
            row = (await _documents(uow, case_id))[-1]
    return row


async def _documents(uow: UnitOfWork, case_id: str) -> list[dict[str, Any]]:
    return await store.listed(session=uow.session, tables=tables, subject_id=case_id)


async def _readable(uow: UnitOfWork, principal: Principal, case_id: str, cipher: PiiCipher) -> bool:
    complaint = await repository.get(session=uow.session, case_id=case_id, cipher=cipher)
    return complaint is not None and policy.can_read(principal, complaint)


async def documents_of(
    *, uow: UnitOfWork, principal: Principal, case_id: str, cipher: PiiCipher
) -> list[dict[str, Any]] | None:
    """Every document of the complaint, every version, oldest first; None when out of reach."""
    async with uow:
        if not await _readable(uow, principal, case_id, cipher):
            return None
        return await _documents(uow, case_id)


async def document(
    *, uow: UnitOfWork, principal: Principal, case_id: str, document_id: str, cipher: PiiCipher
) -> dict[str, Any] | None:
    """One document with its PDF (rendered and stored on first read); None when out of reach."""
    async with uow:
        if not await _readable(uow, principal, case_id, cipher):
            return None
        row = await store.one(session=uow.session, tables=tables, subject_id=case_id, document_id=document_id)
    if row is None or row.get("content") is not None:
        return row
    font = document_font()
    async with uow:
        row = await store.render_missing(session=uow.session, tables=tables, row=row, font=font)
        await uow.commit()
    return row
