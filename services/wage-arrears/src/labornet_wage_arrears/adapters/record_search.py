"""The order and incident lists as a caller may see them: the scope, the search, the filters and
the keyset orders, as SQL (service/records.py asks; this module answers).

Orders are listed by their last change. Incidents are listed by the day they happened, newest
first (ties broken by the incident id, so a page boundary inside one day neither repeats nor
skips an incident), and ``from``/``to`` are on that day: an inspector looks for what happened
when, not for when it was last typed in. Each order walks an index (kind, key, record_id)."""

from __future__ import annotations

from typing import Any

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
from labornet_common.security.visibility import division_prefix
from labornet_wage_arrears.adapters.alert_search import in_scope
from labornet_wage_arrears.adapters.orm import wa_records
from labornet_wage_arrears.domain.records import INCIDENT, Record, from_row

c = wa_records.c
BY_CHANGE = {
    "updated_desc": SortOrder(c.updated_at, descending=True),
    "updated_asc": SortOrder(c.updated_at, descending=False),
}
# kind -> (its orders, the default order)
RECORD_ORDERS: dict[str, tuple[dict[str, SortOrder], str]] = {
    INCIDENT: (
        {
            "occurred_desc": SortOrder(c.occurred_on, descending=True),
            "occurred_asc": SortOrder(c.occurred_on, descending=False),
            **BY_CHANGE,
        },
        "occurred_desc",
    ),
}
DEFAULT_ORDERS = (BY_CHANGE, "updated_desc")


async def record_page(
    *,
    session: AsyncSession,
    principal: Principal,
    kind: str,
    region: str | None,
    employer_uscc: str | None,
    query: ListQuery,
) -> tuple[list[Record], str | None]:
    """A keyset page of the records of ``kind`` in the principal's scope matching the query."""
    check_choice("clock", query.clock, (), "list.clock_invalid")
    orders, default = RECORD_ORDERS.get(kind, DEFAULT_ORDERS)
    page = keyset(query, orders, default=default, id_column=c.record_id)
    day, timestamp = (c.occurred_on, False) if kind == INCIDENT else (c.updated_at, True)
    where: list[Any] = [
        in_scope(principal, c.record_id, c.region_code),
        c.kind == kind,
        status_in(c.kind, query, ()),
        within_dates(day, query, timestamp=timestamp),
        text_match(query.text, [c.employer_key, c.record_id], names=[c.employer_key]),
        page.where(),
    ]
    if region:
        where.append(division_prefix(c.region_code, region))
    if employer_uscc:
        where.append(c.employer_key == f"uscc:{employer_uscc}")
    statement = (
        select(c.kind, c.record, c.record_id, c.updated_at, c.occurred_on)
        .where(*where)
        .order_by(*page.order_by())
        .limit(page.limit + 1)
    )
    rows, cursor = page.page(list((await session.execute(statement)).all()))
    return [from_row(r.kind, r.record) for r in rows], cursor
