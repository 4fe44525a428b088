"""Reading applications through the caller's eyes: out of reach is the same as missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from labornet_arbitration.adapters import application_search, repository
from labornet_arbitration.domain.model import ArbitrationCase
from labornet_arbitration.service.action import readable
from labornet_common.platform.clock import china_today
from labornet_common.platform.listing import ListQuery
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher


@dataclass(frozen=True)
class ApplicationPage:
    items: list[ArbitrationCase]
    next_cursor: str | None


async def get_application(*, uow: UnitOfWork, principal: Principal, application_id: str) -> ArbitrationCase | None:
    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
    return case if case is not None and readable(principal, case) else None


def _cases(rows: list[dict[str, Any]], principal: Principal) -> list[ArbitrationCase]:
    return [c for c in (ArbitrationCase.from_row(r) for r in rows) if readable(principal, c)]


async def list_applications(
    *,
    uow: UnitOfWork,
    principal: Principal,
    query: ListQuery,
    cipher: PiiCipher | None = None,
    employer_uscc: str | None = None,
) -> ApplicationPage:
    """A page of applications in scope, searched, filtered and sorted (adapters.application_search);
    a worker's ID number (``query.id_number``) by blind index, which needs ``cipher``."""
    async with uow:
        rows, cursor = await application_search.search(
            session=uow.session,
            principal=principal,
            query=query,
            today=china_today(),
            cipher=cipher,
            employer_uscc=employer_uscc,
        )
    return ApplicationPage(items=_cases(rows, principal), next_cursor=cursor)


async def work_queue(*, uow: UnitOfWork, principal: Principal, limit: int) -> list[ArbitrationCase]:
    async with uow:
        rows = await repository.queue(session=uow.session, principal=principal, limit=limit)
    return _cases(rows, principal)


async def documents_of(*, uow: UnitOfWork, principal: Principal, application_id: str) -> list[dict[str, Any]] | None:
    """The application's documents, every version; None when the application is out of reach."""
    from labornet_arbitration.adapters import documents_store

    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not readable(principal, case):
            return None
        return await documents_store.listed(session=uow.session, application_id=application_id)


async def document(
    *, uow: UnitOfWork, principal: Principal, application_id: str, document_id: str
) -> dict[str, Any] | None:
    """One document with its PDF (rendered now, and kept, if nobody has read it before)."""
    from labornet_arbitration.adapters import documents_store
    from labornet_arbitration.service import documents

    async with uow:
        case = await repository.get(session=uow.session, application_id=application_id)
        if case is None or not readable(principal, case):
            return None
        row = await documents_store.one(session=uow.session, application_id=application_id, document_id=document_id)
    if row is None or row["content"] is not None:
        return row
    font = documents.font()
    async with uow:
        row = await documents_store.render_missing(session=uow.session, row=row, font=font)
        await uow.commit()
    return row
