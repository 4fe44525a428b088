"""The alert list and the employer profiles as a caller may see them: the scope, the search, the
filters and the keyset orders, as SQL (service/queries.py asks; this module answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true
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
from labornet_common.security.visibility import division_prefix, visible_cases
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.adapters.orm import wa_alerts, wa_profiles
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.policy import DESK_ROLES

STATES = ("open", "acknowledged", "dispatched", "resolved", "closed")
# The handling clock of an alert that holds a deadline (see domain.alerts): running, overdue, stopped.
CLOCK_STATES = ("running", "overdue", "stopped")
ALERT_ORDERS = {
    "raised_desc": SortOrder(wa_alerts.c.raised_at, descending=True),
    "raised_asc": SortOrder(wa_alerts.c.raised_at, descending=False),
    "amount_desc": SortOrder(wa_alerts.c.amount_fen, descending=True),
    "amount_asc": SortOrder(wa_alerts.c.amount_fen, descending=False),
}


def in_scope(principal: Principal, id_column: ColumnElement, *region_columns: ColumnElement) -> ColumnElement:
    return visible_cases(principal, staff_roles=DESK_ROLES, case_id=id_column, divisions=list(region_columns))


def _alert_clock(clock: str | None, now: datetime) -> ColumnElement:
    c = wa_alerts.c
    check_choice("clock", clock, CLOCK_STATES, "list.clock_invalid")
    working = c.state.in_(("open", "acknowledged"))
    if clock == "running":
        return and_(working, c.due_at.is_not(None), c.due_at > now)
    if clock == "overdue":
        return and_(working, c.due_at.is_not(None), c.due_at <= now)
    if clock == "stopped":
        return or_(~working, c.due_at.is_(None))
    return true()


async def alert_page(
    *,
    session: AsyncSession,
    principal: Principal,
    query: ListQuery,
    now: datetime,
    severity: str | None = None,
    state: str | None = None,
    rule: str | None = None,
    region: str | None = None,
    referred: bool = False,
) -> tuple[list[Alert], str | None]:
    """A keyset page of the alerts in the principal's scope matching the query and filters."""
    c = wa_alerts.c
    page = keyset(query, ALERT_ORDERS, default="raised_desc", id_column=c.alert_id)
    where = [
        in_scope(principal, c.alert_id, c.region_code, c.dispatched_region),
        status_in(c.state, query, STATES),
        _alert_clock(query.clock, now),
        within_dates(c.raised_at, query, timestamp=True),
        false()
        if query.id_number
        else text_match(
            query.text,
            [c.employer_name, c.employer_uscc, c.project, c.alert_id, c.referral_id],
            names=[c.employer_name, c.project],
        ),
        page.where(),
    ]
    for column, value in ((c.severity, severity), (c.state, state), (c.rule, rule)):
        if value is not None:
            where.append(column == value)
    if region:
        where.append(division_prefix(c.region_code, region))
    if referred:
        where.append(c.referral_id.is_not(None))
    rows = await repository.list_alerts(session=session, where=where, order_by=page.order_by(), limit=page.limit + 1)
    return page.page(rows)


async def profiles(
    *, session: AsyncSession, principal: Principal, region: str | None, kind: str | None, limit: int
) -> list[dict[str, Any]]:
    """The employer profiles in the principal's scope, largest claims first."""
    c = wa_profiles.c
    where = [in_scope(principal, c.profile_id, c.region_code)]
    if region:
        where.append(division_prefix(c.region_code, region))
    if kind:
        where.append(c.kind == kind)
    return await repository.list_profiles(session=session, where=where, limit=limit)
