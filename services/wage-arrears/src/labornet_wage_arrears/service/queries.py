"""Reading alerts, profiles and referral packages through the caller's eyes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, true

from labornet_common.auth import Principal
from labornet_common.listing import ListQuery, SortOrder, check_choice, keyset, status_in, text_match, within_dates
from labornet_common.uow import UnitOfWork
from labornet_common.visibility import division_prefix, visible_cases
from labornet_wage_arrears.adapters import repository
from labornet_wage_arrears.adapters.orm import wa_alerts, wa_profiles
from labornet_wage_arrears.domain.alerts import Alert
from labornet_wage_arrears.domain.policy import DESK_ROLES, can_work, can_work_alert
from labornet_wage_arrears.domain.records import Order
from labornet_wage_arrears.domain.referral import build_package


@dataclass(frozen=True)
class AlertFilter:
    severity: str | None = None
    state: str | None = None
    region: str | None = None
    rule: str | None = None
    referred: bool = False  # only the alerts recommending a criminal referral (they carry its id)


@dataclass(frozen=True)
class AlertPage:
    items: list[Alert]
    next_cursor: str | None


def in_scope(principal: Principal, id_column: ColumnElement, *region_columns: ColumnElement) -> ColumnElement:
    return visible_cases(principal, staff_roles=DESK_ROLES, case_id=id_column, divisions=list(region_columns))


def _reaches(principal: Principal, alert: Alert) -> bool:
    return can_work_alert(principal, region_code=alert.region_code, dispatched_region=alert.dispatched_region)


STATES = ("open", "acknowledged", "dispatched", "resolved", "closed")
# The handling clock of an alert that holds a deadline (see domain.alerts): running, overdue, stopped.
CLOCK_STATES = ("running", "overdue", "stopped")
ALERT_ORDERS = {
    "raised_desc": SortOrder(wa_alerts.c.raised_at, descending=True),
    "raised_asc": SortOrder(wa_alerts.c.raised_at, descending=False),
    "amount_desc": SortOrder(wa_alerts.c.amount_fen, descending=True),
    "amount_asc": SortOrder(wa_alerts.c.amount_fen, descending=False),
}


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


async def list_alerts(
    *, uow: UnitOfWork, principal: Principal, query: ListQuery, filters: AlertFilter, now: datetime
) -> AlertPage:
    """A page of alerts in scope: ``q`` finds the employer (name or USCC), the project, the alert
    id or the referral id; ``status`` the states (or ``state``, one); ``clock``; ``from``/``to`` on
    the day raised; ``sort``: raised_desc (default), raised_asc, amount_desc, amount_asc."""
    c = wa_alerts.c
    page = keyset(query, ALERT_ORDERS, default="raised_desc", id_column=c.alert_id)
    where = [
        in_scope(principal, c.alert_id, c.region_code, c.dispatched_region),
        status_in(c.state, query, STATES),
        _alert_clock(query.clock, now),
        within_dates(c.raised_at, query, timestamp=True),
        false()
        if query.id_number
        else text_match(query.text, [c.employer_name, c.employer_uscc, c.project, c.alert_id, c.referral_id]),
        page.where(),
    ]
    for column, value in ((c.severity, filters.severity), (c.state, filters.state), (c.rule, filters.rule)):
        if value is not None:
            where.append(column == value)
    if filters.region:
        where.append(division_prefix(c.region_code, filters.region))
    if filters.referred:
        where.append(c.referral_id.is_not(None))
    async with uow:
        rows = await repository.list_alerts(
            session=uow.session, where=where, order_by=page.order_by(), limit=page.limit + 1
        )
    items, cursor = page.page(rows)
    return AlertPage([a for a in items if _reaches(principal, a)], cursor)


async def get_alert(*, uow: UnitOfWork, principal: Principal, alert_id: str) -> Alert | None:
    async with uow:
        alert = await repository.get_alert(session=uow.session, alert_id=alert_id)
    return alert if alert is not None and _reaches(principal, alert) else None


async def list_profiles(
    *, uow: UnitOfWork, principal: Principal, region: str | None, kind: str | None, limit: int
) -> list[dict[str, Any]]:
    c = wa_profiles.c
    where = [in_scope(principal, c.profile_id, c.region_code)]
    if region:
        where.append(division_prefix(c.region_code, region))
    if kind:
        where.append(c.kind == kind)
    async with uow:
        rows = await repository.list_profiles(session=uow.session, where=where, limit=limit)
    return [r for r in rows if can_work(principal, region_code=r["region_code"])]


async def get_profile(*, uow: UnitOfWork, principal: Principal, profile_id: str) -> dict[str, Any] | None:
    async with uow:
        row = await repository.get_profile(session=uow.session, profile_id=profile_id)
    return row if row is not None and can_work(principal, region_code=row["region_code"]) else None


async def referral_package(
    *, uow: UnitOfWork, principal: Principal, referral_id: str, now: datetime
) -> dict[str, Any] | None:
    async with uow:
        alert = await repository.get_alert_by_referral(session=uow.session, referral_id=referral_id)
        if alert is None or not _reaches(principal, alert):
            return None
        cases = [
            facts
            for case_id in alert.case_ids
            if (facts := await repository.get_case(session=uow.session, case_id=case_id)) is not None
        ]
        records = await repository.records_of(
            session=uow.session, employer_key=alert.employer_key, region=alert.region_code
        )
    orders = [r for r in records if isinstance(r, Order)]
    return build_package(alert, cases, generated_at=now, orders=orders)
