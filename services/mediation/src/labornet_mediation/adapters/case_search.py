"""Searching, filtering and sorting the case list and the queue (see ``labornet_common.platform.listing``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, false, select, true
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
from labornet_common.security.auth import Principal, Role
from labornet_common.security.visibility import visible_cases
from labornet_mediation.adapters.orm import OPEN_STATUSES, case_is_open, mediation_cases
from labornet_mediation.domain.policy import READ_ROLES

CASE_STATUSES = (
    "RECEIVED",
    "ACCEPTED",
    "DECLINED",
    "MEDIATING",
    "AGREED",
    "FAILED",
    "PERFORMED",
    "BREACHED",
    "TRANSFERRED",
    "COURT",
    "WITHDRAWN",
)
CLOCK_STATES = ("running", "overdue", "stopped")
CASE_ORDERS = {
    "opened_desc": SortOrder(mediation_cases.c.opened_at, descending=True),
    "opened_asc": SortOrder(mediation_cases.c.opened_at, descending=False),
    "received_desc": SortOrder(mediation_cases.c.received_on, descending=True),
    "received_asc": SortOrder(mediation_cases.c.received_on, descending=False),
    "due_asc": SortOrder(mediation_cases.c.due_on, descending=False),
    "due_desc": SortOrder(mediation_cases.c.due_on, descending=True),
}


def _clock_clause(clock: str | None, today: date) -> Any:
    """The 15-day clock's state (LDA Art. 14): running, overdue (past its last day), stopped."""
    c = mediation_cases.c
    check_choice("clock", clock, CLOCK_STATES, "list.clock_invalid")
    active = case_is_open()
    if clock == "running":
        return and_(active, c.due_on >= today)
    if clock == "overdue":
        return and_(active, c.due_on < today)
    if clock == "stopped":
        return c.status.not_in(OPEN_STATUSES)
    return true()


async def search(
    *, session: AsyncSession, principal: Principal, query: ListQuery, today: date, queue: bool, default_sort: str
) -> tuple[list[Any], str | None]:
    """One page of the case list (``queue``: the open cases to work, as in ``queue``) searched,
    filtered and sorted as asked, within what ``principal`` may read."""
    c = mediation_cases.c
    page = keyset(query, CASE_ORDERS, default=default_sort, id_column=c.case_id)
    where = [
        visible_cases(
            principal, staff_roles=READ_ROLES, case_id=c.case_id, divisions=[c.division_code], assigned_to=c.assigned_to
        ),
        status_in(c.status, query, CASE_STATUSES),
        _clock_clause(query.clock, today),
        within_dates(c.received_on, query, timestamp=False),
        # Mediation holds no blind index of the worker's ID number: such a search finds nothing here.
        false()
        if query.id_number
        else text_match(
            query.text,
            [c.tracking_number, c.worker_name, c.employer_name, c.case_id],
            names=[c.worker_name, c.employer_name],
        ),
        page.where(),
    ]
    if query.centre:
        where.append(c.centre_id == query.centre)
    if queue:
        where.append(case_is_open())
        if Role.mediator in principal.roles:
            where.append((c.assigned_to == principal.subject) | c.assigned_to.is_(None))
    rows = (
        await session.execute(
            select(mediation_cases).where(*where).order_by(*page.order_by(dated=c.received_on)).limit(page.limit + 1)
        )
    ).all()
    return page.page(rows)
