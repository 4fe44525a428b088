"""Searching, filtering and sorting the application list (see ``labornet_common.platform.listing``).

``q`` finds the 案号 (docket number), the worker, the employer, the case or application id;
``status`` any of the statuses; ``clock`` the state of the clock that runs for the application's
stage: the 5-day acceptance clock while undecided (LDA Art. 29) and the 45-day award clock while
active (LDA Art. 43); ``centre`` the commission; ``from``/``to`` the receipt date. A worker's ID number (from a request
body, never a URL) is matched by its blind index against every worker of the application
(``orm.worker_keys``), never decrypted or compared as text; an employer's unified social credit
code (a public registration number, stored as given) by equality.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from labornet_arbitration.adapters.orm import applications, worker_keys
from labornet_arbitration.adapters.pii import WORKER_ID_NUMBER
from labornet_arbitration.adapters.repository import _visible
from labornet_arbitration.domain.model import ACTIVE, UNDECIDED
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

STATUSES = (
    "SUBMITTED",
    "NEEDS_CORRECTION",
    "ACCEPTED",
    "NOT_ACCEPTED",
    "REFERRED",
    "TRIBUNAL_FORMED",
    "HEARING_SCHEDULED",
    "SUSPENDED",
    "AWARDED",
    "EFFECTIVE",
    "IN_COURT",
    "SET_ASIDE",
    "WITHDRAWN",
    "DEEMED_WITHDRAWN",
)
CLOCK_STATES = ("running", "overdue", "suspended", "stopped")
c = applications.c
ORDERS = {
    "created_desc": SortOrder(c.created_at, descending=True),
    "created_asc": SortOrder(c.created_at, descending=False),
    "received_desc": SortOrder(c.received_on, descending=True),
    "received_asc": SortOrder(c.received_on, descending=False),
}


def clock_clause(clock: str | None, today: date) -> Any:
    """Undecided: the acceptance clock (LDA Art. 29, 5 days); active: the award clock (LDA Art. 43,
    45 days, extendable by 15); suspended: the award clock paused (domain-rules §5);
    stopped: no clock runs (decided, awarded, withdrawn)."""
    check_choice("clock", clock, CLOCK_STATES, "list.clock_invalid")
    undecided, active = c.status.in_(sorted(UNDECIDED)), c.status.in_(sorted(ACTIVE))
    if clock == "running":
        return or_(and_(undecided, c.acceptance_due_on >= today), and_(active, c.award_due_on >= today))
    if clock == "overdue":
        return or_(and_(undecided, c.acceptance_due_on < today), and_(active, c.award_due_on < today))
    if clock == "suspended":
        return c.status == "SUSPENDED"
    if clock == "stopped":
        return c.status.not_in(sorted(UNDECIDED | ACTIVE | {"SUSPENDED"}))
    return true()


async def search(
    *,
    session: AsyncSession,
    principal: Principal,
    query: ListQuery,
    today: date,
    cipher: PiiCipher | None = None,
    employer_uscc: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of applications in scope, searched, filtered and sorted as asked; ``cipher``
    computes the blind index of an ID number searched for (``employer_uscc`` from a request body)."""
    page = keyset(query, ORDERS, default="created_desc", id_column=c.application_id)
    where = [
        _visible(principal),
        status_in(c.status, query, STATUSES),
        clock_clause(query.clock, today),
        within_dates(c.received_on, query, timestamp=False),
        text_match(
            query.text,
            [c.case_number, c.worker_name, c.employer_name, c.case_id, c.application_id],
            names=[c.worker_name, c.employer_name],
        ),
        page.where(),
    ]
    if query.id_number:
        if cipher is None:
            raise ValueError("an ID number is searched by its blind index: give the cipher")
        key = WORKER_ID_NUMBER.index_of(cipher, query.id_number)
        holding = select(worker_keys.c.application_id).where(worker_keys.c.worker_key == key)
        where.append(c.application_id.in_(holding))
    if employer_uscc:
        where.append(c.employer_uscc == employer_uscc)
    if query.centre:
        where.append(c.commission_id == query.centre)
    rows = (
        await session.execute(
            select(applications).where(*where).order_by(*page.order_by(dated=c.received_on)).limit(page.limit + 1)
        )
    ).all()
    items, cursor = page.page(rows)
    return [dict(r._mapping) for r in items], cursor
