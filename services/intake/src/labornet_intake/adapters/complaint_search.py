"""Searching, filtering and sorting the complaint list (see ``labornet_common.platform.listing``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_common.platform.listing import (
    ListQuery,
    SortOrder,
    check_choice,
    keyset,
    status_in,
    text_match,
    within_dates,
)
from labornet_common.security.auth import Principal
from labornet_common.security.crypto import PiiCipher
from labornet_common.security.visibility import visible_cases
from labornet_intake.adapters.orm import complaints
from labornet_intake.adapters.repository import WORKER_ID_NUMBER, WORKER_PHONE, _from_row
from labornet_intake.domain.model import Complaint
from labornet_intake.domain.policy import READ_ROLES

STATUSES = ("RECEIVED", "ROUTED", "FORWARDED", "REDIRECTED", "CLOSED")
ORDERS = {
    "received_desc": SortOrder(complaints.c.received_at, descending=True),
    "received_asc": SortOrder(complaints.c.received_at, descending=False),
}


async def search(
    *, session: AsyncSession, principal: Principal, query: ListQuery, cipher: PiiCipher, worker_phone: str | None = None
) -> tuple[list[Complaint], str | None]:
    """One page of complaints in scope; ``centre`` is the organisation the case was routed to;
    ``worker_phone`` (from a request body) narrows to one worker's phone by blind index."""
    c = complaints.c
    # A complaint has no running clock of its own at the window: the clocks run at the desks.
    check_choice("clock", query.clock, (), "list.clock_invalid")
    page = keyset(query, ORDERS, default="received_desc", id_column=c.case_id)
    where = [
        visible_cases(
            principal, staff_roles=READ_ROLES, case_id=c.case_id, divisions=[c.workplace_division, c.accepted_in_region]
        ),
        status_in(c.status, query, STATUSES),
        within_dates(c.received_at, query, timestamp=True),
        text_match(
            query.text,
            [c.tracking_number, c.worker_name, c.employer_name, c.case_id],
            names=[c.worker_name, c.employer_name],
        ),
        page.where(),
    ]
    if query.id_number:  # by blind index: the number is never decrypted or compared as text
        where.append(c.worker_id_number_bidx == WORKER_ID_NUMBER.index_of(cipher, query.id_number))
    if worker_phone:
        where.append(c.worker_phone_bidx == WORKER_PHONE.index_of(cipher, worker_phone))
    if query.centre:
        where.append(c.target_org_id == query.centre)
    rows = (
        await session.execute(
            select(complaints).where(*where).order_by(*page.order_by(dated=c.received_at)).limit(page.limit + 1)
        )
    ).all()
    items, cursor = page.page(rows)
    return [_from_row(row, cipher) for row in items], cursor
