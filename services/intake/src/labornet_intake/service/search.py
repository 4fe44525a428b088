"""The complaint list searched, filtered and sorted, through the caller's eyes."""

from __future__ import annotations

from labornet_common.platform.listing import ListQuery
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher
from labornet_intake.adapters import complaint_search
from labornet_intake.domain import policy
from labornet_intake.service.queries import ComplaintPage
from labornet_intake.service.representatives import attach


async def search_complaints(
    *, uow: UnitOfWork, principal: Principal, query: ListQuery, cipher: PiiCipher, worker_phone: str | None = None
) -> ComplaintPage:
    async with uow:
        rows, cursor = await complaint_search.search(
            session=uow.session, principal=principal, query=query, cipher=cipher, worker_phone=worker_phone
        )
        await attach(uow=uow, complaints=rows, cipher=cipher)
    # The SQL filter mirrors the policy; checking again costs nothing and fails closed.
    items = [policy.as_seen_by(principal, c) for c in rows if policy.can_read(principal, c)]
    return ComplaintPage(items=items, next_cursor=cursor)
