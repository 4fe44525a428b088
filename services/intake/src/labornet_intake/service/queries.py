"""Reading complaints, always through the caller's eyes, and checking worker access codes."""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import dataclass

from labornet_common.platform.pagination import Cursor, PageRequest
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import (
    Principal,
    normalise_access_code,
    verify_access_code,
)
from labornet_common.security.crypto import PiiCipher
from labornet_intake.adapters import records, repository
from labornet_intake.domain import policy
from labornet_intake.domain.model import Complaint
from labornet_intake.service.representatives import attach


@dataclass(frozen=True)
class ComplaintPage:
    items: list[Complaint]
    next_cursor: str | None


async def get_complaint(*, uow: UnitOfWork, principal: Principal, case_id: str, cipher: PiiCipher) -> Complaint | None:
    """The complaint as this caller may see it; None when missing *or* out of reach."""
    async with uow:
        complaint = await repository.get(session=uow.session, case_id=case_id, cipher=cipher)
        if complaint is not None:
            await attach(uow=uow, complaints=[complaint], cipher=cipher)
    if complaint is None or not policy.can_read(principal, complaint):
        return None
    return policy.as_seen_by(principal, complaint)


async def list_complaints(
    *,
    uow: UnitOfWork,
    principal: Principal,
    page: PageRequest,
    cipher: PiiCipher,
    worker_id_number: str | None = None,
    worker_phone: str | None = None,
) -> ComplaintPage:
    """The caller's complaints, optionally only those of one worker (by ID number or phone)."""
    async with uow:
        rows = await repository.list_visible(
            session=uow.session,
            principal=principal,
            page=page,
            cipher=cipher,
            worker_id_number=worker_id_number,
            worker_phone=worker_phone,
        )
        await attach(uow=uow, complaints=rows, cipher=cipher)
    # The SQL filter mirrors the policy; checking again costs nothing and fails closed.
    items = [policy.as_seen_by(principal, c) for c in rows[: page.limit] if policy.can_read(principal, c)]
    more = len(rows) > page.limit
    last = rows[page.limit - 1] if more else None
    cursor = Cursor(at=last.received_at, id=last.case_id).encode() if last else None
    return ComplaintPage(items=items, next_cursor=cursor)


def normalise_tracking_number(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().upper()


async def check_access_code(
    *, uow: UnitOfWork, tracking_number: str, access_code: str, cipher: PiiCipher
) -> str | None:
    """The case id when the code is one a filer of that case was given, else None.

    Codes are found by their keyed hash (records.access_code_index). Cases filed before codes
    were keyed keep the scrypt hash of their first filer's code until it is first checked: a code
    that matches it is keyed then, and the scrypt hash dropped, so later checks take the keyed
    path. The gateway's attempt limits apply to both.
    """
    code_index = records.access_code_index(cipher, access_code) if normalise_access_code(access_code) else None
    async with uow:
        found = await repository.access_code_hash(
            session=uow.session, tracking_number=normalise_tracking_number(tracking_number)
        )
        if found is None or code_index is None:
            return None
        case_id, legacy_hash = found
        if await records.filing_with_code(session=uow.session, case_id=case_id, code_index=code_index):
            return case_id
    if not legacy_hash:
        return None
    verified: bool = await asyncio.to_thread(verify_access_code, access_code, legacy_hash)
    if not verified:
        return None
    async with uow:
        await records.rekey_legacy_code(
            session=uow.session, case_id=case_id, legacy_hash=legacy_hash, code_index=code_index
        )
        await uow.commit()
    return case_id
