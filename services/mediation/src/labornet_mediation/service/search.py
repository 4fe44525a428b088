"""The case list and the queue, searched, filtered and sorted, through the caller's eyes."""

from __future__ import annotations

from labornet_common.platform.listing import ListQuery
from labornet_common.platform.uow import UnitOfWork
from labornet_common.security.auth import Principal
from labornet_mediation.adapters import case_search
from labornet_mediation.service.context import MediationContext
from labornet_mediation.service.queries import CasePage, _readable, _summary


async def search_cases(
    *, uow: UnitOfWork, principal: Principal, query: ListQuery, ctx: MediationContext, queue: bool = False
) -> CasePage:
    """A page of cases; ``queue``: the open ones to work (own and unassigned), nearest deadline first."""
    async with uow:
        rows, cursor = await case_search.search(
            session=uow.session,
            principal=principal,
            query=query,
            today=ctx.today(),
            queue=queue,
            default_sort="due_asc" if queue else "opened_desc",
        )
    items = [_summary(ctx, r) for r in rows if _readable(principal, dict(r._mapping))]
    return CasePage(items=items, next_cursor=cursor)
